// REST catalog messages: config and error responses we read, and the namespace, table and
// commit requests we send, compared as exact JSON text.
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
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr StatusCode kInvalid = StatusCode::kInvalidArgument;

TypePtr Primitive(const char* name) {
  return std::make_shared<const Type>(Type{Type::Kind::kPrimitive, name, {}});
}

Schema LogsSchema() {
  Schema schema;
  schema.fields = {
      NestedField{1, "Timestamp", true, Primitive("timestamptz"), ""},
      NestedField{2, "ServiceName", true, Primitive("string"), "service.name"},
  };
  return schema;
}

TEST(CatalogConfigJson, ReadsEveryMember) {
  Result<CatalogConfig> config = ParseCatalogConfig(
      R"({"defaults":{"clients":"4"},"overrides":{"prefix":"catalogs/main","ignored":null},)"
      R"("endpoints":["GET /v1/{prefix}/namespaces","POST /v1/{prefix}/transactions/commit"],)"
      R"("idempotency-key-lifetime":"PT30M","unknown":{"x":1}})");
  ASSERT_THAT(config, IsOk());
  EXPECT_THAT(config->defaults, ElementsAre(Pair("clients", "4")));
  EXPECT_THAT(config->overrides, ElementsAre(Pair("prefix", "catalogs/main")));
  EXPECT_THAT(config->endpoints,
              ElementsAre("GET /v1/{prefix}/namespaces", "POST /v1/{prefix}/transactions/commit"));
  EXPECT_EQ(config->idempotency_key_lifetime, "PT30M");
}

TEST(CatalogConfigJson, MissingMembersReadAsEmpty) {
  Result<CatalogConfig> config = ParseCatalogConfig("{}");
  ASSERT_THAT(config, IsOk());
  EXPECT_THAT(config->defaults, IsEmpty());
  EXPECT_THAT(config->endpoints, IsEmpty());
  EXPECT_FALSE(config->idempotency_key_lifetime.has_value());
}

TEST(CatalogConfigJson, WrongTypesNameTheirPath) {
  EXPECT_THAT(ParseCatalogConfig(R"({"defaults":[]})"),
              IsErrorWith(kInvalid, "defaults: expected an object, got an array"));
  EXPECT_THAT(ParseCatalogConfig(R"({"endpoints":["GET /v1/config",7]})"),
              IsErrorWith(kInvalid, "endpoints[1]: expected a string, got an integer"));
  EXPECT_THAT(ParseCatalogConfig("[]"),
              IsErrorWith(kInvalid, "JSON document: expected an object, got an array"));
}

TEST(ErrorResponseJson, ReadsTheErrorModel) {
  Result<ErrorResponse> error =
      ParseErrorResponse(R"({"error":{"message":"Requirement failed: branch main has changed",)"
                         R"("type":"CommitFailedException","code":409,"stack":["a","b"]}})");
  ASSERT_THAT(error, IsOk());
  EXPECT_EQ(error->message, "Requirement failed: branch main has changed");
  EXPECT_EQ(error->type, "CommitFailedException");
  EXPECT_EQ(error->code, 409);
  EXPECT_THAT(error->stack, ElementsAre("a", "b"));
}

TEST(ErrorResponseJson, ErrorsNameTheirPath) {
  EXPECT_THAT(ParseErrorResponse(R"({"message":"flat"})"),
              IsErrorWith(kInvalid, "JSON document: missing required field 'error'"));
  EXPECT_THAT(ParseErrorResponse(R"({"error":{"message":"m","type":"T","code":"409"}})"),
              IsErrorWith(kInvalid, "error.code: expected an integer, got a string"));
}

TEST(CreateNamespaceRequestJson, WritesNamespaceAndProperties) {
  EXPECT_EQ(CreateNamespaceRequestToJson({{"otel", "prod"}, {{"owner", "o2p"}}}),
            R"({"namespace":["otel","prod"],"properties":{"owner":"o2p"}})");
  EXPECT_EQ(CreateNamespaceRequestToJson({{"otel"}, {}}),
            R"({"namespace":["otel"],"properties":{}})");
}

TEST(CreateTableRequestJson, WritesEveryMemberInOrder) {
  CreateTableRequest request;
  request.name = "logs";
  request.schema = LogsSchema();
  request.location = "s3://b/otel/logs";
  request.partition_spec = PartitionSpec{0, {PartitionField{1, 1000, "Timestamp_day", "day"}}};
  request.write_order = SortOrder{1, {SortField{2, "identity", true, true}}};
  request.properties = {{"format-version", "2"}};
  EXPECT_EQ(CreateTableRequestToJson(request),
            R"({"name":"logs","location":"s3://b/otel/logs","schema":{"type":"struct",)"
            R"("schema-id":0,"fields":[{"id":1,"name":"Timestamp","required":true,)"
            R"("type":"timestamptz"},{"id":2,"name":"ServiceName","required":true,)"
            R"("type":"string","doc":"service.name"}]},"partition-spec":{"spec-id":0,)"
            R"("fields":[{"name":"Timestamp_day","transform":"day","source-id":1,)"
            R"("field-id":1000}]},"write-order":{"order-id":1,"fields":[{"transform":)"
            R"("identity","source-id":2,"direction":"asc","null-order":"nulls-first"}]},)"
            R"("properties":{"format-version":"2"}})");
}

TEST(CreateTableRequestJson, OmitsUnsetOptionalMembers) {
  CreateTableRequest request;
  request.name = "t";
  request.stage_create = true;
  EXPECT_EQ(CreateTableRequestToJson(request),
            R"({"name":"t","schema":{"type":"struct","schema-id":0,"fields":[]},)"
            R"("stage-create":true,"properties":{}})");
}

TEST(CommitTableRequestJson, WritesEveryRequirement) {
  CommitTableRequest request;
  request.requirements = {AssertCreate{},
                          AssertTableUuid{"9c12d441-03fe-4693-9a96-a0705ddf69c1"},
                          AssertRefSnapshotId{"main", std::nullopt},
                          AssertRefSnapshotId{"main", 42},
                          AssertCurrentSchemaId{1},
                          AssertLastAssignedFieldId{19},
                          AssertDefaultSpecId{0}};
  EXPECT_EQ(CommitTableRequestToJson(request),
            R"({"requirements":[{"type":"assert-create"},)"
            R"({"type":"assert-table-uuid","uuid":"9c12d441-03fe-4693-9a96-a0705ddf69c1"},)"
            R"({"type":"assert-ref-snapshot-id","ref":"main","snapshot-id":null},)"
            R"({"type":"assert-ref-snapshot-id","ref":"main","snapshot-id":42},)"
            R"({"type":"assert-current-schema-id","current-schema-id":1},)"
            R"({"type":"assert-last-assigned-field-id","last-assigned-field-id":19},)"
            R"({"type":"assert-default-spec-id","default-spec-id":0}],"updates":[]})");
}

TEST(CommitTableRequestJson, WritesAnAppendWithASchemaChange) {
  Snapshot snapshot;
  snapshot.snapshot_id = 7;
  snapshot.parent_snapshot_id = 6;
  snapshot.sequence_number = 3;
  snapshot.timestamp_ms = 1717171717171;
  snapshot.manifest_list = "s3://b/otel/logs/metadata/snap-7-1-u.avro";
  snapshot.schema_id = 2;
  snapshot.summary = {{"operation", "append"}, {"added-records", "10"}};
  Schema schema = LogsSchema();
  schema.schema_id = 2;
  schema.fields.resize(1);

  CommitTableRequest request;
  request.identifier = TableIdentifier{{"otel"}, "logs"};
  request.requirements = {AssertRefSnapshotId{"main", 6}};
  request.updates = {AddSchema{schema, 20}, SetCurrentSchema{}, AddSnapshot{snapshot},
                     SetSnapshotRef{"main", SnapshotRef{7, "branch"}},
                     SetProperties{{{"otlp2parquet.last-commit", "c1"}}}};
  EXPECT_EQ(CommitTableRequestToJson(request),
            R"({"identifier":{"namespace":["otel"],"name":"logs"},"requirements":[)"
            R"({"type":"assert-ref-snapshot-id","ref":"main","snapshot-id":6}],"updates":[)"
            R"({"action":"add-schema","schema":{"type":"struct","schema-id":2,"fields":[)"
            R"({"id":1,"name":"Timestamp","required":true,"type":"timestamptz"}]},)"
            R"("last-column-id":20},{"action":"set-current-schema","schema-id":-1},)"
            R"({"action":"add-snapshot","snapshot":{"snapshot-id":7,"parent-snapshot-id":6,)"
            R"("sequence-number":3,"timestamp-ms":1717171717171,)"
            R"("manifest-list":"s3://b/otel/logs/metadata/snap-7-1-u.avro",)"
            R"("summary":{"added-records":"10","operation":"append"},"schema-id":2}},)"
            R"({"action":"set-snapshot-ref","ref-name":"main","type":"branch","snapshot-id":7},)"
            R"({"action":"set-properties","updates":{"otlp2parquet.last-commit":"c1"}}]})");
}

}  // namespace
}  // namespace o2p::iceberg
