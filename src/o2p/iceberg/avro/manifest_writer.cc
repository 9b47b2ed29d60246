// Encoders for manifest_entry and manifest_file records. Each Put* function writes the fields
// in exactly the order manifest_schemas.cc declares them; the round-trip tests and the Python
// reader check (tests/unit/iceberg/avro/) catch any drift between the two.
#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include <boost/json.hpp>

#include "o2p/base/coding.h"
#include "o2p/base/macros.h"
#include "o2p/iceberg/avro/encoding.h"
#include "o2p/iceberg/avro/manifest.h"
#include "o2p/iceberg/avro/manifest_schemas.h"

namespace o2p::iceberg::avro {

namespace {

// Branch indexes of the ["null", T] unions of optional fields.
constexpr int32_t kNullBranch = 0;
constexpr int32_t kValueBranch = 1;

void PutOptionalLong(std::string* out, const std::optional<int64_t>& value) {
  PutUnionBranch(out, value ? kValueBranch : kNullBranch);
  if (value) PutLong(out, *value);
}

void PutOptionalInt(std::string* out, const std::optional<int32_t>& value) {
  PutUnionBranch(out, value ? kValueBranch : kNullBranch);
  if (value) PutInt(out, *value);
}

void PutOptionalBytes(std::string* out, const std::optional<std::string>& value) {
  PutUnionBranch(out, value ? kValueBranch : kNullBranch);
  if (value) PutBytes(out, *value);
}

// Metric maps are written as arrays even when empty: DuckDB has failed on manifests whose
// metric maps were all null (notes §3.3), and an empty map means "unknown" to readers too.
template <typename V, typename PutValue>
void PutIntKeyedMap(std::string* out, const std::map<int32_t, V>& map, PutValue put_value) {
  PutUnionBranch(out, kValueBranch);
  if (!map.empty()) {
    PutBlockHeader(out, static_cast<int64_t>(map.size()));
    for (const auto& [key, value] : map) {
      PutInt(out, key);
      put_value(out, value);
    }
  }
  PutBlockEnd(out);
}

// Java writes a null split_offsets list when the offsets are unknown; so do we.
void PutOptionalLongList(std::string* out, const std::vector<int64_t>& values) {
  if (values.empty()) {
    PutUnionBranch(out, kNullBranch);
    return;
  }
  PutUnionBranch(out, kValueBranch);
  PutBlockHeader(out, static_cast<int64_t>(values.size()));
  for (int64_t value : values) PutLong(out, value);
  PutBlockEnd(out);
}

Status PutPartition(std::string* out, const PartitionSpec& spec, const DataFile& file) {
  if (file.partition.size() != spec.fields.size()) {
    return Status::InvalidArgument("iceberg avro: {} has {} partition values, the spec {} fields",
                                   file.file_path, file.partition.size(), spec.fields.size());
  }
  for (const std::optional<int32_t>& value : file.partition) PutOptionalInt(out, value);
  return Status::Ok();
}

Status PutDataFile(std::string* out, const PartitionSpec& spec, const DataFile& file) {
  PutInt(out, 0);  // content: DATA; this writer never writes delete files
  PutString(out, file.file_path);
  PutString(out, file.file_format);
  O2P_RETURN_IF_ERROR(PutPartition(out, spec, file));
  PutLong(out, file.record_count);
  PutLong(out, file.file_size_in_bytes);
  PutIntKeyedMap(out, file.column_sizes, PutLong);
  PutIntKeyedMap(out, file.value_counts, PutLong);
  PutIntKeyedMap(out, file.null_value_counts, PutLong);
  PutIntKeyedMap(out, file.nan_value_counts, PutLong);
  PutIntKeyedMap(out, file.lower_bounds, PutBytes);
  PutIntKeyedMap(out, file.upper_bounds, PutBytes);
  PutUnionBranch(out, kNullBranch);  // key_metadata
  PutOptionalLongList(out, file.split_offsets);
  PutUnionBranch(out, kNullBranch);  // equality_ids: delete files only
  PutOptionalInt(out, file.sort_order_id);
  PutUnionBranch(out, kNullBranch);  // referenced_data_file: delete files only
  return Status::Ok();
}

Status PutManifestEntry(std::string* out, const PartitionSpec& spec, const ManifestEntry& entry) {
  PutInt(out, static_cast<int32_t>(entry.status));
  PutOptionalLong(out, entry.snapshot_id);
  PutOptionalLong(out, entry.sequence_number);
  PutOptionalLong(out, entry.file_sequence_number);
  return PutDataFile(out, spec, entry.data_file);
}

void PutFieldSummary(std::string* out, const PartitionFieldSummary& summary) {
  PutBoolean(out, summary.contains_null);
  PutUnionBranch(out, summary.contains_nan ? kValueBranch : kNullBranch);
  if (summary.contains_nan) PutBoolean(out, *summary.contains_nan);
  PutOptionalBytes(out, summary.lower_bound);
  PutOptionalBytes(out, summary.upper_bound);
}

void PutManifestFile(std::string* out, const ManifestFile& manifest) {
  PutString(out, manifest.manifest_path);
  PutLong(out, manifest.manifest_length);
  PutInt(out, manifest.partition_spec_id);
  PutInt(out, manifest.content);
  PutLong(out, manifest.sequence_number);
  PutLong(out, manifest.min_sequence_number);
  PutLong(out, manifest.added_snapshot_id);
  PutInt(out, manifest.added_files_count);
  PutInt(out, manifest.existing_files_count);
  PutInt(out, manifest.deleted_files_count);
  PutLong(out, manifest.added_rows_count);
  PutLong(out, manifest.existing_rows_count);
  PutLong(out, manifest.deleted_rows_count);
  // partitions: Java writes a list, empty for an unpartitioned spec, rather than null.
  PutUnionBranch(out, kValueBranch);
  if (!manifest.partitions.empty()) {
    PutBlockHeader(out, static_cast<int64_t>(manifest.partitions.size()));
    for (const PartitionFieldSummary& summary : manifest.partitions) PutFieldSummary(out, summary);
  }
  PutBlockEnd(out);
  PutOptionalBytes(out, manifest.key_metadata);
}

// The "partition-spec" metadata value must be the JSON array of fields (Iceberg spec,
// "Manifests"); callers may hold the whole spec object instead.
Result<std::string> PartitionSpecMetadata(const ManifestWriteOptions& options) {
  if (options.partition_spec_json.empty()) return PartitionFieldsJson(options.spec);
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(options.partition_spec_json, ec);
  if (ec) return Status::InvalidArgument("iceberg avro: partition spec JSON: {}", ec.message());
  if (parsed.is_array()) return options.partition_spec_json;
  const boost::json::object* object = parsed.if_object();
  const boost::json::value* fields = object ? object->if_contains("fields") : nullptr;
  if (fields == nullptr || !fields->is_array()) {
    return Status::InvalidArgument("iceberg avro: partition spec JSON has no fields array");
  }
  return boost::json::serialize(*fields);
}

std::string EncodeBound(int32_t value) {
  std::string bound;
  PutFixed32(&bound, static_cast<uint32_t>(value));  // Appendix D: int as 4-byte LE
  return bound;
}

}  // namespace

Result<std::string> WriteManifest(const ManifestWriteOptions& options,
                                  const std::vector<ManifestEntry>& entries) {
  if (options.format_version != 2 || options.content != "data") {
    return Status::Unimplemented("iceberg avro: only v2 data manifests are written");
  }
  O2P_ASSIGN_OR_RETURN(std::string schema_json, ManifestEntrySchemaJson(options.spec));
  O2P_ASSIGN_OR_RETURN(std::string spec_json, PartitionSpecMetadata(options));
  OcfMetadata metadata = {
      {"schema", options.schema_json},
      {"schema-id", std::to_string(options.schema_id)},
      {"partition-spec", std::move(spec_json)},
      {"partition-spec-id", std::to_string(options.spec.spec_id)},
      {"format-version", std::to_string(options.format_version)},
      {"content", options.content},
  };
  OcfWriter writer(std::move(schema_json), std::move(metadata), options.ocf);
  std::string datum;
  for (const ManifestEntry& entry : entries) {
    datum.clear();
    O2P_RETURN_IF_ERROR(PutManifestEntry(&datum, options.spec, entry));
    O2P_RETURN_IF_ERROR(writer.Append(datum));
  }
  return std::move(writer).Finish();
}

Result<std::vector<PartitionFieldSummary>> SummarizePartitions(
    const PartitionSpec& spec, const std::vector<ManifestEntry>& entries) {
  std::vector<PartitionFieldSummary> summaries(spec.fields.size());
  for (size_t field = 0; field < spec.fields.size(); ++field) {
    O2P_RETURN_IF_ERROR(CheckPartitionTransform(spec.fields[field]));
    std::optional<int32_t> min;
    std::optional<int32_t> max;
    for (const ManifestEntry& entry : entries) {
      const auto& partition = entry.data_file.partition;
      if (partition.size() != spec.fields.size()) {
        return Status::InvalidArgument("iceberg avro: {} has {} partition values, the spec {}",
                                       entry.data_file.file_path, partition.size(),
                                       spec.fields.size());
      }
      const std::optional<int32_t>& value = partition[field];
      if (!value) {
        summaries[field].contains_null = true;
        continue;
      }
      min = min ? std::min(*min, *value) : *value;
      max = max ? std::max(*max, *value) : *value;
    }
    // Java records contains_nan = false for types that cannot hold NaN.
    summaries[field].contains_nan = false;
    if (min) summaries[field].lower_bound = EncodeBound(*min);
    if (max) summaries[field].upper_bound = EncodeBound(*max);
  }
  return summaries;
}

Result<std::string> WriteManifestList(int64_t snapshot_id,
                                      std::optional<int64_t> parent_snapshot_id,
                                      int64_t sequence_number,
                                      const std::vector<ManifestFile>& manifests,
                                      const OcfWriterOptions& ocf) {
  OcfMetadata metadata = {
      {"snapshot-id", std::to_string(snapshot_id)},
      // Java writes String.valueOf(null) and PyIceberg str(None) -> "null"; we match them so
      // tools that compare the lists see the same keys.
      {"parent-snapshot-id", parent_snapshot_id ? std::to_string(*parent_snapshot_id) : "null"},
      {"sequence-number", std::to_string(sequence_number)},
      {"format-version", "2"},
  };
  OcfWriter writer(ManifestListSchemaJson(), std::move(metadata), ocf);
  std::string datum;
  for (const ManifestFile& manifest : manifests) {
    datum.clear();
    PutManifestFile(&datum, manifest);
    O2P_RETURN_IF_ERROR(writer.Append(datum));
  }
  return std::move(writer).Finish();
}

}  // namespace o2p::iceberg::avro
