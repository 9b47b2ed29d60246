#!/usr/bin/env bash
# Write-ahead log failure cases, on loopback (client: tests/js/wal_crash_client.js):
#  (a) torn tail and a garbage segment: records acknowledged, SIGKILL with every row still only
#      in the WAL (batch age 10 min), then 100 random bytes appended to every *.wal segment
#      (the newest may hold only its header when the server rotated, so each segment gets a
#      torn tail after its intact records) and one more segment, the next id, made of garbage
#      only. The server must become ready, warn about the garbage segment (naming it), keep
#      accepting, and after SIGTERM every acked record is in the files exactly once; one more
#      start + SIGTERM must not replay anything again.
#  (b) a WAL that cannot be written: the WAL directory is a 2 MiB tmpfs (needs mount rights;
#      skipped otherwise). Large requests fill it: 503 + Retry-After (never 500, never a hang),
#      /ready 503; rows reach the files (batch age 1 s), segments go, and requests succeed
#      again within 30 s with /ready 200; after SIGTERM every acked record is in the files once,
#      and no record of a request answered 503 is (a client retries those: it would be stored
#      twice; ALLOW_REFUSED_IN_FILES=1 turns that check into a warning).
# Usage: wal_recovery_test.sh <otlp2parquet> <source-dir>      (KEEP=1 keeps the work directory)
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 <otlp2parquet> <source-dir>" >&2
  exit 2
fi
bin=$(realpath "$1")
src=$(realpath "$2")
client="$src/tests/js/wal_crash_client.js"
work=$(mktemp -d)
SERVER_PID=
READY_PID=
mounted=
step=setup

cleanup() {
  local pid
  for pid in "$READY_PID" "$SERVER_PID"; do
    if [ -n "$pid" ]; then
      { kill -KILL "$pid" && wait "$pid"; } 2>/dev/null || true
    fi
  done
  if [ -n "$mounted" ]; then
    umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null ||
      echo "wal_recovery_test: could not unmount $mounted" >&2
  fi
  if [ -n "${KEEP:-}" ]; then
    echo "wal_recovery_test: work directory kept: $work" >&2
  elif ! mountpoint -q "$work/b-wal" 2>/dev/null; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT

fail() {
  echo "wal_recovery_test: FAIL ($step): $*" >&2
  [ -f "$work/$step.log" ] && { echo "--- tail of $work/$step.log" >&2; tail -20 "$work/$step.log" >&2; }
  echo "(KEEP=1 keeps $work)" >&2
  exit 1
}

# shellcheck source=tests/integration/serve_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/serve_lib.sh"

# start_server DATA WAL ARGS... : log in $work/$step.log; sets SERVER_PID and HTTP.
start_server() {
  local data=$1 wal=$2
  shift 2
  o2p_start_server "$work/$step.log" --listen 127.0.0.1:0 --grpc-listen off \
    --output "$data" --wal-dir "$wal" "$@"
}
wait_ready() { o2p_wait_ready "$client" "$work/$step.ready"; }
wait_gone() { o2p_wait_gone "$@"; }

# stop_server SIGNAL : for TERM the exit status must be 0; KILL just waits for the end.
stop_server() {
  local status=0 gone=yes
  # stderr of the shell off meanwhile: bash would report a killed job with its command line.
  { kill -"$1" "$SERVER_PID"; wait_gone "$SERVER_PID" 60 || gone=no; } 2>/dev/null
  [ "$gone" = yes ] || fail "the server did not stop within 60 s of SIG$1"
  { wait "$SERVER_PID" || status=$?; } 2>/dev/null
  SERVER_PID=
  if [ "$1" = TERM ] && [ "$status" != 0 ]; then
    fail "the server exited with status $status after SIGTERM, expected 0"
  fi
}

# send ACKED FIRST-ID MS : runs the client for MS milliseconds; sets NEXT_ID.
send() {
  local before
  before=$(wc -l <"$1")
  node "$client" send "http://$HTTP" "$1" "$2" "$3" 2 >"$work/$step.client" 2>"$work/$step.client.err" ||
    fail "client: $(cat "$work/$step.client.err")"
  NEXT_ID=$(tail -1 "$work/$step.client")
  [ "$(wc -l <"$1")" -gt "$before" ] || fail "no request was acknowledged: $(cat "$work/$step.client.err")"
}

acked_count() { awk '{ n += $2 - $1 + 1 } END { print n + 0 }' "$1"; }

# verify DATA ACKED [STRICT]: STRICT=1 fails when records of requests answered 503 are stored.
verify() {
  O2P_VERIFY_STRICT_REFUSED=${3:-0} node "$client" verify "$1" "$2" >"$work/$step.verify" 2>&1 || {
    cat "$work/$step.verify" >&2
    fail "verify: see above"
  }
  cat "$work/$step.verify"
}

# --- (a) torn tail + garbage segment ----------------------------------------------------------
data="$work/a-data"
wal="$work/a-wal"
acked="$work/a-acked"
mkdir -p "$wal"
: >"$acked"
step=a-first
start_server "$data" "$wal" --batch-max-age 600
wait_ready
send "$acked" 1 1000
stop_server KILL
files_before=$(find "$data" -name '*.parquet' 2>/dev/null | wc -l)
mapfile -t segments < <(find "$wal" -maxdepth 1 -name '*.wal' | sort)
[ "${#segments[@]}" -gt 0 ] || fail "no *.wal segment in the WAL directory: $(ls -la "$wal")"
last=${segments[${#segments[@]} - 1]}
last_name=$(basename "$last" .wal)
[[ "$last_name" =~ ^[0-9]{20}$ ]] || fail "segment name is not 20 decimal digits: $last"
for segment in "${segments[@]}"; do head -c 100 /dev/urandom >>"$segment"; done
garbage="$wal/$(printf '%020d' $((10#$last_name + 1))).wal"
head -c 8192 /dev/urandom >"$garbage"
echo "wal_recovery_test: (a) $(acked_count "$acked") records acked, SIGKILL ($files_before files by then);" \
  "100 random bytes appended to each of ${#segments[@]} segments, garbage $(basename "$garbage")"

step=a-restart
start_server "$data" "$wal" --batch-max-age 600
wait_ready
grep '"level":"warn"' "$work/$step.log" | grep -q "$(basename "$garbage")" ||
  fail "no warning naming the corrupt segment $(basename "$garbage"); warnings: $(grep '"level":"warn"' "$work/$step.log" || echo none)"
send "$acked" "$NEXT_ID" 500
stop_server TERM
verify "$data" "$acked"

step=a-again
start_server "$data" "$wal" --batch-max-age 600
wait_ready
stop_server TERM
verify "$data" "$acked"
echo "wal_recovery_test: (a) torn tail + garbage segment ok ($(acked_count "$acked") acked records)"

# --- (b) WAL on a full file system ------------------------------------------------------------
step=b
wal="$work/b-wal"
data="$work/b-data"
acked="$work/b-acked"
mkdir -p "$wal"
: >"$acked"
if mount -t tmpfs -o size=2m tmpfs "$wal" 2>"$work/mount.err"; then
  mounted=$wal
  start_server "$data" "$wal" --batch-max-age 1
  wait_ready
  node "$client" fill "http://$HTTP" "$acked" 1 >"$work/b.client" 2>"$work/b.client.err" || {
    cat "$work/b.client.err" >&2
    fail "full WAL: see above"
  }
  cat "$work/b.client.err"
  stop_server TERM
  if [ -n "${ALLOW_REFUSED_IN_FILES:-}" ]; then verify "$data" "$acked" 0; else verify "$data" "$acked" 1; fi
  echo "wal_recovery_test: (b) full WAL ok ($(acked_count "$acked") acked records)"
else
  echo "wal_recovery_test: (b) skipped: cannot mount tmpfs ($(head -1 "$work/mount.err"))"
fi
echo "wal_recovery_test: ok"
