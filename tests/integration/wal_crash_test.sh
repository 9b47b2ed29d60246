#!/usr/bin/env bash
# Crash test of the write-ahead log: an acknowledged record survives SIGKILL and lands in the
# Parquet files exactly once, whatever moment the server dies at.
#
# One data directory and one WAL directory for all rounds. Each round starts
# `otlp2parquet serve --wal-dir` (replay of the previous round's WAL happens before /ready
# answers 200), runs tests/js/wal_crash_client.js send against it (OTLP/JSON logs, every record
# with a unique id, CONCURRENCY requests in flight), and once the first request is acknowledged
# kills the server with SIGKILL after a random 0.3-1.5 s, while the client is still sending.
# The next round continues with the next unused id. At the end the server starts once more,
# replays, stops on SIGTERM (exit 0), and verify reads every rec.id with DuckDB: every acked id
# exactly once, no id twice (not-acked records may be present once or not at all).
#
# Usage: wal_crash_test.sh <otlp2parquet> <source-dir> [rounds]
# Environment: ROUNDS (overrides [rounds], default 20), CONCURRENCY (default 4),
#   CRASH_SIGNAL (KILL by default; TERM checks the harness itself against a server without a
#   WAL: a clean stop loses nothing), KEEP=1 keeps the work directory.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 <otlp2parquet> <source-dir> [rounds]" >&2
  exit 2
fi
bin=$(realpath "$1")
src=$(realpath "$2")
rounds=${ROUNDS:-${3:-20}}
concurrency=${CONCURRENCY:-4}
signal=${CRASH_SIGNAL:-KILL}
client="$src/tests/js/wal_crash_client.js"
work=$(mktemp -d)
data="$work/data"
wal="$work/wal"
mkdir -p "$wal"
SERVER_PID=
CLIENT_PID=
READY_PID=
round=setup

cleanup() {
  local pid
  for pid in "$CLIENT_PID" "$READY_PID" "$SERVER_PID"; do
    if [ -n "$pid" ]; then
      { kill -KILL "$pid" && wait "$pid"; } 2>/dev/null || true
    fi
  done
  if [ -n "${KEEP:-}" ]; then
    echo "wal_crash_test: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

fail() {
  echo "wal_crash_test: FAIL (round $round): $*" >&2
  local log
  for log in "$work/server.$round.log" "$work/client.$round.err"; do
    [ -f "$log" ] && { echo "--- tail of $log" >&2; tail -20 "$log" >&2; }
  done
  echo "(KEEP=1 keeps $work for a look at the data, WAL and logs)" >&2
  exit 1
}

now_ms() { date +%s%3N; }
count_files() { find "$1" -name "$2" 2>/dev/null | wc -l; }
seconds() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# shellcheck source=tests/integration/serve_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/serve_lib.sh"

# start_server: sets SERVER_PID and HTTP.
start_server() {
  o2p_start_server "$work/server.$round.log" --listen 127.0.0.1:0 --grpc-listen off \
    --output "$data" --wal-dir "$wal" --batch-max-age 1
}
wait_ready() { o2p_wait_ready "$client" "$work/ready.$round.log"; }
wait_gone() { o2p_wait_gone "$@"; }

# stop_server: SIGTERM; the server must exit 0 within 60 s.
stop_server() {
  local status=0
  kill -TERM "$SERVER_PID"
  wait_gone "$SERVER_PID" 60 || fail "the server did not stop within 60 s of SIGTERM"
  wait "$SERVER_PID" || status=$?
  SERVER_PID=
  [ "$status" = 0 ] || fail "the server exited with status $status after SIGTERM, expected 0"
}

echo "wal_crash_test: $rounds rounds, $concurrency requests in flight, SIG$signal, work dir $work"
: >"$work/rounds.txt"
next_id=1
total_acked=0
start_all=$(now_ms)
for round in $(seq 1 "$rounds"); do
  t0=$(now_ms)
  start_server
  wait_ready
  ready_ms=$(($(now_ms) - t0))
  acked="$work/acked.$round"
  : >"$acked"
  node "$client" send "http://$HTTP" "$acked" "$next_id" 60000 "$concurrency" \
    >"$work/client.$round.out" 2>"$work/client.$round.err" &
  CLIENT_PID=$!
  # The random moment counts from the first acknowledgement: the client is sending by then.
  for _ in $(seq 200); do
    [ -s "$acked" ] && break
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.05
  done
  [ -s "$acked" ] || fail "no request was acknowledged within 10 s of /ready"
  delay_ms=$((300 + RANDOM % 1201))
  sleep "$(seconds "$delay_ms")"
  kill -0 "$CLIENT_PID" 2>/dev/null || fail "the client stopped before the server was killed"
  # stderr of the shell off meanwhile: bash would report the killed job with its command line.
  gone=yes
  { kill -"$signal" "$SERVER_PID"; wait_gone "$SERVER_PID" 60 || gone=no; } 2>/dev/null
  [ "$gone" = yes ] || fail "the server still runs 60 s after SIG$signal"
  server_status=0
  { wait "$SERVER_PID" || server_status=$?; } 2>/dev/null
  SERVER_PID=
  if [ "$signal" = TERM ] && [ "$server_status" != 0 ]; then
    fail "the server exited with status $server_status after SIGTERM, expected 0"
  fi
  wait_gone "$CLIENT_PID" 30 || fail "the client still runs 30 s after the server died"
  client_status=0
  wait "$CLIENT_PID" || client_status=$?
  CLIENT_PID=
  [ "$client_status" = 0 ] || fail "the client failed (exit $client_status)"
  new_next=$(tail -1 "$work/client.$round.out")
  if ! [[ "$new_next" =~ ^[0-9]+$ ]] || [ "$new_next" -le "$next_id" ]; then
    fail "the client printed no next id above $next_id: '$new_next'"
  fi
  round_acked=$(awk '{ n += $2 - $1 + 1 } END { print n + 0 }' "$acked")
  total_acked=$((total_acked + round_acked))
  echo "$round $next_id $new_next" >>"$work/rounds.txt"
  echo "wal_crash_test: round $round: ready after $(seconds "$ready_ms") s, SIG$signal after" \
    "$(seconds "$delay_ms") s of sending, ids $next_id..$((new_next - 1)), acked $round_acked;" \
    "now $(count_files "$data" '*.parquet') files, $(count_files "$wal" '*.wal') WAL segments"
  next_id=$new_next
done

round=final
start_server
wait_ready
stop_server
echo "wal_crash_test: after the clean stop: $(count_files "$data" '*.parquet') files," \
  "$(count_files "$data" '.*.tmp-*') temporary files left by kills," \
  "$(count_files "$wal" '*.wal') WAL segments left"
for r in $(seq 1 "$rounds"); do
  cat "$work/acked.$r"
  cat "$work/acked.$r.refused" >>"$work/acked.all.refused" 2>/dev/null || true
done >"$work/acked.all"
node "$client" verify "$data" "$work/acked.all" "$work/rounds.txt" >"$work/verify.log" 2>&1 || {
  cat "$work/verify.log" >&2
  fail "verify: see above (an id's round is in parentheses)"
}
cat "$work/verify.log"
echo "wal_crash_test: ok: $rounds rounds with SIG$signal, $total_acked acked records all in files" \
  "exactly once, ids 1..$((next_id - 1)) sent, $(seconds $(($(now_ms) - start_all))) s"
