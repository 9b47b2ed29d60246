#!/usr/bin/env bash
# Upload throughput to moto_server, multipart off and on (o2p_s3_upload, bench/load/s3_upload.cc).
# moto keeps objects in memory and runs in one Python process, so the numbers measure our
# client plus moto, not S3; they are for comparing settings.
# Usage: bench/load/s3_upload.sh [build-dir]   (FILES, SIZE_MIB, THREADS override the defaults)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build/release}
files=${FILES:-24}
size=${SIZE_MIB:-32}
threads=${THREADS:-4}
work=$(mktemp -d)
# shellcheck source=tests/integration/moto_lib.sh
source "$root/tests/integration/moto_lib.sh"
trap 'moto_stop; rm -rf "$work"' EXIT
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true
moto_start "$work"
moto_make_bucket bench
"$build/bench/o2p_s3_upload" "$MOTO_ENDPOINT" bench "$size" "$files" "$threads" 1024
"$build/bench/o2p_s3_upload" "$MOTO_ENDPOINT" bench "$size" "$files" "$threads" 5 8
"$build/bench/o2p_s3_upload" "$MOTO_ENDPOINT" bench "$size" "$files" 1 1024
"$build/bench/o2p_s3_upload" "$MOTO_ENDPOINT" bench "$size" "$files" 1 5 8
