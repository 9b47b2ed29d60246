#!/usr/bin/env bash
# The main job. Installs what is missing, builds what is out of date, then runs otlp2parquet.
#   ./run.sh                 start the OTLP server: HTTP on 0.0.0.0:4318, gRPC on 0.0.0.0:4317,
#                            Parquet files under ./data (Ctrl-C writes what is buffered, then stops)
#   ./run.sh <command> ...   run any otlp2parquet command, e.g. ./run.sh convert my-logs.pb
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

tools/setup.sh
[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
cmake --build --preset release >/dev/null

if [ "$#" -eq 0 ]; then
  set -- serve
fi
exec build/release/src/main/otlp2parquet "$@"
