#!/usr/bin/env bash
# Prints the Debian archive this machine's apt already uses (`debian-mirror.sh security` for the security
# archive), so that the scripts adding a suite (bullseye for consul) or building a base image use the same mirror
# as the machine — whatever it is — instead of a hard-coded one. Exits 1 when apt names none.
set -euo pipefail
want=${1:-main}

uris() {
  {
    grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | sed 's/^URIs:[[:space:]]*//' | tr ' ' '\n'
    grep -hsE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
      sed -E 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/'
  } | grep -E '^https?://' | grep -v 'bullseye' || true
}

if [ "$want" = security ]; then
  uri=$(uris | grep -m1 -- '-security' || true)
else
  uri=$(uris | grep -v -- '-security' | grep -m1 '/debian/\?$' || true)
fi
if [ -z "$uri" ]; then
  echo "No Debian apt source ($want) is configured on this machine (see /etc/apt/sources.list*)." >&2
  exit 1
fi
echo "${uri%/}"
