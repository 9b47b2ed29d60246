#!/usr/bin/env bash
# End-to-end test of `otlp2parquet convert`: exit statuses, messages, the partition layout,
# compressed inputs, and that DuckDB reads what was written.
# Usage: convert_cli_test.sh <otlp2parquet binary> <repo root>
set -euo pipefail
bin=$1
root=$2
query() { node "$root/tests/js/duckdb_query.mjs" "$1"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_status() {  # expect_status WANT CMD...
  local want=$1; shift
  set +e; "$@" >"$work/out" 2>"$work/err"; local got=$?; set -e
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want; stderr: $(cat "$work/err")"
}

# 1. The bundled examples: one file per table, in the documented layout.
expect_status 0 "$bin" convert -o "$work/out1" "$root/examples"
count=$(find "$work/out1" -name '*.parquet' | wc -l)
[ "$count" -eq 7 ] || fail "examples gave $count files, expected 7"
find "$work/out1" -name '*.parquet' | grep -Eq \
  '/logs/service_name=checkout/year=2024/month=11/day=25/hour=13/1732540800123456000-[0-9a-f]{32}\.parquet$' ||
  fail "logs file not at the documented path: $(find "$work/out1" -name '*.parquet')"
find "$work/out1" -name '*.tmp-*' | grep -q . && fail "temporary files left behind"
rows=$(query "SELECT count(*) AS n FROM read_parquet('$work/out1/traces/**/*.parquet')")
[ "$rows" = '[{"n":"2"}]' ] || fail "DuckDB counted $rows traces"
grep -q "logs .* 2 records" "$work/out" || fail "summary lacks the logs count: $(cat "$work/out")"

# 2. Compressed inputs, --signal for a name that says nothing, and codecs.
gzip -c "$root/examples/logs.json" >"$work/mystery.json.gz"
expect_status 0 "$bin" convert -q --signal logs --compression snappy -o "$work/out2" "$work/mystery.json.gz"
codec=$(query "SELECT DISTINCT compression FROM parquet_metadata('$work/out2/logs/**/*.parquet')")
[ "$codec" = '[{"compression":"SNAPPY"}]' ] || fail "snappy output reports $codec"
if command -v zstd >/dev/null; then
  zstd -q -c "$root/examples/traces.json" >"$work/t.json.zst"
  expect_status 0 "$bin" convert -q -o "$work/out3" "$work/t.json.zst"
fi

# 3. A bad input among good ones: exit 1, the bad one named with its reason, the rest written.
printf '{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": "x"}]}]}]}' >"$work/bad-logs.json"
expect_status 1 "$bin" convert -o "$work/out4" "$root/examples/metrics.json" "$work/bad-logs.json"
grep -q "bad-logs.json" "$work/err" || fail "rejected input not named: $(cat "$work/err")"
grep -q "timeUnixNano" "$work/err" || fail "reason lacks the JSON path: $(cat "$work/err")"
[ -d "$work/out4/logs" ] && fail "something was written for the rejected input"
[ -d "$work/out4/metrics_gauge" ] || fail "the good input was not written"

# 4. Unknown signal, usage errors, help.
printf '{"something": []}' >"$work/dump.json"
expect_status 1 "$bin" convert -o "$work/out5" "$work/dump.json"
grep -q "cannot tell the signal" "$work/err" || fail "no signal message: $(cat "$work/err")"
expect_status 2 "$bin" convert --bogus "$root/examples"
expect_status 2 "$bin" convert --compression brotli "$root/examples"
expect_status 2 "$bin" convert
expect_status 2 "$bin" convert "$work/does-not-exist.pb"
expect_status 0 "$bin" convert --help
grep -q -- "--compression-level" "$work/out" || fail "--help does not document --compression-level"

# 5. Hostile service names stay inside the root; rows of two hours go to two files.
cat >"$work/evil-logs.json" <<'JSON'
{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"../../evil"}}]},
 "scopeLogs":[{"logRecords":[{"timeUnixNano":"1732540800000000000"},{"timeUnixNano":"1732544400000000000"}]}]}]}
JSON
expect_status 0 "$bin" convert -q -o "$work/out6" "$work/evil-logs.json"
[ -e "$work/evil" ] && fail "a service name escaped the output root"
n=$(find "$work/out6/logs/service_name=..%2F..%2Fevil" -name '*.parquet' | wc -l)
[ "$n" -eq 2 ] || fail "expected 2 hourly files under the escaped service, found $n"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "convert CLI: all checks passed"
