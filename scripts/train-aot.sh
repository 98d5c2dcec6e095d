#!/usr/bin/env bash
# Builds the gateway's AOT cache (JDK 25+; JEPs 483, 514, 515): one training run of dev.refgateway.gateway.AotTraining
# (the gateway with a test backend and the requests of an ordinary day, then stopped) with the gateway's own JVM
# options; the JVM writes the classes it loaded and linked, and the profiles of the methods that ran, to CACHE on
# exit. A gateway started with -XX:AOTCache=CACHE, the same jar path and the same options starts in about half the
# time (bench/results/results.md, "start-up"). `make build` runs it; the gateway image does the same in its build.
#
#   scripts/train-aot.sh [JAR] [CACHE]     defaults: gateway/target/gateway.jar, gateway/target/gateway.aot
#
# On a JDK older than 25 it writes nothing and says so (the gateway runs without a cache, as before). JDK 25.0.3
# prints two warnings when it opens the cache ("Saved blob's name ... Failed to link AdapterHandlerEntry"): one
# call adapter is then generated as without a cache; nothing else changes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$(realpath "${1:-$ROOT/gateway/target/gateway.jar}")
CACHE=${2:-$ROOT/gateway/target/gateway.aot}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

[ -f "$JAR" ] || { echo "$JAR is missing: build the gateway first (make build)." >&2; exit 1; }
feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${feature:-0}" -lt 25 ] 2>/dev/null; then
  echo "AOT cache: skipped (Java $feature; JDK 25 or newer builds one)."
  exit 0
fi

log=$(dirname "$CACHE")/aot-training.log
rm -f "$CACHE" "$CACHE.config"
t0=$(date +%s)
# The class path must be the one the gateway runs with (java -jar JAR), or the JVM ignores the cache.
if ! "$JAVA" @"$ROOT/gateway/jvm.options" -XX:AOTCacheOutput="$CACHE" -cp "$JAR" dev.refgateway.gateway.AotTraining \
    >"$log" 2>&1 || [ ! -s "$CACHE" ]; then
  tail -n 30 "$log" >&2
  echo "AOT cache: the training run failed (whole log: $log)." >&2
  exit 1
fi
echo "AOT cache: $CACHE ($(du -m "$CACHE" | cut -f1) MiB, trained in $(( $(date +%s) - t0 )) s; log: $log)"
