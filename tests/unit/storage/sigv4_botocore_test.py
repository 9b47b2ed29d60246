#!/usr/bin/env python3
"""Checks o2p's SigV4 signer byte for byte against botocore's.

Usage: sigv4_botocore_test.py PATH/TO/o2p_sigv4_vectors

Every case in CASES is signed twice: by botocore (S3SigV4Auth for S3, SigV4Auth otherwise, at
a fixed time) and by the C++ program, which reads one JSON line per case on stdin. The
Authorization header, every header the signer adds, the canonical request and the string to
sign must be identical. On a mismatch the canonical requests are diffed. Exit status 1 on any
mismatch, 77 (skipped) when botocore is not installed.

How each side is given the same request:
  * The C++ signer gets the target exactly as sent: percent-encoded path, raw query.
  * botocore gets the same path in its URL (it reads urlsplit(url).path: S3SigV4Auth uses it
    as is, SigV4Auth normalises it and quotes it once more), and the query as decoded
    (key, value) params, which it quotes canonically itself. Handing botocore the raw query in
    the URL instead would skip its canonical re-encoding, so the two would not be comparable.
  * Headers blacklisted by botocore (User-Agent, Expect, ...) and Date (botocore then signs
    Date instead of adding X-Amz-Date) are not used: o2p signs every header it is given.
"""

import base64
import datetime
import difflib
import json
import subprocess
import sys
import types
from unittest import mock
from urllib.parse import unquote

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:
    print("botocore is not installed; skipping")
    sys.exit(77)

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+/=="
T1 = 1440938160  # 2015-08-30T12:36:00Z, the AWS documentation's example time
T2 = 1700000000  # 2023-11-14T22:13:20Z
T3 = 1709251199  # 2024-02-29T23:59:59Z, leap day, one second before midnight
BINARY = bytes(range(256)) * 3
S3_HOST = "examplebucket.s3.amazonaws.com"


def case(name, method, target, *, service="s3", region="us-east-1", host=S3_HOST,
         headers=(), body=b"", token="", unsigned=False, time=T1):
    return dict(name=name, method=method, target=target, service=service, region=region,
                host=host, headers=list(headers), body=body, token=token, unsigned=unsigned,
                time=time)


CASES = [
    # S3: the path is signed as sent.
    case("s3 get range", "GET", "/test.txt", headers=[("Range", "bytes=0-9")]),
    case("s3 put with storage class", "PUT", "/test%24file.text",
         headers=[("x-amz-storage-class", "REDUCED_REDUNDANCY")],
         body=b"Welcome to Amazon S3."),
    case("s3 subresource without '='", "GET", "/?lifecycle"),
    case("s3 list query", "GET", "/?max-keys=2&prefix=J"),
    case("s3 path with spaces", "PUT", "/my%20folder/my%20file.txt", body=b"x"),
    case("s3 unicode key", "PUT", "/logs/%E2%82%AC%C3%A9t%C3%A9.parquet", body=b"\x00\x01"),
    case("s3 raw plus equals tilde", "GET", "/a+b/c=d/~e"),
    case("s3 encoded plus equals", "GET", "/a%2Bb/c%3Dd%7E"),
    case("s3 keeps double slash and dots", "PUT", "/bucket//a/./b/../c", body=b"dots"),
    case("s3 encoded slash", "GET", "/a%2Fb/c"),
    case("s3 unsigned binary", "PUT", "/data/part-0.parquet", body=BINARY, unsigned=True,
         headers=[("Content-Type", "application/octet-stream")]),
    case("s3 delete with token", "DELETE", "/logs/old.parquet", token=TOKEN, time=T2),
    case("s3 head", "HEAD", "/logs/a.parquet", region="eu-west-1",
         host="examplebucket.s3.eu-west-1.amazonaws.com"),
    case("s3 initiate multipart", "POST", "/big.parquet?uploads", token=TOKEN),
    case("s3 upload part", "PUT", "/big.parquet?partNumber=1&uploadId=abc%2Fdef",
         body=b"p" * 1000, time=T3),
    case("s3 complete multipart", "POST", "/big.parquet?uploadId=abc%2Fdef",
         body=b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
              b"<ETag>\"e\"</ETag></Part></CompleteMultipartUpload>",
         headers=[("Content-Type", "application/xml")]),
    case("s3 list v2 empty values", "GET",
         "/?list-type=2&prefix=&delimiter=%2F&continuation-token=a%2Bb%3D%3D"),
    case("s3 header whitespace and case", "PUT", "/meta.txt", body=b"meta",
         headers=[("Content-Type", "  text/plain;   charset=utf-8 "),
                  ("X-Amz-Meta-Foo", "  a   b \t c  "), ("X-AMZ-META-bar", "B")]),
    case("s3 repeated header", "PUT", "/multi.txt", body=b"m",
         headers=[("X-Amz-Meta-Multi", "one"), ("x-amz-meta-multi", "  two  "),
                  ("X-Amz-Meta-Multi", "three")]),
    case("s3 path style with port", "PUT", "/bucket/key.parquet", host="localhost:9000",
         body=b"port"),
    case("s3 query characters to encode", "GET",
         "/?key=a:b,c&tilde=~x&star=*&enc=%7E&plus=a+b&slash=a/b"),
    case("s3 query unicode", "GET", "/?name=%C3%A9t%C3%A9&raw=%E2%82%AC"),
    case("s3 repeated keys sorted by value", "GET", "/?b=2&a=3&a=1&a=&a=10"),
    case("s3 lower-case percent escapes in query", "GET", "/?q=%2f%3d&r=%e2%82%ac"),
    # Services other than S3: the path is normalised and encoded once more.
    case("glue json post", "POST", "/", service="glue", host="glue.us-east-1.amazonaws.com",
         headers=[("X-Amz-Target", "AWSGlue.GetTables"),
                  ("Content-Type", "application/x-amz-json-1.1")],
         body=b'{"DatabaseName":"otel"}'),
    case("glue iceberg rest get", "GET",
         "/iceberg/v1/catalogs/123456789012/namespaces?pageSize=10", service="glue",
         host="glue.us-east-1.amazonaws.com"),
    case("s3tables arn in path", "GET",
         "/iceberg/v1/arn%3Aaws%3As3tables%3Aus-east-1%3A111122223333%3Abucket%2Fmy-bucket"
         "/namespaces", service="s3tables", host="s3tables.us-east-1.amazonaws.com"),
    case("s3tables commit with token", "POST",
         "/iceberg/v1/arn%3Aaws%3As3tables%3Aus-east-1%3A1%3Abucket%2Fb"
         "/namespaces/otel/tables/logs",
         service="s3tables", host="s3tables.us-east-1.amazonaws.com", token=TOKEN,
         headers=[("Content-Type", "application/json")],
         body=b'{"requirements":[],"updates":[]}', time=T2),
    case("execute-api dot segments", "GET", "/prod//a/./b/../c/", service="execute-api",
         region="ap-southeast-2", host="abc123.execute-api.ap-southeast-2.amazonaws.com"),
    case("execute-api spaces and unicode", "GET", "/prod/my%20item/%E2%82%AC",
         service="execute-api", host="abc123.execute-api.us-east-1.amazonaws.com"),
    case("execute-api raw plus equals tilde", "DELETE", "/prod/a+b=c~d", service="execute-api",
         host="abc123.execute-api.us-east-1.amazonaws.com"),
    case("execute-api parent of root", "GET", "/a/../..", service="execute-api",
         host="abc123.execute-api.us-east-1.amazonaws.com"),
    case("execute-api encoded slash", "GET", "/prod/a%2Fb//c", service="execute-api",
         host="abc123.execute-api.us-east-1.amazonaws.com", time=T3),
    case("glue unsigned payload", "PUT", "/upload", service="glue",
         host="glue.us-east-1.amazonaws.com", body=b"abc", unsigned=True),
    case("execute-api binary put", "PUT", "/prod/blob", service="execute-api",
         host="abc123.execute-api.us-east-1.amazonaws.com", body=BINARY,
         headers=[("Content-Type", "application/octet-stream")]),
    case("glue explicit host header", "GET", "/iceberg/v1/config?warehouse=123456789012",
         service="glue", host="glue.us-east-1.amazonaws.com",
         headers=[("HOST", "glue.us-east-1.amazonaws.com")]),
    case("execute-api head repeated and bare keys", "HEAD", "/prod/items?z&a=2&a=1&flag&b=",
         service="execute-api", host="abc123.execute-api.us-east-1.amazonaws.com"),
]


def split_query(target):
    path, _, query = target.partition("?")
    params = None
    if query:
        params = []
        for pair in query.split("&"):
            key, _, value = pair.partition("=")
            params.append((unquote(key), unquote(value)))
    return path, params


class Capturing:
    """Keeps what botocore signed, for the comparison and the diff."""

    def canonical_request(self, request):
        self.captured_canonical_request = super().canonical_request(request)
        return self.captured_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.captured_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.captured_string_to_sign


class CapturingS3Auth(Capturing, botocore.auth.S3SigV4Auth):
    pass


class CapturingAuth(Capturing, botocore.auth.SigV4Auth):
    pass


def sign_with_botocore(c):
    path, params = split_query(c["target"])
    request = AWSRequest(method=c["method"], url=f"https://{c['host']}{path}",
                         data=c["body"], params=params)
    for name, value in c["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: repeated names stay repeated
    is_s3 = c["service"] == "s3"
    if c["unsigned"]:
        if is_s3:
            request.context["client_config"] = types.SimpleNamespace(
                s3={"payload_signing_enabled": False})
        else:
            request.context["payload_signing_enabled"] = False
    credentials = Credentials(AKID, SECRET, c["token"] or None)
    auth_class = CapturingS3Auth if is_s3 else CapturingAuth
    auth = auth_class(credentials, c["service"], c["region"])
    when = datetime.datetime.fromtimestamp(c["time"], datetime.timezone.utc)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(request)
    original = {name.lower() for name, _ in c["headers"]}
    added = {name.lower(): value for name, value in request.headers.items()
             if name.lower() not in original}
    return auth.captured_canonical_request, auth.captured_string_to_sign, added


def sign_with_o2p(program, cases):
    lines = []
    for c in cases:
        lines.append(json.dumps({
            "method": c["method"], "host": c["host"], "target": c["target"],
            "headers": [[n, v] for n, v in c["headers"]],
            "body_base64": base64.b64encode(c["body"]).decode("ascii"),
            "service": c["service"], "region": c["region"], "s3": c["service"] == "s3",
            "unsigned": c["unsigned"], "access_key": AKID, "secret": SECRET,
            "token": c["token"], "time": c["time"],
        }))
    run = subprocess.run([program], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"{program} failed ({run.returncode}): {run.stderr}")
    results = [json.loads(line) for line in run.stdout.splitlines() if line]
    if len(results) != len(cases):
        sys.exit(f"{program} printed {len(results)} results for {len(cases)} cases")
    return results


def compare(c, ours, expected_cr, expected_sts, expected_added):
    problems = []
    our_added = {name.lower(): value for name, value in ours["headers"]}
    if set(our_added) != set(expected_added):
        problems.append(f"added headers {sorted(our_added)} != botocore {sorted(expected_added)}")
    for name in sorted(set(our_added) & set(expected_added)):
        if our_added[name] != expected_added[name]:
            problems.append(f"{name}:\n    o2p:      {our_added[name]}\n"
                            f"    botocore: {expected_added[name]}")
    if ours["canonical_request"] != expected_cr:
        diff = difflib.unified_diff(expected_cr.splitlines(),
                                    ours["canonical_request"].splitlines(), "botocore", "o2p",
                                    lineterm="")
        problems.append("canonical request differs:\n" + "\n".join(diff))
    if ours["string_to_sign"] != expected_sts:
        problems.append("string to sign differs")
    return problems


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    if len(CASES) < 25:
        sys.exit("the table must keep at least 25 cases")
    results = sign_with_o2p(sys.argv[1], CASES)
    failures = 0
    for c, ours in zip(CASES, results):
        problems = compare(c, ours, *sign_with_botocore(c))
        if problems:
            failures += 1
            print(f"MISMATCH {c['name']} ({c['method']} {c['target']}):")
            for problem in problems:
                print("  " + problem)
    print(f"{len(CASES) - failures} of {len(CASES)} cases identical to botocore "
          f"{botocore.__version__}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
