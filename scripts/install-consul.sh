#!/usr/bin/env bash
# Installs a real Consul agent when none is on PATH.
#
# Consul is not packaged in Debian 12; Debian 11 ("bullseye") ships the real Consul 1.8.7. On a Debian machine
# this script adds bullseye as a low-priority apt source (so nothing else is ever taken from it) and installs
# consul from there. Anywhere else it explains what to install. Idempotent: does nothing when consul exists.
set -euo pipefail

if command -v consul >/dev/null 2>&1; then
  exit 0
fi

if [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "consul is not installed. Install Consul >= 1.8 (https://developer.hashicorp.com/consul/install) and put it on PATH." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "consul is not installed. Re-run as root (sudo $0) or install Consul >= 1.8 yourself." >&2
  exit 1
fi

echo "Installing consul from Debian 11 (bullseye), pinned low ..." >&2
mirror=$("$(dirname "$0")/debian-mirror.sh")
cat > /etc/apt/sources.list.d/bullseye.sources <<SRC
Types: deb
URIs: $mirror
Suites: bullseye
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
cat > /etc/apt/preferences.d/bullseye-pin <<'PIN'
Package: *
Pin: release n=bullseye
Pin-Priority: 100
PIN
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq consul/bullseye >/dev/null
consul version | head -n 1 >&2
