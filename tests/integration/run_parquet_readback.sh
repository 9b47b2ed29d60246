#!/usr/bin/env bash
# Writes Parquet files of every table with every codec, reads them back with DuckDB and
# hyparquet, and checks that the readers saw exactly what was written
# (tests/integration/parquet_readback_test.cc describes the cases and the checks).
#
# Usage: run_parquet_readback.sh <path of o2p_parquet_readback_test> [gtest flags...]
# Needs node and tests/js/node_modules (tools/setup.sh runs `npm ci` there). The files are
# deleted on success and kept (their directory printed) on failure.
set -euo pipefail

if [ "$#" -lt 1 ]; then
  echo "usage: $0 <o2p_parquet_readback_test> [gtest flags...]" >&2
  exit 2
fi
test_binary=$1
shift

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
js_dir="$root/tests/js"

if ! command -v node >/dev/null; then
  echo "run_parquet_readback: node not found (tools/setup.sh installs it)" >&2
  exit 1
fi
for module in @duckdb/node-api hyparquet hyparquet-compressors; do
  if [ ! -d "$js_dir/node_modules/$module" ]; then
    echo "run_parquet_readback: $js_dir/node_modules/$module is missing; run tools/setup.sh" \
      "(or: cd tests/js && npm ci)" >&2
    exit 1
  fi
done

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/o2p-parquet-readback.XXXXXX")
keep_on_failure() {
  local status=$?
  if [ "$status" -eq 0 ]; then
    rm -rf "$work_dir"
  else
    echo "run_parquet_readback: files kept in $work_dir" >&2
  fi
}
trap keep_on_failure EXIT

export O2P_READBACK_DIR="$work_dir"

# 1. Write the files (and the expected cells, *.expected.json, for reading by hand).
"$test_binary" --gtest_brief=1 --gtest_filter='*WriteFiles*' "$@"

# 2. One node process reads every file with both readers.
shopt -s nullglob
files=("$work_dir"/*.parquet)
if [ "${#files[@]}" -eq 0 ]; then
  echo "run_parquet_readback: no Parquet file was written" >&2
  exit 1
fi
node "$js_dir/read_parquet.mjs" "${files[@]}" >"$work_dir/readers.json"

# 3. Compare what the readers saw with what was written.
"$test_binary" --gtest_brief=1 --gtest_filter='*ReadBack*' "$@"
