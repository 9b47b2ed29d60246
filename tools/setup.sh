#!/usr/bin/env bash
# Installs every Debian package the build and the tests need, and the npm test tools.
# Idempotent: runs `apt-get update` at most once and installs only what is missing.
# Usage: tools/setup.sh [--lambda] [--clang]   (as root, or with sudo available)
#   --lambda  also the static Lambda packages' needs (docs/lambda.md, "Packages"): the arm64
#             cross compiler, qemu-user-static, zip and the :arm64 -dev libraries `bootstrap`
#             links. Opt-in: multiarch :arm64 -dev installs upgrade the matching amd64 packages
#             and add ~800 MB, which the normal build and tests do not need.
#   --clang   clang 14 and its runtime libraries (libFuzzer, sanitizers): presets clang, fuzz.
set -euo pipefail

lambda=0
clang=0
for arg in "$@"; do
  case "$arg" in
    --lambda) lambda=1 ;;
    --clang) clang=1 ;;
    -h | --help)
      sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "setup: unknown argument '$arg' (try --help)" >&2
      exit 2
      ;;
  esac
done

readonly APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libgtest-dev libgmock-dev libbenchmark-dev
  libprotobuf-dev protobuf-compiler
  libzstd-dev zlib1g-dev libfmt-dev
  libsnappy-dev liblz4-dev
  libtomlplusplus-dev
  libboost1.81-dev libgrpc++-dev protobuf-compiler-grpc
  libssl-dev openssl ca-certificates
  python3-avro
  nodejs
)
# --clang: the compiler and libclang_rt (fuzzer, asan, ubsan) for the clang and fuzz presets.
readonly CLANG_PACKAGES=(clang-14 libclang-rt-14-dev)
# --lambda, host side: cross compiler (gcc 12, with binutils), emulator, zip for the packages.
readonly LAMBDA_HOST_PACKAGES=(g++-aarch64-linux-gnu qemu-user-static zip)
# --lambda, target side: the .a libraries (and CMake configs) the arm64 `bootstrap` links.
# No protobuf, gRPC, brotli or libdeflate: nothing on the Lambda path uses them.
readonly LAMBDA_ARM64_PACKAGES=(
  libzstd-dev:arm64 zlib1g-dev:arm64 liblz4-dev:arm64 libsnappy-dev:arm64
  libssl-dev:arm64 libboost1.81-dev:arm64 libfmt-dev:arm64
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

wanted=("${APT_PACKAGES[@]}")
if [ "$clang" -eq 1 ]; then wanted+=("${CLANG_PACKAGES[@]}"); fi
if [ "$lambda" -eq 1 ]; then
  wanted+=("${LAMBDA_HOST_PACKAGES[@]}" "${LAMBDA_ARM64_PACKAGES[@]}")
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "setup: adding the arm64 architecture"
    "${sudo_cmd[@]}" dpkg --add-architecture arm64
  fi
fi

# One dpkg-query for all packages, no process per package: repeated runs stay well under 1 s.
# It qualifies Multi-Arch: same packages with their architecture (libzstd-dev:amd64), others not.
declare -A installed=()
while read -r name status; do
  if [ "$status" = "install ok installed" ]; then installed[$name]=1; fi
done < <(dpkg-query -W -f='${binary:Package} ${Status}\n' "${wanted[@]}" 2>/dev/null || true)
native_arch=$(dpkg --print-architecture)
missing=()
for pkg in "${wanted[@]}"; do
  if [ -z "${installed[$pkg]:-}" ] && [ -z "${installed[$pkg:$native_arch]:-}" ]; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# npm test tools, pinned by tests/js/package-lock.json.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -f "$root/tests/js/package-lock.json" ]; then
  if ! command -v npm >/dev/null; then
    echo "setup: npm not found (Debian's nodejs package ships it as 'npm')" >&2
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  if [ ! -d "$root/tests/js/node_modules" ] ||
     [ "$root/tests/js/package-lock.json" -nt "$root/tests/js/node_modules/.package-lock.json" ]; then
    (cd "$root/tests/js" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
