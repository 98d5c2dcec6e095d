#!/usr/bin/env bash
# Installs redis-server when none is on PATH: the gateway's shared rate-limit tests (GatewayRateLimitIT) start a real
# one on a free port. Debian ships it as the package redis-server; anywhere else this script says what to install.
# Idempotent: does nothing when redis-server exists. The package's own service is stopped and disabled again (the
# tests start their own servers; nothing should hold port 6379 behind the developer's back).
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

if [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "redis-server is not installed. Install Redis >= 6 (https://redis.io/docs/latest/operate/oss_and_stack/install/) and put redis-server on PATH." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "redis-server is not installed. Re-run as root (sudo $0) or install it yourself (apt-get install redis-server)." >&2
  exit 1
fi

echo "Installing redis-server from Debian ..." >&2
apt-get update -qq
# policy-rc.d answering 101 keeps the package from starting its service where there is no init system to stop it.
had_policy=0
if [ -e /usr/sbin/policy-rc.d ]; then
  had_policy=1
else
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
if [ "$had_policy" -eq 0 ]; then
  rm -f /usr/sbin/policy-rc.d
fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
redis-server --version >&2
