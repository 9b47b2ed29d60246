#!/usr/bin/env bash
# The main job. Installs what is missing, builds what is out of date, then runs otlp2parquet.
#   ./run.sh                 decode the bundled example requests (examples/) and print their rows
#   ./run.sh <command> ...   run any otlp2parquet command, e.g. ./run.sh inspect my-logs.pb
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

tools/setup.sh
[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
cmake --build --preset release >/dev/null

if [ "$#" -eq 0 ]; then
  set -- inspect examples/logs.json examples/traces.json examples/metrics.json
fi
exec build/release/src/main/otlp2parquet "$@"
