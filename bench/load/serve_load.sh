#!/usr/bin/env bash
# End-to-end server benchmark: starts `otlp2parquet serve` (OTLP/HTTP only, Parquet files into a
# temporary directory), drives it with o2p_otlp_load, stops it with SIGTERM and reports the
# driver's numbers plus what ended up in the files.
#
#   bench/load/serve_load.sh [SERVER [DRIVER]] [-- DRIVER_OPTIONS...]
#   e.g. bench/load/serve_load.sh -- --duration 60 --connections 32 --gzip
#
# SERVER defaults to build/release/src/main/otlp2parquet, DRIVER to
# build/release/bench/o2p_otlp_load (the release preset builds bench/, and with it the test
# support library the driver needs). Builds nothing: first
# `cmake --preset release && cmake --build --preset release`.
# Environment: PORT (default: a free port), SERVER_ARGS (extra `serve` flags, split on spaces),
# READY_TIMEOUT (seconds to wait for GET /ready, default 30), STOP_TIMEOUT (seconds to wait for
# the server to exit after SIGTERM, default 120), KEEP=1 keeps the temporary directory.
# Row counts need node and tests/js/node_modules (tools/setup.sh); without them only file count
# and bytes are reported. Exits 1 when the files hold fewer rows than the server accepted.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
positional=()
while [[ $# -gt 0 && $1 != -- ]]; do
  positional+=("$1")
  shift
done
[[ $# -gt 0 ]] && shift  # the "--"
driver_args=("$@")
server=${positional[0]:-build/release/src/main/otlp2parquet}
driver=${positional[1]:-build/release/bench/o2p_otlp_load}
[[ $server = /* ]] || server="$repo/$server"
[[ $driver = /* ]] || driver="$repo/$driver"
for f in "$server" "$driver"; do
  [[ -x $f ]] || { echo "missing $f (build with: cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
done

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo 14318
}
port=${PORT:-$(free_port)}
read -r -a server_args <<<"${SERVER_ARGS:-}"

work=$(mktemp -d "${TMPDIR:-/tmp}/o2p-serve-load.XXXXXX")
server_pid=""
# shellcheck disable=SC2317  # reached through the EXIT trap
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

now() { date +%s.%N; }
json_field() { sed -n "s/.*\"$1\":\\([0-9.]*\\).*/\\1/p" <<<"$2"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "starting $server serve on 127.0.0.1:$port, output $work/out"
"$server" serve --listen "127.0.0.1:$port" --grpc-listen off --output "$work/out" \
  ${server_args[@]+"${server_args[@]}"} >"$work/server.log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + ${READY_TIMEOUT:-30}))
until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" || true) == 200 ]]; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "server exited before it was ready; its log:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "server not ready after ${READY_TIMEOUT:-30} s; its log:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.2
done

echo "driving it: $driver ${driver_args[*]}"
driver_rc=0
"$driver" --url "http://127.0.0.1:$port" --server-pid "$server_pid" --json-out "$work/driver.json" \
  ${driver_args[@]+"${driver_args[@]}"} || driver_rc=$?

echo "stopping the server (SIGTERM) ..."
stop_start=$(now)
kill -TERM "$server_pid"
stop_deadline=$((SECONDS + ${STOP_TIMEOUT:-120}))
while kill -0 "$server_pid" 2>/dev/null && ((SECONDS < stop_deadline)); do sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then
  echo "FAIL: server still running ${STOP_TIMEOUT:-120} s after SIGTERM; its log:" >&2
  tail -n 50 "$work/server.log" >&2
  exit 1
fi
server_rc=0
wait "$server_pid" || server_rc=$?
server_pid=""
stop_s=$(awk "BEGIN { printf \"%.2f\", $(now) - $stop_start }")

files=$(find "$work/out" -name '*.parquet' -type f 2>/dev/null | wc -l)
bytes=$(find "$work/out" -name '*.parquet' -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
accepted=$(json_field records_accepted "$(cat "$work/driver.json" 2>/dev/null || true)")
rows=""
if ((files > 0)) && command -v node >/dev/null && [[ -d $repo/tests/js/node_modules/@duckdb/node-api ]]; then
  if rows_json=$(node "$repo/tests/js/duckdb_query.mjs" \
    "SELECT count(*) AS n FROM read_parquet('$work/out/**/*.parquet')" 2>"$work/duckdb.err"); then
    rows=$(sed -n 's/.*"n":"\{0,1\}\([0-9]*\).*/\1/p' <<<"$rows_json")
  else
    echo "DuckDB could not read the files: $(head -c 300 "$work/duckdb.err")" >&2
  fi
fi

echo
echo "server exit       status $server_rc, ${stop_s} s after SIGTERM"
echo "output            $files Parquet files, $bytes bytes"
if [[ -n $rows ]]; then
  echo "rows in files     $rows (server accepted ${accepted:-?})"
else
  echo "rows in files     not counted (needs node, tests/js/node_modules and readable files)"
fi
[[ $server_rc == 0 ]] || { echo "server log tail:"; tail -n 20 "$work/server.log"; }

status=$driver_rc
if [[ -n $rows && -n $accepted ]]; then
  if ((rows < accepted)); then
    echo "FAIL: $((accepted - rows)) accepted records are missing from the files" >&2
    status=1
  elif ((rows > accepted)); then
    echo "note: $((rows - accepted)) more rows than 200 answers (requests answered after a client timeout?)"
  fi
fi
exit "$status"
