#!/usr/bin/env bash
# `otlp2parquet serve` in Iceberg mode against the strict test catalog (tests/fakes/
# iceberg_catalog.py, which renumbers field ids on create), on loopback:
#  1. the OpenTelemetry JS exporters send every signal; after SIGTERM every table's history is
#     checked with python3-avro (tests/integration/iceberg_verify.py: field ids, required v2
#     fields, linear history), read with icebird (tests/js/iceberg_read.mjs), and DuckDB reads
#     the committed data files and finds every record with its values;
#  2. four servers commit to the same tables at once while the catalog answers commits with
#     409s, 500s and "applied but answered 500": every acknowledged record is in the tables
#     exactly once, the history is linear; commit latency and commits/s are printed;
#  3. a crash after the files were stored but before the commit: the restart replays the WAL
#     and commits, and nothing is there twice;
#  4. an existing table that lacks our columns gets them (ids of its columns unchanged);
#  5. the directory catalog (OTLP2PARQUET_ICEBERG_CATALOG=dir:PATH): the same checks on its
#     vN.metadata.json files;
#  6. tables in S3 (moto behind the SigV4-checking proxy) written with the credentials the
#     catalog vends, the server having none of its own.
# Usage: iceberg_serve_test.sh <otlp2parquet> <source-dir>
set -euo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
js="$src/tests/js"
client="$js/wal_crash_client.js"
# python3-avro is a Debian package: /usr/bin/python3 on purpose (a pyenv python3 on PATH lacks it).
verify="$src/tests/integration/iceberg_verify.py"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  catalog_stop
  s3proxy_stop
  moto_stop
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "iceberg_serve_test: FAIL: $*" >&2
  for log in "$work"/*.log "$work"/cat*/catalog.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -20 "$log" >&2; }
  done
  exit 1
}

# shellcheck source=tests/integration/serve_lib.sh
source "$src/tests/integration/serve_lib.sh"
# shellcheck source=tests/integration/catalog_lib.sh
source "$src/tests/integration/catalog_lib.sh"
# shellcheck source=tests/integration/moto_lib.sh
source "$src/tests/integration/moto_lib.sh"
verify_args=()   # extra iceberg_verify.py arguments (--map for tables in S3)
icebird_args=()  # extra iceberg_read.mjs arguments (--s3-endpoint)

readonly tables="logs traces metrics_gauge metrics_sum metrics_histogram metrics_exponential_histogram metrics_summary"

# start_server NAME ARGS... : Iceberg mode (the test catalog, or DIR_CATALOG when set), WAL in
# $work/NAME.wal; sets PID, HTTP, GRPC.
start_server() {
  local name=$1
  shift
  if [ -n "${DIR_CATALOG:-}" ]; then
    unset OTLP2PARQUET_ICEBERG_REST_URI
    export OTLP2PARQUET_ICEBERG_CATALOG="dir:$DIR_CATALOG"
  else
    unset OTLP2PARQUET_ICEBERG_CATALOG
    export OTLP2PARQUET_ICEBERG_REST_URI=$CATALOG_URI
  fi
  o2p_start_server "$work/$name.log" \
    --listen 127.0.0.1:0 --output "$work/$name-unused" --wal-dir "$work/$name.wal" "$@"
  PID=$SERVER_PID
  pids+=("$PID")
}

# stop_server PID : SIGTERM; it must exit 0 within 60 s.
stop_server() {
  local pid=$1 status=0
  kill -TERM "$pid"
  o2p_wait_gone "$pid" 60 || fail "serve did not stop within 60 s of SIGTERM"
  wait "$pid" || status=$?
  [ "$status" = 0 ] || fail "serve exited with $status"
}

# metadata_file TABLE : the local file of the table's current metadata.
metadata_file() {
  if [ -n "${DIR_CATALOG:-}" ]; then
    echo "$DIR_CATALOG/otel/$1/metadata/v$(cat "$DIR_CATALOG/otel/$1/metadata/version-hint.text").metadata.json"
    return
  fi
  python3 - "$CATALOG_URI/__catalog/tables/otel/$1" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1]) as answer:
    print(answer.headers["X-Metadata-File"])
PY
}

# table_view DIR : for every table, DIR/TABLE/ holds symlinks to exactly the data files of its
# current snapshot (what python3-avro found in the manifests), so DuckDB reads the table's
# content rather than whatever lies in the table's folder. Checks each table's history and
# reads it with icebird on the way; prints "table=records" pairs.
table_view() {
  local dir=$1 table meta records icebird_records n
  mkdir -p "$dir"
  for table in $tables; do
    meta=$(metadata_file "$table")
    /usr/bin/python3 "$verify" "${verify_args[@]}" "$meta" --json >"$dir/$table.verify.json" || fail "iceberg_verify.py $table"
    records=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"])' \
      "$dir/$table.verify.json")
    mkdir -p "$dir/$table"
    n=0
    while IFS= read -r path; do
      [ -n "$path" ] || continue
      n=$((n + 1))
      ln -s "${path#file://}" "$dir/$table/$n.parquet"
    done < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["data_files"]))' \
      "$dir/$table.verify.json")
    icebird_records=0
    if [ "$records" != 0 ]; then
      icebird_records=$(node "$js/iceberg_read.mjs" "${icebird_args[@]}" "$meta" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])') || fail "icebird $table"
    fi
    [ "$icebird_records" = "$records" ] ||
      fail "$table: icebird read $icebird_records records, the manifests list $records"
    printf '%s=%s ' "$table" "$records"
  done
  echo
}

# exporters_round NAME MAX_AGE : serve (batch age MAX_AGE) takes every signal from the real
# exporters and stops; then the tables are checked (table_view, into $work/NAME.view) and
# DuckDB must find every record in the committed files. Sets COUNTS to table_view's counts.
exporters_round() {
  local name=$1
  start_server "$name" --grpc-listen 127.0.0.1:0 --batch-max-age "$2"
  node "$js/serve_clients.js" send "http://$HTTP" "http://$GRPC" "$work/$name.expect.json" \
    >"$work/$name.clients.out" 2>&1 ||
    { cat "$work/$name.clients.out" >&2; fail "real OpenTelemetry exporters ($name)"; }
  stop_server "$PID"
  COUNTS=$(table_view "$work/$name.view")
  node "$js/serve_clients.js" verify "$work/$name.view" "$work/$name.expect.json" ||
    fail "DuckDB read-back of the committed data files ($name)"
}

export AWS_EC2_METADATA_DISABLED=true

# 1. Every signal from the real exporters, checked three ways.
catalog_start "$work/cat1" --prefix "o2p warehouse" --field-ids reverse
exporters_round clients 600
echo "iceberg_serve_test: exporters -> serve -> Iceberg: $COUNTS"
catalog_stop

# 2. Four writers, one set of tables, faults on commits.
catalog_start "$work/cat2" --field-ids java --seed 7
catalog_faults '{"conflict409": 0.25, "error500": 0.05, "unknown_after_commit": 0.1, "only": ["commit"]}'
writer_pids=()
for w in 1 2 3 4; do
  start_server "w$w" --grpc-listen off --batch-max-age 1 --batch-max-rows 4000
  node "$client" send "http://$HTTP" "$work/acked.$w" $((w * 10000000)) 8000 2 \
    >"$work/client.$w.out" 2>"$work/client.$w.err" &
  writer_pids+=("$PID" "$!")
done
for i in 1 3 5 7; do
  wait "${writer_pids[$i]}" || fail "client $(((i + 1) / 2)) failed: $(tail -3 "$work/client.$(((i + 1) / 2)).err")"
done
for i in 0 2 4 6; do stop_server "${writer_pids[$i]}"; done
cat "$work"/acked.[1-4] >"$work/acked"
counts=$(table_view "$work/view2")
node "$client" verify "$work/view2" "$work/acked" >"$work/verify2.out" 2>&1 || {
  cat "$work/verify2.out" >&2
  fail "records lost or duplicated by concurrent writers"
}
stats=$(python3 "$src/tests/integration/commit_stats.py" "$work"/w[1-4].log) ||
  fail "commit statistics"
echo "iceberg_serve_test: 4 writers: $stats"
echo "iceberg_serve_test: 4 writers under faults: $(tail -1 "$work/verify2.out"); $counts;" \
  "catalog answered $(catalog_stats by_status.409) x 409, injected $(catalog_stats error500) x 500" \
  "and $(catalog_stats unknown_after_commit) x applied-but-500"
[ "$(catalog_stats by_status.409)" -gt 0 ] || fail "no conflict was injected"
catalog_stop

# 3. Files stored, commit impossible, then SIGKILL: the restart commits them, once.
catalog_start "$work/cat3"
start_server crash --grpc-listen off --batch-max-age 1
catalog_faults '{"error500": 1.0, "only": ["commit"]}'
node "$client" send "http://$HTTP" "$work/acked3" 1 3000 2 >"$work/client3.out" 2>"$work/client3.err" ||
  fail "client (crash round)"
sleep 2
[ "$(catalog_stats error500)" -gt 0 ] || fail "no commit was attempted and failed"
kill -KILL "$PID"
wait "$PID" 2>/dev/null || true
catalog_faults '{}'
start_server crash --grpc-listen off --batch-max-age 1
stop_server "$PID"
table_view "$work/view3" >/dev/null
node "$client" verify "$work/view3" "$work/acked3" >"$work/verify3.out" 2>&1 || {
  cat "$work/verify3.out" >&2
  fail "records lost or duplicated across the crash"
}
echo "iceberg_serve_test: crash before commit, replayed: $(tail -1 "$work/verify3.out")"
catalog_stop

# 4. An existing logs table with three of our columns, under the catalog's own ids.
catalog_start "$work/cat4" --field-ids reverse
python3 - "$CATALOG_URI" <<'PY' || fail "creating the narrow logs table"
import json, sys, urllib.request
base = sys.argv[1]
def post(path, body):
    request = urllib.request.Request(base + path, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
post("/v1/namespaces", {"namespace": ["otel"]})
post("/v1/namespaces/otel/tables", {
    "name": "logs",
    "schema": {"type": "struct", "schema-id": 0, "fields": [
        {"id": 1, "name": "Timestamp", "required": True, "type": "timestamptz"},
        {"id": 2, "name": "ServiceName", "required": False, "type": "string"},
        {"id": 3, "name": "Body", "required": False, "type": "string"}]},
    "partition-spec": {"spec-id": 0, "fields": [
        {"source-id": 1, "field-id": 1000, "name": "Timestamp_day", "transform": "day"}]},
})
PY
before=$(catalog_table otel logs | python3 -c 'import json,sys; m=json.load(sys.stdin); print(json.dumps({f["name"]: f["id"] for f in m["schemas"][0]["fields"]}))')
start_server evolve --grpc-listen off --batch-max-age 1
node "$client" send "http://$HTTP" "$work/acked4" 1 1500 1 >"$work/client4.out" 2>"$work/client4.err" ||
  fail "client (schema evolution)"
stop_server "$PID"
python3 - "$before" "$(metadata_file logs)" <<'PY' || fail "schema evolution"
import json, sys
before = json.loads(sys.argv[1])
metadata = json.load(open(sys.argv[2]))
current = next(s for s in metadata["schemas"] if s["schema-id"] == metadata["current-schema-id"])
fields = {f["name"]: f for f in current["fields"]}
for name, field_id in before.items():
    assert fields[name]["id"] == field_id, f"{name}: id {fields[name]['id']}, was {field_id}"
added = [f for f in current["fields"] if f["name"] not in before]
assert added, "no column was added"
assert all(not f["required"] for f in added), "an added column is required"
assert len(metadata["schemas"]) == 2, f"{len(metadata['schemas'])} schemas"
print(f"iceberg_serve_test: schema evolution: {len(added)} columns added to a 3-column table,"
      f" last-column-id {metadata['last-column-id']}")
PY
table_view "$work/view4" >/dev/null
node "$client" verify "$work/view4" "$work/acked4" >"$work/verify4.out" 2>&1 || {
  cat "$work/verify4.out" >&2
  fail "records of the evolved table"
}
catalog_stop

# 5. The directory catalog.
DIR_CATALOG="$work/tables"
exporters_round dir 1
echo "iceberg_serve_test: dir catalog: $COUNTS($(ls "$DIR_CATALOG"/otel/logs/metadata/v*.metadata.json | wc -l) logs versions)"
DIR_CATALOG=

# 6. S3 with vended credentials only.
moto_start "$work/moto"
s3proxy_start "$work/moto" --verify-sigv4 --credentials "vendedkey:vended/secret+1"
moto_make_bucket o2p-lake
catalog_start "$work/cat6" --warehouse-location s3://o2p-lake/wh \
  --vend-credentials "vendedkey:vended/secret+1"
# The server finds no AWS credentials of its own (the variables apply to this call only).
AWS_ACCESS_KEY_ID="" AWS_SECRET_ACCESS_KEY="" AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
  AWS_CONFIG_FILE=/nonexistent start_server s3 --grpc-listen off --batch-max-age 1 \
  --s3-endpoint "$S3PROXY_ENDPOINT" --s3-region us-east-1 \
  --iceberg-access-delegation vended-credentials
node "$client" send "http://$HTTP" "$work/acked6" 1 2000 2 >"$work/client6.out" \
  2>"$work/client6.err" || fail "client (S3)"
stop_server "$PID"
[ "$(catalog_stats credentials_vended)" -ge 7 ] || fail "the catalog vended no credentials"
[ "$(s3proxy_stats sigv4_failures)" = 0 ] || fail "the proxy rejected a signature"
[ "$(s3proxy_stats by_method.PUT)" -gt 0 ] || fail "nothing was uploaded through the proxy"
moto_download o2p-lake wh "$work/s3wh"
verify_args=(--map "s3://o2p-lake/wh=$work/s3wh")
icebird_args=(--s3-endpoint "$MOTO_ENDPOINT")
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test  # icebird signs its reads from moto
counts=$(table_view "$work/view6")
node "$client" verify "$work/view6" "$work/acked6" >"$work/verify6.out" 2>&1 || {
  cat "$work/verify6.out" >&2
  fail "records of the tables in S3"
}
echo "iceberg_serve_test: S3 + vended credentials: $(tail -1 "$work/verify6.out");" \
  "$(s3proxy_stats by_method.PUT) PUTs, all signed with the vended key"
echo "iceberg_serve_test: ok"
