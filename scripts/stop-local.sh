#!/usr/bin/env bash
# `make stop`: stops what `make run` started. Services get SIGTERM first (they deregister from Consul, drain and
# exit); the database server and Consul are stopped last.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PIDS=${RUN_DIR:-$ROOT/run}/pids
[ -s "$PIDS" ] || { echo "Nothing to stop ($PIDS is empty)."; exit 0; }

service_pids=$(awk '$1 != "consul" && $1 != "h2" {print $2}' "$PIDS")
h2_pid=$(awk '$1 == "h2" {print $2}' "$PIDS")
consul_pid=$(awk '$1 == "consul" {print $2}' "$PIDS")

for pid in $service_pids; do kill -TERM "$pid" 2>/dev/null || true; done
for _ in $(seq 1 200); do
  alive=0
  for pid in $service_pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ $alive -eq 0 ] && break
  sleep 0.1
done
for pid in $service_pids; do kill -KILL "$pid" 2>/dev/null || true; done
[ -n "$h2_pid" ] && kill -TERM "$h2_pid" 2>/dev/null
if [ -n "$consul_pid" ]; then
  kill -TERM "$consul_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$consul_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$consul_pid" 2>/dev/null || true
fi
: >"$PIDS"
echo "Stopped."
