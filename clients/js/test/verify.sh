#!/usr/bin/env bash
# `mvn verify` runs this (clients/js/pom.xml) once the server jar is built: puts the pinned Node.js
# and npm on PATH (test/node.sh installs them once), installs the locked devDependencies when
# package-lock.json changed since the last install, then runs npm test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${UC_SKIP_JS_TESTS:-false}" = true ]; then
  echo "[clients/js] SKIPPING the JavaScript client's tests: -DskipTests or -DskipITs was given"
  exit 0
fi
source test/node.sh
uc_use_node "$PWD"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec npm test
