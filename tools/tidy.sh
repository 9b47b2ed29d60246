#!/usr/bin/env bash
# Runs clang-tidy (config in .clang-tidy) over src/ using the dev build's compile_commands.json.
# Usage: tools/tidy.sh [files...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f build/dev/compile_commands.json ] || cmake --preset dev >/dev/null
if [ "$#" -eq 0 ]; then
  mapfile -t files < <(git ls-files 'src/*.cc')
else
  files=("$@")
fi
clang-tidy -p build/dev --quiet "${files[@]}"
