# S3 for the shell tests: moto_server (the S3 service) and tests/fakes/s3_proxy.py in front of
# it (SigV4 checks and fault injection; see that file's documentation). Source it; every function
# returns non-zero with a "moto_lib:" message on stderr when it fails, so `set -euo pipefail`
# stops the caller. The stop functions never fail and may run twice, so they fit EXIT traps:
#   trap 's3proxy_stop; moto_stop' EXIT
#
# moto_start DIR           moto_server on 127.0.0.1:<free port>, log in DIR/moto.log; exports
#                          MOTO_ENDPOINT (http://127.0.0.1:PORT) and MOTO_PID
# moto_stop
# moto_make_bucket NAME    creates bucket NAME in moto (boto3, AKID test/test, us-east-1)
# moto_download BUCKET PREFIX DESTDIR
#                          downloads every object under PREFIX (treated as a folder: "a/b" means
#                          "a/b/"; "" means the whole bucket) to DESTDIR/<key relative to PREFIX>;
#                          keys ending in "/" (folder markers) are skipped
# s3proxy_start DIR ARGS...
#                          the proxy in front of $MOTO_ENDPOINT, log in DIR/s3proxy.log; ARGS go to
#                          s3_proxy.py (e.g. --verify-sigv4 --credentials test:test --seed 1
#                          --faults '{"error500":0.1}'); exports S3PROXY_ENDPOINT and S3PROXY_PID
# s3proxy_stop
# s3proxy_faults JSON      replaces the fault settings, e.g. '{"drop_after":1,"only_methods":["PUT"]}'
# s3proxy_reset            no faults, counters to zero, random generator re-seeded
# s3proxy_stats [KEY]      prints the counters as JSON, or one of them (KEY: requests, forwarded,
#                          error500, slowdown503, drop_before, drop_after, stall, sigv4_failures,
#                          upstream_errors, by_method.PUT, by_status.200, ...; 0 when absent)
# shellcheck shell=bash disable=SC2034  # MOTO_* and S3PROXY_* are for the caller

_MOTO_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
S3PROXY_SCRIPT=${S3PROXY_SCRIPT:-"$_MOTO_LIB_DIR/../fakes/s3_proxy.py"}

# _moto_lib_python ARGS... : python3 without the caller's AWS profile or config files.
_moto_lib_python() {
  env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true python3 "$@"
}

# _moto_lib_free_port : prints a TCP port that was free on 127.0.0.1 a moment ago.
_moto_lib_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# _moto_lib_answers URL : true when an HTTP server answers URL (any status).
_moto_lib_answers() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null --max-time 2 "$1"
  else
    python3 - "$1" <<'EOF' 2>/dev/null
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2).read()
except urllib.error.HTTPError:
    pass
EOF
  fi
}

# _moto_lib_stop_pid PID : SIGTERM, up to 5 s to exit, then SIGKILL; reaps it when it is ours.
_moto_lib_stop_pid() {
  local pid=$1 _
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

moto_start() {
  local dir=$1 port attempt _
  mkdir -p "$dir"
  for attempt in 1 2 3 4 5; do
    port=$(_moto_lib_free_port) || return 1
    echo "moto_lib: attempt $attempt: moto_server on 127.0.0.1:$port" >>"$dir/moto.log"
    moto_server -H 127.0.0.1 -p "$port" >>"$dir/moto.log" 2>&1 </dev/null &
    MOTO_PID=$!
    for _ in $(seq 300); do
      if ! kill -0 "$MOTO_PID" 2>/dev/null; then
        break # exited, most likely the port was taken meanwhile: try another one
      fi
      if _moto_lib_answers "http://127.0.0.1:$port/"; then
        export MOTO_ENDPOINT="http://127.0.0.1:$port" MOTO_PID
        return 0
      fi
      sleep 0.1
    done
    _moto_lib_stop_pid "$MOTO_PID"
    MOTO_PID=
  done
  echo "moto_lib: moto_server did not start (see $dir/moto.log)" >&2
  return 1
}

moto_stop() {
  _moto_lib_stop_pid "${MOTO_PID:-}"
  MOTO_PID=
}

s3proxy_start() {
  local dir=$1 port_file _
  shift
  if [ -z "${MOTO_ENDPOINT:-}" ]; then
    echo "moto_lib: s3proxy_start needs MOTO_ENDPOINT (call moto_start first)" >&2
    return 1
  fi
  mkdir -p "$dir"
  port_file="$dir/s3proxy.port"
  rm -f "$port_file"
  python3 "$S3PROXY_SCRIPT" --upstream "$MOTO_ENDPOINT" --port 0 --port-file "$port_file" \
    "$@" >>"$dir/s3proxy.log" 2>&1 </dev/null &
  S3PROXY_PID=$!
  for _ in $(seq 300); do
    if [ -s "$port_file" ]; then
      S3PROXY_ENDPOINT="http://127.0.0.1:$(cat "$port_file")"
      export S3PROXY_ENDPOINT S3PROXY_PID
      return 0
    fi
    if ! kill -0 "$S3PROXY_PID" 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
  echo "moto_lib: the S3 proxy did not start (see $dir/s3proxy.log)" >&2
  _moto_lib_stop_pid "$S3PROXY_PID"
  S3PROXY_PID=
  return 1
}

s3proxy_stop() {
  _moto_lib_stop_pid "${S3PROXY_PID:-}"
  S3PROXY_PID=
}

# _s3proxy_control METHOD PATH [BODY] [KEY] : calls a control endpoint; prints the JSON answer,
# or only KEY of it (dotted path) when KEY is not empty.
_s3proxy_control() {
  if [ -z "${S3PROXY_ENDPOINT:-}" ]; then
    echo "moto_lib: no S3PROXY_ENDPOINT (call s3proxy_start first)" >&2
    return 1
  fi
  python3 - "$S3PROXY_ENDPOINT" "$1" "$2" "${3:-}" "${4:-}" <<'EOF'
import json, sys, urllib.error, urllib.request
endpoint, method, path, body, key = sys.argv[1:6]
request = urllib.request.Request(endpoint + path, method=method,
                                 data=body.encode() if method == "POST" else None,
                                 headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
except urllib.error.HTTPError as error:
    sys.exit(f"moto_lib: {method} {path}: HTTP {error.code} {error.read().decode(errors='replace')}")
except OSError as error:
    sys.exit(f"moto_lib: {method} {path}: {error}")
if key:
    for part in key.split("."):
        answer = answer.get(part, 0) if isinstance(answer, dict) else 0
    print(json.dumps(answer) if isinstance(answer, (dict, list)) else answer)
else:
    print(json.dumps(answer, sort_keys=True))
EOF
}

s3proxy_faults() {
  _s3proxy_control POST /__proxy/faults "$1" >/dev/null
}

s3proxy_reset() {
  _s3proxy_control POST /__proxy/reset "" >/dev/null
}

s3proxy_stats() {
  _s3proxy_control GET /__proxy/stats "" "${1:-}"
}

# _moto_lib_boto SCRIPT ARGS... : runs a Python snippet with `s3`, a boto3 client on moto.
_moto_lib_boto() {
  if [ -z "${MOTO_ENDPOINT:-}" ]; then
    echo "moto_lib: no MOTO_ENDPOINT (call moto_start first)" >&2
    return 1
  fi
  local script=$1
  shift
  _moto_lib_python -c "
import sys, boto3
from botocore.config import Config
s3 = boto3.session.Session().client(
    's3', endpoint_url='$MOTO_ENDPOINT', region_name='us-east-1', aws_access_key_id='test',
    aws_secret_access_key='test', config=Config(s3={'addressing_style': 'path'}))
$script" "$@"
}

moto_make_bucket() {
  _moto_lib_boto 's3.create_bucket(Bucket=sys.argv[1])' "$1"
}

moto_download() {
  mkdir -p "$3"
  _moto_lib_boto '
import os
bucket, prefix, dest = sys.argv[1:4]
if prefix and not prefix.endswith("/"):
    prefix += "/"
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
    for item in page.get("Contents", []):
        key = item["Key"]
        relative = key[len(prefix):]
        if relative == "" or relative.endswith("/"):
            continue  # a folder marker
        parts = relative.split("/")
        if any(p in ("", ".", "..") for p in parts):
            sys.exit(f"moto_lib: moto_download: cannot store key {key!r} as a file")
        path = os.path.join(dest, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        s3.download_file(bucket, key, path)' "$1" "$2" "$3"
}
