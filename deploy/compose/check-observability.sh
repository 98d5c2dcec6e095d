#!/usr/bin/env bash
# Checks the observability overlay end to end, on any machine with Docker (offline ones included); make
# observability-check runs it. In order:
#
#   1. the Grafana provisioning and the dashboard parse and fit together (deploy/grafana/check-dashboard.py static)
#   2. the stack with OBSERVABILITY=1 (stack.sh up) in a compose project of its own on free ports, so a running
#      `make up` is not touched: Prometheus is the public image, or offline the stand-in of deploy/offline/;
#      Grafana is left out when its image is neither present nor pullable (stack.sh says so)
#   3. promtool check config inside the running Prometheus
#   4. waits until Prometheus scrapes every target and all are up: the gateway and the 4 service instances it
#      found through Consul
#   5. traffic through the gateway (users and orders created and read, a 404), then GET traffic while
#      user-service-2 is killed, until the gateway has retried its requests (so those panels have data)
#   6. every PromQL expression of the dashboard evaluated by that Prometheus (check-dashboard.py queries): a table;
#      an error, an empty result or a metric Prometheus never scraped fails the check
#   only where Grafana runs (its image present or pullable; never on our offline machines, so this step has not
#   run here): Grafana answers, has the provisioned datasource and loaded the dashboard
#   7. the stack down as `make down` does (containers, network, volumes), on failure and Ctrl-C too, and checks
#      that nothing of the project is left
#
# Exit status 0 only when all of it held. Not checked: Grafana itself (see deploy/README.md).
# Variables: IMAGE_PREFIX, IMAGE_TAG (the service images; build them with `make images`); PROMETHEUS_IMAGE,
# GRAFANA_IMAGE as for stack.sh; COMPOSE_PROJECT_NAME (refgateway-obscheck); GATEWAY_PORT, GATEWAY_ADMIN_PORT,
# CONSUL_PORT, PROMETHEUS_PORT, GRAFANA_PORT (free ports by default); KEEP_STACK=1 leaves the stack running
# (remove it with: COMPOSE_PROJECT_NAME=refgateway-obscheck deploy/compose/stack.sh down).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STACK=$HERE/stack.sh
CHECK_DASHBOARD=$ROOT/deploy/grafana/check-dashboard.py
export OBSERVABILITY=1
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-refgateway-obscheck}
PROJECT=$COMPOSE_PROJECT_NAME
TARGETS_TIMEOUT=${TARGETS_TIMEOUT:-120}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step() {
  echo
  echo "== $*"
}

# A port nothing listens on now (the kernel's choice); Docker publishes it a moment later.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

for var in GATEWAY_PORT GATEWAY_ADMIN_PORT CONSUL_PORT PROMETHEUS_PORT GRAFANA_PORT; do
  [ -n "${!var:-}" ] || export "$var=$(free_port)"
done
GATEWAY=http://127.0.0.1:$GATEWAY_PORT
ADMIN=http://127.0.0.1:$GATEWAY_ADMIN_PORT
PROMETHEUS=http://127.0.0.1:$PROMETHEUS_PORT

container() {
  docker ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1"
}

leftovers() {
  local label=label=com.docker.compose.project=$PROJECT
  {
    docker ps -aq --filter "$label" | sed 's/^/container /'
    docker network ls -q --filter "$label" | sed 's/^/network /'
    docker volume ls -q --filter "$label" | sed 's/^/volume /'
    # The Prometheus image's anonymous volume (/prometheus) carries no label: looked up by the name noted at start.
    [ -z "${prometheus_volume:-}" ] || docker volume ls -q --filter "name=^$prometheus_volume\$" | sed 's/^/volume /'
  } | sed '/^$/d'
}

prometheus_volume=
finish() {
  local rc=$? left
  trap - EXIT INT TERM
  [ -n "${workers:-}" ] && { touch "$WORK/stop"; wait 2>/dev/null || true; }
  if [ "${KEEP_STACK:-0}" = 1 ]; then
    echo "KEEP_STACK=1: the stack stays up (project $PROJECT; Prometheus $PROMETHEUS). Remove it with:"
    echo "  COMPOSE_PROJECT_NAME=$PROJECT $STACK down"
  else
    step "Stack down (project $PROJECT)"
    "$STACK" down >"$WORK/down.log" 2>&1 || { cat "$WORK/down.log"; rc=1; }
    left=$(leftovers)
    if [ -n "$left" ]; then
      echo "Left behind after down:"
      sed 's/^/  /' <<<"$left"
      rc=1
    else
      echo "No container, network or volume of project $PROJECT is left."
    fi
  fi
  rm -rf "$WORK"
  echo
  if [ "$rc" -eq 0 ]; then echo "Observability check passed."; else echo "Observability check FAILED."; fi
  exit "$rc"
}

# Counts answers by status code: "201 x10, 200 x40".
summary() {
  sort "$@" | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1} END {print ""}'
}

# GET /users in a loop until $WORK/stop exists; status codes (000: no answer) to $WORK/codes.N.
get_worker() {
  while [ ! -e "$WORK/stop" ]; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 "$GATEWAY/users" >>"$WORK/codes.$1" || true
  done
}

wait_for_targets() {
  local deadline=$(( $(date +%s) + TARGETS_TIMEOUT )) report
  while :; do
    # "<job> <instance> <health>" per active target, then "ALL-UP" when the expected five are up.
    report=$(curl -fs "$PROMETHEUS/api/v1/targets?state=active" | python3 -c '
import json, sys
targets = json.load(sys.stdin)["data"]["activeTargets"]
for t in targets:
    print(t["labels"].get("job"), t["labels"].get("instance"), t["health"], t.get("lastError") or "")
up = [t["labels"].get("job") for t in targets if t["health"] == "up"]
if len(targets) == 5 and sorted(up) == ["gateway", "order-service", "order-service", "user-service", "user-service"]:
    print("ALL-UP")' 2>/dev/null) || report=
    if grep -q '^ALL-UP$' <<<"$report"; then
      grep -v '^ALL-UP$' <<<"$report" | sort | awk '{printf "  %-14s %-16s %s\n", $1, $2, $3}'
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "Not every target was up after ${TARGETS_TIMEOUT}s (expected: gateway, 2 x user-service, 2 x order-service):"
      sed 's/^/  /' <<<"${report:-(no answer from $PROMETHEUS)}"
      return 1
    fi
    sleep 2
  done
}

# The value of an instant query's first sample, or nothing.
query_value() {
  curl -fs "$PROMETHEUS/api/v1/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
result = json.load(sys.stdin)["data"]["result"]
print(result[0]["value"][1] if result else "")' 2>/dev/null || true
}

traffic() {
  local i id answer codes=$WORK/journey
  for i in $(seq 1 10); do
    answer=$(curl -s --max-time 10 -X POST "$GATEWAY/users" -H 'Content-Type: application/json' \
      -d "{\"name\":\"Observer $i\",\"email\":\"observer$i-$RANDOM@example.com\"}" -w '\n%{http_code}' || true)
    echo "${answer##*$'\n'}" >>"$codes" || true
    id=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$answer" | head -n 1)
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 "$GATEWAY/users/${id:-0}" >>"$codes" || true
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 -X POST "$GATEWAY/orders" \
      -H 'Content-Type: application/json' \
      -d "{\"userId\":${id:-0},\"items\":[{\"sku\":\"BOOK-$i\",\"quantity\":1,\"unitPrice\":9.99}]}" >>"$codes" || true
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 "$GATEWAY/orders" >>"$codes" || true
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 "$GATEWAY/nope" >>"$codes" || true
  done
  echo "  users and orders created and read, /nope: $(summary "$codes")"
}

kill_under_traffic() {
  local victim w deadline
  victim=$(container user-service-2)
  workers=4
  for w in $(seq 1 "$workers"); do get_worker "$w" & done
  sleep 3
  docker kill "$victim" >/dev/null
  echo "  killed user-service-2 ($victim) under GET /users traffic from $workers clients"
  deadline=$(( $(date +%s) + 30 ))
  # Retries show at once; an ejection only when five attempts in a row failed before the circuit breaker or Consul
  # took the instance out (the ejection counters exist from discovery on, at 0, so their panels have data anyway).
  until curl -fs "$ADMIN/observe/metrics" | grep -q '^gateway_upstream_retries_total{'; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "  the gateway did not retry a request of user-service-2 within 30 s"
      break
    fi
    sleep 0.5
  done
  sleep 2
  touch "$WORK/stop"
  wait
  workers=
  echo "  GET /users meanwhile: $(summary "$WORK"/codes.*)"
  curl -fs "$ADMIN/observe/metrics" | grep -E '^gateway_upstream_(retries|ejections)_total\{' | sed 's/^/  /' || true
}

# Samples enough for the dashboard's rate() and increase(): the retry counter (the last to appear) in two scrapes.
wait_for_samples() {
  local deadline=$(( $(date +%s) + 60 )) n
  while :; do
    n=$(query_value 'max(count_over_time(gateway_upstream_retries_total[1m]))')
    if [ -n "$n" ] && [ "${n%.*}" -ge 2 ]; then
      echo "  Prometheus has scraped the retry counter $n times"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "  Prometheus has not scraped the retry counter twice within 60 s (the queries will say what is missing)"
      return 0
    fi
    sleep 2
  done
}

# Grafana's HTTP API, as its admin: /api/health, the provisioned datasource, the dashboard by uid.
check_grafana() {
  local grafana=http://127.0.0.1:$GRAFANA_PORT auth=admin:${GRAFANA_ADMIN_PASSWORD:-admin} deadline path
  deadline=$(( $(date +%s) + 60 ))
  until curl -fs -o /dev/null "$grafana/api/health"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "  Grafana did not answer /api/health within 60 s"; return 1; }
    sleep 2
  done
  for path in /api/datasources/uid/prometheus /api/dashboards/uid/refgateway-gateway; do
    curl -fs -o /dev/null -u "$auth" "$grafana$path" || { echo "  Grafana: $path did not answer 200"; return 1; }
    echo "  $path: 200"
  done
}

command -v python3 >/dev/null || { echo "python3 is needed (Debian: apt-get install python3 python3-yaml)." >&2; exit 1; }

step "Grafana provisioning and dashboard (static)"
"$CHECK_DASHBOARD" static

step "Images"
docker info >/dev/null 2>&1 || "$ROOT/deploy/offline/docker-engine.sh" start
"$STACK" images-present || {
  echo "Missing service images ${IMAGE_PREFIX:-refgateway}/{user-service,order-service,gateway}:${IMAGE_TAG:-dev}: run 'make images'." >&2
  exit 1
}
"$STACK" observability-images
echo "  service images and a Prometheus image are present"

trap finish EXIT
trap 'exit 130' INT TERM

step "Stack up with the overlay (project $PROJECT; gateway $GATEWAY, Prometheus $PROMETHEUS)"
"$STACK" up
prometheus_volume=$(docker inspect -f '{{range .Mounts}}{{if eq .Destination "/prometheus"}}{{.Name}}{{end}}{{end}}' \
  "$(container prometheus)")
curl -fs "$PROMETHEUS/api/v1/status/buildinfo" | python3 -c '
import json, sys; print("  Prometheus", json.load(sys.stdin)["data"]["version"])'
docker exec "$(container prometheus)" promtool check config /etc/prometheus/prometheus.yml 2>&1 | sed 's/^/  /'

step "Prometheus targets (waiting until all are up)"
wait_for_targets

step "Traffic through the gateway"
traffic
kill_under_traffic
wait_for_samples

step "Every dashboard expression, evaluated by Prometheus"
"$CHECK_DASHBOARD" queries "$PROMETHEUS"

if [ -n "$(container grafana)" ]; then
  step "Grafana (provisioned datasource and dashboard)"
  check_grafana
fi
