# Shared by the shell tests that run `otlp2parquet serve` (serve_test.sh, wal_crash_test.sh,
# wal_recovery_test.sh). Source it after setting `bin` (the otlp2parquet binary) and defining
# `fail MESSAGE`, which must exit.
# shellcheck shell=bash disable=SC2154,SC2034  # bin, fail: the caller's; HTTP, GRPC: for the caller

# o2p_start_server LOG SERVE_ARGS... : starts `serve` (JSON log in LOG) in the background and
# waits up to 30 s for its "serving" line. Sets SERVER_PID, HTTP and GRPC (HOST:PORT, or "off").
o2p_start_server() {
  local log=$1 _
  shift
  OTLP2PARQUET_LOG_FORMAT=json "$bin" serve "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do
    if grep -q '"otlp2parquet serving"' "$log"; then
      HTTP=$(sed -nE 's/.*"http":"([^"]+)".*/\1/p' "$log" | head -1)
      GRPC=$(sed -nE 's/.*"grpc":"([^"]+)".*/\1/p' "$log" | head -1)
      [ -n "$HTTP" ] || fail "no http address in the serving line"
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited at start-up"
    sleep 0.1
  done
  fail "the server did not log 'otlp2parquet serving' within 30 s"
}

# o2p_wait_ready CLIENT_JS OUT : GET /ready must answer 200 within 30 s (replay happens before
# that), and the server must not exit meanwhile. CLIENT_JS is tests/js/wal_crash_client.js.
o2p_wait_ready() {
  node "$1" ready "http://$HTTP" 30000 >"$2" 2>&1 &
  READY_PID=$!
  while kill -0 "$READY_PID" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited before /ready answered 200"
    sleep 0.05
  done
  local status=0
  wait "$READY_PID" || status=$?
  READY_PID=
  [ "$status" = 0 ] || fail "$(cat "$2")"
}

# o2p_wait_gone PID SECONDS : true once PID has exited, false if it still runs after SECONDS.
o2p_wait_gone() {
  local _
  for _ in $(seq $(($2 * 20))); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.05
  done
  ! kill -0 "$1" 2>/dev/null
}
