// Types, schemas, partition specs, sort orders and snapshots <-> JSON, and the error paths
// readers report.
#include "o2p/iceberg/json.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/matchers.h"

namespace o2p::iceberg {
namespace {

using ::o2p::testing::HasValue;
using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;
using ::testing::ElementsAre;

constexpr StatusCode kInvalid = StatusCode::kInvalidArgument;

// Parses `json` as a type and writes it back.
std::string TypeRoundTrip(std::string_view json) {
  Result<TypePtr> type = TypeFromJson(json);
  EXPECT_THAT(type, IsOk()) << json;
  return type.has_value() ? TypeToJson(**type) : "";
}

TEST(TypeJson, EveryPrimitiveRoundTrips) {
  for (const char* name :
       {"boolean", "int", "long", "float", "double", "date", "time", "timestamp", "timestamptz",
        "timestamp_ns", "timestamptz_ns", "string", "uuid", "binary", "fixed[16]", "decimal(9,2)",
        "decimal(38,0)", "unknown", "variant"}) {
    const std::string json = std::string("\"") + name + "\"";
    EXPECT_EQ(TypeRoundTrip(json), json);
  }
}

TEST(TypeJson, PrimitiveSpellingsAreNormalized) {
  // Iceberg's Java library writes "decimal(P, S)" and reads names case-insensitively.
  EXPECT_EQ(TypeRoundTrip("\"decimal(18, 3)\""), "\"decimal(18,3)\"");
  EXPECT_EQ(TypeRoundTrip(R"("LONG")"), R"("long")");
  EXPECT_EQ(TypeRoundTrip(R"("fixed[ 4 ]")"), R"("fixed[4]")");
}

TEST(TypeJson, BadPrimitivesAreRejected) {
  for (const char* json : {"\"strin\"", "\"decimal(39,2)\"", "\"decimal(2,3)\"", "\"decimal(0,0)\"",
                           "\"fixed[0]\"", "\"fixed[x]\"", "\"\""}) {
    EXPECT_THAT(TypeFromJson(json), IsErrorWith(kInvalid, "primitive type")) << json;
  }
  EXPECT_THAT(TypeFromJson("7"),
              IsErrorWith(kInvalid, "JSON document: expected a primitive type name"));
}

TEST(TypeJson, NestedTypesRoundTripExactly) {
  const std::string list =
      R"({"type":"list","element-id":3,"element":"string","element-required":true})";
  const std::string map = R"({"type":"map","key-id":4,"key":"string","value-id":5,"value":"long",)"
                          R"("value-required":false})";
  const std::string nested =
      R"({"type":"struct","fields":[{"id":1,"name":"a","required":true,"type":)" + list +
      R"(},{"id":2,"name":"b","required":false,"type":)" + map + R"(,"doc":"attrs"}]})";
  EXPECT_EQ(TypeRoundTrip(list), list);
  EXPECT_EQ(TypeRoundTrip(map), map);
  EXPECT_EQ(TypeRoundTrip(nested), nested);
}

TEST(TypeJson, NestedTypesBuildTheModel) {
  Result<TypePtr> map =
      TypeFromJson(R"({"type":"map","key-id":4,"key":"string","value-id":5,"value":"long",)"
                   R"("value-required":true})");
  ASSERT_THAT(map, IsOk());
  const Type& type = **map;
  EXPECT_EQ(type.kind, Type::Kind::kMap);
  ASSERT_EQ(type.children.size(), 2u);
  EXPECT_EQ(type.children[0].id, 4);
  EXPECT_EQ(type.children[0].name, "key");
  EXPECT_TRUE(type.children[0].required);
  EXPECT_EQ(type.children[1].id, 5);
  EXPECT_EQ(type.children[1].name, "value");
  EXPECT_TRUE(type.children[1].required);
  EXPECT_EQ(type.children[1].type->primitive, "long");
}

TEST(TypeJson, NestedTypeErrorsNameTheirPath) {
  EXPECT_THAT(TypeFromJson(R"({"type":"tuple"})"),
              IsErrorWith(kInvalid, "type: unknown nested type 'tuple'"));
  EXPECT_THAT(TypeFromJson(R"({"type":"list","element-id":3,"element":"string"})"),
              IsErrorWith(kInvalid, "JSON document: missing required field 'element-required'"));
  EXPECT_THAT(TypeFromJson(R"({"type":"struct","fields":[{"id":1,"name":"a","required":"yes",)"
                           R"("type":"int"}]})"),
              IsErrorWith(kInvalid, "fields[0].required: expected a boolean, got a string"));
}

TEST(SchemaJson, RoundTripsWithIdentifierFieldsAndDocs) {
  const std::string json =
      R"({"type":"struct","schema-id":3,"identifier-field-ids":[1],"fields":[)"
      R"({"id":1,"name":"id","required":true,"type":"long","doc":"primary key"},)"
      R"({"id":2,"name":"tags","required":false,"type":{"type":"list","element-id":3,)"
      R"("element":"string","element-required":false}}]})";
  Result<Schema> schema = SchemaFromJson(json);
  ASSERT_THAT(schema, IsOk());
  EXPECT_EQ(schema->schema_id, 3);
  EXPECT_THAT(schema->identifier_field_ids, ElementsAre(1));
  ASSERT_EQ(schema->fields.size(), 2u);
  EXPECT_EQ(schema->fields[0].doc, "primary key");
  EXPECT_EQ(SchemaToJson(*schema), json);
}

TEST(SchemaJson, DuplicateFieldIdsAreRejected) {
  const std::string json =
      R"({"type":"struct","schema-id":0,"fields":[{"id":1,"name":"a","required":true,)"
      R"("type":"int"},{"id":2,"name":"b","required":false,"type":{"type":"list",)"
      R"("element-id":1,"element":"int","element-required":false}}]})";
  EXPECT_THAT(SchemaFromJson(json), IsErrorWith(kInvalid, "duplicate field id 1"));
}

TEST(SchemaJson, IdsMustFitInAnInt) {
  const std::string json =
      R"({"type":"struct","fields":[{"id":4294967296,"name":"a","required":true,"type":"int"}]})";
  EXPECT_THAT(SchemaFromJson(json),
              IsErrorWith(kInvalid, "fields[0].id: integer 4294967296 does not fit"));
}

TEST(PartitionSpecJson, RoundTrips) {
  const std::string json =
      R"({"spec-id":2,"fields":[{"name":"Timestamp_day","transform":"day","source-id":1,)"
      R"("field-id":1000},{"name":"svc_bucket","transform":"bucket[16]","source-id":2,)"
      R"("field-id":1001}]})";
  Result<PartitionSpec> spec = PartitionSpecFromJson(json);
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->spec_id, 2);
  EXPECT_EQ(spec->fields[1], (PartitionField{2, 1001, "svc_bucket", "bucket[16]"}));
  EXPECT_EQ(PartitionSpecToJson(*spec), json);
  EXPECT_EQ(PartitionFieldsToJson(*spec),
            R"([{"name":"Timestamp_day","transform":"day","source-id":1,"field-id":1000},)"
            R"({"name":"svc_bucket","transform":"bucket[16]","source-id":2,"field-id":1001}])");
}

TEST(PartitionSpecJson, MissingFieldIdsCountUpFrom1000) {
  Result<PartitionSpec> spec =
      PartitionSpecFromJson(R"({"fields":[{"name":"a","transform":"identity","source-id":4},)"
                            R"({"name":"b","transform":"hour","source-id":5}]})");
  ASSERT_THAT(spec, IsOk());
  EXPECT_EQ(spec->fields[0].field_id, 1000);
  EXPECT_EQ(spec->fields[1].field_id, 1001);
}

TEST(SortOrderJson, RoundTrips) {
  const std::string json =
      R"({"order-id":1,"fields":[{"transform":"identity","source-id":2,"direction":"asc",)"
      R"("null-order":"nulls-first"},{"transform":"day","source-id":1,"direction":"desc",)"
      R"("null-order":"nulls-last"}]})";
  Result<SortOrder> order = SortOrderFromJson(json);
  ASSERT_THAT(order, IsOk());
  EXPECT_EQ(order->fields[1], (SortField{1, "day", false, false}));
  EXPECT_EQ(SortOrderToJson(*order), json);
}

TEST(SortOrderJson, BadDirectionNamesItsPath) {
  EXPECT_THAT(SortOrderFromJson(R"({"order-id":1,"fields":[{"transform":"identity",)"
                                R"("source-id":2,"direction":"up","null-order":"nulls-first"}]})"),
              IsErrorWith(kInvalid, "fields[0].direction: expected 'asc' or 'desc', got 'up'"));
}

TEST(SnapshotJson, RoundTrips) {
  const std::string json =
      R"({"snapshot-id":9223372036854775807,"parent-snapshot-id":1,"sequence-number":7,)"
      R"("timestamp-ms":1717171717171,"manifest-list":"s3://b/t/metadata/snap-1.avro",)"
      R"("summary":{"added-records":"10","operation":"append"},"schema-id":2})";
  Result<Snapshot> snapshot = SnapshotFromJson(json);
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_EQ(snapshot->snapshot_id, 9223372036854775807);
  EXPECT_EQ(snapshot->parent_snapshot_id, 1);
  EXPECT_EQ(snapshot->summary.at("operation"), "append");
  EXPECT_EQ(snapshot->schema_id, 2);
  EXPECT_EQ(SnapshotToJson(*snapshot), json);
}

TEST(SnapshotJson, OptionalMembersMayBeAbsentOrNull) {
  Result<Snapshot> snapshot =
      SnapshotFromJson(R"({"snapshot-id":5,"parent-snapshot-id":null,"timestamp-ms":1,)"
                       R"("manifest-list":"s3://b/l.avro","summary":{"operation":"append"}})");
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_FALSE(snapshot->parent_snapshot_id.has_value());
  EXPECT_FALSE(snapshot->schema_id.has_value());
  EXPECT_EQ(snapshot->sequence_number, 0);
  EXPECT_EQ(SnapshotToJson(*snapshot),
            R"({"snapshot-id":5,"sequence-number":0,"timestamp-ms":1,)"
            R"("manifest-list":"s3://b/l.avro","summary":{"operation":"append"}})");
}

TEST(SnapshotJson, ErrorsNameTheirPath) {
  EXPECT_THAT(SnapshotFromJson(R"({"snapshot-id":5,"timestamp-ms":1,"manifest-list":"x",)"
                               R"("summary":{"added-records":"1"}})"),
              IsErrorWith(kInvalid, "summary: missing required field 'operation'"));
  EXPECT_THAT(SnapshotFromJson(R"({"snapshot-id":5,"timestamp-ms":1,"manifest-list":"x",)"
                               R"("summary":{"operation":"append","added-records":1}})"),
              IsErrorWith(kInvalid, "summary.added-records: expected a string, got an integer"));
  EXPECT_THAT(SnapshotFromJson(R"({"snapshot-id":1.5,"timestamp-ms":1})"),
              IsErrorWith(kInvalid, "snapshot-id: expected an integer"));
  EXPECT_THAT(SnapshotFromJson(R"({"snapshot-id":18446744073709551615,"timestamp-ms":1})"),
              IsErrorWith(kInvalid, "snapshot-id: integer does not fit"));
  EXPECT_THAT(SnapshotFromJson("[]"), IsErrorWith(kInvalid, "JSON document: expected an object"));
}

TEST(JsonText, SyntaxErrorsAreInvalidArgument) {
  EXPECT_THAT(SchemaFromJson(R"({"type":"struct",)"), IsErrorWith(kInvalid, "invalid JSON"));
  EXPECT_THAT(SchemaFromJson(""), IsErrorWith(kInvalid, "invalid JSON"));
  EXPECT_THAT(SchemaFromJson(R"({"fields":[]} trailing)"), IsErrorWith(kInvalid, "invalid JSON"));
}

TEST(JsonText, DeepNestingIsReadUpToALimit) {
  // A list of lists 40 deep is beyond Boost.JSON's default depth (32) but a legal schema.
  std::string json = R"("int")";
  for (int depth = 0; depth < 40; ++depth) {
    json = R"({"type":"list","element-id":)" + std::to_string(depth + 1) + R"(,"element":)" + json +
           R"(,"element-required":true})";
  }
  EXPECT_THAT(TypeFromJson(json), IsOk());
  std::string too_deep(100000, '[');
  EXPECT_THAT(TypeFromJson(too_deep), IsErrorWith(kInvalid, "invalid JSON"));
}

}  // namespace
}  // namespace o2p::iceberg
