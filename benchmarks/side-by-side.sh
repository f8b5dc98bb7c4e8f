#!/usr/bin/env bash
# The side-by-side load generator: Undercurrent (the packaged server, embedded default) against the
# naive trigger + NOTIFY + ws peer on the same commits. See benchmarks/README.md.
#
#   benchmarks/side-by-side.sh [--no-build] [options]     (options: benchmarks/side-by-side.sh --help)
#
# Builds the server and the load generator first (skip with --no-build), installs the peer's
# packages once (npm ci), then runs the load generator from the project folder.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
if [[ "${1:-}" == "--no-build" ]]; then
  build=0
  shift
fi
if [[ $build == 1 || ! -f server/target/undercurrent.jar || ! -f benchmarks/target/undercurrent-bench.jar ]]; then
  mvn -B -q -DskipTests -pl server,benchmarks -am package
fi
if [[ ! -d benchmarks/naive-peer/node_modules ]]; then
  (cd benchmarks/naive-peer && npm ci --no-audit --no-fund --silent)
fi
exec java -jar benchmarks/target/undercurrent-bench.jar "$@"
