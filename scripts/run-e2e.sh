#!/usr/bin/env bash
# `make e2e`: the end-to-end suite (module e2e-tests, Maven profile e2e) against the stack's container images.
#
#   1. a Docker engine (deploy/offline/docker-engine.sh starts one where only the CLI is installed);
#   2. the images: the service images $IMAGE_PREFIX/<module>:$IMAGE_TAG (make e2e builds them first when missing);
#      Consul and PostgreSQL from CONSUL_IMAGE / POSTGRES_IMAGE when set, else the public images -- or, where no
#      registry answers, the offline stand-ins of deploy/offline/ (built when missing), with the Testcontainers
#      settings such a machine needs (deploy/offline/testcontainers-env.sh);
#   3. mvn -Pe2e verify -pl e2e-tests, the image names passed as -D properties;
#   4. whatever happened: removes the containers and networks of this run (labels org.testcontainers=true and
#      dev.refgateway.e2e.run=<this run>), in case the test JVM died before its own clean-up.
#
# Variables: IMAGE_PREFIX (refgateway), IMAGE_TAG (dev), CONSUL_IMAGE, POSTGRES_IMAGE, E2E_OFFLINE (true|false:
# skip the registry probe), MVN (mvn -B), E2E_MAVEN_ARGS
# (more Maven arguments, e.g. -Dit.test=ClientJourneyIT). Container logs of failed tests:
# e2e-tests/target/container-logs/<TestClass>/<test>/; test output: e2e-tests/target/failsafe-reports/.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE_PREFIX=${IMAGE_PREFIX:-refgateway}
IMAGE_TAG=${IMAGE_TAG:-dev}
MVN=${MVN:-mvn -B}
# The public defaults (as in deploy/compose/docker-compose.yml) and the offline stand-ins (deploy/offline/).
PUBLIC_CONSUL_IMAGE=hashicorp/consul:1.20
PUBLIC_POSTGRES_IMAGE=postgres:17
OFFLINE_CONSUL_IMAGE=${OFFLINE_CONSUL_IMAGE:-refgateway-offline/consul:1.8.7}
OFFLINE_POSTGRES_IMAGE=${OFFLINE_POSTGRES_IMAGE:-refgateway-offline/postgres:15}
RUN_ID=${E2E_RUN_ID:-$(date +%Y%m%d%H%M%S)-$$}
RUN_LABEL=dev.refgateway.e2e.run

have_image() {
  docker image inspect "$1" >/dev/null 2>&1
}

# Removes what this run created; containers first (a network in use cannot go).
cleanup() {
  local containers networks
  containers=$(docker ps -aq --filter label=org.testcontainers=true --filter "label=$RUN_LABEL=$RUN_ID" 2>/dev/null || true)
  if [ -n "$containers" ]; then
    echo "Removing $(wc -w <<<"$containers") leftover container(s) of run $RUN_ID"
    docker rm -f -v $containers >/dev/null || true
  fi
  networks=$(docker network ls -q --filter label=org.testcontainers=true --filter "label=$RUN_LABEL=$RUN_ID" 2>/dev/null || true)
  if [ -n "$networks" ]; then
    echo "Removing $(wc -w <<<"$networks") leftover network(s) of run $RUN_ID"
    docker network rm $networks >/dev/null || true
  fi
}

deploy/offline/docker-engine.sh start

for module in gateway user-service order-service; do
  image=$IMAGE_PREFIX/$module:$IMAGE_TAG
  have_image "$image" || {
    echo "Image $image is missing: run 'make images' (make e2e does)." >&2
    exit 1
  }
  # make e2e builds images only when they are missing: say so when they may not hold the current code.
  jar=$module/target/$module.jar
  if [ -f "$jar" ] && [ "$(stat -c %Y "$jar")" -gt "$(date -d "$(docker image inspect -f '{{.Created}}' "$image")" +%s)" ]; then
    echo "Note: $image is older than $jar; 'make images' rebuilds it (this run tests the image as it is)." >&2
  fi
done

# A registry answers when the Consul image can be pulled (Testcontainers would pull it anyway). E2E_OFFLINE=true or
# false skips the probe.
if [ -n "${E2E_OFFLINE:-}" ]; then
  offline=$E2E_OFFLINE
elif docker pull -q "${CONSUL_IMAGE:-$PUBLIC_CONSUL_IMAGE}" >/dev/null 2>&1; then
  offline=false
else
  offline=true
fi

if $offline; then
  echo "No registry answers: offline stand-ins and deploy/offline/testcontainers-env.sh"
  # shellcheck source=../deploy/offline/testcontainers-env.sh
  . deploy/offline/testcontainers-env.sh
  CONSUL_IMAGE=${CONSUL_IMAGE:-$OFFLINE_CONSUL_IMAGE}
  POSTGRES_IMAGE=${POSTGRES_IMAGE:-$OFFLINE_POSTGRES_IMAGE}
  if ! have_image "$CONSUL_IMAGE" || ! have_image "$POSTGRES_IMAGE"; then
    deploy/offline/build-images.sh --base-only
  fi
else
  CONSUL_IMAGE=${CONSUL_IMAGE:-$PUBLIC_CONSUL_IMAGE}
  POSTGRES_IMAGE=${POSTGRES_IMAGE:-$PUBLIC_POSTGRES_IMAGE}
fi

echo "e2e run $RUN_ID: gateway $IMAGE_PREFIX/gateway:$IMAGE_TAG, user-service $IMAGE_PREFIX/user-service:$IMAGE_TAG," \
  "order-service $IMAGE_PREFIX/order-service:$IMAGE_TAG, consul $CONSUL_IMAGE, postgres $POSTGRES_IMAGE"
trap cleanup EXIT
started=$(date +%s)
status=0
# shellcheck disable=SC2086  # MVN and E2E_MAVEN_ARGS are word lists
$MVN -Pe2e verify -pl e2e-tests \
  "-De2e.image.gateway=$IMAGE_PREFIX/gateway:$IMAGE_TAG" \
  "-De2e.image.user-service=$IMAGE_PREFIX/user-service:$IMAGE_TAG" \
  "-De2e.image.order-service=$IMAGE_PREFIX/order-service:$IMAGE_TAG" \
  "-De2e.consul.image=$CONSUL_IMAGE" \
  "-De2e.postgres.image=$POSTGRES_IMAGE" \
  "-De2e.run-id=$RUN_ID" \
  ${E2E_MAVEN_ARGS:-} || status=$?
echo "e2e: $( [ $status -eq 0 ] && echo passed || echo FAILED ) in $(( $(date +%s) - started )) s" \
  "(reports: e2e-tests/target/failsafe-reports; logs of failed tests: e2e-tests/target/container-logs)"
exit $status
