#!/usr/bin/env bash
# `make run`: the whole stack as local processes, no Docker.
#   a Consul dev agent on :8500, two user-service instances (8081, 8082) and two order-service instances
#   (8083, 8084; their gRPC API on 9083, 9084), an H2 database server (:9092) holding each service's own database, and the gateway
#   (8080, admin 8090) when it is built, with the demo edge policy of scripts/demo/gateway.yaml (a demo API key and
#   the demo JWT issuer scripts/demo/DemoIssuer.java on :8095). Logs and data live under run/. Ctrl-C (or `make stop`) stops everything,
#   services first (they deregister, drain, then exit), Consul last.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN=${RUN_DIR:-$ROOT/run}
LOGS=$RUN/logs
DATA=$RUN/data
PIDS=$RUN/pids
CONSUL_PORT=8500
JAVA=${JAVA_HOME:?JAVA_HOME must point to a JDK 21+ (the Makefile sets it)}/bin/java
# The sample services' JVM options (C1 only: they start sooner); the gateway has its own, gateway/jvm.options.
JAVA_OPTS=${JAVA_OPTS:--Xms32m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
START_TIMEOUT=${START_TIMEOUT:-60}

"$ROOT/scripts/install-consul.sh"

if [ -s "$PIDS" ] && xargs -r kill -0 <"$PIDS" 2>/dev/null; then
  echo "A local stack seems to run already (pids in $PIDS). Stop it with 'make stop' first." >&2
  exit 1
fi
H2_PORT=9092
ISSUER_PORT=8095
for port in $CONSUL_PORT $H2_PORT 8080 8081 8082 8083 8084 8090 9083 9084 $ISSUER_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use; 'make run' needs 8500, 9092, 8080-8084, 8090, 9083, 9084 and 8095 free." >&2
    exit 1
  fi
done

mkdir -p "$LOGS" "$DATA"
: >"$PIDS"

stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping: services deregister and drain first, then Consul ..."
  "$ROOT/scripts/stop-local.sh"
}
trap stop_all INT TERM EXIT

start_consul() {
  consul agent -dev -bind 127.0.0.1 -client 127.0.0.1 -http-port $CONSUL_PORT -dns-port -1 -grpc-port -1 \
    -node local-dev >"$LOGS/consul.log" 2>&1 &
  echo "consul $!" >>"$PIDS"
  for _ in $(seq 1 100); do
    # /v1/status/leader answers "" until a leader is elected: wait for an address.
    if curl -fs "http://127.0.0.1:$CONSUL_PORT/v1/status/leader" 2>/dev/null | grep -q ':'; then
      return 0
    fi
    sleep 0.1
  done
  echo "Consul did not start; see $LOGS/consul.log" >&2
  exit 1
}

# The services' databases: one H2 server process, so that both instances of a service share their database and
# killing an instance never takes the data with it (in containers and Kubernetes: PostgreSQL). Loopback only.
start_database() {
  local h2
  h2=$(ls "$ROOT"/user-service/target/libs/h2-*.jar 2>/dev/null | head -n 1)
  [ -n "$h2" ] || { echo "The H2 jar is missing: run 'make build' first." >&2; exit 1; }
  "$JAVA" -Xmx128m -cp "$h2" org.h2.tools.Server -tcp -tcpPort $H2_PORT -ifNotExists -baseDir "$DATA" \
    >"$LOGS/h2.log" 2>&1 &
  echo "h2 $!" >>"$PIDS"
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$H2_PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "The H2 database server did not start; see $LOGS/h2.log" >&2
  exit 1
}

# start_service NAME MODULE PORT DATABASE
start_service() {
  local name=$1 module=$2 port=$3 database=$4
  local jar="$ROOT/$module/target/$module.jar"
  [ -f "$jar" ] || { echo "$jar is missing: run 'make build' first." >&2; exit 1; }
  # GRPC_PORT: order-service's gRPC API (9083, 9084); user-service has none and ignores it.
  SERVER_PORT=$port GRPC_PORT=$((port + 1000)) \
  CONSUL_URL="http://127.0.0.1:$CONSUL_PORT" \
  INSTANCE_HOST=127.0.0.1 \
  DB_URL="jdbc:h2:tcp://127.0.0.1:$H2_PORT/$database" \
    "$JAVA" $JAVA_OPTS -jar "$jar" >"$LOGS/$name.log" 2>&1 &
  echo "$name $!" >>"$PIDS"
}

wait_ready() {
  local port=$1 name=$2
  for _ in $(seq 1 $((START_TIMEOUT * 10))); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/observe/health/ready"; then
      return 0
    fi
    sleep 0.1
  done
  echo "$name did not become ready on port $port within ${START_TIMEOUT}s; see $LOGS/$name.log" >&2
  exit 1
}

# Passing instances of a service: each has exactly one check of its own, whose id starts with "service:".
passing() {
  curl -fs "http://127.0.0.1:$CONSUL_PORT/v1/health/service/$1?passing" | grep -oE '"CheckID": *"service:' | wc -l
}

started=$(date +%s)
echo "Starting Consul (dev agent) on :$CONSUL_PORT ..."
start_consul

echo "Starting the database server (H2) on :$H2_PORT ..."
start_database

echo "Starting user-service and order-service (two instances each) ..."
# The first instance of each service migrates its database; the second starts once the schema is there.
start_service user-service-1 user-service 8081 users
start_service order-service-1 order-service 8083 orders
wait_ready 8081 user-service-1
wait_ready 8083 order-service-1
start_service user-service-2 user-service 8082 users
start_service order-service-2 order-service 8084 orders
wait_ready 8082 user-service-2
wait_ready 8084 order-service-2

if [ -f "$ROOT/gateway/target/gateway.jar" ]; then
  # The demo JWT issuer (development only): a single-file Java program, JDK only.
  echo "Starting the demo JWT issuer on :$ISSUER_PORT ..."
  "$JAVA" -Xmx64m "$ROOT/scripts/demo/DemoIssuer.java" $ISSUER_PORT >"$LOGS/demo-issuer.log" 2>&1 &
  echo "demo-issuer $!" >>"$PIDS"
  for _ in $(seq 1 $((START_TIMEOUT * 10))); do
    curl -fs -o /dev/null "http://127.0.0.1:$ISSUER_PORT/.well-known/jwks.json" && break
    sleep 0.1
  done

  # The gateway runs in run/gateway/, where Helidon reads application.yaml on top of the built-in configuration:
  # there, the demo configuration (the demo API key, the issuer, the protected /secure/ routes).
  echo "Starting the gateway on :8080 (admin :8090) ..."
  mkdir -p "$RUN/gateway"
  cp "$ROOT/scripts/demo/gateway.yaml" "$RUN/gateway/application.yaml"
  # The gateway's own JVM options (gateway/jvm.options, as in the image, compose, Kubernetes and the bench), and the
  # AOT cache `make build` trained on JDK 25+ (scripts/train-aot.sh).
  gateway_opts=("@$ROOT/gateway/jvm.options")
  [ ! -f "$ROOT/gateway/target/gateway.aot" ] || gateway_opts+=("-XX:AOTCache=$ROOT/gateway/target/gateway.aot")
  (cd "$RUN/gateway" && SERVER_PORT=8080 ADMIN_PORT=8090 CONSUL_URL="http://127.0.0.1:$CONSUL_PORT" \
    exec "$JAVA" "${gateway_opts[@]}" -jar "$ROOT/gateway/target/gateway.jar" >"$LOGS/gateway.log" 2>&1) &
  echo "gateway $!" >>"$PIDS"
  wait_ready 8090 gateway   # health and metrics live on the admin port
fi

echo "Waiting until Consul reports all four instances passing ..."
for _ in $(seq 1 $((START_TIMEOUT * 10))); do
  if [ "$(passing user-service)" -eq 2 ] && [ "$(passing order-service)" -eq 2 ]; then
    break
  fi
  sleep 0.1
done
if [ "$(passing user-service)" -ne 2 ] || [ "$(passing order-service)" -ne 2 ]; then
  echo "Not every instance is passing in Consul; see $LOGS/ and http://127.0.0.1:$CONSUL_PORT/ui" >&2
  exit 1
fi

cat <<TABLE

Local stack is up ($(( $(date +%s) - started )) s). Logs: $LOGS   Data: $DATA

  WHAT                 URL
  Consul UI            http://127.0.0.1:$CONSUL_PORT/ui/dc1/services
TABLE
if grep -q '^gateway ' "$PIDS"; then
  printf '  %-20s %s\n' "gateway" "http://127.0.0.1:8080   (try /users, /orders)"
  printf '  %-20s %s\n' "gateway admin" "http://127.0.0.1:8090/admin/upstreams"
  printf '  %-20s %s\n' "protected routes" "http://127.0.0.1:8080/secure/users, /secure/orders (README: Edge policy)"
  printf '  %-20s %s\n' "demo JWT issuer" "http://127.0.0.1:$ISSUER_PORT/.well-known/jwks.json  (POST /token?sub=alice&scope=users:read)"
  printf '  %-20s %s\n' "demo API key" "refgateway-demo-key  (client demo-client: users:read orders:read)"
fi
printf '  %-20s %s\n' \
  "user-service-1" "http://127.0.0.1:8081/users" \
  "user-service-2" "http://127.0.0.1:8082/users" \
  "order-service-1" "http://127.0.0.1:8083/orders   gRPC on 127.0.0.1:9083" \
  "order-service-2" "http://127.0.0.1:8084/orders   gRPC on 127.0.0.1:9084" \
  "  as HTTP/JSON" "http://127.0.0.1:8080/v1/orders/1   (the gateway translates: docs/grpc.md)"
echo "  (each instance: /observe/health, /observe/metrics)"
echo
echo "Press Ctrl-C to stop everything (or run 'make stop' elsewhere)."

# Keep running until interrupted or until Consul exits (make stop).
consul_pid=$(awk '$1 == "consul" {print $2}' "$PIDS")
while kill -0 "$consul_pid" 2>/dev/null; do
  sleep 1
done
