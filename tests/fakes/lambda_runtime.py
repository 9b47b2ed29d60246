#!/usr/bin/env python3
"""A fake AWS Lambda Runtime API (2018-06-01) for the Lambda tests, standard library only.

The bootstrap talks to it exactly as to the real one inside a Lambda sandbox, and the tests hand
it events and read the answers through control endpoints:

  python3 tests/fakes/lambda_runtime.py --port 0 --port-file PATH [--host 127.0.0.1]
      [--deadline-ms 30000] [--function-arn ARN] [--verbose]

Once listening it writes the bound port to --port-file (a temporary file, then renamed). With
--verbose it logs one line per request to stderr (method, path, status, duration); otherwise it
prints nothing. SIGTERM or SIGINT stop it.

Runtime endpoints (what the function calls; HTTP/1.1, keep-alive):
  GET  /2018-06-01/runtime/invocation/next
        Long poll, no time-out: blocks until an event is queued, then 200 with the event bytes
        (Content-Type: application/json) and the headers Lambda-Runtime-Aws-Request-Id (a uuid4),
        Lambda-Runtime-Deadline-Ms (epoch ms: now + the deadline), Lambda-Runtime-Invoked-
        Function-Arn and Lambda-Runtime-Trace-Id (Root=1-…;Parent=…;Sampled=1).
  POST /2018-06-01/runtime/invocation/{id}/response   202 {"status":"OK"}
  POST /2018-06-01/runtime/invocation/{id}/error      202 {"status":"OK"}; keeps the
        Lambda-Runtime-Function-Error-Type header and the body ({errorMessage, errorType,
        stackTrace?})
  POST /2018-06-01/runtime/init/error                 202 {"status":"OK"}; keeps header and body
Rule checks, each recorded as a violation string (GET /_control/stats lists them):
  * an answer for an id that was never handed out: 400 (as the real API), "unknown-id: …";
  * a second answer for the same id: 400, "duplicate: …";
  * an answer after the invocation's deadline: accepted (202) and delivered, "late: …";
  * GET /next while an invocation handed out earlier is still unanswered: "next-unanswered: …"
    (the poll goes on normally);
  * an error body that is not a JSON object with string errorMessage and errorType:
    "error-body: …" (accepted);
  * a response body over 6 MiB (the real API's limit for buffered responses): "too-large: …"
    (accepted).

Control endpoints (what the tests call):
  POST /_control/invoke[?timeout=SECONDS][&deadline_ms=MS]
        The body is the event (any bytes). Queues it and blocks until the function answers:
        200 {"request_id", "kind": "response"|"error", "payload": the answer parsed as JSON (or
        the raw text when it is not JSON), "error_type": the error type header or null,
        "elapsed_ms": queue -> answer, "served_ms": queue -> handed out by /next, "late": bool}.
        504 {"error": "timeout", "request_id": id or null} after timeout (default 60) seconds;
        an event not yet handed out is then taken off the queue. deadline_ms overrides
        --deadline-ms for this invocation.
  GET  /_control/init_error
        {"error": null} or {"error": body (parsed JSON, or text), "error_type": header or null}
        (the last one when there were several; init_errors in stats counts them).
  GET  /_control/stats
        {"invocations_served", "responses", "errors", "init_errors", "violations": [strings],
         "waiting_for_next": a GET /next is blocked right now (the function is ready),
         "queued": events waiting for /next, "unanswered": ids handed out and not answered}
"""

import argparse
import http.server
import json
import os
import re
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.parse
import uuid
from collections import deque

API = "/2018-06-01/runtime"
RESPONSE_LIMIT = 6 * 1024 * 1024
ANSWER_PATH = re.compile(r"^/2018-06-01/runtime/invocation/([^/]+)/(response|error)$")


def log(message):
    sys.stderr.write(f"lambda_runtime: {message}\n")
    sys.stderr.flush()


def parse_answer(body):
    """The answer as JSON when it is JSON, else as text (undecodable bytes replaced)."""
    text = body.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def trace_id():
    return (f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)};"
            f"Parent={secrets.token_hex(8)};Sampled=1")


class Invocation:
    def __init__(self, event, deadline_ms):
        self.event = event
        self.deadline_ms = deadline_ms  # relative, applied when handed out
        self.queued_at = time.monotonic()
        self.request_id = None
        self.deadline_epoch_ms = None
        self.served_at = None
        self.answer = None              # the control endpoint's JSON, once answered
        self.done = threading.Event()


class State:
    def __init__(self, deadline_ms, function_arn):
        self.deadline_ms = deadline_ms
        self.function_arn = function_arn
        self.lock = threading.Condition()
        self.queue = deque()            # Invocations waiting for /next
        self.by_id = {}                 # request id -> Invocation (handed out)
        self.unanswered = []            # ids handed out, not answered, in hand-out order
        self.waiting = 0                # GET /next calls blocked right now
        self.served = 0
        self.responses = 0
        self.errors = 0
        self.init_errors = 0
        self.init_error = None
        self.violations = []

    def violation(self, text):
        with self.lock:
            self.violations.append(text)

    # --- runtime side -------------------------------------------------------------------

    def next_invocation(self):
        with self.lock:
            if self.unanswered:
                self.violations.append(
                    f"next-unanswered: GET /next while {', '.join(self.unanswered)} "
                    "is still unanswered")
            self.waiting += 1
            try:
                while not self.queue:
                    self.lock.wait()
            finally:
                self.waiting -= 1
            invocation = self.queue.popleft()
            invocation.request_id = str(uuid.uuid4())
            invocation.served_at = time.monotonic()
            invocation.deadline_epoch_ms = int(time.time() * 1000) + invocation.deadline_ms
            self.by_id[invocation.request_id] = invocation
            self.unanswered.append(invocation.request_id)
            self.served += 1
            return invocation

    def answer(self, request_id, kind, body, error_type):
        """Returns (HTTP status, JSON reply) for POST …/{id}/response|error."""
        now_ms = time.time() * 1000
        with self.lock:
            invocation = self.by_id.get(request_id)
            if invocation is None:
                self.violations.append(f"unknown-id: {kind} for request id {request_id!r}, "
                                       "which was never handed out")
                return 400, {"errorMessage": "Invalid request ID",
                             "errorType": "InvalidRequestID"}
            if invocation.answer is not None:
                self.violations.append(f"duplicate: second answer ({kind}) for {request_id}, "
                                       f"already answered with {invocation.answer['kind']}")
                return 400, {"errorMessage": "Invalid state transition",
                             "errorType": "InvalidStateTransition"}
            late = now_ms > invocation.deadline_epoch_ms
            if late:
                self.violations.append(f"late: {kind} for {request_id} came "
                                       f"{now_ms - invocation.deadline_epoch_ms:.0f} ms after "
                                       "the deadline")
            if kind == "response" and len(body) > RESPONSE_LIMIT:
                self.violations.append(f"too-large: response for {request_id} has {len(body)} "
                                       f"bytes, the limit is {RESPONSE_LIMIT}")
            payload = parse_answer(body)
            if kind == "error":
                if not (isinstance(payload, dict) and isinstance(payload.get("errorMessage"), str)
                        and isinstance(payload.get("errorType"), str)):
                    self.violations.append(f"error-body: the error for {request_id} is not "
                                           "{errorMessage, errorType}: "
                                           f"{body[:200].decode('utf-8', 'replace')!r}")
                self.errors += 1
            else:
                self.responses += 1
            self.unanswered.remove(request_id)
            invocation.answer = {
                "request_id": request_id,
                "kind": kind,
                "payload": payload,
                "error_type": error_type,
                "elapsed_ms": round((time.monotonic() - invocation.queued_at) * 1000, 3),
                "served_ms": round((invocation.served_at - invocation.queued_at) * 1000, 3),
                "late": late,
            }
            invocation.done.set()
            return 202, {"status": "OK"}

    def record_init_error(self, body, error_type):
        with self.lock:
            self.init_errors += 1
            self.init_error = {"error": parse_answer(body), "error_type": error_type}

    # --- control side -------------------------------------------------------------------

    def invoke(self, event, timeout, deadline_ms):
        invocation = Invocation(event, self.deadline_ms if deadline_ms is None else deadline_ms)
        with self.lock:
            self.queue.append(invocation)
            self.lock.notify_all()
        if invocation.done.wait(timeout):
            return 200, invocation.answer
        with self.lock:
            if invocation in self.queue:
                self.queue.remove(invocation)
            if invocation.answer is not None:  # answered just now
                return 200, invocation.answer
        return 504, {"error": "timeout", "request_id": invocation.request_id}

    def stats(self):
        with self.lock:
            return {
                "invocations_served": self.served,
                "responses": self.responses,
                "errors": self.errors,
                "init_errors": self.init_errors,
                "violations": list(self.violations),
                "waiting_for_next": self.waiting > 0,
                "queued": len(self.queue),
                "unanswered": list(self.unanswered),
            }

    def last_init_error(self):
        with self.lock:
            return dict(self.init_error) if self.init_error else {"error": None}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeLambdaRuntime/1"
    sys_version = ""
    state = None
    verbose = False

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def reply(self, status, body, headers=None, content_type="application/json"):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()
        if self.verbose:
            log(f"{self.command} {self.path.split('?')[0]} -> {status} "
                f"({(time.monotonic() - self.started) * 1000:.1f} ms)")

    def dispatch(self):
        self.started = time.monotonic()
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        query = urllib.parse.parse_qs(url.query)
        body = self.read_body()
        state = self.state

        if path == f"{API}/invocation/next":
            if self.command != "GET":
                return self.reply(405, {"errorMessage": "method not allowed"})
            invocation = state.next_invocation()
            return self.reply(200, invocation.event, {
                "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_epoch_ms),
                "Lambda-Runtime-Invoked-Function-Arn": state.function_arn,
                "Lambda-Runtime-Trace-Id": trace_id(),
            })
        match = ANSWER_PATH.match(path)
        if match:
            if self.command != "POST":
                return self.reply(405, {"errorMessage": "method not allowed"})
            request_id = urllib.parse.unquote(match.group(1))
            status, answer = state.answer(request_id, match.group(2), body,
                                          self.headers.get("Lambda-Runtime-Function-Error-Type"))
            return self.reply(status, answer)
        if path == f"{API}/init/error":
            if self.command != "POST":
                return self.reply(405, {"errorMessage": "method not allowed"})
            state.record_init_error(body, self.headers.get("Lambda-Runtime-Function-Error-Type"))
            return self.reply(202, {"status": "OK"})

        if path == "/_control/invoke":
            if self.command != "POST":
                return self.reply(405, {"error": "method not allowed"})
            try:
                timeout = float(query.get("timeout", ["60"])[0])
                deadline = query.get("deadline_ms")
                deadline_ms = int(deadline[0]) if deadline else None
            except ValueError:
                return self.reply(400, {"error": "bad timeout or deadline_ms"})
            status, answer = state.invoke(body, timeout, deadline_ms)
            return self.reply(status, answer)
        if path == "/_control/init_error" and self.command == "GET":
            return self.reply(200, state.last_init_error())
        if path == "/_control/stats" and self.command == "GET":
            return self.reply(200, state.stats())
        return self.reply(404, {"errorMessage": f"no such endpoint: {self.command} {path}",
                                "errorType": "NotFound"})

    def do_GET(self):  # noqa: N802 (http.server's names)
        self.dispatch()

    def do_POST(self):  # noqa: N802
        self.dispatch()

    def do_PUT(self):  # noqa: N802
        self.dispatch()

    def do_DELETE(self):  # noqa: N802
        self.dispatch()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionResetError, BrokenPipeError, socket.timeout)):
            return
        super().handle_error(request, client_address)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Fake AWS Lambda Runtime API for tests")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free one)")
    parser.add_argument("--port-file", help="file that receives the bound port once listening")
    parser.add_argument("--deadline-ms", type=int, default=30000,
                        help="time each invocation gets, from /next to the deadline")
    parser.add_argument("--function-arn",
                        default="arn:aws:lambda:us-east-1:123456789012:function:otlp2parquet",
                        help="Lambda-Runtime-Invoked-Function-Arn")
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = parser.parse_args(argv)
    if args.deadline_ms <= 0:
        parser.error("--deadline-ms must be positive")

    Handler.state = State(args.deadline_ms, args.function_arn)
    Handler.verbose = args.verbose
    server = Server((args.host, args.port), Handler)
    port = server.server_address[1]
    if args.port_file:
        tmp = f"{args.port_file}.tmp.{os.getpid()}"
        with open(tmp, "w") as handle:
            handle.write(f"{port}\n")
        os.replace(tmp, args.port_file)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if args.verbose:
        log(f"listening on {args.host}:{port}, deadline {args.deadline_ms} ms")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
