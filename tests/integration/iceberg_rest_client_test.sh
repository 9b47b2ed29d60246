#!/usr/bin/env bash
# The C++ REST catalog client (o2p_iceberg_rest_client_test) against tests/fakes/iceberg_catalog.py,
# once per way of authenticating: none (with a catalog prefix), SigV4 as AWS Glue signs (with the
# /iceberg base path), OAuth2 client credentials, and a bearer token; then four writers appending
# to one table while the catalog injects conflicts and unknown commit outcomes.
# Usage: iceberg_rest_client_test.sh <o2p_iceberg_rest_client_test> <source-dir>
set -euo pipefail
test_bin=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
# shellcheck source=tests/integration/catalog_lib.sh
source "$src/tests/integration/catalog_lib.sh"
trap 'catalog_stop; rm -rf "$work"' EXIT

run_mode() {
  local mode=$1 uri_suffix=$2
  shift 2
  local dir=$work/$mode${O2P_CATALOG_MODE:+-$O2P_CATALOG_MODE}
  catalog_start "$dir" "$@"
  O2P_CATALOG_URI="$CATALOG_URI$uri_suffix" O2P_CATALOG_AUTH=$mode \
    "$test_bin" --gtest_brief=1 --gtest_filter="${TEST_FILTER:-*}" >"$work/$mode.out" 2>&1 || {
    cat "$work/$mode.out" >&2
    tail -20 "$dir/catalog.log" >&2
    echo "iceberg_rest_client_test: FAIL ($mode)" >&2
    exit 1
  }
  grep -qE "PASSED.* [1-9][0-9]* test" "$work/$mode.out" || { cat "$work/$mode.out" >&2; exit 1; }
  echo "iceberg_rest_client_test: $mode${O2P_CATALOG_MODE:+ ($O2P_CATALOG_MODE)}: $(sed -n 's/.*PASSED *\] //p' "$work/$mode.out")," \
    "$(catalog_stats requests) requests, $(catalog_stats by_status.409) answered 409," \
    "$(catalog_stats unknown_after_commit) commits applied but answered 5xx"
  catalog_stop
}

export AWS_ACCESS_KEY_ID=catalogkey AWS_SECRET_ACCESS_KEY=catalog/secret AWS_EC2_METADATA_DISABLED=true
export O2P_CATALOG_SECRET O2P_CATALOG_MODE=
run_mode none "" --prefix "catalogs/o2p warehouse"
run_mode sigv4 /iceberg --base-path /iceberg --sigv4 glue:us-east-1 \
  --credentials "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"
O2P_CATALOG_SECRET=client:s3cr3t run_mode oauth2 "" --oauth2 client:s3cr3t
O2P_CATALOG_SECRET=tok-123 run_mode token "" --token tok-123
# Commits meet injected conflicts, 500s that did not apply, and 5xx answers to commits that did
# (CommitStateUnknown): four writers must still end with each commit exactly once.
O2P_CATALOG_MODE=faults TEST_FILTER='*Concurrency*' run_mode none "" --seed 3 \
  --faults '{"conflict409": 0.2, "error500": 0.05, "unknown_after_commit": 0.1, "only": ["commit"]}'

# The same client tests on the directory catalog (no server: metadata files and version-hint.text).
O2P_CATALOG_URI="dir:$work/dir-catalog" "$test_bin" --gtest_brief=1 >"$work/dir.out" 2>&1 || {
  cat "$work/dir.out" >&2
  echo "iceberg_rest_client_test: FAIL (dir)" >&2
  exit 1
}
grep -qE "PASSED.* [1-9][0-9]* test" "$work/dir.out" || { cat "$work/dir.out" >&2; exit 1; }
echo "iceberg_rest_client_test: dir: $(sed -n 's/.*PASSED *\] //p' "$work/dir.out"), $(ls "$work"/dir-catalog/otel/*/metadata/v*.metadata.json | wc -l) metadata versions"
echo "iceberg_rest_client_test: ok"
