// Table metadata and LoadTableResult JSON: the golden documents in tests/data/iceberg/ (a v2
// table, a v1 metadata file, and a table as AWS S3 Tables returns it), round trips, and the
// errors a broken document yields.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/iceberg/json.h"
#include "support/matchers.h"

namespace o2p::iceberg {
namespace {

using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::Pair;

constexpr StatusCode kInvalid = StatusCode::kInvalidArgument;

std::string ReadGolden(const std::string& name) {
  const char* source_dir = std::getenv("O2P_SOURCE_DIR");
  EXPECT_NE(source_dir, nullptr) << "ctest sets O2P_SOURCE_DIR";
  if (source_dir == nullptr) return "";
  std::ifstream in(std::string(source_dir) + "/tests/data/iceberg/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writing what was read and reading it again must give the same text: nothing the model
// holds is lost on the way out.
void ExpectStableRoundTrip(const TableMetadata& metadata) {
  const std::string written = TableMetadataToJson(metadata);
  Result<TableMetadata> reread = TableMetadataFromJson(written);
  ASSERT_THAT(reread, IsOk()) << written;
  EXPECT_EQ(TableMetadataToJson(*reread), written);
}

// The smallest valid v2 metadata, for error tests to break one member at a time.
std::string MinimalV2(const std::string& replace_from = "", const std::string& replace_to = "") {
  std::string json =
      R"({"format-version":2,"table-uuid":"u","location":"s3://b/t","last-sequence-number":0,)"
      R"("last-updated-ms":1,"last-column-id":1,"current-schema-id":0,"schemas":[{"type":)"
      R"("struct","schema-id":0,"fields":[{"id":1,"name":"a","required":false,"type":"int"}]}],)"
      R"("default-spec-id":0,"partition-specs":[{"spec-id":0,"fields":[]}],)"
      R"("last-partition-id":999,"default-sort-order-id":0,"sort-orders":[{"order-id":0,)"
      R"("fields":[]}]})";
  if (!replace_from.empty()) {
    const std::size_t at = json.find(replace_from);
    EXPECT_NE(at, std::string::npos) << replace_from;
    if (at != std::string::npos) json.replace(at, replace_from.size(), replace_to);
  }
  return json;
}

TEST(LoadTableResultJson, ReadsAV2TableWithSnapshotsAndRefs) {
  Result<LoadTableResult> result = ParseLoadTableResult(ReadGolden("load_table_v2.json"));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->metadata_location,
            "s3://o2p-warehouse/otel/logs/metadata/"
            "00002-4c1d7a1e-6d2f-4b7a-9a43-0d3c5a9b8e11.metadata.json");
  const TableMetadata& metadata = result->metadata;
  EXPECT_EQ(metadata.format_version, 2);
  EXPECT_EQ(metadata.table_uuid, "9c12d441-03fe-4693-9a96-a0705ddf69c1");
  EXPECT_EQ(metadata.last_sequence_number, 2);
  EXPECT_EQ(metadata.last_column_id, 19);
  ASSERT_NE(metadata.CurrentSchema(), nullptr);
  const Schema& schema = *metadata.CurrentSchema();
  EXPECT_EQ(schema.schema_id, 1);
  EXPECT_THAT(schema.identifier_field_ids, ElementsAre(2));
  ASSERT_EQ(schema.fields.size(), 11u);
  EXPECT_EQ(schema.fields[0].doc, "Event time, UTC");
  EXPECT_EQ(schema.fields[5].type->primitive, "decimal(18,3)");
  EXPECT_EQ(schema.fields[6].type->primitive, "timestamp_ns");
  const Type& events = *schema.fields[10].type;
  ASSERT_EQ(events.kind, Type::Kind::kList);
  EXPECT_EQ(events.children[0].id, 17);
  EXPECT_EQ(events.children[0].type->children[1].name, "Time");

  ASSERT_NE(metadata.DefaultSpec(), nullptr);
  EXPECT_THAT(metadata.DefaultSpec()->fields,
              ElementsAre(PartitionField{1, 1000, "Timestamp_day", "day"}));
  EXPECT_EQ(metadata.last_partition_id, 1000);
  EXPECT_EQ(metadata.default_sort_order_id, 1);
  EXPECT_EQ(metadata.sort_orders[1].fields[1], (SortField{1, "identity", false, false}));
  EXPECT_THAT(metadata.properties, ElementsAre(Pair("otlp2parquet.signal", "logs"),
                                               Pair("write.parquet.compression-codec", "zstd")));

  ASSERT_NE(metadata.CurrentSnapshot(), nullptr);
  EXPECT_EQ(metadata.CurrentSnapshot()->parent_snapshot_id, 3051729675574597004);
  EXPECT_EQ(metadata.CurrentSnapshot()->summary.at("total-records"), "350");
  EXPECT_EQ(metadata.refs.at("main").snapshot_id, 3055729675574597004);
  EXPECT_EQ(metadata.refs.at("audit-2024").type, "tag");

  EXPECT_THAT(result->config, ElementsAre(Pair("client.region", "eu-west-1")));
  ASSERT_EQ(result->storage_credentials.size(), 1u);
  EXPECT_EQ(result->storage_credentials[0].prefix, "s3://o2p-warehouse/otel/");
  EXPECT_EQ(result->storage_credentials[0].config.at("s3.session-token"), "token");
  ExpectStableRoundTrip(metadata);
}

TEST(LoadTableResultJson, ReadsAnS3TablesTableWithExtraMembers) {
  Result<LoadTableResult> result = ParseLoadTableResult(ReadGolden("load_table_s3tables.json"));
  ASSERT_THAT(result, IsOk());
  const TableMetadata& metadata = result->metadata;
  EXPECT_FALSE(metadata.current_snapshot_id.has_value());
  EXPECT_TRUE(metadata.snapshots.empty());
  EXPECT_TRUE(metadata.refs.empty());
  EXPECT_TRUE(result->config.empty());
  EXPECT_TRUE(result->storage_credentials.empty());
  const Schema& schema = *metadata.CurrentSchema();
  ASSERT_EQ(schema.fields.size(), 6u);
  EXPECT_EQ(schema.fields[3].type->children[1].id, 7);
  EXPECT_EQ(schema.fields[5].name, "legacy_note");
  ExpectStableRoundTrip(metadata);
}

TEST(TableMetadataJson, ReadsV1Layout) {
  Result<TableMetadata> metadata = TableMetadataFromJson(ReadGolden("table_metadata_v1.json"));
  ASSERT_THAT(metadata, IsOk());
  EXPECT_EQ(metadata->format_version, 1);
  EXPECT_EQ(metadata->last_sequence_number, 0);
  ASSERT_EQ(metadata->schemas.size(), 1u);
  EXPECT_EQ(metadata->current_schema_id, 0);
  EXPECT_EQ(metadata->CurrentSchema()->fields[2].type->primitive, "decimal(9,2)");
  // v1 partition fields had no ids; Java numbers them from 1000.
  EXPECT_THAT(metadata->DefaultSpec()->fields,
              ElementsAre(PartitionField{1, 1000, "ts_day", "day"},
                          PartitionField{2, 1001, "level", "identity"}));
  EXPECT_EQ(metadata->last_partition_id, 1001);
  ASSERT_EQ(metadata->sort_orders.size(), 1u);
  EXPECT_TRUE(metadata->sort_orders[0].fields.empty());
  // No "refs" in v1: main follows the current snapshot.
  EXPECT_EQ(metadata->refs.at("main").snapshot_id, 6234567890123456789);
  EXPECT_EQ(metadata->refs.at("main").type, "branch");
  EXPECT_TRUE(metadata->CurrentSnapshot()->summary.empty());
  ExpectStableRoundTrip(*metadata);
}

TEST(TableMetadataJson, WritesV1CompatibilityFieldsOnlyForV1) {
  Result<TableMetadata> metadata = TableMetadataFromJson(ReadGolden("table_metadata_v1.json"));
  ASSERT_THAT(metadata, IsOk());
  const std::string v1 = TableMetadataToJson(*metadata);
  EXPECT_THAT(v1, ::testing::HasSubstr(R"("schema":{"type":"struct","schema-id":0,)"));
  EXPECT_THAT(v1, ::testing::HasSubstr(R"("partition-spec":[{"name":"ts_day")"));
  metadata->format_version = 2;
  EXPECT_THAT(TableMetadataToJson(*metadata), ::testing::Not(::testing::HasSubstr("\"schema\"")));
}

TEST(TableMetadataJson, WritesEveryV2FieldInAFixedOrder) {
  Result<TableMetadata> metadata = TableMetadataFromJson(MinimalV2());
  ASSERT_THAT(metadata, IsOk());
  EXPECT_EQ(TableMetadataToJson(*metadata),
            R"({"format-version":2,"table-uuid":"u","location":"s3://b/t",)"
            R"("last-sequence-number":0,"last-updated-ms":1,"last-column-id":1,)"
            R"("current-schema-id":0,"schemas":[{"type":"struct","schema-id":0,"fields":[)"
            R"({"id":1,"name":"a","required":false,"type":"int"}]}],"default-spec-id":0,)"
            R"("partition-specs":[{"spec-id":0,"fields":[]}],"last-partition-id":999,)"
            R"("default-sort-order-id":0,"sort-orders":[{"order-id":0,"fields":[]}],)"
            R"("properties":{},"current-snapshot-id":-1,"refs":{},"snapshots":[]})");
}

TEST(TableMetadataJson, MinusOneMeansNoCurrentSnapshot) {
  Result<TableMetadata> metadata = TableMetadataFromJson(
      MinimalV2(R"("sort-orders")", R"("current-snapshot-id":-1,"sort-orders")"));
  ASSERT_THAT(metadata, IsOk());
  EXPECT_FALSE(metadata->current_snapshot_id.has_value());
  EXPECT_EQ(metadata->CurrentSnapshot(), nullptr);
  EXPECT_TRUE(metadata->refs.empty());
}

TEST(TableMetadataJson, MissingRequiredV2FieldsAreErrors) {
  EXPECT_THAT(
      TableMetadataFromJson(MinimalV2(R"("last-sequence-number":0,)", "")),
      IsErrorWith(kInvalid, "JSON document: missing required field 'last-sequence-number'"));
  EXPECT_THAT(TableMetadataFromJson(MinimalV2(R"("table-uuid":"u",)", "")),
              IsErrorWith(kInvalid, "missing required field 'table-uuid'"));
  EXPECT_THAT(TableMetadataFromJson(MinimalV2(R"("last-partition-id":999,)", "")),
              IsErrorWith(kInvalid, "missing required field 'last-partition-id'"));
  EXPECT_THAT(TableMetadataFromJson(MinimalV2(R"("default-sort-order-id":0,)", "")),
              IsErrorWith(kInvalid, "missing required field 'default-sort-order-id'"));
}

TEST(TableMetadataJson, InconsistentIdsAreErrors) {
  EXPECT_THAT(
      TableMetadataFromJson(MinimalV2(R"("current-schema-id":0)", R"("current-schema-id":4)")),
      IsErrorWith(kInvalid, "current-schema-id 4 names no schema"));
  EXPECT_THAT(TableMetadataFromJson(MinimalV2(R"("default-spec-id":0)", R"("default-spec-id":1)")),
              IsErrorWith(kInvalid, "default-spec-id 1 names no spec"));
  EXPECT_THAT(TableMetadataFromJson(
                  MinimalV2(R"("sort-orders")", R"("current-snapshot-id":12,"sort-orders")")),
              IsErrorWith(kInvalid, "current-snapshot-id 12 names no snapshot"));
  EXPECT_THAT(TableMetadataFromJson(MinimalV2(R"("format-version":2)", R"("format-version":4)")),
              IsErrorWith(kInvalid, "format-version: unsupported format version 4"));
}

TEST(LoadTableResultJson, ErrorsCarryTheJsonPath) {
  const std::string bad_type = MinimalV2(R"("type":"int")", R"("type":"integer")");
  EXPECT_THAT(ParseLoadTableResult(R"({"metadata":)" + bad_type + "}"),
              IsErrorWith(kInvalid,
                          "metadata.schemas[0].fields[0].type: unknown primitive type 'integer'"));
  const std::string bad_id = MinimalV2(R"("id":1)", R"("id":"1")");
  EXPECT_THAT(
      ParseLoadTableResult(R"({"metadata":)" + bad_id + "}"),
      IsErrorWith(kInvalid, "metadata.schemas[0].fields[0].id: expected an integer, got a string"));
  const std::string no_location = MinimalV2(R"("location":"s3://b/t",)", "");
  EXPECT_THAT(ParseLoadTableResult(R"({"metadata":)" + no_location + "}"),
              IsErrorWith(kInvalid, "metadata: missing required field 'location'"));
  EXPECT_THAT(ParseLoadTableResult(R"({"metadata-location":"x"})"),
              IsErrorWith(kInvalid, "JSON document: missing required field 'metadata'"));
  EXPECT_THAT(ParseLoadTableResult(R"({"metadata":)" + MinimalV2() +
                                   R"(,"storage-credentials":[{"prefix":"s3://b/"}]})"),
              IsErrorWith(kInvalid, "storage-credentials[0]: missing required field 'config'"));
  EXPECT_THAT(ParseLoadTableResult(R"({"metadata":)" + MinimalV2() + R"(,"config":{"k":["v"]}})"),
              IsErrorWith(kInvalid, "config.k: expected a string, got an array"));
}

TEST(LoadTableResultJson, RefsMustBeWellFormed) {
  const std::string snapshot =
      R"("current-snapshot-id":7,"snapshots":[{"snapshot-id":7,"sequence-number":1,)"
      R"("timestamp-ms":1,"manifest-list":"s3://b/l.avro","summary":{"operation":"append"}}],)";
  const std::string metadata =
      MinimalV2(R"("sort-orders")",
                snapshot + R"("refs":{"main":{"snapshot-id":7,"type":"trunk"}},"sort-orders")");
  EXPECT_THAT(ParseLoadTableResult(R"({"metadata":)" + metadata + "}"),
              IsErrorWith(kInvalid, "metadata.refs.main: ref type must be 'branch' or 'tag'"));
}

}  // namespace
}  // namespace o2p::iceberg
