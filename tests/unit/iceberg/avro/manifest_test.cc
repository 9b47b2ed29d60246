#include "o2p/iceberg/avro/manifest.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "o2p/iceberg/avro/manifest_schemas.h"
#include "o2p/iceberg/avro/ocf_reader.h"
#include "support/matchers.h"
#include "unit/iceberg/avro/sample_data.h"

namespace o2p::iceberg::avro {
namespace {

using o2p::testing::IsError;
using o2p::testing::IsOk;
using testing::Int32Bound;
using testing::SampleEntries;
using testing::SampleManifestFiles;
using testing::SampleManifestOptions;

void ExpectSameDataFile(const DataFile& got, const DataFile& want) {
  EXPECT_EQ(got.file_path, want.file_path);
  EXPECT_EQ(got.file_format, want.file_format);
  EXPECT_EQ(got.partition, want.partition);
  EXPECT_EQ(got.record_count, want.record_count);
  EXPECT_EQ(got.file_size_in_bytes, want.file_size_in_bytes);
  EXPECT_EQ(got.column_sizes, want.column_sizes);
  EXPECT_EQ(got.value_counts, want.value_counts);
  EXPECT_EQ(got.null_value_counts, want.null_value_counts);
  EXPECT_EQ(got.nan_value_counts, want.nan_value_counts);
  EXPECT_EQ(got.lower_bounds, want.lower_bounds);
  EXPECT_EQ(got.upper_bounds, want.upper_bounds);
  EXPECT_EQ(got.split_offsets, want.split_offsets);
  EXPECT_EQ(got.sort_order_id, want.sort_order_id);
}

void ExpectSameManifestFile(const ManifestFile& got, const ManifestFile& want) {
  EXPECT_EQ(got.manifest_path, want.manifest_path);
  EXPECT_EQ(got.manifest_length, want.manifest_length);
  EXPECT_EQ(got.partition_spec_id, want.partition_spec_id);
  EXPECT_EQ(got.content, want.content);
  EXPECT_EQ(got.sequence_number, want.sequence_number);
  EXPECT_EQ(got.min_sequence_number, want.min_sequence_number);
  EXPECT_EQ(got.added_snapshot_id, want.added_snapshot_id);
  EXPECT_EQ(got.added_files_count, want.added_files_count);
  EXPECT_EQ(got.existing_files_count, want.existing_files_count);
  EXPECT_EQ(got.deleted_files_count, want.deleted_files_count);
  EXPECT_EQ(got.added_rows_count, want.added_rows_count);
  EXPECT_EQ(got.existing_rows_count, want.existing_rows_count);
  EXPECT_EQ(got.deleted_rows_count, want.deleted_rows_count);
  EXPECT_EQ(got.key_metadata, want.key_metadata);
  ASSERT_EQ(got.partitions.size(), want.partitions.size());
  for (size_t i = 0; i < got.partitions.size(); ++i) {
    EXPECT_EQ(got.partitions[i].contains_null, want.partitions[i].contains_null);
    EXPECT_EQ(got.partitions[i].contains_nan, want.partitions[i].contains_nan);
    EXPECT_EQ(got.partitions[i].lower_bound, want.partitions[i].lower_bound);
    EXPECT_EQ(got.partitions[i].upper_bound, want.partitions[i].upper_bound);
  }
}

// Every record field, at any depth, must carry a field-id (Iceberg spec, "Avro").
void ExpectFieldIdsEverywhere(const Node& node, int depth = 0) {
  ASSERT_LT(depth, 20);
  for (const Field& field : node.fields) {
    EXPECT_TRUE(field.field_id.has_value()) << node.name << "." << field.name;
    ExpectFieldIdsEverywhere(*field.type, depth + 1);
  }
  for (const Node* branch : node.branches) ExpectFieldIdsEverywhere(*branch, depth + 1);
  if (node.items != nullptr) ExpectFieldIdsEverywhere(*node.items, depth + 1);
}

TEST(ManifestTest, ManifestRoundTrips) {
  const std::vector<ManifestEntry> entries = SampleEntries();
  for (Codec codec : {Codec::kNull, Codec::kDeflate}) {
    ManifestWriteOptions options = SampleManifestOptions();
    options.ocf.codec = codec;
    Result<std::string> bytes = WriteManifest(options, entries);
    ASSERT_THAT(bytes, IsOk());
    Result<std::vector<ManifestEntry>> read = ReadManifest(*bytes);
    ASSERT_THAT(read, IsOk());
    ASSERT_EQ(read->size(), entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ((*read)[i].status, entries[i].status);
      EXPECT_EQ((*read)[i].snapshot_id, entries[i].snapshot_id);
      EXPECT_EQ((*read)[i].sequence_number, entries[i].sequence_number);
      EXPECT_EQ((*read)[i].file_sequence_number, entries[i].file_sequence_number);
      ExpectSameDataFile((*read)[i].data_file, entries[i].data_file);
    }
  }
}

TEST(ManifestTest, ManifestCarriesIcebergMetadataAndFieldIds) {
  const ManifestWriteOptions options = SampleManifestOptions();
  Result<std::string> bytes = WriteManifest(options, SampleEntries());
  ASSERT_THAT(bytes, IsOk());
  Result<OcfFile> file = ReadOcf(*bytes);
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->metadata.at("schema"), options.schema_json);
  EXPECT_EQ(file->metadata.at("schema-id"), "0");
  EXPECT_EQ(file->metadata.at("partition-spec"),
            R"([{"name":"timestamp_day","transform":"day","source-id":3,"field-id":1000},)"
            R"({"name":"timestamp_hour","transform":"hour","source-id":3,"field-id":1001}])");
  EXPECT_EQ(file->metadata.at("partition-spec-id"), "0");
  EXPECT_EQ(file->metadata.at("format-version"), "2");
  EXPECT_EQ(file->metadata.at("content"), "data");
  EXPECT_EQ(file->metadata.at("avro.codec"), "deflate");
  EXPECT_EQ(file->schema.root().name, "manifest_entry");
  ExpectFieldIdsEverywhere(file->schema.root());
  const Node* data_file = file->schema.root().FindField("data_file")->type;
  EXPECT_EQ(data_file->name, "r2");
  const Node* column_sizes = data_file->FindField("column_sizes")->type->branches[1];
  EXPECT_EQ(column_sizes->logical_type, "map");
  EXPECT_EQ(column_sizes->items->name, "k117_v118");
  EXPECT_EQ(column_sizes->items->fields[0].field_id, 117);
  EXPECT_EQ(column_sizes->items->fields[1].field_id, 118);
  EXPECT_EQ(data_file->FindField("split_offsets")->type->branches[1]->element_id, 133);
  const Node* partition = data_file->FindField("partition")->type;
  EXPECT_EQ(partition->name, "r102");
  EXPECT_EQ(partition->fields[0].field_id, 1000);
  EXPECT_EQ(partition->fields[0].type->branches[1]->logical_type, "date");
}

TEST(ManifestTest, PartitionSpecObjectIsReducedToItsFields) {
  ManifestWriteOptions options = SampleManifestOptions();
  options.partition_spec_json = R"({"spec-id":0,"fields":[{"name":"d"}]})";
  Result<std::string> bytes = WriteManifest(options, SampleEntries());
  ASSERT_THAT(bytes, IsOk());
  Result<OcfFile> file = ReadOcf(*bytes);
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->metadata.at("partition-spec"), R"([{"name":"d"}])");
}

TEST(ManifestTest, UnpartitionedManifestHasAnEmptyPartitionRecord) {
  ManifestWriteOptions options = SampleManifestOptions();
  options.spec.fields.clear();
  std::vector<ManifestEntry> entries = SampleEntries();
  for (ManifestEntry& entry : entries) entry.data_file.partition.clear();
  Result<std::string> bytes = WriteManifest(options, entries);
  ASSERT_THAT(bytes, IsOk());
  Result<std::vector<ManifestEntry>> read = ReadManifest(*bytes);
  ASSERT_THAT(read, IsOk());
  EXPECT_TRUE((*read)[0].data_file.partition.empty());
  EXPECT_THAT(SummarizePartitions(options.spec, entries), IsOk());
}

TEST(ManifestTest, InvalidInputsAreErrors) {
  ManifestWriteOptions options = SampleManifestOptions();
  std::vector<ManifestEntry> entries = SampleEntries();
  entries[1].data_file.partition.pop_back();
  EXPECT_THAT(WriteManifest(options, entries), IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(SummarizePartitions(options.spec, entries), IsError(StatusCode::kInvalidArgument));
  options.spec.fields[1].transform = "bucket[16]";
  EXPECT_THAT(WriteManifest(options, SampleEntries()), IsError(StatusCode::kUnimplemented));
  options = SampleManifestOptions();
  options.content = "deletes";
  EXPECT_THAT(WriteManifest(options, SampleEntries()), IsError(StatusCode::kUnimplemented));
}

TEST(ManifestTest, PartitionSummariesHoldNullsAndIntBounds) {
  Result<std::vector<PartitionFieldSummary>> summaries =
      SummarizePartitions(SampleManifestOptions().spec, SampleEntries());
  ASSERT_THAT(summaries, IsOk());
  ASSERT_EQ(summaries->size(), 2u);
  EXPECT_FALSE((*summaries)[0].contains_null);
  EXPECT_EQ((*summaries)[0].contains_nan, false);
  EXPECT_EQ((*summaries)[0].lower_bound, Int32Bound(19700));
  EXPECT_EQ((*summaries)[0].upper_bound, Int32Bound(19702));
  EXPECT_TRUE((*summaries)[1].contains_null);  // the third entry has no hour value
  EXPECT_EQ((*summaries)[1].lower_bound, Int32Bound(19700 * 24));
  EXPECT_EQ((*summaries)[1].upper_bound, Int32Bound(19701 * 24 + 1));
}

TEST(ManifestTest, ManifestListRoundTrips) {
  Result<std::vector<PartitionFieldSummary>> summaries =
      SummarizePartitions(SampleManifestOptions().spec, SampleEntries());
  ASSERT_THAT(summaries, IsOk());
  const std::vector<ManifestFile> files = SampleManifestFiles(*summaries);
  Result<std::string> bytes = WriteManifestList(2222, 1111, 4, files);
  ASSERT_THAT(bytes, IsOk());
  Result<std::vector<ManifestFile>> read = ReadManifestList(*bytes);
  ASSERT_THAT(read, IsOk());
  ASSERT_EQ(read->size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) ExpectSameManifestFile((*read)[i], files[i]);

  Result<OcfFile> file = ReadOcf(*bytes);
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->metadata.at("snapshot-id"), "2222");
  EXPECT_EQ(file->metadata.at("parent-snapshot-id"), "1111");
  EXPECT_EQ(file->metadata.at("sequence-number"), "4");
  EXPECT_EQ(file->metadata.at("format-version"), "2");
  EXPECT_EQ(file->schema.root().name, "manifest_file");
  ExpectFieldIdsEverywhere(file->schema.root());
}

TEST(ManifestTest, FirstSnapshotListSaysParentNull) {
  Result<std::string> bytes = WriteManifestList(1, std::nullopt, 1, {});
  ASSERT_THAT(bytes, IsOk());
  Result<OcfFile> file = ReadOcf(*bytes);
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->metadata.at("parent-snapshot-id"), "null");
  EXPECT_TRUE(file->records.empty());
}

TEST(ManifestTest, ManifestListReaderRejectsAManifest) {
  Result<std::string> manifest = WriteManifest(SampleManifestOptions(), SampleEntries());
  ASSERT_THAT(manifest, IsOk());
  EXPECT_THAT(ReadManifestList(*manifest), IsError(StatusCode::kInvalidArgument));
}

TEST(ManifestTest, TruncatedManifestListsAreErrors) {
  Result<std::string> bytes = WriteManifestList(2, 1, 2, SampleManifestFiles({}));
  ASSERT_THAT(bytes, IsOk());
  for (size_t length = 0; length + 1 < bytes->size(); length += 7) {
    Result<std::vector<ManifestFile>> read = ReadManifestList(bytes->substr(0, length));
    if (read.ok()) {
      EXPECT_TRUE(read->empty()) << length;  // only the bare header parses
    }
  }
}

}  // namespace
}  // namespace o2p::iceberg::avro
