// The Iceberg table model as plain structs: what the catalog returns (table metadata with its
// schemas, partition specs, sort orders and snapshots) and what a writer adds (data files,
// manifests, manifest lists, snapshots). Format version 2 (format/spec.md of Apache Iceberg).
// JSON lives in iceberg/json.h, Avro in iceberg/avro/; nothing here does I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <memory>

namespace o2p::iceberg {

struct Type;
using TypePtr = std::shared_ptr<const Type>;

/// A struct member, list element or map key/value, with its field id.
struct NestedField {
  int32_t id = 0;
  std::string name;  // "element", "key", "value" for list and map children
  bool required = false;
  TypePtr type;
  std::string doc;
};

/// An Iceberg type: a primitive named as in the JSON ("boolean", "int", "long", "float",
/// "double", "date", "time", "timestamp", "timestamptz", "string", "uuid", "binary",
/// "fixed[16]", "decimal(9,2)", …) or a nested struct, list (children = {element}) or map
/// (children = {key, value}).
struct Type {
  enum class Kind : uint8_t { kPrimitive, kStruct, kList, kMap };
  Kind kind = Kind::kPrimitive;
  std::string primitive;
  std::vector<NestedField> children;
};

/// A table schema: top-level fields with their ids.
struct Schema {
  int32_t schema_id = 0;
  std::vector<NestedField> fields;
  std::vector<int32_t> identifier_field_ids;
};

/// The highest field id among `fields` and everything nested in them (0 for none).
int32_t HighestFieldId(const std::vector<NestedField>& fields);

struct PartitionField {
  int32_t source_id = 0;
  int32_t field_id = 1000;  // partition field ids start at 1000
  std::string name;
  std::string transform;  // "identity", "day", "hour", "bucket[16]", ...
  bool operator==(const PartitionField&) const = default;
};

struct PartitionSpec {
  int32_t spec_id = 0;
  std::vector<PartitionField> fields;
  bool operator==(const PartitionSpec&) const = default;
};

struct SortField {
  int32_t source_id = 0;
  std::string transform = "identity";
  bool ascending = true;
  bool nulls_first = true;
  bool operator==(const SortField&) const = default;
};

struct SortOrder {
  int32_t order_id = 0;
  std::vector<SortField> fields;
  bool operator==(const SortOrder&) const = default;
};

struct Snapshot {
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id;
  int64_t sequence_number = 0;
  int64_t timestamp_ms = 0;
  std::string manifest_list;  // absolute URI
  std::optional<int32_t> schema_id;
  /// "operation" plus the metric keys ("added-data-files", "total-records", …) and ours
  /// ("otlp2parquet.commit-id").
  std::map<std::string, std::string> summary;
};

struct SnapshotRef {
  int64_t snapshot_id = 0;
  std::string type = "branch";  // or "tag"
};

struct TableMetadata {
  int format_version = 2;
  std::string table_uuid;
  std::string location;
  int64_t last_sequence_number = 0;
  int64_t last_updated_ms = 0;
  int32_t last_column_id = 0;
  std::vector<Schema> schemas;
  int32_t current_schema_id = 0;
  std::vector<PartitionSpec> partition_specs;
  int32_t default_spec_id = 0;
  int32_t last_partition_id = 999;
  std::vector<SortOrder> sort_orders;
  int32_t default_sort_order_id = 0;
  std::map<std::string, std::string> properties;
  /// nullopt when the table has no snapshot (-1 in JSON is read as none).
  std::optional<int64_t> current_snapshot_id;
  std::vector<Snapshot> snapshots;
  std::map<std::string, SnapshotRef> refs;

  const Schema* CurrentSchema() const;
  const PartitionSpec* DefaultSpec() const;
  const Snapshot* CurrentSnapshot() const;
  const Snapshot* FindSnapshot(int64_t snapshot_id) const;
};

/// One Parquet data file as a manifest describes it (data_file, field ids 100-143).
struct DataFile {
  std::string file_path;  // absolute URI, e.g. s3://bucket/warehouse/otel/logs/data/x.parquet
  std::string file_format = "PARQUET";
  /// One value per field of the partition spec, in spec order; day/hour/month/year transform
  /// results are ints (days, hours, months, years since 1970), nullopt = null.
  std::vector<std::optional<int32_t>> partition;
  int64_t record_count = 0;
  int64_t file_size_in_bytes = 0;
  std::map<int32_t, int64_t> column_sizes;
  std::map<int32_t, int64_t> value_counts;
  std::map<int32_t, int64_t> null_value_counts;
  std::map<int32_t, int64_t> nan_value_counts;
  /// Single-value binary encoding (spec Appendix D), keyed by field id.
  std::map<int32_t, std::string> lower_bounds;
  std::map<int32_t, std::string> upper_bounds;
  std::vector<int64_t> split_offsets;
  std::optional<int32_t> sort_order_id;
};

enum class ManifestEntryStatus : int32_t { kExisting = 0, kAdded = 1, kDeleted = 2 };

/// manifest_entry (field ids 0-4). For ADDED entries of a new snapshot, snapshot_id and the
/// sequence numbers stay null and are inherited from the manifest list entry, which is what
/// lets a retried commit reuse the manifest.
struct ManifestEntry {
  ManifestEntryStatus status = ManifestEntryStatus::kAdded;
  std::optional<int64_t> snapshot_id;
  std::optional<int64_t> sequence_number;
  std::optional<int64_t> file_sequence_number;
  DataFile data_file;
};

/// field_summary (ids 509-511, 518): one per partition field, over a manifest's entries.
struct PartitionFieldSummary {
  bool contains_null = false;
  std::optional<bool> contains_nan;
  std::optional<std::string> lower_bound;  // single-value binary
  std::optional<std::string> upper_bound;
};

/// manifest_file (ids 500-519): one entry of a manifest list.
struct ManifestFile {
  std::string manifest_path;
  int64_t manifest_length = 0;
  int32_t partition_spec_id = 0;
  int32_t content = 0;  // 0 data, 1 deletes
  int64_t sequence_number = 0;
  int64_t min_sequence_number = 0;
  int64_t added_snapshot_id = 0;
  int32_t added_files_count = 0;
  int32_t existing_files_count = 0;
  int32_t deleted_files_count = 0;
  int64_t added_rows_count = 0;
  int64_t existing_rows_count = 0;
  int64_t deleted_rows_count = 0;
  std::vector<PartitionFieldSummary> partitions;
  std::optional<std::string> key_metadata;
};

}  // namespace o2p::iceberg
