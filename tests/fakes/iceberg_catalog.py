#!/usr/bin/env python3
"""A strict, test-only Apache Iceberg REST catalog (format version 2), standard library only.

Nothing packaged provides a REST catalog, so this one stands in for the strict real ones (the
Java reference REST catalog, AWS Glue, S3 Tables) in the C++ client tests and the end-to-end
tests. It keeps namespaces and tables in memory and writes every table metadata version as a
JSON file to disk:

  python3 tests/fakes/iceberg_catalog.py --port 0 --port-file PATH --warehouse-dir DIR
      [--host 127.0.0.1] [--warehouse-location s3://bucket/warehouse | file:///...]
      [--prefix PREFIX] [--prefix-in overrides|defaults] [--warehouse NAME] [--base-path /iceberg]
      [--sigv4 SERVICE:REGION --credentials AKID:SECRET[,AKID:SECRET]] [--max-skew SECONDS]
      [--token TOKEN] [--oauth2 CLIENT_ID:SECRET] [--token-ttl SECONDS]
      [--field-ids reverse|java|preserve] [--s3tables-names]
      [--seed N] [--faults JSON] [--idle-timeout SECONDS]

Once listening it writes the bound port to --port-file (a temporary file, then renamed) and logs
one line per request to stderr: method, path (no query), status, request kind, injected fault,
duration. Bodies and Authorization headers are never logged. SIGTERM or SIGINT stop it.

Endpoints (Iceberg REST OpenAPI 1.x; {prefix} only when --prefix is given):
  GET  /v1/config[?warehouse=W]            {defaults, overrides, endpoints}; the prefix goes to
                                           overrides (or defaults, --prefix-in defaults); with
                                           --warehouse NAME another warehouse value gets 404
  POST /v1/oauth/tokens                    (--oauth2) form-encoded client_credentials grant
                                           (client_id/client_secret in the form or HTTP Basic),
                                           or a token-exchange grant whose subject_token is a
                                           live token; answers access_token, token_type bearer,
                                           expires_in, issued_token_type
  GET  /v1/{prefix}/namespaces[?parent=NS] {namespaces}: the children of parent (or top level)
  POST /v1/{prefix}/namespaces             {namespace, properties?} -> 200; 409 if it exists
  GET|HEAD|DELETE /v1/{prefix}/namespaces/{ns}
                                           200 {namespace, properties} | 204 | 204; 404
                                           NoSuchNamespaceException; DELETE of a namespace with
                                           tables: 409 NamespaceNotEmptyException
  GET  /v1/{prefix}/namespaces/{ns}/tables {identifiers}
  POST /v1/{prefix}/namespaces/{ns}/tables CreateTableRequest -> LoadTableResult
  GET|HEAD|POST|DELETE /v1/{prefix}/namespaces/{ns}/tables/{table}
                                           load (?snapshots=all|refs) | exists (204) | commit
                                           (CommitTableRequest -> CommitTableResponse) | drop
                                           (204; files are kept); 404 NoSuchTableException
The namespace path segment is the levels joined by 0x1F (%1F); every segment is percent-decoded.
The prefix may be sent literally ("catalogs/x" as two segments) or as one encoded segment
("catalogs%2Fx"). Errors are {"error": {"message", "type", "code"}} (the OAuth endpoint answers
{"error", "error_description"} as RFC 6749 says).

Strictness (400 BadRequestException unless said otherwise): request bodies must be JSON objects
with exactly the keys of their OpenAPI shape, at every level (unknown keys are rejected, not
ignored); types are checked (a boolean is not an integer). CreateTableRequest: name and schema
required; schema fields need id/name/required/type, ids unique and positive, names unique per
struct, types valid for format 2 (timestamp_ns, variant, ... and defaults are v3: rejected);
partition-spec transforms must exist and suit their source column, partition names must be
unique and not shadow a column unless identity on it; write-order likewise; stage-create true is
rejected (like Glue); format-version other than 2 is rejected. The catalog assigns its own field
ids (--field-ids: "reverse", the default, numbers from 1 like Java's TypeUtil.assignFreshIds
but visits every struct's fields last to first, so even a flat schema numbered 1..N in order
comes back renumbered; "java" visits them in order; "preserve" keeps the request's ids), its own
partition field ids from 1000, spec id 0, sort order id 1 (0 when unsorted), and writes
metadata version 1. Table location: {warehouse-location}/{ns levels joined by /}/{table} unless
the request has a location (an absolute URI). Metadata files go to
{location}/metadata/NNNNN-<uuid>.metadata.json; on disk that is --warehouse-dir plus the part of
the location after --warehouse-location (default file://<warehouse-dir>), the path itself for
other file:// locations, and --warehouse-dir/_external/<scheme>/<host>/<path> for others.

Commits (under a per-table lock, so requirements are checked against the latest metadata:
compare-and-swap): requirements assert-create, assert-table-uuid, assert-ref-snapshot-id (null
= the ref must not exist), assert-current-schema-id, assert-last-assigned-field-id,
assert-last-assigned-partition-id, assert-default-spec-id, assert-default-sort-order-id; a
failed one -> 409 CommitFailedException, nothing applied. Updates: add-snapshot (snapshot-id
positive and new; sequence-number required and equal to last-sequence-number + 1;
parent-snapshot-id, when not null, an existing snapshot; timestamp-ms not more than a minute
before the last snapshot-log entry nor a minute in the future; manifest-list an absolute URI;
summary values strings, operation append|replace|overwrite|delete, the numeric summary metrics
non-negative integers; schema-id, when given, an existing schema), set-snapshot-ref (snapshot
must exist, -1 = the one added by this commit; main must be a branch; updates
current-snapshot-id and snapshot-log), remove-snapshot-ref, add-schema (ids unique; an id not
above last-column-id must be a known field and keep a compatible type: same type, int->long,
float->double, decimal precision widening; an optional field cannot become required; new fields
must be optional unless their parent is new too; last-column-id, when given, not below the
highest id nor the previous one; an identical schema reuses its id), set-current-schema (-1 =
added by this commit), set-properties, remove-properties, assign-uuid (same uuid only),
upgrade-format-version (to 2 only), set-location. Other spec actions: 400 "not supported";
unknown ones: 400. A commit that changes something bumps last-updated-ms, appends to
metadata-log (at most write.metadata.previous-versions-max entries, default 100) and writes the
next metadata version; a commit that changes nothing writes nothing. A table's metadata always
has every format-2 field, current-snapshot-id -1 when there is no snapshot (as Java writes it),
and decimals spelled "decimal(P, S)" (as Java writes them).

Authentication (never for the control endpoints, nor /v1/oauth/tokens):
  --sigv4 SERVICE:REGION --credentials AKID:SECRET  AWS SigV4, rules for non-S3 services: the
      canonical URI is the received path with dot segments and empty segments removed, then
      percent-encoded once more (so "%1F" is signed as "%251F"); the payload hash is
      x-amz-content-sha256 when sent (it must equal the body's SHA-256) and the body's SHA-256
      otherwise; host and x-amz-date must be signed (x-amz-security-token too when sent);
      x-amz-date within --max-skew; the scope's service and region must be the flag's.
      Failure: 403 ForbiddenException.
  --token TOKEN       "Authorization: Bearer TOKEN" required, else 401 NotAuthorizedException.
  --oauth2 ID:SECRET  a bearer token issued by /v1/oauth/tokens required (401 when unknown, 419
                      AuthenticationTimeoutException once older than --token-ttl). With --token
                      too, either is accepted.

Faults, from a random generator seeded by --seed; one draw per eligible request, the
probabilities are cumulative in this order (keep the sum at most 1):
  stall                 sleep stall_seconds (default 30), then process the request normally
  error500              500 (commits: CommitStateUnknownException), nothing applied
  conflict409           commits only: 409 CommitFailedException, nothing applied
  unknown_after_commit  mutating requests (commit, create_table, create_namespace, drop_*):
                        applied, then 500 or 504 (chosen by the generator; set
                        "unknown_statuses" to restrict) CommitStateUnknownException; when the
                        request itself fails (409, 400, ...) that answer is sent instead
"only": [kinds] limits faults to those request kinds: config, oauth_token, list_namespaces,
create_namespace, load_namespace, namespace_exists, drop_namespace, list_tables, create_table,
load_table, table_exists, commit, drop_table. Faults come after the authentication check.

Control endpoints, same port, never faulted nor authenticated:
  GET|POST /__catalog/faults   the fault settings; POST replaces them (unknown keys: 400)
  GET  /__catalog/stats        counters: requests, by_kind, by_status, auth_failures,
                               sigv4_failures, commits_ok, commits_failed (409 requirement
                               failures), commits_rejected (400), one per fault (stall, error500,
                               conflict409, unknown_after_commit), namespaces_created,
                               tables_created, metadata_files_written, tokens_issued, and
                               "tables": {"<ns levels joined by .>/<table>": {commits_ok,
                               commits_failed, commits_rejected, conflict409, error500,
                               unknown_after_commit, version, snapshots}}, plus the faults
  POST /__catalog/reset        no faults, counters cleared, generator re-seeded; with body
                               {"tables": true} also forgets every namespace and table (files
                               stay on disk)
  GET  /__catalog/tables/{ns}/{table}  the table's current metadata JSON (headers
                               X-Metadata-Location and X-Metadata-File: the local file)
"""

import argparse
import base64
import copy
import datetime
import hashlib
import hmac
import http.server
import json
import os
import random
import re
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.parse
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree for the import below
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_proxy import (  # noqa: E402  (after the path set-up)
    ALGORITHM, AMZ_DATE_FORMAT, AuthError, canonical_query, parse_authorization,
    parse_credentials, signing_key)

CONTROL_PREFIX = "/__catalog/"
MAX_BODY = 16 << 20
MAX_FIELD_ID = 2147483447
MAX_LONG = (1 << 63) - 1
ONE_MINUTE_MS = 60_000
FAULT_NAMES = ("stall", "error500", "conflict409", "unknown_after_commit")
KINDS = ("config", "oauth_token", "list_namespaces", "create_namespace", "load_namespace",
         "namespace_exists", "drop_namespace", "list_tables", "create_table", "load_table",
         "table_exists", "commit", "drop_table")
MUTATING_KINDS = frozenset(("create_namespace", "drop_namespace", "create_table", "commit",
                            "drop_table"))
PRIMITIVES = frozenset(("boolean", "int", "long", "float", "double", "date", "time",
                        "timestamp", "timestamptz", "string", "uuid", "binary"))
V3_TYPES = frozenset(("timestamp_ns", "timestamptz_ns", "unknown", "variant"))
FIXED_RE = re.compile(r"fixed\[(\d+)\]\Z")
DECIMAL_RE = re.compile(r"decimal\((\d+),\s*(\d+)\)\Z")
BUCKET_RE = re.compile(r"(bucket|truncate)\[(\d+)\]\Z")
URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+\Z")
OPERATIONS = frozenset(("append", "replace", "overwrite", "delete"))
NUMERIC_SUMMARY_KEYS = frozenset((
    "added-data-files", "deleted-data-files", "total-data-files", "added-delete-files",
    "added-records", "deleted-records", "total-records", "added-files-size", "removed-files-size",
    "total-files-size", "added-position-deletes", "total-position-deletes",
    "added-equality-deletes", "total-equality-deletes", "total-delete-files",
    "changed-partition-count", "manifests-created", "manifests-kept", "manifests-replaced",
    "entries-processed", "added-position-delete-files", "removed-position-delete-files",
    "added-equality-delete-files", "removed-equality-delete-files", "removed-delete-files",
    "removed-position-deletes", "removed-equality-deletes"))
UNSUPPORTED_ACTIONS = frozenset((
    "add-spec", "set-default-spec", "add-sort-order", "set-default-sort-order",
    "remove-snapshots", "set-statistics", "remove-statistics", "set-partition-statistics",
    "remove-partition-statistics", "remove-partition-specs", "remove-schemas",
    "add-encryption-key", "remove-encryption-key", "enable-row-lineage"))
S3TABLES_NAME_RE = re.compile(r"[0-9a-z_]{1,255}\Z")
OAUTH_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"


def log(message):
    sys.stderr.write(f"iceberg_catalog: {message}\n")
    sys.stderr.flush()


def now_ms():
    return int(time.time() * 1000)


class ApiError(Exception):
    """An Iceberg REST error answer."""

    def __init__(self, status, error_type, message, headers=()):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.headers = list(headers)


def bad(message):
    return ApiError(400, "BadRequestException", message)


def conflict(message):
    return ApiError(409, "CommitFailedException", message)


# ---- JSON shape checks ------------------------------------------------------------------------

def expect_object(value, what, allowed, required=()):
    if not isinstance(value, dict):
        raise bad(f"{what} must be a JSON object")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise bad(f"{what}: unknown field(s) {', '.join(unknown)}")
    for key in required:
        if key not in value:
            raise bad(f"{what}: missing required field {key}")
    return value


def expect_int(value, what, minimum=None, maximum=MAX_LONG):
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad(f"{what} must be an integer")
    if minimum is not None and value < minimum:
        raise bad(f"{what} must be >= {minimum}, got {value}")
    if value > maximum:
        raise bad(f"{what} must be <= {maximum}, got {value}")
    return value


def expect_str(value, what, nonempty=True):
    if not isinstance(value, str):
        raise bad(f"{what} must be a string")
    if nonempty and value == "":
        raise bad(f"{what} must not be empty")
    return value


def expect_bool(value, what):
    if not isinstance(value, bool):
        raise bad(f"{what} must be a boolean")
    return value


def expect_str_map(value, what):
    if not isinstance(value, dict):
        raise bad(f"{what} must be a JSON object of strings")
    for key, item in value.items():
        if not isinstance(item, str):
            raise bad(f"{what}.{key} must be a string")
    return dict(value)


def expect_uri(value, what):
    expect_str(value, what)
    if not URI_RE.match(value):
        raise bad(f"{what} must be an absolute URI (scheme://...), got {value!r}")
    if any(part in (".", "..") for part in value.split("://", 1)[1].split("/")):
        raise bad(f"{what} must not contain . or .. segments")
    return value


# ---- schemas ----------------------------------------------------------------------------------

def parse_primitive(text, what):
    if text in PRIMITIVES:
        return text
    match = FIXED_RE.match(text)
    if match:
        length = int(match.group(1))
        if length < 1:
            raise bad(f"{what}: fixed length must be positive")
        return f"fixed[{length}]"
    match = DECIMAL_RE.match(text)
    if match:
        precision, scale = int(match.group(1)), int(match.group(2))
        if not 1 <= precision <= 38 or not 0 <= scale <= precision:
            raise bad(f"{what}: invalid {text!r} (need 1 <= P <= 38 and 0 <= S <= P)")
        return f"decimal({precision}, {scale})"
    if text in V3_TYPES or text.startswith(("geometry", "geography")):
        raise bad(f"{what}: type {text!r} needs format version 3; tables here are version 2")
    raise bad(f"{what}: unknown type {text!r}")


def type_kind(canonical):
    return canonical["type"] if isinstance(canonical, dict) else canonical


class SchemaIndex:
    """Every field of a schema by id: {id: {name, type, kind, required, repeated, parent}}."""

    def __init__(self):
        self.fields = {}

    def add(self, field_id, info, what):
        expect_int(field_id, f"{what} id", 1, MAX_FIELD_ID)
        if field_id in self.fields:
            raise bad(f"{what}: field id {field_id} is used twice (ids must be unique across "
                      f"the whole schema)")
        self.fields[field_id] = info

    def highest(self):
        return max(self.fields, default=0)

    def by_name(self):
        return {info["name"]: field_id for field_id, info in self.fields.items()}


def parse_type(value, what, index, path, repeated, parent):
    if isinstance(value, str):
        return parse_primitive(value, what)
    if not isinstance(value, dict):
        raise bad(f"{what}: a type is a string or a JSON object")
    kind = value.get("type")
    if kind == "struct":
        expect_object(value, what, ("type", "fields"), ("type", "fields"))
        return {"type": "struct",
                "fields": parse_fields(value["fields"], what, index, path, repeated, parent)}
    if kind == "list":
        expect_object(value, what, ("type", "element-id", "element", "element-required"),
                      ("type", "element-id", "element", "element-required"))
        element_id = value["element-id"]
        required = expect_bool(value["element-required"], f"{what}.element-required")
        name = f"{path}.element"
        index.add(element_id, None, f"{what}.element")
        element = parse_type(value["element"], f"{what}.element", index, name, True, element_id)
        index.fields[element_id] = {"name": name, "type": element, "kind": type_kind(element),
                                    "required": required, "repeated": True, "parent": parent}
        return {"type": "list", "element-id": element_id, "element": element,
                "element-required": required}
    if kind == "map":
        expect_object(value, what, ("type", "key-id", "key", "value-id", "value",
                                    "value-required"),
                      ("type", "key-id", "key", "value-id", "value", "value-required"))
        key_id, value_id = value["key-id"], value["value-id"]
        required = expect_bool(value["value-required"], f"{what}.value-required")
        index.add(key_id, None, f"{what}.key")
        index.add(value_id, None, f"{what}.value")
        key = parse_type(value["key"], f"{what}.key", index, f"{path}.key", True, key_id)
        item = parse_type(value["value"], f"{what}.value", index, f"{path}.value", True, value_id)
        index.fields[key_id] = {"name": f"{path}.key", "type": key, "kind": type_kind(key),
                                "required": True, "repeated": True, "parent": parent}
        index.fields[value_id] = {"name": f"{path}.value", "type": item, "kind": type_kind(item),
                                  "required": required, "repeated": True, "parent": parent}
        return {"type": "map", "key-id": key_id, "key": key, "value-id": value_id,
                "value": item, "value-required": required}
    raise bad(f"{what}: unknown nested type {kind!r} (struct, list or map)")


def parse_fields(fields, what, index, path, repeated, parent):
    if not isinstance(fields, list):
        raise bad(f"{what}.fields must be a list")
    result, names = [], set()
    for position, field in enumerate(fields):
        where = f"{what}.fields[{position}]"
        expect_object(field, where, ("id", "name", "required", "type", "doc", "initial-default",
                                     "write-default"), ("id", "name", "required", "type"))
        for key in ("initial-default", "write-default"):
            if key in field:
                raise bad(f"{where}: {key} needs format version 3; tables here are version 2")
        name = expect_str(field["name"], f"{where}.name")
        if name in names:
            raise bad(f"{where}: duplicate field name {name!r}")
        names.add(name)
        required = expect_bool(field["required"], f"{where}.required")
        full = f"{path}.{name}" if path else name
        field_id = field["id"]
        index.add(field_id, None, where)
        field_type = parse_type(field["type"], f"{where}.type", index, full, repeated, field_id)
        index.fields[field_id] = {"name": full, "type": field_type, "kind": type_kind(field_type),
                                  "required": required, "repeated": repeated, "parent": parent}
        item = {"id": field_id, "name": name, "required": required, "type": field_type}
        if "doc" in field:
            item["doc"] = expect_str(field["doc"], f"{where}.doc", nonempty=False)
        result.append(item)
    return result


def parse_schema(value, what):
    """Returns (fields, identifier ids, SchemaIndex) of a request schema."""
    expect_object(value, what, ("type", "schema-id", "identifier-field-ids", "fields"),
                  ("type", "fields"))
    if value["type"] != "struct":
        raise bad(f"{what}.type must be \"struct\"")
    if "schema-id" in value:
        expect_int(value["schema-id"], f"{what}.schema-id", -1, 2147483647)
    index = SchemaIndex()
    fields = parse_fields(value["fields"], what, index, "", False, None)
    identifiers = value.get("identifier-field-ids", [])
    if not isinstance(identifiers, list):
        raise bad(f"{what}.identifier-field-ids must be a list")
    for field_id in identifiers:
        expect_int(field_id, f"{what}.identifier-field-ids[]", 1)
        info = index.fields.get(field_id)
        if info is None:
            raise bad(f"{what}: identifier field {field_id} is not in the schema")
        if (isinstance(info["type"], dict) or info["type"] in ("float", "double")
                or not info["required"] or info["repeated"]):
            raise bad(f"{what}: identifier field {field_id} must be a required primitive, not "
                      f"float/double, outside lists and maps")
        parent = info["parent"]
        while parent is not None:
            if not index.fields[parent]["required"]:
                raise bad(f"{what}: identifier field {field_id} is nested in an optional struct")
            parent = index.fields[parent]["parent"]
    if len(set(identifiers)) != len(identifiers):
        raise bad(f"{what}: duplicate identifier-field-ids")
    return fields, list(identifiers), index


def schema_json(schema_id, fields, identifiers):
    result = {"type": "struct", "schema-id": schema_id}
    if identifiers:
        result["identifier-field-ids"] = identifiers
    result["fields"] = fields
    return result


def index_of_schema(schema):
    index = SchemaIndex()
    parse_fields(schema["fields"], "schema", index, "", False, None)
    return index


def assign_fresh_ids(fields, mode):
    """Renumbers FIELDS (canonical, from parse_fields) from 1; returns (fields, {old: new})."""
    mapping = {}
    if mode == "preserve":
        index = SchemaIndex()
        parse_fields(fields, "schema", index, "", False, None)
        return copy.deepcopy(fields), {field_id: field_id for field_id in index.fields}
    counter = [0]

    def fresh(old):
        counter[0] += 1
        mapping[old] = counter[0]
        return counter[0]

    def order(items):
        positions = list(range(len(items)))
        return positions[::-1] if mode == "reverse" else positions

    def visit_struct(items):
        result = [None] * len(items)
        for position in order(items):  # ids of all direct children first, like Java
            result[position] = dict(items[position], id=fresh(items[position]["id"]))
        for position in order(items):
            result[position]["type"] = visit_type(items[position]["type"])
        return result

    def visit_type(value):
        if isinstance(value, str):
            return value
        if value["type"] == "struct":
            return {"type": "struct", "fields": visit_struct(value["fields"])}
        if value["type"] == "list":
            element_id = fresh(value["element-id"])
            return {"type": "list", "element-id": element_id,
                    "element": visit_type(value["element"]),
                    "element-required": value["element-required"]}
        key_id, value_id = fresh(value["key-id"]), fresh(value["value-id"])
        return {"type": "map", "key-id": key_id, "key": visit_type(value["key"]),
                "value-id": value_id, "value": visit_type(value["value"]),
                "value-required": value["value-required"]}

    return visit_struct(fields), mapping


def can_promote(old, new):
    if old == new:
        return True
    if (old, new) in (("int", "long"), ("float", "double")):
        return True
    old_match, new_match = DECIMAL_RE.match(old), DECIMAL_RE.match(new)
    if old_match and new_match:
        return (old_match.group(2) == new_match.group(2)
                and int(new_match.group(1)) >= int(old_match.group(1)))
    return False


# ---- partition specs and sort orders ----------------------------------------------------------

TEMPORAL = frozenset(("date", "timestamp", "timestamptz"))


def parse_transform(text, what, source_kind):
    expect_str(text, what)
    match = BUCKET_RE.match(text)
    if match:
        if int(match.group(2)) < 1:
            raise bad(f"{what}: {text!r} needs a positive parameter")
        name = match.group(1)
        text = f"{name}[{int(match.group(2))}]"
    elif text in ("identity", "void", "year", "month", "day", "hour"):
        name = text
    else:
        raise bad(f"{what}: unknown transform {text!r}")
    base = source_kind.split("[")[0].split("(")[0]
    allowed = {
        "identity": None, "void": None,
        "year": TEMPORAL, "month": TEMPORAL, "day": TEMPORAL,
        "hour": frozenset(("timestamp", "timestamptz")),
        "bucket": frozenset(("int", "long", "decimal", "date", "time", "timestamp",
                             "timestamptz", "string", "uuid", "fixed", "binary")),
        "truncate": frozenset(("int", "long", "decimal", "string", "binary")),
    }[name]
    if allowed is not None and base not in allowed:
        raise bad(f"{what}: transform {text!r} cannot apply to a {source_kind} column")
    return text


def source_field(index, source_id, what):
    expect_int(source_id, f"{what}.source-id", 1)
    info = index.fields.get(source_id)
    if info is None:
        raise bad(f"{what}: source-id {source_id} is not a field of the schema")
    if isinstance(info["type"], dict):
        raise bad(f"{what}: source-id {source_id} ({info['name']}) is not a primitive")
    if info["repeated"]:
        raise bad(f"{what}: source-id {source_id} ({info['name']}) is inside a list or map")
    return info


def parse_partition_spec(value, index, mapping):
    what = "partition-spec"
    expect_object(value, what, ("spec-id", "fields"), ("fields",))
    if "spec-id" in value:
        expect_int(value["spec-id"], f"{what}.spec-id", 0, 2147483647)
    if not isinstance(value["fields"], list):
        raise bad(f"{what}.fields must be a list")
    column_names = set(index.by_name())
    names, pairs, result = set(), set(), []
    for position, field in enumerate(value["fields"]):
        where = f"{what}.fields[{position}]"
        expect_object(field, where, ("field-id", "source-id", "name", "transform"),
                      ("source-id", "name", "transform"))
        if "field-id" in field:
            expect_int(field["field-id"], f"{where}.field-id", 1)
        info = source_field(index, field["source-id"], where)
        transform = parse_transform(field["transform"], f"{where}.transform", info["kind"])
        name = expect_str(field["name"], f"{where}.name")
        if name in names:
            raise bad(f"{where}: duplicate partition field name {name!r}")
        names.add(name)
        if name in column_names and not (transform in ("identity", "void")
                                         and info["name"] == name):
            raise bad(f"{where}: partition name {name!r} conflicts with a schema column")
        if (field["source-id"], transform) in pairs and transform != "void":
            raise bad(f"{where}: duplicate partition field ({info['name']}, {transform})")
        pairs.add((field["source-id"], transform))
        result.append({"name": name, "transform": transform,
                       "source-id": mapping[field["source-id"]], "field-id": 1000 + position})
    return result


def parse_sort_order(value, index, mapping):
    what = "write-order"
    expect_object(value, what, ("order-id", "fields"), ("fields",))
    if "order-id" in value:
        expect_int(value["order-id"], f"{what}.order-id", 0, 2147483647)
    if not isinstance(value["fields"], list):
        raise bad(f"{what}.fields must be a list")
    result = []
    for position, field in enumerate(value["fields"]):
        where = f"{what}.fields[{position}]"
        expect_object(field, where, ("source-id", "transform", "direction", "null-order"),
                      ("source-id", "transform", "direction", "null-order"))
        info = source_field(index, field["source-id"], where)
        transform = parse_transform(field["transform"], f"{where}.transform", info["kind"])
        if field["direction"] not in ("asc", "desc"):
            raise bad(f"{where}.direction must be asc or desc")
        if field["null-order"] not in ("nulls-first", "nulls-last"):
            raise bad(f"{where}.null-order must be nulls-first or nulls-last")
        result.append({"transform": transform, "source-id": mapping[field["source-id"]],
                       "direction": field["direction"], "null-order": field["null-order"]})
    return result


# ---- the catalog ------------------------------------------------------------------------------

def ns_text(levels):
    return ".".join(levels)


class Table:
    def __init__(self, namespace, name, metadata, location, local_file, version):
        self.namespace = namespace
        self.name = name
        self.metadata = metadata
        self.metadata_location = location
        self.metadata_file = local_file
        self.version = version
        self.lock = threading.Lock()
        self.dropped = False

    @property
    def key(self):
        return f"{ns_text(self.namespace)}/{self.name}"


def default_faults():
    return {"stall": 0.0, "error500": 0.0, "conflict409": 0.0, "unknown_after_commit": 0.0,
            "stall_seconds": 30.0, "unknown_statuses": [500, 504], "only": None}


def parse_faults(value):
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
        elif key == "unknown_statuses":
            if (not isinstance(item, list) or not item
                    or not all(s in (500, 502, 503, 504) for s in item)):
                raise ValueError("unknown_statuses must be a non-empty list of 500/502/503/504")
            settings[key] = list(item)
        elif key == "only":
            if item is not None and (not isinstance(item, list)
                                     or not all(k in KINDS for k in item)):
                raise ValueError(f"only must be null or a list of request kinds: {KINDS}")
            settings[key] = None if item is None else list(item)
        else:
            raise ValueError(f"unknown fault setting {key!r}")
    if sum(settings[name] for name in FAULT_NAMES) > 1.0 + 1e-9:
        raise ValueError("the fault probabilities add up to more than 1")
    return settings


def fresh_stats():
    stats = {"requests": 0, "by_kind": {}, "by_status": {}, "auth_failures": 0,
             "sigv4_failures": 0, "commits_ok": 0, "commits_failed": 0, "commits_rejected": 0,
             "namespaces_created": 0, "tables_created": 0, "metadata_files_written": 0,
             "tokens_issued": 0, "credentials_vended": 0, "tables": {}}
    for name in FAULT_NAMES:
        stats[name] = 0
    return stats


class Catalog:
    def __init__(self, args):
        self.args = args
        self.lock = threading.RLock()  # namespaces, tables, stats, faults, generator, tokens
        self.namespaces = {}  # tuple of levels -> properties
        self.tables = {}  # (levels, name) -> Table
        self.tokens = {}  # issued OAuth2 token -> expiry (monotonic seconds)
        self.faults = default_faults()
        self.reset(args.initial_faults)

    # -- faults and counters --

    def reset(self, faults=None, tables=False):
        with self.lock:
            self.rng = random.Random(self.args.seed)
            self.faults = faults if faults is not None else default_faults()
            self.stats = fresh_stats()
            if tables:
                self.namespaces.clear()
                for table in self.tables.values():
                    table.dropped = True
                self.tables.clear()

    def set_faults(self, faults):
        with self.lock:
            self.faults = faults

    def get_faults(self):
        with self.lock:
            return copy.deepcopy(self.faults)

    def count(self, key, amount=1):
        with self.lock:
            self.stats[key] += amount

    def count_table(self, table, key):
        with self.lock:
            if key.startswith("commits_"):
                self.stats[key] += 1
            entry = self.stats["tables"].setdefault(table.key, {
                "commits_ok": 0, "commits_failed": 0, "commits_rejected": 0, "conflict409": 0,
                "error500": 0, "unknown_after_commit": 0, "version": 0, "snapshots": 0})
            if key in entry:
                entry[key] += 1
            entry["version"] = table.version
            entry["snapshots"] = len(table.metadata["snapshots"])

    def count_request(self, kind, status):
        with self.lock:
            self.stats["requests"] += 1
            self.stats["by_kind"][kind] = self.stats["by_kind"].get(kind, 0) + 1
            key = str(status)
            self.stats["by_status"][key] = self.stats["by_status"].get(key, 0) + 1

    def snapshot_stats(self):
        with self.lock:
            result = copy.deepcopy(self.stats)
            for table in self.tables.values():
                entry = result["tables"].setdefault(table.key, {
                    "commits_ok": 0, "commits_failed": 0, "commits_rejected": 0,
                    "conflict409": 0, "error500": 0, "unknown_after_commit": 0})
                entry["version"] = table.version
                entry["snapshots"] = len(table.metadata["snapshots"])
            result["faults"] = copy.deepcopy(self.faults)
            return result

    def roll(self, kind):
        """Returns (fault or None, fault settings) for one request of KIND."""
        with self.lock:
            faults = self.faults
            if faults["only"] is not None and kind not in faults["only"]:
                return None, faults
            eligible = ["stall", "error500"]
            if kind == "commit":
                eligible.append("conflict409")
            if kind in MUTATING_KINDS:
                eligible.append("unknown_after_commit")
            if not any(faults[name] > 0 for name in eligible):
                return None, faults
            draw = self.rng.random()
            threshold = 0.0
            for name in eligible:
                threshold += faults[name]
                if faults[name] > 0 and draw < threshold:
                    self.stats[name] += 1
                    return name, faults
            return None, faults

    def pick_unknown_status(self, statuses):
        with self.lock:
            return self.rng.choice(statuses)

    # -- tokens --

    def issue_token(self):
        token = "o2p-test-" + secrets.token_hex(20)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.args.token_ttl
            self.stats["tokens_issued"] += 1
        return token

    def token_state(self, token):
        with self.lock:
            expiry = self.tokens.get(token)
        if expiry is None:
            return "unknown"
        return "live" if time.monotonic() < expiry else "expired"

    # -- names and locations --

    def check_name(self, name, what):
        if "\x1f" in name:
            raise bad(f"{what} must not contain the 0x1F namespace separator")
        if self.args.s3tables_names and not S3TABLES_NAME_RE.match(name):
            raise bad(f"{what} {name!r} must match [0-9a-z_]{{1,255}} (S3 Tables rule)")

    def local_path(self, uri):
        base = self.args.warehouse_location
        if uri == base or uri.startswith(base + "/"):
            parts = [p for p in uri[len(base):].split("/") if p]
            return os.path.join(self.args.warehouse_dir, *parts)
        split = urllib.parse.urlsplit(uri)
        if split.scheme == "file":
            return split.path
        parts = [p for p in split.path.split("/") if p]
        return os.path.join(self.args.warehouse_dir, "_external", split.scheme,
                            split.netloc or "_", *parts)

    def write_metadata(self, table_location, version, metadata):
        """Writes METADATA as version VERSION; returns (metadata location, local file)."""
        name = f"{version:05d}-{uuid.uuid4()}.metadata.json"
        location = f"{table_location}/metadata/{name}"
        path = self.local_path(location)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.exists(path):
            raise ApiError(500, "ServiceFailureException", f"metadata file {location} exists")
        tmp = f"{path}.tmp.{threading.get_ident()}"
        with open(tmp, "w") as handle:
            json.dump(metadata, handle, indent=2)
            handle.write("\n")
        os.replace(tmp, path)
        self.count("metadata_files_written")
        return location, path

    # -- namespaces --

    def parse_namespace_segment(self, text):
        levels = tuple(text.split("\x1f"))
        if any(level == "" for level in levels):
            raise bad(f"invalid namespace {text!r}: empty level")
        return levels

    def require_namespace(self, levels):
        if levels not in self.namespaces:
            raise ApiError(404, "NoSuchNamespaceException",
                           f"Namespace does not exist: {ns_text(levels)}")

    def list_namespaces(self, parent):
        with self.lock:
            if parent is not None:
                self.require_namespace(parent)
            depth = 0 if parent is None else len(parent)
            children = sorted({ns[:depth + 1] for ns in self.namespaces
                               if len(ns) > depth and (parent is None or ns[:depth] == parent)})
        return {"namespaces": [list(ns) for ns in children]}

    def create_namespace(self, body):
        expect_object(body, "CreateNamespaceRequest", ("namespace", "properties"),
                      ("namespace",))
        levels = body["namespace"]
        if not isinstance(levels, list) or not levels:
            raise bad("namespace must be a non-empty list of strings")
        for level in levels:
            expect_str(level, "namespace level")
            self.check_name(level, "namespace level")
        properties = expect_str_map(body.get("properties", {}), "properties")
        levels = tuple(levels)
        with self.lock:
            if levels in self.namespaces:
                raise ApiError(409, "AlreadyExistsException",
                               f"Namespace already exists: {ns_text(levels)}")
            self.namespaces[levels] = properties
            self.stats["namespaces_created"] += 1
        return {"namespace": list(levels), "properties": properties}

    def load_namespace(self, levels):
        with self.lock:
            self.require_namespace(levels)
            return {"namespace": list(levels), "properties": dict(self.namespaces[levels])}

    def drop_namespace(self, levels):
        with self.lock:
            self.require_namespace(levels)
            if any(key[0] == levels for key in self.tables):
                raise ApiError(409, "NamespaceNotEmptyException",
                               f"Namespace {ns_text(levels)} is not empty")
            del self.namespaces[levels]

    # -- tables --

    def list_tables(self, levels):
        with self.lock:
            self.require_namespace(levels)
            names = sorted(name for ns, name in self.tables if ns == levels)
        return {"identifiers": [{"namespace": list(levels), "name": n} for n in names]}

    def get_table(self, levels, name):
        with self.lock:
            self.require_namespace(levels)
            table = self.tables.get((levels, name))
        if table is None:
            raise ApiError(404, "NoSuchTableException",
                           f"Table does not exist: {ns_text(levels)}.{name}")
        return table

    def create_table(self, levels, body):
        expect_object(body, "CreateTableRequest", ("name", "location", "schema", "partition-spec",
                                                   "write-order", "stage-create", "properties"),
                      ("name", "schema"))
        name = expect_str(body["name"], "name")
        self.check_name(name, "table name")
        if "/" in name:
            raise bad("table name must not contain '/'")
        if "stage-create" in body and expect_bool(body["stage-create"], "stage-create"):
            raise bad("stage-create is not supported by this catalog (like AWS Glue)")
        properties = expect_str_map(body.get("properties", {}), "properties")
        if properties.get("format-version", "2") != "2":
            raise bad("only format-version 2 tables are supported")
        properties.pop("format-version", None)
        location = None
        if body.get("location") is not None:
            location = expect_uri(body["location"], "location").rstrip("/")
        fields, identifiers, index = parse_schema(body["schema"], "schema")
        fresh_fields, mapping = assign_fresh_ids(fields, self.args.field_ids)
        spec_fields = []
        if body.get("partition-spec") is not None:
            spec_fields = parse_partition_spec(body["partition-spec"], index, mapping)
        order_fields = []
        if body.get("write-order") is not None:
            order_fields = parse_sort_order(body["write-order"], index, mapping)
        fresh_identifiers = sorted(mapping[i] for i in identifiers)

        with self.lock:
            self.require_namespace(levels)
            if (levels, name) in self.tables:
                raise ApiError(409, "AlreadyExistsException",
                               f"Table already exists: {ns_text(levels)}.{name}")
            if location is None:
                location = "/".join((self.args.warehouse_location, *levels, name))
            timestamp = now_ms()
            metadata = {
                "format-version": 2,
                "table-uuid": str(uuid.uuid4()),
                "location": location,
                "last-sequence-number": 0,
                "last-updated-ms": timestamp,
                "last-column-id": max(mapping.values(), default=0),
                "current-schema-id": 0,
                "schemas": [schema_json(0, fresh_fields, fresh_identifiers)],
                "default-spec-id": 0,
                "partition-specs": [{"spec-id": 0, "fields": spec_fields}],
                "last-partition-id": 999 + len(spec_fields),
                "default-sort-order-id": 1 if order_fields else 0,
                "sort-orders": [{"order-id": 1 if order_fields else 0, "fields": order_fields}],
                "properties": properties,
                "current-snapshot-id": -1,
                "refs": {},
                "snapshots": [],
                "statistics": [],
                "partition-statistics": [],
                "snapshot-log": [],
                "metadata-log": [],
            }
            metadata_location, local_file = self.write_metadata(location, 1, metadata)
            table = Table(levels, name, metadata, metadata_location, local_file, 1)
            self.tables[(levels, name)] = table
            self.stats["tables_created"] += 1
        return table, {"metadata-location": metadata_location, "metadata": metadata,
                       "config": {}}

    def load_table(self, levels, name, snapshots):
        if snapshots not in (None, "all", "refs"):
            raise bad("snapshots must be all or refs")
        table = self.get_table(levels, name)
        with table.lock:
            metadata = copy.deepcopy(table.metadata)
            location = table.metadata_location
        if snapshots == "refs":
            wanted = {ref["snapshot-id"] for ref in metadata["refs"].values()}
            metadata["snapshots"] = [s for s in metadata["snapshots"]
                                     if s["snapshot-id"] in wanted]
        return {"metadata-location": location, "metadata": metadata, "config": {}}

    def drop_table(self, levels, name):
        with self.lock:
            self.require_namespace(levels)
            table = self.tables.pop((levels, name), None)
        if table is None:
            raise ApiError(404, "NoSuchTableException",
                           f"Table does not exist: {ns_text(levels)}.{name}")
        with table.lock:
            table.dropped = True

    # -- commits --

    def parse_commit(self, levels, name, body):
        expect_object(body, "CommitTableRequest", ("identifier", "requirements", "updates"),
                      ("requirements", "updates"))
        if "identifier" in body:
            ident = expect_object(body["identifier"], "identifier", ("namespace", "name"),
                                  ("namespace", "name"))
            if ident["namespace"] != list(levels) or ident["name"] != name:
                raise bad("identifier does not match the table in the path")
        if not isinstance(body["requirements"], list):
            raise bad("requirements must be a list")
        if not isinstance(body["updates"], list):
            raise bad("updates must be a list")
        for position, requirement in enumerate(body["requirements"]):
            check_requirement_shape(requirement, f"requirements[{position}]")
        for position, update in enumerate(body["updates"]):
            if not isinstance(update, dict) or not isinstance(update.get("action"), str):
                raise bad(f"updates[{position}] must be an object with an action")
        return body["requirements"], body["updates"]

    def commit(self, table, requirements, updates, fault):
        """Applies a commit under the table lock. Returns the CommitTableResponse."""
        with table.lock:
            if table.dropped:
                raise ApiError(404, "NoSuchTableException", f"Table does not exist: "
                               f"{ns_text(table.namespace)}.{table.name}")
            if fault == "conflict409":
                self.count_table(table, "conflict409")
                raise conflict("Injected fault: commit conflict (nothing was applied)")
            if fault == "error500":
                self.count_table(table, "error500")
                raise ApiError(500, "CommitStateUnknownException",
                               "Injected fault: internal error (nothing was applied)")
            metadata = table.metadata
            try:
                for position, requirement in enumerate(requirements):
                    check_requirement(metadata, requirement, f"requirements[{position}]")
            except ApiError:
                self.count_table(table, "commits_failed")
                raise
            try:
                new = apply_updates(metadata, updates)
            except ApiError:
                self.count_table(table, "commits_rejected")
                raise
            if new is not None:
                previous = metadata
                new["last-updated-ms"] = max(now_ms(), previous["last-updated-ms"])
                log_entries = new["metadata-log"] + [{
                    "metadata-file": table.metadata_location,
                    "timestamp-ms": previous["last-updated-ms"]}]
                try:
                    keep = int(new["properties"].get("write.metadata.previous-versions-max",
                                                     "100"))
                except ValueError:
                    keep = 100
                new["metadata-log"] = log_entries[-max(keep, 1):]
                location, path = self.write_metadata(new["location"], table.version + 1, new)
                table.metadata, table.metadata_location = new, location
                table.metadata_file, table.version = path, table.version + 1
            self.count_table(table, "commits_ok")
            return {"metadata-location": table.metadata_location,
                    "metadata": copy.deepcopy(table.metadata)}


REQUIREMENT_SHAPES = {
    "assert-create": (),
    "assert-table-uuid": ("uuid",),
    "assert-ref-snapshot-id": ("ref", "snapshot-id"),
    "assert-last-assigned-field-id": ("last-assigned-field-id",),
    "assert-current-schema-id": ("current-schema-id",),
    "assert-last-assigned-partition-id": ("last-assigned-partition-id",),
    "assert-default-spec-id": ("default-spec-id",),
    "assert-default-sort-order-id": ("default-sort-order-id",),
}


def check_requirement_shape(requirement, what):
    if not isinstance(requirement, dict) or not isinstance(requirement.get("type"), str):
        raise bad(f"{what} must be an object with a type")
    kind = requirement["type"]
    if kind not in REQUIREMENT_SHAPES:
        raise bad(f"{what}: unknown requirement type {kind!r}")
    keys = REQUIREMENT_SHAPES[kind]
    expect_object(requirement, what, ("type",) + keys, ("type",) + keys)
    for key in keys:
        value = requirement[key]
        if key == "uuid" or key == "ref":
            expect_str(value, f"{what}.{key}")
        elif key == "snapshot-id":
            if value is not None:
                expect_int(value, f"{what}.snapshot-id", -1)
        else:
            expect_int(value, f"{what}.{key}", -1, 2147483647)


def check_requirement(metadata, requirement, what):
    kind = requirement["type"]
    if kind == "assert-create":
        raise conflict("Requirement failed: table already exists")
    if kind == "assert-table-uuid":
        if requirement["uuid"].lower() != metadata["table-uuid"]:
            raise conflict(f"Requirement failed: UUID does not match: expected "
                           f"{metadata['table-uuid']} != {requirement['uuid']}")
        return
    if kind == "assert-ref-snapshot-id":
        ref_name, expected = requirement["ref"], requirement["snapshot-id"]
        if expected == -1:
            expected = None
        ref = metadata["refs"].get(ref_name)
        if ref is None:
            if expected is not None:
                raise conflict(f"Requirement failed: branch or tag {ref_name} is missing, "
                               f"expected {expected}")
            return
        if expected is None:
            raise conflict(f"Requirement failed: {ref['type']} {ref_name} was created "
                           f"concurrently")
        if ref["snapshot-id"] != expected:
            raise conflict(f"Requirement failed: {ref['type']} {ref_name} has changed: expected "
                           f"id {expected} != {ref['snapshot-id']}")
        return
    fields = {
        "assert-last-assigned-field-id": ("last-assigned-field-id", "last-column-id",
                                          "last assigned field id"),
        "assert-current-schema-id": ("current-schema-id", "current-schema-id",
                                     "current schema"),
        "assert-last-assigned-partition-id": ("last-assigned-partition-id",
                                              "last-partition-id",
                                              "last assigned partition id"),
        "assert-default-spec-id": ("default-spec-id", "default-spec-id", "default partition "
                                                                          "spec"),
        "assert-default-sort-order-id": ("default-sort-order-id", "default-sort-order-id",
                                         "default sort order"),
    }
    key, metadata_key, label = fields[kind]
    if requirement[key] != metadata[metadata_key]:
        raise conflict(f"Requirement failed: {label} changed: expected id {requirement[key]} != "
                       f"{metadata[metadata_key]}")


def find_snapshot(metadata, snapshot_id):
    for snapshot in metadata["snapshots"]:
        if snapshot["snapshot-id"] == snapshot_id:
            return snapshot
    return None


def parse_snapshot(value, metadata, now):
    what = "add-snapshot.snapshot"
    expect_object(value, what, ("snapshot-id", "parent-snapshot-id", "sequence-number",
                                "timestamp-ms", "manifest-list", "manifests", "summary",
                                "schema-id", "first-row-id", "added-rows"),
                  ("snapshot-id", "timestamp-ms", "summary"))
    if "manifests" in value:
        raise bad(f"{what}: manifests (format v1) are not allowed in a v2 table; use "
                  f"manifest-list")
    for key in ("first-row-id", "added-rows"):
        if key in value:
            raise bad(f"{what}: {key} needs format version 3")
    if "manifest-list" not in value:
        raise bad(f"{what}: missing required field manifest-list")
    if "sequence-number" not in value:
        raise bad(f"{what}: missing sequence-number (required in format v2)")
    snapshot_id = expect_int(value["snapshot-id"], f"{what}.snapshot-id", 1)
    if find_snapshot(metadata, snapshot_id) is not None:
        raise bad(f"Snapshot already exists: {snapshot_id}")
    parent = value.get("parent-snapshot-id")
    if parent is not None:
        expect_int(parent, f"{what}.parent-snapshot-id", 1)
        if find_snapshot(metadata, parent) is None:
            raise bad(f"{what}: parent snapshot {parent} does not exist")
    sequence = expect_int(value["sequence-number"], f"{what}.sequence-number", 0)
    expected = metadata["last-sequence-number"] + 1
    if sequence != expected:
        raise bad(f"Cannot add snapshot with sequence number {sequence}: the table's "
                  f"last-sequence-number is {metadata['last-sequence-number']}, so it must be "
                  f"{expected}")
    timestamp = expect_int(value["timestamp-ms"], f"{what}.timestamp-ms", 0)
    if timestamp > now + ONE_MINUTE_MS:
        raise bad(f"{what}.timestamp-ms {timestamp} is more than a minute in the future "
                  f"(now {now}; milliseconds expected)")
    if metadata["snapshot-log"] and \
            timestamp < metadata["snapshot-log"][-1]["timestamp-ms"] - ONE_MINUTE_MS:
        raise bad(f"Invalid snapshot timestamp {timestamp}: before last snapshot log entry "
                  f"at {metadata['snapshot-log'][-1]['timestamp-ms']}")
    manifest_list = expect_uri(value["manifest-list"], f"{what}.manifest-list")
    summary = expect_str_map(value["summary"], f"{what}.summary")
    if summary.get("operation") not in OPERATIONS:
        raise bad(f"{what}.summary.operation must be one of {sorted(OPERATIONS)}")
    for key in NUMERIC_SUMMARY_KEYS & set(summary):
        if not re.fullmatch(r"\d+", summary[key]):
            raise bad(f"{what}.summary.{key} must be a non-negative integer string, got "
                      f"{summary[key]!r}")
    result = {"sequence-number": sequence, "snapshot-id": snapshot_id}
    if parent is not None:
        result["parent-snapshot-id"] = parent
    result.update({"timestamp-ms": timestamp, "summary": summary,
                   "manifest-list": manifest_list})
    if "schema-id" in value:
        schema_id = expect_int(value["schema-id"], f"{what}.schema-id", 0, 2147483647)
        if not any(s["schema-id"] == schema_id for s in metadata["schemas"]):
            raise bad(f"{what}: schema {schema_id} does not exist")
        result["schema-id"] = schema_id
    return result


def add_schema(metadata, update):
    expect_object(update, "add-schema", ("action", "schema", "last-column-id"),
                  ("action", "schema"))
    fields, identifiers, index = parse_schema(update["schema"], "add-schema.schema")
    old_last = metadata["last-column-id"]
    known = {}
    for schema in metadata["schemas"]:
        known.update(index_of_schema(schema).fields)
    current_schema = next(s for s in metadata["schemas"]
                          if s["schema-id"] == metadata["current-schema-id"])
    current = index_of_schema(current_schema).fields
    for field_id, info in index.fields.items():
        if field_id <= old_last:
            old = known.get(field_id)
            if old is None:
                raise bad(f"add-schema: field id {field_id} ({info['name']}) is not above "
                          f"last-column-id {old_last} but no schema has it: new fields need "
                          f"new ids")
            if isinstance(old["type"], dict) or isinstance(info["type"], dict):
                if old["kind"] != info["kind"]:
                    raise bad(f"add-schema: field {field_id} ({info['name']}) changes from "
                              f"{old['kind']} to {info['kind']}")
            elif not can_promote(old["type"], info["type"]):
                raise bad(f"add-schema: field {field_id} ({info['name']}) cannot change type "
                          f"from {old['type']} to {info['type']}")
            if field_id in current and info["required"] and not current[field_id]["required"]:
                raise bad(f"add-schema: optional field {field_id} ({info['name']}) cannot "
                          f"become required")
        elif info["required"] and (info["parent"] is None or info["parent"] <= old_last):
            raise bad(f"add-schema: new field {field_id} ({info['name']}) must be optional "
                      f"(format v2 has no default values)")
    highest = index.highest()
    last_column = max(old_last, highest)
    if "last-column-id" in update:
        requested = expect_int(update["last-column-id"], "add-schema.last-column-id", 0,
                               2147483647)
        if requested < old_last:
            raise bad(f"Invalid last column ID: {requested} < {old_last} (previous last "
                      f"column ID)")
        if requested < highest:
            raise bad(f"Invalid last column ID: {requested} < {highest} (highest id in the "
                      f"schema)")
        last_column = requested
    for schema in metadata["schemas"]:
        if schema["fields"] == fields and schema.get("identifier-field-ids", []) == identifiers:
            metadata["last-column-id"] = last_column
            return schema["schema-id"]
    schema_id = max(s["schema-id"] for s in metadata["schemas"]) + 1
    metadata["schemas"].append(schema_json(schema_id, fields, identifiers))
    metadata["last-column-id"] = last_column
    return schema_id


def apply_updates(metadata, updates):
    """Returns the new metadata, or None when the updates change nothing. Raises ApiError."""
    new = copy.deepcopy(metadata)
    now = now_ms()
    added_snapshots = {}
    last_added_snapshot = None
    last_added_schema = None
    for position, update in enumerate(updates):
        action = update["action"]
        what = f"updates[{position}] ({action})"
        if action == "add-snapshot":
            expect_object(update, what, ("action", "snapshot"), ("action", "snapshot"))
            snapshot = parse_snapshot(update["snapshot"], new, now)
            new["snapshots"].append(snapshot)
            new["last-sequence-number"] = snapshot["sequence-number"]
            added_snapshots[snapshot["snapshot-id"]] = snapshot
            last_added_snapshot = snapshot["snapshot-id"]
        elif action == "set-snapshot-ref":
            expect_object(update, what, ("action", "ref-name", "type", "snapshot-id",
                                         "max-ref-age-ms", "max-snapshot-age-ms",
                                         "min-snapshots-to-keep"),
                          ("action", "ref-name", "type", "snapshot-id"))
            ref_name = expect_str(update["ref-name"], f"{what}.ref-name")
            ref_type = update["type"]
            if ref_type not in ("branch", "tag"):
                raise bad(f"{what}.type must be branch or tag")
            if ref_name == "main" and ref_type != "branch":
                raise bad(f"{what}: main must be a branch")
            snapshot_id = expect_int(update["snapshot-id"], f"{what}.snapshot-id", -1)
            if snapshot_id == -1:
                if last_added_snapshot is None:
                    raise bad(f"{what}: snapshot-id -1 (last added) but this commit adds none")
                snapshot_id = last_added_snapshot
            snapshot = find_snapshot(new, snapshot_id)
            if snapshot is None:
                raise bad(f"{what}: cannot set {ref_name} to unknown snapshot {snapshot_id}")
            ref = {"snapshot-id": snapshot_id, "type": ref_type}
            for key in ("max-ref-age-ms", "max-snapshot-age-ms", "min-snapshots-to-keep"):
                if key in update and update[key] is not None:
                    if ref_type == "tag" and key != "max-ref-age-ms":
                        raise bad(f"{what}: {key} is not allowed for a tag")
                    ref[key] = expect_int(update[key], f"{what}.{key}", 1)
            if new["refs"].get(ref_name) == ref:
                continue
            new["refs"][ref_name] = ref
            if ref_name == "main":
                new["current-snapshot-id"] = snapshot_id
                stamp = snapshot["timestamp-ms"] if snapshot_id in added_snapshots else now
                new["snapshot-log"].append({"timestamp-ms": stamp, "snapshot-id": snapshot_id})
        elif action == "remove-snapshot-ref":
            expect_object(update, what, ("action", "ref-name"), ("action", "ref-name"))
            ref_name = expect_str(update["ref-name"], f"{what}.ref-name")
            if new["refs"].pop(ref_name, None) is not None and ref_name == "main":
                new["current-snapshot-id"] = -1
        elif action == "add-schema":
            last_added_schema = add_schema(new, update)
        elif action == "set-current-schema":
            expect_object(update, what, ("action", "schema-id"), ("action", "schema-id"))
            schema_id = expect_int(update["schema-id"], f"{what}.schema-id", -1, 2147483647)
            if schema_id == -1:
                if last_added_schema is None:
                    raise bad(f"{what}: schema-id -1 (last added) but this commit adds none")
                schema_id = last_added_schema
            if not any(s["schema-id"] == schema_id for s in new["schemas"]):
                raise bad(f"{what}: schema {schema_id} does not exist")
            new["current-schema-id"] = schema_id
        elif action == "set-properties":
            expect_object(update, what, ("action", "updates"), ("action", "updates"))
            values = expect_str_map(update["updates"], f"{what}.updates")
            if "format-version" in values:
                raise bad(f"{what}: format-version is reserved; use upgrade-format-version")
            new["properties"].update(values)
        elif action == "remove-properties":
            expect_object(update, what, ("action", "removals"), ("action", "removals"))
            removals = update["removals"]
            if not isinstance(removals, list):
                raise bad(f"{what}.removals must be a list of strings")
            for key in removals:
                new["properties"].pop(expect_str(key, f"{what}.removals[]"), None)
        elif action == "assign-uuid":
            expect_object(update, what, ("action", "uuid"), ("action", "uuid"))
            if expect_str(update["uuid"], f"{what}.uuid").lower() != new["table-uuid"]:
                raise bad(f"{what}: cannot change the table uuid")
        elif action == "upgrade-format-version":
            expect_object(update, what, ("action", "format-version"),
                          ("action", "format-version"))
            version = expect_int(update["format-version"], f"{what}.format-version", 1, 99)
            if version < 2:
                raise bad(f"{what}: cannot downgrade format version 2 to {version}")
            if version > 2:
                raise bad(f"{what}: format version {version} is not supported here")
        elif action == "set-location":
            expect_object(update, what, ("action", "location"), ("action", "location"))
            new["location"] = expect_uri(update["location"], f"{what}.location").rstrip("/")
        elif action in UNSUPPORTED_ACTIONS:
            raise bad(f"{what}: update action {action!r} is not supported by this test catalog")
        else:
            raise bad(f"{what}: unknown update action {action!r}")
    return None if new == metadata else new


# ---- SigV4 for non-S3 services ----------------------------------------------------------------

def remove_dot_segments(path):
    """The path AWS non-S3 services sign: '.', '..' and empty segments removed."""
    if not path:
        return "/"
    out = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if out:
                out.pop()
            continue
        out.append(segment)
    result = "/" + "/".join(out)
    if path.endswith("/") and out:
        result += "/"
    return result


def verify_sigv4_service(method, raw_path, headers, body, credentials, service, region,
                         max_skew):
    """Raises AuthError unless the request carries a valid SigV4 signature for SERVICE/REGION
    (rules of non-S3 services: normalised, double-encoded canonical URI)."""
    authorization = headers.get("Authorization")
    if authorization is None:
        raise AuthError("MissingAuthenticationToken", "no Authorization header")
    scope, signed_text, signature = parse_authorization(authorization, service)
    access_key, scope_date, scope_region, _, _ = scope
    if scope_region != region:
        raise AuthError("InvalidSignatureException",
                        f"credential scope region {scope_region!r} is not {region!r}")
    secret = credentials.get(access_key)
    if secret is None:
        raise AuthError("UnrecognizedClientException", "The security token included in the "
                        "request is invalid (unknown access key id).")
    signed = signed_text.split(";")
    if any(name != name.lower() or name == "" for name in signed):
        raise AuthError("InvalidSignatureException", "SignedHeaders must be lower-case names")
    if signed != sorted(set(signed)):
        raise AuthError("InvalidSignatureException", "SignedHeaders must be sorted, no duplicates")
    for required in ("host", "x-amz-date"):
        if required not in signed:
            raise AuthError("InvalidSignatureException", f"{required} must be a signed header")
    if "x-amz-security-token" in headers and "x-amz-security-token" not in signed:
        raise AuthError("InvalidSignatureException", "x-amz-security-token must be signed")
    for name in signed:
        if headers.get(name) is None:
            raise AuthError("InvalidSignatureException", f"signed header {name} is missing")
    amz_date = headers.get("x-amz-date", "")
    try:
        request_time = datetime.datetime.strptime(amz_date, AMZ_DATE_FORMAT).replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        raise AuthError("InvalidSignatureException", f"x-amz-date {amz_date!r} is not "
                        f"YYYYMMDDTHHMMSSZ")
    if amz_date[:8] != scope_date:
        raise AuthError("InvalidSignatureException", "credential scope date does not match "
                        "x-amz-date")
    skew = abs((datetime.datetime.now(datetime.timezone.utc) - request_time).total_seconds())
    if skew > max_skew:
        raise AuthError("InvalidSignatureException", "Signature expired: x-amz-date is too far "
                        "from the server's time")
    actual = hashlib.sha256(body).hexdigest()
    payload_hash = headers.get("x-amz-content-sha256")
    if payload_hash is None:
        payload_hash = actual
    elif not hmac.compare_digest(payload_hash.lower().encode(), actual.encode()):
        raise AuthError("InvalidSignatureException", "x-amz-content-sha256 does not match the "
                        "SHA-256 of the body")
    path, _, query = raw_path.partition("?")
    canonical_uri = urllib.parse.quote_from_bytes(
        remove_dot_segments(path).encode("latin-1"), safe="/~")
    canonical_headers = "".join(
        f"{name}:{','.join(' '.join(v.split()) for v in headers.get_all(name))}\n"
        for name in signed)
    canonical_request = "\n".join((method, canonical_uri, canonical_query(query),
                                   canonical_headers, signed_text, payload_hash))
    credential_scope = "/".join((scope_date, region, service, "aws4_request"))
    string_to_sign = "\n".join((ALGORITHM, amz_date, credential_scope,
                                hashlib.sha256(canonical_request.encode("latin-1")).hexdigest()))
    expected = hmac.new(signing_key(secret, scope_date, region, service),
                        string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
        raise AuthError("InvalidSignatureException",
                        "The request signature we calculated does not match the signature you "
                        "provided.")


# ---- HTTP -------------------------------------------------------------------------------------

class ClientGone(Exception):
    pass


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "iceberg_catalog"
    sys_version = ""
    catalog = None  # set by main()
    timeout = 60.0
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # headers and body leave in one write (flushed by send())

    def log_request(self, code="-", size="-"):
        pass

    def log_message(self, format, *args):  # noqa: A002 (http.server's name)
        log(f"{self.address_string()} {format % args}")

    def do_GET(self):
        self.handle_any()

    do_HEAD = do_POST = do_DELETE = do_PUT = do_PATCH = do_GET

    def handle_expect_100(self):
        super().handle_expect_100()
        self.wfile.flush()  # wfile is buffered: the 100 Continue must leave now
        return True

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            self.close_connection = True

    # -- plumbing --

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise ClientGone("connection closed inside a chunked body")
                size = int(line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise ClientGone("body too large")
                data = self.rfile.read(size)
                if len(data) != size:
                    raise ClientGone("connection closed inside a chunk")
                chunks.append(data)
                self.rfile.readline(3)
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

    def send(self, status, body=b"", content_type="application/json", headers=()):
        self.send_response_only(status)
        self.send_header("Server", self.version_string())
        self.send_header("Date", self.date_time_string())
        for name, value in headers:
            self.send_header(name, value)
        if status not in (204, 304):
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", "0" if self.command == "HEAD" else str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)
        self.wfile.flush()

    def vend(self, answer):
        """With --vend-credentials, answers a load or create that asks for vended credentials
        (X-Iceberg-Access-Delegation: vended-credentials) with storage-credentials for the
        table's location, as catalogs that vend do."""
        wanted = self.headers.get("X-Iceberg-Access-Delegation", "")
        if not self.catalog.args.vend_credentials or "vended-credentials" not in [
                part.strip() for part in wanted.split(",")]:
            return answer
        key, secret = self.catalog.args.vend_credentials.split(":", 1)
        expires = int((time.time() + 3600) * 1000)
        answer = dict(answer)
        answer["storage-credentials"] = [{
            "prefix": answer["metadata"]["location"],
            "config": {"s3.access-key-id": key, "s3.secret-access-key": secret,
                       "s3.session-token-expires-at-ms": str(expires)}}]
        self.catalog.count("credentials_vended")
        return answer

    def send_json(self, status, value, headers=()):
        self.send(status, json.dumps(value).encode() + b"\n", headers=headers)

    def send_error_json(self, error):
        self.send_json(error.status, {"error": {"message": error.message,
                                                "type": error.error_type,
                                                "code": error.status}}, error.headers)

    def json_body(self, body):
        if not body:
            raise bad("a JSON request body is required")
        try:
            value = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise bad(f"malformed JSON body: {error}")
        if not isinstance(value, dict):
            raise bad("the request body must be a JSON object")
        return value

    # -- routing --

    def route(self):
        """Returns (kind, params) for the request, or raises ApiError."""
        args = self.catalog.args
        path, _, query = self.path.partition("?")
        if args.base_path:
            if not (path == args.base_path or path.startswith(args.base_path + "/")):
                raise ApiError(404, "NotFoundException", f"no route for {path}")
            path = path[len(args.base_path):]
        raw = path.split("/")
        if raw[:2] != ["", "v1"]:
            raise ApiError(404, "NotFoundException", f"no route for {path}")
        try:
            segments = [urllib.parse.unquote(s, errors="strict") for s in raw[2:]]
        except UnicodeDecodeError:
            raise bad("the path is not valid percent-encoded UTF-8")
        params = {"query": urllib.parse.parse_qs(query, keep_blank_values=True)}
        if segments == ["config"]:
            return self.expect_method(("GET",), "config"), params
        if segments == ["oauth", "tokens"] and args.oauth2:
            return self.expect_method(("POST",), "oauth_token"), params
        if args.prefix:
            for length in range(1, len(segments) + 1):
                if "/".join(segments[:length]) == args.prefix:
                    segments = segments[length:]
                    break
            else:
                raise ApiError(404, "NotFoundException",
                               f"no route for {path} (the prefix is {args.prefix!r})")
        if any(s == "" for s in segments) or not segments or segments[0] != "namespaces":
            raise ApiError(404, "NotFoundException", f"no route for {path}")
        if len(segments) == 1:
            return {"GET": "list_namespaces", "POST": "create_namespace"}[
                self.expect_method(("GET", "POST"))], params
        params["namespace"] = self.catalog.parse_namespace_segment(segments[1])
        if len(segments) == 2:
            return {"GET": "load_namespace", "HEAD": "namespace_exists",
                    "DELETE": "drop_namespace"}[
                self.expect_method(("GET", "HEAD", "DELETE"))], params
        if segments[2] != "tables" or len(segments) > 4:
            raise ApiError(404, "NotFoundException", f"no route for {path}")
        if len(segments) == 3:
            return {"GET": "list_tables", "POST": "create_table"}[
                self.expect_method(("GET", "POST"))], params
        params["table"] = segments[3]
        return {"GET": "load_table", "HEAD": "table_exists", "POST": "commit",
                "DELETE": "drop_table"}[
            self.expect_method(("GET", "HEAD", "POST", "DELETE"))], params

    def expect_method(self, methods, result=None):
        if self.command not in methods:
            raise ApiError(405, "MethodNotAllowedException",
                           f"{self.command} is not allowed here",
                           [("Allow", ", ".join(methods))])
        return result if result is not None else self.command

    # -- authentication --

    def authenticate(self, body):
        args = self.catalog.args
        if args.sigv4:
            try:
                verify_sigv4_service(self.command, self.path, self.headers, body,
                                     args.credentials, args.sigv4_service, args.sigv4_region,
                                     args.max_skew)
            except AuthError as error:
                self.catalog.count("sigv4_failures")
                raise ApiError(403, "ForbiddenException", f"{error.code}: {error.message}")
            return
        if not args.token and not args.oauth2:
            return
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        challenge = [("WWW-Authenticate", 'Bearer realm="iceberg"')]
        if scheme.lower() != "bearer" or not token:
            self.catalog.count("auth_failures")
            raise ApiError(401, "NotAuthorizedException", "Bearer token required", challenge)
        if args.token and hmac.compare_digest(token.encode(), args.token.encode()):
            return
        if args.oauth2:
            state = self.catalog.token_state(token)
            if state == "live":
                return
            if state == "expired":
                self.catalog.count("auth_failures")
                raise ApiError(419, "AuthenticationTimeoutException",
                               "The bearer token has expired", challenge)
        self.catalog.count("auth_failures")
        raise ApiError(401, "NotAuthorizedException", "Invalid bearer token", challenge)

    def oauth_token(self, body):
        """POST /v1/oauth/tokens; returns (status, JSON answer)."""
        args = self.catalog.args
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            return 400, {"error": "invalid_request",
                         "error_description": "the body must be application/x-www-form-"
                                              "urlencoded"}
        try:
            form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True,
                                         strict_parsing=bool(body))
        except (UnicodeDecodeError, ValueError):
            return 400, {"error": "invalid_request", "error_description": "malformed form body"}
        if any(len(values) != 1 for values in form.values()):
            return 400, {"error": "invalid_request", "error_description": "repeated parameter"}
        form = {key: values[0] for key, values in form.items()}
        grant = form.get("grant_type")
        if grant == "client_credentials":
            client_id, client_secret = form.get("client_id"), form.get("client_secret")
            basic = self.headers.get("Authorization", "")
            if basic.lower().startswith("basic "):
                try:
                    decoded = base64.b64decode(basic[6:].strip(), validate=True).decode()
                except (ValueError, UnicodeDecodeError):
                    return 400, {"error": "invalid_request",
                                 "error_description": "malformed Basic credentials"}
                client_id, _, client_secret = decoded.partition(":")
                client_id = urllib.parse.unquote(client_id)
                client_secret = urllib.parse.unquote(client_secret)
            if client_id is None or client_secret is None:
                return 400, {"error": "invalid_request",
                             "error_description": "client_id and client_secret are required"}
            want_id, want_secret = args.oauth2
            if not (hmac.compare_digest(client_id.encode(), want_id.encode())
                    and hmac.compare_digest(client_secret.encode(), want_secret.encode())):
                self.catalog.count("auth_failures")
                return 401, {"error": "invalid_client",
                             "error_description": "Credentials for the client are invalid"}
        elif grant == TOKEN_EXCHANGE:
            subject = form.get("subject_token")
            if not subject or self.catalog.token_state(subject) != "live":
                self.catalog.count("auth_failures")
                return 401, {"error": "invalid_client",
                             "error_description": "subject_token is not a live token"}
        else:
            return 400, {"error": "unsupported_grant_type",
                         "error_description": f"grant_type {grant!r} is not supported"}
        answer = {"access_token": self.catalog.issue_token(), "token_type": "bearer",
                  "expires_in": int(args.token_ttl), "issued_token_type": OAUTH_TOKEN_TYPE}
        if "scope" in form:
            answer["scope"] = form["scope"]
        return 200, answer

    # -- the request --

    def handle_any(self):
        started = time.monotonic()
        if self.path.startswith(CONTROL_PREFIX):
            self.handle_control()
            return
        try:
            body = self.read_body()
        except (ClientGone, ValueError) as error:
            log(f"{self.command} {self.path.partition('?')[0]} - (bad request body: {error})")
            self.close_connection = True
            return
        kind, status, fault, note = "-", 500, None, ""
        try:
            try:
                kind, params = self.route()
                route_error = None
            except ApiError as error:
                route_error, params = error, {}
            if kind != "oauth_token":
                self.authenticate(body)
            if route_error is not None:
                raise route_error
            fault, faults = self.catalog.roll(kind)
            if fault == "stall":
                time.sleep(faults["stall_seconds"])
            if fault == "error500" and kind != "commit":
                raise ApiError(500, "ServiceFailureException",
                               "Injected fault: internal error (nothing was done)")
            status = self.dispatch(kind, params, body, fault, faults)
        except ApiError as error:
            status = error.status
            note = error.message
            try:
                self.send_error_json(error)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                self.close_connection = True
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True
        except Exception as error:  # a bug here: answer 500 and keep serving
            status, note = 500, f"internal error {type(error).__name__}: {error}"
            try:
                self.send_error_json(ApiError(500, "ServiceFailureException", note))
            except OSError:
                self.close_connection = True
        self.catalog.count_request(kind, status)
        elapsed = (time.monotonic() - started) * 1000
        text = (f"{self.command} {self.path.partition('?')[0]} {status} kind={kind} "
                f"fault={fault or '-'} {elapsed:.1f}ms")
        if note:
            text += f" ({note[:300]})"
        log(text)

    def dispatch(self, kind, params, body, fault, faults):
        catalog = self.catalog
        levels, name = params.get("namespace"), params.get("table")
        unknown = fault == "unknown_after_commit"

        def after_mutation(value, status=200):
            if unknown:
                chosen = catalog.pick_unknown_status(faults["unknown_statuses"])
                raise ApiError(chosen, "CommitStateUnknownException",
                               f"Injected fault: the {kind} was applied, but the answer is "
                               f"{chosen}")
            if value is None:
                self.send(status)
            else:
                self.send_json(status, value)
            return status

        if kind == "config":
            return self.config(params)
        if kind == "oauth_token":
            status, answer = self.oauth_token(body)
            self.send_json(status, answer, [("Cache-Control", "no-store")])
            return status
        if kind == "list_namespaces":
            parent = params["query"].get("parent")
            parent = catalog.parse_namespace_segment(parent[0]) if parent else None
            self.send_json(200, catalog.list_namespaces(parent))
            return 200
        if kind == "create_namespace":
            return after_mutation(catalog.create_namespace(self.json_body(body)))
        if kind == "load_namespace":
            self.send_json(200, catalog.load_namespace(levels))
            return 200
        if kind == "namespace_exists":
            catalog.load_namespace(levels)
            self.send(204)
            return 204
        if kind == "drop_namespace":
            catalog.drop_namespace(levels)
            return after_mutation(None, 204)
        if kind == "list_tables":
            self.send_json(200, catalog.list_tables(levels))
            return 200
        if kind == "create_table":
            value = self.json_body(body)
            _, answer = catalog.create_table(levels, value)
            return after_mutation(self.vend(answer))
        if kind == "load_table":
            snapshots = params["query"].get("snapshots")
            answer = catalog.load_table(levels, name, snapshots[0] if snapshots else None)
            self.send_json(200, self.vend(answer))
            return 200
        if kind == "table_exists":
            catalog.get_table(levels, name)
            self.send(204)
            return 204
        if kind == "drop_table":
            catalog.drop_table(levels, name)
            return after_mutation(None, 204)
        if kind == "commit":
            table = catalog.get_table(levels, name)
            try:
                requirements, updates = catalog.parse_commit(levels, name, self.json_body(body))
            except ApiError:
                catalog.count_table(table, "commits_rejected")
                raise
            answer = catalog.commit(table, requirements, updates, fault)
            if unknown:
                catalog.count_table(table, "unknown_after_commit")
            return after_mutation(answer)
        raise ApiError(404, "NotFoundException", f"no handler for {kind}")

    def config(self, params):
        args = self.catalog.args
        warehouse = params["query"].get("warehouse")
        if args.warehouse and warehouse and warehouse[0] != args.warehouse:
            raise ApiError(404, "NoSuchWarehouseException",
                           f"Warehouse {warehouse[0]!r} does not exist")
        defaults, overrides = {}, {}
        if args.prefix:
            (overrides if args.prefix_in == "overrides" else defaults)["prefix"] = args.prefix
        base = "/v1/{prefix}" if args.prefix else "/v1"
        endpoints = [f"{verb} {base}/namespaces{tail}" for verb, tail in (
            ("GET", ""), ("POST", ""), ("GET", "/{namespace}"), ("HEAD", "/{namespace}"),
            ("DELETE", "/{namespace}"), ("GET", "/{namespace}/tables"),
            ("POST", "/{namespace}/tables"), ("GET", "/{namespace}/tables/{table}"),
            ("HEAD", "/{namespace}/tables/{table}"), ("POST", "/{namespace}/tables/{table}"),
            ("DELETE", "/{namespace}/tables/{table}"))]
        if args.oauth2:
            endpoints.append("POST /v1/oauth/tokens")
        self.send_json(200, {"defaults": defaults, "overrides": overrides,
                             "endpoints": endpoints})
        return 200

    # -- control endpoints --

    def handle_control(self):
        path = self.path.partition("?")[0]
        try:
            body = self.read_body()
        except (ClientGone, ValueError) as error:
            log(f"control {path}: {error}")
            self.close_connection = True
            return
        catalog = self.catalog
        try:
            if path == "/__catalog/faults" and self.command == "POST":
                try:
                    faults = parse_faults(json.loads(body.decode() or "{}"))
                except ValueError as error:
                    raise bad(str(error))
                catalog.set_faults(faults)
                log(f"faults set to {json.dumps(faults, sort_keys=True)}")
                self.send_json(200, faults)
            elif path == "/__catalog/faults" and self.command == "GET":
                self.send_json(200, catalog.get_faults())
            elif path == "/__catalog/stats" and self.command == "GET":
                self.send_json(200, catalog.snapshot_stats())
            elif path == "/__catalog/reset" and self.command == "POST":
                try:
                    options = json.loads(body.decode() or "{}")
                except ValueError as error:
                    raise bad(str(error))
                expect_object(options, "reset", ("tables",))
                tables = expect_bool(options.get("tables", False), "tables")
                catalog.reset(tables=tables)
                log(f"reset: no faults, counters cleared{', tables forgotten' if tables else ''}")
                self.send_json(200, {"reset": True, "tables": tables})
            elif path.startswith("/__catalog/tables/") and self.command in ("GET", "HEAD"):
                parts = path[len("/__catalog/tables/"):].split("/")
                if len(parts) != 2:
                    raise ApiError(404, "NotFoundException", "use /__catalog/tables/{ns}/{table}")
                levels = catalog.parse_namespace_segment(urllib.parse.unquote(parts[0]))
                table = catalog.get_table(levels, urllib.parse.unquote(parts[1]))
                with table.lock:
                    metadata, location = table.metadata, table.metadata_location
                    local = table.metadata_file
                    text = json.dumps(metadata).encode() + b"\n"
                self.send(200, text, headers=[("X-Metadata-Location", location),
                                              ("X-Metadata-File", local)])
            else:
                raise ApiError(404, "NotFoundException",
                               f"no control endpoint {self.command} {path}")
        except ApiError as error:
            self.send_error_json(error)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionResetError, BrokenPipeError, socket.timeout)):
            return
        super().handle_error(request, client_address)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Strict Iceberg REST test catalog")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free one)")
    parser.add_argument("--port-file", help="file that receives the bound port once listening")
    parser.add_argument("--warehouse-dir", required=True,
                        help="local directory for metadata files")
    parser.add_argument("--warehouse-location",
                        help="URI tables live under (default file://<warehouse-dir>)")
    parser.add_argument("--warehouse", help="the only warehouse name /v1/config accepts")
    parser.add_argument("--prefix", default="", help="path prefix advertised by /v1/config")
    parser.add_argument("--prefix-in", choices=("overrides", "defaults"), default="overrides")
    parser.add_argument("--base-path", default="", help="path before /v1, e.g. /iceberg")
    parser.add_argument("--sigv4", metavar="SERVICE:REGION", help="require SigV4 signatures")
    parser.add_argument("--credentials", help="AKID:SECRET[,AKID:SECRET] for --sigv4")
    parser.add_argument("--max-skew", type=float, default=900.0,
                        help="allowed x-amz-date skew, seconds")
    parser.add_argument("--token", help="require Authorization: Bearer TOKEN")
    parser.add_argument("--oauth2", metavar="CLIENT_ID:SECRET",
                        help="serve /v1/oauth/tokens and require the tokens it issues")
    parser.add_argument("--token-ttl", type=float, default=3600.0,
                        help="lifetime of issued OAuth2 tokens, seconds")
    parser.add_argument("--field-ids", choices=("reverse", "java", "preserve"),
                        default="reverse", help="how CreateTable assigns field ids")
    parser.add_argument("--s3tables-names", action="store_true",
                        help="namespace and table names must match [0-9a-z_]{1,255}")
    parser.add_argument("--vend-credentials", metavar="AKID:SECRET",
                        help="answer loads that ask for vended credentials with these S3 keys")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault generator")
    parser.add_argument("--faults", help="initial fault settings, JSON")
    parser.add_argument("--idle-timeout", type=float, default=60.0,
                        help="close client connections idle this long, seconds")
    args = parser.parse_args(argv)

    args.warehouse_dir = os.path.abspath(args.warehouse_dir)
    os.makedirs(args.warehouse_dir, exist_ok=True)
    location = args.warehouse_location or "file://" + args.warehouse_dir
    if not URI_RE.match(location):
        parser.error("--warehouse-location must be an absolute URI such as s3://bucket/path")
    args.warehouse_location = location.rstrip("/")
    args.prefix = args.prefix.strip("/")
    args.base_path = args.base_path.rstrip("/")
    if args.base_path and not args.base_path.startswith("/"):
        parser.error("--base-path must start with /")
    if args.sigv4:
        service, sep, region = args.sigv4.partition(":")
        if not sep or not service or not region:
            parser.error("--sigv4 must be SERVICE:REGION, e.g. glue:us-east-1")
        if not args.credentials:
            parser.error("--sigv4 needs --credentials AKID:SECRET")
        if args.token or args.oauth2:
            parser.error("--sigv4 cannot be combined with --token or --oauth2")
        try:
            args.credentials = parse_credentials(args.credentials)
        except ValueError as error:
            parser.error(str(error))
        args.sigv4_service, args.sigv4_region = service, region
    if args.oauth2:
        client_id, sep, client_secret = args.oauth2.partition(":")
        if not sep or not client_id or not client_secret:
            parser.error("--oauth2 must be CLIENT_ID:SECRET")
        args.oauth2 = (client_id, client_secret)
    try:
        args.initial_faults = parse_faults(json.loads(args.faults)) if args.faults else None
    except ValueError as error:
        parser.error(f"--faults: {error}")

    Handler.catalog = Catalog(args)
    Handler.timeout = args.idle_timeout if args.idle_timeout > 0 else None
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
    auth = ("sigv4 " + args.sigv4 if args.sigv4 else
            "+".join(m for m, on in (("token", args.token), ("oauth2", args.oauth2)) if on)
            or "none")
    log(f"listening on {args.host}:{port}, warehouse {args.warehouse_location} "
        f"(files in {args.warehouse_dir}), prefix {args.prefix or '-'}, auth {auth}, "
        f"field ids {args.field_ids}, seed {args.seed}")
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
