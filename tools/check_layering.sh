#!/usr/bin/env bash
# Fails when a module includes a module it may not depend on (../shared/design.md,
# "Allowed dependencies"). Usage: tools/check_layering.sh [repo-root]
set -euo pipefail
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$root/src/o2p"

allowed_deps() {
  case "$1" in
    base) echo "base" ;;
    columnar) echo "base columnar" ;;
    otlp) echo "base columnar otlp" ;;
    parquet) echo "base columnar parquet" ;;
    storage) echo "base storage" ;;
    iceberg) echo "base storage iceberg" ;;
    pipeline) echo "base columnar parquet storage iceberg pipeline" ;;
    server) echo "base columnar otlp pipeline server" ;;
    lambda) echo "base otlp pipeline storage lambda server" ;;
    config) echo "base columnar otlp parquet storage iceberg pipeline server lambda config" ;;
    *) echo "" ;;
  esac
}

status=0
for dir in */; do
  module=${dir%/}
  allowed=$(allowed_deps "$module")
  if [ -z "$allowed" ]; then
    echo "layering: module '$module' is not in the dependency table" >&2
    status=1
    continue
  fi
  while IFS= read -r line; do
    file=${line%%:*}
    target=$(sed -E 's/.*#include "o2p\/([a-z_]+)\/.*/\1/' <<<"$line")
    if ! grep -qw -- "$target" <<<"$allowed"; then
      echo "layering: $file includes o2p/$target/, which module '$module' may not use" >&2
      status=1
    fi
    # Module-private headers stay private.
    if [ "$target" != "$module" ] && grep -q "#include \"o2p/$target/internal/" <<<"$line"; then
      echo "layering: $file includes a private header of '$target'" >&2
      status=1
    fi
  done < <(grep -rHE '#include "o2p/[a-z_]+/' "$module" || true)
done
[ $status -eq 0 ] && echo "layering: ok"
exit $status
