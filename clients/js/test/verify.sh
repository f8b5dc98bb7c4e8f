#!/usr/bin/env bash
# `mvn verify` runs this (clients/js/pom.xml) once the server jar is built: installs the locked
# devDependencies when package-lock.json changed since the last install, then runs npm test.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then
    echo "[clients/js] node not found: CI needs Node.js 20 or later to test the JavaScript client" >&2
    exit 1
  fi
  echo "[clients/js] node not found: SKIPPING the JavaScript client's tests (install Node.js 20 or later to run them)"
  exit 0
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec npm test
