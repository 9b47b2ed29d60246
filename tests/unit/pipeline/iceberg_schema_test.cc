#include "o2p/pipeline/iceberg_schema.h"

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/otlp/signal.h"
#include "o2p/otlp/table_schemas.h"
#include "support/matchers.h"

namespace o2p::pipeline {
namespace {

using columnar::Field;
using columnar::TypeId;
using o2p::testing::IsError;
using o2p::testing::IsOk;
using Kind = iceberg::Type::Kind;

std::string ExpectedPrimitive(TypeId id) {
  switch (id) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kInt32: return "int";
    case TypeId::kInt64: return "long";
    case TypeId::kDouble: return "double";
    case TypeId::kString: return "string";
    case TypeId::kTimestamp: return "timestamptz";
    default: return "";
  }
}

/// Walks both trees together: same ids, names, required flags and types at every depth.
void ExpectSameField(const Field& ours, const iceberg::NestedField& theirs, const std::string& path,
                     std::set<int32_t>* ids) {
  SCOPED_TRACE(path);
  EXPECT_EQ(theirs.id, ours.field_id);
  EXPECT_EQ(theirs.required, !ours.nullable);
  EXPECT_TRUE(ids->insert(theirs.id).second) << "duplicate id " << theirs.id;
  ASSERT_NE(theirs.type, nullptr);
  const iceberg::Type& type = *theirs.type;
  const std::vector<Field>& children = ours.type->children();
  switch (ours.type->id()) {
    case TypeId::kList: ASSERT_EQ(type.kind, Kind::kList); break;
    case TypeId::kMap: ASSERT_EQ(type.kind, Kind::kMap); break;
    case TypeId::kStruct: ASSERT_EQ(type.kind, Kind::kStruct); break;
    default:
      EXPECT_EQ(type.kind, Kind::kPrimitive);
      EXPECT_EQ(type.primitive, ExpectedPrimitive(ours.type->id()));
      return;
  }
  ASSERT_EQ(type.children.size(), children.size());
  for (size_t i = 0; i < children.size(); ++i) {
    ExpectSameField(children[i], type.children[i], path + "." + type.children[i].name, ids);
  }
}

class EveryTable : public ::testing::TestWithParam<otlp::Table> {};

TEST_P(EveryTable, KeepsIdsTypesAndRequiredFlagsAtEveryDepth) {
  const columnar::Schema& ours = *otlp::TableSchema(GetParam());
  const iceberg::Schema schema = ToIcebergSchema(ours);
  ASSERT_EQ(schema.fields.size(), ours.num_fields());
  std::set<int32_t> ids;
  for (size_t col = 0; col < ours.num_fields(); ++col) {
    EXPECT_EQ(schema.fields[col].name, ours.field(col).name);
    ExpectSameField(ours.field(col), schema.fields[col], ours.field(col).name, &ids);
  }
  // Fresh ids are 1..N without gaps (spec/schema.md, "Field ids").
  EXPECT_EQ(*ids.begin(), 1);
  EXPECT_EQ(*ids.rbegin(), static_cast<int32_t>(ids.size()));
}

INSTANTIATE_TEST_SUITE_P(Tables, EveryTable, ::testing::ValuesIn(otlp::kAllTables),
                         [](const auto& test) { return std::string(otlp::TableName(test.param)); });

TEST(ToIcebergSchemaTest, LogsMatchesSchemaMd) {
  const iceberg::Schema logs = ToIcebergSchema(*otlp::TableSchema(otlp::Table::kLogs));
  ASSERT_EQ(logs.fields.size(), 20U);  // 10 common + 10 log columns
  const iceberg::NestedField& timestamp = logs.fields[0];
  EXPECT_EQ(timestamp.name, "Timestamp");
  EXPECT_EQ(timestamp.id, 1);
  EXPECT_TRUE(timestamp.required);
  EXPECT_EQ(timestamp.type->primitive, "timestamptz");
  EXPECT_EQ(logs.fields[2].name, "ServiceNamespace");
  EXPECT_FALSE(logs.fields[2].required);
  // ResourceAttributes (id 5): map<string,string>, key required, value optional; nested ids
  // come after the 20 top-level ones, key before value.
  const iceberg::NestedField& attributes = logs.fields[4];
  EXPECT_EQ(attributes.id, 5);
  EXPECT_TRUE(attributes.required);
  ASSERT_EQ(attributes.type->kind, Kind::kMap);
  const iceberg::NestedField& key = attributes.type->children[0];
  const iceberg::NestedField& value = attributes.type->children[1];
  EXPECT_EQ(key.name, "key");
  EXPECT_EQ(key.id, 21);
  EXPECT_TRUE(key.required);
  EXPECT_EQ(value.name, "value");
  EXPECT_EQ(value.id, 22);
  EXPECT_FALSE(value.required);
  EXPECT_EQ(logs.fields[16].name, "Body");
  EXPECT_FALSE(logs.fields[16].required);
}

TEST(ToIcebergSchemaTest, TraceEventsAreAListOfStructs) {
  const iceberg::Schema traces = ToIcebergSchema(*otlp::TableSchema(otlp::Table::kTraces));
  const iceberg::NestedField* events = nullptr;
  for (const auto& field : traces.fields) {
    if (field.name == "Events") events = &field;
  }
  ASSERT_NE(events, nullptr);
  ASSERT_EQ(events->type->kind, Kind::kList);
  const iceberg::NestedField& element = events->type->children[0];
  EXPECT_EQ(element.name, "element");
  ASSERT_EQ(element.type->kind, Kind::kStruct);
  ASSERT_EQ(element.type->children.size(), 4U);
  EXPECT_EQ(element.type->children[0].name, "Timestamp");
  EXPECT_EQ(element.type->children[0].type->primitive, "timestamptz");
  EXPECT_EQ(element.type->children[2].type->kind, Kind::kMap);
}

// --- WithFieldIds -----------------------------------------------------------------------------

void CollectIds(const std::vector<Field>& fields, std::vector<int32_t>* ids) {
  for (const Field& field : fields) {
    ids->push_back(field.field_id);
    CollectIds(field.type->children(), ids);
  }
}

/// Every id of `schema` mapped to 1000 - id: a permutation that changes every id.
std::map<int32_t, int32_t> ReversedIds(const columnar::Schema& schema) {
  std::vector<int32_t> ids;
  CollectIds(schema.fields(), &ids);
  std::map<int32_t, int32_t> out;
  for (int32_t id : ids) out[id] = 1000 - id;
  return out;
}

void ExpectRenumbered(const std::vector<Field>& before, const std::vector<Field>& after,
                      const std::map<int32_t, int32_t>& ids) {
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    SCOPED_TRACE(before[i].name);
    EXPECT_EQ(after[i].name, before[i].name);
    EXPECT_EQ(after[i].nullable, before[i].nullable);
    EXPECT_EQ(after[i].type->id(), before[i].type->id());
    EXPECT_EQ(after[i].field_id, ids.at(before[i].field_id));
    ExpectRenumbered(before[i].type->children(), after[i].type->children(), ids);
  }
}

TEST(WithFieldIdsTest, ReplacesEveryIdAtEveryDepth) {
  for (otlp::Table table : otlp::kAllTables) {
    SCOPED_TRACE(otlp::TableName(table));
    const columnar::Schema& ours = *otlp::TableSchema(table);
    const std::map<int32_t, int32_t> ids = ReversedIds(ours);
    Result<columnar::SchemaPtr> renumbered = WithFieldIds(ours, ids);
    ASSERT_THAT(renumbered, IsOk());
    ExpectRenumbered(ours.fields(), (*renumbered)->fields(), ids);
    EXPECT_EQ((*renumbered)->metadata(), ours.metadata());
    EXPECT_EQ((*renumbered)->field(0).field_id, 999);  // Timestamp, id 1 before
  }
}

TEST(WithFieldIdsTest, FailsWhenANestedIdIsMissing) {
  const columnar::Schema& logs = *otlp::TableSchema(otlp::Table::kLogs);
  std::map<int32_t, int32_t> ids = ReversedIds(logs);
  ids.erase(22);  // ResourceAttributes.value
  EXPECT_THAT(WithFieldIds(logs, ids), IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(WithFieldIds(logs, {}), IsError(StatusCode::kInvalidArgument));
}

// --- Spec, order, properties ------------------------------------------------------------------

TEST(DayPartitionSpecTest, UsesTheTimestampIdOfTheGivenSchema) {
  iceberg::Schema logs = ToIcebergSchema(*otlp::TableSchema(otlp::Table::kLogs));
  iceberg::PartitionSpec spec = DayPartitionSpec(logs);
  ASSERT_EQ(spec.fields.size(), 1U);
  EXPECT_EQ(spec.fields[0],
            (iceberg::PartitionField{
                .source_id = 1, .field_id = 1000, .name = "Timestamp_day", .transform = "day"}));

  // A catalog that renumbered and lower-cased the columns (Glue does the latter).
  logs.fields[0].id = 77;
  logs.fields[0].name = "timestamp";
  EXPECT_EQ(DayPartitionSpec(logs).fields[0].source_id, 77);
}

TEST(DefaultSortOrderTest, ServiceThenTime) {
  const iceberg::Schema traces = ToIcebergSchema(*otlp::TableSchema(otlp::Table::kTraces));
  const iceberg::SortOrder order = DefaultSortOrder(traces);
  EXPECT_EQ(order.order_id, 1);
  ASSERT_EQ(order.fields.size(), 2U);
  EXPECT_EQ(order.fields[0],
            (iceberg::SortField{
                .source_id = 2, .transform = "identity", .ascending = true, .nulls_first = true}));
  EXPECT_EQ(order.fields[1],
            (iceberg::SortField{
                .source_id = 1, .transform = "identity", .ascending = true, .nulls_first = true}));
}

TEST(DefaultTablePropertiesTest, DescribeWhatWeWrite) {
  const auto properties = DefaultTableProperties();
  EXPECT_EQ(properties.at("format-version"), "2");
  EXPECT_EQ(properties.at("write.format.default"), "parquet");
  EXPECT_EQ(properties.at("write.parquet.compression-codec"), "zstd");
  EXPECT_EQ(properties.at("write.metadata.metrics.default"), "truncate(16)");
  EXPECT_EQ(properties.at("write.metadata.delete-after-commit.enabled"), "true");
}

}  // namespace
}  // namespace o2p::pipeline
