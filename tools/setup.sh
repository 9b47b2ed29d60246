#!/usr/bin/env bash
# Installs every Debian package the build and the tests need, and the npm test tools.
# Idempotent: runs `apt-get update` at most once and installs only what is missing.
# Usage: tools/setup.sh            (as root, or with sudo available)
set -euo pipefail

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

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

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
