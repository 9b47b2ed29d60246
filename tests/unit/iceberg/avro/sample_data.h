// Sample manifest entries and manifest-list entries shared by the unit tests and the
// o2p_write_sample_manifests program that the Python avro check reads. Every optional field
// the writer supports is set somewhere, so a round trip exercises all of them.
#pragma once

#include <string>
#include <vector>

#include "o2p/base/coding.h"
#include "o2p/iceberg/avro/manifest.h"
#include "o2p/iceberg/model.h"

namespace o2p::iceberg::avro::testing {

inline std::string Int32Bound(int32_t value) {
  std::string bound;
  PutFixed32(&bound, static_cast<uint32_t>(value));
  return bound;
}

inline std::string Int64Bound(int64_t value) {
  std::string bound;
  PutFixed64(&bound, static_cast<uint64_t>(value));
  return bound;
}

/// Partitioned by day and hour of field 3 ("timestamp").
inline PartitionSpec SampleSpec() {
  PartitionSpec spec;
  spec.spec_id = 0;
  spec.fields = {{3, 1000, "timestamp_day", "day"}, {3, 1001, "timestamp_hour", "hour"}};
  return spec;
}

inline std::string SampleTableSchemaJson() {
  return R"({"type":"struct","schema-id":0,"fields":[)"
         R"({"id":1,"name":"service_name","required":true,"type":"string"},)"
         R"({"id":2,"name":"body","required":false,"type":"string"},)"
         R"({"id":3,"name":"timestamp","required":true,"type":"timestamptz"}]})";
}

inline DataFile SampleDataFile(int index) {
  DataFile file;
  file.file_path =
      "s3://bucket/warehouse/otel/logs/data/file-" + std::to_string(index) + ".parquet";
  const int32_t day = 19700 + index;
  file.partition = {day, index == 2 ? std::optional<int32_t>() : day * 24 + index};
  file.record_count = 1000 * (index + 1);
  file.file_size_in_bytes = 4096 * (index + 1);
  file.column_sizes = {{1, 100 + index}, {2, 2000}, {3, 800}};
  file.value_counts = {{1, file.record_count}, {2, file.record_count}, {3, file.record_count}};
  file.null_value_counts = {{1, 0}, {2, 7 + index}, {3, 0}};
  file.nan_value_counts = {{4, 0}};
  file.lower_bounds = {{1, "api"}, {3, Int64Bound(1702080000000000 + index)}};
  file.upper_bounds = {{1, "worker"}, {3, Int64Bound(1702166399000000 + index)}};
  file.split_offsets = {4};
  if (index > 0) file.split_offsets.push_back(4 + 65536 * index);
  if (index == 1) file.sort_order_id = 0;
  return file;
}

/// Three ADDED entries; the last has a null hour partition value and explicit ids.
inline std::vector<ManifestEntry> SampleEntries() {
  std::vector<ManifestEntry> entries;
  for (int index = 0; index < 3; ++index) {
    ManifestEntry entry;
    entry.data_file = SampleDataFile(index);
    if (index == 2) {
      entry.status = ManifestEntryStatus::kExisting;
      entry.snapshot_id = 77;
      entry.sequence_number = 5;
      entry.file_sequence_number = 5;
    }
    entries.push_back(entry);
  }
  return entries;
}

inline ManifestWriteOptions SampleManifestOptions() {
  ManifestWriteOptions options;
  options.schema_json = SampleTableSchemaJson();
  options.schema_id = 0;
  options.spec = SampleSpec();
  return options;
}

/// Two manifest-list entries: a parent's manifest carried over, and a new one.
inline std::vector<ManifestFile> SampleManifestFiles(
    const std::vector<PartitionFieldSummary>& new_summaries) {
  ManifestFile parent;
  parent.manifest_path = "s3://bucket/warehouse/otel/logs/metadata/aaaa-m0.avro";
  parent.manifest_length = 6001;
  parent.sequence_number = 3;
  parent.min_sequence_number = 2;
  parent.added_snapshot_id = 1111;
  parent.added_files_count = 2;
  parent.existing_files_count = 1;
  parent.added_rows_count = 3000;
  parent.existing_rows_count = 500;
  parent.partitions = {{false, false, Int32Bound(19690), Int32Bound(19699)},
                       {true, std::nullopt, std::nullopt, std::nullopt}};
  parent.key_metadata = std::string("\x00\x01\xff", 3);
  ManifestFile added;
  added.manifest_path = "s3://bucket/warehouse/otel/logs/metadata/bbbb-m0.avro";
  added.manifest_length = 7002;
  added.sequence_number = 4;
  added.min_sequence_number = 4;
  added.added_snapshot_id = 2222;
  added.added_files_count = 3;
  added.deleted_files_count = 1;
  added.added_rows_count = 6000;
  added.deleted_rows_count = 10;
  added.partitions = new_summaries;
  return {parent, added};
}

}  // namespace o2p::iceberg::avro::testing
