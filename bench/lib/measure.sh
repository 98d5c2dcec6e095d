# shellcheck shell=bash
# Load, and what is measured around it. Sourced by bench.sh.
#
# results.csv, one line per target × body size × connections:
#   requests/s and latency percentiles as wrk saw them; errors = answers >= 400 (non2xx) and socket errors
#   (connect, read, write, timeout); CPU µs per request = utime + stime of the proxy's processes (nginx: master and
#   workers; HAProxy: its one process; the gateway, the floor, Spring Cloud Gateway: the JVM, every thread) over the
#   measured run, divided by the requests; the same for the
#   two backends together; RSS = VmRSS of the proxy's processes after the run, peak = their VmHWM so far;
#   new upstream connections per 1000 requests = requests the backends logged in the run's time window with
#   $connection_requests = 1 (the first request on a connection), per 1000 requests they logged in that window;
#   JIT share = CPU of a JVM's JIT compiler threads during the run, in % of that JVM's CPU (high: not warm).
# events.csv: start-up, JIT warm-up, discovery propagation, failover.

CLK_TCK=$(getconf CLK_TCK)
CSV_HEADER=target,size,connections,duration_s,requests,rps,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors,proxy_cpu_us_per_req,backend_cpu_us_per_req,rss_end_mib,rss_peak_mib,new_upstream_conns_per_1k,jit_cpu_percent

init_results() {
  echo "$CSV_HEADER" >"$OUT/results.csv"
  init_events
}

init_events() {
  echo "kind,target,value,unit,detail" >"$OUT/events.csv"
}

# record_event KIND TARGET VALUE UNIT DETAIL
record_event() {
  printf '%s,%s,%s,%s,"%s"\n' "$1" "$2" "$3" "$4" "${5//\"/\'}" >>"$OUT/events.csv"
  say "$1 $2: $3 $4 ($5)"
}

write_machine_info() {
  local jdk
  jdk=$("$JAVA" -version 2>&1 | sed -n 2p)
  cat >"$OUT/meta.properties" <<PROPS
started=$(date -u +%FT%TZ)
quick=$QUICK
nproc=$(nproc)
cpu_model=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)
kernel=$(uname -sr)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
memory=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
jdk=$jdk
nginx=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
haproxy=$("$HAPROXY" -v 2>&1 | head -n 1 | awk '{print $1, $3}')
floor=$(floor_version)
scg=$(scg_version)
wrk=$(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}')
consul=$(consul version | head -n 1)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- gateway 2>/dev/null || echo ' (gateway modified)')
load_average_start=$(cut -d' ' -f1-3 /proc/loadavg)
note=${BENCH_NOTE:-}
conns=$CONNS
sizes=$SIZES
duration_s=$DURATION
combo_warmup_s=$COMBO_WARMUP
gateway_warmup_s=$GATEWAY_WARMUP
gateway_warmup_max_s=$GATEWAY_WARMUP_MAX
nginx_warmup_s=$NGINX_WARMUP
event_seconds=$EVENT_SECONDS
gateway_java_opts=${GATEWAY_JAVA_OPTS//$ROOT\//} ${EXTRA_JAVA_OPTS:-}
load_cpu=$LOAD_CPU
server_cpu=$SERVER_CPU
PROPS
}

# The floor's Helidon, from the jar it runs (its libs); "not built" before make bench-jars.
floor_version() {
  local lib
  lib=$(ls "$(dirname "$FLOOR_JAR")"/libs/helidon-webserver-[0-9]*.jar 2>/dev/null | head -n 1)
  [ -n "$lib" ] && basename "$lib" .jar | sed 's/^helidon-webserver-/Helidon SE /' || echo "not built"
}

# Spring Cloud Gateway's and Spring Boot's versions, from the libraries in its jar; "not built" before its first use.
scg_version() {
  local libs gateway boot
  [ -f "$SCG_JAR" ] || { echo "not built"; return; }
  libs=$("$JAVA_HOME/bin/jar" tf "$SCG_JAR")
  gateway=$(grep -oE 'spring-cloud-gateway-server-[0-9.]*[0-9]' <<<"$libs" | head -n 1 | grep -oE '[0-9][0-9.]*$')
  boot=$(grep -oE 'spring-boot-[0-9.]*[0-9]' <<<"$libs" | head -n 1 | grep -oE '[0-9][0-9.]*$')
  echo "Spring Cloud Gateway ${gateway:-?} (server-webflux), Spring Boot ${boot:-?}"
}

# wrk_run CONNS SECONDS URL OUTPUT: wrk on the load core, one thread; its output (with our BENCH line) in OUTPUT.
wrk_run() {
  taskset -c "$LOAD_CPU" wrk -t1 -c"$1" -d"$2"s --timeout 2s -s "$BENCH/report.lua" "$3" >"$4" 2>&1 || true
}

# bench_field FILE NAME: a value of the BENCH line wrk's report.lua printed.
bench_field() {
  grep -m1 '^BENCH ' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'
}

# warm_up PORT SECONDS [SIZE] [CONNS]
warm_up() {
  [ "$2" -gt 0 ] || return 0
  wrk_run "${4:-32}" "$2" "http://127.0.0.1:$1/bench/${3:-small}" "$RUN/wrk/warm-up.txt"
}

# The processes whose CPU and memory count as the target's. "direct" has no proxy.
target_pids() {
  case $1 in
    nginx*) process_tree "$(pid_of nginx-proxy)" ;;
    haproxy) pid_of haproxy ;;
    *) jvm_pid "$1" ;;
  esac
}

# The JVM of a target (gateway, gateway-nolog, floor, scg); nothing for the others.
jvm_pid() {
  case $1 in
    gateway*) pid_of gateway ;;
    floor | scg) pid_of "$1" ;;
  esac
}

# check_answer URL SIZE: the target must answer 200 with the whole body from a backend before it is measured.
check_answer() {
  local url=$1 size=$2 expected got
  case $size in
    small) expected=${#SMALL_BODY} ;;
    16k) expected=16384 ;;
    1m) expected=1048576 ;;
    *) echo "Unknown body size '$size' (known: small 16k 1m)" >&2; exit 1 ;;
  esac
  got=$(curl -s -D "$RUN/wrk/headers.txt" -o /dev/null -w '%{http_code} %{size_download}' --max-time 5 "$url" || true)
  if [ "$got" != "200 $expected" ] || ! grep -qi '^X-Backend: backend-' "$RUN/wrk/headers.txt"; then
    echo "$url answered '$got' (expected '200 $expected' with X-Backend); see $RUN/logs/" >&2
    exit 1
  fi
}

# Keeps the logs from filling the disk: access logs are emptied after each run (the gateway's own messages kept).
trim_logs() {
  local log
  for log in "$RUN"/backend-*/access.log "$RUN"/nginx-proxy/access.log; do
    [ -f "$log" ] && : >"$log"
  done
  for log in "$RUN"/logs/gateway*.log; do
    [ -f "$log" ] || continue
    grep -v 'gateway\.access' "$log" >>"$log.kept" || true
    : >"$log"
  done
}

# measure TARGET SIZE CONNS PORT: one line of results.csv.
measure() {
  local target=$1 size=$2 conns=$3 port=$4 url out proxy backends c0 c1 b0 b1 rss hwm from to reuse jvm j0 j1
  url=http://127.0.0.1:$port/bench/$size
  out=$RUN/wrk/$target-$size-$conns.txt
  check_answer "$url" "$size"
  wrk_run "$conns" "$COMBO_WARMUP" "$url" "$RUN/wrk/warm-up.txt"
  proxy=$(target_pids "$target")
  backends="$(process_tree "$(pid_of backend-1)") $(process_tree "$(pid_of backend-2)")"
  jvm=$(jvm_pid "$target")
  { c0=$(cpu_ticks $proxy); b0=$(cpu_ticks $backends); j0=$(jit_ticks "$jvm"); from=$(date +%s%3N); }
  wrk_run "$conns" "$DURATION" "$url" "$out"
  # shellcheck disable=SC2086
  { c1=$(cpu_ticks $proxy); b1=$(cpu_ticks $backends); rss=$(memory_kib VmRSS $proxy); hwm=$(memory_kib VmHWM $proxy); }
  j1=$(jit_ticks "$jvm")
  to=$(date +%s%3N)
  sleep 1.1   # the backends flush their access log buffers every second
  reuse=$(new_connections_per_1k "$from" "$to")
  if ! grep -q '^BENCH ' "$out"; then
    echo "wrk failed for $target $size c=$conns:" >&2
    cat "$out" >&2
    exit 1
  fi
  awk -v target="$target" -v size="$size" -v conns="$conns" -v tck="$CLK_TCK" -v has_proxy="${proxy:+1}" \
      -v c0="$c0" -v c1="$c1" -v b0="$b0" -v b1="$b1" -v rss="$rss" -v hwm="$hwm" -v reuse="$reuse" \
      -v jit="${jvm:+$((j1 > j0 ? j1 - j0 : 0))}" '
    /^BENCH / {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      n = v["requests"]; s = v["duration_us"] / 1e6
      proxy_cpu = has_proxy && n ? sprintf("%.1f", (c1 - c0) * 1e6 / tck / n) : ""
      backend_cpu = n ? sprintf("%.1f", (b1 - b0) * 1e6 / tck / n) : ""
      rss_end = has_proxy ? sprintf("%.1f", rss / 1024) : ""
      rss_peak = has_proxy ? sprintf("%.1f", hwm / 1024) : ""
      jit_share = jit != "" && c1 > c0 ? sprintf("%.1f", 100 * jit / (c1 - c0)) : ""
      printf "%s,%s,%d,%.2f,%d,%.0f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%s,%s,%s,%s,%s,%s\n", target, size, conns, s, n, n / s,
        v["p50_us"] / 1000, v["p90_us"] / 1000, v["p99_us"] / 1000, v["p999_us"] / 1000, v["max_us"] / 1000,
        v["status"], v["connect"] + v["read"] + v["write"] + v["timeout"], proxy_cpu, backend_cpu, rss_end, rss_peak,
        reuse, jit_share
    }' "$out" | tee -a "$OUT/results.csv" |
    awk -F, '{ printf "  %-13s %-5s c=%-3s %7s req/s  p50 %s  p99 %s  p99.9 %s ms  errors %d  cpu/req %s us  rss %s MiB  new conns/1k %s%s\n",
      $1, $2, $3, $6, $7, $9, $10, $12 + $13, ($14 == "" ? "-" : $14), ($16 == "" ? "-" : $16), $18,
      ($19 == "" ? "" : "  JIT " $19 "%") }' >&2
  trim_logs
}

# new_connections_per_1k FROM_MS TO_MS: how often the backends saw a request open a new connection in that window
# (1000 = the proxy in front opened a connection per request; near 0 = its keep-alive pool works).
new_connections_per_1k() {
  awk -v from="$1" -v to="$2" '$4 ~ /^\/bench\// && $1 * 1000 >= from && $1 * 1000 <= to { n++; if ($6 == 1) opened++ }
    END { if (n) printf "%.1f", opened * 1000 / n }' "$RUN"/backend-*/access.log
}

# warm_up_jvm NAME PROCESS PORT: at least GATEWAY_WARMUP seconds of 32 connections of small JSON through the JVM
# started as PROCESS, then in 5 s steps until its JIT compiler threads used less than 5 % of its CPU in the last
# step (or GATEWAY_WARMUP_MAX is reached): on a busy machine the JIT needs much longer than on a quiet one. The
# gateway, the floor and Spring Cloud Gateway alike; the time it took goes into events.csv.
warm_up_jvm() {
  local name=$1 pid port=$3 waited=0 c0 c1 j0 j1 share=100
  pid=$(pid_of "$2")
  warm_up "$port" "$GATEWAY_WARMUP"
  waited=$GATEWAY_WARMUP
  while [ "$waited" -lt "$GATEWAY_WARMUP_MAX" ]; do
    c0=$(cpu_ticks "$pid"); j0=$(jit_ticks "$pid")
    warm_up "$port" 5
    c1=$(cpu_ticks "$pid"); j1=$(jit_ticks "$pid")
    waited=$((waited + 5))
    share=$(( c1 > c0 ? 100 * (j1 > j0 ? j1 - j0 : 0) / (c1 - c0) : 100 ))
    [ "$share" -lt 5 ] && break
  done
  record_event warmup "$name" "$waited" s "JIT compiler threads at ${share} % of its CPU in the last 5 s"
}

# warm_up_gateway NAME: the gateway's JVM warmed up (warm_up_jvm), recorded as NAME.
warm_up_gateway() {
  warm_up_jvm "$1" gateway $GATEWAY_PORT
}

# run_matrix TARGET PORT: every body size × connection count.
run_matrix() {
  local size conns
  for size in $SIZES; do
    for conns in $CONNS; do
      measure "$1" "$size" "$conns" "$2"
    done
  done
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Start-up to the first proxied request, from the exec of java; the gateway of the last trial keeps running.
measure_gateway_startup() {
  local trials="" i from ms
  for i in $(seq 1 "$STARTUP_TRIALS"); do
    from=$(date +%s%N)
    start_gateway gateway
    ms=$(wait_first_proxied $GATEWAY_PORT "$from")
    trials="$trials $ms"
    [ "$i" -lt "$STARTUP_TRIALS" ] && stop_process gateway
  done
  record_event startup gateway "$(echo "$trials" | median)" ms "median of$trials ms; java exec to first 200 through it"
}

# The same start-up, from JDK 25's AOT cache (JEPs 483/514/515: classes loaded and linked ahead of time, method
# profiles kept): the cache `make bench-jars` trained (scripts/train-aot.sh, as `make build` and the image's build
# do), so the figure is the one `make run` and the image see. Every trial is stopped again; measure_gateway_startup
# follows.
measure_gateway_startup_aot() {
  local cache=$ROOT/gateway/target/gateway.aot trials="" i from ms
  if [ ! -s "$cache" ]; then
    say "gateway-aot: no AOT cache at $cache (JDK < 25, or make bench-jars not run); skipped"
    return 0
  fi
  for i in $(seq 1 "$STARTUP_TRIALS"); do
    from=$(date +%s%N)
    EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-} -XX:AOTCache=$cache" start_gateway gateway
    ms=$(wait_first_proxied $GATEWAY_PORT "$from")
    trials="$trials $ms"
    stop_process gateway
  done
  record_event startup gateway-aot "$(echo "$trials" | median)" ms \
    "median of$trials ms; with -XX:AOTCache from make bench-jars' training run ($(du -m "$cache" | cut -f1) MiB)"
  # The same on both cores, as `make run` and an image without a CPU limit start on this machine: the JIT's
  # compiler threads (about half of start-up's CPU) then run beside the main thread instead of taking turns.
  # (STARTUP_CPUS is a plain shell variable, not exported: the gateway would read a GATEWAY_* one as configuration.)
  trials=""
  STARTUP_CPUS="$LOAD_CPU,$SERVER_CPU"
  for i in $(seq 1 "$STARTUP_TRIALS"); do
    from=$(date +%s%N)
    EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-} -XX:AOTCache=$cache" start_gateway gateway
    ms=$(wait_first_proxied $GATEWAY_PORT "$from")
    trials="$trials $ms"
    stop_process gateway
  done
  STARTUP_CPUS=
  record_event startup gateway-aot-2cpu "$(echo "$trials" | median)" ms \
    "median of$trials ms; the same AOT cache, the JVM on cores $LOAD_CPU and $SERVER_CPU (wrk idle)"
}

# measure_peer_startup NAME PORT: the floor or Spring Cloud Gateway started (start_NAME), once, timed from the exec
# of java to the first 200 through it; it keeps running.
measure_peer_startup() {
  local name=$1 port=$2 from ms
  from=$(date +%s%N)
  "start_$name"
  ms=$(wait_first_proxied "$port" "$from")
  record_event startup "$name" "$ms" ms "one start; java exec to first 200 through it"
}

measure_nginx_startup() {
  local from
  from=$(date +%s%N)
  start_nginx_proxy
  record_event startup nginx "$(wait_first_proxied $NGINX_PORT "$from")" ms "nginx exec to first 200 through it"
}

# failover TARGET PORT: 32 connections of GETs; backend-2's nginx (master and worker) killed with SIGKILL after 3 s.
failover() {
  local target=$1 port=$2 out=$RUN/wrk/failover-$1.txt wrk_pid errors requests
  wrk_run 32 "$EVENT_SECONDS" "http://127.0.0.1:$port/bench/small" "$out" &
  wrk_pid=$!
  sleep 3
  # shellcheck disable=SC2046
  kill -s KILL $(process_tree "$(pid_of backend-2)")
  rm -f "$RUN/pids/backend-2"
  wait "$wrk_pid" || true
  requests=$(bench_field "$out" requests)
  errors=$(( $(bench_field "$out" status) + $(bench_field "$out" connect) + $(bench_field "$out" read) +
             $(bench_field "$out" write) + $(bench_field "$out" timeout) ))
  record_event failover "$target" "$errors" errors \
    "client errors of $requests GETs (32 connections) when backend-2 was killed with SIGKILL after 3 s"
  start_backend backend-2 $BACKEND2_PORT
  wait_passing 2
}

# Discovery propagation: backend-2 deregistered from Consul under load; how long it still got requests, from the
# $msec (end time) of the last request in its access log. nginx has a static upstream list: not measured there.
propagation() {
  local log=$RUN/backend-2/access.log out=$RUN/wrk/propagation.txt wrk_pid at_ms result errors
  : >"$log"
  wrk_run 32 "$EVENT_SECONDS" "http://127.0.0.1:$GATEWAY_PORT/bench/small" "$out" &
  wrk_pid=$!
  sleep 3
  at_ms=$(date +%s%3N)
  deregister_backend backend-2
  wait "$wrk_pid" || true
  sleep 1.5   # the backends flush their access log buffer every second
  errors=$(( $(bench_field "$out" status) + $(bench_field "$out" connect) + $(bench_field "$out" read) +
             $(bench_field "$out" write) + $(bench_field "$out" timeout) ))
  result=$(awk -v at="$at_ms" '$4 ~ /^\/bench\// { ms = $1 * 1000; if (ms < at) before++; else { after++; last = ms } }
    END { printf "%d %d %d\n", (after ? last - at : 0), before, after }' "$log")
  set -- $result
  if [ "$2" -eq 0 ]; then
    echo "backend-2 got no request before its deregistration: the propagation measurement is void" >&2
    exit 1
  fi
  record_event propagation gateway "$1" ms \
    "deregistration to the last request backend-2 served: $3 requests after it ($2 before); client errors: $errors"
  register_backend backend-2 $BACKEND2_PORT
  wait_passing 2
}

# The gateway's memory under 32 connections of 1 MiB bodies, with the JVM's Native Memory Tracking on (it costs a
# few MiB of its own, listed as "Native Memory Tracking"; the RSS figures of the matrix run without it): RSS and
# peak, and what the JVM committed for the heap, class metadata, compiled code, thread stacks, the collector and
# direct buffers ("Other"). The whole summary goes to nmt-summary.txt beside results.md; bench/PROFILE.md reads it.
measure_gateway_memory() {
  local pid nmt=$OUT/nmt-summary.txt detail
  EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary" start_gateway gateway
  wait_first_proxied $GATEWAY_PORT >/dev/null
  pid=$(pid_of gateway)
  warm_up $GATEWAY_PORT 15 1m
  wrk_run 32 "${DURATION}" "http://127.0.0.1:$GATEWAY_PORT/bench/1m" "$RUN/wrk/memory.txt"
  "$JAVA_HOME/bin/jcmd" "$pid" VM.native_memory summary scale=MB >"$nmt" 2>&1 || true
  { echo; echo "VmRSS / VmHWM after the run:"; grep -E '^Vm(RSS|HWM)' /proc/"$pid"/status; } >>"$nmt"
  detail=$(awk '
    /^-/ && /committed=/ { name = $0; sub(/^- */, "", name); sub(/ *\(.*/, "", name)
                           match($0, /committed=[0-9]+/); c = substr($0, RSTART + 10, RLENGTH - 10)
                           if (name == "Java Heap" || name == "Class" || name == "Code" || name == "Thread" \
                               || name == "GC" || name == "Other" || name == "Metaspace" || name == "Shared class space" \
                               || name == "Native Memory Tracking") out = out sprintf("%s%s %s", sep, name, c); sep = ", " }
    /^Total:/ { match($0, /committed=[0-9]+/); total = substr($0, RSTART + 10, RLENGTH - 10) }
    END { printf "NMT committed MiB: total %s (%s)", total, out }' "$nmt")
  record_event memory gateway "$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' /proc/"$pid"/status)" MiB \
    "RSS after ${DURATION} s of 32 connections of 1 MiB bodies (peak $(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' \
    /proc/"$pid"/status) MiB), NMT on; $detail"
  stop_process gateway
}

# Start-up of nginx, failover through nginx and through the gateway, discovery propagation through the gateway.
measure_events() {
  measure_nginx_startup
  warm_up $NGINX_PORT 2
  failover nginx $NGINX_PORT
  stop_process nginx-proxy
  start_gateway gateway
  wait_first_proxied $GATEWAY_PORT >/dev/null
  warm_up $GATEWAY_PORT 10
  propagation
  sleep 2   # the gateway sees backend-2 again (it is passing in Consul once more)
  failover gateway $GATEWAY_PORT
  stop_process gateway
  measure_gateway_memory
}
