# shellcheck shell=bash
# `make bench-profile`: the gateway (default features) under 32 connections of small JSON, recorded with JFR
# (settings=profile) after the JIT warm-up, and summarised by bench/JfrTop.java into $OUT/profile/summary.txt.
# PROFILE_ROUTES=N adds N routes (write_routes) to see what a large route table costs a request.
# Sourced by bench.sh.

profile_gateway() {
  local dir=$OUT/profile pid
  mkdir -p "$dir"
  if [ "${PROFILE_ROUTES:-0}" -gt 0 ]; then
    write_routes "$PROFILE_ROUTES" "$RUN/profile-routes.yaml"
    EXTRA_ROUTES_FILE=$RUN/profile-routes.yaml
    say "gateway: $PROFILE_ROUTES more routes"
  fi
  start_gateway gateway
  EXTRA_ROUTES_FILE=
  wait_first_proxied $GATEWAY_PORT >/dev/null
  say "gateway: JIT warm-up, ${GATEWAY_WARMUP}-${GATEWAY_WARMUP_MAX}s"
  OUT=$dir   # the warm-up event goes to profile/events.csv, never over the benchmark results
  init_events
  warm_up_gateway gateway
  pid=$(pid_of gateway)
  # settings=profile, plus JDK 25's CPU-time sampler (Linux): it also sees time in native code and the kernel
  # (socket calls), which jdk.ExecutionSample misses. Older JDKs ignore the unknown event.
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=bench settings=profile 'jdk.CPUTimeSample#enabled=true' \
    'jdk.CPUTimeSample#throttle=5ms' 'jdk.ThreadCPULoad#period=1s' >/dev/null
  say "gateway: recording ${PROFILE_SECONDS}s of 32 connections, small JSON"
  wrk_run 32 "$PROFILE_SECONDS" "http://127.0.0.1:$GATEWAY_PORT/bench/small" "$dir/wrk.txt"
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.dump name=bench filename="$dir/gateway.jfr" >/dev/null
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=bench >/dev/null
  stop_process gateway
  "$JAVA" "$BENCH/JfrTop.java" "$dir/gateway.jfr" >"$dir/summary.txt"
  say "load while recording: $(bench_field "$dir/wrk.txt" requests) requests in ${PROFILE_SECONDS}s"
  say "profile: $dir/summary.txt (recording: $dir/gateway.jfr; open it in JDK Mission Control, or"
  say "  $JAVA_HOME/bin/jfr print --events jdk.CPUTimeSample --stack-depth 30 $dir/gateway.jfr)"
}
