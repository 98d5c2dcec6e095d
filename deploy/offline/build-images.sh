#!/usr/bin/env bash
# Prepares every image the stack needs on a machine that cannot reach any container registry (an air-gapped or
# offline CI machine like ours), using only Debian's package archive and the host's JDK:
#
#   1. a Docker engine (deploy/offline/docker-engine.sh: installs docker.io and starts dockerd when none answers)
#   2. $OFFLINE_BASE_IMAGE   Debian bookworm, debootstrap --variant=minbase, imported with `docker import`
#   3. $JAVA_BASE            a jlink'ed runtime from the host's JDK on that base, tagged eclipse-temurin:25-jre
#                            (and $OFFLINE_JRE_IMAGE), so the portable service Dockerfiles build unchanged
#   4. $OFFLINE_CONSUL_IMAGE  the real Consul 1.8.7 binary from Debian 11's package (stand-in for hashicorp/consul)
#   5. $OFFLINE_POSTGRES_IMAGE  Debian's PostgreSQL 15 with a small entrypoint (stand-in for postgres)
#   6. the three service images (deploy/images/build.sh; needs the jars: `make build`)
#   with --observability, before 6:
#      $OFFLINE_PROMETHEUS_IMAGE  Debian 11's Prometheus 2.24.1 (stand-in for prom/prometheus, for the
#                                 observability overlay; not built otherwise, so `make images` stays quick)
#
# Idempotent: an image that exists is kept (a second run takes seconds, spent on step 6, which Docker's layer
# cache makes cheap). Options: --force rebuilds 2-5 (and the Prometheus image) anyway; --base-only stops before
# step 6; --observability adds the Prometheus stand-in (`OBSERVABILITY=1 make up` asks for it offline).
# Grafana has no stand-in: there is no Debian package of it (deploy/README.md, "Observability overlay").
# Nothing here is needed where registries are reachable: there `make images` pulls eclipse-temurin:25-jre and
# compose pulls hashicorp/consul, postgres, prom/prometheus and grafana/grafana.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/deploy/offline
WORK=${OFFLINE_WORK_DIR:-/var/tmp/refgateway-offline}
# The Debian archives this machine's apt already uses (scripts/debian-mirror.sh), unless given.
DEBIAN_MIRROR=${DEBIAN_MIRROR:-$("$ROOT/scripts/debian-mirror.sh")}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-$("$ROOT/scripts/debian-mirror.sh" security)}
OFFLINE_BASE_IMAGE=${OFFLINE_BASE_IMAGE:-refgateway-offline/debian:bookworm-minbase}
OFFLINE_JRE_IMAGE=${OFFLINE_JRE_IMAGE:-refgateway-offline/jre:25}
OFFLINE_CONSUL_IMAGE=${OFFLINE_CONSUL_IMAGE:-refgateway-offline/consul:1.8.7}
OFFLINE_POSTGRES_IMAGE=${OFFLINE_POSTGRES_IMAGE:-refgateway-offline/postgres:15}
OFFLINE_PROMETHEUS_IMAGE=${OFFLINE_PROMETHEUS_IMAGE:-refgateway-offline/prometheus:2.24.1}
JAVA_BASE=${JAVA_BASE:-eclipse-temurin:25-jre}
# What a server JRE carries, less the desktop, compiler and tooling modules: ~80 MB instead of ~180 MB.
JRE_MODULES=${JRE_MODULES:-java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.charsets,jdk.zipfs,jdk.net,jdk.naming.dns,jdk.httpserver,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.jfr,jdk.security.auth,jdk.security.jgss}

force=false
base_only=false
observability=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    --base-only) base_only=true ;;
    --observability) observability=true ;;
    *) echo "usage: $0 [--force] [--base-only] [--observability]" >&2; exit 2 ;;
  esac
done

have_image() {
  docker image inspect "$1" >/dev/null 2>&1
}

# skip IMAGE: true when IMAGE exists and --force was not given.
skip() {
  if ! $force && have_image "$1"; then
    echo "  $1: present, kept"
    return 0
  fi
  return 1
}

# Runs a step quietly; its output goes to $WORK/logs/NAME.log and is shown when it fails.
quiet() {
  local name=$1
  shift
  mkdir -p "$WORK/logs"
  if ! "$@" >"$WORK/logs/$name.log" 2>&1; then
    echo "  $name failed; last lines of $WORK/logs/$name.log:" >&2
    tail -n 30 "$WORK/logs/$name.log" >&2
    exit 1
  fi
}

elapsed() {
  echo "$(( $(date +%s) - $1 ))s"
}

base_image() {
  skip "$OFFLINE_BASE_IMAGE" && return 0
  local t0 rootfs=$WORK/rootfs
  t0=$(date +%s)
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "  installing debootstrap ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  quiet debootstrap debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR"
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR bookworm main
deb $DEBIAN_MIRROR bookworm-updates main
deb $DEBIAN_SECURITY_MIRROR bookworm-security main
SOURCES
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    --message "debootstrap --variant=minbase bookworm (refgateway offline base)" \
    - "$OFFLINE_BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  echo "  $OFFLINE_BASE_IMAGE: built ($(elapsed "$t0"))"
}

jre_image() {
  skip "$JAVA_BASE" && return 0
  local t0 jdk context=$WORK/jre-context
  t0=$(date +%s)
  jdk=${JLINK_JDK:-$("$ROOT/scripts/select-jdk.sh")}
  rm -rf "$context"
  mkdir -p "$context"
  quiet jlink "$jdk/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --generate-cds-archive --output "$context/jre"
  quiet jre-image docker build --build-arg "BASE_IMAGE=$OFFLINE_BASE_IMAGE" \
    -t "$OFFLINE_JRE_IMAGE" -t "$JAVA_BASE" -f "$HERE/jre/Dockerfile" "$context"
  rm -rf "$context"
  echo "  $JAVA_BASE (= $OFFLINE_JRE_IMAGE, jlink of $("$jdk/bin/java" -version 2>&1 | head -n 1)): built ($(elapsed "$t0"))"
}

# docker_image IMAGE DIR: builds DIR/Dockerfile on the base image.
docker_image() {
  local image=$1 dir=$2 t0
  skip "$image" && return 0
  t0=$(date +%s)
  quiet "$(basename "$dir")-image" docker build --build-arg "BASE_IMAGE=$OFFLINE_BASE_IMAGE" -t "$image" "$dir"
  # A multi-stage build leaves its download stage behind as an untagged image (~350 MB): drop it.
  docker image prune -f --filter label=refgateway-offline-stage=download >/dev/null
  echo "  $image: built ($(elapsed "$t0"))"
}

started=$(date +%s)
"$HERE/docker-engine.sh" start
echo "Offline images (work dir $WORK):"
base_image
jre_image
docker_image "$OFFLINE_CONSUL_IMAGE" "$HERE/consul"
docker_image "$OFFLINE_POSTGRES_IMAGE" "$HERE/postgres"
! $observability || docker_image "$OFFLINE_PROMETHEUS_IMAGE" "$HERE/prometheus"
$base_only || JAVA_BASE=$JAVA_BASE "$ROOT/deploy/images/build.sh"
echo "Offline image preparation done in $(elapsed "$started")."
