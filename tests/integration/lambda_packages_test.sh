#!/usr/bin/env bash
# The Lambda zips built by deploy/package/build_zip.sh (test.sh builds them before ctest):
# each holds one fully static `bootstrap` for its architecture (no dynamic section, so no GLIBC
# requirement at all: it runs on provided.al2023's glibc 2.34), under 4 MiB, and behaves like
# the development build through every case of lambda_runtime_test.sh (arm64 under
# qemu-aarch64-static, called explicitly: there is no binfmt_misc here).
#   lambda_packages_test.sh SOURCE_DIR
set -euo pipefail

src=$1
out=${O2P_LAMBDA_OUT:-$src/build/lambda}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

check_zip() {
  local arch=$1 machine=$2 zip="$out/bootstrap-$1.zip"
  [ -f "$zip" ] || fail "$zip is missing: run deploy/package/build_zip.sh --arch $arch"
  local size
  size=$(stat -c %s "$zip")
  [ "$size" -lt $((4 * 1024 * 1024)) ] || fail "$zip is $size bytes (limit 4 MiB)"
  [ "$(unzip -Z1 "$zip")" = "bootstrap" ] || fail "$zip must hold exactly one file, bootstrap"
  mkdir -p "$work/$arch"
  unzip -q -o "$zip" -d "$work/$arch"
  local bin="$work/$arch/bootstrap"
  [ -x "$bin" ] || fail "$arch bootstrap is not executable in the zip"
  readelf -d "$bin" 2>&1 | grep -q "There is no dynamic section" ||
    fail "$arch bootstrap is dynamically linked"
  if readelf -sW "$bin" | grep -q "GLIBC_2\.3[5-9]"; then
    fail "$arch bootstrap references glibc symbols newer than 2.34"
  fi
  readelf -h "$bin" | grep -q "Machine:.*$machine" || fail "$arch bootstrap is not $machine"
  echo "ok: $arch zip $size bytes, static, $machine"
}

check_zip x86_64 "X86-64"
check_zip arm64 "AArch64"

"$src/tests/integration/lambda_runtime_test.sh" "$work/x86_64/bootstrap" "$src" --label x86_64-static
"$src/tests/integration/lambda_runtime_test.sh" "$work/arm64/bootstrap" "$src" \
  --emulator qemu-aarch64-static --label arm64-qemu
echo "lambda packages: PASS"
