#!/usr/bin/env bash
# End-to-end load benchmark: otlp2parquet convert (OTLP protobuf -> zstd Parquet, pinned to one
# core) against DuckDB (the same records as OTLP/JSON -> read_json -> COPY ... zstd Parquet).
#
#   bench/load/convert_vs_duckdb.sh [BUILD_DIR]        # BUILD_DIR default: build/release
#
# Builds nothing: first `cmake --preset release && cmake --build --preset release` (the
# release preset builds bench/, including o2p_gen_otlp_logs). Needs node and tests/js/node_modules
# (tools/setup.sh). Environment: RECORDS (default 1000000), PER_REQUEST (records per .pb file,
# default 10000), SEED (default 42), CPU (the core both single-core runs are pinned to, default 0),
# KEEP=1 keeps the temporary directory. Prints a report and, last, one JSON line.
# Targets (issue): ours >= 400000 records/s on one core and >= 10x DuckDB on one thread.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-build/release}
[[ $build = /* ]] || build="$repo/$build"
records=${RECORDS:-1000000}
per_request=${PER_REQUEST:-10000}
seed=${SEED:-42}
cpu=${CPU:-0}

gen="$build/bench/o2p_gen_otlp_logs"
o2p="$build/src/main/otlp2parquet"
duck="$repo/bench/load/duckdb_convert.mjs"
for f in "$gen" "$o2p"; do
  [[ -x $f ]] || { echo "missing $f (build with: cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
done
[[ -d $repo/tests/js/node_modules/@duckdb/node-api ]] || { echo "missing tests/js/node_modules (run tools/setup.sh)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/o2p-load.XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then
  echo "keeping $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
json_field() { sed -n "s/.*\"$1\":\\([0-9.]*\\).*/\\1/p" <<<"$2"; }
duckdb_sql() {
  node --input-type=module -e "
    import { createRequire } from 'node:module';
    const require = createRequire('$repo/tests/js/package.json');
    const { DuckDBInstance } = require('@duckdb/node-api');
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    const r = await c.runAndReadAll(process.argv[1]);
    console.log(r.getRows().map((row) => row.join('\t')).join('\n'));
  " "$1"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "generating $records records ($per_request per request, seed $seed) in $work/in ..."
gen_json=$("$gen" --records "$records" --per-request "$per_request" --seed "$seed" --out-dir "$work/in")
pb_bytes=$(json_field pb_bytes "$gen_json")
jsonl_bytes=$(json_field jsonl_bytes "$gen_json")
echo "  protobuf $pb_bytes bytes ($(json_field pb_bytes_per_record "$gen_json") B/record), OTLP/JSON $jsonl_bytes bytes"
# Warm the page cache for both inputs so neither side pays for the first read from disk.
cat "$work"/in/logs-*.pb "$work/in/logs.jsonl" >/dev/null

echo "otlp2parquet convert, taskset -c $cpu ..."
timer=()
[[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f '%U %S %M' -o "$work/ours.time")
start=$(now)
"${timer[@]}" taskset -c "$cpu" "$o2p" convert -q --compression zstd -o "$work/ours" "$work"/in/logs-*.pb
ours_s=$(calc %.3f "$(now) - $start")
ours_cpu=null
ours_rss=null
if [[ -s $work/ours.time ]]; then
  read -r user sys rss_kb <"$work/ours.time"
  ours_cpu=$(calc %.2f "$user + $sys")
  ours_rss=$(calc %.0f "$rss_kb / 1024")
fi
ours_bytes=$(find "$work/ours" -name '*.parquet' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
ours_files=$(find "$work/ours" -name '*.parquet' | wc -l)
ours_rows=$(duckdb_sql "SELECT count(*) FROM read_parquet('$work/ours/**/*.parquet')")
if [[ $ours_rows != "$records" ]]; then
  echo "FAIL: otlp2parquet wrote $ours_rows rows, expected $records" >&2
  exit 1
fi

echo "DuckDB, 1 thread (taskset -c $cpu) ..."
duck1=$(taskset -c "$cpu" node "$duck" "$work/in/logs.jsonl" "$work/duck1.parquet" 1)
echo "DuckDB, default threads ..."
duckn=$(node "$duck" "$work/in/logs.jsonl" "$work/duckn.parquet")
for d in "$duck1" "$duckn"; do
  if [[ $(json_field records "$d") != "$records" ]]; then
    echo "FAIL: DuckDB wrote $(json_field records "$d") rows, expected $records" >&2
    exit 1
  fi
done

ours_rps=$(calc %.0f "$records / $ours_s")
ours_mbps=$(calc %.1f "$pb_bytes / $ours_s / 1e6")
duck1_rps=$(json_field records_per_s "$duck1")
duckn_rps=$(json_field records_per_s "$duckn")
ratio1=$(calc %.1f "$ours_rps / $duck1_rps")
ration=$(calc %.1f "$ours_rps / $duckn_rps")
verdict() { awk "BEGIN { print ($1) ? \"ok\" : \"BELOW TARGET\" }"; }

cat <<EOF

records                          $records
otlp2parquet (1 core)            $ours_s s, $ours_rps records/s, $ours_mbps MB/s of protobuf in
  cpu, memory                    $ours_cpu s user+sys, max RSS $ours_rss MiB
  output                         $ours_bytes bytes in $ours_files files (zstd), $ours_rows rows
DuckDB (1 thread)                $(json_field seconds "$duck1") s, $duck1_rps records/s, $(json_field cpu_seconds "$duck1") s cpu
  output                         $(json_field output_bytes "$duck1") bytes (zstd)
$(printf '%-33s' "DuckDB ($(json_field threads "$duckn") threads, default)")$(json_field seconds "$duckn") s, $duckn_rps records/s, $(json_field cpu_seconds "$duckn") s cpu
  output                         $(json_field output_bytes "$duckn") bytes (zstd)
ratio ours / DuckDB              ${ratio1}x (1 thread), ${ration}x (default threads)
target >= 400000 records/s       $(verdict "$ours_rps >= 400000")
target >= 10x DuckDB (1 thread)  $(verdict "$ratio1 >= 10")
EOF
echo "{\"records\":$records,\"pb_bytes\":$pb_bytes,\"jsonl_bytes\":$jsonl_bytes,\"ours\":{\"seconds\":$ours_s,\"cpu_seconds\":$ours_cpu,\"max_rss_mib\":$ours_rss,\"records_per_s\":$ours_rps,\"output_bytes\":$ours_bytes,\"files\":$ours_files},\"duckdb_1\":$duck1,\"duckdb_default\":$duckn,\"ratio_1\":$ratio1,\"ratio_default\":$ration}"
