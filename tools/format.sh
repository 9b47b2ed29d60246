#!/usr/bin/env bash
# Formats (or with --check, verifies) every C++ file under src/, tests/ and bench/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode=(-i)
[ "${1:-}" = "--check" ] && mode=(--dry-run -Werror)
git ls-files 'src/*.h' 'src/*.cc' 'tests/*.h' 'tests/*.cc' 'bench/*.cc' | xargs -r clang-format "${mode[@]}"
