// Tests of the table schemas (table_schemas.h) and of the converters (convert.h): decoded
// requests are built by hand and the batches checked cell by cell against schema.md.
#include "any_value_builders.h"
#include "o2p/otlp/convert.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/base/text_codec.h"
#include "o2p/otlp/table_schemas.h"
#include "support/matchers.h"

namespace o2p::otlp {
namespace {

using testing::Array;
using testing::Bool;
using testing::Bytes;
using testing::Dbl;
using testing::Int;
using testing::KvList;
using testing::Str;

using columnar::RecordBatch;
using o2p::testing::IsOk;

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();
constexpr uint32_t kMaxU32 = std::numeric_limits<uint32_t>::max();

// ---- builders -------------------------------------------------------------------------------


constexpr std::string_view kTraceHex = "5b8efff798038103d269b633813fc60c";
constexpr std::string_view kSpanHex = "eee19b7ec3c1b174";
constexpr std::string_view kOtherSpanHex = "00f067aa0ba902b7";

class ConvertTest : public ::testing::Test {
 protected:
  Id HexId(std::string_view hex) { return Id{*DecodeHex(hex, arena_), {}}; }
  Id BytesId(size_t n) { return Id{arena_.Copy(std::string(n, '\x01')), {}}; }

  Resource ServiceResource() {
    Resource r;
    r.attributes = {{"service.name", Str("checkout")},
                    {"service.namespace", Str("shop")},
                    {"service.instance.id", Str("i-1")},
                    {"host.name", Str("h1")}};
    return r;
  }
  InstrumentationScope Scope() {
    InstrumentationScope s;
    s.name = "lib";
    s.version = "1.2.3";
    s.attributes = {{"scope.k", Bool(true)}};
    return s;
  }

  LogsRequest Logs(std::vector<LogRecord> records, Resource resource) {
    LogsRequest request;
    request.resource_logs.resize(1);
    request.resource_logs[0].resource = std::move(resource);
    request.resource_logs[0].schema_url = "r-url";
    request.resource_logs[0].scope_logs.resize(1);
    request.resource_logs[0].scope_logs[0].scope = Scope();
    request.resource_logs[0].scope_logs[0].schema_url = "s-url";
    request.resource_logs[0].scope_logs[0].log_records = std::move(records);
    return request;
  }
  LogsRequest Logs(std::vector<LogRecord> records) {
    return Logs(std::move(records), ServiceResource());
  }

  TracesRequest Traces(std::vector<Span> spans) {
    TracesRequest request;
    request.resource_spans.resize(1);
    request.resource_spans[0].resource = ServiceResource();
    request.resource_spans[0].scope_spans.resize(1);
    request.resource_spans[0].scope_spans[0].scope = Scope();
    request.resource_spans[0].scope_spans[0].spans = std::move(spans);
    return request;
  }

  MetricsRequest Metrics(std::vector<Metric> metrics) {
    MetricsRequest request;
    request.resource_metrics.resize(1);
    request.resource_metrics[0].resource = ServiceResource();
    request.resource_metrics[0].scope_metrics.resize(1);
    request.resource_metrics[0].scope_metrics[0].scope = Scope();
    request.resource_metrics[0].scope_metrics[0].metrics = std::move(metrics);
    return request;
  }

  Span ValidSpan() {
    Span span;
    span.trace_id = HexId(kTraceHex);
    span.span_id = HexId(kSpanHex);
    span.name = "GET /";
    span.start_time_unix_nano = 1'000'000'000;
    span.end_time_unix_nano = 1'000'002'500;
    return span;
  }

  Arena arena_;
  ConvertOptions options_;
  TableBatches batches_;
};

/// The FormatValue text of `column` in `row` of `batch`.
std::string Cell(const RecordBatch* batch, std::string_view column, size_t row = 0) {
  const int index = batch->schema()->FieldIndex(column);
  if (index < 0) return "<no column " + std::string(column) + ">";
  return columnar::FormatValue(batch->column(static_cast<size_t>(index)), row);
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// ---- schemas --------------------------------------------------------------------------------

using ColumnSpec = std::tuple<std::string, std::string, bool>;  // name, type, nullable

std::vector<ColumnSpec> Columns(Table table) {
  std::vector<ColumnSpec> out;
  for (const columnar::Field& f : TableSchema(table)->fields()) {
    out.emplace_back(f.name, f.type->ToString(), f.nullable);
  }
  return out;
}

const std::vector<ColumnSpec> kCommon = {
    {"Timestamp", "timestamptz", false},
    {"ServiceName", "string", false},
    {"ServiceNamespace", "string", true},
    {"ServiceInstanceId", "string", true},
    {"ResourceAttributes", "map<string,string>", false},
    {"ResourceSchemaUrl", "string", false},
    {"ScopeName", "string", false},
    {"ScopeVersion", "string", false},
    {"ScopeAttributes", "map<string,string>", false},
    {"ScopeSchemaUrl", "string", false},
};

const std::vector<ColumnSpec> kMetricCommon = {
    {"StartTimestamp", "timestamptz", true},     {"MetricName", "string", false},
    {"MetricDescription", "string", false},      {"MetricUnit", "string", false},
    {"Attributes", "map<string,string>", false}, {"Flags", "int", false},
};

const std::string kExemplarsType =
    "list<struct<Timestamp:timestamptz,Value:double,TraceId:string,SpanId:string,"
    "FilteredAttributes:map<string,string>>>";

std::vector<ColumnSpec> Concat(std::vector<std::vector<ColumnSpec>> parts) {
  std::vector<ColumnSpec> out;
  for (auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

TEST(TableSchemaTest, Logs) {
  EXPECT_EQ(Columns(Table::kLogs), Concat({kCommon,
                                           {{"ObservedTimestamp", "timestamptz", true},
                                            {"TraceId", "string", false},
                                            {"SpanId", "string", false},
                                            {"TraceFlags", "int", false},
                                            {"SeverityText", "string", false},
                                            {"SeverityNumber", "int", false},
                                            {"Body", "string", true},
                                            {"EventName", "string", false},
                                            {"LogAttributes", "map<string,string>", false},
                                            {"DroppedAttributesCount", "int", false}}}));
}

TEST(TableSchemaTest, Traces) {
  EXPECT_EQ(Columns(Table::kTraces),
            Concat({kCommon,
                    {{"TraceId", "string", false},
                     {"SpanId", "string", false},
                     {"ParentSpanId", "string", false},
                     {"TraceState", "string", false},
                     {"SpanName", "string", false},
                     {"SpanKind", "string", false},
                     {"SpanAttributes", "map<string,string>", false},
                     {"EndTimestamp", "timestamptz", false},
                     {"Duration", "long", false},
                     {"StatusCode", "string", false},
                     {"StatusMessage", "string", false},
                     {"Flags", "int", false},
                     {"Events",
                      "list<struct<Timestamp:timestamptz,Name:string,"
                      "Attributes:map<string,string>,DroppedAttributesCount:int>>",
                      false},
                     {"Links",
                      "list<struct<TraceId:string,SpanId:string,TraceState:string,"
                      "Attributes:map<string,string>,Flags:int,DroppedAttributesCount:int>>",
                      false},
                     {"DroppedAttributesCount", "int", false},
                     {"DroppedEventsCount", "int", false},
                     {"DroppedLinksCount", "int", false}}}));
}

TEST(TableSchemaTest, MetricsGaugeAndSum) {
  EXPECT_EQ(Columns(Table::kMetricsGauge),
            Concat({kCommon,
                    kMetricCommon,
                    {{"Value", "double", false}, {"Exemplars", kExemplarsType, false}}}));
  EXPECT_EQ(Columns(Table::kMetricsSum), Concat({kCommon,
                                                 kMetricCommon,
                                                 {{"Value", "double", false},
                                                  {"AggregationTemporality", "int", false},
                                                  {"IsMonotonic", "boolean", false},
                                                  {"Exemplars", kExemplarsType, false}}}));
}

TEST(TableSchemaTest, MetricsHistograms) {
  EXPECT_EQ(Columns(Table::kMetricsHistogram), Concat({kCommon,
                                                       kMetricCommon,
                                                       {{"Count", "long", false},
                                                        {"Sum", "double", true},
                                                        {"BucketCounts", "list<long>", false},
                                                        {"ExplicitBounds", "list<double>", false},
                                                        {"Min", "double", true},
                                                        {"Max", "double", true},
                                                        {"AggregationTemporality", "int", false},
                                                        {"Exemplars", kExemplarsType, false}}}));
  EXPECT_EQ(Columns(Table::kMetricsExponentialHistogram),
            Concat({kCommon,
                    kMetricCommon,
                    {{"Count", "long", false},
                     {"Sum", "double", true},
                     {"Scale", "int", false},
                     {"ZeroCount", "long", false},
                     {"ZeroThreshold", "double", false},
                     {"PositiveOffset", "int", false},
                     {"PositiveBucketCounts", "list<long>", false},
                     {"NegativeOffset", "int", false},
                     {"NegativeBucketCounts", "list<long>", false},
                     {"Min", "double", true},
                     {"Max", "double", true},
                     {"AggregationTemporality", "int", false},
                     {"Exemplars", kExemplarsType, false}}}));
}

TEST(TableSchemaTest, MetricsSummary) {
  EXPECT_EQ(Columns(Table::kMetricsSummary),
            Concat({kCommon,
                    kMetricCommon,
                    {{"Count", "long", false},
                     {"Sum", "double", false},
                     {"ValueAtQuantiles", "list<struct<Quantile:double,Value:double>>", false}}}));
}

TEST(TableSchemaTest, Metadata) {
  for (Table table : kAllTables) {
    const auto& metadata = TableSchema(table)->metadata();
    ASSERT_EQ(metadata.size(), 2u);
    EXPECT_EQ(metadata[0],
              std::make_pair(std::string("otlp2parquet.schema_version"), std::string("1")));
    EXPECT_EQ(metadata[1],
              std::make_pair(std::string("otlp2parquet.table"), std::string(TableName(table))));
    EXPECT_EQ(&TableSchema(table), &TableSchema(table)) << "built once";
  }
}

TEST(TableSchemaTest, CommonColumnsOpenEveryTable) {
  for (Table table : kAllTables) {
    const std::vector<ColumnSpec> columns = Columns(table);
    ASSERT_GE(columns.size(), static_cast<size_t>(kCommonColumnCount));
    EXPECT_EQ(std::vector<ColumnSpec>(columns.begin(), columns.begin() + kCommonColumnCount),
              kCommon);
  }
}

/// The field at `path` (top-level name, then child names), or null.
const columnar::Field* FieldAt(Table table, std::vector<std::string> path) {
  const std::vector<columnar::Field>* fields = &TableSchema(table)->fields();
  const columnar::Field* found = nullptr;
  for (const std::string& name : path) {
    found = nullptr;
    for (const columnar::Field& f : *fields) {
      if (f.name == name) found = &f;
    }
    if (found == nullptr) return nullptr;
    fields = &found->type->children();
  }
  return found;
}

int32_t IdAt(Table table, std::vector<std::string> path) {
  const columnar::Field* f = FieldAt(table, std::move(path));
  return f == nullptr ? -100 : f->field_id;
}

TEST(TableSchemaTest, FieldIdsFollowIcebergFreshIdOrder) {
  // logs: 20 top-level columns 1..20, then the three maps' key/value pairs in column order.
  const auto& logs = TableSchema(Table::kLogs)->fields();
  for (size_t i = 0; i < logs.size(); ++i) EXPECT_EQ(logs[i].field_id, static_cast<int>(i + 1));
  EXPECT_EQ(IdAt(Table::kLogs, {"ResourceAttributes", "key"}), 21);
  EXPECT_EQ(IdAt(Table::kLogs, {"ResourceAttributes", "value"}), 22);
  EXPECT_EQ(IdAt(Table::kLogs, {"ScopeAttributes", "key"}), 23);
  EXPECT_EQ(IdAt(Table::kLogs, {"LogAttributes", "key"}), 25);
  EXPECT_EQ(IdAt(Table::kLogs, {"LogAttributes", "value"}), 26);
  // traces: 27 top-level; a list numbers its element, then the element's struct fields, then
  // their nested types, before the next top-level field's children.
  EXPECT_EQ(IdAt(Table::kTraces, {"DroppedLinksCount"}), 27);
  EXPECT_EQ(IdAt(Table::kTraces, {"SpanAttributes", "value"}), 33);
  EXPECT_EQ(IdAt(Table::kTraces, {"Events", "element"}), 34);
  EXPECT_EQ(IdAt(Table::kTraces, {"Events", "element", "Timestamp"}), 35);
  EXPECT_EQ(IdAt(Table::kTraces, {"Events", "element", "DroppedAttributesCount"}), 38);
  EXPECT_EQ(IdAt(Table::kTraces, {"Events", "element", "Attributes", "key"}), 39);
  EXPECT_EQ(IdAt(Table::kTraces, {"Events", "element", "Attributes", "value"}), 40);
  EXPECT_EQ(IdAt(Table::kTraces, {"Links", "element"}), 41);
  EXPECT_EQ(IdAt(Table::kTraces, {"Links", "element", "TraceId"}), 42);
  EXPECT_EQ(IdAt(Table::kTraces, {"Links", "element", "Attributes", "value"}), 49);
  // summary: 19 top-level; three maps (20..25), then the list element and its struct.
  EXPECT_EQ(IdAt(Table::kMetricsSummary, {"ValueAtQuantiles"}), 19);
  EXPECT_EQ(IdAt(Table::kMetricsSummary, {"Attributes", "value"}), 25);
  EXPECT_EQ(IdAt(Table::kMetricsSummary, {"ValueAtQuantiles", "element"}), 26);
  EXPECT_EQ(IdAt(Table::kMetricsSummary, {"ValueAtQuantiles", "element", "Value"}), 28);
}

TEST(TableSchemaTest, FieldIdsAreUniqueAndNestedNullability) {
  for (Table table : kAllTables) {
    std::vector<int32_t> ids;
    std::vector<const columnar::Field*> stack;
    for (const auto& f : TableSchema(table)->fields()) stack.push_back(&f);
    while (!stack.empty()) {
      const columnar::Field* f = stack.back();
      stack.pop_back();
      ids.push_back(f->field_id);
      if (f->name == "key" || f->name == "element") {
        EXPECT_FALSE(f->nullable) << f->name;
      }
      if (f->name == "value" && f->type->id() == columnar::TypeId::kString) {
        EXPECT_TRUE(f->nullable);
      }
      for (const auto& child : f->type->children()) stack.push_back(&child);
    }
    std::sort(ids.begin(), ids.end());
    for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], static_cast<int32_t>(i + 1));
  }
}

// ---- logs -----------------------------------------------------------------------------------

TEST_F(ConvertTest, LogsFullRow) {
  LogRecord record;
  record.time_unix_nano = 1'700'000'000'123'456'789;
  record.observed_time_unix_nano = 1'700'000'000'999'999'999;
  record.trace_id = HexId(kTraceHex);
  record.span_id = HexId(kSpanHex);
  record.flags = 1;
  record.severity_text = "INFO";
  record.severity_number = 9;
  record.has_body = true;
  record.body = Str("hello \"world\"");
  record.event_name = "evt";
  record.attributes = {{"http.status", Int(200)}, {"ok", Bool(true)}, {"ratio", Dbl(0.5)}};
  record.dropped_attributes_count = 3;
  const ConvertStats stats = ConvertLogs(Logs({record}), options_, &batches_);
  EXPECT_EQ(stats.accepted, 1);
  EXPECT_EQ(stats.rejected, 0);
  const RecordBatch* b = batches_.Find(Table::kLogs);
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->num_rows(), 1u);
  EXPECT_THAT(b->Validate(), IsOk());
  EXPECT_EQ(Cell(b, "Timestamp"), "1700000000123456");
  EXPECT_EQ(Cell(b, "ServiceName"), Quoted("checkout"));
  EXPECT_EQ(Cell(b, "ServiceNamespace"), Quoted("shop"));
  EXPECT_EQ(Cell(b, "ServiceInstanceId"), Quoted("i-1"));
  EXPECT_EQ(Cell(b, "ResourceAttributes"),
            R"({"service.name": "checkout", "service.namespace": "shop", )"
            R"("service.instance.id": "i-1", "host.name": "h1"})");
  EXPECT_EQ(Cell(b, "ResourceSchemaUrl"), Quoted("r-url"));
  EXPECT_EQ(Cell(b, "ScopeName"), Quoted("lib"));
  EXPECT_EQ(Cell(b, "ScopeVersion"), Quoted("1.2.3"));
  EXPECT_EQ(Cell(b, "ScopeAttributes"), R"({"scope.k": "true"})");
  EXPECT_EQ(Cell(b, "ScopeSchemaUrl"), Quoted("s-url"));
  EXPECT_EQ(Cell(b, "ObservedTimestamp"), "1700000000999999");
  EXPECT_EQ(Cell(b, "TraceId"), Quoted(kTraceHex));
  EXPECT_EQ(Cell(b, "SpanId"), Quoted(kSpanHex));
  EXPECT_EQ(Cell(b, "TraceFlags"), "1");
  EXPECT_EQ(Cell(b, "SeverityText"), Quoted("INFO"));
  EXPECT_EQ(Cell(b, "SeverityNumber"), "9");
  EXPECT_EQ(Cell(b, "Body"), R"("hello \"world\"")");
  EXPECT_EQ(Cell(b, "EventName"), Quoted("evt"));
  EXPECT_EQ(Cell(b, "LogAttributes"), R"({"http.status": "200", "ok": "true", "ratio": "0.5"})");
  EXPECT_EQ(Cell(b, "DroppedAttributesCount"), "3");
  for (Table other : {Table::kTraces, Table::kMetricsGauge, Table::kMetricsSummary}) {
    EXPECT_EQ(batches_.Find(other), nullptr);
  }
  EXPECT_GT(batches_.MemoryUsage(), 0u);
}

TEST_F(ConvertTest, LogsTimestampFallbacks) {
  options_.receive_time_unix_nano = 7'000'999;
  LogRecord both;
  both.time_unix_nano = 5'000'000;
  both.observed_time_unix_nano = 6'000'000;
  LogRecord observed_only;
  observed_only.observed_time_unix_nano = 6'000'000;
  LogRecord neither;
  LogRecord floor;
  floor.time_unix_nano = 1'999;
  const ConvertStats stats =
      ConvertLogs(Logs({both, observed_only, neither, floor}), options_, &batches_);
  ASSERT_EQ(stats.accepted, 4);
  const RecordBatch* b = batches_.Find(Table::kLogs);
  EXPECT_EQ(Cell(b, "Timestamp", 0), "5000");
  EXPECT_EQ(Cell(b, "Timestamp", 1), "6000");
  EXPECT_EQ(Cell(b, "Timestamp", 2), "7000");
  EXPECT_EQ(Cell(b, "Timestamp", 3), "1");
  EXPECT_EQ(Cell(b, "ObservedTimestamp", 0), "6000");
  EXPECT_EQ(Cell(b, "ObservedTimestamp", 1), "6000");
  EXPECT_EQ(Cell(b, "ObservedTimestamp", 2), "null");
  EXPECT_EQ(Cell(b, "ObservedTimestamp", 3), "null");
}

TEST_F(ConvertTest, LogsMaxNanosFitTimestamp) {
  LogRecord record;
  record.time_unix_nano = kMaxU64;
  ASSERT_EQ(ConvertLogs(Logs({record}), options_, &batches_).accepted, 1);
  EXPECT_EQ(Cell(batches_.Find(Table::kLogs), "Timestamp"), "18446744073709551");
}

TEST_F(ConvertTest, LogsBodyKinds) {
  std::vector<LogRecord> records(6);
  records[1].has_body = true;  // present but empty AnyValue
  records[2].has_body = true;
  records[2].body = Str("");
  records[3].has_body = true;
  records[3].body = Int(-5);
  records[4].has_body = true;
  records[4].body.kind = ValueKind::kKvList;
  records[4].body.kvlist_values = {{"msg", Str("a\nb")}, {"n", Dbl(1e300)}};
  records[5].has_body = true;
  records[5].body.kind = ValueKind::kBytes;
  records[5].body.string_value = "foo";
  ASSERT_EQ(ConvertLogs(Logs(records), options_, &batches_).accepted, 6);
  const RecordBatch* b = batches_.Find(Table::kLogs);
  EXPECT_EQ(Cell(b, "Body", 0), "null");
  EXPECT_EQ(Cell(b, "Body", 1), "null");
  EXPECT_EQ(Cell(b, "Body", 2), R"("")");
  EXPECT_EQ(Cell(b, "Body", 3), R"("-5")");
  EXPECT_EQ(b->column_as<columnar::StringColumn>(b->schema()->FieldIndex("Body")).Value(4),
            R"({"msg":"a\nb","n":1e+300})");
  EXPECT_EQ(Cell(b, "Body", 5), R"("Zm9v")");
}

TEST_F(ConvertTest, ServiceFieldsAbsent) {
  Resource resource;
  resource.attributes = {{"host.name", Str("h1")}};
  ASSERT_EQ(ConvertLogs(Logs({LogRecord{}}, resource), options_, &batches_).accepted, 1);
  const RecordBatch* b = batches_.Find(Table::kLogs);
  EXPECT_EQ(Cell(b, "ServiceName"), R"("")");
  EXPECT_EQ(Cell(b, "ServiceNamespace"), "null");
  EXPECT_EQ(Cell(b, "ServiceInstanceId"), "null");
  EXPECT_EQ(Cell(b, "ResourceAttributes"), R"({"host.name": "h1"})");
}

TEST_F(ConvertTest, ServiceFieldsNonStringEmptyAndDuplicated) {
  Resource resource;
  resource.attributes = {{"service.name", Str("first")},
                         {"service.instance.id", Int(42)},
                         {"service.namespace", AnyValue{}},
                         {"service.name", Int(7)}};
  ASSERT_EQ(ConvertLogs(Logs({LogRecord{}}, resource), options_, &batches_).accepted, 1);
  const RecordBatch* b = batches_.Find(Table::kLogs);
  EXPECT_EQ(Cell(b, "ServiceName"), R"("7")");
  EXPECT_EQ(Cell(b, "ServiceInstanceId"), R"("42")");
  EXPECT_EQ(Cell(b, "ServiceNamespace"), "null");
  EXPECT_EQ(Cell(b, "ResourceAttributes"),
            R"({"service.instance.id": "42", "service.namespace": null, "service.name": "7"})");
}

TEST_F(ConvertTest, ServiceNameEmptyValueIsEmptyText) {
  Resource resource;
  resource.attributes = {{"service.name", AnyValue{}}};
  ASSERT_EQ(ConvertLogs(Logs({LogRecord{}}, resource), options_, &batches_).accepted, 1);
  EXPECT_EQ(Cell(batches_.Find(Table::kLogs), "ServiceName"), R"("")");
}

TEST_F(ConvertTest, AttributeDuplicateKeysLastWinsInInputOrder) {
  LogRecord record;
  record.attributes = {
      {"a", Int(1)}, {"b", Str("x")}, {"a", Int(3)}, {"c", AnyValue{}}, {"b", Str("y")}};
  ASSERT_EQ(ConvertLogs(Logs({record}), options_, &batches_).accepted, 1);
  EXPECT_EQ(Cell(batches_.Find(Table::kLogs), "LogAttributes"),
            R"({"a": "3", "c": null, "b": "y"})");
}

TEST_F(ConvertTest, ManyAttributesWithDuplicates) {
  std::vector<std::string> keys;
  for (int i = 0; i < 30; ++i) keys.push_back("k" + std::to_string(i));
  LogRecord record;
  for (const std::string& k : keys) record.attributes.push_back({k, Int(0)});
  record.attributes.push_back({"k0", Int(1)});
  ASSERT_EQ(ConvertLogs(Logs({record}), options_, &batches_).accepted, 1);
  const RecordBatch* b = batches_.Find(Table::kLogs);
  const auto& map = b->column_as<columnar::MapColumn>(b->schema()->FieldIndex("LogAttributes"));
  ASSERT_EQ(map.keys().size(), 30u);
  EXPECT_EQ(map.keys().Value(0), "k1");
  EXPECT_EQ(map.keys().Value(29), "k0");
  EXPECT_EQ(static_cast<const columnar::StringColumn&>(map.items()).Value(29), "1");
}

TEST_F(ConvertTest, LogIdsRejectedWithLocationAndNoPartialRow) {
  std::vector<LogRecord> records(5);
  records[0].trace_id = HexId(kTraceHex);
  records[1].trace_id = BytesId(5);
  records[2].span_id = BytesId(16);
  records[3].trace_id.error = "trace id is not 32 hex digits or base64 of 16 bytes";
  records[4].span_id = HexId(kSpanHex);
  for (auto& r : records) {
    r.has_body = true;
    r.body = Str("b");
    r.attributes = {{"k", Str("v")}};
  }
  LogsRequest request = Logs(records);
  request.resource_logs[0].scope_logs.resize(2);
  request.resource_logs[0].scope_logs[1].log_records = {records[1]};
  const ConvertStats stats = ConvertLogs(request, options_, &batches_);
  EXPECT_EQ(stats.accepted, 2);
  EXPECT_EQ(stats.rejected, 4);
  EXPECT_EQ(stats.first_rejection,
            "resourceLogs[0].scopeLogs[0].logRecords[1]: trace id must be 16 bytes, got 5");
  const RecordBatch* b = batches_.Find(Table::kLogs);
  ASSERT_EQ(b->num_rows(), 2u);
  EXPECT_THAT(b->Validate(), IsOk());
  EXPECT_EQ(Cell(b, "TraceId", 0), Quoted(kTraceHex));
  EXPECT_EQ(Cell(b, "SpanId", 0), R"("")");
  EXPECT_EQ(Cell(b, "TraceId", 1), R"("")");
  EXPECT_EQ(Cell(b, "SpanId", 1), Quoted(kSpanHex));
}

TEST_F(ConvertTest, LogRejectionReasons) {
  auto first_reason = [&](LogRecord record) {
    TableBatches batches;
    return ConvertLogs(Logs({record}), options_, &batches).first_rejection;
  };
  LogRecord bad_span;
  bad_span.span_id = BytesId(16);
  EXPECT_EQ(first_reason(bad_span),
            "resourceLogs[0].scopeLogs[0].logRecords[0]: span id must be 8 bytes, got 16");
  LogRecord undecodable;
  undecodable.span_id.error = "span id is not 16 hex digits or base64 of 8 bytes";
  EXPECT_EQ(first_reason(undecodable),
            "resourceLogs[0].scopeLogs[0].logRecords[0]: span id is not 16 hex digits or "
            "base64 of 8 bytes");
}

TEST_F(ConvertTest, AllRecordsRejectedLeavesNoBatch) {
  LogRecord record;
  record.trace_id = BytesId(1);
  const ConvertStats stats = ConvertLogs(Logs({record, record}), options_, &batches_);
  EXPECT_EQ(stats.accepted, 0);
  EXPECT_EQ(stats.rejected, 2);
  EXPECT_EQ(batches_.Find(Table::kLogs), nullptr);
}

TEST_F(ConvertTest, FlagsKeepBitsAndCountsClamp) {
  LogRecord record;
  record.flags = 0x8000'0001u;
  record.dropped_attributes_count = kMaxU32;
  record.severity_number = 24;
  ASSERT_EQ(ConvertLogs(Logs({record}), options_, &batches_).accepted, 1);
  const RecordBatch* b = batches_.Find(Table::kLogs);
  EXPECT_EQ(Cell(b, "TraceFlags"), "-2147483647");
  EXPECT_EQ(Cell(b, "DroppedAttributesCount"), "2147483647");
}

TEST_F(ConvertTest, ResourcesAndScopesAreFlattenedPerRow) {
  LogsRequest request;
  request.resource_logs.resize(2);
  request.resource_logs[0].resource.attributes = {{"service.name", Str("a")}};
  request.resource_logs[0].scope_logs.resize(2);
  request.resource_logs[0].scope_logs[0].scope.name = "s0";
  request.resource_logs[0].scope_logs[0].log_records.resize(2);
  request.resource_logs[0].scope_logs[1].scope.name = "s1";
  request.resource_logs[0].scope_logs[1].scope.attributes = {{"x", Dbl(1.5)}};
  request.resource_logs[0].scope_logs[1].log_records.resize(1);
  request.resource_logs[1].resource.attributes = {{"service.name", Str("b")}};
  request.resource_logs[1].schema_url = "u1";
  request.resource_logs[1].scope_logs.resize(1);
  request.resource_logs[1].scope_logs[0].log_records.resize(1);
  ASSERT_EQ(ConvertLogs(request, options_, &batches_).accepted, 4);
  const RecordBatch* b = batches_.Find(Table::kLogs);
  EXPECT_THAT(b->Validate(), IsOk());
  const std::vector<std::string> services = {"a", "a", "a", "b"};
  const std::vector<std::string> scopes = {"s0", "s0", "s1", ""};
  for (size_t row = 0; row < 4; ++row) {
    EXPECT_EQ(Cell(b, "ServiceName", row), Quoted(services[row]));
    EXPECT_EQ(Cell(b, "ScopeName", row), Quoted(scopes[row]));
  }
  EXPECT_EQ(Cell(b, "ScopeAttributes", 1), "{}");
  EXPECT_EQ(Cell(b, "ScopeAttributes", 2), R"({"x": "1.5"})");
  EXPECT_EQ(Cell(b, "ScopeAttributes", 3), "{}");
  EXPECT_EQ(Cell(b, "ResourceSchemaUrl", 3), Quoted("u1"));
  EXPECT_EQ(Cell(b, "ResourceAttributes", 3), R"({"service.name": "b"})");
}

TEST_F(ConvertTest, BatchesAccumulateAcrossRequests) {
  ASSERT_EQ(ConvertLogs(Logs({LogRecord{}}), options_, &batches_).accepted, 1);
  ASSERT_EQ(ConvertLogs(Logs({LogRecord{}, LogRecord{}}), options_, &batches_).accepted, 2);
  EXPECT_EQ(batches_.Find(Table::kLogs)->num_rows(), 3u);
  EXPECT_THAT(batches_.Find(Table::kLogs)->Validate(), IsOk());
}

// ---- traces ---------------------------------------------------------------------------------

TEST_F(ConvertTest, TracesFullRow) {
  Span span = ValidSpan();
  span.parent_span_id = HexId(kOtherSpanHex);
  span.trace_state = "k=v";
  span.kind = 2;
  span.attributes = {{"http.method", Str("GET")}};
  span.flags = 0x101;
  span.has_status = true;
  span.status = {"boom", 2};
  span.dropped_attributes_count = 1;
  span.dropped_events_count = 2;
  span.dropped_links_count = 3;
  SpanEvent event;
  event.time_unix_nano = 1'000'001'000;
  event.name = "exception";
  event.attributes = {{"exception.type", Str("E")}};
  event.dropped_attributes_count = 4;
  span.events = {event};
  SpanLink link;
  link.trace_id = HexId(kTraceHex);
  link.span_id = HexId(kOtherSpanHex);
  link.trace_state = "a=b";
  link.attributes = {{"n", Int(1)}};
  link.flags = 1;
  link.dropped_attributes_count = 5;
  SpanLink bare_link;  // only the ids a link must have
  bare_link.trace_id = HexId(kTraceHex);
  bare_link.span_id = HexId(kSpanHex);
  span.links = {link, bare_link};
  const ConvertStats stats = ConvertTraces(Traces({span}), options_, &batches_);
  EXPECT_EQ(stats.accepted, 1);
  const RecordBatch* b = batches_.Find(Table::kTraces);
  ASSERT_NE(b, nullptr);
  EXPECT_THAT(b->Validate(), IsOk());
  EXPECT_EQ(Cell(b, "Timestamp"), "1000000");
  EXPECT_EQ(Cell(b, "ServiceName"), Quoted("checkout"));
  EXPECT_EQ(Cell(b, "TraceId"), Quoted(kTraceHex));
  EXPECT_EQ(Cell(b, "SpanId"), Quoted(kSpanHex));
  EXPECT_EQ(Cell(b, "ParentSpanId"), Quoted(kOtherSpanHex));
  EXPECT_EQ(Cell(b, "TraceState"), Quoted("k=v"));
  EXPECT_EQ(Cell(b, "SpanName"), Quoted("GET /"));
  EXPECT_EQ(Cell(b, "SpanKind"), Quoted("Server"));
  EXPECT_EQ(Cell(b, "SpanAttributes"), R"({"http.method": "GET"})");
  EXPECT_EQ(Cell(b, "EndTimestamp"), "1000002");
  EXPECT_EQ(Cell(b, "Duration"), "2500");
  EXPECT_EQ(Cell(b, "StatusCode"), Quoted("Error"));
  EXPECT_EQ(Cell(b, "StatusMessage"), Quoted("boom"));
  EXPECT_EQ(Cell(b, "Flags"), "257");
  EXPECT_EQ(Cell(b, "Events"),
            R"([{Timestamp=1000001, Name="exception", Attributes={"exception.type": "E"}, )"
            R"(DroppedAttributesCount=4}])");
  EXPECT_EQ(Cell(b, "Links"),
            "[{TraceId=\"" + std::string(kTraceHex) + "\", SpanId=\"" + std::string(kOtherSpanHex) +
                R"(", TraceState="a=b", Attributes={"n": "1"}, Flags=1, )"
                R"(DroppedAttributesCount=5}, {TraceId=")" + std::string(kTraceHex) +
                R"(", SpanId=")" + std::string(kSpanHex) + R"(", TraceState="", )"
                R"(Attributes={}, Flags=0, DroppedAttributesCount=0}])");
  EXPECT_EQ(Cell(b, "DroppedAttributesCount"), "1");
  EXPECT_EQ(Cell(b, "DroppedEventsCount"), "2");
  EXPECT_EQ(Cell(b, "DroppedLinksCount"), "3");
}

TEST_F(ConvertTest, SpanKindAndStatusNames) {
  const std::vector<int32_t> kinds = {0, 1, 2, 3, 4, 5, 6, -1};
  const std::vector<std::string> kind_names = {"Unspecified", "Internal",   "Server",
                                               "Client",      "Producer",   "Consumer",
                                               "Unspecified", "Unspecified"};
  std::vector<Span> spans;
  for (int32_t kind : kinds) {
    Span span = ValidSpan();
    span.kind = kind;
    spans.push_back(span);
  }
  // Status: absent, Unset, Ok, Error, unknown number, and a code without has_status.
  const std::vector<std::pair<bool, int32_t>> statuses = {{false, 0}, {true, 0}, {true, 1},
                                                          {true, 2},  {true, 7}, {false, 2}};
  const std::vector<std::string> status_names = {"Unset", "Unset", "Ok", "Error", "Unset", "Unset"};
  for (size_t i = 0; i < statuses.size(); ++i) {
    spans[i].has_status = statuses[i].first;
    spans[i].status.code = statuses[i].second;
  }
  ASSERT_EQ(ConvertTraces(Traces(spans), options_, &batches_).accepted, 8);
  const RecordBatch* b = batches_.Find(Table::kTraces);
  for (size_t row = 0; row < kinds.size(); ++row) {
    EXPECT_EQ(Cell(b, "SpanKind", row), Quoted(kind_names[row])) << row;
  }
  for (size_t row = 0; row < statuses.size(); ++row) {
    EXPECT_EQ(Cell(b, "StatusCode", row), Quoted(status_names[row])) << row;
  }
}

TEST_F(ConvertTest, SpanDurationRules) {
  Span backwards = ValidSpan();
  backwards.end_time_unix_nano = backwards.start_time_unix_nano - 1;
  Span zero = ValidSpan();
  zero.end_time_unix_nano = zero.start_time_unix_nano;
  Span huge = ValidSpan();
  huge.start_time_unix_nano = 0;
  huge.end_time_unix_nano = kMaxU64;
  Span just_fits = ValidSpan();
  just_fits.start_time_unix_nano = 1;
  just_fits.end_time_unix_nano = 1 + static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  ASSERT_EQ(ConvertTraces(Traces({backwards, zero, huge, just_fits}), options_, &batches_).accepted,
            4);
  const RecordBatch* b = batches_.Find(Table::kTraces);
  EXPECT_EQ(Cell(b, "Duration", 0), "0");
  EXPECT_EQ(Cell(b, "Duration", 1), "0");
  EXPECT_EQ(Cell(b, "Duration", 2), "9223372036854775807");
  EXPECT_EQ(Cell(b, "Duration", 3), "9223372036854775807");
  EXPECT_EQ(Cell(b, "EndTimestamp", 0), "999999");
  EXPECT_EQ(Cell(b, "EndTimestamp", 2), "18446744073709551");
}

TEST_F(ConvertTest, SpanWithoutEventsOrLinksHasEmptyLists) {
  ASSERT_EQ(ConvertTraces(Traces({ValidSpan()}), options_, &batches_).accepted, 1);
  const RecordBatch* b = batches_.Find(Table::kTraces);
  EXPECT_EQ(Cell(b, "Events"), "[]");
  EXPECT_EQ(Cell(b, "Links"), "[]");
  EXPECT_EQ(Cell(b, "ParentSpanId"), R"("")");
  EXPECT_EQ(Cell(b, "StatusCode"), Quoted("Unset"));
  EXPECT_EQ(Cell(b, "StatusMessage"), R"("")");
}

TEST_F(ConvertTest, SpanRejections) {
  Span bad_trace = ValidSpan();
  bad_trace.trace_id = BytesId(8);
  Span bad_span = ValidSpan();
  bad_span.span_id = BytesId(16);
  Span bad_parent = ValidSpan();
  bad_parent.parent_span_id = BytesId(4);
  Span bad_link = ValidSpan();
  bad_link.links.resize(2);
  for (SpanLink& l : bad_link.links) {
    l.trace_id = HexId(kTraceHex);
    l.span_id = HexId(kSpanHex);
  }
  bad_link.links[1].span_id = BytesId(7);
  bad_link.events.resize(1);  // nothing of it may be appended
  Span bad_link_trace = ValidSpan();
  bad_link_trace.links.resize(1);
  bad_link_trace.links[0].trace_id.error = "trace id is not 32 hex digits or base64 of 16 bytes";
  Span good = ValidSpan();
  good.events.resize(2);
  good.links.resize(1);
  good.links[0].trace_id = HexId(kTraceHex);
  good.links[0].span_id = HexId(kSpanHex);
  Span no_ids;  // a span and a link must carry both ids
  Span link_without_ids = ValidSpan();
  link_without_ids.links.resize(1);

  auto reason = [&](const Span& span) {
    TableBatches batches;
    return ConvertTraces(Traces({span}), options_, &batches).first_rejection;
  };
  const std::string at = "resourceSpans[0].scopeSpans[0].spans[0]";
  EXPECT_EQ(reason(bad_trace), at + ": trace id must be 16 bytes, got 8");
  EXPECT_EQ(reason(bad_span), at + ": span id must be 8 bytes, got 16");
  EXPECT_EQ(reason(bad_parent), at + ": parent span id must be 8 bytes, got 4");
  EXPECT_EQ(reason(bad_link), at + ".links[1]: span id must be 8 bytes, got 7");
  EXPECT_EQ(reason(bad_link_trace),
            at + ".links[0]: trace id is not 32 hex digits or base64 of 16 bytes");
  EXPECT_EQ(reason(no_ids), at + ": trace id must be 16 bytes, got 0");
  EXPECT_EQ(reason(link_without_ids), at + ".links[0]: trace id must be 16 bytes, got 0");

  const ConvertStats stats =
      ConvertTraces(Traces({bad_trace, good, bad_span, bad_parent, bad_link, bad_link_trace, good}),
                    options_, &batches_);
  EXPECT_EQ(stats.accepted, 2);
  EXPECT_EQ(stats.rejected, 5);
  EXPECT_EQ(stats.first_rejection, at + ": trace id must be 16 bytes, got 8");
  const RecordBatch* b = batches_.Find(Table::kTraces);
  ASSERT_EQ(b->num_rows(), 2u);
  EXPECT_THAT(b->Validate(), IsOk());
  const auto& events = b->column_as<columnar::ListColumn>(b->schema()->FieldIndex("Events"));
  EXPECT_EQ(events.values().size(), 4u);
  const auto& links = b->column_as<columnar::ListColumn>(b->schema()->FieldIndex("Links"));
  EXPECT_EQ(links.values().size(), 2u);
}

// ---- metrics --------------------------------------------------------------------------------

Exemplar MakeExemplar(Id trace, Id span, double value) {
  Exemplar e;
  e.time_unix_nano = 3'000;
  e.value_kind = NumberKind::kDouble;
  e.as_double = value;
  e.trace_id = trace;
  e.span_id = span;
  e.filtered_attributes = {{"f", Str("1")}};
  return e;
}

Metric NumberMetric(MetricKind kind, std::string_view name) {
  Metric m;
  m.kind = kind;
  m.name = name;
  m.description = "desc";
  m.unit = "ms";
  return m;
}

NumberDataPoint DoublePoint(double value) {
  NumberDataPoint p;
  p.time_unix_nano = 2'000'000;
  p.value_kind = NumberKind::kDouble;
  p.as_double = value;
  return p;
}

TEST_F(ConvertTest, GaugePointsWithExemplars) {
  Metric gauge = NumberMetric(MetricKind::kGauge, "cpu");
  NumberDataPoint p0 = DoublePoint(0.25);
  p0.start_time_unix_nano = 1'000'000;
  p0.attributes = {{"core", Int(0)}};
  p0.flags = 1;
  p0.exemplars = {MakeExemplar(HexId(kTraceHex), HexId(kSpanHex), 0.5)};
  Exemplar int_exemplar;
  int_exemplar.value_kind = NumberKind::kInt;
  int_exemplar.as_int = -3;
  p0.exemplars.push_back(int_exemplar);
  p0.exemplars.push_back(Exemplar{});  // no value: 0.0
  NumberDataPoint p1;
  p1.value_kind = NumberKind::kInt;
  p1.as_int = std::numeric_limits<int64_t>::max();
  gauge.number_points = {p0, p1};
  const ConvertStats stats = ConvertMetrics(Metrics({gauge}), options_, &batches_);
  EXPECT_EQ(stats.accepted, 2);
  EXPECT_EQ(stats.rejected, 0);
  const RecordBatch* b = batches_.Find(Table::kMetricsGauge);
  ASSERT_NE(b, nullptr);
  EXPECT_THAT(b->Validate(), IsOk());
  EXPECT_EQ(Cell(b, "Timestamp"), "2000");
  EXPECT_EQ(Cell(b, "ServiceName"), Quoted("checkout"));
  EXPECT_EQ(Cell(b, "ScopeAttributes"), R"({"scope.k": "true"})");
  EXPECT_EQ(Cell(b, "StartTimestamp", 0), "1000");
  EXPECT_EQ(Cell(b, "StartTimestamp", 1), "null");
  EXPECT_EQ(Cell(b, "MetricName"), Quoted("cpu"));
  EXPECT_EQ(Cell(b, "MetricDescription"), Quoted("desc"));
  EXPECT_EQ(Cell(b, "MetricUnit"), Quoted("ms"));
  EXPECT_EQ(Cell(b, "Attributes"), R"({"core": "0"})");
  EXPECT_EQ(Cell(b, "Flags"), "1");
  EXPECT_EQ(Cell(b, "Value", 0), "0.25");
  EXPECT_EQ(b->column_as<columnar::DoubleColumn>(b->schema()->FieldIndex("Value")).Value(1),
            9223372036854775807.0);
  EXPECT_EQ(Cell(b, "Exemplars", 0),
            "[{Timestamp=3, Value=0.5, TraceId=\"" + std::string(kTraceHex) + "\", SpanId=\"" +
                std::string(kSpanHex) +
                R"(", FilteredAttributes={"f": "1"}}, )"
                R"({Timestamp=0, Value=-3, TraceId="", SpanId="", FilteredAttributes={}}, )"
                R"({Timestamp=0, Value=0, TraceId="", SpanId="", FilteredAttributes={}}])");
  EXPECT_EQ(Cell(b, "Exemplars", 1), "[]");
  EXPECT_EQ(batches_.Find(Table::kMetricsSum), nullptr);
  EXPECT_EQ(batches_.Find(Table::kLogs), nullptr);
}

TEST_F(ConvertTest, SumPoints) {
  Metric sum = NumberMetric(MetricKind::kSum, "requests");
  sum.aggregation_temporality = 2;
  sum.is_monotonic = true;
  NumberDataPoint p;
  p.value_kind = NumberKind::kInt;
  p.as_int = 42;
  sum.number_points = {p};
  Metric other = NumberMetric(MetricKind::kSum, "gauge-like");
  other.aggregation_temporality = 1;
  other.number_points = {DoublePoint(std::numeric_limits<double>::quiet_NaN())};
  ASSERT_EQ(ConvertMetrics(Metrics({sum, other}), options_, &batches_).accepted, 2);
  const RecordBatch* b = batches_.Find(Table::kMetricsSum);
  EXPECT_THAT(b->Validate(), IsOk());
  EXPECT_EQ(Cell(b, "Value", 0), "42");
  EXPECT_EQ(Cell(b, "AggregationTemporality", 0), "2");
  EXPECT_EQ(Cell(b, "IsMonotonic", 0), "true");
  EXPECT_EQ(Cell(b, "Exemplars", 0), "[]");
  EXPECT_EQ(Cell(b, "MetricName", 1), Quoted("gauge-like"));
  EXPECT_EQ(Cell(b, "Value", 1), "nan");
  EXPECT_EQ(Cell(b, "AggregationTemporality", 1), "1");
  EXPECT_EQ(Cell(b, "IsMonotonic", 1), "false");
}

TEST_F(ConvertTest, HistogramPoints) {
  Metric histogram = NumberMetric(MetricKind::kHistogram, "latency");
  histogram.aggregation_temporality = 1;
  HistogramDataPoint full;
  full.time_unix_nano = 5'000;
  full.count = kMaxU64;
  full.has_sum = true;
  full.sum = 12.5;
  full.bucket_counts = {1, 2, kMaxU64};
  full.explicit_bounds = {0.5, 1e300};
  full.has_min = true;
  full.min = -1;
  full.has_max = true;
  full.max = 9;
  full.exemplars = {MakeExemplar(HexId(kTraceHex), HexId(kSpanHex), 7)};
  HistogramDataPoint bare;
  bare.count = 3;
  histogram.histogram_points = {full, bare};
  ASSERT_EQ(ConvertMetrics(Metrics({histogram}), options_, &batches_).accepted, 2);
  const RecordBatch* b = batches_.Find(Table::kMetricsHistogram);
  ASSERT_NE(b, nullptr);
  EXPECT_THAT(b->Validate(), IsOk());
  EXPECT_EQ(Cell(b, "Timestamp", 0), "5");
  EXPECT_EQ(Cell(b, "Count", 0), "9223372036854775807");
  EXPECT_EQ(Cell(b, "Sum", 0), "12.5");
  EXPECT_EQ(Cell(b, "BucketCounts", 0), "[1, 2, 9223372036854775807]");
  EXPECT_EQ(Cell(b, "ExplicitBounds", 0), "[0.5, 1e+300]");
  EXPECT_EQ(Cell(b, "Min", 0), "-1");
  EXPECT_EQ(Cell(b, "Max", 0), "9");
  EXPECT_EQ(Cell(b, "AggregationTemporality", 0), "1");
  EXPECT_THAT(Cell(b, "Exemplars", 0), ::testing::HasSubstr("Value=7, TraceId=\"5b8e"));
  EXPECT_EQ(Cell(b, "Count", 1), "3");
  EXPECT_EQ(Cell(b, "Sum", 1), "null");
  EXPECT_EQ(Cell(b, "BucketCounts", 1), "[]");
  EXPECT_EQ(Cell(b, "ExplicitBounds", 1), "[]");
  EXPECT_EQ(Cell(b, "Min", 1), "null");
  EXPECT_EQ(Cell(b, "Max", 1), "null");
  EXPECT_EQ(Cell(b, "Exemplars", 1), "[]");
}

TEST_F(ConvertTest, ExponentialHistogramPoints) {
  Metric metric = NumberMetric(MetricKind::kExponentialHistogram, "size");
  metric.aggregation_temporality = 2;
  ExponentialHistogramDataPoint p;
  p.count = 10;
  p.has_sum = true;
  p.sum = 100;
  p.scale = -3;
  p.zero_count = kMaxU64;
  p.zero_threshold = 1e-9;
  p.positive = {-2, {1, 2, 3}};
  p.negative = {5, {4}};
  p.has_max = true;
  p.max = 50;
  p.exemplars = {MakeExemplar(Id{}, HexId(kSpanHex), 1.5)};
  metric.exponential_histogram_points = {p};
  ASSERT_EQ(ConvertMetrics(Metrics({metric}), options_, &batches_).accepted, 1);
  const RecordBatch* b = batches_.Find(Table::kMetricsExponentialHistogram);
  ASSERT_NE(b, nullptr);
  EXPECT_THAT(b->Validate(), IsOk());
  EXPECT_EQ(Cell(b, "Count"), "10");
  EXPECT_EQ(Cell(b, "Sum"), "100");
  EXPECT_EQ(Cell(b, "Scale"), "-3");
  EXPECT_EQ(Cell(b, "ZeroCount"), "9223372036854775807");
  EXPECT_EQ(Cell(b, "ZeroThreshold"), "1e-09");
  EXPECT_EQ(Cell(b, "PositiveOffset"), "-2");
  EXPECT_EQ(Cell(b, "PositiveBucketCounts"), "[1, 2, 3]");
  EXPECT_EQ(Cell(b, "NegativeOffset"), "5");
  EXPECT_EQ(Cell(b, "NegativeBucketCounts"), "[4]");
  EXPECT_EQ(Cell(b, "Min"), "null");
  EXPECT_EQ(Cell(b, "Max"), "50");
  EXPECT_EQ(Cell(b, "AggregationTemporality"), "2");
  EXPECT_EQ(Cell(b, "Exemplars"), "[{Timestamp=3, Value=1.5, TraceId=\"\", SpanId=\"" +
                                      std::string(kSpanHex) +
                                      R"(", FilteredAttributes={"f": "1"}}])");
}

TEST_F(ConvertTest, SummaryPoints) {
  Metric metric = NumberMetric(MetricKind::kSummary, "rpc");
  SummaryDataPoint p;
  p.count = 4;
  p.sum = 0;  // proto3 scalar: required, zero when absent
  p.quantile_values = {{0.5, 1.0}, {0.99, 2.5}};
  p.attributes = {{"a", Str("b")}};
  SummaryDataPoint empty;
  metric.summary_points = {p, empty};
  ASSERT_EQ(ConvertMetrics(Metrics({metric}), options_, &batches_).accepted, 2);
  const RecordBatch* b = batches_.Find(Table::kMetricsSummary);
  ASSERT_NE(b, nullptr);
  EXPECT_THAT(b->Validate(), IsOk());
  EXPECT_EQ(Cell(b, "Count", 0), "4");
  EXPECT_EQ(Cell(b, "Sum", 0), "0");
  EXPECT_EQ(Cell(b, "ValueAtQuantiles", 0),
            "[{Quantile=0.5, Value=1}, {Quantile=0.99, Value=2.5}]");
  EXPECT_EQ(Cell(b, "Attributes", 0), R"({"a": "b"})");
  EXPECT_EQ(Cell(b, "ValueAtQuantiles", 1), "[]");
}

TEST_F(ConvertTest, OneRequestFeedsAllFiveMetricTables) {
  Metric gauge = NumberMetric(MetricKind::kGauge, "g");
  gauge.number_points = {DoublePoint(1)};
  Metric sum = NumberMetric(MetricKind::kSum, "s");
  sum.number_points = {DoublePoint(2), DoublePoint(3)};
  Metric histogram = NumberMetric(MetricKind::kHistogram, "h");
  histogram.histogram_points.resize(1);
  Metric exponential = NumberMetric(MetricKind::kExponentialHistogram, "e");
  exponential.exponential_histogram_points.resize(1);
  Metric summary = NumberMetric(MetricKind::kSummary, "q");
  summary.summary_points.resize(3);
  const ConvertStats stats =
      ConvertMetrics(Metrics({gauge, sum, histogram, exponential, summary}), options_, &batches_);
  EXPECT_EQ(stats.accepted, 8);
  const std::vector<std::pair<Table, size_t>> rows = {{Table::kMetricsGauge, 1},
                                                      {Table::kMetricsSum, 2},
                                                      {Table::kMetricsHistogram, 1},
                                                      {Table::kMetricsExponentialHistogram, 1},
                                                      {Table::kMetricsSummary, 3}};
  for (const auto& [table, count] : rows) {
    const RecordBatch* b = batches_.Find(table);
    ASSERT_NE(b, nullptr) << TableName(table);
    EXPECT_EQ(b->num_rows(), count) << TableName(table);
    EXPECT_THAT(b->Validate(), IsOk());
    EXPECT_EQ(b->schema(), TableSchema(table));
  }
}

TEST_F(ConvertTest, MetricRejections) {
  Metric no_data = NumberMetric(MetricKind::kNone, "ghost");
  Metric gauge = NumberMetric(MetricKind::kGauge, "g");
  NumberDataPoint no_value;
  no_value.exemplars.resize(1);
  NumberDataPoint bad_exemplar = DoublePoint(1);
  bad_exemplar.exemplars = {MakeExemplar(Id{}, Id{}, 1),
                            MakeExemplar(BytesId(3), HexId(kSpanHex), 2)};
  gauge.number_points = {DoublePoint(1), no_value, bad_exemplar, DoublePoint(2)};
  Metric histogram = NumberMetric(MetricKind::kHistogram, "h");
  histogram.histogram_points.resize(2);
  histogram.histogram_points[0].exemplars = {MakeExemplar(HexId(kTraceHex), BytesId(16), 1)};
  histogram.histogram_points[0].bucket_counts = {1, 2};
  Metric exponential = NumberMetric(MetricKind::kExponentialHistogram, "e");
  exponential.exponential_histogram_points.resize(1);
  exponential.exponential_histogram_points[0].exemplars.resize(1);
  exponential.exponential_histogram_points[0].exemplars[0].span_id.error = "bad span";

  MetricsRequest request = Metrics({no_data, gauge, histogram, exponential});
  const ConvertStats stats = ConvertMetrics(request, options_, &batches_);
  EXPECT_EQ(stats.accepted, 3);
  EXPECT_EQ(stats.rejected, 5);
  EXPECT_EQ(stats.first_rejection,
            "resourceMetrics[0].scopeMetrics[0].metrics[0]: metric \"ghost\" has no data");
  EXPECT_EQ(batches_.Find(Table::kMetricsExponentialHistogram), nullptr);
  for (Table table : {Table::kMetricsGauge, Table::kMetricsHistogram}) {
    const RecordBatch* b = batches_.Find(table);
    ASSERT_NE(b, nullptr);
    EXPECT_THAT(b->Validate(), IsOk());
  }
  const RecordBatch* g = batches_.Find(Table::kMetricsGauge);
  ASSERT_EQ(g->num_rows(), 2u);
  EXPECT_EQ(Cell(g, "Value", 1), "2");
  const auto& exemplars = g->column_as<columnar::ListColumn>(g->schema()->FieldIndex("Exemplars"));
  EXPECT_EQ(exemplars.values().size(), 0u);
  const RecordBatch* h = batches_.Find(Table::kMetricsHistogram);
  ASSERT_EQ(h->num_rows(), 1u);
  EXPECT_EQ(Cell(h, "BucketCounts"), "[]");

  auto reason = [&](Metric metric) {
    TableBatches batches;
    return ConvertMetrics(Metrics({std::move(metric)}), options_, &batches).first_rejection;
  };
  const std::string at = "resourceMetrics[0].scopeMetrics[0].metrics[0]";
  Metric only_no_value = NumberMetric(MetricKind::kSum, "s");
  only_no_value.number_points = {no_value};
  EXPECT_EQ(reason(only_no_value),
            at + ".sum.dataPoints[0] (metric \"s\"): number data point has no value");
  Metric only_bad_exemplar = NumberMetric(MetricKind::kGauge, "g");
  only_bad_exemplar.number_points = {DoublePoint(0), bad_exemplar};
  EXPECT_EQ(reason(only_bad_exemplar),
            at + ".gauge.dataPoints[1] (metric \"g\"): exemplars[1]: trace id must be 16 "
                 "bytes, got 3");
  EXPECT_EQ(reason(histogram),
            at + ".histogram.dataPoints[0] (metric \"h\"): exemplars[0]: span id must be 8 "
                 "bytes, got 16");
  EXPECT_EQ(reason(exponential),
            at + ".exponentialHistogram.dataPoints[0] (metric \"e\"): exemplars[0]: bad span");
}

TEST_F(ConvertTest, MetricWithKindButNoPointsAddsNothing) {
  const ConvertStats stats =
      ConvertMetrics(Metrics({NumberMetric(MetricKind::kGauge, "g")}), options_, &batches_);
  EXPECT_EQ(stats.accepted, 0);
  EXPECT_EQ(stats.rejected, 0);
  EXPECT_EQ(batches_.Find(Table::kMetricsGauge), nullptr);
}

}  // namespace
}  // namespace o2p::otlp
