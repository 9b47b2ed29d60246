#!/usr/bin/env python3
"""Self-test of tests/fakes/s3_proxy.py against moto_server (run by ctest as s3_proxy_selftest).

Starts moto_server and the proxy (--verify-sigv4 --credentials test:test) on free loopback ports,
then checks that:
  * botocore-signed requests (path-style, endpoint = proxy) all pass the proxy's SigV4 check:
    create bucket, keys with spaces, unicode, '+', '=', '~', '/' and other reserved characters,
    a 6 MiB multipart upload, listings with prefixes, delimiters and continuation, get (also a
    range), head, copy, delete and multi-delete, a session token, a chunked request body;
  * a wrong secret gets 403 SignatureDoesNotMatch on every request; an unknown key, no
    Authorization header, a body that does not match x-amz-content-sha256, an unsigned session
    token, a skewed clock, a scope date other than x-amz-date's, unsorted SignedHeaders and
    (--strict-path) a path not encoded like the SDKs do get 403 too, and none reaches moto;
  * the faults: error500 -> 500, slowdown503 -> 503 SlowDown, drop_before -> connection closed
    and nothing in moto, drop_after -> connection closed and the object in moto, stall -> client
    time-out, only_methods, reset -> normal again; the stats count them.
Everything started is stopped at the end, also on failure. Exit status 0 on success.
"""

import datetime
import hashlib
import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import unittest.mock

for _name in [name for name in os.environ if name.startswith("AWS_") and name != "AWS_CA_BUNDLE"]:
    del os.environ[_name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import boto3  # noqa: E402  (after the environment is made hermetic)
import botocore.auth  # noqa: E402
from boto3.s3.transfer import TransferConfig  # noqa: E402
from botocore.auth import S3SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PROXY = os.path.join(HERE, "s3_proxy.py")
REGION = "us-east-1"
BUCKET = "selftest-bucket"
MiB = 1024 * 1024


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_ok(port, path="/", timeout=1.0):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
        return status < 500
    except OSError:
        return False


class Processes:
    def __init__(self, work):
        self.work = work
        self.procs = []
        self.logs = []

    def start_moto(self):
        log_path = os.path.join(self.work, "moto.log")
        for _ in range(5):
            port = free_port()
            log = open(log_path, "ab")
            proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                                    stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
            log.close()
            self.procs.append(proc)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and proc.poll() is None:
                if http_ok(port):
                    self.logs.append(log_path)
                    return port
                time.sleep(0.1)
            self.stop(proc)
        raise Failure("moto_server did not start (see moto.log)")

    def start_proxy(self, upstream_port, *args, name="proxy"):
        port_file = os.path.join(self.work, f"{name}.port")
        log_path = os.path.join(self.work, f"{name}.log")
        log = open(log_path, "ab")
        proc = subprocess.Popen([sys.executable, PROXY, "--upstream",
                                 f"http://127.0.0.1:{upstream_port}", "--port", "0",
                                 "--port-file", port_file, *args],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        self.procs.append(proc)
        self.logs.append(log_path)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if os.path.exists(port_file):
                with open(port_file) as handle:
                    return int(handle.read().strip())
            check(proc.poll() is None, f"the proxy exited at start-up ({log_path})")
            time.sleep(0.05)
        raise Failure("the proxy did not write its port file within 15 s")

    @staticmethod
    def stop(proc):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_all(self):
        for proc in reversed(self.procs):
            self.stop(proc)

    def dump_logs(self):
        for path in self.logs:
            try:
                with open(path, errors="replace") as handle:
                    lines = handle.readlines()
            except OSError:
                continue
            sys.stderr.write(f"--- {path} (last 40 lines)\n" + "".join(lines[-40:]))


def client(endpoint, akid="test", secret="test", token=None, attempts=1, timeout=10):
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=akid,
        aws_secret_access_key=secret, aws_session_token=token,
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                      retries={"max_attempts": attempts, "mode": "standard"},
                      connect_timeout=timeout, read_timeout=timeout))


def error_code(error):
    return error.response.get("Error", {}).get("Code")


def expect_client_error(call, status, code=None):
    try:
        call()
    except ClientError as error:
        got = error.response["ResponseMetadata"]["HTTPStatusCode"]
        check(got == status, f"expected HTTP {status}, got {got}: {error}")
        if code is not None:
            check(error_code(error) == code, f"expected code {code}, got {error_code(error)}")
        return error
    raise Failure(f"expected HTTP {status} {code or ''}, the call succeeded")


class Raw:
    """Requests sent with http.client, signed by botocore's S3SigV4Auth."""

    def __init__(self, port):
        self.port = port

    def headers(self, method, path, body=b"", akid="test", secret="test", extra=None):
        request = AWSRequest(method=method, url=f"http://127.0.0.1:{self.port}{path}",
                             data=body, headers=dict(extra or {}))
        S3SigV4Auth(Credentials(akid, secret), "s3", REGION).add_auth(request)
        return dict(request.headers.items())

    def send(self, method, path, body=b"", headers=None, timeout=10, chunks=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if chunks is not None:
                conn.request(method, path, body=iter(chunks), headers=headers or {},
                             encode_chunked=True)
            else:
                conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def signed(self, method, path, body=b"", timeout=10, **kwargs):
        return self.send(method, path, body, self.headers(method, path, body, **kwargs), timeout)


def proxy_control(port, method, path, value=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = None if value is None else json.dumps(value).encode()
        conn.request(method, path, body=body,
                     headers={"Content-Type": "application/json"} if body else {})
        response = conn.getresponse()
        data = response.read()
        check(response.status == 200, f"{method} {path}: HTTP {response.status} {data!r}")
        return json.loads(data)
    finally:
        conn.close()


def in_moto(moto, key):
    try:
        return moto.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    except ClientError as error:
        if error_code(error) in ("NoSuchKey", "404"):
            return None
        raise


KEYS = [
    "plain.txt",
    "dir with space/file one.txt",
    "unicode/żółć-日本語-ü.txt",
    "plus+sign/a+b+c.txt",
    "eq=sign/k=v==.txt",
    "tilde~dir/~x~.txt",
    "deep/a/b/c/d/e.bin",
    "special/!'()*@$&,;:[] %25.txt",
    "page/1", "page/2", "page/3", "page/4", "page/5",
]


def test_botocore_through_proxy(s3, moto, steps):
    s3.create_bucket(Bucket=BUCKET)
    check(any(b["Name"] == BUCKET for b in s3.list_buckets()["Buckets"]), "bucket not listed")
    for key in KEYS:
        s3.put_object(Bucket=BUCKET, Key=key, Body=f"body of {key}".encode())
    for key in KEYS:
        check(in_moto(moto, key) == f"body of {key}".encode(), f"moto lacks {key!r}")
        got = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        check(got == f"body of {key}".encode(), f"get {key!r} returned {got!r}")
        head = s3.head_object(Bucket=BUCKET, Key=key)
        check(head["ContentLength"] == len(f"body of {key}".encode()), f"head {key!r}: {head}")
    steps.append("put/get/head of reserved-character keys")

    ranged = s3.get_object(Bucket=BUCKET, Key="plain.txt", Range="bytes=0-3")
    check(ranged["ResponseMetadata"]["HTTPStatusCode"] == 206 and
          ranged["Body"].read() == b"body", "range get")

    data = os.urandom(6 * MiB + 12345)
    config = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB,
                            max_concurrency=2)
    s3.upload_fileobj(io.BytesIO(data), BUCKET, "multi/part file+1.bin", Config=config)
    head = s3.head_object(Bucket=BUCKET, Key="multi/part file+1.bin")
    check(head["ContentLength"] == len(data), f"multipart size {head['ContentLength']}")
    check(head["ETag"].strip('"').endswith("-2"), f"not a 2-part upload: {head['ETag']}")
    check(in_moto(moto, "multi/part file+1.bin") == data, "multipart content differs in moto")
    out = io.BytesIO()
    s3.download_fileobj(BUCKET, "multi/part file+1.bin", out)
    check(out.getvalue() == data, "multipart download differs")
    steps.append("6 MiB multipart upload and download")

    keys, token, pages = [], None, 0
    while True:
        kwargs = {"Bucket": BUCKET, "Prefix": "page/", "MaxKeys": 2}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        pages += 1
        keys += [item["Key"] for item in page.get("Contents", [])]
        if not page.get("IsTruncated"):
            break
        token = page["NextContinuationToken"]
    check(keys == [f"page/{i}" for i in range(1, 6)] and pages == 3, f"pages {pages}: {keys}")
    for prefix in ("dir with space/", "unicode/żółć", "plus+sign/", "eq=sign/k=", "tilde~",
                   "special/!'()*@$&,;:[] %25"):
        listed = [item["Key"] for item in
                  s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]
        check(len(listed) == 1 and listed[0].startswith(prefix), f"prefix {prefix!r}: {listed}")
    top = s3.list_objects_v2(Bucket=BUCKET, Delimiter="/")
    prefixes = sorted(p["Prefix"] for p in top.get("CommonPrefixes", []))
    check("dir with space/" in prefixes and "unicode/" in prefixes, f"delimiter: {prefixes}")
    v1 = s3.list_objects(Bucket=BUCKET, Prefix="page/", Marker="page/2", MaxKeys=2)
    check([item["Key"] for item in v1["Contents"]] == ["page/3", "page/4"], "list v1 marker")
    paginator = s3.get_paginator("list_objects_v2")
    count = sum(len(p.get("Contents", []))
                for p in paginator.paginate(Bucket=BUCKET, PaginationConfig={"PageSize": 3}))
    check(count == len(KEYS) + 1, f"paginator counted {count}")
    steps.append("listings: prefix, delimiter, continuation, v1 marker")

    s3.copy_object(Bucket=BUCKET, Key="copies/ü copy+1", CopySource={
        "Bucket": BUCKET, "Key": "unicode/żółć-日本語-ü.txt"})
    check(in_moto(moto, "copies/ü copy+1") == "body of unicode/żółć-日本語-ü.txt".encode(),
          "copy")
    s3.delete_object(Bucket=BUCKET, Key="copies/ü copy+1")
    check(in_moto(moto, "copies/ü copy+1") is None, "delete did not delete")
    s3.put_object(Bucket=BUCKET, Key="gone/1", Body=b"1")
    s3.put_object(Bucket=BUCKET, Key="gone/2 +=", Body=b"2")
    result = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "gone/1"},
                                                                  {"Key": "gone/2 +="}]})
    check(len(result.get("Deleted", [])) == 2, f"delete_objects: {result}")
    check(in_moto(moto, "gone/1") is None and in_moto(moto, "gone/2 +=") is None, "multi-delete")
    steps.append("copy, delete, multi-delete")


def test_raw_requests(raw, proxy_port, moto, steps):
    status, body = raw.signed("PUT", f"/{BUCKET}/raw/plain", b"raw body")
    check(status == 200, f"raw signed PUT: {status} {body!r}")
    check(in_moto(moto, "raw/plain") == b"raw body", "raw PUT not in moto")

    # Chunked transfer encoding; the payload hash covers the decoded body.
    path = f"/{BUCKET}/raw/chunked"
    whole = b"first chunk|" + b"x" * 70000 + b"|last"
    headers = raw.headers("PUT", path, whole)
    headers["Transfer-Encoding"] = "chunked"
    status, body = raw.send("PUT", path, headers=headers,
                            chunks=[whole[:12], whole[12:70012], whole[70012:]])
    check(status == 200, f"chunked PUT: {status} {body!r}")
    check(in_moto(moto, "raw/chunked") == whole, "chunked body differs in moto")

    # Two requests on one kept-alive connection.
    conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=10)
    try:
        for _ in range(2):
            path = f"/{BUCKET}/raw/plain"
            conn.request("GET", path, headers=raw.headers("GET", path))
            response = conn.getresponse()
            check(response.status == 200 and response.read() == b"raw body", "keep-alive GET")
        conn.request("HEAD", path, headers=raw.headers("HEAD", path))
        response = conn.getresponse()
        check(response.status == 200 and response.getheader("Content-Length") == "8"
              and response.read() == b"", "keep-alive HEAD")
        sock = conn.sock
        check(sock is not None, "the proxy closed a keep-alive connection")
    finally:
        conn.close()
    steps.append("raw signed, chunked and kept-alive requests")


def test_auth_failures(proxy, raw, moto, proxy_port, steps):
    before = proxy_control(proxy_port, "GET", "/__proxy/stats")["sigv4_failures"]
    bad = client(proxy, secret="wrong-secret")
    calls = [
        (lambda: bad.list_buckets(), "SignatureDoesNotMatch"),
        (lambda: bad.create_bucket(Bucket="never-created"), "SignatureDoesNotMatch"),
        (lambda: bad.put_object(Bucket=BUCKET, Key="bad/secret", Body=b"x"),
         "SignatureDoesNotMatch"),
        (lambda: bad.get_object(Bucket=BUCKET, Key="plain.txt"), "SignatureDoesNotMatch"),
        (lambda: bad.head_object(Bucket=BUCKET, Key="plain.txt"), None),  # HEAD: no body
        (lambda: bad.list_objects_v2(Bucket=BUCKET, Prefix="page/"), "SignatureDoesNotMatch"),
        (lambda: bad.delete_object(Bucket=BUCKET, Key="plain.txt"), "SignatureDoesNotMatch"),
        (lambda: bad.upload_fileobj(io.BytesIO(b"y" * (6 * MiB)), BUCKET, "bad/multi",
                                    Config=TransferConfig(multipart_threshold=5 * MiB)), None),
    ]
    for call, code in calls:
        if code is None:
            try:
                call()
                raise Failure("a wrong-secret call succeeded")
            except ClientError as error:
                check(error.response["ResponseMetadata"]["HTTPStatusCode"] == 403 or
                      "403" in str(error), f"wrong secret: {error}")
        else:
            expect_client_error(call, 403, code)
    after = proxy_control(proxy_port, "GET", "/__proxy/stats")["sigv4_failures"]
    check(after - before == len(calls), f"sigv4_failures grew by {after - before}")
    check(in_moto(moto, "bad/secret") is None and in_moto(moto, "bad/multi") is None,
          "a wrong-secret upload reached moto")
    check("never-created" not in [b["Name"] for b in moto.list_buckets()["Buckets"]],
          "a wrong-secret bucket reached moto")
    check(in_moto(moto, "plain.txt") is not None, "a wrong-secret delete reached moto")
    steps.append("wrong secret: 403 SignatureDoesNotMatch on every request")

    expect_client_error(lambda: client(proxy, akid="nobody").list_buckets(), 403,
                        "InvalidAccessKeyId")
    status, body = raw.send("GET", f"/{BUCKET}/plain.txt")
    check(status == 403 and b"<Code>AccessDenied</Code>" in body, f"no auth: {status} {body!r}")

    path = f"/{BUCKET}/bad/tampered"
    headers = raw.headers("PUT", path, b"original body")
    status, body = raw.send("PUT", path, b"tampered body", headers)
    check(status == 403 and b"<Error><Code>" in body, f"tampered body: {status} {body!r}")
    check(in_moto(moto, "bad/tampered") is None, "the tampered body reached moto")
    headers["X-Amz-Content-SHA256"] = hashlib.sha256(b"tampered body").hexdigest()
    status, body = raw.send("PUT", path, b"tampered body", headers)
    check(status == 403 and b"SignatureDoesNotMatch" in body, f"re-hashed: {status} {body!r}")
    steps.append("unknown key, no auth, tampered body: 403")

    headers = raw.headers("GET", f"/{BUCKET}/plain.txt")
    headers["X-Amz-Security-Token"] = "unsigned-token"
    status, body = raw.send("GET", f"/{BUCKET}/plain.txt", headers=headers)
    check(status == 403, f"unsigned session token: {status} {body!r}")
    with_token = client(proxy, token="some-session-token")
    check(with_token.get_object(Bucket=BUCKET, Key="plain.txt")["Body"].read() ==
          b"body of plain.txt", "signed session token")

    skewed = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - \
        datetime.timedelta(minutes=20)
    with unittest.mock.patch.object(botocore.auth, "get_current_datetime", lambda: skewed):
        headers = raw.headers("GET", f"/{BUCKET}/plain.txt")
    status, body = raw.send("GET", f"/{BUCKET}/plain.txt", headers=headers)
    check(status == 403 and b"RequestTimeTooSkewed" in body, f"skew: {status} {body!r}")
    headers = raw.headers("GET", f"/{BUCKET}/plain.txt")
    date = headers["X-Amz-Date"]
    headers["Authorization"] = headers["Authorization"].replace(f"/{date[:8]}/", "/20200101/")
    status, body = raw.send("GET", f"/{BUCKET}/plain.txt", headers=headers)
    check(status == 403, f"scope date mismatch: {status} {body!r}")

    # --strict-path: '!' sent raw although signed consistently. SignedHeaders out of order.
    path = f"/{BUCKET}/bad/raw!bang"
    status, body = raw.signed("PUT", path, b"x")
    check(status == 403 and b"strict-path" in body, f"strict path: {status} {body!r}")
    check(in_moto(moto, "bad/raw!bang") is None, "a non-canonical path reached moto")
    headers = raw.headers("GET", f"/{BUCKET}/plain.txt")
    authorization = headers["Authorization"]
    signed = authorization.split("SignedHeaders=")[1].split(",")[0]
    headers["Authorization"] = authorization.replace(
        signed, ";".join(reversed(signed.split(";"))))
    status, body = raw.send("GET", f"/{BUCKET}/plain.txt", headers=headers)
    check(status == 403 and b"sorted" in body, f"unsorted SignedHeaders: {status} {body!r}")
    steps.append("session token rules, clock skew, scope date, strict path: 403")


def test_faults(raw, moto, proxy_port, steps):
    def faults(value):
        proxy_control(proxy_port, "POST", "/__proxy/reset")
        proxy_control(proxy_port, "POST", "/__proxy/faults", value)

    def connection_dropped(call):
        try:
            status, body = call()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            return
        raise Failure(f"expected a closed connection, got {status} {body!r}")

    faults({"error500": 1.0})
    status, body = raw.signed("GET", f"/{BUCKET}?list-type=2")
    check(status == 500 and b"<Code>InternalError</Code>" in body, f"error500: {status} {body!r}")
    status, body = raw.signed("PUT", f"/{BUCKET}/fault/500", b"x")
    check(status == 500 and in_moto(moto, "fault/500") is None, "error500 forwarded")
    check(proxy_control(proxy_port, "GET", "/__proxy/stats")["error500"] == 2, "error500 count")

    faults({"slowdown503": 1.0})
    status, body = raw.signed("PUT", f"/{BUCKET}/fault/503", b"x")
    check(status == 503 and b"<Code>SlowDown</Code>" in body, f"slowdown503: {status} {body!r}")
    check(in_moto(moto, "fault/503") is None, "slowdown503 forwarded")

    faults({"drop_before": 1.0})
    connection_dropped(lambda: raw.signed("PUT", f"/{BUCKET}/fault/drop-before", b"before"))
    check(in_moto(moto, "fault/drop-before") is None, "drop_before forwarded the PUT")

    faults({"drop_after": 1.0})
    connection_dropped(lambda: raw.signed("PUT", f"/{BUCKET}/fault/drop-after", b"after"))
    check(in_moto(moto, "fault/drop-after") == b"after", "drop_after did not forward the PUT")
    stats = proxy_control(proxy_port, "GET", "/__proxy/stats")
    check(stats["drop_after"] == 1 and stats["forwarded"] == 1, f"drop_after stats {stats}")

    faults({"stall": 1.0, "stall_seconds": 2})
    started = time.monotonic()
    try:
        status, body = raw.signed("GET", f"/{BUCKET}/plain.txt", timeout=1)
        raise Failure(f"stall: got {status} {body!r}")
    except (TimeoutError, socket.timeout):
        pass
    check(time.monotonic() - started < 1.9, "the stalled request did not time out after 1 s")

    faults({"error500": 1.0, "only_methods": ["PUT"]})
    status, _ = raw.signed("GET", f"/{BUCKET}/plain.txt")
    check(status == 200, f"only_methods: GET got {status}")
    status, _ = raw.signed("PUT", f"/{BUCKET}/fault/only", b"x")
    check(status == 500, f"only_methods: PUT got {status}")

    # Half the PUTs fail: same seed, same outcomes; counters add up.
    outcomes = []
    for attempt in range(2):
        faults({"error500": 0.5, "only_methods": ["PUT"]})
        outcomes.append([raw.signed("PUT", f"/{BUCKET}/fault/p{i}", b"p")[0] for i in range(20)])
    check(outcomes[0] == outcomes[1], f"not deterministic: {outcomes}")
    check(0 < outcomes[0].count(500) < 20 and set(outcomes[0]) == {200, 500},
          f"probability 0.5 gave {outcomes[0]}")
    stats = proxy_control(proxy_port, "GET", "/__proxy/stats")
    check(stats["error500"] == outcomes[1].count(500) and stats["requests"] == 20 and
          stats["by_method"] == {"PUT": 20}, f"stats {stats}")

    bad = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=10)
    bad.request("POST", "/__proxy/faults", body=b'{"error500": 2}')
    check(bad.getresponse().status == 400, "an invalid probability was accepted")
    bad.close()

    proxy_control(proxy_port, "POST", "/__proxy/reset")
    status, body = raw.signed("GET", f"/{BUCKET}/plain.txt")
    check(status == 200 and body == b"body of plain.txt", f"after reset: {status} {body!r}")
    stats = proxy_control(proxy_port, "GET", "/__proxy/stats")
    check(stats["requests"] == 1 and stats["forwarded"] == 1 and stats["error500"] == 0,
          f"stats after reset {stats}")
    steps.append("faults: error500, slowdown503, drop_before, drop_after, stall, only_methods, "
                 "seeded probability, reset")


def main():
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="s3_proxy_selftest.")
    processes = Processes(work)
    steps = []
    ok = False
    try:
        moto_port = processes.start_moto()
        proxy_port = processes.start_proxy(moto_port, "--verify-sigv4", "--credentials",
                                           "test:test,other:other-secret", "--seed", "7",
                                           "--strict-path")
        proxy = f"http://127.0.0.1:{proxy_port}"
        moto = client(f"http://127.0.0.1:{moto_port}")
        s3 = client(proxy)
        raw = Raw(proxy_port)

        test_botocore_through_proxy(s3, moto, steps)
        stats = proxy_control(proxy_port, "GET", "/__proxy/stats")
        check(stats["sigv4_failures"] == 0, f"botocore requests failed SigV4: {stats}")
        check(stats["forwarded"] == stats["requests"], f"not all forwarded: {stats}")
        other = client(proxy, akid="other", secret="other-secret")
        check(other.head_object(Bucket=BUCKET, Key="plain.txt")["ContentLength"] > 0,
              "second credential pair")
        test_raw_requests(raw, proxy_port, moto, steps)
        test_auth_failures(proxy, raw, moto, proxy_port, steps)
        test_faults(raw, moto, proxy_port, steps)
        ok = True
    except Exception as error:  # noqa: BLE001 (report anything, then clean up)
        traceback.print_exc()
        sys.stderr.write(f"s3_proxy_selftest: FAIL: {error}\n")
        processes.dump_logs()
    finally:
        processes.stop_all()
        if ok or not os.environ.get("KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    for step in steps:
        print(f"ok: {step}")
    elapsed = time.monotonic() - started
    print(f"s3_proxy_selftest: {'PASS' if ok else 'FAIL'} in {elapsed:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
