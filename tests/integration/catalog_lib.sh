# The Iceberg REST test catalog (tests/fakes/iceberg_catalog.py; see that file's documentation)
# for the shell tests. Source it; every function returns non-zero with a "catalog_lib:" message on
# stderr when it fails, so `set -euo pipefail` stops the caller. catalog_stop never fails and may
# run twice, so it fits EXIT traps:
#   trap 'catalog_stop' EXIT
#
# catalog_start DIR ARGS...
#                          the catalog on 127.0.0.1:<free port>, log in DIR/catalog.log, metadata
#                          files in DIR/warehouse unless ARGS has --warehouse-dir; ARGS go to
#                          iceberg_catalog.py (e.g. --prefix p --warehouse-location
#                          s3://bucket/wh --sigv4 glue:us-east-1 --credentials test:test --seed 1
#                          --faults '{"conflict409":0.2,"only":["commit"]}'); exports CATALOG_URI
#                          (http://127.0.0.1:PORT), CATALOG_PID and CATALOG_WAREHOUSE_DIR
# catalog_stop
# catalog_faults JSON      replaces the fault settings, e.g. '{"unknown_after_commit":1,"only":["commit"]}'
# catalog_reset [JSON]     no faults, counters to zero, generator re-seeded; '{"tables":true}' also
#                          forgets every namespace and table
# catalog_stats [KEY]      prints the counters as JSON, or one of them (KEY: requests, commits_ok,
#                          commits_failed, conflict409, unknown_after_commit, by_status.409,
#                          by_kind.commit, tables.otel/logs.commits_ok, ...; keys may hold dots:
#                          the longest matching key wins; 0 when absent)
# catalog_table NS TABLE [KEY]
#                          prints the table's current metadata JSON (NS: levels joined by '.'),
#                          or one key of it (same KEY rules, e.g. current-snapshot-id)
# shellcheck shell=bash disable=SC2034  # CATALOG_* are for the caller

_CATALOG_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CATALOG_SCRIPT=${CATALOG_SCRIPT:-"$_CATALOG_LIB_DIR/../fakes/iceberg_catalog.py"}

# _catalog_lib_stop_pid PID : SIGTERM, up to 5 s to exit, then SIGKILL; reaps it when it is ours.
_catalog_lib_stop_pid() {
  local pid=$1 _
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

catalog_start() {
  local dir=$1 port_file arg warehouse_args=() _
  shift
  mkdir -p "$dir"
  CATALOG_WAREHOUSE_DIR="$dir/warehouse"
  for arg in "$@"; do
    if [ "$arg" = --warehouse-dir ]; then
      CATALOG_WAREHOUSE_DIR=
    fi
  done
  if [ -n "$CATALOG_WAREHOUSE_DIR" ]; then
    warehouse_args=(--warehouse-dir "$CATALOG_WAREHOUSE_DIR")
  else
    # The caller's --warehouse-dir: report it too.
    local previous=
    for arg in "$@"; do
      [ "$previous" = --warehouse-dir ] && CATALOG_WAREHOUSE_DIR=$arg
      previous=$arg
    done
  fi
  port_file="$dir/catalog.port"
  rm -f "$port_file"
  python3 "$CATALOG_SCRIPT" --port 0 --port-file "$port_file" "${warehouse_args[@]}" "$@" \
    >>"$dir/catalog.log" 2>&1 </dev/null &
  CATALOG_PID=$!
  for _ in $(seq 300); do
    if [ -s "$port_file" ]; then
      CATALOG_URI="http://127.0.0.1:$(cat "$port_file")"
      export CATALOG_URI CATALOG_PID CATALOG_WAREHOUSE_DIR
      return 0
    fi
    if ! kill -0 "$CATALOG_PID" 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
  echo "catalog_lib: the Iceberg catalog did not start (see $dir/catalog.log)" >&2
  _catalog_lib_stop_pid "$CATALOG_PID"
  CATALOG_PID=
  return 1
}

catalog_stop() {
  _catalog_lib_stop_pid "${CATALOG_PID:-}"
  CATALOG_PID=
}

# _catalog_control METHOD PATH [BODY] [KEY] : calls a control endpoint; prints the JSON answer,
# or only KEY of it (a dotted path; the longest key matching at each level wins, so keys that
# hold dots work) when KEY is not empty.
_catalog_control() {
  if [ -z "${CATALOG_URI:-}" ]; then
    echo "catalog_lib: no CATALOG_URI (call catalog_start first)" >&2
    return 1
  fi
  python3 - "$CATALOG_URI" "$1" "$2" "${3:-}" "${4:-}" <<'EOF'
import json, sys, urllib.error, urllib.request
endpoint, method, path, body, key = sys.argv[1:6]
request = urllib.request.Request(endpoint + path, method=method,
                                 data=body.encode() if method == "POST" else None,
                                 headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
except urllib.error.HTTPError as error:
    sys.exit(f"catalog_lib: {method} {path}: HTTP {error.code} "
             f"{error.read().decode(errors='replace')}")
except OSError as error:
    sys.exit(f"catalog_lib: {method} {path}: {error}")
rest = key
while rest:
    if not isinstance(answer, dict):
        answer = 0
        break
    match = max((k for k in answer if rest == k or rest.startswith(k + ".")), key=len,
                default=None)
    if match is None:
        answer = 0
        break
    answer = answer[match]
    rest = rest[len(match) + 1:]
if key:
    print(answer if isinstance(answer, str) else json.dumps(answer))
else:
    print(json.dumps(answer, sort_keys=True))
EOF
}

catalog_faults() {
  _catalog_control POST /__catalog/faults "$1" >/dev/null
}

catalog_reset() {
  _catalog_control POST /__catalog/reset "${1:-}" >/dev/null
}

catalog_stats() {
  _catalog_control GET /__catalog/stats "" "${1:-}"
}

catalog_table() {
  local ns
  ns=$(printf '%s' "$1" | sed 's/\./%1F/g')
  _catalog_control GET "/__catalog/tables/$ns/$2" "" "${3:-}"
}
