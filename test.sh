#!/usr/bin/env bash
# The whole test suite. Installs what is missing, configures and builds one preset, runs ctest.
#   ./test.sh                        optimized build, warnings are errors, plus the static
#                                    Lambda zips (deploy/package/build_zip.sh) (preset "ci")
#   ./test.sh --preset asan-ubsan    the same tests under AddressSanitizer + UBSan
#   ./test.sh --preset fuzz          clang 14 libFuzzer build: every fuzz target replays
#                                    fuzz/regressions, then fuzzes for O2P_FUZZ_SECONDS (60)
#   ./test.sh -L unit                extra arguments go to ctest (here: only unit tests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

preset=ci
if [ "${1:-}" = "--preset" ]; then
  preset=$2
  shift 2
fi

# The `ci` preset also builds and tests the static Lambda zips (x86_64, and arm64 cross-built),
# which need the cross toolchain, qemu and the :arm64 libraries.
setup_args=()
case "$preset" in
  ci) setup_args=(--lambda) ;;
  clang | fuzz) setup_args=(--clang) ;;
esac
tools/setup.sh "${setup_args[@]}"
export CCACHE_BASEDIR="$PWD"
[ -f "build/$preset/build.ninja" ] || cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
if [ "$preset" = ci ]; then deploy/package/build_zip.sh --arch all; fi
ctest --preset "$preset" --output-on-failure -j "$(nproc)" "$@"
