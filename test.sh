#!/usr/bin/env bash
# The whole test suite. Installs what is missing, configures and builds one preset, runs ctest.
#   ./test.sh                        optimized build, warnings are errors (preset "ci")
#   ./test.sh --preset asan-ubsan    the same tests under AddressSanitizer + UBSan
#   ./test.sh -L unit                extra arguments go to ctest (here: only unit tests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

preset=ci
if [ "${1:-}" = "--preset" ]; then
  preset=$2
  shift 2
fi

tools/setup.sh
export CCACHE_BASEDIR="$PWD"
[ -f "build/$preset/build.ninja" ] || cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" --output-on-failure -j "$(nproc)" "$@"
