#!/usr/bin/env bash
# Builds the AWS Lambda custom runtime `bootstrap` fully static (presets lambda-x86_64 and
# lambda-arm64, docs/lambda.md "Packages"), strips it and zips it for provided.al2023.
#
# Usage: deploy/package/build_zip.sh [--arch x86_64|arm64|amd64|all] [--out DIR]
#   --arch  x86_64 (default, alias amd64), arm64, or all (both)
#   --out   output directory (default build/lambda in the repository); it receives
#           <arch>/bootstrap (stripped) and bootstrap-<arch>.zip (bootstrap alone, mode 0755)
#
# Then checks each package: no dynamic section (so no GLIBC_ requirement), the ELF machine, the
# zip under 4 MiB, and that the binary starts (without AWS_LAMBDA_RUNTIME_API it must print an
# error and exit 1; arm64 runs through qemu-aarch64-static). Needs `tools/setup.sh --lambda`.
set -euo pipefail

readonly MAX_ZIP_BYTES=$((4 * 1024 * 1024))

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
arch_arg=x86_64
out_dir="$root/build/lambda"

usage() { sed -n '5,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "build_zip: $*" >&2; exit 1; }

while [ "$#" -gt 0 ]; do
  case "$1" in
    --arch)
      [ "$#" -ge 2 ] || die "--arch needs a value"
      arch_arg=$2
      shift 2
      ;;
    --arch=*) arch_arg=${1#--arch=}; shift ;;
    --out)
      [ "$#" -ge 2 ] || die "--out needs a value"
      out_dir=$2
      shift 2
      ;;
    --out=*) out_dir=${1#--out=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

case "$arch_arg" in
  x86_64 | amd64) arches=(x86_64) ;;
  arm64) arches=(arm64) ;;
  all) arches=(x86_64 arm64) ;;
  *) die "unknown --arch '$arch_arg' (x86_64, amd64, arm64 or all)" ;;
esac

mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)

# ccache keys on paths relative to the checkout, so another checkout (CI) hits the same cache.
export CCACHE_BASEDIR="$root"

need() {
  command -v "$1" >/dev/null || die "$1 not found (run tools/setup.sh --lambda)"
}
need cmake
need zip
need readelf

# Decimal sizes with binary units: 3.1 MiB.
human() { numfmt --to=iec-i --suffix=B --format='%.1f' "$1"; }

summaries=()

package() {
  local arch=$1
  local preset="lambda-$arch" strip_tool=strip machine run_prefix=()
  case "$arch" in
    x86_64) machine="Advanced Micro Devices X86-64" ;;
    arm64)
      strip_tool=aarch64-linux-gnu-strip
      machine="AArch64"
      need qemu-aarch64-static
      run_prefix=(qemu-aarch64-static)
      ;;
  esac
  need "$strip_tool"

  local build_dir="$root/build/$preset"
  local start end
  start=$(date +%s.%N)
  if [ ! -f "$build_dir/build.ninja" ]; then
    (cd "$root" && cmake --preset "$preset" >/dev/null)
  fi
  # Ninja re-runs CMake itself when a CMakeLists.txt changed, and does nothing when up to date.
  (cd "$root" && cmake --build --preset "$preset")
  end=$(date +%s.%N)
  local build_seconds
  build_seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')

  local binary="$build_dir/src/main/bootstrap"
  [ -x "$binary" ] || die "$arch: $binary was not built"

  local pkg_dir="$out_dir/$arch" zip_file="$out_dir/bootstrap-$arch.zip"
  mkdir -p "$pkg_dir"
  "$strip_tool" --strip-all -o "$pkg_dir/bootstrap" "$binary"
  chmod 0755 "$pkg_dir/bootstrap"
  rm -f "$zip_file"
  # -j: bootstrap at the zip root; -X: no extra attributes (uid/gid, times), the mode stays.
  zip -q -9 -j -X "$zip_file" "$pkg_dir/bootstrap"

  # Checks.
  local dynamic
  dynamic=$(readelf -d "$pkg_dir/bootstrap" 2>&1)
  if [[ "$dynamic" != *"There is no dynamic section in this file."* ]]; then
    echo "$dynamic" | head -20 >&2
    die "$arch: bootstrap has a dynamic section: it is not fully static"
  fi
  local glibc
  glibc=$(readelf -W -V "$pkg_dir/bootstrap" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -1 || true)
  echo "$arch: no dynamic section; highest GLIBC_ symbol version: ${glibc:-none}"
  [ -z "$glibc" ] || die "$arch: a static binary should need no GLIBC_ version, found $glibc"

  local got_machine
  got_machine=$(readelf -h "$pkg_dir/bootstrap" | sed -n 's/^ *Machine: *//p')
  [ "$got_machine" = "$machine" ] || die "$arch: ELF machine is '$got_machine', expected '$machine'"
  echo "$arch: ELF machine $got_machine"

  local mode
  mode=$(zipinfo "$zip_file" bootstrap | awk '{ print $1 }')
  [ "$mode" = "-rwxr-xr-x" ] || die "$arch: bootstrap in the zip has mode $mode, expected 0755"
  [ "$(zipinfo -1 "$zip_file")" = "bootstrap" ] || die "$arch: the zip must hold bootstrap alone"

  local bin_bytes zip_bytes
  bin_bytes=$(stat -c %s "$pkg_dir/bootstrap")
  zip_bytes=$(stat -c %s "$zip_file")
  if [ "$zip_bytes" -ge "$MAX_ZIP_BYTES" ]; then
    die "$arch: $zip_file is $zip_bytes bytes ($(human "$zip_bytes")), the limit is 4 MiB"
  fi

  # Starts: outside Lambda (no AWS_LAMBDA_RUNTIME_API) it reports the error and exits 1.
  local run_output status=0
  run_output=$(cd / && env -u AWS_LAMBDA_RUNTIME_API "${run_prefix[@]}" "$pkg_dir/bootstrap" 2>&1) ||
    status=$?
  if [ "$status" -ne 1 ] || [ -z "$run_output" ]; then
    echo "$run_output" >&2
    die "$arch: bootstrap without AWS_LAMBDA_RUNTIME_API exited $status, expected 1 and an error"
  fi
  echo "$arch: starts; without AWS_LAMBDA_RUNTIME_API: exit 1, $(head -1 <<<"$run_output")"

  summaries+=("$(printf 'bootstrap-%s: binary %s (%s bytes), zip %s (%s bytes), build %s s' \
    "$arch" "$(human "$bin_bytes")" "$bin_bytes" "$(human "$zip_bytes")" "$zip_bytes" \
    "$build_seconds")")
}

for arch in "${arches[@]}"; do
  package "$arch"
done

echo
for line in "${summaries[@]}"; do
  echo "$line"
done
echo "packages in $out_dir"
