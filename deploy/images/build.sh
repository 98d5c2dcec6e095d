#!/usr/bin/env bash
# Builds the service images from the Maven build output (no Maven inside an image):
#   ${IMAGE_PREFIX}/user-service:${IMAGE_TAG}, .../order-service:..., .../gateway:...
# Each build context is the module's target/ directory: the runnable jar and its libs/ (manifest Class-Path).
#
#   deploy/images/build.sh [MODULE ...]        default: user-service order-service gateway
#
# Variables: IMAGE_PREFIX (refgateway), IMAGE_TAG (dev), JAVA_BASE (eclipse-temurin:25-jre: the runtime image;
# Docker pulls it when it is not local -- offline, deploy/offline/build-images.sh makes a local one first).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IMAGE_PREFIX=${IMAGE_PREFIX:-refgateway}
IMAGE_TAG=${IMAGE_TAG:-dev}
JAVA_BASE=${JAVA_BASE:-eclipse-temurin:25-jre}
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(user-service order-service gateway)

if ! docker info >/dev/null 2>&1; then
  echo "No Docker engine answers. Start Docker (offline Debian machines: deploy/offline/docker-engine.sh)." >&2
  exit 1
fi

for module in "${modules[@]}"; do
  context=$ROOT/$module/target
  dockerfile=$ROOT/deploy/images/$module.Dockerfile
  [ -f "$dockerfile" ] || { echo "No image for '$module' (no $dockerfile)." >&2; exit 2; }
  if [ ! -f "$context/$module.jar" ] || [ ! -d "$context/libs" ]; then
    echo "$context/$module.jar or its libs/ is missing: run 'make build' first." >&2
    exit 1
  fi
  image=$IMAGE_PREFIX/$module:$IMAGE_TAG
  t0=$(date +%s)
  log=$(mktemp)
  if ! docker build --build-arg "JAVA_BASE=$JAVA_BASE" -f "$dockerfile" -t "$image" "$context" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "Building $image failed." >&2
    exit 1
  fi
  rm -f "$log"
  echo "  $image: built ($(( $(date +%s) - t0 ))s, $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%d MB", $1 / 1e6}'))"
done
