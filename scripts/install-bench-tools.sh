#!/usr/bin/env bash
# Installs what `make bench` needs besides Consul and a JDK: nginx (backends and the reference proxy), HAProxy
# (a peer) and wrk (the load generator), from Debian's archive, when they are missing. Idempotent: does nothing
# when all three exist.
#
# The benchmark runs its own nginx and HAProxy processes with their own configuration (nginx -p <run dir> -c <conf>,
# haproxy -f <conf>); the system services are never wanted. Debian's packages start and enable them on install, so
# a policy-rc.d that forbids service starts is in place while apt runs, and the services are disabled afterwards.
set -euo pipefail

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing: ${missing[*]}. Install nginx (1.18+), HAProxy (2.4+) and wrk (4.x, with LuaJIT) with your" \
       "package manager (e.g. brew install nginx haproxy wrk; dnf install nginx haproxy wrk) and put them on PATH." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing: ${missing[*]}. Re-run as root (sudo $0) or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "Installing ${missing[*]} from Debian's archive (their services are not started) ..." >&2
own_policy=false
if [ ! -e /usr/sbin/policy-rc.d ]; then
  # 101 = "action forbidden by policy": invoke-rc.d then starts no service during the installation.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  own_policy=true
fi
cleanup() { if $own_policy; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -y -qq "$@"; }
apt_get install --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  apt_get update >/dev/null
  apt_get install --no-install-recommends "${missing[@]}" >/dev/null
}

# Where systemd manages services, keep the system nginx and HAProxy from starting at the next boot (and stop them
# should anything have started them anyway).
for service in nginx haproxy; do
  if [[ " ${missing[*]} " == *" $service "* ]] && [ -d /run/systemd/system ]; then
    systemctl disable --now "$service" >/dev/null 2>&1 || true
  fi
done
/usr/sbin/nginx -v 2>&1 | head -n 1 >&2
/usr/sbin/haproxy -v 2>&1 | head -n 1 >&2
wrk --version 2>&1 | head -n 1 >&2 || true
