#include "unit/parquet/test_batches.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <gmock/gmock.h>

#include "support/matchers.h"

namespace o2p::parquet::testing {

using columnar::Field;
using o2p::testing::IsOk;

std::string CodecTestName(const ::testing::TestParamInfo<Codec>& p) {
  return std::string(CodecName(p.param));
}

Field Req(std::string name, columnar::DataTypePtr type) {
  return Field{std::move(name), std::move(type), false};
}
Field Opt(std::string name, columnar::DataTypePtr type) {
  return Field{std::move(name), std::move(type), true};
}

columnar::DataTypePtr AttributeMap() {
  return columnar::Map(Req("key", columnar::String()), Opt("value", columnar::String()));
}

// Every column kind the writer supports, shaped like the OTLP tables of schema.md.
columnar::SchemaPtr AllKindsSchema() {
  std::vector<Field> fields = {
      Req("Timestamp", columnar::Timestamp()),
      Req("ServiceName", columnar::String()),
      Opt("Body", columnar::String()),
      Req("Flags", columnar::Int32()),
      Opt("Count", columnar::Int64()),
      Opt("Sum", columnar::Float64()),
      Req("IsMonotonic", columnar::Boolean()),
      Req("Attributes", AttributeMap()),
      Req("BucketCounts", columnar::List(Req("element", columnar::Int64()))),
      Req("Events", columnar::List(Req("element", columnar::Struct({
                                                      Req("Timestamp", columnar::Timestamp()),
                                                      Req("Name", columnar::String()),
                                                      Req("Attributes", AttributeMap()),
                                                  })))),
      Opt("Scope",
          columnar::Struct({Req("Name", columnar::String()), Opt("Version", columnar::String())})),
  };
  columnar::AssignFreshFieldIds(&fields);
  return std::make_shared<columnar::Schema>(
      fields, std::vector<std::pair<std::string, std::string>>{{"otlp2parquet.table", "test"},
                                                               {"override.me", "schema"}});
}

namespace {

void AppendString(columnar::Column* column, std::optional<std::string> value) {
  auto* c = static_cast<columnar::StringColumn*>(column);
  if (value) {
    c->Append(*value);
  } else {
    c->AppendNull();
  }
}

void AddEntry(columnar::MapColumn* map, const std::string& key, std::optional<std::string> value) {
  map->keys()->Append(key);
  AppendString(map->items(), std::move(value));
}

// Row i of the all-kinds batch; ExpectedValues() mirrors it.
void AppendRow(columnar::RecordBatch* b, int i) {
  b->column_as<columnar::Int64Column>(0)->Append(kBaseTime + i);
  AppendString(b->column(1), fmt::format("svc-{}", i % 3));
  AppendString(b->column(2), i % 4 == 0 ? std::nullopt : std::optional(fmt::format("body {}", i)));
  b->column_as<columnar::Int32Column>(3)->Append(i % 2 == 0 ? -i : i);
  if (i % 5 == 0) {
    b->column(4)->AppendNull();
  } else {
    b->column_as<columnar::Int64Column>(4)->Append(int64_t{i} * 10);
  }
  if (i % 7 == 0) {
    b->column(5)->AppendNull();
  } else {
    b->column_as<columnar::DoubleColumn>(5)->Append(i % 6 == 0 ? std::nan("") : i * 0.5);
  }
  b->column_as<columnar::BooleanColumn>(6)->Append(i % 3 == 0 ? 1 : 0);
  auto* attributes = b->column_as<columnar::MapColumn>(7);
  for (int j = 0; j < i % 3; ++j) {
    AddEntry(attributes, fmt::format("k{}", j),
             j == 1 ? std::nullopt : std::optional(fmt::format("v{}", i)));
  }
  attributes->FinishRow();
  auto* buckets = b->column_as<columnar::ListColumn>(8);
  for (int j = 0; j < i % 4; ++j)
    static_cast<columnar::Int64Column*>(buckets->values())->Append(i + j);
  buckets->FinishRow();
  auto* events = b->column_as<columnar::ListColumn>(9);
  if (i % 2 == 1) {
    auto* event = static_cast<columnar::StructColumn*>(events->values());
    static_cast<columnar::Int64Column*>(event->child(0))->Append(kBaseTime + i);
    AppendString(event->child(1), fmt::format("ev{}", i));
    auto* event_attributes = static_cast<columnar::MapColumn*>(event->child(2));
    AddEntry(event_attributes, "a", "b");
    event_attributes->FinishRow();
    event->FinishRow();
  }
  events->FinishRow();
  auto* scope = b->column_as<columnar::StructColumn>(10);
  if (i % 5 == 0) {
    scope->AppendNull();
  } else {
    AppendString(scope->child(0), "scope");
    AppendString(scope->child(1), i % 2 == 1 ? std::optional<std::string>("1.0") : std::nullopt);
    scope->FinishRow();
  }
  b->FinishRow();
}

}  // namespace

std::unique_ptr<columnar::RecordBatch> MakeBatch(const columnar::SchemaPtr& schema, int begin,
                                                 int end) {
  auto batch = columnar::RecordBatch::Make(schema);
  for (int i = begin; i < end; ++i) AppendRow(batch.get(), i);
  return batch;
}

Expected ExpectedValues(int n) {
  Expected e;
  for (int i = 0; i < n; ++i) {
    e.timestamp.push_back(std::to_string(kBaseTime + i));
    e.body_def.push_back(i % 4 == 0 ? 0 : 1);
    if (i % 4 != 0) e.body.push_back(fmt::format("body {}", i));
    e.flags.push_back(std::to_string(i % 2 == 0 ? -i : i));
    if (i % 5 != 0) e.count.push_back(std::to_string(int64_t{i} * 10));
    if (i % 7 != 0) e.sum.push_back(i % 6 == 0 ? "nan" : fmt::format("{}", i * 0.5));
    e.monotonic.emplace_back(i % 3 == 0 ? "true" : "false");
    if (i % 3 == 0) {
      e.attr_value_def.push_back(0);
      e.attr_value_rep.push_back(0);
    }
    for (int j = 0; j < i % 3; ++j) {
      e.attr_key.push_back(fmt::format("k{}", j));
      e.attr_value_def.push_back(j == 1 ? 1 : 2);
      e.attr_value_rep.push_back(j == 0 ? 0 : 1);
      if (j != 1) e.attr_value.push_back(fmt::format("v{}", i));
    }
    for (int j = 0; j < i % 4; ++j) e.buckets.push_back(std::to_string(i + j));
    e.event_name_def.push_back(i % 2);
    if (i % 2 == 1) e.event_name.push_back(fmt::format("ev{}", i));
    if (i % 5 != 0 && i % 2 == 1) e.scope_version.emplace_back("1.0");
  }
  return e;
}

WriterOptions SmallPages(Codec codec) {
  WriterOptions options;
  options.codec = codec;
  options.compression_level = 0;
  options.data_page_bytes = 256;  // many pages per chunk
  options.created_by = "otlp2parquet version test";
  options.key_value_metadata = {{"override.me", "options"}, {"otlp2parquet.version", "test"}};
  return options;
}

std::string WriteAllKinds(const WriterOptions& options, int rows, int batch_rows) {
  const columnar::SchemaPtr schema = AllKindsSchema();
  StringSink sink;
  auto writer = FileWriter::Make(schema, options, &sink);
  EXPECT_THAT(writer, IsOk());
  for (int begin = 0; begin < rows; begin += batch_rows) {
    auto batch = MakeBatch(schema, begin, std::min(rows, begin + batch_rows));
    EXPECT_THAT((*writer)->Write(*batch), IsOk());
  }
  EXPECT_THAT((*writer)->Close(), IsOk());
  return sink.Release();
}
std::unique_ptr<columnar::RecordBatch> StringBatch(const columnar::SchemaPtr& schema,
                                                   const std::vector<std::string>& values) {
  auto batch = columnar::RecordBatch::Make(schema);
  for (const std::string& v : values) {
    batch->column_as<columnar::StringColumn>(0)->Append(v);
    batch->FinishRow();
  }
  return batch;
}

columnar::SchemaPtr OneStringColumn() {
  std::vector<Field> fields = {Req("Name", columnar::String())};
  columnar::AssignFreshFieldIds(&fields);
  return std::make_shared<columnar::Schema>(fields);
}

// The schema element of `name` (first match, depth-first order).
const TStruct& Element(const TestFile& file, const std::string& name) {
  for (const auto& e : file.schema()) {
    if (GetBin(e.S(), 4) == name) return e.S();
  }
  throw std::runtime_error("no element " + name);
}

}  // namespace o2p::parquet::testing
