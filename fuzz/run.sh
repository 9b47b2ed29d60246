#!/usr/bin/env bash
# Runs libFuzzer targets of the fuzz preset for a given time each, with the memory limits every
# run uses (docs/fuzzing.md), and prints execs/s and coverage per target.
#
#   fuzz/run.sh [--time SECONDS] [--jobs N] [--build DIR] [TARGET ...]
#     --time   seconds per target (default 60)
#     --jobs   targets fuzzed at once (default: the number of cores)
#     --build  the fuzz build folder (default build/fuzz; built first when it is the default)
#     TARGET   names such as otlp_proto (default: all)
#
# Each target keeps a growing corpus in BUILD/fuzz-corpus/<target> (seeded from
# fuzz/corpus/<target>) and writes crashing inputs to BUILD/fuzz-artifacts/<target>/. Exit
# status 1 when any target found a crash, leak, timeout or out-of-memory input: copy that input
# to fuzz/regressions/<target>/ with the fix.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

seconds=60
jobs=$(nproc)
build=""
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

if [ -z "$build" ]; then
  build="$root/build/fuzz"
  (cd "$root" && { [ -f "$build/build.ninja" ] || cmake --preset fuzz >/dev/null; } &&
    cmake --build --preset fuzz)
fi
if [ "${#targets[@]}" -eq 0 ]; then
  for exe in "$build"/fuzz/fuzz_*; do targets+=("${exe##*/fuzz_}"); done
fi

# One target: fuzz, then pull the final numbers out of its log.
fuzz_one() {
  local name=$1
  local exe="$build/fuzz/fuzz_$name" corpus="$build/fuzz-corpus/$name"
  local artifacts="$build/fuzz-artifacts/$name" log="$build/fuzz-logs/$name.log"
  if [ ! -x "$exe" ]; then
    echo "run.sh: no fuzz target $exe" >&2
    return 1
  fi
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  local args=(-max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$artifacts/")
  if [ -f "$root/fuzz/dict/$name.dict" ]; then args+=(-dict="$root/fuzz/dict/$name.dict"); fi
  local seeds=()
  if [ -d "$root/fuzz/corpus/$name" ]; then seeds+=("$root/fuzz/corpus/$name"); fi
  if [ -d "$root/fuzz/regressions/$name" ]; then seeds+=("$root/fuzz/regressions/$name"); fi
  local status=0
  "$exe" "${args[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
  local execs cov ft units
  execs=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
  units=$(find "$corpus" -type f | wc -l)
  if [ "$status" -eq 0 ]; then
    printf '%-14s ok      %ss  execs/s %-7s cov %-6s ft %-7s corpus %s\n' \
      "$name" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$units"
  else
    printf '%-14s FAILED  (exit %s) see %s; inputs in %s\n' "$name" "$status" "$log" "$artifacts"
    grep -m3 -E 'ERROR: |SUMMARY: |runtime error' "$log" | sed 's/^/    /' || true
  fi
  return "$status"
}

failed=0
running=0
for name in "${targets[@]}"; do
  fuzz_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
