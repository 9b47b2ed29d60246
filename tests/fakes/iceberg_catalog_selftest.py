#!/usr/bin/env python3
"""Self-test of tests/fakes/iceberg_catalog.py (run by ctest as iceberg_catalog_selftest).

Starts four catalogs on free loopback ports (plain with a prefix and an s3:// warehouse; SigV4
for service glue with an S3-Tables-like ARN prefix; a static bearer token; OAuth2 client
credentials) and checks:
  * config (prefix in overrides, endpoints), namespaces (multi-level with %1F, list with parent,
    409 on a duplicate, 404 and HEAD), create table (ids renumbered by the catalog and
    consistent: schema, identifier ids, partition spec, sort order; decimals as Java spells
    them; current-snapshot-id -1), load, 404s, 405;
  * commits: a first append asserting main is absent (null), a second one on top, a stale one
    (409), a sequence-number mismatch and many malformed requests (400), add-schema evolution
    with assert-current-schema-id, property updates, a no-op commit that writes no file;
  * SigV4 (botocore SigV4Auth, service glue): signed requests pass (also with
    x-amz-content-sha256 and a path holding %1F and an encoded ARN); a wrong secret, an unsigned
    request, another service, another region and a body changed after signing get 403;
  * bearer token (401 without or with a wrong token) and OAuth2 (client_credentials in the form
    and with HTTP Basic, token exchange, wrong secret, wrong grant, expired token -> 419);
  * faults: conflict409, error500, unknown_after_commit (applied, then 5xx), stall (client time-out,
    applied later), "only", determinism from the seed, reset; the stats count them;
  * 4 threads committing to one table with retries under injected faults end with one linear
    snapshot chain holding every snapshot once and sequence numbers 1..N;
  * every metadata file is valid JSON with all format-2 fields, versions are consecutive and the
    metadata-log lists the previous files.
Everything started is stopped at the end, also on failure. Exit status 0 on success.
"""

import base64
import glob
import hashlib
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import uuid

for _name in [name for name in os.environ if name.startswith("AWS_") and name != "AWS_CA_BUNDLE"]:
    del os.environ[_name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

from botocore.auth import S3SigV4Auth, SigV4Auth  # noqa: E402  (after the env is hermetic)
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(HERE, "iceberg_catalog.py")
REGION = "us-east-1"
REQUIRED_METADATA = ("format-version", "table-uuid", "location", "last-sequence-number",
                     "last-updated-ms", "last-column-id", "schemas", "current-schema-id",
                     "partition-specs", "default-spec-id", "last-partition-id", "sort-orders",
                     "default-sort-order-id", "properties", "current-snapshot-id", "snapshots",
                     "snapshot-log", "metadata-log", "refs")
US = "%1F"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Processes:
    def __init__(self, work):
        self.work = work
        self.procs = []
        self.logs = []

    def start(self, name, *args):
        """Starts a catalog; returns (proc, port file, warehouse dir)."""
        port_file = os.path.join(self.work, f"{name}.port")
        log_path = os.path.join(self.work, f"{name}.log")
        warehouse = os.path.join(self.work, f"{name}-warehouse")
        log = open(log_path, "ab")
        proc = subprocess.Popen([sys.executable, CATALOG, "--port", "0", "--port-file", port_file,
                                 "--warehouse-dir", warehouse, *args],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        self.procs.append(proc)
        self.logs.append(log_path)
        return proc, port_file, warehouse

    @staticmethod
    def wait_port(proc, port_file):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(port_file):
                with open(port_file) as handle:
                    return int(handle.read().strip())
            check(proc.poll() is None, f"a catalog exited at start-up ({port_file})")
            time.sleep(0.05)
        raise Failure(f"no port file {port_file} within 30 s")

    def stop_all(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    def dump_logs(self):
        for path in self.logs:
            try:
                with open(path, errors="replace") as handle:
                    lines = handle.readlines()
            except OSError:
                continue
            sys.stderr.write(f"--- {path} (last 40 lines)\n" + "".join(lines[-40:]))


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode()) if self.body else None

    def error_type(self):
        value = self.json()
        check(isinstance(value, dict) and set(value) == {"error"}
              and {"message", "type", "code"} <= set(value["error"])
              and value["error"]["code"] == self.status,
              f"error body is not {{error: {{message, type, code}}}}: {self.body[:300]!r}")
        return value["error"]["type"]


class Client:
    """One kept-alive connection; optional bearer token or SigV4 signing (botocore)."""

    def __init__(self, port, token=None, sigv4=None, timeout=10):
        self.port = port
        self.token = token
        self.sigv4 = sigv4  # (akid, secret, service, region)
        self.timeout = timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None, sign_body=None, raw=False):
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
        headers = dict(headers or {})
        if body is not None and "Content-Type" not in headers:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.sigv4:
            akid, secret, service, region = self.sigv4
            signed = AWSRequest(method=method, url=f"http://127.0.0.1:{self.port}{path}",
                                data=sign_body if sign_body is not None else (body or b""),
                                headers=headers)
            SigV4Auth(Credentials(akid, secret), service, region).add_auth(signed)
            headers = dict(signed.headers.items())
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.will_close:
                    self.close()
                return Response(response.status, response, data)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 1:
                    raise
            except Exception:
                self.close()
                raise
        raise AssertionError("unreachable")

    def expect(self, status, method, path, body=None, error_type=None, **kwargs):
        response = self.request(method, path, body, **kwargs)
        check(response.status == status,
              f"{method} {path}: expected {status}, got {response.status} "
              f"{response.body[:400]!r}")
        if error_type is not None:
            got = response.error_type()
            check(got == error_type, f"{method} {path}: expected {error_type}, got {got}")
        return response


def control(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        check(response.status == 200, f"control {method} {path}: {response.status} {data!r}")
        return json.loads(data.decode()), response
    finally:
        conn.close()


# ---- commit helpers ---------------------------------------------------------------------------

def new_snapshot_id():
    return (uuid.uuid4().int & ((1 << 63) - 1)) or 1


def append_request(metadata, snapshot_id=None, parent="current", sequence=None):
    snapshot_id = snapshot_id or new_snapshot_id()
    current = metadata["current-snapshot-id"]
    if parent == "current":
        parent = None if current in (None, -1) else current
    snapshot = {
        "snapshot-id": snapshot_id,
        "sequence-number": (metadata["last-sequence-number"] + 1 if sequence is None
                            else sequence),
        "timestamp-ms": int(time.time() * 1000),
        "manifest-list": f"{metadata['location']}/metadata/snap-{snapshot_id}-1-{uuid.uuid4()}"
                         f".avro",
        "summary": {"operation": "append", "added-data-files": "1", "added-records": "10"},
        "schema-id": metadata["current-schema-id"],
    }
    if parent is not None:
        snapshot["parent-snapshot-id"] = parent
    return {
        "requirements": [
            {"type": "assert-table-uuid", "uuid": metadata["table-uuid"]},
            {"type": "assert-ref-snapshot-id", "ref": "main", "snapshot-id": parent},
        ],
        "updates": [
            {"action": "add-snapshot", "snapshot": snapshot},
            {"action": "set-snapshot-ref", "ref-name": "main", "type": "branch",
             "snapshot-id": snapshot_id},
        ],
    }, snapshot_id


def chain(metadata):
    """The snapshots from main's head back to the root, newest first."""
    by_id = {s["snapshot-id"]: s for s in metadata["snapshots"]}
    result = []
    current = metadata["current-snapshot-id"]
    while current not in (None, -1):
        snapshot = by_id[current]
        result.append(snapshot)
        current = snapshot.get("parent-snapshot-id")
    return result


def check_metadata_shape(metadata, where):
    for key in REQUIRED_METADATA:
        check(key in metadata, f"{where}: metadata lacks {key}")
    check(metadata["format-version"] == 2, f"{where}: format-version is not 2")
    ids = {s["schema-id"] for s in metadata["schemas"]}
    check(metadata["current-schema-id"] in ids, f"{where}: current schema missing")
    main = metadata["refs"].get("main")
    expected = main["snapshot-id"] if main else -1
    check(metadata["current-snapshot-id"] == expected,
          f"{where}: current-snapshot-id {metadata['current-snapshot-id']} != main {expected}")
    sequences = [s["sequence-number"] for s in metadata["snapshots"]]
    check(sequences == list(range(1, len(sequences) + 1)),
          f"{where}: snapshot sequence numbers are not 1..N: {sequences}")
    check(metadata["last-sequence-number"] == len(sequences), f"{where}: last-sequence-number")


def check_metadata_files(port, ns, table):
    """Every version's file: valid JSON, required fields, consecutive versions, metadata-log."""
    current, response = control(port, "GET", f"/__catalog/tables/{ns}/{table}")
    local = response.getheader("X-Metadata-File")
    location = response.getheader("X-Metadata-Location")
    check(local and os.path.isfile(local), f"no local metadata file {local}")
    files = sorted(glob.glob(os.path.join(os.path.dirname(local), "*.metadata.json")))
    versions = [int(os.path.basename(f).split("-")[0]) for f in files]
    check(versions == list(range(1, len(files) + 1)), f"metadata versions {versions}")
    check(files[-1] == local, "the newest metadata file is not the current one")
    for path in files:
        with open(path) as handle:
            metadata = json.load(handle)
        check_metadata_shape(metadata, os.path.basename(path))
    with open(local) as handle:
        check(json.load(handle) == current, "the current file differs from the served metadata")
    logged = [entry["metadata-file"] for entry in current["metadata-log"]]
    check(len(logged) == len(files) - 1, "metadata-log does not list every previous file")
    check(all(entry.endswith(os.path.basename(f)) for entry, f in zip(logged, files[:-1])),
          "metadata-log entries do not match the previous files")
    check(location.endswith(os.path.basename(local)), "X-Metadata-Location mismatch")
    return len(files)


# ---- the sections -----------------------------------------------------------------------------

PREFIX = "catalogs/selftest"
OAUTH_TTL = 3.0


def schema_request():
    """Ids numbered 1..11 depth-first (what a naive writer sends)."""
    return {
        "type": "struct", "schema-id": 0, "identifier-field-ids": [1],
        "fields": [
            {"id": 1, "name": "id", "required": True, "type": "long"},
            {"id": 2, "name": "ts", "required": True, "type": "timestamptz"},
            {"id": 3, "name": "resource", "required": False, "type": {
                "type": "struct", "fields": [
                    {"id": 4, "name": "service", "required": False, "type": "string"},
                    {"id": 5, "name": "attrs", "required": False, "type": {
                        "type": "map", "key-id": 6, "key": "string", "value-id": 7,
                        "value": "string", "value-required": False}}]}},
            {"id": 8, "name": "tags", "required": False, "type": {
                "type": "list", "element-id": 9, "element": "string",
                "element-required": True}},
            {"id": 10, "name": "amount", "required": False, "type": "decimal(12,3)"},
            {"id": 11, "name": "payload", "required": False, "type": "fixed[16]"},
        ]}


def flatten(fields, prefix="", out=None):
    """{path: (id, type kind)} of a schema's fields, lists and maps included."""
    out = {} if out is None else out

    def visit_type(value, path):
        if isinstance(value, str):
            return
        if value["type"] == "struct":
            flatten(value["fields"], path + ".", out)
        elif value["type"] == "list":
            out[path + ".element"] = value["element-id"]
            visit_type(value["element"], path + ".element")
        else:
            out[path + ".key"] = value["key-id"]
            out[path + ".value"] = value["value-id"]
            visit_type(value["key"], path + ".key")
            visit_type(value["value"], path + ".value")

    for field in fields:
        out[prefix + field["name"]] = field["id"]
        visit_type(field["type"], prefix + field["name"])
    return out


def test_basics(port, warehouse):
    c = Client(port)
    base = f"/v1/{PREFIX}"
    config = c.expect(200, "GET", "/v1/config?warehouse=selftest").json()
    check(config["overrides"].get("prefix") == PREFIX and config["defaults"] == {},
          f"config: {config}")
    check(f"POST /v1/{{prefix}}/namespaces/{{namespace}}/tables/{{table}}" in config["endpoints"],
          "config endpoints lack the commit route")
    c.expect(404, "GET", "/v1/config?warehouse=other", error_type="NoSuchWarehouseException")
    c.expect(404, "GET", "/v1/namespaces", error_type="NotFoundException")  # no prefix

    created = c.expect(200, "POST", f"{base}/namespaces",
                       {"namespace": ["otel"], "properties": {"owner": "selftest"}}).json()
    check(created == {"namespace": ["otel"], "properties": {"owner": "selftest"}}, str(created))
    c.expect(409, "POST", f"{base}/namespaces", {"namespace": ["otel"]},
             error_type="AlreadyExistsException")
    c.expect(200, "POST", f"{base}/namespaces", {"namespace": ["otel", "prod"]})
    c.expect(400, "POST", f"{base}/namespaces", {"namespace": ["x"], "extra": 1},
             error_type="BadRequestException")
    c.expect(400, "POST", f"{base}/namespaces", {"namespace": []})
    c.expect(200, "GET", f"/v1/catalogs%2Fselftest/namespaces/otel{US}prod")  # encoded prefix
    c.expect(204, "HEAD", f"{base}/namespaces/otel")
    c.expect(404, "HEAD", f"{base}/namespaces/nope")
    c.expect(404, "GET", f"{base}/namespaces/nope", error_type="NoSuchNamespaceException")
    listed = c.expect(200, "GET", f"{base}/namespaces").json()
    check(listed["namespaces"] == [["otel"]], f"namespaces: {listed}")
    listed = c.expect(200, "GET", f"{base}/namespaces?parent=otel").json()
    check(listed["namespaces"] == [["otel", "prod"]], f"children: {listed}")
    c.expect(405, "PUT", f"{base}/namespaces/otel")

    request = {"name": "logs", "schema": schema_request(),
               "partition-spec": {"spec-id": 0, "fields": [
                   {"source-id": 2, "name": "ts_day", "transform": "day", "field-id": 1000},
                   {"source-id": 4, "name": "service_bucket", "transform": "bucket[8]"}]},
               "write-order": {"order-id": 1, "fields": [
                   {"source-id": 2, "transform": "identity", "direction": "asc",
                    "null-order": "nulls-first"}]},
               "stage-create": False, "properties": {"write.format.default": "parquet"}}
    result = c.expect(200, "POST", f"{base}/namespaces/otel{US}prod/tables", request).json()
    check(set(result) == {"metadata-location", "metadata", "config"}, f"keys {set(result)}")
    metadata = result["metadata"]
    check_metadata_shape(metadata, "create")
    check(metadata["current-snapshot-id"] == -1, "no snapshot must be -1")
    check(metadata["location"] == "s3://selftest-bucket/warehouse/otel/prod/logs",
          f"location {metadata['location']}")
    check(result["metadata-location"].startswith(metadata["location"] + "/metadata/00001-"),
          result["metadata-location"])
    schema = metadata["schemas"][0]
    sent, got = flatten(schema_request()["fields"]), flatten(schema["fields"])
    check(set(sent) == set(got), "the schema's fields changed")
    check(sorted(got.values()) == list(range(1, 12)), f"ids not 1..11: {got}")
    check(any(sent[p] != got[p] for p in sent), "the catalog kept every requested id")
    check(got["id"] != 1 and got["ts"] != 2, f"top-level ids were not renumbered: {got}")
    check(metadata["last-column-id"] == 11, "last-column-id")
    check(schema["identifier-field-ids"] == [got["id"]], "identifier ids not remapped")
    amount = next(f for f in schema["fields"] if f["name"] == "amount")
    check(amount["type"] == "decimal(12, 3)", f"decimal spelled {amount['type']!r}")
    spec = metadata["partition-specs"][0]
    check(spec["spec-id"] == 0 and metadata["last-partition-id"] == 1001, f"spec {spec}")
    check([(f["field-id"], f["source-id"], f["transform"]) for f in spec["fields"]]
          == [(1000, got["ts"], "day"), (1001, got["resource.service"], "bucket[8]")],
          f"partition fields {spec['fields']}")
    order = metadata["sort-orders"][0]
    check(metadata["default-sort-order-id"] == 1 and order["order-id"] == 1
          and order["fields"][0]["source-id"] == got["ts"], f"sort order {order}")
    check(metadata["properties"] == {"write.format.default": "parquet"}, "properties")

    loaded = c.expect(200, "GET", f"{base}/namespaces/otel{US}prod/tables/logs").json()
    check(loaded["metadata"] == metadata and
          loaded["metadata-location"] == result["metadata-location"], "load != create")
    c.expect(204, "HEAD", f"{base}/namespaces/otel{US}prod/tables/logs")
    c.expect(404, "HEAD", f"{base}/namespaces/otel{US}prod/tables/nope")
    c.expect(404, "GET", f"{base}/namespaces/otel{US}prod/tables/nope",
             error_type="NoSuchTableException")
    c.expect(404, "GET", f"{base}/namespaces/nope/tables/logs",
             error_type="NoSuchNamespaceException")
    c.expect(404, "POST", f"{base}/namespaces/otel{US}prod/tables/nope",
             {"requirements": [], "updates": []}, error_type="NoSuchTableException")
    c.expect(409, "POST", f"{base}/namespaces/otel{US}prod/tables", request,
             error_type="AlreadyExistsException")
    listed = c.expect(200, "GET", f"{base}/namespaces/otel{US}prod/tables").json()
    check(listed == {"identifiers": [{"namespace": ["otel", "prod"], "name": "logs"}]}, "list")

    # Strict CreateTableRequest validation.
    def bad_create(change, label):
        body = json.loads(json.dumps(request))
        body["name"] = "bad_" + label
        change(body)
        c.expect(400, "POST", f"{base}/namespaces/otel/tables", body,
                 error_type="BadRequestException")

    bad_create(lambda b: b.update(unknown=1), "unknown_key")
    bad_create(lambda b: b["schema"]["fields"][0].update(extra=True), "field_key")
    bad_create(lambda b: b["schema"]["fields"][0].update(type="timestamp_ns"), "v3_type")
    bad_create(lambda b: b["schema"]["fields"][0].update(type="int64"), "bad_type")
    bad_create(lambda b: b["schema"]["fields"][1].update(id=1), "duplicate_id")
    bad_create(lambda b: b["schema"]["fields"][1].update(name="id"), "duplicate_name")
    bad_create(lambda b: b["schema"]["fields"][0].update(required="yes"), "required_type")
    bad_create(lambda b: b["schema"]["fields"][4].update(type="decimal(40,2)"), "decimal")
    bad_create(lambda b: b.pop("schema"), "no_schema")
    bad_create(lambda b: b["partition-spec"]["fields"][1].update(transform="hour"),
               "hour_on_string")
    bad_create(lambda b: b["partition-spec"]["fields"][1].update({"source-id": 99}),
               "missing_source")
    bad_create(lambda b: b["partition-spec"]["fields"][1].update({"source-id": 3}),
               "struct_source")
    bad_create(lambda b: b["partition-spec"]["fields"][1].update(name="ts_day"),
               "duplicate_partition_name")
    bad_create(lambda b: b["partition-spec"]["fields"][1].update(transform="bucket[0]"),
               "bucket_zero")
    bad_create(lambda b: b["write-order"]["fields"][0].update(direction="up"), "direction")
    bad_create(lambda b: b.update({"stage-create": True}), "stage_create")
    bad_create(lambda b: b.update(location="relative/path"), "relative_location")
    bad_create(lambda b: b["properties"].update({"format-version": "3"}), "format3")
    c.expect(400, "POST", f"{base}/namespaces/otel/tables", b"{not json",
             error_type="BadRequestException")

    # Drops: a namespace with a table is not empty; a dropped table is gone.
    c.expect(200, "POST", f"{base}/namespaces", {"namespace": ["scratch"]})
    c.expect(200, "POST", f"{base}/namespaces/scratch/tables", {
        "name": "t", "location": "s3://elsewhere/t/", "schema": {"type": "struct", "fields": [
            {"id": 7, "name": "x", "required": False, "type": "string"}]}})
    c.expect(409, "DELETE", f"{base}/namespaces/scratch", error_type="NamespaceNotEmptyException")
    c.expect(204, "DELETE", f"{base}/namespaces/scratch/tables/t")
    c.expect(404, "GET", f"{base}/namespaces/scratch/tables/t", error_type="NoSuchTableException")
    c.expect(404, "DELETE", f"{base}/namespaces/scratch/tables/t")
    c.expect(204, "DELETE", f"{base}/namespaces/scratch")
    c.expect(404, "GET", f"{base}/namespaces/scratch", error_type="NoSuchNamespaceException")
    check(glob.glob(os.path.join(warehouse, "_external", "s3", "elsewhere", "t", "metadata",
                                 "00001-*.metadata.json")),
          "metadata of a table outside the warehouse location is not under _external")
    c.close()
    return loaded


def test_commits(port, loaded):
    c = Client(port)
    path = f"/v1/{PREFIX}/namespaces/otel{US}prod/tables/logs"
    metadata = loaded["metadata"]
    files_before = len(glob.glob(os.path.join(
        os.path.dirname(control(port, "GET", f"/__catalog/tables/otel{US}prod/logs")[1]
                        .getheader("X-Metadata-File")), "*.metadata.json")))

    body, first = append_request(metadata)
    check(body["requirements"][1]["snapshot-id"] is None, "first commit asserts null")
    result = c.expect(200, "POST", path, body).json()
    check(set(result) == {"metadata-location", "metadata"}, "CommitTableResponse keys")
    m1 = result["metadata"]
    check(m1["current-snapshot-id"] == first and m1["last-sequence-number"] == 1, "commit 1")
    check(m1["refs"] == {"main": {"snapshot-id": first, "type": "branch"}}, f"refs {m1['refs']}")
    check(m1["snapshot-log"][-1]["snapshot-id"] == first, "snapshot-log")
    check(m1["metadata-log"][-1]["metadata-file"] == loaded["metadata-location"],
          "metadata-log")
    check(m1["last-updated-ms"] >= metadata["last-updated-ms"], "last-updated-ms went back")
    check(result["metadata-location"].split("/")[-1].startswith("00002-"), "version 2 name")

    # A replay of the same first commit: main exists now -> 409.
    c.expect(409, "POST", path, body, error_type="CommitFailedException")

    body, second = append_request(m1)
    m2 = c.expect(200, "POST", path, body).json()["metadata"]
    check(m2["current-snapshot-id"] == second and m2["last-sequence-number"] == 2, "commit 2")
    check([s["snapshot-id"] for s in chain(m2)] == [second, first], "chain after 2 commits")

    # Stale: built on m1 (asserts main == first).
    stale, _ = append_request(m1)
    stale["updates"][0]["snapshot"]["sequence-number"] = 3
    response = c.expect(409, "POST", path, stale, error_type="CommitFailedException")
    check("main" in response.json()["error"]["message"], "409 message names the ref")
    for requirement in ({"type": "assert-table-uuid", "uuid": str(uuid.uuid4())},
                        {"type": "assert-current-schema-id", "current-schema-id": 5},
                        {"type": "assert-last-assigned-field-id", "last-assigned-field-id": 3},
                        {"type": "assert-last-assigned-partition-id",
                         "last-assigned-partition-id": 999},
                        {"type": "assert-default-spec-id", "default-spec-id": 1},
                        {"type": "assert-default-sort-order-id", "default-sort-order-id": 0},
                        {"type": "assert-create"},
                        {"type": "assert-ref-snapshot-id", "ref": "dev", "snapshot-id": 1}):
        c.expect(409, "POST", path, {"requirements": [requirement], "updates": []},
                 error_type="CommitFailedException")
    good_requirements = [
        {"type": "assert-table-uuid", "uuid": m2["table-uuid"]},
        {"type": "assert-current-schema-id", "current-schema-id": 0},
        {"type": "assert-last-assigned-field-id", "last-assigned-field-id": 11},
        {"type": "assert-last-assigned-partition-id", "last-assigned-partition-id": 1001},
        {"type": "assert-default-spec-id", "default-spec-id": 0},
        {"type": "assert-default-sort-order-id", "default-sort-order-id": 1},
        {"type": "assert-ref-snapshot-id", "ref": "main", "snapshot-id": second},
        {"type": "assert-ref-snapshot-id", "ref": "dev", "snapshot-id": None}]
    noop = c.expect(200, "POST", path, {"requirements": good_requirements, "updates": []}).json()
    check(noop["metadata"] == m2, "a no-op commit changed the metadata")

    # 400s: sequence number, malformed snapshots and requests.
    def bad_commit(change, error_type="BadRequestException"):
        body, _ = append_request(m2)
        change(body)
        c.expect(400, "POST", path, body, error_type=error_type)

    snap = lambda b: b["updates"][0]["snapshot"]  # noqa: E731
    bad_commit(lambda b: snap(b).update({"sequence-number": 5}))
    bad_commit(lambda b: snap(b).update({"sequence-number": 2}))
    bad_commit(lambda b: snap(b).pop("sequence-number"))
    bad_commit(lambda b: snap(b).update({"snapshot-id": second}))  # exists already
    bad_commit(lambda b: snap(b).update({"snapshot-id": -5}))
    bad_commit(lambda b: snap(b).update({"parent-snapshot-id": 12345}))
    bad_commit(lambda b: snap(b).update({"manifest-list": "metadata/snap.avro"}))
    bad_commit(lambda b: snap(b).update({"summary": {"added-data-files": "1"}}))
    bad_commit(lambda b: snap(b)["summary"].update({"added-records": 10}))
    bad_commit(lambda b: snap(b)["summary"].update({"added-records": "-1"}))
    bad_commit(lambda b: snap(b).update({"timestamp-ms": int(time.time() * 1e6)}))
    bad_commit(lambda b: snap(b).update({"schema-id": 7}))
    bad_commit(lambda b: snap(b).update({"manifests": []}))
    bad_commit(lambda b: snap(b).update({"extra": 1}))
    bad_commit(lambda b: b.update({"extra": 1}))
    bad_commit(lambda b: b["updates"].append({"action": "frobnicate"}))
    bad_commit(lambda b: b["updates"].append({"action": "add-spec", "spec": {"fields": []}}))
    bad_commit(lambda b: b["requirements"].append({"type": "assert-nothing"}))
    bad_commit(lambda b: b["requirements"][1].update({"extra": 1}))
    bad_commit(lambda b: b["updates"][1].update({"snapshot-id": 999}))
    bad_commit(lambda b: b["updates"][1].update({"type": "tag"}))
    bad_commit(lambda b: b.update({"identifier": {"namespace": ["otel"], "name": "logs"}}))
    c.expect(400, "POST", path, b"[]", error_type="BadRequestException")
    after = c.expect(200, "GET", path).json()["metadata"]
    check(after == m2, "a rejected commit changed the table")

    # set-snapshot-ref with -1 (the snapshot this commit adds) and a tag.
    body, third = append_request(m2)
    body["updates"][1]["snapshot-id"] = -1
    body["updates"].append({"action": "set-snapshot-ref", "ref-name": "v1", "type": "tag",
                            "snapshot-id": second, "max-ref-age-ms": 86400000})
    m3 = c.expect(200, "POST", path, body).json()["metadata"]
    check(m3["current-snapshot-id"] == third and m3["refs"]["v1"]["snapshot-id"] == second,
          "set-snapshot-ref -1 / tag")
    refs_only = c.expect(200, "GET", path + "?snapshots=refs").json()["metadata"]
    check({s["snapshot-id"] for s in refs_only["snapshots"]} == {second, third},
          "snapshots=refs")
    c.expect(400, "GET", path + "?snapshots=some", error_type="BadRequestException")

    # Schema evolution: add an optional column, make it current.
    schema = json.loads(json.dumps(m3["schemas"][0]))
    schema.pop("schema-id")
    schema["fields"].append({"id": 12, "name": "severity", "required": False, "type": "int"})
    evolve = {"requirements": [{"type": "assert-current-schema-id", "current-schema-id": 0},
                               {"type": "assert-last-assigned-field-id",
                                "last-assigned-field-id": 11}],
              "updates": [{"action": "add-schema", "schema": schema, "last-column-id": 12},
                          {"action": "set-current-schema", "schema-id": -1}]}
    m4 = c.expect(200, "POST", path, evolve).json()["metadata"]
    check(m4["current-schema-id"] == 1 and m4["last-column-id"] == 12
          and len(m4["schemas"]) == 2, "add-schema")
    c.expect(409, "POST", path, evolve, error_type="CommitFailedException")  # now stale

    def bad_schema(change):
        evolved = json.loads(json.dumps(m4["schemas"][1]))
        evolved.pop("schema-id")
        change(evolved["fields"])
        c.expect(400, "POST", path, {
            "requirements": [{"type": "assert-current-schema-id", "current-schema-id": 1}],
            "updates": [{"action": "add-schema", "schema": evolved}]},
            error_type="BadRequestException")

    by_name = lambda fields, name: next(f for f in fields if f["name"] == name)  # noqa: E731
    bad_schema(lambda f: by_name(f, "severity").update(type="string"))  # incompatible
    bad_schema(lambda f: f.append({"id": 13, "name": "x", "required": True, "type": "int"}))
    bad_schema(lambda f: by_name(f, "severity").update(required=True))
    bad_schema(lambda f: f.append({"id": 13, "name": "x", "required": False, "type": "int",
                                   "write-default": 1}))
    bad_schema(lambda f: f.append({"id": by_name(f, "severity")["id"], "name": "x",
                                   "required": False, "type": "int"}))
    # A promotion (int -> long) is fine, properties too; then set-current-schema without -1.
    promoted = json.loads(json.dumps(m4["schemas"][1]))
    promoted.pop("schema-id")
    by_name(promoted["fields"], "severity")["type"] = "long"
    m5 = c.expect(200, "POST", path, {
        "requirements": [{"type": "assert-current-schema-id", "current-schema-id": 1}],
        "updates": [{"action": "add-schema", "schema": promoted},
                    {"action": "set-current-schema", "schema-id": 2},
                    {"action": "set-properties", "updates": {"a": "1", "b": "2"}},
                    {"action": "remove-properties", "removals": ["b", "absent"]}]}).json()
    m5 = m5["metadata"]
    check(m5["current-schema-id"] == 2 and m5["properties"].get("a") == "1"
          and "b" not in m5["properties"], "promotion / properties")
    body, fourth = append_request(m5)
    m6 = c.expect(200, "POST", path, body).json()["metadata"]
    check([s["snapshot-id"] for s in chain(m6)] == [fourth, third, second, first], "chain")
    check_metadata_shape(m6, "after commits")
    files = check_metadata_files(port, f"otel{US}prod", "logs")
    check(files == files_before + 6, f"expected {files_before + 6} metadata files, got {files}")
    c.close()


def test_sigv4(port):
    akid, secret = "AKIDSELFTEST", "selftest-secret"
    arn = "arn:aws:s3tables:us-east-1:123456789012:bucket/self-test"
    base = "/iceberg/v1/" + urllib.parse.quote(arn, safe="")
    good = Client(port, sigv4=(akid, secret, "glue", REGION))
    config = good.expect(200, "GET", "/iceberg/v1/config?warehouse="
                         + urllib.parse.quote(arn, safe="")).json()
    check(config["defaults"].get("prefix") == arn, f"--prefix-in defaults: {config}")
    good.expect(200, "POST", f"{base}/namespaces", {"namespace": ["a"]})
    good.expect(200, "POST", f"{base}/namespaces", {"namespace": ["a", "b"]})
    created = good.expect(200, "POST", f"{base}/namespaces/a{US}b/tables", {
        "name": "t", "schema": {"type": "struct", "fields": [
            {"id": 1, "name": "x", "required": False, "type": "string"}]}}).json()
    path = f"{base}/namespaces/a{US}b/tables/t"
    good.expect(200, "GET", path + "?snapshots=all")
    good.expect(204, "HEAD", path)
    body, _ = append_request(created["metadata"])
    good.expect(200, "POST", path, body)
    # x-amz-content-sha256 sent (and signed): must match the body.
    payload = json.dumps({"namespace": ["c"]}).encode()
    good.expect(200, "POST", f"{base}/namespaces", payload,
                headers={"X-Amz-Content-SHA256": hashlib.sha256(payload).hexdigest()})
    good.expect(403, "POST", f"{base}/namespaces", json.dumps({"namespace": ["d"]}).encode(),
                headers={"X-Amz-Content-SHA256": hashlib.sha256(b"other").hexdigest()},
                error_type="ForbiddenException")
    # Body changed after signing.
    good.expect(403, "POST", f"{base}/namespaces", {"namespace": ["e"]},
                sign_body=json.dumps({"namespace": ["f"]}).encode(),
                error_type="ForbiddenException")
    for client in (Client(port, sigv4=(akid, "wrong-secret", "glue", REGION)),
                   Client(port, sigv4=("OTHERKEY", secret, "glue", REGION)),
                   Client(port, sigv4=(akid, secret, "s3tables", REGION)),
                   Client(port, sigv4=(akid, secret, "glue", "eu-west-1")),
                   Client(port)):
        client.expect(403, "GET", path, error_type="ForbiddenException")
        client.expect(403, "GET", "/iceberg/v1/config", error_type="ForbiddenException")
        client.close()
    # A path signed in the S3 way (not double-encoded) must fail for glue.
    signed = AWSRequest(method="GET", url=f"http://127.0.0.1:{port}{path}", data=b"")
    S3SigV4Auth(Credentials(akid, secret), "glue", REGION).add_auth(signed)
    raw = Client(port)
    raw.expect(403, "GET", path, headers=dict(signed.headers.items()))
    raw.close()
    stats, _ = control(port, "GET", "/__catalog/stats")
    check(stats["sigv4_failures"] >= 13, f"sigv4_failures {stats['sigv4_failures']}")
    check(stats["tables"]["a.b/t"]["commits_ok"] == 1, "sigv4 commit counted")
    good.close()


def test_token(port):
    path = "/v1/namespaces"
    Client(port).expect(401, "GET", path, error_type="NotAuthorizedException")
    Client(port, token="wrong").expect(401, "GET", path, error_type="NotAuthorizedException")
    Client(port).expect(401, "GET", "/v1/config", error_type="NotAuthorizedException")
    c = Client(port, token="static-token")
    c.expect(200, "GET", "/v1/config")
    c.expect(200, "POST", path, {"namespace": ["n"]})
    c.expect(200, "GET", path)
    c.expect(404, "POST", "/v1/oauth/tokens", b"grant_type=client_credentials",
             headers={"Content-Type": "application/x-www-form-urlencoded"})
    c.close()


def test_oauth2(port):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    anon = Client(port)

    def token_request(body, headers=None, status=200):
        response = anon.request("POST", "/v1/oauth/tokens", body.encode(),
                                headers=dict(form, **(headers or {})))
        check(response.status == status,
              f"oauth: expected {status}, got {response.status} {response.body!r}")
        return response.json()

    issued = time.monotonic()
    answer = token_request("grant_type=client_credentials&client_id=o2p&client_secret=s3cret"
                           "&scope=catalog")
    check(answer["token_type"].lower() == "bearer" and answer["expires_in"] > 0
          and answer["access_token"], f"token answer {answer}")
    token = answer["access_token"]
    check(token_request("grant_type=client_credentials&client_id=o2p&client_secret=nope",
                        status=401)["error"] == "invalid_client", "wrong secret")
    check(token_request("grant_type=password&username=u&password=p",
                        status=400)["error"] == "unsupported_grant_type", "grant type")
    basic = base64.b64encode(b"o2p:s3cret").decode()
    second = token_request("grant_type=client_credentials",
                           {"Authorization": f"Basic {basic}"})["access_token"]
    exchanged = token_request(
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token="
        + token + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"
    )["access_token"]
    check(len({token, second, exchanged}) == 3, "tokens must differ")
    anon.expect(401, "GET", "/v1/namespaces", error_type="NotAuthorizedException")
    Client(port, token="made-up").expect(401, "GET", "/v1/namespaces")
    c = Client(port, token=token)
    c.expect(200, "GET", "/v1/config")
    c.expect(200, "POST", "/v1/namespaces", {"namespace": ["n"]})
    Client(port, token=exchanged).expect(200, "GET", "/v1/namespaces/n")
    return issued, c, anon


def test_oauth2_expiry(issued, c, anon):
    time.sleep(max(0.0, issued + OAUTH_TTL + 0.2 - time.monotonic()))
    c.expect(419, "GET", "/v1/namespaces", error_type="AuthenticationTimeoutException")
    c.close()
    anon.close()


def create_table(c, name, ns="otel"):
    return c.expect(200, "POST", f"/v1/{PREFIX}/namespaces/{ns}/tables", {
        "name": name, "schema": {"type": "struct", "fields": [
            {"id": 1, "name": "v", "required": False, "type": "long"}]}}).json()


def test_faults(port):
    c = Client(port, timeout=10)
    path = f"/v1/{PREFIX}/namespaces/otel/tables/faulty"
    metadata = create_table(c, "faulty")["metadata"]
    control(port, "POST", "/__catalog/reset")

    control(port, "POST", "/__catalog/faults", {"conflict409": 1, "only": ["commit"]})
    c.expect(200, "GET", path)  # not a commit: no fault
    body, snapshot_id = append_request(metadata)
    c.expect(409, "POST", path, body, error_type="CommitFailedException")
    check(c.expect(200, "GET", path).json()["metadata"]["snapshots"] == [],
          "conflict409 applied the commit")

    control(port, "POST", "/__catalog/faults", {"error500": 1, "only": ["commit"]})
    c.expect(500, "POST", path, body, error_type="CommitStateUnknownException")
    check(c.expect(200, "GET", path).json()["metadata"]["snapshots"] == [],
          "error500 applied the commit")
    control(port, "POST", "/__catalog/faults", {"error500": 1, "only": ["load_table"]})
    c.expect(500, "GET", path)

    control(port, "POST", "/__catalog/faults", {"unknown_after_commit": 1,
                                                "only": ["commit"]})
    response = c.request("POST", path, json.dumps(body).encode())
    check(response.status in (500, 504), f"unknown_after_commit answered {response.status}")
    check(response.error_type() == "CommitStateUnknownException", "unknown type")
    control(port, "POST", "/__catalog/faults", {})
    landed = c.expect(200, "GET", path).json()["metadata"]
    check(landed["current-snapshot-id"] == snapshot_id,
          "unknown_after_commit did not apply the commit")
    # The client's retry of the same commit now conflicts (main moved): it must detect this.
    c.expect(409, "POST", path, body, error_type="CommitFailedException")

    # Stall: the client times out, the commit still lands.
    control(port, "POST", "/__catalog/faults", {"stall": 1, "stall_seconds": 1.0,
                                                "only": ["commit"]})
    body, stalled_id = append_request(landed)
    impatient = Client(port, timeout=0.3)
    try:
        impatient.request("POST", path, json.dumps(body).encode())
        raise Failure("the stalled commit answered before the client time-out")
    except (socket.timeout, TimeoutError):
        pass
    impatient.close()
    control(port, "POST", "/__catalog/faults", {})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if c.expect(200, "GET", path).json()["metadata"]["current-snapshot-id"] == stalled_id:
            break
        time.sleep(0.1)
    else:
        raise Failure("the stalled commit never landed")

    stats, _ = control(port, "GET", "/__catalog/stats")
    table = stats["tables"]["otel/faulty"]
    check(stats["conflict409"] == 1 and table["conflict409"] == 1, f"conflict409 {stats}")
    check(stats["error500"] == 2 and table["error500"] == 1, "error500 count")
    check(stats["unknown_after_commit"] == 1 and table["unknown_after_commit"] == 1, "unknown")
    check(stats["stall"] == 1, "stall count")
    check(table["commits_ok"] == 2 and table["commits_failed"] == 1, f"table stats {table}")
    check(table["snapshots"] == 2, "snapshot count")

    # Determinism: the same seed gives the same fault pattern after a reset.
    patterns = []
    for _ in range(2):
        control(port, "POST", "/__catalog/reset")
        control(port, "POST", "/__catalog/faults", {"error500": 0.5, "only": ["load_table"]})
        patterns.append([c.request("GET", path).status for _ in range(16)])
    check(patterns[0] == patterns[1], f"fault patterns differ: {patterns}")
    check(set(patterns[0]) == {200, 500}, f"p=0.5 pattern {patterns[0]}")
    control(port, "POST", "/__catalog/reset")
    check(control(port, "GET", "/__catalog/faults")[0]["error500"] == 0, "reset faults")
    c.expect(200, "GET", path)
    bad = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    bad.request("POST", "/__catalog/faults", body=b'{"explode": 1}')
    check(bad.getresponse().status == 400, "unknown fault key accepted")
    bad.close()
    c.close()


def test_concurrency(port, threads=4, per_thread=10):
    setup = Client(port)
    path = f"/v1/{PREFIX}/namespaces/otel/tables/busy"
    create_table(setup, "busy")
    control(port, "POST", "/__catalog/faults", {"conflict409": 0.15, "error500": 0.05,
                                                "unknown_after_commit": 0.15,
                                                "only": ["commit"]})
    committed = {index: [] for index in range(threads)}
    errors = []

    def worker(index):
        c = Client(port)
        rng = random.Random(index)
        try:
            for _ in range(per_thread):
                snapshot_id = new_snapshot_id()
                for attempt in range(200):
                    metadata = c.expect(200, "GET", path).json()["metadata"]
                    if any(s["snapshot-id"] == snapshot_id for s in metadata["snapshots"]):
                        break  # an unknown-state answer earlier: it landed
                    body, _ = append_request(metadata, snapshot_id)
                    response = c.request("POST", path, json.dumps(body).encode())
                    if response.status == 200:
                        break
                    check(response.status in (409, 500, 504),
                          f"unexpected {response.status} {response.body!r}")
                    time.sleep(rng.uniform(0, 0.01))
                else:
                    raise Failure(f"thread {index}: no commit after 200 attempts")
                committed[index].append(snapshot_id)
        except Exception as error:  # reported by the main thread
            errors.append(f"thread {index}: {error!r}")
        finally:
            c.close()

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(60)
    control(port, "POST", "/__catalog/faults", {})
    check(not errors, "; ".join(errors))
    metadata = setup.expect(200, "GET", path).json()["metadata"]
    lineage = chain(metadata)
    wanted = [s for ids in committed.values() for s in ids]
    check(len(wanted) == threads * per_thread, "not every commit finished")
    check(len(lineage) == len(metadata["snapshots"]) == len(wanted),
          f"chain has {len(lineage)} snapshots, table {len(metadata['snapshots'])}, "
          f"committed {len(wanted)}")
    check({s["snapshot-id"] for s in lineage} == set(wanted), "chain != committed snapshots")
    sequences = [s["sequence-number"] for s in reversed(lineage)]
    check(sequences == list(range(1, len(wanted) + 1)), f"sequence numbers {sequences}")
    check(metadata["last-sequence-number"] == len(wanted), "last-sequence-number")
    check_metadata_shape(metadata, "concurrency")
    check_metadata_files(port, "otel", "busy")
    stats, _ = control(port, "GET", "/__catalog/stats")
    busy = stats["tables"]["otel/busy"]
    check(busy["snapshots"] == len(wanted), "stats snapshots")
    setup.close()
    return busy


def main():
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="iceberg_catalog_selftest.")
    procs = Processes(work)
    ok = False
    try:
        arn = "arn:aws:s3tables:us-east-1:123456789012:bucket/self-test"
        launches = {
            "plain": procs.start("plain", "--prefix", PREFIX, "--warehouse", "selftest",
                                 "--warehouse-location", "s3://selftest-bucket/warehouse",
                                 "--seed", "7"),
            "sigv4": procs.start("sigv4", "--sigv4", f"glue:{REGION}", "--credentials",
                                 "AKIDSELFTEST:selftest-secret", "--prefix", arn,
                                 "--prefix-in", "defaults", "--base-path", "/iceberg"),
            "token": procs.start("token", "--token", "static-token"),
            "oauth2": procs.start("oauth2", "--oauth2", "o2p:s3cret",
                                  "--token-ttl", str(OAUTH_TTL)),
        }
        ports = {name: procs.wait_port(proc, port_file)
                 for name, (proc, port_file, _) in launches.items()}

        steps = []

        def step(name, function, *args):
            began = time.monotonic()
            result = function(*args)
            steps.append(f"{name} {time.monotonic() - began:.2f}s")
            return result

        token, oauth_client, anon = step("oauth2", test_oauth2, ports["oauth2"])
        loaded = step("basics", test_basics, ports["plain"], launches["plain"][2])
        step("commits", test_commits, ports["plain"], loaded)
        step("sigv4", test_sigv4, ports["sigv4"])
        step("token", test_token, ports["token"])
        step("faults", test_faults, ports["plain"])
        busy = step("concurrency", test_concurrency, ports["plain"])
        step("oauth2 expiry", test_oauth2_expiry, token, oauth_client, anon)
        ok = True
        print(f"iceberg_catalog_selftest: OK in {time.monotonic() - started:.1f}s "
              f"({', '.join(steps)}; concurrency: {busy['commits_ok']} commits ok, "
              f"{busy['conflict409']} injected 409, {busy['commits_failed']} stale 409, "
              f"{busy['unknown_after_commit']} unknown-after-commit, {busy['error500']} 500)")
        return 0
    except Failure as error:
        sys.stderr.write(f"iceberg_catalog_selftest: FAILED: {error}\n")
        traceback.print_exc()
        return 1
    except Exception:
        sys.stderr.write("iceberg_catalog_selftest: ERROR\n")
        traceback.print_exc()
        return 1
    finally:
        procs.stop_all()
        if not ok:
            procs.dump_logs()
            sys.stderr.write(f"(work directory kept: {work})\n")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
