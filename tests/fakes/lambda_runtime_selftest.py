#!/usr/bin/env python3
"""Self-test of tests/fakes/lambda_runtime.py (run by ctest as lambda_runtime_selftest).

Starts the fake Runtime API on a free loopback port and plays the function from a thread, the
way a bootstrap does (one kept-alive connection for /next and the answers), while the main
thread plays the test through the control endpoints. Checks that:
  * the fake is idle at first, and waiting_for_next turns true while /next is blocked;
  * /next hands out the queued event byte for byte with the four Lambda-Runtime-* headers
    (uuid4 request id, deadline = now + --deadline-ms, the --function-arn, an X-Ray trace id);
  * a response reaches /_control/invoke as JSON, or as text when it is not JSON; an error with
    its Lambda-Runtime-Function-Error-Type header; elapsed_ms and served_ms are plausible;
  * events queued together are served in order; a 7 MiB event and a chunked answer work;
  * violations: an unknown id (400), a second answer (400), an answer after the deadline
    (accepted, "late"), /next while an invocation is unanswered, an error body without
    errorMessage/errorType, a response over 6 MiB;
  * /_control/invoke times out with 504 and takes the event off the queue;
  * /runtime/init/error is recorded and shown by /_control/init_error;
  * unknown endpoints get 404, wrong methods 405; SIGTERM stops the fake at once, even with a
    /next blocked.
Exit status 0 on success.
"""

import http.client
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "lambda_runtime.py")
ARN = "arn:aws:lambda:eu-west-1:111122223333:function:selftest"
DEADLINE_MS = 4000
API = "/2018-06-01/runtime"
MiB = 1024 * 1024


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def request(port, method, path, body=None, headers=None, timeout=30):
    """One request on a fresh connection: (status, headers dict (lower-case), body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        conn.close()


def control(port, method, path, body=None, timeout=30):
    status, _, data = request(port, method, path, body, timeout=timeout)
    return status, json.loads(data)


def stats(port):
    status, answer = control(port, "GET", "/_control/stats")
    check(status == 200, f"stats: HTTP {status}")
    return answer


def wait_until(what, predicate, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise Failure(f"timed out waiting for {what}")


class Function:
    """The function side: one kept-alive connection, like a bootstrap's."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.sock_id = None

    def call(self, method, path, body=None, headers=None, chunks=None):
        if chunks is not None:
            self.conn.request(method, path, body=iter(chunks), headers=headers or {},
                              encode_chunked=True)
        else:
            self.conn.request(method, path, body=body, headers=headers or {})
        response = self.conn.getresponse()
        data = response.read()
        if self.sock_id is None:
            self.sock_id = id(self.conn.sock)
        check(self.conn.sock is not None and id(self.conn.sock) == self.sock_id,
              "the fake did not keep the function's connection alive")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def next(self):
        status, headers, body = self.call("GET", f"{API}/invocation/next")
        check(status == 200, f"/next: HTTP {status} {body!r}")
        return headers, body

    def respond(self, request_id, body, kind="response", headers=None, chunks=None):
        return self.call("POST", f"{API}/invocation/{request_id}/{kind}", body, headers, chunks)

    def close(self):
        self.conn.close()


class Invoker:
    """Runs /_control/invoke calls in threads; their answers arrive in order of completion."""

    def __init__(self, port):
        self.port = port
        self.results = queue.Queue()

    def start(self, event, query="", tag=None):
        def run():
            try:
                result = control(self.port, "POST", f"/_control/invoke{query}", event, timeout=120)
            except Exception as error:  # noqa: BLE001 (handed to the main thread)
                result = (0, {"exception": repr(error)})
            self.results.put((tag, result))
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def get(self, seconds=20):
        try:
            return self.results.get(timeout=seconds)
        except queue.Empty:
            raise Failure("a /_control/invoke call did not return") from None


def test_basics(port, steps):
    first = stats(port)
    check(first == {"invocations_served": 0, "responses": 0, "errors": 0, "init_errors": 0,
                    "violations": [], "waiting_for_next": False, "queued": 0,
                    "unanswered": []}, f"initial stats: {first}")
    check(control(port, "GET", "/_control/init_error") == (200, {"error": None}),
          "init_error before any")

    function = Function(port)
    invoker = Invoker(port)
    got = queue.Queue()
    poll = threading.Thread(target=lambda: got.put(function.next()), daemon=True)
    poll.start()
    wait_until("waiting_for_next", lambda: stats(port)["waiting_for_next"])
    time.sleep(0.2)
    check(got.empty(), "/next returned with nothing queued")

    event = json.dumps({"version": "2.0", "rawPath": "/v1/logs", "body": "x" * 100}).encode()
    before_ms = time.time() * 1000
    invoker.start(event)
    headers, body = got.get(timeout=10)
    poll.join()
    check(body == event, "the event was not handed out byte for byte")
    check(headers.get("content-type") == "application/json", f"content-type: {headers}")
    request_id = headers.get("lambda-runtime-aws-request-id", "")
    check(str(uuid.UUID(request_id)) == request_id and uuid.UUID(request_id).version == 4,
          f"request id {request_id!r} is not a uuid4")
    deadline = int(headers.get("lambda-runtime-deadline-ms", "0"))
    check(before_ms + DEADLINE_MS - 1000 <= deadline <= time.time() * 1000 + DEADLINE_MS + 1,
          f"deadline {deadline} is not now + {DEADLINE_MS} ms")
    check(headers.get("lambda-runtime-invoked-function-arn") == ARN, f"arn: {headers}")
    check(re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1",
                       headers.get("lambda-runtime-trace-id", "")), f"trace id: {headers}")
    during = stats(port)
    check(during["unanswered"] == [request_id] and not during["waiting_for_next"],
          f"stats while the invocation runs: {during}")
    time.sleep(0.05)
    answer = {"statusCode": 200, "headers": {"x-otlp2parquet-rows": "5"}, "body": "{}",
              "isBase64Encoded": False}
    status, _, reply = function.respond(request_id, json.dumps(answer).encode(),
                                        headers={"Content-Type": "application/json"})
    check(status == 202 and json.loads(reply) == {"status": "OK"}, f"response: {status} {reply!r}")
    _, (status, result) = invoker.get()
    check(status == 200, f"invoke: HTTP {status} {result}")
    check(result["request_id"] == request_id and result["kind"] == "response"
          and result["payload"] == answer and result["error_type"] is None
          and result["late"] is False, f"invoke result: {result}")
    check(50 <= result["elapsed_ms"] < 10000 and 0 <= result["served_ms"] <= result["elapsed_ms"],
          f"elapsed_ms {result['elapsed_ms']}, served_ms {result['served_ms']}")
    steps.append("long poll, event and headers, response delivered as JSON")

    # Not JSON, both ways; raw bytes that are not UTF-8 go through unchanged.
    event = b"\x00\xffnot json\x80"
    invoker.start(event)
    headers, body = function.next()
    check(body == event, "a binary event was altered")
    request_id = headers["lambda-runtime-aws-request-id"]
    function.respond(request_id, b"plain text answer")
    _, (status, result) = invoker.get()
    check(status == 200 and result["payload"] == "plain text answer", f"text answer: {result}")
    steps.append("non-JSON event and non-JSON answer")

    # An error.
    invoker.start(b'{"hello": 1}')
    headers, _ = function.next()
    request_id = headers["lambda-runtime-aws-request-id"]
    error = {"errorMessage": "not an HTTP event", "errorType": "Runtime.InvalidEvent",
             "stackTrace": []}
    status, _, reply = function.respond(
        request_id, json.dumps(error).encode(), kind="error",
        headers={"Lambda-Runtime-Function-Error-Type": "Runtime.InvalidEvent"})
    check(status == 202, f"error: HTTP {status} {reply!r}")
    _, (status, result) = invoker.get()
    check(status == 200 and result["kind"] == "error" and result["payload"] == error
          and result["error_type"] == "Runtime.InvalidEvent", f"error result: {result}")
    steps.append("error answer with its error type")

    # Three events queued together come out in order; a 7 MiB event; a chunked answer.
    for n in range(3):
        invoker.start(f'{{"n": {n}}}'.encode(), tag=n)
        wait_until(f"event {n} queued", lambda n=n: stats(port)["queued"] == n + 1)
    for n in range(3):
        headers, body = function.next()
        check(json.loads(body) == {"n": n}, f"event {n} came out as {body!r}")
        function.respond(headers["lambda-runtime-aws-request-id"], body)
        tag, (status, result) = invoker.get()
        check(tag == n and result["payload"] == {"n": n}, f"answer {n}: {tag} {result}")
    big = b'{"body":"' + b"A" * (7 * MiB) + b'"}'
    invoker.start(big)
    headers, body = function.next()
    check(body == big, "the 7 MiB event was altered")
    function.respond(headers["lambda-runtime-aws-request-id"], None,
                     chunks=[b'{"statusCode":', b"200", b"}"])
    _, (status, result) = invoker.get()
    check(result["payload"] == {"statusCode": 200}, f"chunked answer: {result}")
    steps.append("FIFO order, 7 MiB event, chunked answer, one kept-alive connection")

    now = stats(port)
    check(now["invocations_served"] == 7 and now["responses"] == 6 and now["errors"] == 1
          and now["violations"] == [] and now["unanswered"] == [], f"stats: {now}")
    function.close()
    return function


def test_violations(port, steps):
    function = Function(port)
    invoker = Invoker(port)
    base = len(stats(port)["violations"])

    def new_violations():
        return stats(port)["violations"][base:]

    # Unknown id.
    status, _, reply = function.respond("00000000-0000-4000-8000-000000000000", b"{}")
    check(status == 400, f"unknown id: HTTP {status} {reply!r}")
    check(len(new_violations()) == 1 and new_violations()[0].startswith("unknown-id:"),
          f"violations: {new_violations()}")

    # A second answer.
    invoker.start(b"{}")
    headers, _ = function.next()
    request_id = headers["lambda-runtime-aws-request-id"]
    check(function.respond(request_id, b"{}")[0] == 202, "first answer")
    invoker.get()
    status, _, _ = function.respond(request_id, b"{}", kind="error")
    check(status == 400, f"duplicate answer: HTTP {status}")
    check(new_violations()[-1].startswith("duplicate:") and request_id in new_violations()[-1],
          f"violations: {new_violations()}")

    # Late: a 100 ms deadline, answered after 300 ms, is still delivered.
    invoker.start(b"{}", query="?deadline_ms=100")
    headers, _ = function.next()
    request_id = headers["lambda-runtime-aws-request-id"]
    deadline = int(headers["lambda-runtime-deadline-ms"])
    check(deadline <= time.time() * 1000 + 100, "deadline_ms=100 was not applied")
    time.sleep(0.3)
    check(function.respond(request_id, b'"late"')[0] == 202, "a late answer is accepted")
    _, (status, result) = invoker.get()
    check(status == 200 and result["late"] is True and result["payload"] == "late",
          f"late result: {result}")
    check(new_violations()[-1].startswith("late:"), f"violations: {new_violations()}")

    # /next while one is unanswered.
    invoker.start(b'{"first": 1}', tag="first")
    headers, _ = function.next()
    first_id = headers["lambda-runtime-aws-request-id"]
    invoker.start(b'{"second": 2}', tag="second")
    headers, body = function.next()
    check(json.loads(body) == {"second": 2}, "second /next")
    second_id = headers["lambda-runtime-aws-request-id"]
    check(new_violations()[-1].startswith("next-unanswered:") and first_id in new_violations()[-1],
          f"violations: {new_violations()}")
    function.respond(second_id, b"{}")
    function.respond(first_id, b"{}")
    tags = {invoker.get()[0], invoker.get()[0]}
    check(tags == {"first", "second"}, f"answers: {tags}")

    # A malformed error body, and a response over 6 MiB.
    invoker.start(b"{}")
    headers, _ = function.next()
    function.respond(headers["lambda-runtime-aws-request-id"], b"oops", kind="error")
    _, (_, result) = invoker.get()
    check(result["kind"] == "error" and result["payload"] == "oops"
          and result["error_type"] is None, f"malformed error: {result}")
    check(new_violations()[-1].startswith("error-body:"), f"violations: {new_violations()}")
    invoker.start(b"{}")
    headers, _ = function.next()
    function.respond(headers["lambda-runtime-aws-request-id"], b"x" * (6 * MiB + 1))
    invoker.get()
    check(new_violations()[-1].startswith("too-large:"), f"violations: {new_violations()}")

    kinds = [v.split(":", 1)[0] for v in new_violations()]
    check(kinds == ["unknown-id", "duplicate", "late", "next-unanswered", "error-body",
                    "too-large"], f"violations: {new_violations()}")
    check(stats(port)["unanswered"] == [], "unanswered ids left")
    function.close()
    steps.append("violations: unknown id, duplicate, late, next-unanswered, error body, too large")


def test_timeout_and_init_error(port, steps):
    started = time.monotonic()
    status, answer = control(port, "POST", "/_control/invoke?timeout=0.3", b'{"never": 1}')
    check(status == 504 and answer == {"error": "timeout", "request_id": None},
          f"timeout: HTTP {status} {answer}")
    check(0.3 <= time.monotonic() - started < 5, "the time-out took too long or too short")
    check(stats(port)["queued"] == 0, "the timed-out event is still queued")
    # The next /next must not see the timed-out event.
    function = Function(port)
    invoker = Invoker(port)
    invoker.start(b'{"after": 1}')
    headers, body = function.next()
    check(json.loads(body) == {"after": 1}, f"the timed-out event was handed out: {body!r}")
    function.respond(headers["lambda-runtime-aws-request-id"], b"{}")
    invoker.get()
    steps.append("invoke time-out: 504, event taken off the queue")

    error = {"errorMessage": "OTLP2PARQUET_S3_BUCKET or OTLP2PARQUET_ICEBERG_REST_URI is needed",
             "errorType": "Runtime.ConfigError"}
    status, _, reply = function.call("POST", f"{API}/init/error", json.dumps(error).encode(),
                                     {"Lambda-Runtime-Function-Error-Type": "Runtime.ConfigError"})
    check(status == 202 and json.loads(reply) == {"status": "OK"}, f"init error: {status}")
    status, answer = control(port, "GET", "/_control/init_error")
    check(status == 200 and answer == {"error": error, "error_type": "Runtime.ConfigError"},
          f"/_control/init_error: {answer}")
    check(stats(port)["init_errors"] == 1, "init_errors")
    function.close()
    steps.append("init error recorded with its type")

    for method, path, expected in [("GET", "/nope", 404),
                                   ("GET", f"{API}/invocation/x/response", 405),
                                   ("POST", f"{API}/invocation/next", 405),
                                   ("GET", "/_control/invoke", 405),
                                   ("GET", f"{API}/init/error", 405)]:
        status, _, _ = request(port, method, path)
        check(status == expected, f"{method} {path}: HTTP {status}, expected {expected}")
    steps.append("404 and 405")


def main():
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="lambda-runtime-selftest.")
    port_file = os.path.join(work, "port")
    log_path = os.path.join(work, "fake.log")
    steps = []
    ok = False
    proc = None
    try:
        with open(log_path, "ab") as log:
            proc = subprocess.Popen([sys.executable, FAKE, "--port", "0", "--port-file", port_file,
                                     "--deadline-ms", str(DEADLINE_MS), "--function-arn", ARN,
                                     "--verbose"],
                                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_until("the port file", lambda: os.path.exists(port_file) or proc.poll() is not None,
                   15)
        check(proc.poll() is None, "the fake exited at start-up")
        with open(port_file) as handle:
            port = int(handle.read().strip())

        test_basics(port, steps)
        test_violations(port, steps)
        test_timeout_and_init_error(port, steps)

        # A /next left blocked must not keep SIGTERM from stopping the fake.
        blocked = Function(port)
        def poll_until_closed():
            try:
                blocked.call("GET", f"{API}/invocation/next")
            except (OSError, http.client.HTTPException):
                pass  # expected: the fake goes away
        threading.Thread(target=poll_until_closed, daemon=True).start()
        wait_until("the blocked /next", lambda: stats(port)["waiting_for_next"])
        proc.terminate()
        try:
            proc.wait(3)
        except subprocess.TimeoutExpired:
            raise Failure("the fake did not stop within 3 s of SIGTERM") from None
        steps.append("SIGTERM stops it with a /next blocked")
        ok = True
    except Exception as error:  # noqa: BLE001 (report anything, then clean up)
        traceback.print_exc()
        sys.stderr.write(f"lambda_runtime_selftest: FAIL: {error}\n")
        try:
            with open(log_path, errors="replace") as handle:
                tail = "".join(handle.readlines()[-40:])
            sys.stderr.write("--- fake.log (last 40 lines)\n" + tail)
        except OSError:
            pass
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        if ok or not os.environ.get("KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    for step in steps:
        print(f"ok: {step}")
    elapsed = time.monotonic() - started
    print(f"lambda_runtime_selftest: {'PASS' if ok else 'FAIL'} in {elapsed:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
