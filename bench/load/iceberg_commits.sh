#!/usr/bin/env bash
# Iceberg commit latency and commits/s under contention: WRITERS `serve` processes (release
# build) commit to the same tables of the test catalog (tests/fakes/iceberg_catalog.py, a
# single Python process: the numbers measure our commit loop plus that catalog, not Glue) while
# tests/js/wal_crash_client.js keeps each of them busy for SECONDS.
# Usage: bench/load/iceberg_commits.sh [build-dir]
#   WRITERS (4), DURATION (20 s), MAX_AGE (1s: one epoch, so one commit per table, per second),
#   FAULTS (catalog fault JSON, default none) override the defaults.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build/release}
bin="$build/src/main/otlp2parquet"
writers=${WRITERS:-4}
seconds=${DURATION:-20}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  catalog_stop
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "iceberg_commits: $*" >&2; exit 1; }
# shellcheck source=tests/integration/serve_lib.sh
source "$root/tests/integration/serve_lib.sh"
# shellcheck source=tests/integration/catalog_lib.sh
source "$root/tests/integration/catalog_lib.sh"

catalog_start "$work/catalog" --field-ids java
[ -z "${FAULTS:-}" ] || catalog_faults "$FAULTS"
export OTLP2PARQUET_ICEBERG_REST_URI=$CATALOG_URI
clients=()
for w in $(seq "$writers"); do
  o2p_start_server "$work/w$w.log" --listen 127.0.0.1:0 --grpc-listen off \
    --output "$work/out$w" --wal-dir "$work/w$w.wal" --batch-max-age "${MAX_AGE:-1}"
  pids+=("$SERVER_PID")
  node "$root/tests/js/wal_crash_client.js" send "http://$HTTP" "$work/acked.$w" \
    $((w * 100000000)) $((seconds * 1000)) 2 >/dev/null 2>"$work/client.$w.err" &
  clients+=("$!")
done
for pid in "${clients[@]}"; do wait "$pid" || fail "a client failed"; done
for pid in "${pids[@]}"; do
  kill -TERM "$pid"
  wait "$pid" || fail "serve exited with an error"
done
records=$(cat "$work"/acked.* | awk '{ n += $2 - $1 + 1 } END { print n + 0 }')
echo "iceberg_commits: $writers writers, ${seconds} s, $records records acknowledged" \
  "($((records / seconds)) records/s), catalog: $(catalog_stats by_status.409) x 409"
python3 "$root/tests/integration/commit_stats.py" "$work"/w*.log
