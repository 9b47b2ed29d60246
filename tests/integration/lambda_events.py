#!/usr/bin/env python3
"""Lambda HTTP events for the Lambda tests, and a client of tests/fakes/lambda_runtime.py.
Standard library only (zstd goes through the zstd command-line tool).

  lambda_events.py v2 [EVENT OPTIONS] [BODYFILE] > event.json
        A Function URL / HTTP API event, payload format 2.0: version "2.0", routeKey "$default",
        rawPath, rawQueryString "", headers (lower-case names), requestContext {accountId,
        apiId, domainName, domainPrefix, http {method, path, protocol, sourceIp, userAgent},
        requestId, routeKey, stage "$default", time, timeEpoch}, body, isBase64Encoded.
  lambda_events.py v1 [EVENT OPTIONS] [BODYFILE] > event.json
        An API Gateway REST proxy event, payload format 1.0: resource, path, httpMethod,
        headers, multiValueHeaders, query string fields (null), pathParameters, requestContext
        {…, path, stage, identity}, body, isBase64Encoded.
    EVENT OPTIONS
      --path /v1/logs          the route (default /v1/logs)
      --method POST            (default POST)
      --content-type TYPE      Content-Type header (none when not given)
      --content-encoding E     gzip | deflate (zlib, as HTTP means it) | zstd: the body is
                               compressed with E and the header set; with --precompressed the
                               file already is (only the header is set)
      --base64                 base64 even for a text body (binary bodies always are: a
                               Content-Encoding, a non-text Content-Type or non-UTF-8 bytes)
      --stage-prefix /prod     prepended to the path (v1: also requestContext.stage "prod")
      --header NAME:VALUE      an extra header (repeatable)
      --literal-body TEXT      the body field is TEXT as given (isBase64Encoded = --base64),
                               e.g. invalid base64; no BODYFILE then
      --out FILE               write there instead of stdout
    Without BODYFILE or --literal-body the event has no body (a GET).

  lambda_events.py synth-logs [--bytes 1048576] [--format proto|json] [--service NAME] OUT
        Writes an ExportLogsServiceRequest of at least --bytes bytes (the first record count
        that reaches it), one resource and scope, records with distinct timestamps inside one
        hour (2024-01-01T00) so they land in one file per table. Prints
        {"records": N, "bytes": SIZE}.

  lambda_events.py count --path /v1/logs --content-type TYPE [--content-encoding E] BODYFILE
        Counts what an OTLP body holds, per table, as JSON: {"logs": N} | {"traces": N} |
        {"metrics_gauge": N, "metrics_sum": …, "metrics_histogram": …,
         "metrics_exponential_histogram": …, "metrics_summary": …} (data points), plus "rows"
        (their sum). Protobuf is walked on the wire format; JSON (camelCase or snake_case keys)
        and JSON lines are parsed. BODYFILE is decompressed first when E is given.

  lambda_events.py invoke --runtime HOST:PORT [--timeout 60] [--deadline-ms MS] [--out FILE]
                          EVENTFILE
        POSTs the event to /_control/invoke and prints (or writes) the fake's answer with a
        "client" object added: {"start_epoch_ns", "end_epoch_ns", "wall_ms"}. Exit status 3 on
        the fake's 504 (the function did not answer in time; the answer is still printed).

  lambda_events.py check RESULT [--kind response|error] [--status N] [--rows N]
                         [--encoding proto|json] [--header NAME[=VALUE]] [--v1]
                         [--error-type TYPE] [--label TEXT]
        Checks an invoke answer: the API Gateway response shape ({statusCode, headers, body,
        isBase64Encoded}, --v1: multiValueHeaders too), the status, header
        x-otlp2parquet-rows, the body's encoding (proto: isBase64Encoded, application/
        x-protobuf, the base64 body decodes to valid protobuf; json: not base64,
        application/json, the body is a JSON object), no partial_success rejections on a 200,
        and for errors the error type. Prints one summary line; exit status 1 with the reason
        on stderr when something differs.
"""

import argparse
import base64
import datetime
import gzip
import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zlib

TEXT_TYPES = ("application/json", "application/x-ndjson", "application/jsonl", "text/")
ROWS_HEADER = "x-otlp2parquet-rows"
METRIC_TABLES = {5: "metrics_gauge", 7: "metrics_sum", 9: "metrics_histogram",
                 10: "metrics_exponential_histogram", 11: "metrics_summary"}
JSON_METRIC_KINDS = {"gauge": "metrics_gauge", "sum": "metrics_sum",
                     "histogram": "metrics_histogram",
                     "exponentialHistogram": "metrics_exponential_histogram",
                     "exponential_histogram": "metrics_exponential_histogram",
                     "summary": "metrics_summary"}


def die(message, status=1):
    sys.stderr.write(f"lambda_events: {message}\n")
    sys.exit(status)


# --- compression ------------------------------------------------------------------------

def zstd_tool():
    tool = shutil.which("zstd")
    if tool is None:
        die("the zstd command-line tool is needed for zstd (apt-get install zstd)")
    return tool


def compress(data, encoding):
    if encoding == "gzip":
        return gzip.compress(data, mtime=0)
    if encoding == "deflate":
        return zlib.compress(data)
    if encoding == "zstd":
        return subprocess.run([zstd_tool(), "-q", "-c", "-3"], input=data, check=True,
                              stdout=subprocess.PIPE).stdout
    die(f"unknown content encoding {encoding!r}")


def decompress(data, encoding):
    if not encoding or encoding == "identity":
        return data
    if encoding == "gzip":
        return gzip.decompress(data)
    if encoding == "deflate":
        return zlib.decompress(data)
    if encoding == "zstd":
        return subprocess.run([zstd_tool(), "-q", "-d", "-c"], input=data, check=True,
                              stdout=subprocess.PIPE).stdout
    die(f"unknown content encoding {encoding!r}")


# --- events -----------------------------------------------------------------------------

def is_text_type(content_type):
    return any(content_type.lower().startswith(t) for t in TEXT_TYPES)


def event_body(args):
    """(body field or None, isBase64Encoded, headers to add)."""
    if args.literal_body is not None:
        if args.bodyfile:
            die("give BODYFILE or --literal-body, not both")
        return args.literal_body, args.base64, {}
    if not args.bodyfile:
        return None, False, {}
    with open(args.bodyfile, "rb") as handle:
        data = handle.read()
    headers = {}
    if args.content_encoding:
        if not args.precompressed:
            data = compress(data, args.content_encoding)
        headers["content-encoding"] = args.content_encoding
    binary = bool(args.content_encoding) or not is_text_type(args.content_type or "")
    if not binary:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            binary = True
    if binary or args.base64:
        return base64.b64encode(data).decode("ascii"), True, headers
    return text, False, headers


def request_headers(args, body, extra):
    headers = {}
    if args.content_type:
        headers["content-type"] = args.content_type
    headers.update(extra)
    for item in args.header:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            die(f"--header {item!r}: expected NAME:VALUE")
        headers[name.strip().lower()] = value.strip()
    return headers


def build_v2(args):
    body, is_base64, extra = event_body(args)
    path = (args.stage_prefix or "") + args.path
    now = datetime.datetime.now(datetime.timezone.utc)
    headers = {
        "host": "abcdefghijklmnopqrstuvwxyz123456.lambda-url.us-east-1.on.aws",
        "user-agent": "OTel-OTLP-Exporter-JavaScript/0.200.0",
        "x-amzn-trace-id": f"Root=1-{int(now.timestamp()):08x}-{uuid.uuid4().hex[:24]}",
        "x-forwarded-for": "203.0.113.7",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
        "accept": "*/*",
    }
    headers.update(request_headers(args, body, extra))
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefghijklmnopqrstuvwxyz123456",
            "domainName": headers["host"],
            "domainPrefix": "abcdefghijklmnopqrstuvwxyz123456",
            "http": {
                "method": args.method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": headers["user-agent"],
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": is_base64,
    }
    if body is not None:
        event["body"] = body
    return event


def canonical_header(name):
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


def build_v1(args):
    body, is_base64, extra = event_body(args)
    path = (args.stage_prefix or "") + args.path
    stage = (args.stage_prefix or "/prod").strip("/").split("/")[-1] or "prod"
    now = datetime.datetime.now(datetime.timezone.utc)
    headers = {
        "Host": "abcdef1234.execute-api.us-east-1.amazonaws.com",
        "User-Agent": "OTel-OTLP-Exporter-JavaScript/0.200.0",
        "X-Amzn-Trace-Id": f"Root=1-{int(now.timestamp()):08x}-{uuid.uuid4().hex[:24]}",
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
        "Accept": "*/*",
    }
    for name, value in request_headers(args, body, extra).items():
        headers[canonical_header(name)] = value
    event = {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": args.method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": args.path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "domainName": headers["Host"],
            "domainPrefix": "abcdef1234",
            "extendedRequestId": uuid.uuid4().hex[:16],
            "httpMethod": args.method,
            "identity": {"sourceIp": "203.0.113.7", "userAgent": headers["User-Agent"]},
            "path": path if args.stage_prefix else f"/{stage}{path}",
            "protocol": "HTTP/1.1",
            "requestId": str(uuid.uuid4()),
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "resourceId": "abc123",
            "resourcePath": "/{proxy+}",
            "stage": stage,
        },
        "body": body,
        "isBase64Encoded": is_base64,
    }
    return event


# --- protobuf wire format ---------------------------------------------------------------

def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_bytes(number, data):
    return varint(number << 3 | 2) + varint(len(data)) + data


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_fixed64(number, value):
    return varint(number << 3 | 1) + value.to_bytes(8, "little")


def parse_fields(data):
    """[(field number, wire type, value)]: ints for varint/fixed, bytes for length-delimited.
    Raises ValueError when data is not valid protobuf wire format."""
    fields = []
    pos, end = 0, len(data)

    def read_varint():
        nonlocal pos
        result, shift = 0, 0
        while True:
            if pos >= end or shift > 63:
                raise ValueError("truncated varint")
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return result

    while pos < end:
        key = read_varint()
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ValueError("field number 0")
        if wire == 0:
            fields.append((number, wire, read_varint()))
        elif wire == 1 or wire == 5:
            size = 8 if wire == 1 else 4
            if pos + size > end:
                raise ValueError("truncated fixed field")
            fields.append((number, wire, int.from_bytes(data[pos:pos + size], "little")))
            pos += size
        elif wire == 2:
            length = read_varint()
            if pos + length > end:
                raise ValueError("truncated length-delimited field")
            fields.append((number, wire, data[pos:pos + length]))
            pos += length
        else:
            raise ValueError(f"wire type {wire}")
    return fields


def submessages(data, number):
    return [value for n, wire, value in parse_fields(data) if n == number and wire == 2]


def count_proto(data, signal):
    counts = {}
    if signal == "logs":
        counts["logs"] = sum(len(submessages(scope, 2)) for resource in submessages(data, 1)
                             for scope in submessages(resource, 2))
    elif signal == "traces":
        counts["traces"] = sum(len(submessages(scope, 2)) for resource in submessages(data, 1)
                               for scope in submessages(resource, 2))
    else:
        counts.update({table: 0 for table in METRIC_TABLES.values()})
        for resource in submessages(data, 1):
            for scope in submessages(resource, 2):
                for metric in submessages(scope, 2):
                    for number, table in METRIC_TABLES.items():
                        for kind in submessages(metric, number):
                            counts[table] += len(submessages(kind, 1))
    return counts


def pick(obj, camel, snake):
    value = obj.get(camel)
    return obj.get(snake, []) if value is None else value


def count_json_document(doc, signal, counts):
    if signal == "logs":
        for resource in pick(doc, "resourceLogs", "resource_logs"):
            for scope in pick(resource, "scopeLogs", "scope_logs"):
                counts["logs"] += len(pick(scope, "logRecords", "log_records"))
    elif signal == "traces":
        for resource in pick(doc, "resourceSpans", "resource_spans"):
            for scope in pick(resource, "scopeSpans", "scope_spans"):
                counts["traces"] += len(scope.get("spans") or [])
    else:
        for resource in pick(doc, "resourceMetrics", "resource_metrics"):
            for scope in pick(resource, "scopeMetrics", "scope_metrics"):
                for metric in scope.get("metrics") or []:
                    for key, table in JSON_METRIC_KINDS.items():
                        if isinstance(metric.get(key), dict):
                            counts[table] += len(pick(metric[key], "dataPoints", "data_points"))


def signal_of(path):
    for signal in ("logs", "traces", "metrics"):
        if path.rstrip("/").endswith(f"/v1/{signal}"):
            return signal
    die(f"{path}: not an OTLP route")


def count_body(data, path, content_type):
    signal = signal_of(path)
    content_type = (content_type or "").lower()
    if "json" in content_type:
        counts = ({"logs": 0} if signal == "logs" else {"traces": 0} if signal == "traces"
                  else {table: 0 for table in METRIC_TABLES.values()})
        text = data.decode("utf-8")
        if "ndjson" in content_type or "jsonl" in content_type:
            for line in text.splitlines():
                if line.strip():
                    count_json_document(json.loads(line), signal, counts)
        else:
            count_json_document(json.loads(text), signal, counts)
    else:
        counts = count_proto(data, signal)
    counts["rows"] = sum(counts.values())
    return counts


# --- synthetic logs ---------------------------------------------------------------------

BASE_NS = 1704067200 * 10**9  # 2024-01-01T00:00:00Z
PADDING = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor " * 2


def kv_string(key, value):
    return field_bytes(1, key.encode()) + field_bytes(2, field_bytes(1, value.encode()))


def kv_int(key, value):
    return field_bytes(1, key.encode()) + field_bytes(2, field_varint(3, value))


def synth_proto(records, service):
    resource = (field_bytes(1, kv_string("service.name", service))
                + field_bytes(1, kv_string("service.version", "1.0.0")))
    scope = field_bytes(1, b"o2p.lambda.synth") + field_bytes(2, b"1.0.0")
    parts = [field_bytes(1, scope)]
    for i in range(records):
        ts = BASE_NS + i * 1000
        record = (field_fixed64(1, ts)
                  + field_varint(2, 9)
                  + field_bytes(3, b"INFO")
                  + field_bytes(5, field_bytes(1, f"synthetic record {i:09d} {PADDING}".encode()))
                  + field_bytes(6, kv_int("seq", i))
                  + field_bytes(6, kv_string("http.route", "/v1/logs"))
                  + field_bytes(9, (i + 1).to_bytes(16, "big"))
                  + field_bytes(10, (i + 1).to_bytes(8, "big"))
                  + field_fixed64(11, ts + 500))
        parts.append(field_bytes(2, record))
    resource_logs = field_bytes(1, resource) + field_bytes(2, b"".join(parts))
    return field_bytes(1, resource_logs)


def synth_json(records, service):
    logs = []
    for i in range(records):
        ts = BASE_NS + i * 1000
        logs.append({
            "timeUnixNano": str(ts),
            "observedTimeUnixNano": str(ts + 500),
            "severityNumber": 9,
            "severityText": "INFO",
            "body": {"stringValue": f"synthetic record {i:09d} {PADDING}"},
            "attributes": [{"key": "seq", "value": {"intValue": str(i)}},
                           {"key": "http.route", "value": {"stringValue": "/v1/logs"}}],
            "traceId": f"{i + 1:032x}",
            "spanId": f"{i + 1:016x}",
        })
    doc = {"resourceLogs": [{
        "resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": service}},
            {"key": "service.version", "value": {"stringValue": "1.0.0"}}]},
        "scopeLogs": [{"scope": {"name": "o2p.lambda.synth", "version": "1.0.0"},
                       "logRecords": logs}]}]}
    return json.dumps(doc, separators=(",", ":")).encode()


def synth(args):
    make = synth_proto if args.format == "proto" else synth_json
    one, two = len(make(1, args.service)), len(make(2, args.service))
    per_record = two - one
    records = max(1, -(-(args.bytes - one) // per_record) + 1)
    data = make(records, args.service)
    while len(data) < args.bytes:
        records += 1
        data = make(records, args.service)
    while records > 1:
        smaller = make(records - 1, args.service)
        if len(smaller) < args.bytes:
            break
        records, data = records - 1, smaller
    with open(args.out, "wb") as handle:
        handle.write(data)
    print(json.dumps({"records": records, "bytes": len(data)}))


# --- the fake's control endpoint --------------------------------------------------------

def invoke(args):
    with open(args.eventfile, "rb") as handle:
        event = handle.read()
    query = f"timeout={args.timeout}"
    if args.deadline_ms is not None:
        query += f"&deadline_ms={args.deadline_ms}"
    request = urllib.request.Request(f"http://{args.runtime}/_control/invoke?{query}",
                                     data=event, method="POST",
                                     headers={"Content-Type": "application/octet-stream"})
    start_ns, start = time.time_ns(), time.monotonic()
    status = 0
    try:
        with urllib.request.urlopen(request, timeout=args.timeout + 30) as response:
            status = response.status
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        status = error.code
        try:
            answer = json.loads(error.read())
        except ValueError:
            die(f"invoke: HTTP {error.code} without a JSON answer")
    except OSError as error:
        die(f"invoke: {error}")
    answer["client"] = {"start_epoch_ns": start_ns, "end_epoch_ns": time.time_ns(),
                        "wall_ms": round((time.monotonic() - start) * 1000, 3)}
    text = json.dumps(answer)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text + "\n")
    else:
        print(text)
    if status == 504:
        sys.exit(3)
    if status != 200:
        die(f"invoke: HTTP {status}: {text[:500]}")


def header(headers, name):
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def describe_proto_body(data):
    """A short text for a protobuf body: google.rpc.Status's message, or field summary."""
    fields = parse_fields(data)
    for number, wire, value in fields:
        if number == 2 and wire == 2:
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                break
    return f"{len(data)} bytes of protobuf"


def rejected(status, data, is_proto):
    """The partial_success rejected count of an Export*ServiceResponse (0 when absent)."""
    if is_proto:
        for number, wire, value in parse_fields(data):
            if number == 1 and wire == 2:
                for n, w, v in parse_fields(value):
                    if n == 1 and w == 0:
                        return v
        return 0
    doc = json.loads(data)
    partial = doc.get("partialSuccess") or doc.get("partial_success") or {}
    total = 0
    for key, value in partial.items():
        if key.lower().startswith("rejected"):
            total += int(value)
    return total


def check(args):
    with open(args.result) as handle:
        result = json.load(handle)
    label = args.label or args.result
    problems = []

    def need(condition, message):
        if not condition:
            problems.append(message)

    if "error" in result and "kind" not in result:
        die(f"{label}: no answer from the function: {result}")
    need(result.get("kind") == args.kind,
         f"kind {result.get('kind')!r}, expected {args.kind!r}")
    payload = result.get("payload")
    if args.kind == "error":
        if args.error_type is not None:
            need(result.get("error_type") == args.error_type,
                 f"error type header {result.get('error_type')!r}, expected {args.error_type!r}")
            need(isinstance(payload, dict) and payload.get("errorType") == args.error_type,
                 f"errorType in the body: {payload!r}")
        summary = f"error {result.get('error_type')}"
    else:
        if not isinstance(payload, dict):
            die(f"{label}: the response is not a JSON object: {str(payload)[:300]!r}")
        headers = payload.get("headers")
        need(isinstance(payload.get("statusCode"), int), "statusCode missing or not a number")
        need(isinstance(headers, dict) and all(isinstance(v, str) for v in headers.values()),
             "headers missing, or not an object of strings")
        headers = headers if isinstance(headers, dict) else {}
        need(isinstance(payload.get("isBase64Encoded"), bool), "isBase64Encoded missing")
        body = payload.get("body", "")
        need(isinstance(body, str), "body is not a string")
        body = body if isinstance(body, str) else ""
        if args.v1:
            need(isinstance(payload.get("multiValueHeaders"), dict),
                 "multiValueHeaders missing (payload 1.0)")
        status = payload.get("statusCode")
        if args.status is not None:
            need(status == args.status, f"status {status}, expected {args.status}")
        raw = body.encode()
        if payload.get("isBase64Encoded"):
            try:
                raw = base64.b64decode(body, validate=True)
            except ValueError:
                problems.append("isBase64Encoded but the body is not base64")
        content_type = (header(headers, "content-type") or "").lower()
        text = ""
        if args.encoding == "proto":
            need(payload.get("isBase64Encoded") is True, "a protobuf body must be base64")
            need(content_type.startswith("application/x-protobuf"),
                 f"content-type {content_type!r}, expected application/x-protobuf")
            try:
                text = describe_proto_body(raw)
                if status == 200:
                    need(rejected(status, raw, True) == 0, "partial_success rejected records")
            except ValueError as error:
                problems.append(f"the body is not protobuf: {error}")
        elif args.encoding == "json":
            need(payload.get("isBase64Encoded") is False, "a JSON body must not be base64")
            need(content_type.startswith("application/json"),
                 f"content-type {content_type!r}, expected application/json")
            try:
                doc = json.loads(raw)
                need(isinstance(doc, dict), "the JSON body is not an object")
                if status == 200 and isinstance(doc, dict):
                    need(rejected(status, raw, False) == 0, "partialSuccess rejected records")
                text = raw.decode("utf-8", "replace")
            except ValueError:
                problems.append(f"the body is not JSON: {raw[:200]!r}")
        else:
            text = raw.decode("utf-8", "replace") if not payload.get("isBase64Encoded") \
                else f"{len(raw)} bytes"
        if args.rows is not None:
            rows = header(headers, ROWS_HEADER)
            need(rows == str(args.rows), f"{ROWS_HEADER}: {rows!r}, expected {args.rows}")
        for item in args.header:
            name, sep, value = item.partition("=")
            got = header(headers, name)
            if got is None:
                problems.append(f"header {name} missing")
            elif sep and got != value:
                problems.append(f"header {name}: {got!r}, expected {value!r}")
        summary = (f"status {status}, rows {header(headers, ROWS_HEADER)}, "
                   f"body {text[:120]!r}")
    if problems:
        sys.stderr.write(f"lambda_events: {label}: " + "; ".join(problems) + "\n")
        sys.stderr.write(f"lambda_events: {label}: answer: {json.dumps(result)[:1500]}\n")
        sys.exit(1)
    print(f"{label}: {summary} ({result.get('elapsed_ms')} ms)")


# --- command line -----------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description="Lambda test events and fake-runtime client")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("v1", "v2"):
        sub = commands.add_parser(name, help=f"payload format {name[1]}.0 event")
        sub.add_argument("bodyfile", nargs="?")
        sub.add_argument("--path", default="/v1/logs")
        sub.add_argument("--method", default="POST", type=str.upper)
        sub.add_argument("--content-type")
        sub.add_argument("--content-encoding", choices=["gzip", "deflate", "zstd"])
        sub.add_argument("--precompressed", action="store_true")
        sub.add_argument("--base64", action="store_true")
        sub.add_argument("--stage-prefix")
        sub.add_argument("--header", action="append", default=[])
        sub.add_argument("--literal-body")
        sub.add_argument("--out")
    sub = commands.add_parser("synth-logs", help="a logs request of a given size")
    sub.add_argument("out")
    sub.add_argument("--bytes", type=int, default=1024 * 1024)
    sub.add_argument("--format", choices=["proto", "json"], default="proto")
    sub.add_argument("--service", default="o2p-lambda-synth")
    sub = commands.add_parser("count", help="records per table in an OTLP body")
    sub.add_argument("bodyfile")
    sub.add_argument("--path", required=True)
    sub.add_argument("--content-type", default="application/x-protobuf")
    sub.add_argument("--content-encoding", choices=["gzip", "deflate", "zstd"])
    sub = commands.add_parser("invoke", help="send an event through the fake runtime")
    sub.add_argument("eventfile")
    sub.add_argument("--runtime", required=True, help="HOST:PORT of lambda_runtime.py")
    sub.add_argument("--timeout", type=float, default=60)
    sub.add_argument("--deadline-ms", type=int)
    sub.add_argument("--out")
    sub = commands.add_parser("check", help="check an invoke answer")
    sub.add_argument("result")
    sub.add_argument("--kind", choices=["response", "error"], default="response")
    sub.add_argument("--status", type=int)
    sub.add_argument("--rows", type=int)
    sub.add_argument("--encoding", choices=["proto", "json"])
    sub.add_argument("--header", action="append", default=[])
    sub.add_argument("--v1", action="store_true")
    sub.add_argument("--error-type")
    sub.add_argument("--label")
    args = parser.parse_args(argv)

    if args.command in ("v1", "v2"):
        if not args.path.startswith("/"):
            parser.error("--path must start with /")
        if args.stage_prefix and not args.stage_prefix.startswith("/"):
            parser.error("--stage-prefix must start with /")
        event = build_v1(args) if args.command == "v1" else build_v2(args)
        text = json.dumps(event)
        if args.out:
            with open(args.out, "w") as handle:
                handle.write(text + "\n")
        else:
            sys.stdout.write(text + "\n")
    elif args.command == "synth-logs":
        synth(args)
    elif args.command == "count":
        with open(args.bodyfile, "rb") as handle:
            data = decompress(handle.read(), args.content_encoding)
        try:
            print(json.dumps(count_body(data, args.path, args.content_type)))
        except ValueError as error:
            die(f"{args.bodyfile}: cannot count: {error}")
    elif args.command == "invoke":
        invoke(args)
    else:
        check(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
