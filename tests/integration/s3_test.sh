#!/usr/bin/env bash
# The S3 store against moto_server, through tests/fakes/s3_proxy.py, which verifies the SigV4
# signature of every request (moto does not) and injects faults.
#   1. The ObjectStore conformance suite (o2p_storage_test, S3 instance) against moto through
#      the verifying proxy: every request must be signed correctly.
#   2. `serve` in S3 mode: the OpenTelemetry JS exporters send logs, traces and metrics over
#      HTTP and gRPC; after SIGTERM the objects are downloaded from moto and DuckDB must find
#      every record (tests/js/serve_clients.js verify).
#   3. Faults: S3 is down completely for a while, then answers with 500s, 503 SlowDown, dropped
#      connections (before and after the upload reached moto) and stalls, while a client keeps
#      sending; with the write-ahead log every request is still acknowledged, and in the end
#      every acknowledged record is in S3 exactly once.
#
# Usage: s3_test.sh <otlp2parquet> <o2p_storage_test> <source-dir>    (KEEP=1 keeps the work dir)
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 <otlp2parquet> <o2p_storage_test> <source-dir>" >&2
  exit 2
fi
bin=$(realpath "$1")
storage_test=$(realpath "$2")
src=$(realpath "$3")
js="$src/tests/js"
client="$js/wal_crash_client.js"
work=$(mktemp -d)
SERVER_PID=
CLIENT_PID=
READY_PID=

# shellcheck source=tests/integration/moto_lib.sh
source "$src/tests/integration/moto_lib.sh"
# shellcheck source=tests/integration/serve_lib.sh
source "$src/tests/integration/serve_lib.sh"

cleanup() {
  local pid
  for pid in "$CLIENT_PID" "$READY_PID" "$SERVER_PID"; do
    if [ -n "$pid" ]; then
      { kill -KILL "$pid" && wait "$pid"; } 2>/dev/null || true
    fi
  done
  s3proxy_stop
  moto_stop
  if [ -n "${KEEP:-}" ]; then echo "s3_test: work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() {
  echo "s3_test: FAIL: $*" >&2
  local log
  for log in "$work"/*.log; do
    [ -f "$log" ] && { echo "--- tail of $log" >&2; tail -15 "$log" >&2; }
  done
  exit 1
}

# Credentials for the server and the proxy's verifier; the server finds them in the environment.
export AWS_ACCESS_KEY_ID=o2pkey AWS_SECRET_ACCESS_KEY=o2psecret/with+chars
unset AWS_SESSION_TOKEN AWS_PROFILE
export AWS_EC2_METADATA_DISABLED=true

moto_start "$work"
moto_make_bucket o2p-test
s3proxy_start "$work" --verify-sigv4 --credentials "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" --seed 7
echo "s3_test: moto at $MOTO_ENDPOINT, verifying proxy at $S3PROXY_ENDPOINT"

# 1. Conformance through the verifying proxy.
O2P_TEST_S3_ENDPOINT=$S3PROXY_ENDPOINT O2P_TEST_S3_BUCKET=o2p-test \
  O2P_TEST_S3_ACCESS_KEY=$AWS_ACCESS_KEY_ID O2P_TEST_S3_SECRET_KEY=$AWS_SECRET_ACCESS_KEY \
  "$storage_test" --gtest_brief=1 --gtest_filter='*ObjectStoreConformance*s3*' \
  >"$work/conformance.log" 2>&1 || { cat "$work/conformance.log" >&2; fail "conformance suite on S3"; }
grep -q "PASSED" "$work/conformance.log" || fail "the S3 conformance tests did not run"
[ "$(s3proxy_stats sigv4_failures)" = 0 ] || fail "the proxy rejected $(s3proxy_stats sigv4_failures) signatures"
echo "s3_test: conformance suite passed on S3; $(s3proxy_stats requests) requests, all signatures verified"

start_server() {
  local name=$1
  shift
  o2p_start_server "$work/$name.log" --listen 127.0.0.1:0 --storage s3 --s3-bucket o2p-test \
    --s3-endpoint "$S3PROXY_ENDPOINT" --s3-prefix "otel/$name" --wal-dir "$work/$name.wal" "$@"
}
stop_server() {
  local status=0
  kill -TERM "$SERVER_PID"
  o2p_wait_gone "$SERVER_PID" 120 || fail "the server did not stop within 120 s of SIGTERM"
  wait "$SERVER_PID" || status=$?
  SERVER_PID=
  [ "$status" = 0 ] || fail "the server exited with $status after SIGTERM, expected 0"
}

# Start-up checks: a missing bucket and rejected credentials stop the server with what to fix.
expect_startup_error() {
  local name=$1 pattern=$2 status=0
  shift 2
  env "$@" OTLP2PARQUET_LOG_FORMAT=json "$bin" serve --listen 127.0.0.1:0 --grpc-listen off \
    --storage s3 --s3-endpoint "$S3PROXY_ENDPOINT" --wal-dir off >"$work/$name.log" 2>&1 ||
    status=$?
  [ "$status" = 1 ] || fail "$name: serve exited with $status, expected 1"
  grep -q "$pattern" "$work/$name.log" || fail "$name: no '$pattern' in the start-up error"
  ! grep -q "$AWS_SECRET_ACCESS_KEY" "$work/$name.log" || fail "$name: the secret key was logged"
}
expect_startup_error no-bucket "bucket no-such-bucket does not exist" OTLP2PARQUET_S3_BUCKET=no-such-bucket
expect_startup_error bad-secret "access to bucket o2p-test is denied" OTLP2PARQUET_S3_BUCKET=o2p-test \
  AWS_SECRET_ACCESS_KEY=wrong-secret
expect_startup_error no-credentials "no AWS credentials" OTLP2PARQUET_S3_BUCKET=o2p-test \
  AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
  AWS_CONFIG_FILE=/nonexistent
echo "s3_test: start-up errors name the missing bucket, the denied access and missing credentials"

# 2. Real exporters, all signals, read back from S3.
s3proxy_reset
start_server clients --grpc-listen 127.0.0.1:0 --batch-max-age 600
node "$js/serve_clients.js" send "http://$HTTP" "http://$GRPC" "$work/expect.json" \
  >"$work/clients.out" 2>&1 || { cat "$work/clients.out" >&2; fail "real OpenTelemetry exporters"; }
stop_server
moto_download o2p-test otel/clients "$work/clients-data"
node "$js/serve_clients.js" verify "$work/clients-data" "$work/expect.json" ||
  fail "DuckDB read-back of the objects in S3"
[ "$(s3proxy_stats sigv4_failures)" = 0 ] || fail "the proxy rejected a signature from serve"
echo "s3_test: exporters -> serve -> S3 -> DuckDB ok ($(find "$work/clients-data" -name '*.parquet' | wc -l) files)"

# 3. Outage and faults while a client keeps sending; the WAL keeps every acknowledged record.
s3proxy_reset
# Small files, so that many uploads meet the faults.
start_server faults --grpc-listen off --batch-max-age 1 --batch-max-rows 5000 --s3-request-timeout 2s
o2p_wait_ready "$client" "$work/ready.out"
s3proxy_faults '{"error500": 1.0}'
: >"$work/acked"
node "$client" send "http://$HTTP" "$work/acked" 1 12000 4 >"$work/client.out" 2>"$work/client.err" &
CLIENT_PID=$!
sleep 4
s3proxy_faults '{"error500": 0.15, "slowdown503": 0.15, "drop_before": 0.1, "drop_after": 0.1, "stall": 0.03, "stall_seconds": 5}'
sleep 6
s3proxy_faults '{}'
wait "$CLIENT_PID" || fail "the client failed: $(tail -5 "$work/client.err")"
CLIENT_PID=
refused=0
[ -f "$work/acked.refused" ] && refused=$(wc -l <"$work/acked.refused")
[ "$refused" = 0 ] || fail "$refused requests were refused although only S3 failed (the WAL was not full)"
python3 -c "import urllib.request, sys; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())" \
  "http://$HTTP/metrics" >"$work/metrics.txt" || fail "GET /metrics"
retries=$(awk '/^otlp2parquet_s3_retries_total/ { n += $2 } END { print n + 0 }' "$work/metrics.txt")
[ "$retries" -gt 0 ] || fail "/metrics shows no S3 retries although faults were injected"
stop_server
echo "1 1 $(tail -1 "$work/client.out")" >"$work/rounds.txt"
moto_download o2p-test otel/faults "$work/faults-data"
node "$client" verify "$work/faults-data" "$work/acked" "$work/rounds.txt" >"$work/verify.out" 2>&1 || {
  cat "$work/verify.out" >&2
  fail "records lost or duplicated"
}
cat "$work/verify.out"
echo "s3_test: /metrics: $retries S3 retries; faults injected: $(s3proxy_stats error500) x 500, $(s3proxy_stats slowdown503) x 503," \
  "$(s3proxy_stats drop_before) dropped before, $(s3proxy_stats drop_after) dropped after upload," \
  "$(s3proxy_stats stall) stalls; signatures rejected: $(s3proxy_stats sigv4_failures)"
[ "$(s3proxy_stats error500)" -gt 0 ] || fail "no fault was injected"
echo "s3_test: ok"
