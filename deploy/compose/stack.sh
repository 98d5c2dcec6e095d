#!/usr/bin/env bash
# The compose stack's commands, used by `make up`, `make down` and `make logs`:
#
#   deploy/compose/stack.sh up               compose up -d, wait until every container is healthy and every
#                                            instance passes in Consul, then print the URLs
#   deploy/compose/stack.sh down             remove containers, network and volumes (the database too)
#   deploy/compose/stack.sh logs [SERVICE]   follow the logs (all services, or one)
#   deploy/compose/stack.sh ps
#   deploy/compose/stack.sh images-present   exit 0 when the three service images exist locally
#   deploy/compose/stack.sh observability-images
#                                            make sure a Prometheus image is there for OBSERVABILITY=1: the public
#                                            one when present or pullable, else the offline stand-in (built by
#                                            deploy/offline/build-images.sh --observability when missing)
#
# Uses `docker compose` when the CLI has it, else docker-compose 1.29. Variables: OBSERVABILITY=1 adds
# observability.yml (Prometheus, Grafana); IMAGE_PREFIX, IMAGE_TAG; CONSUL_IMAGE, POSTGRES_IMAGE,
# PROMETHEUS_IMAGE (when unset: the public image when it is present locally or no stand-in is, else the offline
# stand-in from deploy/offline/build-images.sh); GRAFANA_IMAGE (no stand-in: when it is neither present nor
# pullable, up leaves Grafana out and says so); BIND_ADDRESS, GATEWAY_PORT, GATEWAY_ADMIN_PORT, CONSUL_PORT,
# PROMETHEUS_PORT, GRAFANA_PORT; START_TIMEOUT (seconds, 180); COMPOSE_PROJECT_NAME (refgateway).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PROJECT=${COMPOSE_PROJECT_NAME:-refgateway}
START_TIMEOUT=${START_TIMEOUT:-180}
export IMAGE_PREFIX=${IMAGE_PREFIX:-refgateway} IMAGE_TAG=${IMAGE_TAG:-dev}
export BIND_ADDRESS=${BIND_ADDRESS:-127.0.0.1}
export GATEWAY_PORT=${GATEWAY_PORT:-8080} GATEWAY_ADMIN_PORT=${GATEWAY_ADMIN_PORT:-8090}
export CONSUL_PORT=${CONSUL_PORT:-8500} PROMETHEUS_PORT=${PROMETHEUS_PORT:-9090} GRAFANA_PORT=${GRAFANA_PORT:-3000}
# The public defaults, as in docker-compose.yml, and the offline stand-ins, as in deploy/offline/build-images.sh.
PUBLIC_CONSUL_IMAGE=hashicorp/consul:1.20
PUBLIC_POSTGRES_IMAGE=postgres:17
PUBLIC_PROMETHEUS_IMAGE=prom/prometheus:v3.5.0
PUBLIC_GRAFANA_IMAGE=grafana/grafana:12.1.1
OFFLINE_CONSUL_IMAGE=${OFFLINE_CONSUL_IMAGE:-refgateway-offline/consul:1.8.7}
OFFLINE_POSTGRES_IMAGE=${OFFLINE_POSTGRES_IMAGE:-refgateway-offline/postgres:15}
OFFLINE_PROMETHEUS_IMAGE=${OFFLINE_PROMETHEUS_IMAGE:-refgateway-offline/prometheus:2.24.1}

observability=false
[ "${OBSERVABILITY:-0}" = 1 ] && observability=true
files=(-f "$HERE/docker-compose.yml")
$observability && files+=(-f "$HERE/observability.yml")
# The services `up` starts: empty means all of them (the overlay's Grafana is left out when it has no image).
services=()
grafana=$observability

compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose -p "$PROJECT" "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose -p "$PROJECT" "$@"
  else
    echo "Neither 'docker compose' nor docker-compose is installed (Debian: apt-get install docker-compose)." >&2
    exit 1
  fi
}

have_image() {
  docker image inspect "$1" >/dev/null 2>&1
}

ensure_engine() {
  docker info >/dev/null 2>&1 || "$ROOT/deploy/offline/docker-engine.sh" start
}

# choose_image VAR PUBLIC OFFLINE: an explicit VAR wins; else the public image unless only the stand-in is here.
choose_image() {
  local var=$1 public=$2 offline=$3
  if [ -n "${!var:-}" ]; then
    return 0
  fi
  if ! have_image "$public" && have_image "$offline"; then
    export "$var=$offline"
    echo "$var=$offline (offline stand-in: $public is not present locally)"
  else
    export "$var=$public"
  fi
}

# Prometheus for the overlay, before `up`: the public image when it is here or can be pulled, else (no registry)
# the offline stand-in, built when missing. An explicit PROMETHEUS_IMAGE is left to compose.
observability_images() {
  ensure_engine
  [ -z "${PROMETHEUS_IMAGE:-}" ] || return 0
  if have_image "$PUBLIC_PROMETHEUS_IMAGE" || have_image "$OFFLINE_PROMETHEUS_IMAGE"; then
    return 0
  fi
  if docker pull -q "$PUBLIC_PROMETHEUS_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  echo "$PUBLIC_PROMETHEUS_IMAGE cannot be pulled (no registry): building the offline stand-in $OFFLINE_PROMETHEUS_IMAGE"
  OFFLINE_PROMETHEUS_IMAGE=$OFFLINE_PROMETHEUS_IMAGE "$ROOT/deploy/offline/build-images.sh" --base-only --observability
}

# Grafana has no offline stand-in (no Debian package): without its image the overlay runs Prometheus alone.
choose_grafana() {
  export GRAFANA_IMAGE=${GRAFANA_IMAGE:-$PUBLIC_GRAFANA_IMAGE}
  if have_image "$GRAFANA_IMAGE" || docker pull -q "$GRAFANA_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  grafana=false
  mapfile -t services < <(compose "${files[@]}" config --services | grep -vx grafana)
  echo "Grafana left out: $GRAFANA_IMAGE is not present and cannot be pulled (no registry; there is no offline"
  echo "stand-in for it). Prometheus runs; deploy/compose/check-observability.sh checks the dashboard's queries."
}

service_images_present() {
  local module
  for module in user-service order-service gateway; do
    have_image "$IMAGE_PREFIX/$module:$IMAGE_TAG" || return 1
  done
}

# Fails early, with the port's name, instead of Docker's "port is already allocated" halfway through.
check_ports_free() {
  local name port busy=0
  while read -r name port; do
    [ -n "$name" ] || continue
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "Port $port ($name) is in use: stop what listens there, or choose another port (make up $name=PORT)." >&2
      busy=1
    fi
  done <<PORTS
GATEWAY_PORT $GATEWAY_PORT
GATEWAY_ADMIN_PORT $GATEWAY_ADMIN_PORT
CONSUL_PORT $CONSUL_PORT
$($observability && printf 'PROMETHEUS_PORT %s\n' "$PROMETHEUS_PORT")
$($grafana && printf 'GRAFANA_PORT %s\n' "$GRAFANA_PORT")
PORTS
  return $busy
}

# Prints "<service> <health>" for every container of the project; health is "running" without a healthcheck.
container_states() {
  local id
  for id in $(compose "${files[@]}" ps -q); do
    docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id"
  done
}

passing() {
  curl -fs "http://127.0.0.1:$CONSUL_PORT/v1/health/service/$1?passing" 2>/dev/null | grep -oE '"Service": *\{' | wc -l
}

# The Prometheus images have no common healthcheck (the official one has no bash, the stand-in no wget): ask it.
prometheus_ready() {
  $observability || return 0
  curl -fs -o /dev/null "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"
}

wait_until_healthy() {
  local deadline=$(( $(date +%s) + START_TIMEOUT )) states not_ready
  while :; do
    states=$(container_states)
    not_ready=$(awk '$2 != "healthy" && $2 != "running"' <<<"$states")
    if [ -n "$states" ] && [ -z "$not_ready" ] \
      && [ "$(passing user-service)" -ge 2 ] && [ "$(passing order-service)" -ge 2 ] && prometheus_ready; then
      return 0
    fi
    if grep -qE ' (unhealthy|exited|dead)$' <<<"$not_ready" || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "The stack did not become healthy:" >&2
      awk '{print "  " $0}' <<<"$states" >&2
      echo "Logs: make logs (or: $0 logs SERVICE)" >&2
      exit 1
    fi
    sleep 1
  done
}

print_urls() {
  local host=127.0.0.1
  [ "$BIND_ADDRESS" = 0.0.0.0 ] || host=$BIND_ADDRESS
  echo
  printf '  %-16s %s\n' \
    "WHAT" "URL" \
    "gateway" "http://$host:$GATEWAY_PORT   (/users, /orders)" \
    "gateway admin" "http://$host:$GATEWAY_ADMIN_PORT/admin/upstreams   (/admin/routes, /observe/health, /observe/metrics)" \
    "Consul UI" "http://$host:$CONSUL_PORT/ui/dc1/services"
  if $observability; then
    # The stand-in (Debian's package) has only the classic web UI, which lives under /classic/.
    local ui=
    [ "${PROMETHEUS_IMAGE:-}" != "$OFFLINE_PROMETHEUS_IMAGE" ] || ui=/classic
    printf '  %-16s %s\n' "Prometheus" "http://$host:$PROMETHEUS_PORT$ui/targets   (API: /api/v1/query)"
  fi
  if $grafana; then
    printf '  %-16s %s\n' "Grafana" "http://$host:$GRAFANA_PORT/d/refgateway-gateway   (anonymous viewer; admin/admin)"
  fi
  echo "  Instances (user-service-1/2:8081, order-service-1/2:8083) and PostgreSQL are reachable inside the"
  echo "  compose network only: through the gateway, or 'docker exec'. Logs: make logs   Stop: make down"
}

up() {
  ensure_engine
  service_images_present || {
    echo "Missing service images $IMAGE_PREFIX/{user-service,order-service,gateway}:$IMAGE_TAG: run 'make images'." >&2
    exit 1
  }
  choose_image CONSUL_IMAGE "$PUBLIC_CONSUL_IMAGE" "$OFFLINE_CONSUL_IMAGE"
  choose_image POSTGRES_IMAGE "$PUBLIC_POSTGRES_IMAGE" "$OFFLINE_POSTGRES_IMAGE"
  if $observability; then
    choose_image PROMETHEUS_IMAGE "$PUBLIC_PROMETHEUS_IMAGE" "$OFFLINE_PROMETHEUS_IMAGE"
    choose_grafana
  fi
  if [ -z "$(compose "${files[@]}" ps -q)" ]; then
    check_ports_free
  fi
  local started
  started=$(date +%s)
  # up -d itself waits for each service_healthy dependency before it starts the dependants.
  if ! compose "${files[@]}" up -d "${services[@]}"; then
    echo "compose up failed; containers now:" >&2
    container_states | sed 's/^/  /' >&2
    echo "Logs: make logs (or: $0 logs SERVICE)" >&2
    exit 1
  fi
  wait_until_healthy
  echo
  echo "The stack is up and healthy ($(( $(date +%s) - started )) s): project '$PROJECT'."
  print_urls
}

down() {
  if ! docker info >/dev/null 2>&1; then
    echo "No Docker engine answers: nothing to stop."
    return 0
  fi
  # Both files, so that the observability containers go too whatever OBSERVABILITY says now.
  compose -f "$HERE/docker-compose.yml" -f "$HERE/observability.yml" down -v --remove-orphans
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  logs) shift; compose "${files[@]}" logs -f --tail=200 "$@" ;;
  ps) compose "${files[@]}" ps ;;
  images-present) docker info >/dev/null 2>&1 && service_images_present ;;
  observability-images) observability_images ;;
  *) echo "usage: $0 up|down|logs [SERVICE]|ps|images-present|observability-images" >&2; exit 2 ;;
esac
