#!/usr/bin/env python3
"""A test-only S3 reverse proxy: SigV4 verification and fault injection in front of moto.

moto_server answers the S3 API but accepts any signature and never fails on its own. This proxy
sits between the code under test and moto and adds both, using only the standard library:

  python3 tests/fakes/s3_proxy.py --upstream http://127.0.0.1:MOTOPORT --port 0 \
      --port-file PATH [--host 127.0.0.1] [--verify-sigv4 --credentials AKID:SECRET[,AKID:SECRET]] \
      [--seed N] [--faults JSON] [--upstream-timeout SECONDS] [--max-skew SECONDS] \
      [--strict-path] [--idle-timeout SECONDS]

Once listening it writes the bound port to --port-file (written to a temporary file, then
renamed), and it logs one line per request to stderr: method, path (without the query, which may
hold presigned credentials), status and injected fault. SIGTERM or SIGINT stop it.

SigV4 (--verify-sigv4), S3 flavour: the Authorization header must be AWS4-HMAC-SHA256 with
Credential=AKID/YYYYMMDD/REGION/s3/aws4_request, SignedHeaders (which must include host,
x-amz-date and x-amz-content-sha256, and x-amz-security-token when that header is sent) and
Signature. The canonical request uses the path exactly as received (S3 neither normalises nor
double-encodes it), the query decoded and re-encoded with the RFC 3986 unreserved set and sorted,
the signed headers trimmed with inner whitespace runs collapsed, and x-amz-content-sha256 as the
payload hash, which must equal the SHA-256 of the body unless it is UNSIGNED-PAYLOAD. x-amz-date
must be within --max-skew (900 s) of the proxy's clock and its day must equal the scope's.
SignedHeaders must be sorted. --strict-path also rejects a path that is not percent-encoded the
way the AWS SDKs do it (every byte but A-Za-z0-9-_.~ and '/' encoded, upper-case hex), which the
proxy could verify but real S3 would most likely not.
Failures answer 403 with an S3 XML error (SignatureDoesNotMatch, AccessDenied,
InvalidAccessKeyId, RequestTimeTooSkewed or XAmzContentSHA256Mismatch) and count in
sigv4_failures. Query-string (presigned) authentication and aws-chunked bodies are not supported.

Faults, per request, with a random generator seeded by --seed (one draw per request, so the
probabilities are cumulative in this order; keep their sum at most 1):
  stall        sleep stall_seconds (default 30) before anything else, then close the connection
  drop_before  read the request, then close the connection: nothing forwarded, no response
  error500     500 InternalError, nothing forwarded (after the signature check)
  slowdown503  503 SlowDown, nothing forwarded (after the signature check)
  drop_after   forward to the upstream (the change happens), then close without responding
"only_methods": ["PUT", ...] limits faults to those methods. Requests that no fault hits are
forwarded; a request whose signature fails is never forwarded.

Control endpoints, on the same port, never faulted nor signature-checked:
  POST /__proxy/faults  body: JSON fault settings; replaces the current ones; answers them
  GET  /__proxy/faults  the current fault settings
  GET  /__proxy/stats   JSON counters: requests, forwarded, one per fault, sigv4_failures,
                        upstream_errors, by_method, by_status, and the fault settings
  POST /__proxy/reset   no faults, counters to zero, random generator re-seeded

Forwarding keeps the method, the path and query as received, every header except hop-by-hop
ones (Connection, Keep-Alive, Transfer-Encoding, TE, Trailer, Upgrade, Proxy-*, Expect and the
headers named in Connection) and the Host header unchanged (moto uses it to tell path-style from
virtual-hosted addressing); chunked request bodies are forwarded with a Content-Length. The
upstream status, headers (minus hop-by-hop) and body come back with a correct Content-Length.
Each client connection has its own persistent upstream connection.
"""

import argparse
import datetime
import hashlib
import hmac
import http.client
import http.server
import json
import os
import random
import signal
import socket
import sys
import threading
import time
import urllib.parse
import uuid
from xml.sax.saxutils import escape as xml_escape

CONTROL_PREFIX = "/__proxy/"
FAULT_NAMES = ("stall", "drop_before", "error500", "slowdown503", "drop_after")
HOP_BY_HOP = frozenset((
    "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
    "te", "trailer", "trailers", "transfer-encoding", "upgrade", "expect", "content-length",
))
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
ALGORITHM = "AWS4-HMAC-SHA256"
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
MAX_BODY = 1 << 30


def log(message):
    sys.stderr.write(f"s3_proxy: {message}\n")
    sys.stderr.flush()


def default_faults():
    return {"error500": 0.0, "slowdown503": 0.0, "drop_before": 0.0, "drop_after": 0.0,
            "stall": 0.0, "stall_seconds": 30.0, "only_methods": None}


def parse_faults(value):
    """Validates fault settings (a dict); returns a complete settings dict or raises ValueError."""
    if not isinstance(value, dict):
        raise ValueError("fault settings must be a JSON object")
    settings = default_faults()
    for key, item in value.items():
        if key in FAULT_NAMES:
            if isinstance(item, bool) or not isinstance(item, (int, float)) or not 0 <= item <= 1:
                raise ValueError(f"{key} must be a probability between 0 and 1")
            settings[key] = float(item)
        elif key == "stall_seconds":
            if isinstance(item, bool) or not isinstance(item, (int, float)) or item < 0:
                raise ValueError("stall_seconds must be a number >= 0")
            settings[key] = float(item)
        elif key == "only_methods":
            if item is not None and (not isinstance(item, list)
                                     or not all(isinstance(m, str) for m in item)):
                raise ValueError("only_methods must be a list of method names or null")
            settings[key] = None if item is None else [m.upper() for m in item]
        else:
            raise ValueError(f"unknown fault setting {key!r}")
    return settings


class State:
    """Fault settings, counters and the random generator, shared by all handler threads."""

    def __init__(self, seed, faults):
        self.lock = threading.Lock()
        self.seed = seed
        self.reset(faults)

    def reset(self, faults=None):
        with self.lock:
            self.rng = random.Random(self.seed)
            self.faults = faults if faults is not None else default_faults()
            self.stats = {"requests": 0, "forwarded": 0, "sigv4_failures": 0,
                          "upstream_errors": 0, "by_method": {}, "by_status": {}}
            for name in FAULT_NAMES:
                self.stats[name] = 0

    def set_faults(self, faults):
        with self.lock:
            self.faults = faults

    def get_faults(self):
        with self.lock:
            return dict(self.faults)

    def count(self, key, amount=1):
        with self.lock:
            self.stats[key] += amount

    def count_request(self, method):
        with self.lock:
            self.stats["requests"] += 1
            self.stats["by_method"][method] = self.stats["by_method"].get(method, 0) + 1

    def count_status(self, status):
        with self.lock:
            key = str(status)
            self.stats["by_status"][key] = self.stats["by_status"].get(key, 0) + 1

    def snapshot(self):
        with self.lock:
            result = json.loads(json.dumps(self.stats))
            result["faults"] = dict(self.faults)
            return result

    def roll(self, method):
        """Returns (fault name or None, stall seconds) for one request. The caller counts the
        fault once it applies it (a request that fails the signature check gets no fault)."""
        with self.lock:
            faults = self.faults
            if faults["only_methods"] is not None and method not in faults["only_methods"]:
                return None, 0.0
            if not any(faults[name] > 0 for name in FAULT_NAMES):
                return None, 0.0
            draw = self.rng.random()
            threshold = 0.0
            for name in FAULT_NAMES:
                threshold += faults[name]
                if faults[name] > 0 and draw < threshold:
                    return name, faults["stall_seconds"]
            return None, 0.0


class AuthError(Exception):
    def __init__(self, code, message, extra=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra or {}


def uri_encode(text):
    """Percent-decodes TEXT (a str holding the received bytes as Latin-1) and re-encodes it with
    the RFC 3986 unreserved set, byte for byte."""
    raw = urllib.parse.unquote_to_bytes(text.encode("latin-1"))
    return urllib.parse.quote_from_bytes(raw, safe="-_.~")


def canonical_query(raw_query):
    if not raw_query:
        return ""
    pairs = []
    for part in raw_query.split("&"):
        if part == "":
            continue
        key, _, value = part.partition("=")
        pairs.append((uri_encode(key), uri_encode(value)))
    pairs.sort()
    return "&".join(f"{k}={v}" for k, v in pairs)


def parse_authorization(header, service="s3"):
    """Splits an AWS4-HMAC-SHA256 Authorization header into (credential scope parts, signed
    headers text, signature); the scope's service must be SERVICE. Raises AuthError."""
    if not header.startswith(ALGORITHM + " "):
        raise AuthError("AccessDenied", f"unsupported authorization algorithm (need {ALGORITHM})")
    fields = {}
    for part in header[len(ALGORITHM) + 1:].split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            raise AuthError("AccessDenied", "malformed Authorization header")
        fields[name] = value
    for name in ("Credential", "SignedHeaders", "Signature"):
        if not fields.get(name):
            raise AuthError("AccessDenied", f"Authorization header without {name}")
    scope = fields["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request" or not scope[0]:
        raise AuthError("AccessDenied",
                        "Credential must be AKID/YYYYMMDD/REGION/SERVICE/aws4_request")
    if scope[3] != service:
        raise AuthError("AccessDenied",
                        f"credential scope service is {scope[3]!r}, not {service!r}")
    return scope, fields["SignedHeaders"], fields["Signature"]


def signing_key(secret, date, region, service):
    key = hmac.new(("AWS4" + secret).encode(), date.encode(), hashlib.sha256).digest()
    for item in (region, service, "aws4_request"):
        key = hmac.new(key, item.encode(), hashlib.sha256).digest()
    return key


def canonical_path_form(path):
    """PATH with every byte outside the unreserved set and '/' percent-encoded, upper-case hex:
    the form botocore and the AWS SDKs send."""
    return urllib.parse.quote_from_bytes(
        urllib.parse.unquote_to_bytes(path.encode("latin-1")), safe="/-_.~")


def verify_sigv4(method, raw_path, headers, body, credentials, max_skew, strict_path=False):
    """Raises AuthError unless the request carries a valid S3 SigV4 header signature."""
    authorization = headers.get("Authorization")
    if authorization is None:
        if "X-Amz-Signature" in raw_path or "X-Amz-Credential" in raw_path:
            raise AuthError("AccessDenied", "query-string authentication is not supported")
        raise AuthError("AccessDenied", "no Authorization header")
    scope, signed_headers_text, signature = parse_authorization(authorization)
    access_key, scope_date, region, service, _ = scope
    secret = credentials.get(access_key)
    if secret is None:
        raise AuthError("InvalidAccessKeyId",
                        "The AWS Access Key Id you provided does not exist in our records.",
                        {"AWSAccessKeyId": access_key})

    signed = signed_headers_text.split(";")
    if any(name != name.lower() or name == "" for name in signed):
        raise AuthError("AccessDenied", "SignedHeaders must be lower-case header names")
    if signed != sorted(set(signed)):
        raise AuthError("AccessDenied", "SignedHeaders must be sorted and without duplicates")
    for required in ("host", "x-amz-date", "x-amz-content-sha256"):
        if required not in signed:
            raise AuthError("AccessDenied", f"{required} must be a signed header")
    if "x-amz-security-token" in headers and "x-amz-security-token" not in signed:
        raise AuthError("AccessDenied", "x-amz-security-token must be a signed header")
    for name in signed:
        if headers.get(name) is None:
            raise AuthError("AccessDenied", f"signed header {name} is missing from the request")

    amz_date = headers.get("x-amz-date", "")
    try:
        request_time = datetime.datetime.strptime(amz_date, AMZ_DATE_FORMAT).replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        raise AuthError("AccessDenied", f"x-amz-date {amz_date!r} is not YYYYMMDDTHHMMSSZ")
    if amz_date[:8] != scope_date:
        raise AuthError("SignatureDoesNotMatch",
                        f"credential scope date {scope_date} does not match x-amz-date {amz_date}")
    now = datetime.datetime.now(datetime.timezone.utc)
    if abs((now - request_time).total_seconds()) > max_skew:
        raise AuthError("RequestTimeTooSkewed",
                        "The difference between the request time and the current time is too "
                        "large.", {"RequestTime": amz_date,
                                   "ServerTime": now.strftime(AMZ_DATE_FORMAT)})

    payload_hash = headers.get("x-amz-content-sha256", "")
    if payload_hash != UNSIGNED_PAYLOAD:
        if payload_hash.startswith("STREAMING-"):
            raise AuthError("AccessDenied", "aws-chunked (STREAMING-*) payloads are not supported")
        actual = hashlib.sha256(body).hexdigest()
        if not hmac.compare_digest(payload_hash.lower().encode(), actual.encode()):
            raise AuthError("XAmzContentSHA256Mismatch",
                            "The provided 'x-amz-content-sha256' header does not match what was "
                            "computed.", {"ClientComputedContentSHA256": payload_hash,
                                          "S3ComputedContentSHA256": actual})

    path, _, query = raw_path.partition("?")
    if strict_path and canonical_path_form(path) != path:
        raise AuthError("SignatureDoesNotMatch",
                        f"--strict-path: the request path {path!r} is not URI-encoded the AWS "
                        f"way ({canonical_path_form(path)!r}); S3 would most likely compute "
                        f"another signature")
    canonical_headers = "".join(
        f"{name}:{','.join(' '.join(v.split()) for v in headers.get_all(name))}\n"
        for name in signed)
    canonical_request = "\n".join((method, path or "/", canonical_query(query), canonical_headers,
                                   signed_headers_text, payload_hash))
    credential_scope = "/".join((scope_date, region, service, "aws4_request"))
    string_to_sign = "\n".join((ALGORITHM, amz_date, credential_scope,
                                hashlib.sha256(canonical_request.encode("latin-1")).hexdigest()))
    expected = hmac.new(signing_key(secret, scope_date, region, service),
                        string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
        raise AuthError("SignatureDoesNotMatch",
                        "The request signature we calculated does not match the signature you "
                        "provided. Check your key and signing method.",
                        {"AWSAccessKeyId": access_key, "StringToSign": string_to_sign,
                         "CanonicalRequest": canonical_request})


def error_xml(code, message, extra=None):
    parts = [f"<Code>{xml_escape(code)}</Code>", f"<Message>{xml_escape(message)}</Message>"]
    for key, value in (extra or {}).items():
        parts.append(f"<{key}>{xml_escape(str(value))}</{key}>")
    parts.append(f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error>' + "".join(parts)
            + "</Error>").encode()


class ClientGone(Exception):
    pass


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "s3_proxy"
    sys_version = ""
    # Headers and body leave in separate writes: without TCP_NODELAY, Nagle + delayed ACK
    # add ~40 ms to every response.
    disable_nagle_algorithm = True

    # Set on the class by main().
    state = None
    upstream = None  # urllib.parse.SplitResult
    upstream_timeout = 60.0
    credentials = None  # dict AKID -> secret, or None when not verifying
    max_skew = 900.0
    strict_path = False
    timeout = 60.0  # socket timeout: idle kept-alive client connections are closed after it

    def log_request(self, code="-", size="-"):
        pass

    def log_message(self, format, *args):  # noqa: A002 (http.server's name)
        log(f"{self.address_string()} {format % args}")

    def do_GET(self):
        self.handle_any()

    do_HEAD = do_PUT = do_POST = do_DELETE = do_OPTIONS = do_PATCH = do_GET

    # ---- plumbing -------------------------------------------------------------------------

    def log_line(self, status, fault=None, note=None):
        path = self.path.partition("?")[0]
        text = f"{self.command} {path} {status if status is not None else '-'} fault={fault or '-'}"
        if note:
            text += f" ({note})"
        log(text)

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise ClientGone("connection closed inside a chunked body")
                size = int(line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while True:  # trailers, up to the empty line
                        line = self.rfile.readline(65537)
                        if line in (b"\r\n", b"\n", b""):
                            break
                    break
                total += size
                if total > MAX_BODY:
                    raise ClientGone("chunked body too large")
                data = self.rfile.read(size)
                if len(data) != size:
                    raise ClientGone("connection closed inside a chunk")
                chunks.append(data)
                self.rfile.readline(3)
            return b"".join(chunks)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        size = int(length)
        if size < 0 or size > MAX_BODY:
            raise ClientGone(f"bad Content-Length {length}")
        data = self.rfile.read(size)
        if len(data) != size:
            raise ClientGone("connection closed inside the body")
        return data

    def send_plain(self, status, body, content_type="application/xml", extra_headers=()):
        self.send_response_only(status)
        self.send_header("Server", self.version_string())
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", content_type)
        for name, value in extra_headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def send_json(self, status, value):
        self.send_plain(status, json.dumps(value, sort_keys=True).encode() + b"\n",
                        "application/json")

    def drop_connection(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ---- control endpoints ----------------------------------------------------------------

    def handle_control(self):
        path = self.path.partition("?")[0]
        try:
            body = self.read_body()
        except (ClientGone, ValueError) as error:
            self.log_line(None, note=str(error))
            self.drop_connection()
            return
        if path == "/__proxy/faults" and self.command == "POST":
            try:
                faults = parse_faults(json.loads(body.decode() or "{}"))
            except ValueError as error:  # json.JSONDecodeError is a ValueError
                self.send_json(400, {"error": str(error)})
                self.log_line(400, note="control")
                return
            self.state.set_faults(faults)
            self.send_json(200, faults)
            log(f"faults set to {json.dumps(faults, sort_keys=True)}")
        elif path == "/__proxy/faults" and self.command == "GET":
            self.send_json(200, self.state.get_faults())
        elif path == "/__proxy/stats" and self.command == "GET":
            self.send_json(200, self.state.snapshot())
        elif path == "/__proxy/reset" and self.command == "POST":
            self.state.reset()
            self.send_json(200, {"reset": True})
            log("reset: no faults, counters cleared")
        else:
            self.send_json(404, {"error": f"no control endpoint {self.command} {path}"})
            self.log_line(404, note="control")

    # ---- proxied requests -----------------------------------------------------------------

    def upstream_connection(self, fresh=False):
        conn = getattr(self, "_upstream_conn", None)
        if conn is not None and not fresh:
            return conn
        if conn is not None:
            conn.close()
        host, port = self.upstream.hostname, self.upstream.port
        if self.upstream.scheme == "https":
            conn = http.client.HTTPSConnection(host, port or 443, timeout=self.upstream_timeout)
        else:
            conn = http.client.HTTPConnection(host, port or 80, timeout=self.upstream_timeout)
        self._upstream_conn = conn
        return conn

    def forward(self, body):
        """Sends the request upstream; returns (status, reason, headers, body)."""
        connection_tokens = {token.strip().lower()
                             for value in self.headers.get_all("Connection") or ()
                             for token in value.split(",")}
        target = "".join(c if ord(c) < 128 else "%%%02X" % (ord(c) & 0xFF) for c in self.path)
        if not target.startswith("/"):  # absolute-form request target
            split = urllib.parse.urlsplit(target)
            target = urllib.parse.urlunsplit(("", "", split.path or "/", split.query, ""))
        headers = [(name, value) for name, value in self.headers.items()
                   if name.lower() not in HOP_BY_HOP and name.lower() not in connection_tokens]
        for attempt in range(2):
            conn = self.upstream_connection(fresh=attempt > 0)
            sent = False
            try:
                conn.putrequest(self.command, target, skip_host=True, skip_accept_encoding=True)
                for name, value in headers:
                    conn.putheader(name, value)
                if body or self.command in ("PUT", "POST", "PATCH"):
                    conn.putheader("Content-Length", str(len(body)))
                conn.endheaders(body if body else None)
                sent = True
                response = conn.getresponse()
                data = response.read()
                result = (response.status, response.reason, response.getheaders(), data)
                if response.will_close:
                    conn.close()
                    self._upstream_conn = None
                return result
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest, http.client.BadStatusLine) as error:
                # A kept-alive upstream connection that the upstream closed meanwhile: retry once
                # on a new connection (the upstream did not process the request).
                conn.close()
                self._upstream_conn = None
                if attempt == 1 or (sent and not isinstance(error, http.client.RemoteDisconnected)):
                    raise
            except Exception:
                conn.close()
                self._upstream_conn = None
                raise
        raise AssertionError("unreachable")

    def relay(self, status, reason, headers, data):
        self.send_response_only(status, reason)
        no_body = self.command == "HEAD" or status in (204, 304) or 100 <= status < 200
        connection_tokens = {token.strip().lower() for name, value in headers
                             if name.lower() == "connection" for token in value.split(",")}
        for name, value in headers:
            lower = name.lower()
            if lower in HOP_BY_HOP or lower in connection_tokens:
                if not (no_body and lower == "content-length"):
                    continue
            self.send_header(name, value)
        if not no_body:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not no_body:
            self.wfile.write(data)
        self.wfile.flush()

    def handle_any(self):
        if self.path.startswith(CONTROL_PREFIX):
            self.handle_control()
            return
        state = self.state
        method = self.command
        state.count_request(method)
        fault, stall_seconds = state.roll(method)

        if fault == "stall":
            state.count(fault)
            time.sleep(stall_seconds)
            self.log_line(None, fault)
            self.drop_connection()
            return
        try:
            body = self.read_body()
        except (ClientGone, ValueError) as error:
            self.log_line(None, fault, f"bad request body: {error}")
            self.drop_connection()
            return
        if fault == "drop_before":
            state.count(fault)
            self.log_line(None, fault)
            self.drop_connection()
            return

        if self.credentials is not None:
            try:
                verify_sigv4(method, self.path, self.headers, body, self.credentials,
                             self.max_skew, self.strict_path)
            except AuthError as error:
                state.count("sigv4_failures")
                state.count_status(403)
                self.send_plain(403, error_xml(error.code, error.message, error.extra))
                self.log_line(403, None, f"{error.code}: {error.message}")
                return

        if fault == "error500":
            state.count(fault)
            state.count_status(500)
            self.send_plain(500, error_xml("InternalError",
                                           "We encountered an internal error. Please try again."))
            self.log_line(500, fault)
            return
        if fault == "slowdown503":
            state.count(fault)
            state.count_status(503)
            self.send_plain(503, error_xml("SlowDown", "Please reduce your request rate."))
            self.log_line(503, fault)
            return

        try:
            status, reason, headers, data = self.forward(body)
        except (OSError, http.client.HTTPException) as error:
            state.count("upstream_errors")
            state.count_status(502)
            self.send_plain(502, error_xml("BadGateway", f"upstream failed: {error}"))
            self.log_line(502, fault, "upstream error")
            return
        state.count("forwarded")
        if fault == "drop_after":
            state.count(fault)
            self.log_line(status, fault, "response not relayed")
            self.drop_connection()
            return
        state.count_status(status)
        self.relay(status, reason, headers, data)
        self.log_line(status)

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            self.close_connection = True

    def finish(self):
        conn = getattr(self, "_upstream_conn", None)
        if conn is not None:
            conn.close()
        try:
            super().finish()
        except OSError:
            pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionResetError, BrokenPipeError, socket.timeout)):
            return
        super().handle_error(request, client_address)


def parse_credentials(text):
    credentials = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        akid, sep, secret = item.partition(":")
        if not sep or not akid or not secret:
            raise ValueError("credentials must be AKID:SECRET pairs separated by commas")
        credentials[akid] = secret
    if not credentials:
        raise ValueError("no credentials given")
    return credentials


def main(argv=None):
    parser = argparse.ArgumentParser(description="S3 test proxy: SigV4 checks, fault injection")
    parser.add_argument("--upstream", required=True, help="upstream S3 endpoint, http://HOST:PORT")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    parser.add_argument("--port-file", help="file that receives the bound port once listening")
    parser.add_argument("--verify-sigv4", action="store_true", help="check SigV4 signatures")
    parser.add_argument("--credentials", help="AKID:SECRET[,AKID2:SECRET2] for --verify-sigv4")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault random generator")
    parser.add_argument("--faults", help="initial fault settings, JSON (see the module doc)")
    parser.add_argument("--upstream-timeout", type=float, default=60.0)
    parser.add_argument("--max-skew", type=float, default=900.0,
                        help="allowed x-amz-date skew, seconds")
    parser.add_argument("--strict-path", action="store_true",
                        help="with --verify-sigv4, also reject paths that are not percent-encoded "
                             "exactly like the AWS SDKs do (everything but A-Za-z0-9-_.~/)")
    parser.add_argument("--idle-timeout", type=float, default=60.0,
                        help="close client connections idle (or stuck mid-request) this long")
    args = parser.parse_args(argv)

    upstream = urllib.parse.urlsplit(args.upstream)
    if upstream.scheme not in ("http", "https") or not upstream.hostname:
        parser.error("--upstream must be http://HOST:PORT or https://HOST:PORT")
    credentials = None
    if args.verify_sigv4:
        if not args.credentials:
            parser.error("--verify-sigv4 needs --credentials")
        try:
            credentials = parse_credentials(args.credentials)
        except ValueError as error:
            parser.error(str(error))
    try:
        faults = parse_faults(json.loads(args.faults)) if args.faults else default_faults()
    except ValueError as error:
        parser.error(f"--faults: {error}")

    state = State(args.seed, faults)
    ProxyHandler.state = state
    ProxyHandler.upstream = upstream
    ProxyHandler.upstream_timeout = args.upstream_timeout
    ProxyHandler.credentials = credentials
    ProxyHandler.max_skew = args.max_skew
    ProxyHandler.strict_path = args.strict_path
    ProxyHandler.timeout = args.idle_timeout if args.idle_timeout > 0 else None

    server = Server((args.host, args.port), ProxyHandler)
    port = server.server_address[1]
    if args.port_file:
        tmp = f"{args.port_file}.tmp.{os.getpid()}"
        with open(tmp, "w") as handle:
            handle.write(f"{port}\n")
        os.replace(tmp, args.port_file)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    log(f"listening on {args.host}:{port}, upstream {args.upstream}, "
        f"sigv4 {'on (' + str(len(credentials)) + ' keys)' if credentials else 'off'}, "
        f"seed {args.seed}")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
