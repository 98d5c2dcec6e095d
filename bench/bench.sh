#!/usr/bin/env bash
# `make bench`: the gateway against nginx and its other peers, as local processes on 127.0.0.1 (bench/README.md says
# what and why).
#
#   bench/bench.sh            the benchmark; results in bench/results/ (results.md, results.csv, latency.png)
#   bench/bench.sh profile    the gateway under 32 connections of small JSON with a JFR recording (settings=profile),
#                             summarised into bench/results/profile/
#   bench/bench.sh up         the same processes without load, to look at by hand; Ctrl-C stops them
#   bench/bench.sh scale      the scale curves (lib/scale.sh; SCENARIOS="a b c d e"); results in bench/results/scale/
#
# A Consul dev agent, two nginx backends registered in it, then one target at a time in front of them: "direct"
# (wrk at backend 1), nginx as a reverse proxy (access log on / off), HAProxy, the platform floor (bench/floor: a
# minimal Helidon proxy), Spring Cloud Gateway (bench/scg, built here on first use), the gateway (default features /
# access log off). wrk runs on core $LOAD_CPU, everything else on core $SERVER_CPU. Every process is stopped on exit,
# Ctrl-C included. Knobs (environment; the Makefile passes its variables on): see the block below.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
MODE=${1:-bench}
RUN=${BENCH_RUN_DIR:-$ROOT/run/bench}
OUT=${BENCH_OUT_DIR:-$BENCH/results}
JAVA=${JAVA_HOME:?JAVA_HOME must point to a JDK 21+ (the Makefile sets it)}/bin/java
GATEWAY_JAR=$ROOT/gateway/target/gateway.jar
FLOOR_JAR=$ROOT/bench/floor/target/bench-floor.jar
SCG_JAR=$BENCH/scg/target/bench-scg.jar

# --- Knobs --------------------------------------------------------------------------------------------------------
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  : "${CONNS:=32}" "${SIZES:=small 1m}" "${DURATION:=3}" "${COMBO_WARMUP:=1}" "${GATEWAY_WARMUP:=15}"
  : "${GATEWAY_WARMUP_MAX:=30}"
  : "${NGINX_WARMUP:=2}" "${STARTUP_TRIALS:=2}" "${EVENT_SECONDS:=6}"
else
  : "${CONNS:=1 32 128}" "${SIZES:=small 16k 1m}" "${DURATION:=10}" "${COMBO_WARMUP:=3}" "${GATEWAY_WARMUP:=25}"
  : "${GATEWAY_WARMUP_MAX:=90}"
  : "${NGINX_WARMUP:=5}" "${STARTUP_TRIALS:=3}" "${EVENT_SECONDS:=10}"
fi
TARGETS=${TARGETS:-direct nginx nginx-nolog haproxy floor scg gateway gateway-nolog}
# The gateway's JVM options, and the floor's and Spring Cloud Gateway's alike: gateway/jvm.options, the one set the
# image, compose, Kubernetes and `make run` use (a small fixed-floor heap, SerialGC, capped direct memory and code
# cache), so that the RSS measured here is the one a deployment sees.
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-@$ROOT/gateway/jvm.options}
PROFILE_SECONDS=${PROFILE_SECONDS:-30}
# The scale curves after the benchmark (mode bench; SCALE=0: not); mode scale runs only them. Their own knobs
# (SCENARIOS, SCALE_ROUTES, ...) are in lib/scale.sh.
SCALE=${SCALE:-1}
LOAD_CPU=${LOAD_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}

# Ports: off the defaults of `make run` (8080-8090, 8500), so both can run side by side.
CONSUL_HTTP=18500
BACKEND1_PORT=18081
BACKEND2_PORT=18082
NGINX_PORT=18088
NGINX_NOLOG_PORT=18089
GATEWAY_PORT=18080
GATEWAY_ADMIN_PORT=18090
HAPROXY_PORT=18091
FLOOR_PORT=18092
SCG_PORT=18093
PORTS=($CONSUL_HTTP 18300 18301 18302 $BACKEND1_PORT $BACKEND2_PORT $NGINX_PORT $NGINX_NOLOG_PORT $GATEWAY_PORT
       $GATEWAY_ADMIN_PORT $HAPROXY_PORT $FLOOR_PORT $SCG_PORT)
SERVICE=bench-backend
SMALL_BODY='{"id":42,"name":"Ada Lovelace","email":"ada@example.com","roles":["admin","dev"],"active":true,"score":97.5}'

source "$BENCH/lib/processes.sh"
source "$BENCH/lib/stack.sh"
source "$BENCH/lib/measure.sh"
source "$BENCH/lib/scale.sh"

# --- Preconditions ------------------------------------------------------------------------------------------------
"$ROOT/scripts/install-consul.sh"
"$ROOT/scripts/install-bench-tools.sh"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
[ -f "$GATEWAY_JAR" ] || { echo "$GATEWAY_JAR is missing: run 'make build' first." >&2; exit 1; }
if [[ " $TARGETS " == *" floor "* ]] && [ ! -f "$FLOOR_JAR" ]; then
  echo "$FLOOR_JAR is missing: run 'make bench-jars' (make bench does) first." >&2
  exit 1
fi
if [ "$MODE" != scale ] && [[ " $TARGETS " == *" scg "* ]]; then
  build_scg
fi
if [ "$(nproc)" -lt 2 ] || ! taskset -c "$LOAD_CPU,$SERVER_CPU" true 2>/dev/null; then
  echo "The benchmark pins wrk to core $LOAD_CPU and the servers to core $SERVER_CPU: this machine needs both" \
       "(nproc: $(nproc); set LOAD_CPU / SERVER_CPU)." >&2
  exit 1
fi
# the scale scenarios' knobs are checked now, not after the benchmark's 25 minutes
if [ "$MODE" = scale ] || { [ "$MODE" = bench ] && [ "$SCALE" != 0 ]; }; then
  check_scale_knobs
fi
for port in "${PORTS[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is in use; the benchmark needs ${PORTS[*]} free (is another 'make bench' running?)." >&2
    exit 1
  fi
done

rm -rf "$RUN"
mkdir -p "$RUN/pids" "$RUN/logs" "$RUN/wrk" "$OUT"
trap stop_everything EXIT
trap 'echo; echo "Interrupted: stopping every process of the benchmark ..." >&2; exit 130' INT TERM

started=$(date +%s)
say() { printf '[bench %4ds] %s\n' $(( $(date +%s) - started )) "$*" >&2; }

start_consul
start_backend backend-1 $BACKEND1_PORT
start_backend backend-2 $BACKEND2_PORT
register_backend backend-1 $BACKEND1_PORT
register_backend backend-2 $BACKEND2_PORT
wait_passing 2

case $MODE in
  profile)
    source "$BENCH/lib/profile.sh"
    profile_gateway
    exit 0 ;;
  up)
    # The stack without load, to look at by hand (curl, wrk, jcmd); Ctrl-C stops it. The floor and Spring Cloud
    # Gateway join it when they are in TARGETS (as they are by default).
    start_nginx_proxy
    start_haproxy
    peers=""
    [[ " $TARGETS " == *" floor "* ]] && start_floor && peers="$peers, floor :$FLOOR_PORT"
    [[ " $TARGETS " == *" scg "* ]] && start_scg && peers="$peers, Spring Cloud Gateway :$SCG_PORT"
    start_gateway gateway
    wait_first_proxied $GATEWAY_PORT >/dev/null
    say "up: gateway :$GATEWAY_PORT (admin :$GATEWAY_ADMIN_PORT), nginx :$NGINX_PORT (no log :$NGINX_NOLOG_PORT)," \
        "HAProxy :$HAPROXY_PORT$peers, backends :$BACKEND1_PORT :$BACKEND2_PORT, Consul :$CONSUL_HTTP; logs in" \
        "$RUN. Ctrl-C stops everything."
    while running gateway; do sleep 1; done
    exit 0 ;;
  scale)
    run_scale
    # results.md of an earlier benchmark run in the same directory gets the new section (Report.java includes
    # scale/scale.md and says it comes from a run of its own)
    if [ -f "$OUT/results.csv" ] && [ -f "$OUT/meta.properties" ]; then
      "$JAVA" "$BENCH/Report.java" "$OUT" >"$OUT/results.md"
      say "done: $OUT/results.md"
    fi
    exit 0 ;;
  bench) ;;
  *) echo "usage: bench/bench.sh [bench|profile|up|scale]" >&2; exit 2 ;;
esac

write_machine_info
init_results

for target in $TARGETS; do
  case $target in
    direct)
      say "direct: wrk straight at backend-1"
      warm_up $BACKEND1_PORT "$NGINX_WARMUP"
      run_matrix direct $BACKEND1_PORT ;;
    nginx | nginx-nolog)
      if ! running nginx-proxy; then
        start_nginx_proxy
        warm_up $NGINX_PORT "$NGINX_WARMUP"
        warm_up $NGINX_NOLOG_PORT "$NGINX_WARMUP"
      fi
      say "$target"
      if [ "$target" = nginx ]; then run_matrix nginx $NGINX_PORT; else run_matrix nginx-nolog $NGINX_NOLOG_PORT; fi ;;
    haproxy)
      stop_process nginx-proxy
      start_haproxy
      wait_first_proxied $HAPROXY_PORT >/dev/null
      warm_up $HAPROXY_PORT "$NGINX_WARMUP"
      say "haproxy"
      run_matrix haproxy $HAPROXY_PORT
      stop_process haproxy ;;
    floor | scg)
      stop_process nginx-proxy
      port=$([ "$target" = floor ] && echo $FLOOR_PORT || echo $SCG_PORT)
      say "$target: start-up to first proxied request"
      measure_peer_startup "$target" "$port"
      say "$target: JIT warm-up, ${GATEWAY_WARMUP}-${GATEWAY_WARMUP_MAX}s"
      warm_up_jvm "$target" "$target" "$port"
      run_matrix "$target" "$port"
      stop_process "$target" ;;
    gateway)
      stop_process nginx-proxy
      say "gateway: start-up to first proxied request, $STARTUP_TRIALS times, from the AOT cache and without"
      measure_gateway_startup_aot
      measure_gateway_startup
      say "gateway: JIT warm-up, ${GATEWAY_WARMUP}-${GATEWAY_WARMUP_MAX}s"
      warm_up_gateway gateway
      run_matrix gateway $GATEWAY_PORT
      stop_process gateway ;;
    gateway-nolog)
      stop_process nginx-proxy
      say "gateway-nolog: access log off; JIT warm-up, ${GATEWAY_WARMUP}-${GATEWAY_WARMUP_MAX}s"
      start_gateway gateway GATEWAY_ACCESS_DASH_LOG_ENABLED=false
      wait_first_proxied $GATEWAY_PORT >/dev/null
      warm_up_gateway gateway-nolog
      run_matrix gateway-nolog $GATEWAY_PORT
      stop_process gateway ;;
    *)
      echo "Unknown target '$target' (known: direct nginx nginx-nolog haproxy floor scg gateway gateway-nolog)" >&2
      exit 1 ;;
  esac
done
stop_process nginx-proxy

say "discovery propagation and failover"
measure_events

# The scale curves (lib/scale.sh) with the same Consul and backends; their section goes into results.md
if [ "$SCALE" != 0 ]; then
  say "scale curves: scenarios $SCENARIOS (SCALE=0 skips them)"
  run_scale
fi

echo "ended=$(date -u +%FT%TZ)" >>"$OUT/meta.properties"
echo "load_average_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/meta.properties"
"$JAVA" "$BENCH/Report.java" "$OUT" >"$OUT/results.md"
"$JAVA" -Djava.awt.headless=true "$BENCH/Plot.java" "$OUT/results.csv" "$OUT/latency.png"
say "done: $OUT/results.md"
