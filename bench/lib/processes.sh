# shellcheck shell=bash
# Processes of the benchmark: started by name, their pid in $RUN/pids/<name>, stopped by pid (never by a name
# pattern, so nothing else on the machine is touched). Sourced by bench.sh.

# spawn NAME LOG COMMAND...: starts COMMAND in the background on the server core, stdout and stderr to LOG.
spawn() {
  local name=$1 log=$2
  shift 2
  taskset -c "$SERVER_CPU" "$@" >>"$log" 2>&1 &
  echo $! >"$RUN/pids/$name"
  disown $!   # stopped by pid; no "Killed" job notice when a test kills it on purpose
}

pid_of() { cat "$RUN/pids/$1" 2>/dev/null || true; }

running() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# The process and its children (nginx: the master and its workers).
process_tree() {
  local pid=$1
  echo "$pid"
  pgrep -P "$pid" 2>/dev/null || true
}

# stop_process NAME [SIGNAL]: SIGTERM (or SIGNAL), then SIGKILL for whatever is left after 10 s, children included.
stop_process() {
  local name=$1 signal=${2:-TERM} pid pids
  pid=$(pid_of "$name")
  [ -n "$pid" ] || return 0
  pids=$(process_tree "$pid")
  # shellcheck disable=SC2086
  kill -s "$signal" $pids 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 $pids 2>/dev/null || break
    sleep 0.1
  done
  kill -s KILL $pids 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$RUN/pids/$name"
}

# The EXIT trap: every process still recorded, the last started first.
stop_everything() {
  local status=$? name
  trap - EXIT INT TERM
  # shellcheck disable=SC2045  # pid files are plain names; ls -t gives the order they were started in, newest first
  for name in $(ls -t "$RUN/pids" 2>/dev/null); do
    stop_process "$name"
  done
  # wrk runs in the foreground or as a recorded job; one left by an interrupt is ended by its own pid
  for job in $(jobs -p); do kill "$job" 2>/dev/null || true; done
  exit "$status"
}

# CPU time (utime + stime, in clock ticks) of the given processes; for a JVM all its threads.
cpu_ticks() {
  local total=0 pid ticks
  for pid in "$@"; do
    # fields after the ")" that closes the command name: utime and stime are the 12th and 13th
    ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + ticks))
  done
  echo "$total"
}

# memory_kib FIELD PIDS...: the sum of a /proc/<pid>/status field (VmRSS now, VmHWM the peak) over the processes.
memory_kib() {
  local field=$1 total=0 pid kib
  shift
  for pid in "$@"; do
    kib=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}

# CPU ticks of a JVM's JIT compiler threads ("C1 CompilerThread0", "C2 CompilerThread1", ...): when they are busy
# during a measured run, the JIT had not finished warming up.
jit_ticks() {
  local pid=$1 task total=0 ticks
  [ -n "$pid" ] || { echo 0; return; }
  for task in /proc/"$pid"/task/*; do
    ticks=$(awk '/\((C1|C2) CompilerThre/ { sub(/^.*\) /, ""); print $12 + $13 }' "$task/stat" 2>/dev/null || true)
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}
