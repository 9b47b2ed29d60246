#include "o2p/parquet/levels.h"

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/columnar/record_batch.h"
#include "o2p/parquet/schema.h"

namespace o2p::parquet {
namespace {

using columnar::Field;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Builds a one-column schema (ids assigned) and its Parquet leaves.
struct OneColumn {
  explicit OneColumn(Field field) {
    std::vector<Field> fields = {std::move(field)};
    columnar::AssignFreshFieldIds(&fields);
    schema = std::make_shared<columnar::Schema>(fields);
    batch = columnar::RecordBatch::Make(schema);
    auto built = BuildParquetSchema(*schema);
    EXPECT_TRUE(built.has_value()) << built.status().ToString();
    parquet = std::move(built).value();
  }

  struct Levels {
    std::vector<int16_t> def;
    std::vector<int16_t> rep;
    std::vector<int64_t> values;
  };

  // Levels of leaf `leaf` over all rows.
  Levels Build(size_t leaf) const {
    LevelBuilder builder(parquet.leaves.at(leaf).path);
    builder.Build(*batch->column(0), 0, batch->num_rows());
    Levels out;
    out.def.assign(builder.def_levels().begin(), builder.def_levels().end());
    out.rep.assign(builder.rep_levels().begin(), builder.rep_levels().end());
    builder.values().ForEach([&](size_t i) { out.values.push_back(static_cast<int64_t>(i)); });
    return out;
  }

  columnar::SchemaPtr schema;
  std::unique_ptr<columnar::RecordBatch> batch;
  ParquetSchema parquet;
};

Field Req(std::string name, columnar::DataTypePtr type) {
  return Field{std::move(name), std::move(type), false};
}
Field Opt(std::string name, columnar::DataTypePtr type) {
  return Field{std::move(name), std::move(type), true};
}

columnar::DataTypePtr AttributeMap() {
  return columnar::Map(Req("key", columnar::String()), Opt("value", columnar::String()));
}

void AddEntry(columnar::MapColumn* map, std::string_view key, const char* value) {
  map->keys()->Append(key);
  auto* values = static_cast<columnar::StringColumn*>(map->items());
  if (value == nullptr) {
    values->AppendNull();
  } else {
    values->Append(value);
  }
}

TEST(Levels, RequiredFlatColumnHasNoLevels) {
  OneColumn c(Req("TraceFlags", columnar::Int32()));
  auto* col = c.batch->column_as<columnar::Int32Column>(0);
  for (int v : {1, 2, 3}) {
    col->Append(v);
    c.batch->FinishRow();
  }
  const auto levels = c.Build(0);
  EXPECT_THAT(levels.def, IsEmpty());
  EXPECT_THAT(levels.rep, IsEmpty());
  EXPECT_THAT(levels.values, ElementsAre(0, 1, 2));
}

TEST(Levels, NullableString) {
  OneColumn c(Opt("Body", columnar::String()));
  auto* col = c.batch->column_as<columnar::StringColumn>(0);
  col->Append("a");
  col->AppendNull();
  col->Append("b");
  for (int i = 0; i < 3; ++i) c.batch->FinishRow();
  EXPECT_EQ(c.parquet.leaves[0].path.max_def_level, 1);
  const auto levels = c.Build(0);
  EXPECT_THAT(levels.def, ElementsAre(1, 0, 1));
  EXPECT_THAT(levels.rep, IsEmpty());
  EXPECT_THAT(levels.values, ElementsAre(0, 2));
}

TEST(Levels, MapWithNullValuesAndEmptyMap) {
  OneColumn c(Req("Attributes", AttributeMap()));
  auto* map = c.batch->column_as<columnar::MapColumn>(0);
  AddEntry(map, "a", "1");
  AddEntry(map, "b", nullptr);
  map->FinishRow();
  map->FinishRow();  // {}
  AddEntry(map, "c", "2");
  map->FinishRow();
  for (int i = 0; i < 3; ++i) c.batch->FinishRow();

  ASSERT_EQ(c.parquet.leaves.size(), 2u);
  EXPECT_EQ(c.parquet.leaves[0].dotted_path, "Attributes.key_value.key");
  EXPECT_EQ(c.parquet.leaves[0].path.max_def_level, 1);
  EXPECT_EQ(c.parquet.leaves[0].path.max_rep_level, 1);
  const auto keys = c.Build(0);
  EXPECT_THAT(keys.def, ElementsAre(1, 1, 0, 1));
  EXPECT_THAT(keys.rep, ElementsAre(0, 1, 0, 0));
  EXPECT_THAT(keys.values, ElementsAre(0, 1, 2));

  EXPECT_EQ(c.parquet.leaves[1].path.max_def_level, 2);
  const auto values = c.Build(1);
  EXPECT_THAT(values.def, ElementsAre(2, 1, 0, 2));
  EXPECT_THAT(values.rep, ElementsAre(0, 1, 0, 0));
  EXPECT_THAT(values.values, ElementsAre(0, 2));  // entry 1 holds the null
}

TEST(Levels, OptionalMapNullVersusEmpty) {
  OneColumn c(Opt("Attributes", AttributeMap()));
  auto* map = c.batch->column_as<columnar::MapColumn>(0);
  map->AppendNull();
  map->FinishRow();
  AddEntry(map, "k", "v");
  map->FinishRow();
  for (int i = 0; i < 3; ++i) c.batch->FinishRow();
  const auto values = c.Build(1);
  EXPECT_EQ(c.parquet.leaves[1].path.max_def_level, 3);
  EXPECT_THAT(values.def, ElementsAre(0, 1, 3));
  EXPECT_THAT(values.rep, ElementsAre(0, 0, 0));
}

TEST(Levels, ListOfLong) {
  OneColumn c(Req("BucketCounts", columnar::List(Req("element", columnar::Int64()))));
  auto* list = c.batch->column_as<columnar::ListColumn>(0);
  auto* elements = static_cast<columnar::Int64Column*>(list->values());
  elements->Append(1);
  elements->Append(2);
  list->FinishRow();
  list->FinishRow();  // []
  elements->Append(3);
  list->FinishRow();
  for (int i = 0; i < 3; ++i) c.batch->FinishRow();
  EXPECT_EQ(c.parquet.leaves[0].dotted_path, "BucketCounts.list.element");
  const auto levels = c.Build(0);
  EXPECT_THAT(levels.def, ElementsAre(1, 1, 0, 1));
  EXPECT_THAT(levels.rep, ElementsAre(0, 1, 0, 0));
  EXPECT_THAT(levels.values, ElementsAre(0, 1, 2));
}

// traces.Events: list<struct<Name string, Attributes map<string,string>>>.
TEST(Levels, ListOfStructWithMapAndEmptyLists) {
  OneColumn c(
      Req("Events",
          columnar::List(Req("element", columnar::Struct({Req("Name", columnar::String()),
                                                          Req("Attributes", AttributeMap())})))));
  auto* list = c.batch->column_as<columnar::ListColumn>(0);
  auto* event = static_cast<columnar::StructColumn*>(list->values());
  auto* name = static_cast<columnar::StringColumn*>(event->child(0));
  auto* attributes = static_cast<columnar::MapColumn*>(event->child(1));
  // Row 0: [{e1, {k: v}}, {e2, {}}]; row 1: []; row 2: [{e3, {a: null, b: x}}]
  name->Append("e1");
  AddEntry(attributes, "k", "v");
  attributes->FinishRow();
  event->FinishRow();
  name->Append("e2");
  attributes->FinishRow();
  event->FinishRow();
  list->FinishRow();
  list->FinishRow();
  name->Append("e3");
  AddEntry(attributes, "a", nullptr);
  AddEntry(attributes, "b", "x");
  attributes->FinishRow();
  event->FinishRow();
  list->FinishRow();
  for (int i = 0; i < 3; ++i) c.batch->FinishRow();

  ASSERT_EQ(c.parquet.leaves.size(), 3u);
  const auto names = c.Build(0);
  EXPECT_THAT(names.def, ElementsAre(1, 1, 0, 1));
  EXPECT_THAT(names.rep, ElementsAre(0, 1, 0, 0));
  EXPECT_THAT(names.values, ElementsAre(0, 1, 2));

  EXPECT_EQ(c.parquet.leaves[1].dotted_path, "Events.list.element.Attributes.key_value.key");
  EXPECT_EQ(c.parquet.leaves[1].path.max_def_level, 2);
  EXPECT_EQ(c.parquet.leaves[1].path.max_rep_level, 2);
  const auto keys = c.Build(1);
  EXPECT_THAT(keys.def, ElementsAre(2, 1, 0, 2, 2));
  EXPECT_THAT(keys.rep, ElementsAre(0, 1, 0, 0, 2));
  EXPECT_THAT(keys.values, ElementsAre(0, 1, 2));

  const auto values = c.Build(2);
  EXPECT_THAT(values.def, ElementsAre(3, 1, 0, 2, 3));
  EXPECT_THAT(values.rep, ElementsAre(0, 1, 0, 0, 2));
  EXPECT_THAT(values.values, ElementsAre(0, 2));
}

TEST(Levels, NullStructHidesItsMembers) {
  OneColumn c(
      Opt("S", columnar::Struct({Req("A", columnar::Int32()), Opt("B", columnar::Int32())})));
  auto* s = c.batch->column_as<columnar::StructColumn>(0);
  static_cast<columnar::Int32Column*>(s->child(0))->Append(1);
  static_cast<columnar::Int32Column*>(s->child(1))->AppendNull();
  s->FinishRow();
  s->AppendNull();  // children get a zero / null entry
  static_cast<columnar::Int32Column*>(s->child(0))->Append(3);
  static_cast<columnar::Int32Column*>(s->child(1))->Append(4);
  s->FinishRow();
  for (int i = 0; i < 3; ++i) c.batch->FinishRow();
  const auto a = c.Build(0);
  EXPECT_THAT(a.def, ElementsAre(1, 0, 1));
  EXPECT_THAT(a.values, ElementsAre(0, 2));
  const auto b = c.Build(1);
  EXPECT_THAT(b.def, ElementsAre(1, 0, 2));
  EXPECT_THAT(b.values, ElementsAre(2));
}

TEST(Levels, RowRangeStartsMidBatch) {
  OneColumn c(Req("BucketCounts", columnar::List(Req("element", columnar::Int64()))));
  auto* list = c.batch->column_as<columnar::ListColumn>(0);
  auto* elements = static_cast<columnar::Int64Column*>(list->values());
  for (int row = 0; row < 4; ++row) {
    for (int i = 0; i < row; ++i) elements->Append(row * 10 + i);
    list->FinishRow();
    c.batch->FinishRow();
  }
  LevelBuilder builder(c.parquet.leaves[0].path);
  builder.Build(*c.batch->column(0), 2, 4);  // rows [20, 21] and [30, 31, 32]
  EXPECT_THAT(std::vector<int16_t>(builder.rep_levels().begin(), builder.rep_levels().end()),
              ElementsAre(0, 1, 0, 1, 1));
  std::vector<size_t> indices;
  builder.values().ForEach([&](size_t i) { indices.push_back(i); });
  EXPECT_THAT(indices, ElementsAre(1, 2, 3, 4, 5));
}

}  // namespace
}  // namespace o2p::parquet
