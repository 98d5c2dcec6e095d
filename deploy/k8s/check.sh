#!/usr/bin/env bash
# Validates the Kubernetes manifests offline (no cluster, no kubectl, no downloads beyond the npm registry):
# YAML syntax, the Kubernetes JSON schemas (npm kubernetes-models), unknown fields (the field lists of
# @kubernetes/client-node), cross-references (selectors, ports, ConfigMap/Secret keys, Ingress backends), the
# kustomization listing every file, and that the PostgreSQL init script embedded in postgres.yaml is the
# compose one (check/validate.mjs says more). Then a self-test breaks copies of the manifests on purpose and
# expects each check to notice.
#   deploy/k8s/check.sh          needs node >= 20 and npm; the packages (pinned in check/package-lock.json)
#                                are installed into check/node_modules on the first run (~15 s), then reused.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CHECK=$HERE/check

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "deploy/k8s/check.sh needs Node.js 20+ and npm (Debian: apt-get install nodejs npm)." >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
if ! cmp -s "$CHECK/package-lock.json" "$CHECK/node_modules/.refgateway-installed-lock" 2>/dev/null; then
  (cd "$CHECK" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$CHECK/package-lock.json" "$CHECK/node_modules/.refgateway-installed-lock"
fi

cd "$CHECK"
node validate.mjs "$HERE"
node validate.mjs --self-test "$HERE"
