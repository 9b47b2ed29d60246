#!/usr/bin/env bash
# Captures what the real OpenTelemetry JS OTLP exporters send, then checks that our decoders
# accept it (tests/integration/real_clients_test.cc).
#
# Usage: run_real_clients.sh <path of o2p_real_clients_test> [gtest flags...]
# Needs node and tests/js/node_modules (tools/setup.sh runs `npm ci` there). The capture is
# deleted on success and kept (its path printed) on failure.
set -euo pipefail

if [ "$#" -lt 1 ]; then
  echo "usage: $0 <o2p_real_clients_test> [gtest flags...]" >&2
  exit 2
fi
test_binary=$1
shift

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
js_dir="$root/tests/js"

if ! command -v node >/dev/null; then
  echo "run_real_clients: node not found (tools/setup.sh installs it)" >&2
  exit 1
fi
if [ ! -d "$js_dir/node_modules/@opentelemetry" ]; then
  echo "run_real_clients: $js_dir/node_modules is missing; run tools/setup.sh" \
    "(or: cd tests/js && npm ci)" >&2
  exit 1
fi

capture_dir=$(mktemp -d "${TMPDIR:-/tmp}/o2p-real-clients.XXXXXX")
keep_on_failure() {
  local status=$?
  if [ "$status" -eq 0 ]; then
    rm -rf "$capture_dir"
  else
    echo "run_real_clients: capture kept in $capture_dir" >&2
  fi
}
trap keep_on_failure EXIT

node "$js_dir/capture_otlp.js" "$capture_dir"
O2P_CAPTURE_DIR="$capture_dir" "$test_binary" "$@"
