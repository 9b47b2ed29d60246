// Our decoders accept what real OpenTelemetry clients send.
//
// tests/js/capture_otlp.js runs the OpenTelemetry JS SDK and its OTLP/HTTP exporters (protobuf
// and JSON, one protobuf run gzip-compressed) against a recording server, exporting the SAME
// logs, spans and metrics through each exporter. This test reads that capture (directory in
// O2P_CAPTURE_DIR; run_real_clients.sh makes it) and checks, per signal:
//   1. every body is undone (Content-Encoding), decoded (Content-Type) and converted with no
//      error and no rejected record;
//   2. the protobuf, JSON and gzip-protobuf captures give identical rows (RenderBatches);
//   3. a handful of values the client was given arrive in the right columns (schema.md).
// The binary is not a ctest of its own: without a capture it has nothing to check and fails.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "o2p/base/arena.h"
#include "o2p/columnar/record_batch.h"
#include "o2p/otlp/decompress.h"
#include "o2p/otlp/export_request.h"
#include "o2p/otlp/internal/json_parser.h"
#include "o2p/otlp/signal.h"
#include "support/batch_text.h"

namespace o2p::otlp {
namespace {

using columnar::RecordBatch;

// The ids and times capture_otlp.js gives its telemetry.
constexpr std::string_view kTraceId = "5b8efff798038103d269b633813fc60c";
constexpr std::string_view kRemoteSpanId = "eee19b7ec3c1b174";
constexpr int64_t kBaseMicros = 1700000000000000;  // 2023-11-14T22:13:20Z
constexpr uint64_t kReceiveTime = 1800000000000000000ULL;

// One recorded request, as listed in manifest.json.
struct Capture {
  std::string file;
  std::string path;
  std::string content_type;
  std::string content_encoding;
  std::string signal;
  std::string exporter;
  std::string body;  // as it arrived on the wire
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<Capture> LoadCaptures() {
  const char* dir = std::getenv("O2P_CAPTURE_DIR");
  if (dir == nullptr || *dir == '\0') {
    ADD_FAILURE() << "O2P_CAPTURE_DIR is not set: run tests/integration/run_real_clients.sh "
                     "(ctest -R real_otlp_clients), which captures real client requests first";
    return {};
  }
  const std::string manifest = ReadFile(std::string(dir) + "/manifest.json");
  Arena arena;
  internal::JsonDocument doc;
  const Status parsed = doc.Parse(manifest, arena);
  if (!parsed.ok() || !doc.root().is_array()) {
    ADD_FAILURE() << "cannot read " << dir << "/manifest.json: " << parsed.ToString();
    return {};
  }
  std::vector<Capture> captures;
  for (internal::JsonValue entry : doc.root().elements()) {
    Capture capture;
    for (internal::JsonMember m : entry.members()) {
      const std::string text(m.value.is_string() ? m.value.text() : "");
      if (m.key == "file") capture.file = text;
      if (m.key == "path") capture.path = text;
      if (m.key == "contentType") capture.content_type = text;
      if (m.key == "contentEncoding") capture.content_encoding = text;
      if (m.key == "signal") capture.signal = text;
      if (m.key == "exporter") capture.exporter = text;
    }
    capture.body = ReadFile(std::string(dir) + "/" + capture.file);
    captures.push_back(std::move(capture));
  }
  return captures;
}

const std::vector<Capture>& Captures() {
  static const std::vector<Capture> captures = LoadCaptures();
  return captures;
}

// Undoes the coding, decodes by Content-Type and converts one request into `out`.
void DecodeInto(const Capture& capture, TableBatches* out, ConvertStats* total) {
  SCOPED_TRACE(capture.file);
  const std::optional<Signal> signal = ParseSignal(capture.signal);
  ASSERT_TRUE(signal.has_value()) << capture.signal;
  EXPECT_EQ(capture.path, "/v1/" + capture.signal);
  const std::optional<Encoding> encoding = EncodingFromContentType(capture.content_type);
  ASSERT_TRUE(encoding.has_value()) << "Content-Type " << capture.content_type;
  auto codings = ParseContentEncoding(capture.content_encoding);
  ASSERT_TRUE(codings.has_value()) << codings.status().ToString();
  auto body = DecompressAll(capture.body, *codings);
  ASSERT_TRUE(body.has_value()) << body.status().ToString();

  auto stats = DecodeAndConvert(*signal, *encoding, *body, {kReceiveTime}, out);
  ASSERT_TRUE(stats.has_value()) << EncodingName(*encoding)
                                 << " body rejected: " << stats.status().ToString();
  EXPECT_GT(stats->accepted, 0);
  EXPECT_EQ(stats->rejected, 0) << "first rejection: " << stats->first_rejection;
  total->accepted += stats->accepted;
  total->rejected += stats->rejected;
}

struct Decoded {
  TableBatches batches;
  ConvertStats stats;
  std::string text;  // RenderBatches
  int requests = 0;
};

// All requests one exporter sent for `signal`, decoded in order into one set of batches.
Decoded DecodeExporter(std::string_view signal, std::string_view exporter) {
  Decoded decoded;
  for (const Capture& capture : Captures()) {
    if (capture.signal != signal || capture.exporter != exporter) continue;
    ++decoded.requests;
    DecodeInto(capture, &decoded.batches, &decoded.stats);
  }
  EXPECT_GT(decoded.requests, 0) << "no " << signal << " request from exporter " << exporter;
  for (Table table : kAllTables) {
    if (const RecordBatch* batch = decoded.batches.Find(table)) {
      EXPECT_TRUE(batch->Validate().ok()) << TableName(table);
    }
  }
  decoded.text = ::o2p::testing::RenderBatches(decoded.batches);
  return decoded;
}

// --- Reading cells ----------------------------------------------------------------------------

size_t ColumnIndex(const RecordBatch& batch, std::string_view name) {
  const auto& fields = batch.schema()->fields();
  for (size_t col = 0; col < fields.size(); ++col) {
    if (fields[col].name == name) return col;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

// FormatValue of a cell: strings quoted, lists/maps in brackets, nulls as `null`.
std::string Cell(const RecordBatch& batch, size_t row, std::string_view column) {
  return columnar::FormatValue(batch.column(ColumnIndex(batch, column)), row);
}

// The raw text of a string cell ("<null>" for null).
std::string Text(const RecordBatch& batch, size_t row, std::string_view column) {
  const columnar::Column& c = batch.column(ColumnIndex(batch, column));
  if (c.type_id() != columnar::TypeId::kString) {
    ADD_FAILURE() << column << " is not a string column";
    return {};
  }
  if (!c.IsValid(row)) return "<null>";
  return std::string(static_cast<const columnar::StringColumn&>(c).Value(row));
}

// The raw text stored under `key` in a map<string,string> cell ("<missing>", "<null>").
std::string MapValue(const RecordBatch& batch, size_t row, std::string_view column,
                     std::string_view key) {
  const columnar::Column& c = batch.column(ColumnIndex(batch, column));
  if (c.type_id() != columnar::TypeId::kMap) {
    ADD_FAILURE() << column << " is not a map column";
    return {};
  }
  const auto& map = static_cast<const columnar::MapColumn&>(c);
  const auto& items = static_cast<const columnar::StringColumn&>(map.items());
  std::string found = "<missing>";
  for (auto i = map.offsets()[row]; i < map.offsets()[row + 1]; ++i) {
    const auto entry = static_cast<size_t>(i);
    if (map.keys().Value(entry) != key) continue;
    found = items.IsValid(entry) ? std::string(items.Value(entry)) : "<null>";
  }
  return found;
}

// The first row whose string `column` equals `value`; fails the test when there is none.
size_t RowWithText(const RecordBatch& batch, std::string_view column, std::string_view value) {
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    if (Text(batch, row, column) == value) return row;
  }
  ADD_FAILURE() << "no row with " << column << " = " << value;
  return 0;
}

// The sum of a rendered list of integers ("[1, 0, 2]" -> 3).
int64_t SumOfList(const std::string& rendered) {
  int64_t sum = 0;
  std::istringstream in(rendered.substr(1));
  int64_t value = 0;
  char separator = 0;
  while (in >> value) {
    sum += value;
    in >> separator;
  }
  return sum;
}

void ExpectResourceColumns(const RecordBatch& batch, std::string_view scope_name) {
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    SCOPED_TRACE(row);
    EXPECT_EQ(Text(batch, row, "ServiceName"), "o2p-real-client");
    EXPECT_EQ(Text(batch, row, "ServiceNamespace"), "o2p-tests");
    EXPECT_EQ(Text(batch, row, "ServiceInstanceId"), "instance-0001");
    EXPECT_EQ(MapValue(batch, row, "ResourceAttributes", "deployment.environment.name"), "test");
    EXPECT_EQ(Text(batch, row, "ScopeName"), scope_name);
  }
}

const RecordBatch* TableOf(const Decoded& decoded, Table table) {
  const RecordBatch* batch = decoded.batches.Find(table);
  EXPECT_NE(batch, nullptr) << "no rows in " << TableName(table);
  return batch;
}

// --- The tests ----------------------------------------------------------------------------------

TEST(RealClientsTest, CaptureHasEverySignalFromEveryExporter) {
  const std::vector<Capture>& captures = Captures();
  ASSERT_FALSE(captures.empty());
  bool saw_gzip = false;
  for (const Capture& capture : captures) {
    SCOPED_TRACE(capture.file);
    EXPECT_FALSE(capture.body.empty());
    if (capture.exporter == "json") {
      EXPECT_EQ(EncodingFromContentType(capture.content_type), Encoding::kJson);
    } else {
      EXPECT_EQ(EncodingFromContentType(capture.content_type), Encoding::kProtobuf);
    }
    if (capture.exporter == "proto-gzip") {
      EXPECT_EQ(capture.content_encoding, "gzip");
      saw_gzip = true;
    }
  }
  EXPECT_TRUE(saw_gzip) << "no gzip-compressed request in the capture";
  for (std::string_view signal : {"logs", "traces", "metrics"}) {
    for (std::string_view exporter : {"proto", "json"}) {
      EXPECT_TRUE(std::any_of(
          captures.begin(), captures.end(),
          [&](const Capture& c) { return c.signal == signal && c.exporter == exporter; }))
          << "no " << signal << " request from exporter " << exporter;
    }
  }
}

TEST(RealClientsTest, LogsDecodeIdenticallyFromEveryExporter) {
  const Decoded proto = DecodeExporter("logs", "proto");
  const Decoded json = DecodeExporter("logs", "json");
  const Decoded gzip = DecodeExporter("logs", "proto-gzip");
  ASSERT_FALSE(proto.text.empty());
  EXPECT_EQ(json.text, proto.text);
  EXPECT_EQ(gzip.text, proto.text);
  EXPECT_EQ(proto.stats.accepted, 5);

  const RecordBatch* logs = TableOf(proto, Table::kLogs);
  ASSERT_NE(logs, nullptr);
  ASSERT_EQ(logs->num_rows(), 5u);
  ExpectResourceColumns(*logs, "o2p.capture.logs");
  EXPECT_EQ(Text(*logs, 0, "ScopeVersion"), "1.2.3");
  EXPECT_EQ(Text(*logs, 0, "ScopeSchemaUrl"), "https://opentelemetry.io/schemas/1.26.0");

  // Record 0: a string body with a trace context and attributes of every kind.
  EXPECT_EQ(Text(*logs, 0, "Body"),
            "user logged in: \u00fcn\u00efc\u00f8d\u00e9 \u2713 \u65e5\u672c\u8a9e \"quoted\" \\ "
            "back\nslash");
  EXPECT_EQ(Cell(*logs, 0, "Timestamp"), std::to_string(kBaseMicros + 1000));
  EXPECT_EQ(Cell(*logs, 0, "ObservedTimestamp"), std::to_string(kBaseMicros + 2000));
  EXPECT_EQ(Text(*logs, 0, "TraceId"), kTraceId);
  EXPECT_EQ(Text(*logs, 0, "SpanId"), kRemoteSpanId);
  EXPECT_EQ(Cell(*logs, 0, "TraceFlags"), "1");
  EXPECT_EQ(Text(*logs, 0, "SeverityText"), "INFO");
  EXPECT_EQ(Cell(*logs, 0, "SeverityNumber"), "9");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.string"), "hello");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.empty"), "");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.int"), "42");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.negative"), "-7");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.double"), "3.25");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.bool"), "true");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.false"), "false");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.string_array"), R"(["a","b","c"])");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.mixed_array"), R"(["x",1,2.5,true])");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.nested"),
            R"({"inner":{"leaf":"value","count":2},"list":[1,"two"]})");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.bytes"), "3q2+7w==");
  EXPECT_EQ(MapValue(*logs, 0, "LogAttributes", "attr.unicode"),
            "na\u00efve caf\u00e9 \u2013 \u6771\u4eac");

  // Record 1: a map body; the SDK turned the exception into attributes.
  EXPECT_EQ(Text(*logs, 1, "Body"),
            R"({"message":"payment failed","code":402,"retry":false,"amounts":[1.5,2.5]})");
  EXPECT_EQ(Cell(*logs, 1, "SeverityNumber"), "17");
  EXPECT_EQ(Text(*logs, 1, "TraceId"), "");
  EXPECT_EQ(MapValue(*logs, 1, "LogAttributes", "exception.type"), "PaymentError");
  EXPECT_EQ(
      MapValue(*logs, 1, "LogAttributes", "exception.stacktrace"),
      "PaymentError: card declined\n    at charge (billing.js:10:5)\n    at main (app.js:3:1)");

  // Records 2-4: an array body, an int body, an event without a body.
  EXPECT_EQ(Text(*logs, 2, "Body"), R"(["first",2,{"third":3}])");
  EXPECT_EQ(Text(*logs, 3, "Body"), "12345");
  EXPECT_EQ(Text(*logs, 3, "SeverityText"), "debug");
  EXPECT_EQ(Text(*logs, 4, "EventName"), "o2p.test.event");
  EXPECT_EQ(Cell(*logs, 4, "SeverityNumber"), "21");
  EXPECT_EQ(Cell(*logs, 4, "Body"), "null") << "the SDK sends an empty AnyValue as the body";
}

TEST(RealClientsTest, TracesDecodeIdenticallyFromEveryExporter) {
  const Decoded proto = DecodeExporter("traces", "proto");
  const Decoded json = DecodeExporter("traces", "json");
  ASSERT_FALSE(proto.text.empty());
  EXPECT_EQ(json.text, proto.text);
  EXPECT_EQ(proto.stats.accepted, 5);

  const RecordBatch* spans = TableOf(proto, Table::kTraces);
  ASSERT_NE(spans, nullptr);
  ASSERT_EQ(spans->num_rows(), 5u);
  ExpectResourceColumns(*spans, "o2p.capture.traces");

  const size_t server = RowWithText(*spans, "SpanName", "GET /api/orders");
  EXPECT_EQ(Text(*spans, server, "SpanKind"), "Server");
  EXPECT_EQ(Text(*spans, server, "TraceId"), kTraceId);
  EXPECT_EQ(Text(*spans, server, "SpanId"), "0000000000000001");
  EXPECT_EQ(Text(*spans, server, "ParentSpanId"), kRemoteSpanId);
  EXPECT_EQ(Text(*spans, server, "TraceState"), "vendor=opaque,other=1");
  EXPECT_EQ(Text(*spans, server, "StatusCode"), "Error");
  EXPECT_EQ(Text(*spans, server, "StatusMessage"), "downstream failed");
  EXPECT_EQ(Cell(*spans, server, "Timestamp"), std::to_string(kBaseMicros + 10000));
  EXPECT_EQ(Cell(*spans, server, "EndTimestamp"), std::to_string(kBaseMicros + 30000));
  EXPECT_EQ(Cell(*spans, server, "Duration"), "20000000");
  EXPECT_EQ(Cell(*spans, server, "Flags"), "769") << "sampled, has-is-remote, parent remote";
  EXPECT_EQ(MapValue(*spans, server, "SpanAttributes", "http.response.status_code"), "500");
  EXPECT_EQ(MapValue(*spans, server, "SpanAttributes", "server.duration_ratio"), "0.75");
  EXPECT_EQ(MapValue(*spans, server, "SpanAttributes", "feature.flags"), R"(["a","b"])");
  const std::string events = Cell(*spans, server, "Events");
  EXPECT_NE(events.find(R"(Name="cache.miss")"), std::string::npos) << events;
  EXPECT_NE(events.find(R"(Name="exception")"), std::string::npos) << events;
  EXPECT_NE(events.find(R"("cache.tries": "2")"), std::string::npos) << events;

  const size_t client = RowWithText(*spans, "SpanName", "SELECT orders");
  EXPECT_EQ(Text(*spans, client, "SpanKind"), "Client");
  EXPECT_EQ(Text(*spans, client, "ParentSpanId"), "0000000000000001");
  EXPECT_EQ(Text(*spans, client, "StatusCode"), "Error");
  EXPECT_EQ(Text(*spans, client, "StatusMessage"), "db timeout after 30s");
  EXPECT_EQ(MapValue(*spans, client, "SpanAttributes", "db.query.text"),
            R"(SELECT * FROM "orders")");
  EXPECT_EQ(Cell(*spans, client, "Links"),
            R"([{TraceId="0af7651916cd43dd8448eb211c80319c", SpanId="b7ad6b7169203331", )"
            R"(TraceState="linked=yes", Attributes={"link.reason": "batch", "link.index": "0"}, )"
            R"(Flags=257, DroppedAttributesCount=0}])");

  EXPECT_EQ(Text(*spans, RowWithText(*spans, "SpanName", "orders publish"), "SpanKind"),
            "Producer");
  EXPECT_EQ(Text(*spans, RowWithText(*spans, "SpanName", "orders publish"), "StatusCode"), "Ok");
  EXPECT_EQ(Text(*spans, RowWithText(*spans, "SpanName", "orders process"), "SpanKind"),
            "Consumer");
  EXPECT_EQ(Text(*spans, RowWithText(*spans, "SpanName", "orders process"), "StatusCode"), "Unset");
  EXPECT_EQ(Text(*spans, RowWithText(*spans, "SpanName", "compute totals"), "SpanKind"),
            "Internal");
}

TEST(RealClientsTest, MetricsDecodeIdenticallyFromEveryExporter) {
  const Decoded proto = DecodeExporter("metrics", "proto");
  const Decoded json = DecodeExporter("metrics", "json");
  ASSERT_FALSE(proto.text.empty());
  EXPECT_EQ(json.text, proto.text);
  EXPECT_EQ(proto.stats.accepted, 7);
  EXPECT_EQ(proto.batches.Find(Table::kMetricsSummary), nullptr);

  const RecordBatch* sums = TableOf(proto, Table::kMetricsSum);
  ASSERT_NE(sums, nullptr);
  ASSERT_EQ(sums->num_rows(), 3u);
  ExpectResourceColumns(*sums, "o2p.capture.metrics");
  const size_t requests = RowWithText(*sums, "MetricName", "o2p.requests");
  EXPECT_EQ(Text(*sums, requests, "MetricDescription"), "Requests handled");
  EXPECT_EQ(Text(*sums, requests, "MetricUnit"), "{request}");
  EXPECT_EQ(MapValue(*sums, requests, "Attributes", "route"), "/a");
  EXPECT_EQ(MapValue(*sums, requests, "Attributes", "ok"), "true");
  EXPECT_EQ(Cell(*sums, requests, "Value"), "3");
  EXPECT_EQ(Cell(*sums, requests, "IsMonotonic"), "true");
  EXPECT_EQ(Cell(*sums, requests, "AggregationTemporality"), "2");
  EXPECT_EQ(Cell(*sums, requests + 1, "Value"), "4");
  const size_t inflight = RowWithText(*sums, "MetricName", "o2p.inflight");
  EXPECT_EQ(Cell(*sums, inflight, "Value"), "3");
  EXPECT_EQ(Cell(*sums, inflight, "IsMonotonic"), "false");

  const RecordBatch* histograms = TableOf(proto, Table::kMetricsHistogram);
  ASSERT_NE(histograms, nullptr);
  ASSERT_EQ(histograms->num_rows(), 1u);
  EXPECT_EQ(Text(*histograms, 0, "MetricName"), "o2p.latency");
  EXPECT_EQ(Cell(*histograms, 0, "Count"), "8");
  EXPECT_EQ(Cell(*histograms, 0, "Sum"), "408");
  EXPECT_EQ(Cell(*histograms, 0, "BucketCounts"), "[0, 2, 1, 1, 2, 1, 1]");
  EXPECT_EQ(Cell(*histograms, 0, "ExplicitBounds"), "[0, 5, 10, 25, 50, 100]");
  EXPECT_EQ(Cell(*histograms, 0, "Min"), "1");
  EXPECT_EQ(Cell(*histograms, 0, "Max"), "250");

  const RecordBatch* exponential = TableOf(proto, Table::kMetricsExponentialHistogram);
  ASSERT_NE(exponential, nullptr);
  ASSERT_EQ(exponential->num_rows(), 1u);
  EXPECT_EQ(Text(*exponential, 0, "MetricName"), "o2p.payload.size");
  EXPECT_EQ(Cell(*exponential, 0, "Count"), "6");
  EXPECT_EQ(Cell(*exponential, 0, "Sum"), "1001107");
  EXPECT_EQ(Cell(*exponential, 0, "Min"), "1");
  EXPECT_EQ(Cell(*exponential, 0, "Max"), "1000000");
  EXPECT_EQ(Cell(*exponential, 0, "ZeroCount"), "0");
  EXPECT_EQ(Cell(*exponential, 0, "NegativeBucketCounts"), "[]");
  EXPECT_EQ(Cell(*exponential, 0, "PositiveOffset"), "-1");
  EXPECT_EQ(SumOfList(Cell(*exponential, 0, "PositiveBucketCounts")), 6);

  const RecordBatch* gauges = TableOf(proto, Table::kMetricsGauge);
  ASSERT_NE(gauges, nullptr);
  ASSERT_EQ(gauges->num_rows(), 2u);
  EXPECT_EQ(Text(*gauges, 0, "MetricName"), "o2p.temperature");
  EXPECT_EQ(Text(*gauges, 0, "MetricUnit"), "Cel");
  EXPECT_EQ(MapValue(*gauges, 0, "Attributes", "room"), "lab");
  EXPECT_EQ(Cell(*gauges, 0, "Value"), "21.5");
  EXPECT_EQ(MapValue(*gauges, 1, "Attributes", "room"), "freezer");
  EXPECT_EQ(Cell(*gauges, 1, "Value"), "-3.25");
}

}  // namespace
}  // namespace o2p::otlp
