#!/usr/bin/env bash
# The Lambda bootstrap against the fake Runtime API (tests/fakes/lambda_runtime.py), on loopback:
#   0. configuration errors: nothing configured, or an invalid value -> POST /runtime/init/error
#      with Runtime.ConfigError and exit status 1, without asking for an invocation;
#   1. plain S3 mode (OTLP2PARQUET_S3_BUCKET; moto behind the SigV4-checking proxy) and
#   2. Iceberg mode (OTLP2PARQUET_ICEBERG_REST_URI: the test catalog, tables in moto S3), each:
#      - cold start (exec -> answer of a first 1 MiB protobuf logs request) and warm latency
#        (median of 5 more), printed as "lambda[LABEL] MODE cold_start_ms=… warm_ms_median=…";
#        the rows are stored before the answer (checked right after it);
#      - payload 2.0 and 1.0 events (stage prefix), base64 and plain bodies, protobuf and JSON,
#        gzip / deflate / zstd Content-Encoding, every signal; each 200 names its rows in
#        x-otlp2parquet-rows and answers in the request's encoding;
#      - malformed protobuf and JSON, bad base64, bad gzip -> 400; > 6 MiB -> 413; a
#        decompression bomb -> 413; unknown path -> 404; wrong method -> 405; unsupported
#        content type -> 415; GET /health -> 200; storage (S3) or catalog (commit) failures ->
#        503 with Retry-After before the deadline; events that are not HTTP -> invocation error
#        Runtime.InvalidEvent; the process keeps serving after each of them;
#      - the data: DuckDB counts the rows in the Parquet files in moto (S3 mode); every table is
#        checked with iceberg_verify.py (python3-avro) and icebird (tests/js/iceberg_read.mjs)
#        and DuckDB reads its live data files (Iceberg mode); the counts are what the accepted
#        requests held;
#      - the fake recorded no rule violation (unknown or doubly answered ids, answers after the
#        deadline, /next with an invocation open); stdout is JSON lines; nothing was written
#        to the working directory;
#   3. local mode (OTLP2PARQUET_STORAGE_BACKEND=local): one request, read back with DuckDB.
#
# Usage: lambda_runtime_test.sh BOOTSTRAP SOURCE_DIR [--emulator qemu-aarch64-static]
#                               [--label x86_64]                  (KEEP=1 keeps the work dir)
# --emulator runs BOOTSTRAP under that program (user-mode qemu, called explicitly: no
# binfmt_misc); the label (default: the emulator's architecture, else `uname -m`) prefixes the
# output. Needs node with tests/js/node_modules, moto_server, python3 with boto3, /usr/bin/python3
# with python3-avro, and the zstd tool.
set -euo pipefail

usage() {
  echo "usage: $0 BOOTSTRAP SOURCE_DIR [--emulator PROGRAM] [--label LABEL]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
bin=$(realpath "$1")
src=$(realpath "$2")
shift 2
emulator=()
label=
while [ $# -gt 0 ]; do
  case $1 in
  --emulator)
    [ $# -ge 2 ] || usage
    emulator=("$(command -v "$2")") || { echo "lambda_runtime_test: $2 not found" >&2; exit 1; }
    shift 2
    ;;
  --label)
    [ $# -ge 2 ] || usage
    label=$2
    shift 2
    ;;
  *) usage ;;
  esac
done
if [ -z "$label" ]; then
  if [ ${#emulator[@]} -gt 0 ]; then
    label=$(basename "${emulator[0]}")
    label=${label#qemu-}
    label=${label%-static}
  else
    label=$(uname -m)
  fi
fi
[ -x "$bin" ] || { echo "lambda_runtime_test: $bin is not an executable" >&2; exit 1; }

js="$src/tests/js"
events="$src/tests/integration/lambda_events.py"
fake="$src/tests/fakes/lambda_runtime.py"
# python3-avro is a Debian package: /usr/bin/python3 on purpose (a pyenv python3 lacks it).
verify="$src/tests/integration/iceberg_verify.py"
name="lambda_runtime_test[$label]"
work=$(mktemp -d)
if [ ${#emulator[@]} -gt 0 ]; then invoke_timeout=180; start_timeout=120; else invoke_timeout=60; start_timeout=30; fi
readonly bucket=o2p-lambda lake=o2p-lambda-lake prefix="lambda/$label"
readonly tables="logs traces metrics_gauge metrics_sum metrics_histogram metrics_exponential_histogram metrics_summary"
FAKE_PID=
BOOT_PID=
INVOKE_PID=
phase_dir=$work
mode=

# shellcheck source=tests/integration/moto_lib.sh
source "$src/tests/integration/moto_lib.sh"
# shellcheck source=tests/integration/catalog_lib.sh
source "$src/tests/integration/catalog_lib.sh"

stop_pid() {
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

cleanup() {
  stop_pid "$INVOKE_PID"
  stop_pid "$BOOT_PID"
  stop_pid "$FAKE_PID"
  catalog_stop
  s3proxy_stop
  moto_stop
  if [ -n "${KEEP:-}" ]; then echo "$name: work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() {
  echo "$name: FAIL: $*" >&2
  local log
  for log in "$phase_dir"/bootstrap.out "$phase_dir"/bootstrap.err "$phase_dir"/fake.log \
    "$work"/moto/s3proxy.log "$work"/cat/catalog.log; do
    [ -s "$log" ] && { echo "--- tail of $log" >&2; tail -20 "$log" >&2; }
  done
  exit 1
}

say() { echo "$name: $*"; }

# json_get FILE KEY... : prints FILE's JSON value at KEY (nested keys; a list index is a number).
json_get() {
  python3 - "$@" <<'EOF'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value[int(key)] if isinstance(value, list) else value[key]
print(value if isinstance(value, str) else json.dumps(value))
EOF
}

# --- the fake Runtime API and the bootstrap ---------------------------------------------

# fake_start : the fake in $phase_dir (log fake.log); sets FAKE_PID and RUNTIME (HOST:PORT).
fake_start() {
  local port_file="$phase_dir/fake.port" _
  python3 "$fake" --port 0 --port-file "$port_file" --deadline-ms 30000 --verbose \
    >>"$phase_dir/fake.log" 2>&1 </dev/null &
  FAKE_PID=$!
  for _ in $(seq 300); do
    if [ -s "$port_file" ]; then
      RUNTIME="127.0.0.1:$(cat "$port_file")"
      return 0
    fi
    kill -0 "$FAKE_PID" 2>/dev/null || break
    sleep 0.05
  done
  fail "the fake Runtime API did not start"
}

fake_stop() {
  stop_pid "$FAKE_PID"
  FAKE_PID=
}

# fake_get PATH [KEY] : GET a control endpoint; the JSON answer, or one key of it.
fake_get() {
  python3 - "http://$RUNTIME$1" "${2:-}" <<'EOF' || fail "GET $1 from the fake"
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    answer = json.load(response)
if sys.argv[2]:
    answer = answer[sys.argv[2]]
print(answer if isinstance(answer, str) else json.dumps(answer))
EOF
}

# boot_start VAR=VALUE... : the bootstrap (under the emulator, if any) in a Lambda-like,
# otherwise empty environment plus the given variables, working directory $phase_dir/cwd,
# stdout and stderr in $phase_dir/bootstrap.{out,err}; sets BOOT_PID.
boot_start() {
  mkdir -p "$phase_dir/cwd"
  (
    cd "$phase_dir/cwd"
    exec env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 TZ=:UTC \
      LAMBDA_TASK_ROOT="$phase_dir/cwd" LAMBDA_RUNTIME_DIR="$phase_dir/cwd" _HANDLER=bootstrap \
      AWS_LAMBDA_FUNCTION_NAME=otlp2parquet AWS_LAMBDA_FUNCTION_VERSION="\$LATEST" \
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512 AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/otlp2parquet \
      AWS_LAMBDA_LOG_STREAM_NAME="2024/01/01/[\$LATEST]0123456789abcdef0123456789abcdef" \
      AWS_LAMBDA_INITIALIZATION_TYPE=on-demand AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
      AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_SESSION_TOKEN=lambda-session-token \
      AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
      AWS_EC2_METADATA_DISABLED=true AWS_LAMBDA_RUNTIME_API="$RUNTIME" "$@" \
      "${emulator[@]}" "$bin" >"$phase_dir/bootstrap.out" 2>"$phase_dir/bootstrap.err" </dev/null
  ) &
  BOOT_PID=$!
}

# boot_wait_ready : until the bootstrap waits in GET /next (it must not exit meanwhile).
boot_wait_ready() {
  local _
  for _ in $(seq $((start_timeout * 10))); do
    [ "$(fake_get /_control/stats waiting_for_next)" = true ] && return 0
    kill -0 "$BOOT_PID" 2>/dev/null || fail "the bootstrap exited instead of polling /next"
    sleep 0.1
  done
  fail "the bootstrap did not call /next within $start_timeout s"
}

# boot_stop : the bootstrap must still be running; SIGTERM (then SIGKILL after 5 s).
boot_stop() {
  kill -0 "$BOOT_PID" 2>/dev/null || fail "the bootstrap exited while serving"
  stop_pid "$BOOT_PID"
  BOOT_PID=
}

# check_stdout : every line the bootstrap printed on stdout is a JSON object (and there is one).
check_stdout() {
  python3 - "$phase_dir/bootstrap.out" <<'EOF' || fail "the bootstrap's stdout is not JSON lines"
import json, sys
lines = [line for line in open(sys.argv[1], errors="replace").read().splitlines() if line.strip()]
if not lines:
    sys.exit("lambda_runtime_test: the bootstrap logged nothing on stdout")
for number, line in enumerate(lines, 1):
    try:
        assert isinstance(json.loads(line), dict)
    except (ValueError, AssertionError):
        sys.exit(f"lambda_runtime_test: stdout line {number} is not a JSON object: {line[:200]!r}")
EOF
}

# --- events and invocations -------------------------------------------------------------

INVOCATIONS=0
ERRORS=0

# event NAME v1|v2 ARGS... : builds $phase_dir/NAME.event with lambda_events.py.
event() {
  local ev=$1
  shift
  python3 "$events" "$@" --out "$phase_dir/$ev.event" || fail "building event $ev"
}

# invoke_wait NAME : waits for the background invocation INVOKE_PID; fails at once when the
# bootstrap exits meanwhile.
invoke_wait() {
  local status=0
  while kill -0 "$INVOKE_PID" 2>/dev/null; do
    if ! kill -0 "$BOOT_PID" 2>/dev/null; then
      wait "$BOOT_PID" || status=$?
      BOOT_PID=
      fail "the bootstrap exited (status $status) during invocation $1"
    fi
    sleep 0.01
  done
  wait "$INVOKE_PID" || status=$?
  INVOKE_PID=
  [ "$status" = 0 ] || fail "invocation $1 got no answer (status $status)"
}

# invoke NAME [EVENT_FILE] [invoke args] : sends the event; the answer is $phase_dir/NAME.result.
invoke() {
  local ev=$1 file=${2:-$phase_dir/$1.event}
  shift
  [ $# -eq 0 ] || shift
  INVOCATIONS=$((INVOCATIONS + 1))
  python3 "$events" invoke --runtime "$RUNTIME" --timeout "$invoke_timeout" \
    --out "$phase_dir/$ev.result" "$@" "$file" &
  INVOKE_PID=$!
  invoke_wait "$ev"
}

# expect NAME CHECK_ARGS... : lambda_events.py check on NAME's answer; prints its summary.
expect() {
  local ev=$1
  shift
  python3 "$events" check "$phase_dir/$ev.result" --label "$ev" "$@" >>"$phase_dir/cases.txt" ||
    fail "case $ev"
}

# case_ok NAME EVENT_ARGS... -- CHECK_ARGS... : event, invoke, expect in one.
case_ok() {
  local ev=$1 build=() arg
  shift
  while [ $# -gt 0 ]; do
    arg=$1
    shift
    [ "$arg" = -- ] && break
    build+=("$arg")
  done
  event "$ev" "${build[@]}"
  invoke "$ev"
  expect "$ev" "$@"
}

declare -A expected=()
# add_rows BODY_COUNTS_JSON : adds a request's per-table counts to what the tables must hold.
add_rows() {
  local table n
  while read -r table n; do
    expected[$table]=$((${expected[$table]:-0} + n))
  done < <(python3 -c 'import json,sys
for k, v in json.loads(sys.argv[1]).items():
    if k != "rows": print(k, v)' "$1")
}

# --- fixtures ---------------------------------------------------------------------------

fixtures=$work/fixtures
mkdir -p "$fixtures"
node "$js/capture_otlp.js" "$fixtures/capture" >"$fixtures/capture.out" 2>&1 ||
  { cat "$fixtures/capture.out" >&2; fail "capturing the OpenTelemetry JS exporters' requests"; }
cap=$fixtures/capture
command -v zstd >/dev/null || fail "the zstd tool is needed (apt-get install zstd)"
# counts PATH CONTENT_TYPE FILE [ENCODING] : the body's rows per table, as JSON.
counts() {
  local encoding=()
  [ -z "${4:-}" ] || encoding=(--content-encoding "$4")
  python3 "$events" count --path "$1" --content-type "$2" "${encoding[@]}" "$3" ||
    fail "counting $3"
}
readonly PB=application/x-protobuf JSON=application/json
logs_pb=$(counts /v1/logs $PB "$cap/logs.proto.0.body")
logs_json=$(counts /v1/logs $JSON "$cap/logs.json.0.body")
logs_gz=$(counts /v1/logs $PB "$cap/logs.proto-gzip.0.body" gzip)
traces_pb=$(counts /v1/traces $PB "$cap/traces.proto.0.body")
traces_json=$(counts /v1/traces $JSON "$cap/traces.json.0.body")
metrics_pb=$(counts /v1/metrics $PB "$cap/metrics.proto.0.body")
metrics_json=$(counts /v1/metrics $JSON "$cap/metrics.json.0.body")
rows() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])["rows"])' "$1"; }

# The 1 MiB request: synthetic protobuf logs, its record count known.
synth=$(python3 "$events" synth-logs --bytes 1048576 --format proto "$fixtures/big.pb") ||
  fail "synthesizing the 1 MiB request"
big_records=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["records"])' "$synth")
big_bytes=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["bytes"])' "$synth")
big_counts="{\"logs\": $big_records}"
# Not protobuf: a length-delimited field whose length runs past the end.
printf '\x0a\xff\xff\xff\xff\x0fthis is not an export request' >"$fixtures/malformed.pb"
# Over the 6 MiB payload limit once base64 is undone.
head -c $((6 * 1024 * 1024 + 1)) /dev/zero >"$fixtures/oversized.pb"
# 70 MiB of zeros in 70 kB of gzip: over the 64 MiB decompression cap.
python3 -c 'import gzip,sys; open(sys.argv[1], "wb").write(gzip.compress(bytes(70 << 20), 9, mtime=0))' \
  "$fixtures/bomb.gz"
printf '{"hello": 1}' >"$fixtures/hello.event"
printf 'this is not JSON at all' >"$fixtures/notjson.event"
say "fixtures: captured exporter requests; 1 MiB request = $big_bytes bytes, $big_records log records"

# --- the cases --------------------------------------------------------------------------

# median NUMBER... : the middle one (the lower middle for an even count).
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

# measure MODE VAR=VALUE... : starts the bootstrap with a 1 MiB request already queued (cold
# start = exec -> its answer), then 5 warm 1 MiB requests; prints the latencies.
measure() {
  local mode=$1 t0 cold warm=() walls=() i
  shift
  event big v2 --path /v1/logs --content-type $PB "$fixtures/big.pb"
  INVOCATIONS=$((INVOCATIONS + 1))
  python3 "$events" invoke --runtime "$RUNTIME" --timeout "$invoke_timeout" \
    --out "$phase_dir/cold.result" "$phase_dir/big.event" &
  INVOKE_PID=$!
  for i in $(seq 100); do
    [ "$(fake_get /_control/stats queued)" = 1 ] && break
    [ "$i" -lt 100 ] || fail "the cold-start event was not queued"
    sleep 0.05
  done
  t0=$EPOCHREALTIME
  boot_start "$@"
  invoke_wait cold
  expect cold --status 200 --rows "$big_records" --encoding proto
  add_rows "$big_counts"
  cold=$(python3 -c 'import sys
t0 = sys.argv[2].replace(",", ".")
print(f"{(int(sys.argv[1]) - round(float(t0) * 1e9)) / 1e6:.1f}")' \
    "$(json_get "$phase_dir/cold.result" client end_epoch_ns)" "$t0")
  for i in 1 2 3 4 5; do
    invoke "warm$i" "$phase_dir/big.event"
    expect "warm$i" --status 200 --rows "$big_records" --encoding proto
    add_rows "$big_counts"
    warm+=("$(json_get "$phase_dir/warm$i.result" elapsed_ms)")
    walls+=("$(json_get "$phase_dir/warm$i.result" client wall_ms)")
  done
  echo "lambda[$label] $mode cold_start_ms=$cold warm_ms_median=$(median "${warm[@]}")" \
    "warm_wall_ms_median=$(median "${walls[@]}") request_bytes=$big_bytes records=$big_records" |
    tee -a "$work/latency.txt"
}

# run_cases : the case list, the same in every mode. Sets OK_LOGS_AFTER_FAILURE for the data
# checks. Needs stored_now (the mode's "rows are stored" check) and fault_on/fault_off.
run_cases() {
  case_ok v2-proto-logs v2 --path /v1/logs --content-type $PB "$cap/logs.proto.0.body" \
    -- --status 200 --rows "$(rows "$logs_pb")" --encoding proto
  add_rows "$logs_pb"
  stored_now logs "${expected[logs]}"

  event v2-json-traces v2 --path /v1/traces --content-type $JSON "$cap/traces.json.0.body"
  grep -q '"isBase64Encoded": false' "$phase_dir/v2-json-traces.event" || fail "v2-json-traces: the event is base64"
  invoke v2-json-traces
  expect v2-json-traces --status 200 --rows "$(rows "$traces_json")" --encoding json
  add_rows "$traces_json"

  case_ok v1-stage-proto-metrics v1 --stage-prefix /prod --path /v1/metrics --content-type $PB \
    "$cap/metrics.proto.0.body" -- --v1 --status 200 --rows "$(rows "$metrics_pb")" --encoding proto
  add_rows "$metrics_pb"
  case_ok v1-json-logs v1 --path /v1/logs --content-type $JSON "$cap/logs.json.0.body" \
    -- --v1 --status 200 --rows "$(rows "$logs_json")" --encoding json
  add_rows "$logs_json"
  case_ok v2-base64-json-metrics v2 --path /v1/metrics --content-type $JSON --base64 \
    "$cap/metrics.json.0.body" -- --status 200 --rows "$(rows "$metrics_json")" --encoding json
  add_rows "$metrics_json"
  case_ok v2-proto-traces-stage v2 --stage-prefix /prod --path /v1/traces --content-type $PB \
    "$cap/traces.proto.0.body" -- --status 200 --rows "$(rows "$traces_pb")" --encoding proto
  add_rows "$traces_pb"

  # Content-Encoding.
  case_ok gzip v2 --path /v1/logs --content-type $PB --content-encoding gzip --precompressed \
    "$cap/logs.proto-gzip.0.body" -- --status 200 --rows "$(rows "$logs_gz")" --encoding proto
  add_rows "$logs_gz"
  case_ok deflate v2 --path /v1/logs --content-type $JSON --content-encoding deflate \
    "$cap/logs.json.0.body" -- --status 200 --rows "$(rows "$logs_json")" --encoding json
  add_rows "$logs_json"
  case_ok zstd v2 --path /v1/traces --content-type $PB --content-encoding zstd \
    "$cap/traces.proto.0.body" -- --status 200 --rows "$(rows "$traces_pb")" --encoding proto
  add_rows "$traces_pb"
  case_ok v1-zstd-metrics v1 --stage-prefix /prod --path /v1/metrics --content-type $PB \
    --content-encoding zstd "$cap/metrics.proto.0.body" \
    -- --v1 --status 200 --rows "$(rows "$metrics_pb")" --encoding proto
  add_rows "$metrics_pb"

  # Refused requests; each time the next valid one still works.
  case_ok malformed-proto v2 --path /v1/logs --content-type $PB "$fixtures/malformed.pb" \
    -- --status 400 --encoding proto
  case_ok after-malformed v2 --path /v1/logs --content-type $PB "$cap/logs.proto.0.body" \
    -- --status 200 --rows "$(rows "$logs_pb")" --encoding proto
  add_rows "$logs_pb"
  case_ok malformed-json v2 --path /v1/traces --content-type $JSON \
    --literal-body '{"resourceSpans": [{"scopeSpans": [' -- --status 400 --encoding json
  case_ok bad-base64 v2 --path /v1/logs --content-type $PB --base64 \
    --literal-body '!!this is not base64!!' -- --status 400
  case_ok bad-gzip v2 --path /v1/logs --content-type $PB --content-encoding gzip --precompressed \
    "$cap/logs.proto.0.body" -- --status 400 --encoding proto
  case_ok oversized v2 --path /v1/logs --content-type $PB "$fixtures/oversized.pb" -- --status 413
  case_ok gzip-bomb v2 --path /v1/logs --content-type $PB --content-encoding gzip \
    --precompressed "$fixtures/bomb.gz" -- --status 413
  case_ok unknown-path v2 --path /v1/profiles --content-type $PB "$cap/logs.proto.0.body" \
    -- --status 404
  case_ok wrong-method v2 --method PUT --path /v1/logs --content-type $PB \
    "$cap/logs.proto.0.body" -- --status 405
  case_ok unsupported-type v2 --path /v1/logs --content-type application/xml \
    "$cap/logs.json.0.body" -- --status 415
  case_ok health v2 --method GET --path /health -- --status 200
  case_ok health-v1-stage v1 --method GET --stage-prefix /prod --path /health -- --v1 --status 200

  # Not an HTTP event: an invocation error, and the process keeps serving.
  invoke not-http "$fixtures/hello.event"
  expect not-http --kind error --error-type Runtime.InvalidEvent
  invoke not-json "$fixtures/notjson.event"
  expect not-json --kind error --error-type Runtime.InvalidEvent
  ERRORS=$((ERRORS + 2))
  kill -0 "$BOOT_PID" 2>/dev/null || fail "the bootstrap exited after an invalid event"
  case_ok after-invalid v2 --path /v1/traces --content-type $PB "$cap/traces.proto.0.body" \
    -- --status 200 --rows "$(rows "$traces_pb")" --encoding proto
  add_rows "$traces_pb"

  # Storage or catalog failure: 503 with Retry-After, answered before a 5 s deadline.
  fault_on
  event store-failure v2 --path /v1/logs --content-type $PB "$cap/logs.proto.0.body"
  invoke store-failure "" --deadline-ms 5000
  expect store-failure --status 503 --header retry-after
  fault_off
  case_ok after-failure v2 --path /v1/logs --content-type $PB "$cap/logs.proto.0.body" \
    -- --status 200 --rows "$(rows "$logs_pb")" --encoding proto
  add_rows "$logs_pb"
}

# finish_runtime_checks : the fake saw exactly our invocations and no rule violation; then the
# bootstrap is stopped and its output checked.
finish_runtime_checks() {
  local stats
  stats=$(fake_get /_control/stats)
  python3 - "$stats" "$INVOCATIONS" "$ERRORS" <<'EOF' || fail "the fake Runtime API's record: $stats"
import json, sys
stats, invocations, errors = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
problems = []
if stats["violations"]:
    problems.append("violations: " + "; ".join(stats["violations"]))
if stats["invocations_served"] != invocations:
    problems.append(f"{stats['invocations_served']} invocations served, {invocations} sent")
if stats["responses"] != invocations - errors or stats["errors"] != errors:
    problems.append(f"{stats['responses']} responses and {stats['errors']} errors, expected "
                    f"{invocations - errors} and {errors}")
if stats["init_errors"]:
    problems.append(f"{stats['init_errors']} init errors")
if stats["unanswered"]:
    problems.append(f"unanswered: {stats['unanswered']}")
if problems:
    sys.exit("lambda_runtime_test: " + "; ".join(problems))
EOF
  boot_stop
  check_stdout
  [ -z "$(find "$phase_dir/cwd" -mindepth 1 | head -5)" ] ||
    fail "the bootstrap wrote to its working directory: $(find "$phase_dir/cwd" -mindepth 1 | head -5 | tr '\n' ' ')"
}

# duck_count GLOB_OR_LIST : rows DuckDB reads from read_parquet(ARG) (ARG is SQL: a quoted glob
# or a list of quoted paths).
duck_count() {
  node "$js/duckdb_query.mjs" "SELECT count(*) AS n FROM read_parquet($1, hive_partitioning = false)" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["n"])'
}

# metadata_file TABLE : the local file of the Iceberg table's current metadata.
metadata_file() {
  python3 - "$CATALOG_URI/__catalog/tables/otel/$1" <<'EOF'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1]) as answer:
    print(answer.headers["X-Metadata-File"])
EOF
}

# stored_now TABLE N : right after an answer, the mode's storage already holds N rows of TABLE
# (S3: DuckDB reads the objects; Iceberg: the current snapshot's total-records).
stored_now() {
  local n
  if [ "$mode" = s3 ]; then
    rm -rf "$phase_dir/now"
    moto_download $bucket "$prefix/$1" "$phase_dir/now"
    n=$(duck_count "'$phase_dir/now/**/*.parquet'") || fail "DuckDB read of $1 in S3"
  else
    n=$(catalog_table otel "$1" | python3 -c 'import json,sys
m = json.load(sys.stdin)
snap = next(s for s in m["snapshots"] if s["snapshot-id"] == m["current-snapshot-id"])
print(snap["summary"]["total-records"])') || fail "no committed snapshot of $1"
  fi
  [ "$n" = "$2" ] || fail "right after the answer $mode holds $n $1 rows, expected $2"
}

# fault_on / fault_off : S3 (s3 mode) or the catalog's commits (iceberg mode) fail, or not.
fault_on() {
  if [ "$mode" = s3 ]; then
    s3proxy_faults '{"error500": 1.0}'
  else
    catalog_faults '{"error500": 1.0, "only": ["commit"]}'
  fi
}
fault_off() {
  if [ "$mode" = s3 ]; then s3proxy_faults '{}'; else catalog_faults '{}'; fi
}

begin_mode() {
  mode=$1
  phase_dir=$work/$1
  mkdir -p "$phase_dir"
  : >"$phase_dir/cases.txt"
  INVOCATIONS=0
  ERRORS=0
  expected=()
  fake_start
}

end_mode() {
  fake_stop
  say "$1: $(wc -l <"$phase_dir/cases.txt") cases ok; rows: $(for t in $tables; do printf '%s=%s ' "$t" "${expected[$t]:-0}"; done)"
}

export AWS_EC2_METADATA_DISABLED=true

# 0. Configuration errors.
begin_mode config
check_config_error() {
  local what=$1 status=0 before _
  shift
  before=$(fake_get /_control/stats init_errors)
  boot_start "$@"
  for _ in $(seq $((start_timeout * 10))); do
    kill -0 "$BOOT_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$BOOT_PID" 2>/dev/null && fail "$what: the bootstrap still runs $start_timeout s after a config error"
  wait "$BOOT_PID" || status=$?
  BOOT_PID=
  [ "$status" = 1 ] || fail "$what: exit status $status, expected 1"
  [ "$(fake_get /_control/stats init_errors)" = $((before + 1)) ] || fail "$what: no init error was posted"
  fake_get /_control/init_error >"$phase_dir/init_error.json"
  [ "$(json_get "$phase_dir/init_error.json" error_type)" = Runtime.ConfigError ] ||
    fail "$what: init error type $(json_get "$phase_dir/init_error.json" error_type)"
  [ "$(json_get "$phase_dir/init_error.json" error errorType)" = Runtime.ConfigError ] ||
    fail "$what: errorType in the body: $(cat "$phase_dir/init_error.json")"
  [ -n "$(json_get "$phase_dir/init_error.json" error errorMessage)" ] || fail "$what: empty errorMessage"
  say "config error ($what): exit 1, Runtime.ConfigError: $(json_get "$phase_dir/init_error.json" error errorMessage)"
}
check_config_error "nothing configured"
check_config_error "invalid value" OTLP2PARQUET_S3_BUCKET=$bucket OTLP2PARQUET_BATCH_MAX_ROWS=0
[ "$(fake_get /_control/stats invocations_served)" = 0 ] || fail "/next was called after a config error"
[ "$(fake_get /_control/stats violations)" = "[]" ] || fail "violations: $(fake_get /_control/stats violations)"
fake_stop

# S3 for both modes: moto behind the SigV4-checking proxy (the bootstrap signs with the
# Lambda-style session credentials test/test + token).
moto_start "$work/moto"
moto_make_bucket $bucket
moto_make_bucket $lake
s3proxy_start "$work/moto" --verify-sigv4 --credentials test:test --seed 3
say "moto at $MOTO_ENDPOINT, SigV4-checking proxy at $S3PROXY_ENDPOINT"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1  # icebird, moto_lib

# 1. Plain S3.
begin_mode s3
measure s3 OTLP2PARQUET_S3_BUCKET=$bucket OTLP2PARQUET_S3_ENDPOINT="$S3PROXY_ENDPOINT" \
  OTLP2PARQUET_S3_REGION=us-east-1 OTLP2PARQUET_S3_ADDRESSING=path OTLP2PARQUET_S3_PREFIX="$prefix"
stored_now logs "${expected[logs]}"
run_cases
[ "$(s3proxy_stats error500)" -gt 0 ] || fail "the S3 failure case reached no S3 request"
finish_runtime_checks
[ "$(s3proxy_stats sigv4_failures)" = 0 ] || fail "the proxy rejected $(s3proxy_stats sigv4_failures) signatures"
moto_download $bucket "$prefix" "$phase_dir/data"
for table in $tables; do
  want=${expected[$table]:-0}
  if [ "$want" = 0 ]; then
    [ ! -d "$phase_dir/data/$table" ] || fail "S3 has $table files, expected none"
    continue
  fi
  n=$(duck_count "'$phase_dir/data/$table/**/*.parquet'") || fail "DuckDB read of $table"
  [ "$n" = "$want" ] || fail "S3 mode: DuckDB reads $n $table rows, expected $want"
done
say "s3: DuckDB read back every row from moto ($(find "$phase_dir/data" -name '*.parquet' | wc -l) files), no violations, all signatures valid"
end_mode s3

# 2. Iceberg: the test catalog (S3 Tables naming rules), tables in moto S3.
catalog_start "$work/cat" --warehouse-location "s3://$lake/wh" --s3tables-names
begin_mode iceberg
measure iceberg OTLP2PARQUET_ICEBERG_REST_URI="$CATALOG_URI" OTLP2PARQUET_S3_ENDPOINT="$S3PROXY_ENDPOINT" \
  OTLP2PARQUET_S3_REGION=us-east-1 OTLP2PARQUET_S3_ADDRESSING=path
stored_now logs "${expected[logs]}"
run_cases
[ "$(catalog_stats error500)" -gt 0 ] || fail "the catalog failure case reached no commit"
finish_runtime_checks
[ "$(s3proxy_stats sigv4_failures)" = 0 ] || fail "the proxy rejected $(s3proxy_stats sigv4_failures) signatures"
moto_download $lake wh "$phase_dir/wh"
summary=
for table in $tables; do
  want=${expected[$table]:-0}
  [ "$want" != 0 ] || continue
  meta=$(metadata_file "$table") || fail "no metadata for table $table"
  /usr/bin/python3 "$verify" --map "s3://$lake/wh=$phase_dir/wh" --expect-records "$want" --json \
    "$meta" >"$phase_dir/$table.verify.json" || fail "iceberg_verify.py $table"
  node "$js/iceberg_read.mjs" --s3-endpoint "$MOTO_ENDPOINT" --expect-records "$want" "$meta" \
    >"$phase_dir/$table.icebird.json" || fail "icebird read of $table"
  files=$(python3 -c 'import json,sys
print(", ".join("\x27" + p.replace("file://", "", 1) + "\x27" for p in json.load(open(sys.argv[1]))["data_files"]))' \
    "$phase_dir/$table.verify.json")
  n=$(duck_count "[$files]") || fail "DuckDB read of $table's data files"
  [ "$n" = "$want" ] || fail "Iceberg mode: DuckDB reads $n $table rows, expected $want"
  summary+="$table=$want/$(json_get "$phase_dir/$table.verify.json" snapshots) "
done
say "iceberg: iceberg_verify, icebird and DuckDB agree (table=rows/snapshots): $summary"
end_mode iceberg
catalog_stop

# 3. Local mode, for local testing.
begin_mode local
boot_start OTLP2PARQUET_STORAGE_BACKEND=local OTLP2PARQUET_STORAGE_PATH="$phase_dir/data"
boot_wait_ready
case_ok v2-proto-logs v2 --path /v1/logs --content-type $PB "$cap/logs.proto.0.body" \
  -- --status 200 --rows "$(rows "$logs_pb")" --encoding proto
n=$(duck_count "'$phase_dir/data/logs/**/*.parquet'") || fail "DuckDB read of the local files"
[ "$n" = "$(rows "$logs_pb")" ] || fail "local mode: DuckDB reads $n rows, expected $(rows "$logs_pb")"
finish_runtime_checks
say "local: $n rows written to $phase_dir/data and read back"
fake_stop

say "ok"
