#!/usr/bin/python3
"""Checks our Iceberg manifests against an independent Avro implementation (python3-avro).

Usage: avro_python_check.py PATH_TO_o2p_write_sample_manifests

1. The C++ program writes a manifest, a manifest list and expected.json; this script decodes
   every record with avro.datafile.DataFileReader, checks the writer schemas against the
   Iceberg v2 field-id tables (spec "Manifests" / "Manifest Lists"), the file metadata, and
   that the values equal expected.json.
2. The reverse: this script writes manifest lists the way other engines might (Java-style
   schema with another field order and an unknown field, deflate; and a v1 list), and the C++
   ReadManifestList must read them back.
Exit codes: 0 pass, 1 fail, 77 skip (python3-avro missing; ctest SKIP_RETURN_CODE).
"""
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree for the import below
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "support"))
try:
    import avro.datafile
    import avro.io
    import avro.schema
    # The spec's field-id tables and the schema checks, shared with iceberg_verify.py.
    from iceberg_avro_spec import SchemaCheck, normalize, read_container
except ImportError:
    print("python3-avro is not installed; skipping")
    sys.exit(77)

# Our writer writes every optional field of the tables, so all of them must be there.
CHECKER = SchemaCheck(all_optional=True)
FAILURES = CHECKER.failures
check = CHECKER.check


def check_manifest(directory, expected):
    meta, schema, records = read_container(os.path.join(directory, "manifest.avro"))
    partition_spec = json.loads(meta.get("partition-spec", "[]"))
    CHECKER.check_manifest_schema(schema, partition_spec, json.loads(meta.get("schema", "{}")))
    CHECKER.check_manifest_metadata(meta)
    check(meta.get("schema") == expected["schema"], "manifest metadata 'schema'")
    check(meta.get("schema-id") == "0", "manifest metadata 'schema-id'")
    check(partition_spec == json.loads(expected["partition_spec"]), "'partition-spec'")
    check(meta.get("partition-spec-id") == "0", "manifest metadata 'partition-spec-id'")
    check(meta.get("format-version") == "2", "manifest metadata 'format-version'")
    check(meta.get("content") == "data", "manifest metadata 'content'")
    check(meta.get("avro.codec") in ("deflate", "null"), "manifest avro.codec")
    check(len(records) == 3, f"manifest has {len(records)} records")
    for index, (got, want) in enumerate(zip(records, expected["entries"])):
        check(got == want, f"manifest entry {index}:\n got  {got}\n want {want}")


def check_manifest_list(directory, expected):
    meta, schema, records = read_container(os.path.join(directory, "manifest-list.avro"))
    CHECKER.check_manifest_list_schema(schema)
    check(meta.get("snapshot-id") == str(expected["snapshot_id"]), "'snapshot-id'")
    check(meta.get("parent-snapshot-id") == str(expected["parent_snapshot_id"]),
          "'parent-snapshot-id'")
    check(meta.get("sequence-number") == str(expected["sequence_number"]), "'sequence-number'")
    check(meta.get("format-version") == "2", "manifest list 'format-version'")
    check(records == expected["entries"],
          f"manifest list entries:\n got  {records}\n want {expected['entries']}")


def field(name, type_, field_id, optional=False):
    if optional:
        return {"name": name, "type": ["null", type_], "default": None, "field-id": field_id}
    return {"name": name, "type": type_, "field-id": field_id}


def foreign_v2_schema():
    """Java's manifest_file schema, reordered, with an extra field a future writer might add."""
    summary = {"type": "record", "name": "r508", "fields": [
        field("upper_bound", "bytes", 511, True), field("contains_null", "boolean", 509),
        field("lower_bound", "bytes", 510, True), field("contains_nan", "boolean", 518, True)]}
    return {"type": "record", "name": "manifest_file", "fields": [
        field("added_snapshot_id", "long", 503), field("x_engine_note", "string", 9999),
        field("partitions", {"type": "array", "items": summary, "element-id": 508}, 507, True),
        field("manifest_length", "long", 501), field("manifest_path", "string", 500),
        field("content", "int", 517), field("min_sequence_number", "long", 516),
        field("sequence_number", "long", 515), field("partition_spec_id", "int", 502),
        field("deleted_rows_count", "long", 514), field("existing_rows_count", "long", 513),
        field("added_rows_count", "long", 512), field("deleted_files_count", "int", 506),
        field("existing_files_count", "int", 505), field("added_files_count", "int", 504),
        field("key_metadata", "bytes", 519, True)]}


def v1_schema():
    return {"type": "record", "name": "manifest_file", "fields": [
        field("manifest_path", "string", 500), field("manifest_length", "long", 501),
        field("partition_spec_id", "int", 502), field("added_snapshot_id", "long", 503, True),
        field("added_data_files_count", "int", 504, True),
        field("existing_data_files_count", "int", 505, True),
        field("deleted_data_files_count", "int", 506, True)]}


def foreign_records():
    return [
        {"added_snapshot_id": 42, "x_engine_note": "ignored", "manifest_length": 1234,
         "manifest_path": "s3://b/t/metadata/java-m0.avro", "content": 0,
         "min_sequence_number": 7, "sequence_number": 9, "partition_spec_id": 1,
         "deleted_rows_count": 3, "existing_rows_count": 20, "added_rows_count": 100,
         "deleted_files_count": 1, "existing_files_count": 2, "added_files_count": 5,
         "partitions": [{"upper_bound": b"\x10\x00\x00\x00", "contains_null": True,
                         "lower_bound": b"\x01\x00\x00\x00", "contains_nan": False}],
         "key_metadata": b"\xca\xfe"},
        {"added_snapshot_id": 43, "x_engine_note": "", "manifest_length": 99,
         "manifest_path": "s3://b/t/metadata/java-m1.avro", "content": 1,
         "min_sequence_number": 1, "sequence_number": 2, "partition_spec_id": 0,
         "deleted_rows_count": 0, "existing_rows_count": 0, "added_rows_count": 1,
         "deleted_files_count": 0, "existing_files_count": 0, "added_files_count": 1,
         "partitions": None, "key_metadata": None},
    ]


def expected_from(record, v1=False):
    keys = ["manifest_path", "manifest_length", "partition_spec_id", "content",
            "sequence_number", "min_sequence_number", "added_snapshot_id", "added_files_count",
            "existing_files_count", "deleted_files_count", "added_rows_count",
            "existing_rows_count", "deleted_rows_count"]
    if v1:
        record = dict(record, added_files_count=record["added_data_files_count"],
                      existing_files_count=record["existing_data_files_count"],
                      deleted_files_count=record["deleted_data_files_count"])
    out = {key: record.get(key) or 0 for key in keys}
    out["partitions"] = normalize(record.get("partitions") or [])
    out["key_metadata"] = normalize(record.get("key_metadata"))
    return out


def write_container(path, schema_json, records, codec):
    schema = avro.schema.parse(json.dumps(schema_json))
    with open(path, "wb") as f:
        writer = avro.datafile.DataFileWriter(f, avro.io.DatumWriter(), schema, codec=codec)
        writer.set_meta("format-version", b"2")
        for record in records:
            writer.append(record)
        writer.close()


def check_cpp_reads(program, path, expected, what):
    result = subprocess.run([program, "read-manifest-list", path], capture_output=True,
                            text=True, check=False)
    check(result.returncode == 0, f"{what}: C++ reader failed: {result.stderr}")
    if result.returncode == 0:
        got = json.loads(result.stdout)
        check(got == expected, f"{what}: C++ read\n got  {got}\n want {expected}")


def check_reverse(program, directory):
    path = os.path.join(directory, "foreign-v2.avro")
    write_container(path, foreign_v2_schema(), foreign_records(), "deflate")
    check_cpp_reads(program, path, [expected_from(r) for r in foreign_records()],
                    "reordered v2 list")
    v1_records = [{"manifest_path": "s3://b/t/metadata/v1-m0.avro", "manifest_length": 10,
                   "partition_spec_id": 0, "added_snapshot_id": 5, "added_data_files_count": 2,
                   "existing_data_files_count": None, "deleted_data_files_count": 1}]
    path = os.path.join(directory, "v1.avro")
    write_container(path, v1_schema(), v1_records, "null")
    check_cpp_reads(program, path, [expected_from(r, v1=True) for r in v1_records], "v1 list")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    program = sys.argv[1]
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([program, "write", directory], check=True)
        with open(os.path.join(directory, "expected.json"), encoding="utf-8") as f:
            expected = json.load(f)
        check_manifest(directory, expected["manifest"])
        check_manifest_list(directory, expected["manifest_list"])
        check_reverse(program, directory)
    for failure in FAILURES:
        print("FAIL:", failure)
    print("avro python check:", "FAILED" if FAILURES else "ok")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
