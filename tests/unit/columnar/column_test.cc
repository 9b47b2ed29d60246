#include "o2p/columnar/column.h"

#include "o2p/columnar/append_rows.h"

#include <gtest/gtest.h>

#include "o2p/columnar/data_type.h"
#include "o2p/columnar/record_batch.h"
#include "support/matchers.h"

namespace o2p::columnar {
namespace {

using ::o2p::testing::IsOk;

Field F(std::string name, DataTypePtr type, bool nullable = false) {
  return Field{std::move(name), std::move(type), nullable, -1};
}

TEST(DataTypeTest, ToStringNamesNestedTypes) {
  EXPECT_EQ(Map(F("k", String()), F("v", String(), true))->ToString(), "map<string,string>");
  EXPECT_EQ(List(F("e", Int64()))->ToString(), "list<long>");
  EXPECT_EQ(Struct({F("A", Timestamp()), F("B", Float64())})->ToString(),
            "struct<A:timestamptz,B:double>");
}

TEST(DataTypeTest, FreshIdsFollowIcebergOrder) {
  // Iceberg assigns all fields of a struct first, then nested fields depth-first.
  std::vector<Field> fields = {
      F("a", Int32()),
      F("m", Map(F("key", String()), F("value", String(), true))),
      F("l", List(F("element", Struct({F("x", Int64()), F("y", String())})))),
      F("b", String()),
  };
  EXPECT_EQ(AssignFreshFieldIds(&fields), 9);
  EXPECT_EQ(fields[0].field_id, 1);
  EXPECT_EQ(fields[1].field_id, 2);
  EXPECT_EQ(fields[2].field_id, 3);
  EXPECT_EQ(fields[3].field_id, 4);
  EXPECT_EQ(fields[1].type->children()[0].field_id, 5);  // key
  EXPECT_EQ(fields[1].type->children()[1].field_id, 6);  // value
  const Field& element = fields[2].type->children()[0];
  EXPECT_EQ(element.field_id, 7);
  EXPECT_EQ(element.type->children()[0].field_id, 8);
  EXPECT_EQ(element.type->children()[1].field_id, 9);
}

TEST(ColumnTest, NullableStringKeepsValidity) {
  StringColumn c(String(), true);
  c.Append("a");
  c.AppendNull();
  c.Append("");
  ASSERT_EQ(c.size(), 3U);
  EXPECT_EQ(c.null_count(), 1U);
  EXPECT_TRUE(c.IsValid(0));
  EXPECT_FALSE(c.IsValid(1));
  EXPECT_EQ(c.Value(0), "a");
  EXPECT_EQ(c.Value(2), "");
  EXPECT_EQ(FormatValue(c, 1), "null");
}

TEST(ColumnTest, NestedColumnsAndBatchValidation) {
  auto schema = std::make_shared<const Schema>(std::vector<Field>{
      F("Attrs", Map(F("key", String()), F("value", String(), true))),
      F("Events", List(F("element", Struct({F("Name", String()), F("Count", Int32())})))),
  });
  auto batch = RecordBatch::Make(schema);
  auto* attrs = batch->column_as<MapColumn>(0);
  attrs->keys()->Append("k");
  static_cast<StringColumn*>(attrs->items())->AppendNull();
  attrs->FinishRow();
  auto* events = batch->column_as<ListColumn>(1);
  auto* event = static_cast<StructColumn*>(events->values());
  static_cast<StringColumn*>(event->child(0))->Append("e1");
  static_cast<Int32Column*>(event->child(1))->Append(3);
  event->FinishRow();
  events->FinishRow();
  batch->FinishRow();
  EXPECT_THAT(batch->Validate(), IsOk());
  const RecordBatch& view = *batch;
  EXPECT_EQ(FormatValue(view.column(0), 0), "{\"k\": null}");
  EXPECT_EQ(FormatValue(view.column(1), 0), "[{Name=\"e1\", Count=3}]");

  attrs->FinishRow();  // a second row in one column only
  EXPECT_FALSE(batch->Validate().ok());
  batch->Clear();
  EXPECT_EQ(batch->num_rows(), 0U);
  EXPECT_EQ(view.column(0).size(), 0U);
}

TEST(ColumnTest, AppendZeroFillsEveryKind) {
  auto type = Struct({F("s", String()), F("l", List(F("e", Int64()))), F("b", Boolean())});
  StructColumn c(type, false);
  AppendZero(&c);
  EXPECT_EQ(FormatValue(c, 0), "{s=\"\", l=[], b=false}");
}

}  // namespace
}  // namespace o2p::columnar

namespace o2p::columnar {
namespace {

TEST(AppendRowsTest, CopiesSelectedRowsOfEveryKind) {
  auto schema = std::make_shared<const Schema>(std::vector<Field>{
      Field{"Id", Int64(), false, 1},
      Field{"Name", String(), true, 2},
      Field{"Attrs", Map(Field{"key", String(), false, 4}, Field{"value", String(), true, 5}), false, 3},
      Field{"Points", List(Field{"element", Struct({Field{"V", Float64(), false, 7}}), false, 6}),
            false, 8},
  });
  auto src = RecordBatch::Make(schema);
  for (int row = 0; row < 4; ++row) {
    src->column_as<Int64Column>(0)->Append(row);
    if (row % 2) {
      src->column_as<StringColumn>(1)->AppendNull();
    } else {
      src->column_as<StringColumn>(1)->Append("n" + std::to_string(row));
    }
    auto* attrs = src->column_as<MapColumn>(2);
    for (int k = 0; k < row; ++k) {
      attrs->keys()->Append("k" + std::to_string(k));
      static_cast<StringColumn*>(attrs->items())->Append("v");
    }
    attrs->FinishRow();
    auto* points = src->column_as<ListColumn>(3);
    auto* point = static_cast<StructColumn*>(points->values());
    for (int k = 0; k < row; ++k) {
      static_cast<DoubleColumn*>(point->child(0))->Append(row + k / 10.0);
      point->FinishRow();
    }
    points->FinishRow();
    src->FinishRow();
  }
  auto dst = RecordBatch::Make(schema);
  const std::vector<uint32_t> rows = {3, 0, 2};
  AppendRows(*src, rows, dst.get());
  AppendRowRange(*src, 1, 2, dst.get());
  ASSERT_TRUE(dst->Validate().ok()) << dst->Validate().ToString();
  ASSERT_EQ(dst->num_rows(), 4U);
  const RecordBatch& view = *dst;
  EXPECT_EQ(FormatValue(view.column(0), 0), "3");
  EXPECT_EQ(FormatValue(view.column(1), 0), "null");
  EXPECT_EQ(FormatValue(view.column(2), 0), "{\"k0\": \"v\", \"k1\": \"v\", \"k2\": \"v\"}");
  EXPECT_EQ(FormatValue(view.column(3), 0), "[{V=3}, {V=3.1}, {V=3.2}]");
  EXPECT_EQ(FormatValue(view.column(1), 1), "\"n0\"");
  EXPECT_EQ(FormatValue(view.column(3), 1), "[]");
  EXPECT_EQ(FormatValue(view.column(2), 3), "{\"k0\": \"v\"}");
}

}  // namespace
}  // namespace o2p::columnar
