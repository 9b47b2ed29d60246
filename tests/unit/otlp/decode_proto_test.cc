// Tests for the hand-written protobuf decoders (o2p/otlp/decode_proto.h).
//
// Requests are built with the classes generated from proto/ and serialized by libprotobuf, then
// decoded by our decoder and compared field by field. Where bytes are hand-crafted (unknown
// fields, wrong wire types, merges, unpacked repeated fields, mutations), libprotobuf parsing
// the same bytes is the oracle: both must agree on success and on every decoded value.
#include "o2p/otlp/decode_proto.h"

#include <bit>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include "unit/otlp/pb_fixtures.h"

namespace o2p::otlp {
namespace {

using namespace fixtures;  // NOLINT(google-build-using-namespace): test vocabulary

// ---- hand-crafted wire bytes ---------------------------------------------------------------

std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string Tag(uint32_t field, int wire_type) {
  return Varint((uint64_t{field} << 3) | static_cast<uint64_t>(wire_type));
}
std::string VarintField(uint32_t field, uint64_t v) { return Tag(field, 0) + Varint(v); }
std::string Fixed64Field(uint32_t field, uint64_t v) {
  std::string out = Tag(field, 1);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}
std::string DoubleField(uint32_t field, double d) {
  return Fixed64Field(field, std::bit_cast<uint64_t>(d));
}
std::string Fixed32Field(uint32_t field, uint32_t v) {
  std::string out = Tag(field, 5);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}
std::string LenField(uint32_t field, const std::string& payload) {
  return Tag(field, 2) + Varint(payload.size()) + payload;
}

// ---- decoding helpers ----------------------------------------------------------------------

Status Decode(std::string_view body, Arena& arena, LogsRequest* out) {
  return DecodeLogsProto(body, arena, out);
}
Status Decode(std::string_view body, Arena& arena, TracesRequest* out) {
  return DecodeTracesProto(body, arena, out);
}
Status Decode(std::string_view body, Arena& arena, MetricsRequest* out) {
  return DecodeMetricsProto(body, arena, out);
}

template <typename Pb>
struct ModelOf;
template <>
struct ModelOf<PbLogsRequest> {
  using type = LogsRequest;
};
template <>
struct ModelOf<PbTracesRequest> {
  using type = TracesRequest;
};
template <>
struct ModelOf<PbMetricsRequest> {
  using type = MetricsRequest;
};

// Serializes `want`, decodes it and compares.
template <typename Pb>
void ExpectRoundTrip(const Pb& want) {
  const std::string body = want.SerializeAsString();
  Arena arena;
  typename ModelOf<Pb>::type got;
  const Status status = Decode(body, arena, &got);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ExpectEq(want, got);
}

// libprotobuf logs invalid UTF-8 on parse; the oracle tests expect that, so keep it quiet.
class QuietProtobufLog {
 public:
  QuietProtobufLog() : old_(google::protobuf::SetLogHandler(&Ignore)) {}
  ~QuietProtobufLog() { google::protobuf::SetLogHandler(old_); }
  QuietProtobufLog(const QuietProtobufLog&) = delete;
  QuietProtobufLog& operator=(const QuietProtobufLog&) = delete;

 private:
  static void Ignore(google::protobuf::LogLevel, const char*, int, const std::string&) {}
  google::protobuf::LogHandler* old_;
};

// Parses `bytes` with libprotobuf and with our decoder. When libprotobuf accepts them we must
// accept them too and decode the same values. Returns our status.
template <typename Pb>
Status ExpectMatchesLibprotobuf(const std::string& bytes, bool require_same_verdict = true) {
  Pb want;
  bool pb_ok = false;
  {
    QuietProtobufLog quiet;
    pb_ok = want.ParseFromString(bytes);
  }
  Arena arena;
  typename ModelOf<Pb>::type got;
  Status status = Decode(bytes, arena, &got);
  if (require_same_verdict) {
    EXPECT_EQ(status.ok(), pb_ok) << status.ToString();
  } else if (pb_ok) {
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
  if (pb_ok && status.ok()) ExpectEq(want, got);
  return status;
}

// ---- round trips ---------------------------------------------------------------------------

TEST(DecodeProtoTest, EmptyBodyIsAnEmptyRequest) {
  Arena arena;
  LogsRequest logs;
  TracesRequest traces;
  MetricsRequest metrics;
  EXPECT_TRUE(DecodeLogsProto("", arena, &logs).ok());
  EXPECT_TRUE(DecodeTracesProto("", arena, &traces).ok());
  EXPECT_TRUE(DecodeMetricsProto("", arena, &metrics).ok());
  EXPECT_TRUE(logs.resource_logs.empty());
  EXPECT_TRUE(traces.resource_spans.empty());
  EXPECT_TRUE(metrics.resource_metrics.empty());
}

TEST(DecodeProtoTest, LogsRoundTrip) {
  const PbLogsRequest req = RealisticLogs();
  ExpectRoundTrip(req);
  // Spot checks that do not rely on the comparison helpers.
  const std::string body = req.SerializeAsString();
  Arena arena;
  LogsRequest got;
  ASSERT_TRUE(DecodeLogsProto(body, arena, &got).ok());
  const auto& records = got.resource_logs[0].scope_logs[0].log_records;
  ASSERT_EQ(records.size(), 5U);
  EXPECT_EQ(records[0].time_unix_nano, kU64Max);
  EXPECT_EQ(records[1].severity_number, -5);
  EXPECT_EQ(records[1].body.kind, ValueKind::kString);
  EXPECT_FALSE(records[2].has_body);
  EXPECT_EQ(records[2].severity_number, 1000);
  EXPECT_TRUE(records[3].has_body);
  EXPECT_EQ(records[3].body.kind, ValueKind::kNone);
  EXPECT_EQ(records[4].trace_id.bytes, "short");
  EXPECT_TRUE(got.resource_logs[1].resource.attributes.empty());
}

TEST(DecodeProtoTest, EveryAnyValueKind) {
  PbLogsRequest req;
  *req.add_resource_logs()->add_scope_logs()->add_log_records()->mutable_body() = EveryKind();
  ExpectRoundTrip(req);
  const std::string body = req.SerializeAsString();
  Arena arena;
  LogsRequest got;
  ASSERT_TRUE(DecodeLogsProto(body, arena, &got).ok());
  const AnyValue& root = got.resource_logs[0].scope_logs[0].log_records[0].body;
  ASSERT_EQ(root.kind, ValueKind::kKvList);
  const KeyValue& array = root.kvlist_values.back();
  EXPECT_EQ(array.key, "array");
  ASSERT_EQ(array.value.array_values.size(), 5U);
  EXPECT_EQ(array.value.array_values[2].kind, ValueKind::kNone);
  EXPECT_EQ(array.value.array_values[3].array_values[0].string_value, "nested");
  EXPECT_EQ(array.value.array_values[4].kvlist_values[0].value.string_value, "value");
}

TEST(DecodeProtoTest, TracesRoundTrip) {
  const PbTracesRequest req = RealisticTraces();
  ExpectRoundTrip(req);
  const std::string body = req.SerializeAsString();
  Arena arena;
  TracesRequest got;
  ASSERT_TRUE(DecodeTracesProto(body, arena, &got).ok());
  const auto& spans = got.resource_spans[0].scope_spans[0].spans;
  ASSERT_EQ(spans.size(), 4U);
  EXPECT_TRUE(spans[0].has_status);
  EXPECT_EQ(spans[0].status.code, 2);
  EXPECT_EQ(spans[0].status.message, "boom");
  EXPECT_FALSE(spans[1].has_status);
  EXPECT_TRUE(spans[2].has_status);
  EXPECT_EQ(spans[2].status.code, 0);
  EXPECT_EQ(spans[2].kind, -2);
  EXPECT_EQ(spans[3].status.code, kI32Min);
  EXPECT_EQ(spans[0].events.size(), 2U);
  EXPECT_EQ(spans[0].links.size(), 2U);
}

TEST(DecodeProtoTest, MetricsRoundTrip) {
  const PbMetricsRequest req = RealisticMetrics();
  ExpectRoundTrip(req);
  const std::string body = req.SerializeAsString();
  Arena arena;
  MetricsRequest got;
  ASSERT_TRUE(DecodeMetricsProto(body, arena, &got).ok());
  const auto& metrics = got.resource_metrics[0].scope_metrics[0].metrics;
  ASSERT_EQ(metrics.size(), 8U);
  EXPECT_EQ(metrics[0].kind, MetricKind::kGauge);
  EXPECT_EQ(metrics[1].kind, MetricKind::kSum);
  EXPECT_EQ(metrics[1].aggregation_temporality, 2);
  EXPECT_TRUE(metrics[1].is_monotonic);
  EXPECT_EQ(metrics[1].number_points[4].value_kind, NumberKind::kNone);
  EXPECT_EQ(metrics[1].number_points[3].value_kind, NumberKind::kDouble);
  EXPECT_EQ(metrics[2].kind, MetricKind::kHistogram);
  EXPECT_TRUE(metrics[2].histogram_points[0].has_sum);
  EXPECT_FALSE(metrics[2].histogram_points[1].has_sum);
  EXPECT_FALSE(metrics[2].histogram_points[1].has_min);
  EXPECT_FALSE(metrics[2].histogram_points[1].has_max);
  EXPECT_TRUE(metrics[2].histogram_points[2].has_min);
  EXPECT_EQ(metrics[3].kind, MetricKind::kExponentialHistogram);
  EXPECT_EQ(metrics[3].aggregation_temporality, -1);
  EXPECT_EQ(metrics[3].exponential_histogram_points[0].scale, -10);
  EXPECT_EQ(metrics[3].exponential_histogram_points[0].positive.offset, kI32Min);
  EXPECT_EQ(metrics[4].kind, MetricKind::kSummary);
  EXPECT_EQ(metrics[5].kind, MetricKind::kNone);
  EXPECT_EQ(metrics[6].kind, MetricKind::kGauge);
  EXPECT_EQ(metrics[7].kind, MetricKind::kSum);
}

TEST(DecodeProtoTest, OutputIsAppendedTo) {
  const std::string body = RealisticLogs().SerializeAsString();
  Arena arena;
  LogsRequest got;
  ASSERT_TRUE(DecodeLogsProto(body, arena, &got).ok());
  ASSERT_TRUE(DecodeLogsProto(body, arena, &got).ok());
  EXPECT_EQ(got.resource_logs.size(), 4U);
}

TEST(DecodeProtoTest, ValidStringsPointIntoTheBody) {
  const std::string body = RealisticLogs().SerializeAsString();
  Arena arena;
  LogsRequest got;
  ASSERT_TRUE(DecodeLogsProto(body, arena, &got).ok());
  const std::string_view key = got.resource_logs[0].resource.attributes[0].key;
  EXPECT_EQ(key, "service.name");
  EXPECT_GE(key.data(), body.data());
  EXPECT_LE(key.data() + key.size(), body.data() + body.size());
  EXPECT_EQ(arena.MemoryUsage(), 0U);  // nothing needed repair
}

// ---- wire-format details -------------------------------------------------------------------

// A log record with a body string value, as bytes: field 5 of LogRecord.
std::string LogsWithRecord(const std::string& record) {
  return LenField(1, LenField(2, LenField(2, record)));
}

TEST(DecodeProtoTest, NegativeInt32EnumsAreTenByteVarints) {
  // severity_number = -1 as libprotobuf writes it (sign-extended to 64 bits, 10 bytes).
  const std::string sign_extended = VarintField(2, static_cast<uint64_t>(int64_t{-1}));
  ASSERT_EQ(sign_extended.size(), 11U);
  // The same value as a 5-byte varint (not sign-extended); libprotobuf keeps the low 32 bits.
  const std::string five_bytes = VarintField(2, 0xFFFFFFFFULL);
  for (const std::string& field : {sign_extended, five_bytes}) {
    const Status status = ExpectMatchesLibprotobuf<PbLogsRequest>(LogsWithRecord(field));
    ASSERT_TRUE(status.ok()) << status.ToString();
    Arena arena;
    LogsRequest got;
    ASSERT_TRUE(DecodeLogsProto(LogsWithRecord(field), arena, &got).ok());
    EXPECT_EQ(got.resource_logs[0].scope_logs[0].log_records[0].severity_number, -1);
  }
  // uint32 fields keep the low 32 bits of a longer varint too.
  EXPECT_TRUE(
      ExpectMatchesLibprotobuf<PbLogsRequest>(LogsWithRecord(VarintField(7, 0x1234567890ULL)))
          .ok());
}

TEST(DecodeProtoTest, Sint32UsesZigzag) {
  for (int32_t offset : {0, -1, 1, -64, 64, kI32Min, kI32Max}) {
    PbMetricsRequest req;
    auto* p = req.add_resource_metrics()
                  ->add_scope_metrics()
                  ->add_metrics()
                  ->mutable_exponential_histogram()
                  ->add_data_points();
    p->set_scale(offset);
    p->mutable_positive()->set_offset(offset);
    p->mutable_negative()->set_offset(~offset);  // -offset - 1 without overflow
    ExpectRoundTrip(req);
  }
}

// HistogramDataPoint (field 1 of Histogram, field 9 of Metric) wrapped into a request.
std::string MetricsWithMetric(const std::string& metric) {
  return LenField(1, LenField(2, LenField(2, metric)));
}
std::string MetricsWithHistogramPoint(const std::string& point) {
  return MetricsWithMetric(LenField(9, LenField(1, point)));
}
std::string MetricsWithExponentialPoint(const std::string& point) {
  return MetricsWithMetric(LenField(10, LenField(1, point)));
}

TEST(DecodeProtoTest, RepeatedScalarsPackedAndUnpacked) {
  // bucket_counts (6, fixed64) and explicit_bounds (7, double): unpacked, then a packed run,
  // then unpacked again; all values append in order.
  std::string packed_counts;
  for (uint64_t c : {uint64_t{3}, kU64Max}) packed_counts += Fixed64Field(0, c).substr(1);
  std::string packed_bounds;
  for (double b : {0.5, -1.0}) packed_bounds += DoubleField(0, b).substr(1);
  const std::string point = Fixed64Field(6, 1) + Fixed64Field(6, 2) + LenField(6, packed_counts) +
                            Fixed64Field(6, 4) + DoubleField(7, 9.5) + LenField(7, packed_bounds) +
                            LenField(6, "");
  ASSERT_TRUE(ExpectMatchesLibprotobuf<PbMetricsRequest>(MetricsWithHistogramPoint(point)).ok());
  Arena arena;
  MetricsRequest got;
  ASSERT_TRUE(DecodeMetricsProto(MetricsWithHistogramPoint(point), arena, &got).ok());
  const auto& hp = got.resource_metrics[0].scope_metrics[0].metrics[0].histogram_points[0];
  EXPECT_EQ(hp.bucket_counts, (std::vector<uint64_t>{1, 2, 3, kU64Max, 4}));
  EXPECT_EQ(hp.explicit_bounds, (std::vector<double>{9.5, 0.5, -1.0}));

  // Buckets.bucket_counts (2, uint64 varint): unpacked and packed mixed.
  const std::string buckets = VarintField(2, 7) + LenField(2, Varint(300) + Varint(kU64Max)) +
                              VarintField(2, 0) + VarintField(1, 5);
  const std::string exp_point = LenField(8, buckets) + LenField(9, VarintField(2, 1));
  ASSERT_TRUE(
      ExpectMatchesLibprotobuf<PbMetricsRequest>(MetricsWithExponentialPoint(exp_point)).ok());
  MetricsRequest got_exp;
  ASSERT_TRUE(DecodeMetricsProto(MetricsWithExponentialPoint(exp_point), arena, &got_exp).ok());
  const auto& ep =
      got_exp.resource_metrics[0].scope_metrics[0].metrics[0].exponential_histogram_points[0];
  EXPECT_EQ(ep.positive.bucket_counts, (std::vector<uint64_t>{7, 300, kU64Max, 0}));
  EXPECT_EQ(ep.positive.offset, -3);
  EXPECT_EQ(ep.negative.bucket_counts, (std::vector<uint64_t>{1}));
}

TEST(DecodeProtoTest, EmptyPackedRunsAddNothing) {
  // An empty packed run as the first occurrence of a fixed-width repeated field (found by
  // fuzz/otlp_proto_diff_fuzz.cc: it used to memcpy into the null data() of an empty vector).
  const std::string point = LenField(6, "") + LenField(7, "") + Fixed64Field(6, 4);
  ASSERT_TRUE(ExpectMatchesLibprotobuf<PbMetricsRequest>(MetricsWithHistogramPoint(point)).ok());
  Arena arena;
  MetricsRequest got;
  ASSERT_TRUE(DecodeMetricsProto(MetricsWithHistogramPoint(point), arena, &got).ok());
  const auto& hp = got.resource_metrics[0].scope_metrics[0].metrics[0].histogram_points[0];
  EXPECT_EQ(hp.bucket_counts, (std::vector<uint64_t>{4}));
  EXPECT_TRUE(hp.explicit_bounds.empty());
}

TEST(DecodeProtoTest, ManyPackedRunsAppend) {
  // Many one-element packed runs must append (and not reserve per run).
  std::string point;
  for (int i = 0; i < 1000; ++i) point += LenField(6, Fixed64Field(0, i).substr(1));
  for (int i = 0; i < 1000; ++i) point += LenField(7, DoubleField(0, i).substr(1));
  Arena arena;
  MetricsRequest got;
  ASSERT_TRUE(DecodeMetricsProto(MetricsWithHistogramPoint(point), arena, &got).ok());
  const auto& hp = got.resource_metrics[0].scope_metrics[0].metrics[0].histogram_points[0];
  ASSERT_EQ(hp.bucket_counts.size(), 1000U);
  ASSERT_EQ(hp.explicit_bounds.size(), 1000U);
  EXPECT_EQ(hp.bucket_counts[999], 999U);
  EXPECT_EQ(hp.explicit_bounds[999], 999.0);
}

// Adds unknown fields of every wire type, groups nested in groups included, to `message` and
// every message below it.
void AddUnknownFieldsEverywhere(google::protobuf::Message* message) {
  const google::protobuf::Reflection* reflection = message->GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  for (const auto* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
        AddUnknownFieldsEverywhere(reflection->MutableRepeatedMessage(message, field, i));
      }
    } else {
      AddUnknownFieldsEverywhere(reflection->MutableMessage(message, field));
    }
  }
  google::protobuf::UnknownFieldSet* unknown = reflection->MutableUnknownFields(message);
  unknown->AddVarint(1000, kU64Max);
  unknown->AddFixed32(1001, 7);
  unknown->AddFixed64(1002, 8);
  unknown->AddLengthDelimited(1003, "unknown bytes");
  google::protobuf::UnknownFieldSet* group = unknown->AddGroup(1004);
  group->AddVarint(1, 1);
  group->AddLengthDelimited(2, "x");
  group->AddFixed32(3, 3);
  group->AddFixed64(4, 4);
  google::protobuf::UnknownFieldSet* inner = group->AddGroup(5);
  inner->AddVarint(6, 6);
  inner->AddGroup(1004);             // same number as the outer group: must not end it early
  unknown->AddVarint(536870911, 1);  // the largest field number
}

TEST(DecodeProtoTest, UnknownFieldsOfEveryWireTypeAreSkipped) {
  PbLogsRequest logs = RealisticLogs();
  PbTracesRequest traces = RealisticTraces();
  PbMetricsRequest metrics = RealisticMetrics();
  const PbLogsRequest clean_logs = logs;
  const PbTracesRequest clean_traces = traces;
  const PbMetricsRequest clean_metrics = metrics;
  AddUnknownFieldsEverywhere(&logs);
  AddUnknownFieldsEverywhere(&traces);
  AddUnknownFieldsEverywhere(&metrics);
  ASSERT_GT(logs.ByteSizeLong(), clean_logs.ByteSizeLong());

  Arena arena;
  LogsRequest got_logs;
  TracesRequest got_traces;
  MetricsRequest got_metrics;
  const std::string logs_body = logs.SerializeAsString();
  const std::string traces_body = traces.SerializeAsString();
  const std::string metrics_body = metrics.SerializeAsString();
  ASSERT_TRUE(DecodeLogsProto(logs_body, arena, &got_logs).ok());
  ASSERT_TRUE(DecodeTracesProto(traces_body, arena, &got_traces).ok());
  ASSERT_TRUE(DecodeMetricsProto(metrics_body, arena, &got_metrics).ok());
  ExpectEq(clean_logs, got_logs);
  ExpectEq(clean_traces, got_traces);
  ExpectEq(clean_metrics, got_metrics);
}

TEST(DecodeProtoTest, KnownFieldWithWrongWireTypeIsSkipped) {
  const std::string good = Fixed64Field(1, 42) + LenField(3, "INFO");
  const std::vector<std::string> wrong = {
      VarintField(1, 5),                                    // fixed64 sent as varint
      LenField(1, "12345678"),                              // fixed64 sent as bytes
      Fixed32Field(2, 9),                                   // enum sent as fixed32
      VarintField(3, 1),                                    // string sent as varint
      VarintField(5, 1),                                    // message sent as varint
      Fixed64Field(6, 1),                                   // repeated message as fixed64
      Tag(6, 3) + VarintField(1, 1) + Tag(6, 4),            // repeated message as a group
      Fixed32Field(9, 1),                                   // bytes sent as fixed32
      Tag(5, 3) + LenField(1, "in group") + Tag(5, 4),      // body as a group
      LenField(5, VarintField(1, 3) + Fixed64Field(5, 1)),  // AnyValue members, wrong types
      LenField(5, Fixed32Field(2, 1) + VarintField(4, 1) + VarintField(7, 1)),
  };
  for (const std::string& field : wrong) {
    SCOPED_TRACE(testing::PrintToString(field));
    const std::string body = LogsWithRecord(field + good);
    ASSERT_TRUE(ExpectMatchesLibprotobuf<PbLogsRequest>(body).ok());
    Arena arena;
    LogsRequest got;
    ASSERT_TRUE(DecodeLogsProto(body, arena, &got).ok());
    const LogRecord& record = got.resource_logs[0].scope_logs[0].log_records[0];
    EXPECT_EQ(record.time_unix_nano, 42U);
    EXPECT_EQ(record.severity_text, "INFO");
  }
  // Metrics: repeated fixed64 sent as varint, repeated uint64 sent as fixed64, Metric.data
  // member as varint, sint32 as fixed32.
  EXPECT_TRUE(
      ExpectMatchesLibprotobuf<PbMetricsRequest>(MetricsWithHistogramPoint(VarintField(6, 1)))
          .ok());
  EXPECT_TRUE(ExpectMatchesLibprotobuf<PbMetricsRequest>(
                  MetricsWithExponentialPoint(LenField(8, Fixed64Field(2, 1)) + Fixed32Field(6, 1)))
                  .ok());
  EXPECT_TRUE(
      ExpectMatchesLibprotobuf<PbMetricsRequest>(MetricsWithMetric(VarintField(5, 1))).ok());
}

TEST(DecodeProtoTest, InvalidUtf8IsRepairedWithReplacementCharacter) {
  // Generated classes refuse to carry invalid UTF-8 cleanly, so placeholders of the same
  // length are swapped for invalid bytes after serialization.
  PbLogsRequest req;
  auto* rl = req.add_resource_logs();
  AddKv(rl->mutable_resource()->mutable_attributes(), "KEY#", Str("VALUE#"));
  auto* sl = rl->add_scope_logs();
  sl->mutable_scope()->set_name("SCOPE#");
  auto* record = sl->add_log_records();
  record->set_severity_text("SEV#");
  record->mutable_body()->set_bytes_value("BYTES#");
  std::string body = req.SerializeAsString();
  auto replace = [&body](const std::string& from, const std::string& to) {
    const size_t at = body.find(from);
    ASSERT_NE(at, std::string::npos);
    body.replace(at, from.size(), to);
  };
  replace("KEY#", "k\xff\xfey");  // two invalid bytes: two U+FFFD
  replace("VALUE#",
          "v\xe2\x82"
          "end");                     // truncated 3-byte sequence: one U+FFFD
  replace("SCOPE#", "\xc0\xafscop");  // overlong encoding
  replace("SEV#", "\xed\xa0\x80s");   // surrogate
  replace("BYTES#", std::string("\xff\x00\xfe\x01\x02\x03", 6));

  Arena arena;
  LogsRequest got;
  const Status status = DecodeLogsProto(body, arena, &got);
  ASSERT_TRUE(status.ok()) << status.ToString();
  const KeyValue& kv = got.resource_logs[0].resource.attributes[0];
  EXPECT_EQ(kv.key, "k\uFFFD\uFFFDy");
  EXPECT_EQ(kv.value.string_value, "v\uFFFDend");
  const ScopeLogs& scope_logs = got.resource_logs[0].scope_logs[0];
  EXPECT_EQ(scope_logs.scope.name.substr(scope_logs.scope.name.size() - 4), "scop");
  EXPECT_EQ(scope_logs.scope.name.find_first_of("\xc0\xaf"), std::string_view::npos);
  const LogRecord& rec = scope_logs.log_records[0];
  EXPECT_EQ(rec.severity_text.back(), 's');
  EXPECT_NE(rec.severity_text.find("\uFFFD"), std::string_view::npos);
  EXPECT_EQ(rec.body.kind, ValueKind::kBytes);
  EXPECT_EQ(rec.body.string_value, std::string_view("\xff\x00\xfe\x01\x02\x03", 6));  // raw
  EXPECT_GT(arena.MemoryUsage(), 0U);
}

TEST(DecodeProtoTest, SingularMessageFieldsMerge) {
  // ResourceLogs with `resource` twice: attributes append, the later scalar wins.
  const std::string resource_a =
      LenField(1, LenField(1, "a") + LenField(2, LenField(1, "1"))) + VarintField(2, 5);
  const std::string resource_b = LenField(1, LenField(1, "b") + LenField(2, VarintField(3, 2)));
  const std::string scope_a = LenField(1, "name") + LenField(2, "v1");
  const std::string scope_b = LenField(2, "v2");
  // Body twice: kvlist, kvlist (merged), then a string value (oneof: the last member wins)
  // for the second record; status twice in a span.
  const std::string kvlist_a = LenField(6, LenField(1, LenField(1, "x")));
  const std::string kvlist_b = LenField(6, LenField(1, LenField(1, "y")));
  const std::string record_1 = LenField(5, kvlist_a) + LenField(5, kvlist_b);
  const std::string record_2 = LenField(5, kvlist_a) + LenField(5, LenField(1, "last"));
  const std::string record_3 = LenField(5, LenField(1, "first")) + LenField(5, kvlist_b);
  const std::string scope_logs = LenField(1, scope_a) + LenField(2, record_1) +
                                 LenField(2, record_2) + LenField(2, record_3) +
                                 LenField(1, scope_b);
  const std::string body =
      LenField(1, LenField(1, resource_a) + LenField(2, scope_logs) + LenField(1, resource_b));
  ASSERT_TRUE(ExpectMatchesLibprotobuf<PbLogsRequest>(body).ok());

  Arena arena;
  LogsRequest got;
  ASSERT_TRUE(DecodeLogsProto(body, arena, &got).ok());
  const ResourceLogs& rl = got.resource_logs[0];
  ASSERT_EQ(rl.resource.attributes.size(), 2U);
  EXPECT_EQ(rl.resource.attributes[1].value.int_value, 2);
  EXPECT_EQ(rl.resource.dropped_attributes_count, 5U);
  EXPECT_EQ(rl.scope_logs[0].scope.name, "name");
  EXPECT_EQ(rl.scope_logs[0].scope.version, "v2");
  const auto& records = rl.scope_logs[0].log_records;
  ASSERT_EQ(records[0].body.kvlist_values.size(), 2U);
  EXPECT_EQ(records[1].body.kind, ValueKind::kString);
  EXPECT_TRUE(records[1].body.kvlist_values.empty());
  EXPECT_EQ(records[2].body.kind, ValueKind::kKvList);
  ASSERT_EQ(records[2].body.kvlist_values.size(), 1U);
  EXPECT_EQ(records[2].body.kvlist_values[0].key, "y");

  // Span status twice: message from the first, code from the second.
  const std::string span = LenField(15, LenField(2, "msg")) + LenField(15, VarintField(3, 1));
  const std::string traces = LenField(1, LenField(2, LenField(2, span)));
  ASSERT_TRUE(ExpectMatchesLibprotobuf<PbTracesRequest>(traces).ok());
}

TEST(DecodeProtoTest, MetricDataOneofMergesAndReplaces) {
  const std::string point_a = LenField(1, DoubleField(4, 1.0));
  const std::string point_b = LenField(1, Fixed64Field(6, 2) + DoubleField(4, 3.0));
  const std::vector<std::string> metrics = {
      // Sum twice: points append, temporality from the first, is_monotonic from the second.
      LenField(7, point_a + VarintField(2, 1)) + LenField(7, point_b + VarintField(3, 1)),
      // Gauge, then Sum: the gauge's points are dropped.
      LenField(5, point_a) + LenField(7, point_b),
      // Sum, then Histogram, then Sum again: only the last sum remains.
      LenField(7, point_a + VarintField(2, 2) + VarintField(3, 1)) +
          LenField(9, LenField(1, Fixed64Field(4, 3)) + VarintField(2, 1)) + LenField(7, point_b),
      // ExponentialHistogram with positive buckets twice (merged).
      LenField(10, LenField(1, LenField(8, VarintField(1, 3) + VarintField(2, 1)) +
                                   LenField(8, LenField(2, Varint(2))))),
      // Summary then ExponentialHistogram.
      LenField(11, LenField(1, Fixed64Field(4, 1))) +
          LenField(10, LenField(1, VarintField(6, 3)) + VarintField(2, 2)),
  };
  for (const std::string& metric : metrics) {
    SCOPED_TRACE(testing::PrintToString(metric));
    ASSERT_TRUE(ExpectMatchesLibprotobuf<PbMetricsRequest>(MetricsWithMetric(metric)).ok());
  }
  Arena arena;
  MetricsRequest got;
  ASSERT_TRUE(DecodeMetricsProto(MetricsWithMetric(metrics[2]), arena, &got).ok());
  const Metric& m = got.resource_metrics[0].scope_metrics[0].metrics[0];
  EXPECT_EQ(m.kind, MetricKind::kSum);
  EXPECT_EQ(m.aggregation_temporality, 0);
  EXPECT_FALSE(m.is_monotonic);
  ASSERT_EQ(m.number_points.size(), 1U);
  EXPECT_EQ(m.number_points[0].value_kind, NumberKind::kDouble);  // as_int, then as_double
  EXPECT_TRUE(m.histogram_points.empty());
}

// ---- errors --------------------------------------------------------------------------------

Status DecodeLogsBytes(const std::string& body) {
  Arena arena;
  LogsRequest got;
  return DecodeLogsProto(body, arena, &got);
}

TEST(DecodeProtoErrorTest, LengthPastTheEnd) {
  std::string body = Tag(1, 2) + Varint(5000) + std::string(117, 'x');
  ASSERT_EQ(body.size(), 120U);
  Status status = DecodeLogsBytes(body);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "protobuf: length 5000 of field 1 in ExportLogsServiceRequest runs past the end "
            "(body is 120 bytes, 117 left) at byte 3");
  // Nested: the length fits the body but not the enclosing message.
  body = LenField(1, LenField(2, Tag(2, 2) + Varint(10) + "abc")) + std::string(20, 'y');
  status = DecodeLogsBytes(body);
  EXPECT_EQ(status.message(),
            "protobuf: length 10 of field 2 in ScopeLogs runs past the end of the ScopeLogs "
            "(3 bytes left) at byte 6");
}

TEST(DecodeProtoErrorTest, HugeLengthPrefix) {
  for (uint64_t length : {uint64_t{1} << 62, kU64Max, uint64_t{1} << 31, uint64_t{1} << 32}) {
    SCOPED_TRACE(length);
    EXPECT_FALSE(DecodeLogsBytes(Tag(1, 2) + Varint(length)).ok());
    EXPECT_FALSE(DecodeLogsBytes(LenField(1, Tag(1, 2) + Varint(length) + "x")).ok());
    // Unknown length-delimited field and packed repeated fields.
    EXPECT_FALSE(DecodeLogsBytes(Tag(77, 2) + Varint(length)).ok());
    Arena arena;
    MetricsRequest got;
    EXPECT_FALSE(
        DecodeMetricsProto(MetricsWithHistogramPoint(Tag(6, 2) + Varint(length)), arena, &got)
            .ok());
    EXPECT_FALSE(
        DecodeMetricsProto(MetricsWithExponentialPoint(LenField(8, Tag(2, 2) + Varint(length))),
                           arena, &got)
            .ok());
  }
}

TEST(DecodeProtoErrorTest, MalformedVarintsTagsAndFixedFields) {
  struct Case {
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {std::string(11, '\xff') + "\x01", ""},  // tag longer than 5 bytes
      {LogsWithRecord(Tag(7, 0) + std::string(10, '\xff') + "\x01"),
       "protobuf: varint of field 7 in LogRecord is longer than 10 bytes at byte 7"},
      {LogsWithRecord(Tag(7, 0) + "\xff\xff"),
       "protobuf: truncated varint of field 7 in LogRecord at byte 7"},
      {LogsWithRecord(Tag(1, 1) + "1234567"),
       "protobuf: truncated fixed64 field 1 in LogRecord (7 of 8 bytes left) at byte 7"},
      {LogsWithRecord(Tag(8, 5) + "12"),
       "protobuf: truncated fixed32 field 8 in LogRecord (2 of 4 bytes left) at byte 7"},
      {LogsWithRecord(Tag(0, 0) + "\x01"), "protobuf: field number 0 in LogRecord at byte 6"},
      {LogsWithRecord(Tag(0, 2) + std::string(1, '\0')),
       "protobuf: field number 0 in LogRecord at byte 6"},
      {LogsWithRecord(Tag(3, 6)),
       "protobuf: invalid wire type 6 of field 3 in LogRecord at byte 6"},
      {Tag(99, 7),
       "protobuf: invalid wire type 7 of field 99 in ExportLogsServiceRequest at byte 0"},
      {"\x80", "protobuf: truncated tag in ExportLogsServiceRequest at byte 0"},
      {"\x88\x80\x80\x80\x10",
       "protobuf: tag 4294967304 in ExportLogsServiceRequest does not "
       "fit in 32 bits at byte 0"},
      {LogsWithRecord(Tag(4, 4)),
       "protobuf: end-group tag of field 4 in LogRecord without a start-group at byte 7"},
      {Tag(4, 3) + VarintField(1, 1) + Tag(5, 4),
       "protobuf: end-group tag of field 5 closes group field 4 in ExportLogsServiceRequest at "
       "byte 3"},
      {Tag(4, 3) + VarintField(1, 1),
       "protobuf: group field 4 in ExportLogsServiceRequest has no end-group tag at byte 3"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::PrintToString(c.body));
    const Status status = ExpectMatchesLibprotobuf<PbLogsRequest>(c.body);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    if (!c.message.empty()) {
      EXPECT_EQ(status.message(), c.message);
    }
  }
  Arena arena;
  MetricsRequest got;
  const Status packed =
      DecodeMetricsProto(MetricsWithHistogramPoint(LenField(6, std::string(7, '\0'))), arena, &got);
  EXPECT_EQ(packed.message(),
            "protobuf: packed field 6 in HistogramDataPoint has 7 bytes, not a multiple of 8 at "
            "byte 12");
  EXPECT_FALSE(DecodeMetricsProto(MetricsWithExponentialPoint(LenField(8, LenField(2, "\x01\x80"))),
                                  arena, &got)
                   .ok());
}

// A log body nested `levels` AnyValues deep through array values.
PbLogsRequest NestedBody(int levels) {
  PbLogsRequest req;
  pbc::AnyValue* value =
      req.add_resource_logs()->add_scope_logs()->add_log_records()->mutable_body();
  for (int i = 1; i < levels; ++i) value = value->mutable_array_value()->add_values();
  value->set_string_value("bottom");
  return req;
}

TEST(DecodeProtoErrorTest, NestingDepthIsBounded) {
  // request(0) > ResourceLogs(1) > ScopeLogs(2) > LogRecord(3) > AnyValue(4) > ArrayValue(5) >
  // AnyValue(6) ...: the k-th AnyValue is at depth 2 + 2k, so k = 49 puts it at 100, the
  // deepest level libprotobuf accepts (its recursion limit counts messages below the request).
  PbLogsRequest req = NestedBody(49);
  ExpectRoundTrip(req);
  PbLogsRequest check;
  ASSERT_TRUE(check.ParseFromString(req.SerializeAsString()));
  // One more ArrayValue (depth 101) is rejected, by libprotobuf and by us.
  pbc::AnyValue* bottom =
      req.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(0)->mutable_body();
  while (bottom->has_array_value()) bottom = bottom->mutable_array_value()->mutable_values(0);
  bottom->mutable_array_value();
  EXPECT_FALSE(check.ParseFromString(req.SerializeAsString()));
  Status status = DecodeLogsBytes(req.SerializeAsString());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("ArrayValue in field 5 of AnyValue nests deeper than 100"),
            std::string::npos)
      << status.ToString();

  // Far deeper input, built by hand, fails the same way without deep recursion.
  std::string value = LenField(1, "bottom");
  for (int i = 0; i < 2000; ++i) value = LenField(5, LenField(1, value));
  EXPECT_FALSE(DecodeLogsBytes(LogsWithRecord(LenField(5, value))).ok());
}

TEST(DecodeProtoErrorTest, GroupNestingIsBounded) {
  std::string open;
  std::string close;
  for (int i = 0; i < 100; ++i) {
    open += Tag(7, 3);
    close += Tag(7, 4);  // all end tags are alike
  }
  // 100 nested groups under the request are within libprotobuf's budget, 101 are not.
  PbLogsRequest check;
  EXPECT_TRUE(check.ParseFromString(open + close));
  EXPECT_TRUE(DecodeLogsBytes(open + close).ok());
  EXPECT_FALSE(check.ParseFromString(Tag(7, 3) + open + close + Tag(7, 4)));
  const Status status = DecodeLogsBytes(Tag(7, 3) + open + close + Tag(7, 4));
  EXPECT_NE(status.message().find("nests deeper than 100"), std::string::npos) << status.ToString();
  std::string endless;
  for (int i = 0; i < 100000; ++i) endless += Tag(7, 3);
  EXPECT_FALSE(DecodeLogsBytes(endless).ok());
}

// ---- robustness ----------------------------------------------------------------------------

template <typename Pb>
void CheckEveryPrefix(const Pb& req) {
  const std::string body = req.SerializeAsString();
  int accepted = 0;
  for (size_t n = 0; n <= body.size(); ++n) {
    SCOPED_TRACE(n);
    const Status status = ExpectMatchesLibprotobuf<Pb>(body.substr(0, n));
    accepted += status.ok() ? 1 : 0;
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GE(accepted, 2);  // the empty prefix and the whole body
}

TEST(DecodeProtoRobustnessTest, EveryTruncationIsAnErrorOrAValidPrefix) {
  CheckEveryPrefix(RealisticLogs());
  CheckEveryPrefix(RealisticTraces());
  CheckEveryPrefix(RealisticMetrics());
}

template <typename Pb>
void CheckMutations(const Pb& req, uint32_t seed) {
  const std::string body = req.SerializeAsString();
  std::mt19937 rng(seed);
  for (int round = 0; round < 3000; ++round) {
    std::string mutated = body;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) {
      mutated[rng() % mutated.size()] = static_cast<char>(rng() & 0xFF);
    }
    SCOPED_TRACE(round);
    // libprotobuf rejects invalid UTF-8 where we repair it, so only its "yes" binds us.
    static_cast<void>(ExpectMatchesLibprotobuf<Pb>(mutated, /*require_same_verdict=*/false));
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(DecodeProtoRobustnessTest, MutatedRequests) {
  CheckMutations(RealisticLogs(), 1);
  CheckMutations(RealisticTraces(), 2);
  CheckMutations(RealisticMetrics(), 3);
}

TEST(DecodeProtoRobustnessTest, GarbageBytes) {
  std::mt19937 rng(42);
  for (int round = 0; round < 3000; ++round) {
    std::string garbage(rng() % 300, '\0');
    for (char& c : garbage) c = static_cast<char>(rng() & 0xFF);
    SCOPED_TRACE(round);
    static_cast<void>(ExpectMatchesLibprotobuf<PbLogsRequest>(garbage, false));
    static_cast<void>(ExpectMatchesLibprotobuf<PbTracesRequest>(garbage, false));
    static_cast<void>(ExpectMatchesLibprotobuf<PbMetricsRequest>(garbage, false));
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace o2p::otlp
