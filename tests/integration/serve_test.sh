#!/usr/bin/env bash
# `otlp2parquet serve` end to end, on loopback with ephemeral ports:
#  1. protocol rules over HTTP (tests/js/serve_protocol.js) and real OpenTelemetry JS exporters
#     over http/protobuf, http/json and gRPC (tests/js/serve_clients.js);
#  2. SIGTERM with every row still buffered (batch age 10 min): the server exits 0, every
#     acknowledged record is in a file that DuckDB reads back, no temporary file is left;
#  3. a bearer token; 4. storage that cannot be written: 503 + Retry-After, /ready 503, and a
#     bounded shutdown; 5. invalid settings stop start-up with the key's name.
# Usage: serve_test.sh <otlp2parquet> <source-dir>
set -euo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
js="$src/tests/js"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "serve_test: FAIL: $*" >&2
  for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -20 "$log" >&2; }; done
  exit 1
}

# shellcheck source=tests/integration/serve_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/serve_lib.sh"

# start_server NAME ARGS... : log in $work/NAME.log; sets HTTP, GRPC and PID.
start_server() {
  local name=$1
  shift
  o2p_start_server "$work/$name.log" --listen 127.0.0.1:0 --grpc-listen 127.0.0.1:0 "$@"
  PID=$SERVER_PID
  pids+=("$PID")
}

# stop_server EXPECTED_STATUS : SIGTERM, then the exit status must match within 30 s.
stop_server() {
  local expected=$1 status=0
  kill -TERM "$PID"
  for _ in $(seq 300); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$PID" 2>/dev/null && fail "the server did not stop within 30 s of SIGTERM"
  wait "$PID" || status=$?
  [ "$status" = "$expected" ] || fail "the server exited with $status, expected $expected"
}

query() { node "$js/duckdb_query.mjs" "$1"; }

# 1 + 2: protocol, real clients, SIGTERM with buffered rows.
data="$work/data"
start_server open --output "$data" --batch-max-age 600
accepted=$(node "$js/serve_protocol.js" "http://$HTTP" open | sed -n 's/^accepted=//p') ||
  fail "protocol checks"
node "$js/serve_clients.js" send "http://$HTTP" "http://$GRPC" "$work/expect.json" ||
  fail "real OpenTelemetry exporters"
[ -z "$(find "$data" -name '*.parquet' 2>/dev/null)" ] ||
  fail "files were written before SIGTERM although the batch age is 10 minutes"
stop_server 0
grep -q '"stopped; every buffered row was written"' "$work/open.log" || fail "no clean-stop log line"
[ -z "$(find "$data" -name '.*')" ] || fail "temporary files left: $(find "$data" -name '.*')"
node "$js/serve_clients.js" verify "$data" "$work/expect.json" || fail "DuckDB read-back"
rows=$(query "SELECT count(*) AS n FROM read_parquet('$data/logs/**/*.parquet', hive_partitioning=false)
              WHERE ServiceName = 'o2p-protocol'" | sed -nE 's/.*"n":"?([0-9]+)"?.*/\1/p')
[ "$rows" = "$accepted" ] || fail "protocol logs: $rows rows in files, $accepted acknowledged"
echo "serve_test: protocol + real clients + SIGTERM flush ok ($accepted protocol records)"

# 3: bearer token.
export OTLP2PARQUET_AUTH_TOKEN=s3cret
start_server token --output "$work/token-data" --log-level debug
unset OTLP2PARQUET_AUTH_TOKEN
node "$js/serve_protocol.js" "http://$HTTP" token >/dev/null || fail "bearer token checks"
grep -q s3cret "$work/token.log" && fail "the token appears in the log"
stop_server 0
echo "serve_test: bearer token ok"

# 4: storage that cannot be written -> 503 + Retry-After, /ready 503, bounded shutdown.
touch "$work/not-a-directory"
start_server overload --output "$work/not-a-directory/data" --wal-dir "$work/overload.wal" \
  --max-buffered-bytes 1MiB \
  --batch-max-bytes 512KiB --batch-max-age 600
node "$js/serve_protocol.js" "http://$HTTP" overload >/dev/null || fail "overload checks"
stop_server 1
grep -q '"stopped with rows that could not be written"' "$work/overload.log" ||
  fail "no report of the rows that could not be written"
echo "serve_test: overload and storage failure ok"

# 5: invalid settings stop start-up, naming the key and the accepted values.
status=0
OTLP2PARQUET_BATCH_MAX_AGE_SECS=soon "$bin" serve --output "$work/x" >"$work/bad.log" 2>&1 || status=$?
[ "$status" = 2 ] || fail "invalid OTLP2PARQUET_BATCH_MAX_AGE_SECS: exit $status, expected 2"
grep -q OTLP2PARQUET_BATCH_MAX_AGE_SECS "$work/bad.log" || fail "the error does not name the variable"
status=0
"$bin" serve --listen 127.0.0.1:99999 >"$work/bad.log" 2>&1 || status=$?
[ "$status" = 2 ] && grep -q -- "--listen\|server.listen" "$work/bad.log" || fail "invalid --listen"
echo "serve_test: ok"
