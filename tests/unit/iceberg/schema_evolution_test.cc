// MapSchema: our schema (our ids) fitted onto a table's schema (the catalog's ids).
#include "o2p/iceberg/schema_evolution.h"

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
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr StatusCode kPrecondition = StatusCode::kFailedPrecondition;

TypePtr Primitive(const char* name) {
  return std::make_shared<const Type>(Type{Type::Kind::kPrimitive, name, {}});
}

NestedField Field(int32_t id, const char* name, bool required, TypePtr type) {
  return NestedField{id, name, required, std::move(type), ""};
}

TypePtr ListOf(int32_t element_id, TypePtr element, bool element_required = false) {
  return std::make_shared<const Type>(
      Type{Type::Kind::kList, "", {Field(element_id, "element", element_required, element)}});
}

TypePtr MapOf(int32_t key_id, int32_t value_id, TypePtr value) {
  return std::make_shared<const Type>(Type{
      Type::Kind::kMap,
      "",
      {Field(key_id, "key", true, Primitive("string")), Field(value_id, "value", false, value)}});
}

TypePtr StructOf(std::vector<NestedField> fields) {
  return std::make_shared<const Type>(Type{Type::Kind::kStruct, "", std::move(fields)});
}

Schema MakeSchema(int32_t schema_id, std::vector<NestedField> fields) {
  Schema schema;
  schema.schema_id = schema_id;
  schema.fields = std::move(fields);
  return schema;
}

// The table: ids as a catalog numbers them (top level first, nested after).
Schema TableSchema() {
  return MakeSchema(
      3, {Field(1, "Timestamp", true, Primitive("timestamptz")),
          Field(2, "ServiceName", true, Primitive("string")),
          Field(3, "Attributes", false, MapOf(6, 7, Primitive("string"))),
          Field(4, "Events", false,
                ListOf(8, StructOf({Field(9, "Name", true, Primitive("string")),
                                    Field(10, "Time", false, Primitive("timestamptz"))}))),
          Field(5, "Note", false, Primitive("string"))});
}

// Ours: the same columns (minus the optional Note), numbered depth first from 100.
Schema OurSchema() {
  return MakeSchema(
      0, {Field(100, "Timestamp", true, Primitive("timestamptz")),
          Field(101, "ServiceName", true, Primitive("string")),
          Field(102, "Attributes", false, MapOf(103, 104, Primitive("string"))),
          Field(105, "Events", false,
                ListOf(106, StructOf({Field(107, "Name", true, Primitive("string")),
                                      Field(108, "Time", false, Primitive("timestamptz"))})))});
}

TEST(MapSchema, SameColumnsMapEveryIdIncludingNestedOnes) {
  Result<SchemaMapping> mapping = MapSchema(TableSchema(), 10, OurSchema());
  ASSERT_THAT(mapping, IsOk());
  EXPECT_THAT(mapping->field_ids,
              ElementsAre(Pair(100, 1), Pair(101, 2), Pair(102, 3), Pair(103, 6), Pair(104, 7),
                          Pair(105, 4), Pair(106, 8), Pair(107, 9), Pair(108, 10)));
  EXPECT_FALSE(mapping->schema_changed());
  EXPECT_THAT(mapping->added_columns, IsEmpty());
  EXPECT_EQ(mapping->last_column_id, 10);
  EXPECT_EQ(SchemaToJson(mapping->schema), SchemaToJson(TableSchema()));
}

TEST(MapSchema, AddedColumnsGetOptionalFreshIdsAfterLastColumnId) {
  Schema ours = OurSchema();
  ours.fields.push_back(Field(110, "EventName", true, Primitive("string")));
  ours.fields.push_back(Field(111, "ScopeAttributes", false, MapOf(112, 113, Primitive("long"))));
  Result<SchemaMapping> mapping = MapSchema(TableSchema(), 12, ours);
  ASSERT_THAT(mapping, IsOk());
  EXPECT_THAT(mapping->added_columns, ElementsAre("EventName", "ScopeAttributes"));
  EXPECT_EQ(mapping->field_ids.at(110), 13);
  EXPECT_EQ(mapping->field_ids.at(111), 14);
  EXPECT_EQ(mapping->field_ids.at(112), 15);
  EXPECT_EQ(mapping->field_ids.at(113), 16);
  EXPECT_EQ(mapping->last_column_id, 16);
  EXPECT_EQ(mapping->schema.schema_id, 4);

  // Existing columns keep their ids and order; the optional Note we do not write stays.
  const std::vector<NestedField>& fields = mapping->schema.fields;
  ASSERT_EQ(fields.size(), 7u);
  EXPECT_EQ(fields[4].name, "Note");
  EXPECT_EQ(fields[5].id, 13);
  EXPECT_FALSE(fields[5].required) << "added columns are optional";
  EXPECT_EQ(fields[6].id, 14);
  EXPECT_EQ(fields[6].type->children[0].id, 15);
  EXPECT_EQ(fields[6].type->children[1].id, 16);
  EXPECT_EQ(fields[6].type->children[1].type->primitive, "long");
}

TEST(MapSchema, NestedAddsFollowJavaFreshIdOrder) {
  // Java's AssignFreshIds numbers a struct's direct children before descending into them.
  Schema ours = OurSchema();
  ours.fields.push_back(Field(
      120, "Links", false,
      ListOf(121, StructOf({Field(122, "TraceId", true, Primitive("fixed[16]")),
                            Field(123, "Attributes", false, MapOf(124, 125, Primitive("string"))),
                            Field(126, "Flags", false, Primitive("int"))}))));
  Result<SchemaMapping> mapping = MapSchema(TableSchema(), 10, ours);
  ASSERT_THAT(mapping, IsOk());
  EXPECT_THAT(mapping->field_ids,
              ::testing::IsSupersetOf({Pair(120, 11), Pair(121, 12), Pair(122, 13), Pair(123, 14),
                                       Pair(126, 15), Pair(124, 16), Pair(125, 17)}));
  EXPECT_EQ(mapping->last_column_id, 17);
  // Inside the added column, children keep the optionality we gave them.
  const Type& element = *mapping->schema.fields.back().type->children[0].type;
  EXPECT_TRUE(element.children[0].required);
}

TEST(MapSchema, MissingStructMemberIsAddedInPlace) {
  Schema ours = OurSchema();
  Type events = *ours.fields[3].type;
  Type element = *events.children[0].type;
  element.children.push_back(Field(109, "DroppedAttributes", false, Primitive("int")));
  events.children[0].type = std::make_shared<const Type>(element);
  ours.fields[3].type = std::make_shared<const Type>(events);

  Result<SchemaMapping> mapping = MapSchema(TableSchema(), 10, ours);
  ASSERT_THAT(mapping, IsOk());
  EXPECT_THAT(mapping->added_columns, ElementsAre("Events.element.DroppedAttributes"));
  EXPECT_EQ(mapping->field_ids.at(109), 11);
  const Type& table_element = *mapping->schema.fields[3].type->children[0].type;
  ASSERT_EQ(table_element.children.size(), 3u);
  EXPECT_EQ(table_element.children[2].id, 11);
  EXPECT_EQ(table_element.children[2].name, "DroppedAttributes");
}

TEST(MapSchema, ExactNamesWinOverCaseInsensitiveOnes) {
  const Schema table = MakeSchema(0, {Field(1, "timestamp", false, Primitive("string")),
                                      Field(2, "Timestamp", true, Primitive("timestamptz")),
                                      Field(3, "servicename", true, Primitive("string"))});
  const Schema ours = MakeSchema(0, {Field(10, "Timestamp", true, Primitive("timestamptz")),
                                     Field(11, "ServiceName", true, Primitive("string"))});
  Result<SchemaMapping> mapping = MapSchema(table, 3, ours);
  ASSERT_THAT(mapping, IsOk());
  EXPECT_THAT(mapping->field_ids, ElementsAre(Pair(10, 2), Pair(11, 3)));
  EXPECT_FALSE(mapping->schema_changed());
}

TEST(MapSchema, AmbiguousCaseInsensitiveNamesAreNotMatched) {
  // Neither table column is exactly ours, and both fold to it: ours becomes a new column.
  const Schema table = MakeSchema(0, {Field(1, "body", false, Primitive("string")),
                                      Field(2, "BODY", false, Primitive("string"))});
  const Schema ours = MakeSchema(0, {Field(10, "Body", false, Primitive("string"))});
  Result<SchemaMapping> mapping = MapSchema(table, 2, ours);
  ASSERT_THAT(mapping, IsOk());
  EXPECT_THAT(mapping->added_columns, ElementsAre("Body"));
  EXPECT_EQ(mapping->field_ids.at(10), 3);
}

TEST(MapSchema, TypeConflictIsAFailedPrecondition) {
  Schema table = TableSchema();
  table.fields[0].type = Primitive("string");
  EXPECT_THAT(MapSchema(table, 10, OurSchema()),
              IsErrorWith(kPrecondition,
                          "column 'Timestamp' has type string in the table but we write "
                          "timestamptz"));
  table = TableSchema();
  table.fields[3].type = Primitive("string");
  EXPECT_THAT(MapSchema(table, 10, OurSchema()),
              IsErrorWith(kPrecondition,
                          "column 'Events' has type string in the table but we "
                          "write list"));
}

TEST(MapSchema, NestedTypeConflictNamesThePath) {
  Schema table = TableSchema();
  table.fields[2].type = MapOf(6, 7, Primitive("binary"));
  EXPECT_THAT(MapSchema(table, 10, OurSchema()),
              IsErrorWith(kPrecondition, "column 'Attributes.value' has type binary"));
}

TEST(MapSchema, RequiredTableColumnWeDoNotWriteIsAnError) {
  Schema table = TableSchema();
  table.fields.push_back(Field(11, "TenantId", true, Primitive("string")));
  EXPECT_THAT(MapSchema(table, 11, OurSchema()),
              IsErrorWith(kPrecondition, "table column 'TenantId' is required"));
}

TEST(MapSchema, OptionalDataForARequiredTableColumnIsAnError) {
  Schema ours = OurSchema();
  ours.fields[1].required = false;
  EXPECT_THAT(MapSchema(TableSchema(), 10, ours),
              IsErrorWith(kPrecondition,
                          "table column 'ServiceName' is required but ours is "
                          "optional"));
}

TEST(MapSchema, SpecPromotionsAreCompatible) {
  const Schema table = MakeSchema(
      0, {Field(1, "a", false, Primitive("long")), Field(2, "b", false, Primitive("double")),
          Field(3, "c", false, Primitive("decimal(18,3)"))});
  const Schema ours = MakeSchema(
      0, {Field(1, "a", true, Primitive("int")), Field(2, "b", false, Primitive("float")),
          Field(3, "c", false, Primitive("decimal(10, 3)"))});
  Result<SchemaMapping> mapping = MapSchema(table, 3, ours);
  ASSERT_THAT(mapping, IsOk());
  EXPECT_FALSE(mapping->schema_changed());
  EXPECT_EQ(mapping->schema.fields[0].type->primitive, "long");

  const Schema narrower = MakeSchema(0, {Field(1, "a", false, Primitive("int"))});
  const Schema wider = MakeSchema(0, {Field(1, "a", false, Primitive("long"))});
  EXPECT_THAT(MapSchema(narrower, 1, wider), IsErrorWith(kPrecondition, "type int"));
  const Schema other_scale = MakeSchema(0, {Field(3, "c", false, Primitive("decimal(10,2)"))});
  EXPECT_THAT(MapSchema(table, 3, other_scale), IsErrorWith(kPrecondition, "decimal(18,3)"));
}

TEST(MapSchema, NeverReusesIdsWhenLastColumnIdLags) {
  Schema ours = OurSchema();
  ours.fields.push_back(Field(110, "EventName", false, Primitive("string")));
  Result<SchemaMapping> mapping = MapSchema(TableSchema(), 4, ours);
  ASSERT_THAT(mapping, IsOk());
  EXPECT_EQ(mapping->field_ids.at(110), 11);
  EXPECT_EQ(mapping->last_column_id, 11);
}

TEST(MapSchemaForTable, NewSchemaIdIsAboveEverySchemaOfTheTable) {
  TableMetadata metadata;
  metadata.last_column_id = 10;
  metadata.schemas = {MakeSchema(0, {}), TableSchema(), MakeSchema(7, {})};
  metadata.current_schema_id = 3;
  Schema ours = OurSchema();
  ours.fields.push_back(Field(110, "EventName", false, Primitive("string")));
  Result<SchemaMapping> mapping = MapSchemaForTable(metadata, ours);
  ASSERT_THAT(mapping, IsOk());
  EXPECT_EQ(mapping->schema.schema_id, 8);

  metadata.current_schema_id = 42;
  EXPECT_THAT(MapSchemaForTable(metadata, ours),
              IsErrorWith(StatusCode::kInvalidArgument, "current-schema-id 42"));
}

std::string ReadGolden(const std::string& name) {
  const char* source_dir = std::getenv("O2P_SOURCE_DIR");
  EXPECT_NE(source_dir, nullptr) << "ctest sets O2P_SOURCE_DIR";
  if (source_dir == nullptr) return "";
  std::ifstream in(std::string(source_dir) + "/tests/data/iceberg/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(MapSchemaForTable, MatchesALowerCasedS3TablesTable) {
  Result<LoadTableResult> loaded = ParseLoadTableResult(ReadGolden("load_table_s3tables.json"));
  ASSERT_THAT(loaded, IsOk());
  const Schema ours =
      MakeSchema(0, {Field(1, "Timestamp", true, Primitive("timestamptz")),
                     Field(2, "ServiceName", true, Primitive("string")),
                     Field(3, "SeverityNumber", false, Primitive("int")),
                     Field(4, "ResourceAttributes", false, MapOf(5, 6, Primitive("string"))),
                     Field(7, "Events", false, ListOf(8, Primitive("string"))),
                     Field(9, "LogAttributes", false, MapOf(10, 11, Primitive("string")))});
  Result<SchemaMapping> mapping = MapSchemaForTable(loaded->metadata, ours);
  ASSERT_THAT(mapping, IsOk());
  EXPECT_THAT(
      mapping->field_ids,
      UnorderedElementsAre(Pair(1, 1), Pair(2, 2), Pair(3, 3), Pair(4, 4), Pair(5, 6), Pair(6, 7),
                           Pair(7, 5), Pair(8, 8), Pair(9, 10), Pair(10, 11), Pair(11, 12)));
  EXPECT_THAT(mapping->added_columns, ElementsAre("LogAttributes"));
  EXPECT_EQ(mapping->last_column_id, 12);
  EXPECT_EQ(mapping->schema.schema_id, 1);
}

}  // namespace
}  // namespace o2p::iceberg
