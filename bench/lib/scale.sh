# shellcheck shell=bash
# `make bench-scale` (bench/bench.sh scale): how the gateway's cost grows with what it carries. Five scenarios, each
# runnable alone (SCENARIOS="a c"), each writing one CSV to $OUT/scale/, which bench/Scale.java turns into a section
# of results.md and bench/ScalePlot.java into one PNG per scenario:
#   a  routes 10 -> 1,000 -> 10,000            request cost against the 10-route figure (target: within 10 %)
#   b  instances of one service 2 -> 1,000     request cost; discovery update time of one deregistration
#   c  services 2 -> 200                       request cost, the gateway's threads and RSS, what Consul sees
#   d  idle keep-alive clients 100 -> 10,000   memory and threads per connection; latency while they are open
#   e  connections 1 -> 32 -> 256              throughput, p99 and CPU of the gateway and of nginx
# Sourced by bench.sh after Consul and the two backends are up; bench/README.md says what each scenario measures.
# Load on core $LOAD_CPU, every server (the extra nginx of b and c included) on core $SERVER_CPU, as in the bench.

# The issue's points in both; QUICK=1 has fewer services, a shorter quiet window and the bench's QUICK run lengths.
if [ "$QUICK" = 1 ]; then
  : "${SCALE_ROUTES:=10 1000 10000}" "${SCALE_INSTANCES:=2 100 1000}" "${SCALE_SERVICES:=2 200}"
  : "${SCALE_IDLE:=100 1000 10000}" "${SCALE_CONNS:=1 32 256}" "${SCALE_QUIET:=10}"
else
  : "${SCALE_ROUTES:=10 1000 10000}" "${SCALE_INSTANCES:=2 100 1000}" "${SCALE_SERVICES:=2 50 200}"
  : "${SCALE_IDLE:=100 1000 10000}" "${SCALE_CONNS:=1 32 256}" "${SCALE_QUIET:=30}"
fi
SCENARIOS=${SCENARIOS:-a b c d e}
# Scenario a's JVM options, after the bench's (gateway/jvm.options, whose heap holds 10,000 routes: ~10 KiB each).
SCALE_ROUTES_JAVA_OPTS=${SCALE_ROUTES_JAVA_OPTS:-}
# How long a scenario's gateway may take to proxy its first request (10,000 routes: about two minutes on one core,
# most of it Helidon's configuration flattening a list of that length, quadratic in it: bench/README.md).
SCALE_STARTUP_MAX=${SCALE_STARTUP_MAX:-300}
# The extra nginx of scenarios b and c listens on SCALE_PORT_BASE, +1, ...: below Linux's ephemeral port range
# (32768-60999), so no outgoing connection of the bench can hold one of them.
SCALE_PORT_BASE=${SCALE_PORT_BASE:-20000}
# The load of scenarios a to d: the bench's usual 32 connections of small JSON.
SCALE_LOAD=32
SCALE_INSTANCE_SERVICE=scale-instances
# The bench's own requests to Consul in the scenarios come from this loopback address, not 127.0.0.1: the agent limits
# the connections of each client address (limits.http_max_conns_per_client, 200), the gateway's watches hold one
# each, and the agent keeps counting a watch's connection after the gateway stopped, until its blocking query ends
# (up to its wait, 5 min). The probe of scenario c's quiet window still comes from 127.0.0.1, as the gateway's do.
SCALE_CONSUL_CLIENT=127.0.0.2

# check_scale_knobs: the scenarios are known ones and scenario d can open its connections; exits otherwise.
check_scale_knobs() {
  local scenario max
  for scenario in $SCENARIOS; do
    case $scenario in
      a | b | c | d | e) ;;
      *) echo "Unknown scenario '$scenario' (known: a b c d e)" >&2; exit 2 ;;
    esac
  done
  if [[ " $SCENARIOS " == *" d "* ]]; then
    # Scenario d holds up to max(SCALE_IDLE) sockets in the gateway and as many in its client: raise the soft limit
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    max=$(printf '%s\n' $SCALE_IDLE | sort -n | tail -n 1)
    if [ "$(ulimit -n)" -lt $((max + 1000)) ]; then
      echo "Scenario d opens $max connections: it needs 'ulimit -n' >= $((max + 1000)), not $(ulimit -n)" >&2
      exit 1
    fi
  fi
}

# run_scale: the scenarios of SCENARIOS, in that order; then scale.md and the plots in $OUT/scale/.
run_scale() {
  local scenario
  # Its own directory, so that its meta and events never overwrite the benchmark's (local: bench.sh's OUT is left
  # as it was for what follows in bench mode)
  local OUT=$OUT/scale
  rm -rf "$OUT"
  mkdir -p "$OUT"
  write_machine_info
  cat >>"$OUT/meta.properties" <<PROPS
scenarios=$SCENARIOS
scale_routes=$SCALE_ROUTES
scale_instances=$SCALE_INSTANCES
scale_services=$SCALE_SERVICES
scale_idle=$SCALE_IDLE
scale_conns=$SCALE_CONNS
scale_quiet_s=$SCALE_QUIET
scale_routes_java_opts=$SCALE_ROUTES_JAVA_OPTS
scale_load=$SCALE_LOAD
PROPS
  init_events
  for scenario in $SCENARIOS; do
    case $scenario in
      a) scale_routes ;;
      b) scale_instances ;;
      c) scale_services ;;
      d) scale_idle ;;
      e) scale_connections ;;
    esac
  done
  echo "ended=$(date -u +%FT%TZ)" >>"$OUT/meta.properties"
  # from the repository's root: the JVM options in meta.properties name their @-file relative to it
  (cd "$ROOT" && "$JAVA" "$BENCH/Scale.java" "$OUT") >"$OUT/scale.md"
  "$JAVA" -Djava.awt.headless=true "$BENCH/ScalePlot.java" "$OUT"
  say "scale: $OUT/scale.md"
}

# --- Measuring ----------------------------------------------------------------------------------------------------

# scale_load CONNS URL NAME PIDS...: one measured wrk run (after COMBO_WARMUP s at the same load) through the proxy
# whose processes are PIDS. Prints rps,p50_ms,p99_ms,p999_ms,errors,cpu_us_per_req,rss_mib,threads,gc_percent (CPU:
# utime + stime of PIDS over the run per request; RSS and threads: PIDS after the run; GC: a JVM's collection time
# over the run, in % of the run's wall time; empty for nginx).
scale_load() {
  local conns=$1 url=$2 name=$3 out c0 c1 rss threads line gc0 gc1 t0 t1
  shift 3
  out=$RUN/wrk/scale-$name.txt
  check_answer "$url" small
  wrk_run "$conns" "$COMBO_WARMUP" "$url" "$RUN/wrk/warm-up.txt"
  gc0=$(gc_seconds "$1")
  c0=$(cpu_ticks "$@"); t0=$(date +%s%N)
  wrk_run "$conns" "$DURATION" "$url" "$out"
  c1=$(cpu_ticks "$@"); t1=$(date +%s%N)
  gc1=$(gc_seconds "$1")
  rss=$(memory_kib VmRSS "$@")
  threads=$(thread_count "$@")
  if ! grep -q '^BENCH ' "$out"; then
    echo "wrk failed for $name:" >&2
    cat "$out" >&2
    exit 1
  fi
  trim_logs
  [ ! -f "$RUN/scale-nginx/access.log" ] || : >"$RUN/scale-nginx/access.log"
  line=$(awk -v tck="$CLK_TCK" -v c0="$c0" -v c1="$c1" -v rss="$rss" -v threads="$threads" -v gc0="$gc0" \
      -v gc1="$gc1" -v ns="$((t1 - t0))" '
    /^BENCH / {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      n = v["requests"]; s = v["duration_us"] / 1e6
      gc = gc0 != "" && gc1 != "" ? sprintf("%.1f", 100 * (gc1 - gc0) / (ns / 1e9)) : ""
      printf "%.0f,%.3f,%.3f,%.3f,%d,%.1f,%.1f,%d,%s\n", n / s, v["p50_us"] / 1000, v["p99_us"] / 1000,
        v["p999_us"] / 1000, v["status"] + v["connect"] + v["read"] + v["write"] + v["timeout"],
        n ? (c1 - c0) * 1e6 / tck / n : 0, rss / 1024, threads, gc
    }' "$out")
  echo "$line" | awk -F, -v name="$name" -v c="$conns" '{ printf "  %-20s c=%-3s %6s req/s  p99 %s ms  errors %s" \
    "  cpu/req %s us  rss %s MiB  threads %s%s\n", name, c, $1, $3, $5, $6, $7, $8, ($9 == "" ? "" : "  GC " $9 "%") }' >&2
  echo "$line"
}

# gc_seconds PID: the JVM's garbage collection time so far (jstat's GCT, in seconds), read from its hsperfdata file
# without attaching to it (no CPU in the measured process); empty when PID is no JVM.
gc_seconds() {
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = java ] || return 0
  taskset -c "$LOAD_CPU" "$JAVA_HOME/bin/jstat" -gc "$1" 2>/dev/null |
    awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "GCT") col = i } NR == 2 && col { print $col }'
}

# thread_count PIDS...: the threads of the processes (for a JVM: platform threads; virtual ones are not OS threads).
thread_count() {
  local total=0 pid n
  for pid in "$@"; do
    n=$(awk '$1 == "Threads:" { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

# gateway_metric NAME [MATCH]: a value of the gateway's Prometheus metrics, from the line with MATCH in its labels.
# awk reads to the end: an early exit would fail curl's write (status 23) once the page outgrows the pipe's buffer.
gateway_metric() {
  curl -fs "http://127.0.0.1:$GATEWAY_ADMIN_PORT/observe/metrics" |
    awk -v name="$1" -v match_="${2:-}" '!found && index($0, name) == 1 && index($0, match_) {
      sub(/^[^ ]+ /, ""); printf "%.0f\n", $1; found = 1 }'
}

# gateway_memory PID: rss_mib,heap_mib,threads of the gateway after a full GC (jcmd GC.run), so that the heap
# figure is what is live, not garbage waiting for the next collection. jcmd runs on the load core.
gateway_memory() {
  local pid=$1 heap
  taskset -c "$LOAD_CPU" "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null
  # SerialGC (JDK 25): "DefNew     total 39296K, used 1234K [...]" and "Tenured    total ..., used ..."; older JDKs
  # say "def new generation" and "tenured generation"; G1 one "garbage-first heap" line: the used figures
  heap=$(taskset -c "$LOAD_CPU" "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info |
    awk '/^ *(DefNew|Tenured) |generation +total|garbage-first heap|PSYoungGen|ParOldGen/ {
      for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/,$/, "", v)
        kib += v ~ /M$/ ? v * 1024 : v ~ /G$/ ? v * 1048576 : v + 0 } }
      END { printf "%.1f", kib / 1024 }')
  awk -v rss="$(memory_kib VmRSS "$pid")" -v heap="$heap" -v threads="$(thread_count "$pid")" \
    'BEGIN { printf "%.1f,%s,%d\n", rss / 1024, heap, threads }'
}

# --- Processes of the scenarios -----------------------------------------------------------------------------------

# start_scale_gateway ROUTES_FILE: the gateway with the bench's configuration plus the routes in ROUTES_FILE; waits
# up to SCALE_STARTUP_MAX seconds for its first proxied request and sets SCALE_STARTUP_MS to the milliseconds from
# the exec of java to it. Returns 1 (SCALE_STARTUP_MS empty, the gateway stopped) when it exited or did not answer
# in time. Not for $(...): an exit there would not end the bench.
start_scale_gateway() {
  local from code
  SCALE_STARTUP_MS=
  from=$(date +%s%N)
  EXTRA_ROUTES_FILE=$1
  start_gateway gateway "${@:2}"
  EXTRA_ROUTES_FILE=
  while running gateway && [ $(( ($(date +%s%N) - from) / 1000000000 )) -lt "$SCALE_STARTUP_MAX" ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$GATEWAY_PORT/bench/small" || true)
    if [ "$code" = 200 ]; then
      SCALE_STARTUP_MS=$(( ($(date +%s%N) - from) / 1000000 ))
      return 0
    fi
    sleep 0.05
  done
  stop_process gateway
  return 1
}

# require_scale_gateway ROUTES_FILE: start_scale_gateway, or the end of the bench with the gateway's last words.
require_scale_gateway() {
  start_scale_gateway "$@" && return 0
  echo "The gateway did not proxy a request within ${SCALE_STARTUP_MAX} s; the end of $RUN/logs/gateway.log:" >&2
  grep -v '^{' "$RUN/logs/gateway.log" | tail -n 5 >&2
  exit 1
}

# start_scale_nginx PORTS: one nginx listening on SCALE_PORT_BASE .. SCALE_PORT_BASE + PORTS - 1.
start_scale_nginx() {
  local ports=$1 prefix=$RUN/scale-nginx listens taken
  taken=$(ss -Htln | awk -v lo="$SCALE_PORT_BASE" -v hi=$((SCALE_PORT_BASE + ports - 1)) '{
    n = split($4, a, ":"); p = a[n] + 0; if (p >= lo && p <= hi && shown++ < 3) print p }' | xargs)
  if [ -n "$taken" ]; then
    echo "Ports $SCALE_PORT_BASE-$((SCALE_PORT_BASE + ports - 1)) must be free for the scale nginx; in use:" \
         "$taken ... (set SCALE_PORT_BASE)" >&2
    exit 1
  fi
  mkdir -p "$prefix/tmp"
  listens=$(awk -v base="$SCALE_PORT_BASE" -v n="$ports" 'BEGIN {
    for (i = 0; i < n; i++) printf "        listen 127.0.0.1:%d;\n", base + i }')
  fill "$BENCH/conf/scale-backend.conf" "$prefix/nginx.conf" PREFIX="$prefix" LISTENS="$listens" \
    SMALL_BODY="$SMALL_BODY"
  spawn scale-nginx "$RUN/logs/scale-nginx.log" "$NGINX" -p "$prefix" -e "$prefix/error.log" \
    -c "$prefix/nginx.conf" -g 'daemon off;'
  wait_http "http://127.0.0.1:$((SCALE_PORT_BASE + ports - 1))/health" scale-nginx
}

# consul_agent_batch register|deregister FILE: FILE has lines "ID NAME PORT"; every one registered in (or
# deregistered from) the agent without a check, by one curl process over one connection (a curl per instance
# would take seconds for 1,000). Without a check an instance counts as passing for as long as it is registered.
consul_agent_batch() {
  local action=$1 file=$2 config=$RUN/consul-batch.curl
  awk -v action="$action" -v base="http://127.0.0.1:$CONSUL_HTTP/v1/agent/service" '{
    print "next"
    print "fail"
    print "request = PUT"
    print "output = /dev/null"
    if (action == "register") {
      printf "url = \"%s/register\"\n", base
      # unquoted: a curl config value without white space is taken as it is
      printf "data = {\"ID\":\"%s\",\"Name\":\"%s\",\"Address\":\"127.0.0.1\",\"Port\":%d}\n", $1, $2, $3
    } else {
      printf "url = \"%s/deregister/%s\"\n", base, $1
    }
  }' "$file" | tail -n +2 >"$config"
  wait_consul_answers
  taskset -c "$LOAD_CPU" curl -sS --interface "$SCALE_CONSUL_CLIENT" -K "$config"
}

# wait_consul_answers: until the agent answers the bench (up to 30 s).
wait_consul_answers() {
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null --max-time 1 --interface "$SCALE_CONSUL_CLIENT" \
      "http://127.0.0.1:$CONSUL_HTTP/v1/status/leader" && return 0
    sleep 0.1
  done
  echo "The Consul agent does not answer the bench's requests from $SCALE_CONSUL_CLIENT" >&2
  exit 1
}

# wait_gateway_instances SERVICE N: until the gateway routes to N instances of SERVICE (its healthy-instances
# gauge); prints the milliseconds that took. Gives up after 60 s.
wait_gateway_instances() {
  local service=$1 want=$2 from have
  from=$(date +%s%3N)
  for _ in $(seq 1 1200); do
    have=$(gateway_metric gateway_upstream_healthy_instances "service=\"$service\"")
    if [ "${have:-0}" -eq "$want" ]; then
      echo $(( $(date +%s%3N) - from ))
      return 0
    fi
    sleep 0.05
  done
  echo "The gateway routes to ${have:-no} instances of $service, not $want, after 60 s" >&2
  exit 1
}

# --- a: routes ----------------------------------------------------------------------------------------------------

# Per count: a gateway with that many generated routes plus /bench/**, its start-up to the first proxied request, its
# live heap after a full GC, the JIT warm-up, then 32 connections of /bench/small. The generated routes are
# /bench/r<i>/** (all to the bench service): more specific than /bench/**, so a table scanned in match order tries
# every one of them before the route that answers /bench/small: a scan's worst case, and the case an index must keep
# flat. (/r<i>/** would sort after /bench/** and leave a scan nothing to do.) Every point runs with
# SCALE_ROUTES_JAVA_OPTS (default none) after the bench's options. A gateway that does not start is a line with its last words in "failure", and the next count follows.
scale_routes() {
  local csv=$OUT/a-routes.csv file=$RUN/scale-routes.yaml routes listed line mem failure
  echo "routes,startup_ms,rss_start_mib,heap_start_mib,rps,p50_ms,p99_ms,p999_ms,errors,cpu_us_per_req,rss_mib," \
       "threads,gc_percent,failure" | tr -d ' ' >"$csv"
  for routes in $SCALE_ROUTES; do
    say "scale a: $routes routes (+ /bench/**)"
    write_routes "$routes" "$file"
    if ! EXTRA_JAVA_OPTS="${EXTRA_JAVA_OPTS:-} $SCALE_ROUTES_JAVA_OPTS" start_scale_gateway "$file"; then
      # its last words, without commas (a CSV cell): "OutOfMemoryError: Java heap space" and the like
      failure=$(grep -v '^{' "$RUN/logs/gateway.log" | grep -m1 -oE '[A-Za-z.]*(Error|Exception)[^,]*' | tr -d ',')
      say "  the gateway did not proxy a request within ${SCALE_STARTUP_MAX} s: ${failure:-no error logged}"
      echo "$routes,,,,,,,,,,,,,did not start within ${SCALE_STARTUP_MAX} s: ${failure:-no error logged}" >>"$csv"
      continue
    fi
    say "  start-up to the first proxied request: $SCALE_STARTUP_MS ms"
    listed=$(curl -fs "http://127.0.0.1:$GATEWAY_ADMIN_PORT/admin/routes" | grep -cE '^ *"id" *: *"' || true)
    if [ "$listed" -ne $((routes + 1)) ]; then
      echo "The gateway lists $listed routes, not $((routes + 1)); see $RUN/gateway/application.yaml" >&2
      exit 1
    fi
    mem=$(gateway_memory "$(pid_of gateway)")
    warm_up_gateway "gateway-$routes-routes"
    line=$(scale_load $SCALE_LOAD "http://127.0.0.1:$GATEWAY_PORT/bench/small" "routes-$routes" "$(pid_of gateway)")
    echo "$routes,$SCALE_STARTUP_MS,$(cut -d, -f1-2 <<<"$mem"),$line," >>"$csv"
    stop_process gateway
  done
}

# --- b: instances of one service ----------------------------------------------------------------------------------

# One gateway, /bench/small routed to the service scale-instances, whose instances are the ports of one nginx;
# instances are added point by point (the gateway keeps running, as in production). Per count: how long until the
# gateway routes to all of them, 32 connections of /bench/small, then the discovery update time.
scale_instances() {
  local csv=$OUT/b-instances.csv routes=$RUN/scale-routes.yaml list=$RUN/scale-instances.txt max have=0 n seen line
  local update
  echo "instances,seen_ms,rps,p50_ms,p99_ms,p999_ms,errors,cpu_us_per_req,rss_mib,threads,gc_percent,update_ms," \
       "update_requests_after,update_resolution_ms" | tr -d ' ' >"$csv"
  max=$(printf '%s\n' $SCALE_INSTANCES 2 | sort -n | tail -n 1)
  awk -v n="$max" -v s=$SCALE_INSTANCE_SERVICE -v base="$SCALE_PORT_BASE" 'BEGIN {
    for (i = 0; i < n; i++) printf "%s-%d %s %d\n", s, i, s, base + i }' >"$list"
  start_scale_nginx "$max"
  sed -n 1,2p "$list" >"$list.part"
  consul_agent_batch register "$list.part"
  have=2
  printf '    - id: instances\n      path: /bench/small\n      service: %s\n' $SCALE_INSTANCE_SERVICE >"$routes"
  require_scale_gateway "$routes"
  warm_up_gateway gateway-instances
  for n in $SCALE_INSTANCES; do
    say "scale b: $n instances of $SCALE_INSTANCE_SERVICE"
    if [ "$n" -gt "$have" ]; then
      sed -n "$((have + 1)),${n}p" "$list" >"$list.part"
      consul_agent_batch register "$list.part"
      have=$n
    fi
    seen=$(wait_gateway_instances $SCALE_INSTANCE_SERVICE "$n")
    line=$(scale_load $SCALE_LOAD "http://127.0.0.1:$GATEWAY_PORT/bench/small" "instances-$n" "$(pid_of gateway)")
    update=$(instance_update_time "$n")
    echo "$n,$seen,$line,$update" >>"$csv"
  done
  stop_process gateway
  consul_agent_batch deregister "$list"
  stop_process scale-nginx
}

# instance_update_time N: 32 connections through the gateway; after 3 s, instance 1 (port SCALE_PORT_BASE + 1) is
# deregistered from Consul. Prints update_ms,requests_after,resolution_ms: the time from the deregistration to the
# last request that port served (its $msec, the end of the request, in the nginx access log, like the bench's
# propagation measurement), the requests it served after the deregistration, and the mean interval between its
# requests before it: with N instances each sees 1/N of the requests, so the last one can only be placed within that.
# The instance is registered again afterwards.
instance_update_time() {
  local n=$1 log=$RUN/scale-nginx/access.log out=$RUN/wrk/scale-update-$1.txt port=$((SCALE_PORT_BASE + 1))
  local wrk_pid at result one=$RUN/scale-one.txt
  : >"$log"
  wrk_run $SCALE_LOAD "$EVENT_SECONDS" "http://127.0.0.1:$GATEWAY_PORT/bench/small" "$out" &
  wrk_pid=$!
  sleep 3
  at=$(date +%s%3N)
  echo "$SCALE_INSTANCE_SERVICE-1 $SCALE_INSTANCE_SERVICE $port" >"$one"
  consul_agent_batch deregister "$one"
  wait "$wrk_pid" || true
  sleep 1.5   # nginx flushes its access log buffer every second
  result=$(awk -v at="$at" -v port="$port" '$7 == port {
      ms = $1 * 1000; if (ms < at) { before++; if (!first) first = ms } else { after++; last = ms } }
    END { printf "%d %d %.1f\n", (after ? last - at : 0), after, (before > 1 ? (at - first) / before : -1) }' "$log")
  set -- $result
  if [ "$3" = -1.0 ]; then
    echo "Port $port served no request before its deregistration: the update time is void" >&2
    exit 1
  fi
  say "  update: deregistration to the last request on :$port $1 ms, $2 requests after it (resolution ~$3 ms)"
  echo "$1,$2,$3"
  consul_agent_batch register "$one"
  wait_gateway_instances $SCALE_INSTANCE_SERVICE "$n" >/dev/null
  : >"$log"
}

# --- c: services --------------------------------------------------------------------------------------------------

# Per count: that many services scale-svc-<i>, two instances each (the same two ports of one nginx), a route
# /s<i>/** each; a gateway started with those routes, 32 connections to the last service's route, then a quiet
# window: what the idle gateway costs the Consul agent.
scale_services() {
  local csv=$OUT/c-services.csv routes=$RUN/scale-routes.yaml list=$RUN/scale-services.txt have=0 s line quiet
  echo "services,rps,p50_ms,p99_ms,p999_ms,errors,cpu_us_per_req,rss_mib,threads,gc_percent,watch_threads," \
       "consul_connections,consul_blocking_queries,consul_cpu_percent,consul_requests,consul_watch_requests," \
       "gateway_quiet_cpu_percent,consul_refuses_others,failed_watches" |
    tr -d ' ' >"$csv"
  start_scale_nginx 2
  : >"$list"
  for s in $SCALE_SERVICES; do
    say "scale c: $s services, two instances each"
    if [ "$s" -gt "$have" ]; then
      awk -v from="$have" -v to="$s" -v base="$SCALE_PORT_BASE" 'BEGIN { for (i = from; i < to; i++)
        printf "scale-svc-%d-0 scale-svc-%d %d\nscale-svc-%d-1 scale-svc-%d %d\n", i, i, base, i, i, base + 1 }' \
        >"$list.part"
      consul_agent_batch register "$list.part"
      cat "$list.part" >>"$list"
      have=$s
    fi
    awk -v n="$s" 'BEGIN { for (i = 0; i < n; i++)
      printf "    - id: s%d\n      path: /s%d/**\n      service: scale-svc-%d\n", i, i, i }' >"$routes"
    # the gateway's messages so far (trim_logs moves them to .kept), so that the window counts only this one's
    SCALE_KEPT_LINES=$({ cat "$RUN/logs/gateway.log.kept" 2>/dev/null || true; } | wc -l)
    require_scale_gateway "$routes"
    wait_gateway_instances "scale-svc-$((s - 1))" 2 >/dev/null
    warm_up_gateway "gateway-$s-services"
    line=$(scale_load $SCALE_LOAD "http://127.0.0.1:$GATEWAY_PORT/s$((s - 1))/bench/small" "services-$s" \
      "$(pid_of gateway)")
    quiet=$(quiet_window)
    echo "$s,$line,$quiet" >>"$csv"
    stop_process gateway
  done
  consul_agent_batch deregister "$list"
  stop_process scale-nginx
}

# quiet_window: SCALE_QUIET seconds without traffic. Prints watch_threads,consul_connections,blocking_queries,
# consul_cpu_percent,consul_requests,consul_watch_requests,gateway_cpu_percent,refused,failed_watches: the gateway's
# consul-watch threads;
# established connections to the agent's HTTP port; the agent's blocking queries in progress (its
# consul.rpc.queries_blocking gauge); the agent's CPU (% of one core) over the window; the HTTP requests the agent
# finished in the window, all and /v1/health/service ones (its debug log, streamed by /v1/agent/monitor for the
# window: the stream is the only extra work the agent does); the gateway's own CPU in the window; 1 when the agent
# refused the bench's own request at the start of the window (its per-client connection limit: then the monitor
# stream and the metrics are missing too); the watch loops (a word each: a service, health-checks, service-catalog)
# that logged a failure since this gateway started.
quiet_window() {
  local consul gw mon=$RUN/logs/consul-monitor.log c0 c1 g0 g1 t0 t1 requests watches conns blocking threads
  local refused=0 failed
  consul=$(pid_of consul)
  gw=$(pid_of gateway)
  sleep 2   # the end of the load run settles (connections closed, logs written)
  curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$CONSUL_HTTP/v1/status/leader" || refused=1
  taskset -c "$LOAD_CPU" curl -sN --interface "$SCALE_CONSUL_CLIENT" \
    "http://127.0.0.1:$CONSUL_HTTP/v1/agent/monitor?loglevel=debug" >"$mon" 2>&1 &
  echo $! >"$RUN/pids/consul-monitor"
  disown $!
  sleep 0.5
  c0=$(cpu_ticks "$consul"); g0=$(cpu_ticks "$gw"); t0=$(date +%s%N)
  sleep "$SCALE_QUIET"
  c1=$(cpu_ticks "$consul"); g1=$(cpu_ticks "$gw"); t1=$(date +%s%N)
  stop_process consul-monitor
  requests=$(grep -c 'agent.http: Request finished' "$mon" || true)
  watches=$(grep 'agent.http: Request finished' "$mon" | grep -c 'url=/v1/health/service/' || true)
  conns=$(ss -Htn state established "( dport = :$CONSUL_HTTP and src 127.0.0.1 )" | wc -l)
  # the agent's gauges are those of its current 10 s interval: one not set yet in a new interval is asked again
  blocking=
  for _ in $(seq 1 $((refused ? 0 : 3))); do
    blocking=$(curl -fs --interface "$SCALE_CONSUL_CLIENT" "http://127.0.0.1:$CONSUL_HTTP/v1/agent/metrics" |
      tr -d ' \n' |
      grep -o '"Name":"consul.rpc.queries_blocking","Value":[0-9.]*' | sed 's/.*://' || true)
    [ -z "$blocking" ] || break
    sleep 1
  done
  threads=$(cat /proc/"$gw"/task/*/comm 2>/dev/null | grep -c '^consul-watch' || true)
  failed=$({ tail -n +$((SCALE_KEPT_LINES + 1)) "$RUN/logs/gateway.log.kept" 2>/dev/null || true
    cat "$RUN/logs/gateway.log"; } | { grep -o 'Watching [^ ]* in Consul failed' || true; } | sort -u | wc -l)
  say "  quiet ${SCALE_QUIET}s: $threads watch threads, $conns connections to Consul, ${blocking:-?} blocking" \
      "queries in Consul, $requests requests to it ($watches health/service); the agent refused the bench: $refused;" \
      "$failed watch loops failed"
  awk -v tck="$CLK_TCK" -v c="$((c1 - c0))" -v g="$((g1 - g0))" -v ns="$((t1 - t0))" -v threads="$threads" \
      -v conns="$conns" -v blocking="${blocking:-}" -v requests="$requests" -v watches="$watches" \
      -v refused="$refused" -v failed="$failed" 'BEGIN {
    s = ns / 1e9
    printf "%d,%d,%s,%.2f,%d,%d,%.2f,%d,%d\n", threads, conns, blocking, 100 * c / tck / s, requests, watches,
      100 * g / tck / s, refused, failed }'
}

# --- d: idle keep-alive clients -----------------------------------------------------------------------------------

# One gateway; first nothing open, then per count a client (bench/IdleClients.java, on the load core) that opens
# that many keep-alive connections, one request each, and keeps them idle. Per count: the gateway's open-connection
# gauge, RSS, live heap after a full GC and threads with only the idle connections open, then 32 connections of
# /bench/small while they stay open, then how many the gateway had closed meanwhile.
scale_idle() {
  local csv=$OUT/d-idle.csv n log=$RUN/logs/idle-clients.log ready open_ms answered failed gauge mem line closed
  local rps p50 p99 p999 errors cpu rss threads gc failure deadline
  echo "idle,answered,failed,open_ms,gateway_open,rss_mib,heap_mib,threads,rps,p50_ms,p99_ms,p999_ms,errors," \
       "cpu_us_per_req,rss_load_mib,threads_load,gc_percent,closed_by_gateway,failure" | tr -d ' ' >"$csv"
  # The shipped cap (gateway.limits.max-connections, 8,000, what gateway/jvm.options' heap is sized for) raised
  # above the largest count and its load: what is measured is the cost of each connection, and 10,000 fit that heap.
  require_scale_gateway /dev/null \
    GATEWAY_LIMITS_MAX_DASH_CONNECTIONS=$(( $(printf '%s\n' $SCALE_IDLE | sort -n | tail -n 1) + 100 ))
  warm_up_gateway gateway-idle
  for n in 0 $SCALE_IDLE; do
    say "scale d: $n idle keep-alive connections"
    answered=0 failed=0 open_ms=0 closed=0
    if [ "$n" -gt 0 ]; then
      : >"$log"
      (exec taskset -c "$LOAD_CPU" "$JAVA" -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1 \
        "$BENCH/IdleClients.java" 127.0.0.1 $GATEWAY_PORT "$n" /bench/small >"$log" 2>&1) &
      echo $! >"$RUN/pids/idle-clients"
      disown $!
      # up to 3 minutes; a gateway out of heap may go on running (collecting), so its log is watched too
      deadline=$(( $(date +%s) + 180 ))
      while [ "$(date +%s)" -lt "$deadline" ]; do
        grep -q '^ready ' "$log" && break
        running idle-clients || { echo "IdleClients stopped:" >&2; cat "$log" >&2; exit 1; }
        running gateway || break
        grep -q 'OutOfMemoryError' "$RUN/logs/gateway.log" && break
        sleep 0.1
      done
      ready=$(grep -m1 '^ready ' "$log" || true)
      if [ -z "$ready" ] || ! running gateway || grep -q 'OutOfMemoryError' "$RUN/logs/gateway.log"; then
        # a line with the gateway's last words (an OutOfMemoryError, say); larger counts would fare no better
        failure=$(grep -v '^{' "$RUN/logs/gateway.log" | grep -oE '[A-Za-z.]*(Error|Exception)[^,]*' | tail -n 1 |
          tr -d ',' || true)
        running gateway || failure="the gateway stopped: ${failure:-no error logged}"
        running gateway && failure="IdleClients did not open $n connections within 3 min; ${failure:-no error logged}"
        say "  $failure"
        echo "$n,,,,,,,,,,,,,,,,,,$failure" >>"$csv"
        stop_process idle-clients
        break
      fi
      read -r _ answered failed open_ms <<<"$ready"
      say "  $answered connections open in $open_ms ms, $failed failed"
    fi
    sleep 1
    gauge=$(gateway_metric gateway_connections_open)
    mem=$(gateway_memory "$(pid_of gateway)")
    line=$(scale_load $SCALE_LOAD "http://127.0.0.1:$GATEWAY_PORT/bench/small" "idle-$n" "$(pid_of gateway)")
    if [ "$n" -gt 0 ]; then
      closed=$({ grep '^closed ' "$log" || true; } | tail -n 1 | cut -d' ' -f2)   # none: it closed none
      stop_process idle-clients
    fi
    IFS=, read -r rps p50 p99 p999 errors cpu rss threads gc <<<"$line"
    echo "$n,$answered,$failed,$open_ms,${gauge:-},$mem,$rps,$p50,$p99,$p999,$errors,$cpu,$rss,$threads,$gc," \
      "${closed:-0}," | tr -d ' ' >>"$csv"
    sleep 2   # the gateway sees the client's connections close
  done
  stop_process gateway
}

# --- e: connections -----------------------------------------------------------------------------------------------

# nginx (access log on), then the gateway (default features), each through every connection count.
scale_connections() {
  local csv=$OUT/e-connections.csv c line
  echo "target,connections,rps,p50_ms,p99_ms,p999_ms,errors,cpu_us_per_req,rss_mib,threads,gc_percent" >"$csv"
  start_nginx_proxy
  wait_first_proxied $NGINX_PORT >/dev/null
  warm_up $NGINX_PORT "$NGINX_WARMUP"
  for c in $SCALE_CONNS; do
    # shellcheck disable=SC2046  # the master and its worker
    line=$(scale_load "$c" "http://127.0.0.1:$NGINX_PORT/bench/small" "nginx-c$c" \
      $(process_tree "$(pid_of nginx-proxy)"))
    echo "nginx,$c,$line" >>"$csv"
  done
  stop_process nginx-proxy
  require_scale_gateway /dev/null
  warm_up_gateway gateway-connections
  for c in $SCALE_CONNS; do
    line=$(scale_load "$c" "http://127.0.0.1:$GATEWAY_PORT/bench/small" "gateway-c$c" "$(pid_of gateway)")
    echo "gateway,$c,$line" >>"$csv"
  done
  stop_process gateway
}
