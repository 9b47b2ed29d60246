#!/usr/bin/python3
"""Checks an Iceberg v2 table's whole snapshot history against the spec with an independent Avro
reader (Debian's python3-avro), for the end-to-end tests. Standard library + python3-avro only;
run it with /usr/bin/python3 (a pyenv python3 on PATH lacks python3-avro).

Usage: iceberg_verify.py [--expect-records N] [--json] [--map URI_PREFIX=DIR ...] METADATA
  METADATA          the table metadata JSON: a path, a file:// URI, or - for stdin (e.g. from
                    catalog_lib.sh's catalog_table NS TABLE); manifest lists, manifests and data
                    files must be file:// URIs (they are read from the local file system)
  --expect-records  the current snapshot must have exactly N live records
  --map             read URIs under URI_PREFIX (e.g. s3://bucket/wh, copied to DIR beforehand)
                    from DIR; may be repeated
  --json            print {"ok", "records", "files", "data_files": [local paths, or the URI when
                    it is not file://], "data_file_uris", "snapshots", "current_snapshot_id",
                    "sequence_number", "manifests", "failures", "warnings"} (one line) instead
                    of the summary line; the current snapshot's live data files, in manifest
                    order, for DuckDB (tests/js/duckdb_query.mjs, read_parquet.mjs)

What is checked (spec = apache/iceberg format/spec.md; "our contract" = docs/iceberg.md):
- Table metadata: format-version 2, the fields v2 makes required; refs.main and
  current-snapshot-id name the newest snapshot; last-sequence-number is its sequence number.
- History: linear (sorted by sequence number, each snapshot's parent is the previous one, the
  first has none), sequence numbers positive and strictly increasing, snapshot ids unique,
  every snapshot-log entry a known snapshot; a summary commit id (otlp2parquet.commit-id) at
  most once in the history (exactly-once, our contract).
- Every manifest list and manifest decodes with python3-avro; their writer schemas carry the v2
  field ids, names, optionality and types (spec "Manifests", "Manifest Lists", Appendix A;
  tables in tests/support/iceberg_avro_spec.py); manifests have the v2 key-value metadata
  (schema, schema-id, partition-spec, partition-spec-id, format-version "2", content "data")
  and these match the table metadata's schema and partition spec; manifest-list metadata, when
  present (Java writes it; the spec does not list it), names the snapshot, parent and sequence
  number.
- manifest_file records: required fields non-null; manifest_length = the file's size; every
  manifest of the parent's list is in the child's list unchanged; the manifests new in a
  snapshot have added_snapshot_id = the snapshot and sequence_number = its sequence number;
  min_sequence_number = the least data sequence number of the live entries; file and row
  counts = the entries; partition field summaries (contains_null exact, bounds enclosing).
- manifest entries: status 0..2; sequence numbers null only for ADDED (spec "Sequence Number
  Inheritance"); inherited values consistent (an ADDED entry belongs to the manifest's
  snapshot, its file sequence number is the manifest's); data_file required fields non-null,
  content 0, file_format parquet/avro/orc, file_path an absolute URI, the file exists with
  file_size_in_bytes bytes (Parquet: PAR1 at both ends); split_offsets ascending inside the
  file; metric map keys are field ids of the manifest's schema, NaN counts only for
  float/double, null counts <= value counts; the partition tuple has the spec's fields and its
  time-transform values agree with the source column's bounds. Warnings (not failures): data
  files outside write.data.path (default {location}/data), manifests outside
  write.metadata.path (default {location}/metadata).
- Snapshots: operation "append"; no live data file twice; added-data-files, added-records,
  added-files-size (absent = 0, as Java omits zeros), total-data-files, total-records,
  total-files-size (warning when absent) and deleted-* agree with the manifests.
Exit status: 0 ok, 1 a violation (each printed as "iceberg_verify: FAIL: ..." on stderr), 2 usage
or unreadable metadata JSON, 77 python3-avro missing.
"""
import argparse
import datetime
import json
import os
import struct
import sys
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree for the import below
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
try:
    from iceberg_avro_spec import (  # noqa: E402  (after the path set-up)
        MANIFEST_FILE, SchemaCheck, read_container)
except ImportError as error:
    print(f"iceberg_verify: python3-avro is not installed ({error}); skipping", file=sys.stderr)
    sys.exit(77)

COMMIT_ID_KEY = "otlp2parquet.commit-id"
V2_TABLE_FIELDS = ("format-version", "table-uuid", "location", "last-sequence-number",
                   "last-updated-ms", "last-column-id", "schemas", "current-schema-id",
                   "partition-specs", "default-spec-id", "last-partition-id", "sort-orders",
                   "default-sort-order-id")
V2_SNAPSHOT_FIELDS = ("snapshot-id", "sequence-number", "timestamp-ms", "manifest-list",
                      "summary")
DATA_FILE_REQUIRED = ("content", "file_path", "file_format", "partition", "record_count",
                      "file_size_in_bytes")
METRIC_MAPS = ("column_sizes", "value_counts", "null_value_counts", "nan_value_counts",
               "lower_bounds", "upper_bounds")
STATUS_EXISTING, STATUS_ADDED, STATUS_DELETED = 0, 1, 2
MICROS_PER_HOUR = 3_600_000_000
MICROS_PER_DAY = 24 * MICROS_PER_HOUR


class Unreadable(Exception):
    pass


URI_MAPS = []  # (uri prefix, local directory), from --map


def local_path(uri):
    """The local path of a file:// URI or a --map'ed one; Unreadable for anything else."""
    for prefix, directory in URI_MAPS:
        if uri.startswith(prefix + "/"):
            return os.path.join(directory, uri[len(prefix) + 1:])
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise Unreadable(f"{uri}: only file:// URIs can be read here")
    return urllib.parse.unquote(parsed.path)


def file_size(uri):
    try:
        return os.path.getsize(local_path(uri))
    except OSError as error:
        raise Unreadable(f"{uri}: {error.strerror}") from error


def field_types(struct_type, out=None):
    """{field id: Iceberg type} of every field, list element and map key/value of a schema."""
    out = {} if out is None else out

    def visit(type_):
        if not isinstance(type_, dict):
            return
        kind = type_.get("type")
        if kind == "struct":
            for field in type_.get("fields", []):
                out[field["id"]] = field["type"]
                visit(field["type"])
        elif kind == "list":
            out[type_["element-id"]] = type_["element"]
            visit(type_["element"])
        elif kind == "map":
            out[type_["key-id"]] = type_["key"]
            out[type_["value-id"]] = type_["value"]
            visit(type_["key"])
            visit(type_["value"])

    visit(struct_type)
    return out


def decode_bound(hex_value, type_):
    """A single-value serialization (spec Appendix D) of a primitive, or None when not decoded."""
    raw = bytes.fromhex(hex_value)
    if type_ in ("int", "date") and len(raw) == 4:
        return struct.unpack("<i", raw)[0]
    if type_ in ("long", "time", "timestamp", "timestamptz") and len(raw) == 8:
        return struct.unpack("<q", raw)[0]
    if type_ == "string":
        return raw.decode("utf-8", errors="replace")
    if type_ == "boolean" and len(raw) == 1:
        return raw[0] != 0
    return None


def time_transform(transform, source_type, value):
    """The partition value a time transform gives to a decoded source value, or None."""
    if source_type in ("timestamp", "timestamptz"):
        if transform == "hour":
            return value // MICROS_PER_HOUR
        days = value // MICROS_PER_DAY
    elif source_type == "date":
        days = value
    else:
        return None
    if transform == "day":
        return days
    if transform in ("month", "year"):
        date = datetime.date(1970, 1, 1) + datetime.timedelta(days=days)
        months = (date.year - 1970) * 12 + date.month - 1
        return months if transform == "month" else date.year - 1970
    return None


class Verifier:
    def __init__(self, metadata):
        self.metadata = metadata
        self.failures = []
        self.warnings = []
        # Spec rules: optional fields may be absent, ids the spec does not define are failures.
        self.schemas = SchemaCheck(all_optional=False, failures=self.failures)
        self.manifests = {}  # manifest path -> decoded manifest (once per file)
        self.checked_data_files = set()

    def fail(self, message):
        self.failures.append(message)

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)
        return condition

    # --- table metadata ---------------------------------------------------------------------

    def table_schema(self, schema_id):
        for schema in self.metadata.get("schemas", []):
            if schema.get("schema-id") == schema_id:
                return schema
        return None

    def partition_spec(self, spec_id):
        for spec in self.metadata.get("partition-specs", []):
            if spec.get("spec-id") == spec_id:
                return spec
        return None

    def check_table(self):
        meta = self.metadata
        self.check(meta.get("format-version") == 2,
                   f"table metadata format-version is {meta.get('format-version')}, must be 2")
        for key in V2_TABLE_FIELDS:
            self.check(key in meta, f"table metadata lacks '{key}' (required in v2)")
        self.check(self.table_schema(meta.get("current-schema-id")) is not None,
                   f"current-schema-id {meta.get('current-schema-id')} is not in schemas")
        self.check(self.partition_spec(meta.get("default-spec-id")) is not None,
                   f"default-spec-id {meta.get('default-spec-id')} is not in partition-specs")

    def history(self):
        """The snapshots, oldest first, after checking that the history is linear."""
        meta = self.metadata
        snapshots = list(meta.get("snapshots") or [])
        ids = [s.get("snapshot-id") for s in snapshots]
        self.check(len(set(ids)) == len(ids), f"snapshot ids are not unique: {ids}")
        for snap in snapshots:
            for key in V2_SNAPSHOT_FIELDS:
                self.check(snap.get(key) is not None,
                           f"snapshot {snap.get('snapshot-id')} lacks '{key}' (required in v2)")
            if not isinstance(snap.get("sequence-number"), int):
                snap["sequence-number"] = -1
        snapshots.sort(key=lambda s: s["sequence-number"])
        previous = None
        for snap in snapshots:
            sid, seq = snap.get("snapshot-id"), snap["sequence-number"]
            self.check(seq >= 1, f"snapshot {sid}: sequence-number {seq} must be positive")
            if previous is None:
                self.check(snap.get("parent-snapshot-id") is None,
                           f"snapshot {sid} (the oldest, sequence {seq}) has parent "
                           f"{snap.get('parent-snapshot-id')}, which is not in the table: the "
                           "history is incomplete")
            else:
                self.check(seq > previous["sequence-number"],
                           f"snapshots {previous['snapshot-id']} and {sid} share sequence "
                           f"number {seq}")
                self.check(snap.get("parent-snapshot-id") == previous["snapshot-id"],
                           f"snapshot {sid} (sequence {seq}) has parent "
                           f"{snap.get('parent-snapshot-id')}, but the previous snapshot is "
                           f"{previous['snapshot-id']} (sequence {previous['sequence-number']}): "
                           "the history is not linear")
            previous = snap
        current = meta.get("current-snapshot-id")
        if current in (None, -1):
            self.check(not snapshots, "the table has snapshots but no current-snapshot-id")
        elif snapshots:
            newest = snapshots[-1]
            self.check(current == newest["snapshot-id"],
                       f"current-snapshot-id {current} is not the newest snapshot "
                       f"{newest['snapshot-id']}")
            self.check(meta.get("last-sequence-number") == newest["sequence-number"],
                       f"last-sequence-number {meta.get('last-sequence-number')} is not the "
                       f"newest snapshot's sequence number {newest['sequence-number']}")
            main = (meta.get("refs") or {}).get("main")
            if "refs" in meta:
                self.check(main is not None and main.get("snapshot-id") == current and
                           main.get("type") == "branch",
                           f"refs.main is {main}, must be the branch at {current}")
        else:
            self.fail(f"current-snapshot-id {current} is not in snapshots")
        known = set(ids)
        log = meta.get("snapshot-log") or []
        for entry in log:
            self.check(entry.get("snapshot-id") in known,
                       f"snapshot-log names snapshot {entry.get('snapshot-id')}, not in snapshots")
        if log and current not in (None, -1):
            self.check(log[-1].get("snapshot-id") == current,
                       "the last snapshot-log entry is not the current snapshot")
        commit_ids = {}
        for snap in snapshots:
            commit_id = (snap.get("summary") or {}).get(COMMIT_ID_KEY)
            if commit_id is not None:
                self.check(commit_id not in commit_ids,
                           f"{COMMIT_ID_KEY} {commit_id} is in snapshots "
                           f"{commit_ids.get(commit_id)} and {snap['snapshot-id']}: committed "
                           "twice")
                commit_ids[commit_id] = snap["snapshot-id"]
        return snapshots

    # --- manifests --------------------------------------------------------------------------

    def check_manifest_metadata(self, path, meta):
        where = f"manifest {path}"
        self.schemas.check_manifest_metadata(meta, where)
        self.check(meta.get("content") == "data",
                   f"{where}: metadata 'content' is {meta.get('content')!r}, an append-only "
                   "table has only 'data' manifests")
        try:
            schema = json.loads(meta.get("schema", "null"))
            spec_fields = json.loads(meta.get("partition-spec", "null"))
        except ValueError as error:
            self.fail(f"{where}: 'schema' or 'partition-spec' metadata is not JSON: {error}")
            return None, []
        schema_id = meta.get("schema-id", "")
        table_schema = self.table_schema(int(schema_id)) if schema_id.isdigit() else None
        if self.check(table_schema is not None,
                      f"{where}: schema-id {schema_id!r} is not a schema of the table"):
            self.check(isinstance(schema, dict) and
                       schema.get("fields") == table_schema.get("fields"),
                       f"{where}: 'schema' metadata differs from the table's schema {schema_id}")
        spec_id = meta.get("partition-spec-id", "")
        table_spec = self.partition_spec(int(spec_id)) if spec_id.isdigit() else None
        if self.check(table_spec is not None,
                      f"{where}: partition-spec-id {spec_id!r} is not a spec of the table"):
            self.check(spec_fields == table_spec.get("fields"),
                       f"{where}: 'partition-spec' metadata {spec_fields} differs from the "
                       f"table's spec {spec_id} {table_spec.get('fields')}")
        if not isinstance(schema, dict):
            schema = table_schema
        return schema, spec_fields if isinstance(spec_fields, list) else []

    def load_manifest(self, record):
        """Decodes and checks a manifest once; returns its entries (or None when unreadable)."""
        path = record["manifest_path"]
        if path in self.manifests:
            return self.manifests[path]
        self.manifests[path] = None
        metadata_root = (self.metadata.get("properties") or {}).get(
            "write.metadata.path", f"{self.metadata.get('location')}/metadata")
        if not path.startswith(metadata_root.rstrip("/") + "/"):
            self.warnings.append(f"manifest {path} is not under {metadata_root}/")
        try:
            meta, schema, entries = read_container(local_path(path))
        except Unreadable as error:
            self.fail(f"manifest {error}")
            return None
        except Exception as error:  # pylint: disable=broad-except
            self.fail(f"manifest {path}: python3-avro cannot decode it: {error!r}")
            return None
        table_schema, spec_fields = self.check_manifest_metadata(path, meta)
        self.schemas.check_manifest_schema(schema, spec_fields, table_schema, strict_day=False)
        decoded = {"entries": entries, "schema": table_schema or {}, "spec": spec_fields}
        self.check_entries(path, record, decoded)
        self.manifests[path] = decoded
        return decoded

    def effective(self, entry, record):
        """(snapshot id, data sequence number, file sequence number) after inheritance."""
        snapshot_id = entry.get("snapshot_id")
        data_seq = entry.get("sequence_number")
        file_seq = entry.get("file_sequence_number")
        return (record["added_snapshot_id"] if snapshot_id is None else snapshot_id,
                record["sequence_number"] if data_seq is None else data_seq,
                record["sequence_number"] if file_seq is None else file_seq)

    def check_entries(self, path, record, decoded):
        entries, spec_fields = decoded["entries"], decoded["spec"]
        types = field_types(decoded["schema"])
        counts = {STATUS_EXISTING: [0, 0], STATUS_ADDED: [0, 0], STATUS_DELETED: [0, 0]}
        live_seqs = []
        partition_values = [[] for _ in spec_fields]
        for index, entry in enumerate(entries):
            where = f"manifest {path} entry {index}"
            status = entry.get("status")
            if not self.check(status in counts, f"{where}: status {status} is not 0, 1 or 2"):
                continue
            data_file = entry.get("data_file") or {}
            for key in DATA_FILE_REQUIRED:
                self.check(data_file.get(key) is not None,
                           f"{where}: data_file.{key} is null (required)")
            if status != STATUS_ADDED:
                self.check(entry.get("sequence_number") is not None and
                           entry.get("file_sequence_number") is not None,
                           f"{where}: status {status} with a null sequence number (spec: only "
                           "ADDED entries inherit them)")
            snapshot_id, data_seq, file_seq = self.effective(entry, record)
            if status == STATUS_ADDED:
                self.check(snapshot_id == record["added_snapshot_id"],
                           f"{where}: ADDED by snapshot {snapshot_id}, but the manifest was "
                           f"added by {record['added_snapshot_id']}")
                self.check(file_seq == record["sequence_number"],
                           f"{where}: ADDED with file sequence number {file_seq}, the "
                           f"manifest's is {record['sequence_number']}")
            self.check(data_seq <= file_seq,
                       f"{where}: data sequence number {data_seq} > file sequence {file_seq}")
            counts[status][0] += 1
            counts[status][1] += data_file.get("record_count") or 0
            if status != STATUS_DELETED:
                live_seqs.append(data_seq)
            self.check(data_file.get("content") == 0,
                       f"{where}: data_file.content {data_file.get('content')} in a data manifest")
            self.check_data_file(where, data_file, types)
            partition = data_file.get("partition") or {}
            self.check(list(partition) == [f["name"] for f in spec_fields],
                       f"{where}: partition {partition} does not have the spec's fields "
                       f"{[f['name'] for f in spec_fields]}")
            for position, spec_field in enumerate(spec_fields):
                value = partition.get(spec_field["name"])
                partition_values[position].append(value)
                self.check_partition_value(where, spec_field, value, data_file, types)
        for status, name in ((STATUS_ADDED, "added"), (STATUS_EXISTING, "existing"),
                             (STATUS_DELETED, "deleted")):
            files, rows = counts[status]
            self.check(record[f"{name}_files_count"] == files,
                       f"manifest list entry {path}: {name}_files_count "
                       f"{record[f'{name}_files_count']}, the manifest has {files}")
            self.check(record[f"{name}_rows_count"] == rows,
                       f"manifest list entry {path}: {name}_rows_count "
                       f"{record[f'{name}_rows_count']}, the manifest has {rows}")
        if live_seqs:
            self.check(record["min_sequence_number"] == min(live_seqs),
                       f"manifest list entry {path}: min_sequence_number "
                       f"{record['min_sequence_number']}, the live entries' least data "
                       f"sequence number is {min(live_seqs)}")
        self.check_field_summaries(path, record, spec_fields, partition_values, types)

    def check_data_file(self, where, data_file, types):
        uri = data_file.get("file_path") or ""
        parsed = urllib.parse.urlparse(uri)
        if not self.check(bool(parsed.scheme) and parsed.path.startswith("/"),
                          f"{where}: file_path {uri!r} is not a full URI with FS scheme"):
            return
        data_root = (self.metadata.get("properties") or {}).get(
            "write.data.path", f"{self.metadata.get('location')}/data")
        if not uri.startswith(data_root.rstrip("/") + "/"):
            self.warnings.append(f"{where}: {uri} is not under {data_root}/ (where Java's "
                                 "default location provider puts data files)")
        file_format = (data_file.get("file_format") or "").lower()
        self.check(file_format in ("parquet", "avro", "orc"),
                   f"{where}: file_format {data_file.get('file_format')!r}")
        self.check((data_file.get("record_count") or 0) >= 0, f"{where}: negative record_count")
        size = data_file.get("file_size_in_bytes")
        if uri not in self.checked_data_files:
            self.checked_data_files.add(uri)
            try:
                actual = file_size(uri)
                self.check(actual == size,
                           f"{where}: {uri}: file_size_in_bytes {size}, the file has {actual}")
                if file_format == "parquet" and actual >= 8:
                    with open(local_path(uri), "rb") as f:
                        head = f.read(4)
                        f.seek(-4, os.SEEK_END)
                        tail = f.read(4)
                    self.check(head == b"PAR1" and tail == b"PAR1",
                               f"{where}: {uri} is not a Parquet file (no PAR1 at both ends)")
            except Unreadable as error:
                self.fail(f"{where}: data file {error}")
        offsets = data_file.get("split_offsets")
        if offsets:
            self.check(offsets == sorted(offsets) and offsets[0] >= 0 and
                       (size is None or offsets[-1] < size),
                       f"{where}: split_offsets {offsets} not ascending inside the file")
        maps = {name: {pair["key"]: pair["value"] for pair in (data_file.get(name) or [])}
                for name in METRIC_MAPS}
        for name, values in maps.items():
            unknown = sorted(set(values) - set(types))
            self.check(not unknown,
                       f"{where}: {name} has column ids {unknown} that are not in the schema")
        for column in maps["nan_value_counts"]:
            self.check(types.get(column) in ("float", "double", None),
                       f"{where}: nan_value_counts for column {column} of type "
                       f"{types.get(column)}")
        for column, nulls in maps["null_value_counts"].items():
            values = maps["value_counts"].get(column)
            self.check(values is None or nulls <= values,
                       f"{where}: column {column}: null_value_counts {nulls} > value_counts "
                       f"{values}")
        for column in set(maps["lower_bounds"]) | set(maps["upper_bounds"]):
            self.check(isinstance(types.get(column), str),
                       f"{where}: bounds for column {column}, which is not a primitive")

    def check_partition_value(self, where, spec_field, value, data_file, types):
        """A time-transform partition value must agree with the source column's bounds."""
        if value is None:
            return
        transform = spec_field["transform"]
        source_type = types.get(spec_field["source-id"])
        bounds = []
        for name in ("lower_bounds", "upper_bounds"):
            found = [pair["value"] for pair in (data_file.get(name) or [])
                     if pair["key"] == spec_field["source-id"]]
            bounds.append(decode_bound(found[0], source_type) if found else None)
        if None in bounds:
            return
        low = time_transform(transform, source_type, bounds[0])
        high = time_transform(transform, source_type, bounds[1])
        if low is None or high is None:
            return
        self.check(low <= value <= high,
                   f"{where}: partition {spec_field['name']}={value} ({transform}) is outside "
                   f"[{low}, {high}] from the bounds of column {spec_field['source-id']}")

    def check_field_summaries(self, path, record, spec_fields, partition_values, types):
        summaries = record.get("partitions")
        if summaries is None:
            return
        where = f"manifest list entry {path}: partitions"
        if not self.check(len(summaries) == len(spec_fields),
                          f"{where}: {len(summaries)} field summaries, the spec has "
                          f"{len(spec_fields)} fields"):
            return
        for summary, spec_field, values in zip(summaries, spec_fields, partition_values):
            name = spec_field["name"]
            self.check(summary.get("contains_null") == (None in values),
                       f"{where}: {name} contains_null {summary.get('contains_null')}, the "
                       f"entries {'have' if None in values else 'have no'} null")
            present = [v for v in values if v is not None]
            transform = spec_field["transform"]
            source_type = types.get(spec_field["source-id"])
            if transform in ("year", "month", "day", "hour") or transform.startswith("bucket"):
                result_type = "int"
            elif transform == "identity":
                result_type = source_type
            else:
                continue
            for key, pick, ok in (("lower_bound", min, lambda b, v: b <= v),
                                  ("upper_bound", max, lambda b, v: b >= v)):
                if summary.get(key) is None:
                    self.check(not present, f"{where}: {name} {key} is null, but the entries "
                               "have values")
                    continue
                bound = decode_bound(summary[key], result_type)
                if bound is None or not present:
                    continue
                self.check(ok(bound, pick(present)),
                           f"{where}: {name} {key} {bound} does not enclose {pick(present)}")

    # --- snapshots --------------------------------------------------------------------------

    def load_list(self, snap, parent):
        path = snap.get("manifest-list") or ""
        where = f"snapshot {snap['snapshot-id']}: manifest list {path}"
        try:
            meta, schema, records = read_container(local_path(path))
        except Unreadable as error:
            self.fail(f"snapshot {snap['snapshot-id']}: manifest list {error}")
            return None
        except Exception as error:  # pylint: disable=broad-except
            self.fail(f"{where}: python3-avro cannot decode it: {error!r}")
            return None
        self.schemas.check_manifest_list_schema(schema)
        expected = {"snapshot-id": str(snap["snapshot-id"]),
                    "parent-snapshot-id": str(parent["snapshot-id"]) if parent else "null",
                    "sequence-number": str(snap["sequence-number"]),
                    "format-version": "2"}
        for key, want in expected.items():
            if key in meta:
                self.check(meta[key] == want,
                           f"{where}: metadata '{key}' is {meta[key]!r}, must be {want!r}")
        required = [name for _, name, is_required, _ in MANIFEST_FILE if is_required]
        for index, record in enumerate(records):
            for name in required:
                if not self.check(record.get(name) is not None,
                                  f"{where}: entry {index}: {name} is null (required in v2)"):
                    return None
        paths = [r["manifest_path"] for r in records]
        self.check(len(set(paths)) == len(paths), f"{where}: a manifest is listed twice")
        return records

    def check_snapshot(self, snap, parent, records, parent_records):
        sid, seq = snap["snapshot-id"], snap["sequence-number"]
        where = f"snapshot {sid} (sequence {seq})"
        by_path = {r["manifest_path"]: r for r in records}
        inherited = set()
        for old in parent_records or []:
            path = old["manifest_path"]
            new = by_path.get(path)
            if not self.check(new is not None,
                              f"{where}: the parent's manifest {path} is not in its list"):
                continue
            inherited.add(path)
            changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            self.check(not changed,
                       f"{where}: the parent's manifest {path} changed fields {changed}")
        added_files = added_rows = added_size = 0
        live = []
        for record in records:
            path = record["manifest_path"]
            rwhere = f"{where}: manifest {path}"
            self.check(record["content"] == 0,
                       f"{rwhere}: content {record['content']}: a delete manifest in an "
                       "append-only table")
            self.check(self.partition_spec(record["partition_spec_id"]) is not None,
                       f"{rwhere}: partition_spec_id {record['partition_spec_id']} is not a "
                       "spec of the table")
            self.check(record["min_sequence_number"] <= record["sequence_number"] <= seq,
                       f"{rwhere}: sequence numbers min {record['min_sequence_number']}, "
                       f"{record['sequence_number']} not <= the snapshot's {seq}")
            if path not in inherited:
                self.check(record["added_snapshot_id"] == sid,
                           f"{rwhere}: new in this snapshot but added_snapshot_id is "
                           f"{record['added_snapshot_id']}")
                self.check(record["sequence_number"] == seq,
                           f"{rwhere}: new in this snapshot but sequence_number is "
                           f"{record['sequence_number']}")
            try:
                length = file_size(path)
                self.check(record["manifest_length"] == length,
                           f"{rwhere}: manifest_length {record['manifest_length']}, the file has "
                           f"{length}")
            except Unreadable as error:
                self.fail(f"{where}: manifest {error}")
                continue
            manifest = self.load_manifest(record)
            if manifest is None:
                continue
            for entry in manifest["entries"]:
                status = entry.get("status")
                data_file = entry.get("data_file") or {}
                if path not in inherited:
                    self.check(status == STATUS_ADDED,
                               f"{rwhere}: status {status} entry for {data_file.get('file_path')}"
                               " in an append")
                    if status == STATUS_ADDED:
                        added_files += 1
                        added_rows += data_file.get("record_count") or 0
                        added_size += data_file.get("file_size_in_bytes") or 0
                if status != STATUS_DELETED:
                    live.append(data_file)
        paths = [f.get("file_path") for f in live]
        twice = sorted({p for p in paths if paths.count(p) > 1})
        self.check(not twice, f"{where}: live data files listed more than once: {twice}")
        summary = snap.get("summary") or {}
        self.check(summary.get("operation") == "append",
                   f"{where}: summary operation {summary.get('operation')!r}, must be 'append'")
        total_rows = sum(f.get("record_count") or 0 for f in live)
        total_size = sum(f.get("file_size_in_bytes") or 0 for f in live)
        for key, value in (("added-data-files", added_files), ("added-records", added_rows),
                           ("added-files-size", added_size), ("deleted-data-files", 0),
                           ("deleted-records", 0), ("removed-files-size", 0)):
            self.check(summary.get(key, "0") == str(value),
                       f"{where}: summary {key} {summary.get(key)!r}, the manifests say {value}")
        for key, value in (("total-data-files", len(live)), ("total-records", total_rows),
                           ("total-files-size", total_size)):
            if key not in summary:
                self.warnings.append(f"{where}: summary has no {key}")
            else:
                self.check(summary[key] == str(value),
                           f"{where}: summary {key} {summary[key]!r}, the manifests say {value}")
        return live

    def run(self):
        self.check_table()
        snapshots = self.history()
        parent, parent_records, live = None, None, []
        current_records = []
        for snap in snapshots:
            records = self.load_list(snap, parent)
            if records is None:
                parent, parent_records, live = snap, None, []
                continue
            live = self.check_snapshot(snap, parent, records, parent_records)
            parent, parent_records, current_records = snap, records, records
        current = snapshots[-1] if snapshots else None
        return {
            "records": sum(f.get("record_count") or 0 for f in live),
            "files": len(live),
            "data_file_uris": [f.get("file_path") for f in live],
            "snapshots": len(snapshots),
            "current_snapshot_id": str(current["snapshot-id"]) if current else None,
            "sequence_number": current["sequence-number"] if current else None,
            "manifests": len(current_records),
        }


def load_metadata(argument):
    if argument == "-":
        return json.load(sys.stdin)
    path = local_path(argument) if "://" in argument else argument
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(
        prog="iceberg_verify.py",
        description="Checks an Iceberg v2 table's snapshot history against the spec.")
    parser.add_argument("metadata", metavar="METADATA",
                        help="table metadata JSON: path, file:// URI, or - for stdin")
    parser.add_argument("--expect-records", type=int, metavar="N",
                        help="the current snapshot must have exactly N live records")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--map", action="append", default=[], metavar="URI_PREFIX=DIR",
                        help="read URIs under URI_PREFIX from the local directory DIR")
    args = parser.parse_args()
    for mapping in args.map:
        prefix, _, directory = mapping.partition("=")
        if not prefix or not directory:
            parser.error(f"--map {mapping!r}: expected URI_PREFIX=DIR")
        URI_MAPS.append((prefix.rstrip("/"), directory))
    try:
        metadata = load_metadata(args.metadata)
    except (OSError, ValueError, Unreadable) as error:
        print(f"iceberg_verify: cannot read {args.metadata}: {error}", file=sys.stderr)
        return 2
    if isinstance(metadata, dict) and "metadata" in metadata and "format-version" not in metadata:
        metadata = metadata["metadata"]  # a LoadTableResult
    verifier = Verifier(metadata)
    result = verifier.run()
    if args.expect_records is not None:
        verifier.check(result["records"] == args.expect_records,
                       f"the current snapshot has {result['records']} records, expected "
                       f"{args.expect_records}")
    data_files = []
    for uri in result["data_file_uris"]:
        try:
            data_files.append(local_path(uri))
        except Unreadable:
            data_files.append(uri)
    for warning in verifier.warnings:
        print(f"iceberg_verify: warning: {warning}", file=sys.stderr)
    for failure in verifier.failures:
        print(f"iceberg_verify: FAIL: {failure}", file=sys.stderr)
    ok = not verifier.failures
    if args.json:
        print(json.dumps(dict(ok=ok, records=result["records"], files=result["files"],
                              data_files=data_files, data_file_uris=result["data_file_uris"],
                              snapshots=result["snapshots"],
                              current_snapshot_id=result["current_snapshot_id"],
                              sequence_number=result["sequence_number"],
                              manifests=result["manifests"], failures=verifier.failures,
                              warnings=verifier.warnings)))
    elif ok:
        print(f"iceberg_verify: ok: {metadata.get('location')}: {result['snapshots']} snapshots, "
              f"{result['manifests']} manifests, {result['files']} data files, "
              f"{result['records']} records, {len(verifier.manifests)} manifests checked")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
