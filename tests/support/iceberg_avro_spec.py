"""The Iceberg v2 manifest and manifest-list Avro schemas as the spec defines them, and checks of
a writer's schema against them, for the python3-avro checks (tests/unit/iceberg/avro/
avro_python_check.py, tests/integration/iceberg_verify.py). Standard library plus Debian's
python3-avro; importing this module raises ImportError when python3-avro is missing.

Source: the Iceberg table spec (format/spec.md), "Manifests" (manifest_entry and data_file, v2),
"Manifest Lists" (manifest_file and field_summary, v2), "Manifest Metadata" (v2), Appendix A
(Avro: optional = union with null first and default null; maps with non-string keys = arrays with
logicalType "map" of records k<key id>_v<value id> with fields key and value; list element ids in
"element-id") and "Partition Transforms" (result types).
"""
import datetime
import json
import warnings

import avro.datafile
import avro.errors
import avro.io

# Iceberg's "logicalType": "map" on arrays is unknown to Avro itself, which is expected.
warnings.filterwarnings("ignore", category=avro.errors.IgnoredLogicalType)

EPOCH = datetime.date(1970, 1, 1)

# (field id, name, required, Avro type of the value; None = checked separately) in the order
# Java's V2Metadata writes them.
MANIFEST_ENTRY = [(0, "status", True, "int"), (1, "snapshot_id", False, "long"),
                  (3, "sequence_number", False, "long"),
                  (4, "file_sequence_number", False, "long"), (2, "data_file", True, None)]
DATA_FILE = [(134, "content", True, "int"), (100, "file_path", True, "string"),
             (101, "file_format", True, "string"), (102, "partition", True, None),
             (103, "record_count", True, "long"), (104, "file_size_in_bytes", True, "long"),
             (108, "column_sizes", False, None), (109, "value_counts", False, None),
             (110, "null_value_counts", False, None), (137, "nan_value_counts", False, None),
             (125, "lower_bounds", False, None), (128, "upper_bounds", False, None),
             (131, "key_metadata", False, "bytes"), (132, "split_offsets", False, None),
             (135, "equality_ids", False, None), (140, "sort_order_id", False, "int")]
# v2 data_file fields a writer may add beyond the ones above (spec: optional in v2).
DATA_FILE_EXTRA = [(143, "referenced_data_file", False, "string")]
# map field id -> (key id, value id, value type)
INT_MAPS = {108: (117, 118, "long"), 109: (119, 120, "long"), 110: (121, 122, "long"),
            137: (138, 139, "long"), 125: (126, 127, "bytes"), 128: (129, 130, "bytes")}
# list field id -> (element id, element type)
LISTS = {132: (133, "long"), 135: (136, "int")}
MANIFEST_FILE = [(500, "manifest_path", True, "string"), (501, "manifest_length", True, "long"),
                 (502, "partition_spec_id", True, "int"), (517, "content", True, "int"),
                 (515, "sequence_number", True, "long"),
                 (516, "min_sequence_number", True, "long"),
                 (503, "added_snapshot_id", True, "long"),
                 (504, "added_files_count", True, "int"),
                 (505, "existing_files_count", True, "int"),
                 (506, "deleted_files_count", True, "int"),
                 (512, "added_rows_count", True, "long"),
                 (513, "existing_rows_count", True, "long"),
                 (514, "deleted_rows_count", True, "long"), (507, "partitions", False, None),
                 (519, "key_metadata", False, "bytes")]
FIELD_SUMMARY = [(509, "contains_null", True, "boolean"), (518, "contains_nan", False, "boolean"),
                 (510, "lower_bound", False, "bytes"), (511, "upper_bound", False, "bytes")]
# Manifest key-value metadata a v2 manifest must have.
MANIFEST_METADATA_KEYS = ("schema", "schema-id", "partition-spec", "partition-spec-id",
                          "format-version", "content")

# Iceberg primitive type -> its Avro type (Appendix A), compared without record/fixed names.
AVRO_OF_PRIMITIVE = {
    "boolean": "boolean", "int": "int", "long": "long", "float": "float", "double": "double",
    "date": {"type": "int", "logicalType": "date"},
    "time": {"type": "long", "logicalType": "time-micros"},
    "timestamp": {"type": "long", "logicalType": "timestamp-micros", "adjust-to-utc": False},
    "timestamptz": {"type": "long", "logicalType": "timestamp-micros", "adjust-to-utc": True},
    "string": "string", "binary": "bytes",
    "uuid": {"type": "fixed", "size": 16, "logicalType": "uuid"},
}
DATE_AVRO = {"type": "int", "logicalType": "date"}


def normalize(value):
    """Python avro values -> JSON-friendly values: bytes as hex, dates as days since 1970."""
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return (value - EPOCH).days
    if isinstance(value, dict):
        return {key: normalize(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalize(item) for item in value]
    return value


def read_container(path):
    """(file metadata as strings, writer schema as JSON, normalized records) of an Avro file."""
    with open(path, "rb") as f:
        reader = avro.datafile.DataFileReader(f, avro.io.DatumReader())
        meta = {key: value.decode("utf-8") for key, value in reader.meta.items()}
        records = [normalize(record) for record in reader]
        reader.close()
    return meta, json.loads(meta["avro.schema"]), records


def find_schema_field(struct, field_id):
    """The field with field_id in an Iceberg schema JSON (through structs only), or None."""
    for field in struct.get("fields", []):
        if field.get("id") == field_id:
            return field
        if isinstance(field.get("type"), dict) and field["type"].get("type") == "struct":
            found = find_schema_field(field["type"], field_id)
            if found is not None:
                return found
    return None


def _comparable(avro_type):
    """An Avro type without the parts that do not matter for a value's meaning (names, docs)."""
    if isinstance(avro_type, dict):
        out = {k: v for k, v in avro_type.items() if k not in ("name", "namespace", "doc")}
        if out.get("logicalType") in ("timestamp-micros",) and "adjust-to-utc" not in out:
            out["adjust-to-utc"] = False  # Appendix A note 1: the default is false
        if set(out) == {"type"}:
            return out["type"]
        return out
    return avro_type


def partition_avro_types(transform, source_type, strict_day):
    """The Avro types a partition field of this transform may have (Partition Transforms:
    result types; day's result is int, which Java annotates as date: strict_day accepts only
    the date annotation our writer uses)."""
    if transform == "day":
        return [DATE_AVRO] if strict_day else [DATE_AVRO, "int"]
    if transform in ("year", "month", "hour") or transform.startswith("bucket["):
        return ["int"]
    source = AVRO_OF_PRIMITIVE.get(source_type) if isinstance(source_type, str) else None
    if transform == "identity" or transform.startswith("truncate["):
        return [source] if source is not None else None  # None: not checked (decimal, fixed)
    if transform == "void":
        return ["int"] + ([source] if source is not None else [])
    return None


class SchemaCheck:
    """Checks Avro writer schemas of manifests and manifest lists against the v2 tables above.
    Failures are collected in .failures. With all_optional=True every optional field of the
    tables must be present (what our writer promises); otherwise optional fields may be absent
    (what the spec allows), and fields with ids the spec does not define are failures."""

    def __init__(self, all_optional=True, failures=None):
        self.all_optional = all_optional
        self.failures = failures if failures is not None else []

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)
        return condition

    def all_fields_have_ids(self, schema, where):
        if isinstance(schema, list):
            for branch in schema:
                self.all_fields_have_ids(branch, where)
        elif isinstance(schema, dict):
            if schema.get("type") == "record":
                for field in schema["fields"]:
                    self.check(isinstance(field.get("field-id"), int),
                               f"{where}: field {schema['name']}.{field['name']} has no field-id")
                    self.all_fields_have_ids(field["type"], where)
            elif schema.get("type") == "array":
                self.all_fields_have_ids(schema["items"], where)

    def unwrap_optional(self, field, where=""):
        """(required, inner type) of a record field."""
        if isinstance(field["type"], list):
            self.check(field["type"][0] == "null" and len(field["type"]) == 2,
                       f"{where}{field['name']}: optional must be [null, T]")
            self.check("default" in field and field["default"] is None,
                       f"{where}{field['name']}: optional without default null")
            return False, field["type"][-1]
        return True, field["type"]

    def check_record(self, record, expected, where, extra=()):
        """Field ids, names, required-ness and primitive types; returns {id: field}."""
        by_id = {}
        for field in record["fields"]:
            field_id = field.get("field-id")
            self.check(field_id not in by_id, f"{where}: field id {field_id} twice")
            by_id[field_id] = field
        known = {entry[0] for entry in expected} | {entry[0] for entry in extra}
        for field_id, name, required, avro_type in list(expected) + list(extra):
            field = by_id.get(field_id)
            if field is None:
                must = required or (self.all_optional and (field_id, name) in
                                    {(e[0], e[1]) for e in expected})
                self.check(not must, f"{where}: field id {field_id} ({name}) missing")
                continue
            self.check(field["name"] == name,
                       f"{where}: field {field_id} named {field['name']}, spec: {name}")
            is_required, inner = self.unwrap_optional(field, f"{where}.")
            self.check(is_required == required,
                       f"{where}: field {name} ({field_id}) must be "
                       f"{'required' if required else 'optional'}")
            if avro_type is not None:
                self.check(_comparable(inner) == avro_type,
                           f"{where}: field {name} ({field_id}) has type {json.dumps(inner)}, "
                           f"spec: {avro_type}")
        if not self.all_optional:
            for field_id, field in by_id.items():
                self.check(field_id in known,
                           f"{where}: field {field.get('name')} has id {field_id}, which the v2 "
                           "spec does not define")
        return by_id

    def check_data_file_schema(self, data_file, partition_spec, table_schema=None,
                               strict_day=True):
        """data_file (record r2) and its partition record (r102) against the partition spec's
        fields (the manifest's "partition-spec" JSON) and, for source-typed transforms, the
        table schema JSON the manifest was written with."""
        self.check(data_file.get("name") == "r2", "data_file record must be named r2")
        by_id = self.check_record(data_file, DATA_FILE, "data_file", extra=DATA_FILE_EXTRA)
        for map_id, (key_id, value_id, value_type) in INT_MAPS.items():
            if map_id not in by_id:
                continue
            array = self.unwrap_optional(by_id[map_id])[1]
            if not self.check(isinstance(array, dict) and array.get("type") == "array" and
                              array.get("logicalType") == "map",
                              f"data_file map {map_id}: must be an array with logicalType map"):
                continue
            items = array["items"]
            self.check(items.get("name") == f"k{key_id}_v{value_id}",
                       f"data_file map {map_id}: record name {items.get('name')}, "
                       f"spec: k{key_id}_v{value_id}")
            self.check([(f["name"], f.get("field-id"), f["type"]) for f in items["fields"]] ==
                       [("key", key_id, "int"), ("value", value_id, value_type)],
                       f"data_file map {map_id}: key/value fields must be key:int id {key_id}, "
                       f"value:{value_type} id {value_id}")
        for list_id, (element_id, element_type) in LISTS.items():
            if list_id not in by_id:
                continue
            array = self.unwrap_optional(by_id[list_id])[1]
            self.check(isinstance(array, dict) and array.get("element-id") == element_id and
                       array.get("items") == element_type,
                       f"data_file list {list_id}: must be array<{element_type}> with "
                       f"element-id {element_id}")
        if 102 not in by_id:
            return by_id
        partition = by_id[102]["type"]
        if not self.check(isinstance(partition, dict) and partition.get("type") == "record",
                          "data_file.partition must be a record"):
            return by_id
        self.check(partition.get("name") == "r102", "partition record must be named r102")
        self.check(len(partition["fields"]) == len(partition_spec),
                   f"partition record has {len(partition['fields'])} fields, the spec "
                   f"{len(partition_spec)}")
        for field, spec_field in zip(partition["fields"], partition_spec):
            self.check(field.get("field-id") == spec_field["field-id"] and
                       field["name"] == spec_field["name"],
                       f"partition field {field['name']} ({field.get('field-id')}) must be "
                       f"{spec_field['name']} ({spec_field['field-id']}), in spec order")
            required, inner = self.unwrap_optional(field, "partition.")
            self.check(not required, f"partition field {field['name']} must be optional")
            source = None
            if table_schema is not None:
                source_field = find_schema_field(table_schema, spec_field["source-id"])
                self.check(source_field is not None,
                           f"partition field {field['name']}: source id "
                           f"{spec_field['source-id']} is not in the schema")
                source = source_field["type"] if source_field else None
            allowed = partition_avro_types(spec_field["transform"], source, strict_day)
            if allowed is not None:
                self.check(_comparable(inner) in allowed,
                           f"partition field {field['name']} ({spec_field['transform']}) has "
                           f"type {json.dumps(inner)}, spec: one of {allowed}")
        return by_id

    def check_manifest_schema(self, schema, partition_spec, table_schema=None, strict_day=True):
        """A manifest's writer schema (manifest_entry)."""
        self.all_fields_have_ids(schema, "manifest")
        self.check(schema.get("name") == "manifest_entry",
                   f"manifest record named {schema.get('name')}, spec: manifest_entry")
        by_id = self.check_record(schema, MANIFEST_ENTRY, "manifest_entry")
        if 2 in by_id and isinstance(by_id[2]["type"], dict):
            self.check_data_file_schema(by_id[2]["type"], partition_spec, table_schema,
                                        strict_day)
        return by_id

    def check_manifest_list_schema(self, schema):
        """A manifest list's writer schema (manifest_file, field_summary r508)."""
        self.all_fields_have_ids(schema, "manifest list")
        self.check(schema.get("name") == "manifest_file",
                   f"manifest list record named {schema.get('name')}, spec: manifest_file")
        by_id = self.check_record(schema, MANIFEST_FILE, "manifest_file")
        if 507 in by_id:
            partitions = self.unwrap_optional(by_id[507])[1]
            self.check(isinstance(partitions, dict) and partitions.get("element-id") == 508,
                       "manifest_file.partitions must be an array with element-id 508")
            items = partitions.get("items") if isinstance(partitions, dict) else None
            if self.check(isinstance(items, dict) and items.get("type") == "record",
                          "manifest_file.partitions items must be records"):
                self.check(items.get("name") == "r508", "field summary record name r508")
                self.check_record(items, FIELD_SUMMARY, "field_summary")
        return by_id

    def check_manifest_metadata(self, meta, where="manifest"):
        """The v2 manifest key-value metadata: every key present; format-version 2."""
        for key in MANIFEST_METADATA_KEYS:
            self.check(key in meta, f"{where}: Avro metadata lacks '{key}'")
        self.check(meta.get("format-version") == "2",
                   f"{where}: metadata 'format-version' is {meta.get('format-version')!r}, "
                   "must be '2'")
        self.check(meta.get("content") in ("data", "deletes"),
                   f"{where}: metadata 'content' is {meta.get('content')!r}")
        self.check(meta.get("avro.codec", "null") in ("deflate", "null", "snappy", "zstandard"),
                   f"{where}: avro.codec {meta.get('avro.codec')!r}")
