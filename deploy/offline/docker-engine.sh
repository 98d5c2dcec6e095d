#!/usr/bin/env bash
# Makes sure a Docker engine answers, on a machine that may have only the docker CLI (an offline CI machine).
#
#   deploy/offline/docker-engine.sh [start]   engine answering already: nothing to do. Else, as root on Debian:
#                                             install docker.io (and docker-compose when no compose is there),
#                                             start dockerd in the background and wait until it answers.
#   deploy/offline/docker-engine.sh stop      stop the dockerd this script started (by its PID file)
#   deploy/offline/docker-engine.sh status
#
# dockerd's PID file: /var/run/docker.pid (its own default), its log: /var/log/dockerd.log (DOCKERD_LOG).
# Elsewhere (a laptop with Docker Desktop, a CI runner with Docker) the engine is there already and this script
# does nothing; when it is not and this is not a Debian root shell, it says what to do instead.
set -euo pipefail

PID_FILE=/var/run/docker.pid
LOG=${DOCKERD_LOG:-/var/log/dockerd.log}
WAIT_SECONDS=${DOCKERD_WAIT_SECONDS:-60}

engine_answers() {
  docker info >/dev/null 2>&1
}

compose_available() {
  docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1
}

install_packages() {
  local packages=()
  command -v dockerd >/dev/null 2>&1 || packages+=(docker.io)
  compose_available || packages+=(docker-compose)
  [ ${#packages[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "No Docker engine answers and ${packages[*]} cannot be installed here (needs root on Debian/Ubuntu)." >&2
    echo "Install Docker (https://docs.docker.com/engine/install/) and start it, then run this again." >&2
    exit 1
  fi
  echo "Installing ${packages[*]} from Debian ..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
}

start() {
  if engine_answers; then
    compose_available || install_packages
    return 0
  fi
  install_packages
  if [ -s "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "dockerd runs (pid $(cat "$PID_FILE")) but does not answer yet; waiting ..." >&2
  else
    echo "Starting dockerd (log: $LOG, pid file: $PID_FILE) ..." >&2
    # setsid: the engine outlives the make or CI step that started it; stop it with '$0 stop'.
    setsid dockerd --pidfile "$PID_FILE" >>"$LOG" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 $((WAIT_SECONDS * 10))); do
    engine_answers && { echo "Docker engine is up: $(docker version -f '{{.Server.Version}}' 2>/dev/null)" >&2; return 0; }
    sleep 0.1
  done
  echo "dockerd did not answer within ${WAIT_SECONDS}s; see $LOG" >&2
  exit 1
}

stop() {
  if [ ! -s "$PID_FILE" ] || ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "No dockerd running from $PID_FILE." >&2
    return 0
  fi
  local pid
  pid=$(cat "$PID_FILE")
  echo "Stopping dockerd (pid $pid) ..." >&2
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "dockerd (pid $pid) still runs after 30s; see $LOG" >&2
  exit 1
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status)
    if engine_answers; then echo "Docker engine answers: $(docker version -f '{{.Server.Version}}')"; else echo "No Docker engine answers."; exit 1; fi ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
