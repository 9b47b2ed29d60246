// Tests for the hand-written protobuf decoders (o2p/otlp/decode_proto.h).
//
// Requests are built with the classes generated from proto/ and serialized by libprotobuf, then
// decoded by our decoder and compared field by field. Where bytes are hand-crafted (unknown
// fields, wrong wire types, merges, unpacked repeated fields, mutations), libprotobuf parsing
// the same bytes is the oracle: both must agree on success and on every decoded value.
#include "o2p/otlp/decode_proto.h"

#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace o2p::otlp {
namespace {

namespace pbc = opentelemetry::proto::common::v1;
namespace pbr = opentelemetry::proto::resource::v1;
namespace pbl = opentelemetry::proto::logs::v1;
namespace pbt = opentelemetry::proto::trace::v1;
namespace pbm = opentelemetry::proto::metrics::v1;
using PbLogsRequest = opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using PbTracesRequest = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using PbMetricsRequest = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using google::protobuf::RepeatedPtrField;

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr uint32_t kU32Max = std::numeric_limits<uint32_t>::max();
constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();

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

// ---- comparison: generated message (expected) vs decoded model -----------------------------

// Doubles compare by bits, so NaN, -0.0 and infinities are checked exactly.
void ExpectSameDouble(double want, double got) {
  EXPECT_EQ(std::bit_cast<uint64_t>(want), std::bit_cast<uint64_t>(got)) << want << " vs " << got;
}

void ExpectId(const std::string& want, const Id& got) {
  EXPECT_EQ(got.bytes, want);
  EXPECT_TRUE(got.error.empty());
}

void ExpectEq(const RepeatedPtrField<pbc::KeyValue>& want, const std::vector<KeyValue>& got);

void ExpectEq(const pbc::AnyValue& want, const AnyValue& got) {
  switch (want.value_case()) {
    case pbc::AnyValue::VALUE_NOT_SET:
      EXPECT_EQ(got.kind, ValueKind::kNone);
      break;
    case pbc::AnyValue::kStringValue:
      ASSERT_EQ(got.kind, ValueKind::kString);
      EXPECT_EQ(got.string_value, want.string_value());
      break;
    case pbc::AnyValue::kBoolValue:
      ASSERT_EQ(got.kind, ValueKind::kBool);
      EXPECT_EQ(got.bool_value, want.bool_value());
      break;
    case pbc::AnyValue::kIntValue:
      ASSERT_EQ(got.kind, ValueKind::kInt);
      EXPECT_EQ(got.int_value, want.int_value());
      break;
    case pbc::AnyValue::kDoubleValue:
      ASSERT_EQ(got.kind, ValueKind::kDouble);
      ExpectSameDouble(want.double_value(), got.double_value);
      break;
    case pbc::AnyValue::kArrayValue:
      ASSERT_EQ(got.kind, ValueKind::kArray);
      ASSERT_EQ(got.array_values.size(), static_cast<size_t>(want.array_value().values_size()));
      for (int i = 0; i < want.array_value().values_size(); ++i) {
        ExpectEq(want.array_value().values(i), got.array_values[static_cast<size_t>(i)]);
      }
      break;
    case pbc::AnyValue::kKvlistValue:
      ASSERT_EQ(got.kind, ValueKind::kKvList);
      ExpectEq(want.kvlist_value().values(), got.kvlist_values);
      break;
    case pbc::AnyValue::kBytesValue:
      ASSERT_EQ(got.kind, ValueKind::kBytes);
      EXPECT_EQ(got.string_value, want.bytes_value());
      break;
  }
}

void ExpectEq(const RepeatedPtrField<pbc::KeyValue>& want, const std::vector<KeyValue>& got) {
  ASSERT_EQ(got.size(), static_cast<size_t>(want.size()));
  for (size_t i = 0; i < got.size(); ++i) {
    const pbc::KeyValue& kv = want[static_cast<int>(i)];
    EXPECT_EQ(got[i].key, kv.key());
    ExpectEq(kv.value(), got[i].value);
  }
}

void ExpectEq(const pbr::Resource& want, const Resource& got) {
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.dropped_attributes_count, want.dropped_attributes_count());
}

void ExpectEq(const pbc::InstrumentationScope& want, const InstrumentationScope& got) {
  EXPECT_EQ(got.name, want.name());
  EXPECT_EQ(got.version, want.version());
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.dropped_attributes_count, want.dropped_attributes_count());
}

void ExpectEq(const pbl::LogRecord& want, const LogRecord& got) {
  EXPECT_EQ(got.time_unix_nano, want.time_unix_nano());
  EXPECT_EQ(got.observed_time_unix_nano, want.observed_time_unix_nano());
  EXPECT_EQ(got.severity_number, static_cast<int32_t>(want.severity_number()));
  EXPECT_EQ(got.severity_text, want.severity_text());
  EXPECT_EQ(got.has_body, want.has_body());
  ExpectEq(want.body(), got.body);
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.dropped_attributes_count, want.dropped_attributes_count());
  EXPECT_EQ(got.flags, want.flags());
  ExpectId(want.trace_id(), got.trace_id);
  ExpectId(want.span_id(), got.span_id);
  EXPECT_EQ(got.event_name, want.event_name());
}

void ExpectEq(const PbLogsRequest& want, const LogsRequest& got) {
  ASSERT_EQ(got.resource_logs.size(), static_cast<size_t>(want.resource_logs_size()));
  for (int r = 0; r < want.resource_logs_size(); ++r) {
    const auto& want_rl = want.resource_logs(r);
    const auto& got_rl = got.resource_logs[static_cast<size_t>(r)];
    ExpectEq(want_rl.resource(), got_rl.resource);
    EXPECT_EQ(got_rl.schema_url, want_rl.schema_url());
    ASSERT_EQ(got_rl.scope_logs.size(), static_cast<size_t>(want_rl.scope_logs_size()));
    for (int s = 0; s < want_rl.scope_logs_size(); ++s) {
      const auto& want_sl = want_rl.scope_logs(s);
      const auto& got_sl = got_rl.scope_logs[static_cast<size_t>(s)];
      ExpectEq(want_sl.scope(), got_sl.scope);
      EXPECT_EQ(got_sl.schema_url, want_sl.schema_url());
      ASSERT_EQ(got_sl.log_records.size(), static_cast<size_t>(want_sl.log_records_size()));
      for (int l = 0; l < want_sl.log_records_size(); ++l) {
        ExpectEq(want_sl.log_records(l), got_sl.log_records[static_cast<size_t>(l)]);
      }
    }
  }
}

void ExpectEq(const pbt::Span& want, const Span& got) {
  ExpectId(want.trace_id(), got.trace_id);
  ExpectId(want.span_id(), got.span_id);
  EXPECT_EQ(got.trace_state, want.trace_state());
  ExpectId(want.parent_span_id(), got.parent_span_id);
  EXPECT_EQ(got.flags, want.flags());
  EXPECT_EQ(got.name, want.name());
  EXPECT_EQ(got.kind, static_cast<int32_t>(want.kind()));
  EXPECT_EQ(got.start_time_unix_nano, want.start_time_unix_nano());
  EXPECT_EQ(got.end_time_unix_nano, want.end_time_unix_nano());
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.dropped_attributes_count, want.dropped_attributes_count());
  ASSERT_EQ(got.events.size(), static_cast<size_t>(want.events_size()));
  for (int e = 0; e < want.events_size(); ++e) {
    const auto& we = want.events(e);
    const auto& ge = got.events[static_cast<size_t>(e)];
    EXPECT_EQ(ge.time_unix_nano, we.time_unix_nano());
    EXPECT_EQ(ge.name, we.name());
    ExpectEq(we.attributes(), ge.attributes);
    EXPECT_EQ(ge.dropped_attributes_count, we.dropped_attributes_count());
  }
  EXPECT_EQ(got.dropped_events_count, want.dropped_events_count());
  ASSERT_EQ(got.links.size(), static_cast<size_t>(want.links_size()));
  for (int l = 0; l < want.links_size(); ++l) {
    const auto& wl = want.links(l);
    const auto& gl = got.links[static_cast<size_t>(l)];
    ExpectId(wl.trace_id(), gl.trace_id);
    ExpectId(wl.span_id(), gl.span_id);
    EXPECT_EQ(gl.trace_state, wl.trace_state());
    ExpectEq(wl.attributes(), gl.attributes);
    EXPECT_EQ(gl.dropped_attributes_count, wl.dropped_attributes_count());
    EXPECT_EQ(gl.flags, wl.flags());
  }
  EXPECT_EQ(got.dropped_links_count, want.dropped_links_count());
  EXPECT_EQ(got.has_status, want.has_status());
  EXPECT_EQ(got.status.message, want.status().message());
  EXPECT_EQ(got.status.code, static_cast<int32_t>(want.status().code()));
}

void ExpectEq(const PbTracesRequest& want, const TracesRequest& got) {
  ASSERT_EQ(got.resource_spans.size(), static_cast<size_t>(want.resource_spans_size()));
  for (int r = 0; r < want.resource_spans_size(); ++r) {
    const auto& want_rs = want.resource_spans(r);
    const auto& got_rs = got.resource_spans[static_cast<size_t>(r)];
    ExpectEq(want_rs.resource(), got_rs.resource);
    EXPECT_EQ(got_rs.schema_url, want_rs.schema_url());
    ASSERT_EQ(got_rs.scope_spans.size(), static_cast<size_t>(want_rs.scope_spans_size()));
    for (int s = 0; s < want_rs.scope_spans_size(); ++s) {
      const auto& want_ss = want_rs.scope_spans(s);
      const auto& got_ss = got_rs.scope_spans[static_cast<size_t>(s)];
      ExpectEq(want_ss.scope(), got_ss.scope);
      EXPECT_EQ(got_ss.schema_url, want_ss.schema_url());
      ASSERT_EQ(got_ss.spans.size(), static_cast<size_t>(want_ss.spans_size()));
      for (int i = 0; i < want_ss.spans_size(); ++i) {
        ExpectEq(want_ss.spans(i), got_ss.spans[static_cast<size_t>(i)]);
      }
    }
  }
}

template <typename PbPoint, typename Point>
void ExpectNumber(const PbPoint& want, const Point& got) {
  switch (want.value_case()) {
    case PbPoint::kAsDouble:
      ASSERT_EQ(got.value_kind, NumberKind::kDouble);
      ExpectSameDouble(want.as_double(), got.as_double);
      break;
    case PbPoint::kAsInt:
      ASSERT_EQ(got.value_kind, NumberKind::kInt);
      EXPECT_EQ(got.as_int, want.as_int());
      break;
    default:
      EXPECT_EQ(got.value_kind, NumberKind::kNone);
  }
}

void ExpectEq(const RepeatedPtrField<pbm::Exemplar>& want, const std::vector<Exemplar>& got) {
  ASSERT_EQ(got.size(), static_cast<size_t>(want.size()));
  for (size_t i = 0; i < got.size(); ++i) {
    const pbm::Exemplar& we = want[static_cast<int>(i)];
    ExpectEq(we.filtered_attributes(), got[i].filtered_attributes);
    EXPECT_EQ(got[i].time_unix_nano, we.time_unix_nano());
    ExpectNumber(we, got[i]);
    ExpectId(we.span_id(), got[i].span_id);
    ExpectId(we.trace_id(), got[i].trace_id);
  }
}

void ExpectEq(const pbm::NumberDataPoint& want, const NumberDataPoint& got) {
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.start_time_unix_nano, want.start_time_unix_nano());
  EXPECT_EQ(got.time_unix_nano, want.time_unix_nano());
  ExpectNumber(want, got);
  ExpectEq(want.exemplars(), got.exemplars);
  EXPECT_EQ(got.flags, want.flags());
}

void ExpectDoubles(const google::protobuf::RepeatedField<double>& want,
                   const std::vector<double>& got) {
  ASSERT_EQ(got.size(), static_cast<size_t>(want.size()));
  for (size_t i = 0; i < got.size(); ++i) ExpectSameDouble(want[static_cast<int>(i)], got[i]);
}

template <typename PbCounts>
void ExpectCounts(const PbCounts& want, const std::vector<uint64_t>& got) {
  EXPECT_EQ(got, std::vector<uint64_t>(want.begin(), want.end()));
}

void ExpectEq(const pbm::HistogramDataPoint& want, const HistogramDataPoint& got) {
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.start_time_unix_nano, want.start_time_unix_nano());
  EXPECT_EQ(got.time_unix_nano, want.time_unix_nano());
  EXPECT_EQ(got.count, want.count());
  EXPECT_EQ(got.has_sum, want.has_sum());
  ExpectSameDouble(want.sum(), got.sum);
  ExpectCounts(want.bucket_counts(), got.bucket_counts);
  ExpectDoubles(want.explicit_bounds(), got.explicit_bounds);
  ExpectEq(want.exemplars(), got.exemplars);
  EXPECT_EQ(got.flags, want.flags());
  EXPECT_EQ(got.has_min, want.has_min());
  ExpectSameDouble(want.min(), got.min);
  EXPECT_EQ(got.has_max, want.has_max());
  ExpectSameDouble(want.max(), got.max);
}

void ExpectEq(const pbm::ExponentialHistogramDataPoint& want,
              const ExponentialHistogramDataPoint& got) {
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.start_time_unix_nano, want.start_time_unix_nano());
  EXPECT_EQ(got.time_unix_nano, want.time_unix_nano());
  EXPECT_EQ(got.count, want.count());
  EXPECT_EQ(got.has_sum, want.has_sum());
  ExpectSameDouble(want.sum(), got.sum);
  EXPECT_EQ(got.scale, want.scale());
  EXPECT_EQ(got.zero_count, want.zero_count());
  EXPECT_EQ(got.positive.offset, want.positive().offset());
  ExpectCounts(want.positive().bucket_counts(), got.positive.bucket_counts);
  EXPECT_EQ(got.negative.offset, want.negative().offset());
  ExpectCounts(want.negative().bucket_counts(), got.negative.bucket_counts);
  EXPECT_EQ(got.flags, want.flags());
  ExpectEq(want.exemplars(), got.exemplars);
  EXPECT_EQ(got.has_min, want.has_min());
  ExpectSameDouble(want.min(), got.min);
  EXPECT_EQ(got.has_max, want.has_max());
  ExpectSameDouble(want.max(), got.max);
  ExpectSameDouble(want.zero_threshold(), got.zero_threshold);
}

void ExpectEq(const pbm::SummaryDataPoint& want, const SummaryDataPoint& got) {
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.start_time_unix_nano, want.start_time_unix_nano());
  EXPECT_EQ(got.time_unix_nano, want.time_unix_nano());
  EXPECT_EQ(got.count, want.count());
  ExpectSameDouble(want.sum(), got.sum);
  ASSERT_EQ(got.quantile_values.size(), static_cast<size_t>(want.quantile_values_size()));
  for (size_t i = 0; i < got.quantile_values.size(); ++i) {
    ExpectSameDouble(want.quantile_values(static_cast<int>(i)).quantile(),
                     got.quantile_values[i].quantile);
    ExpectSameDouble(want.quantile_values(static_cast<int>(i)).value(),
                     got.quantile_values[i].value);
  }
  EXPECT_EQ(got.flags, want.flags());
}

template <typename PbPoints, typename Points>
void ExpectPoints(const PbPoints& want, const Points& got) {
  ASSERT_EQ(got.size(), static_cast<size_t>(want.size()));
  for (size_t i = 0; i < got.size(); ++i) ExpectEq(want[static_cast<int>(i)], got[i]);
}

void ExpectEq(const pbm::Metric& want, const Metric& got) {
  EXPECT_EQ(got.name, want.name());
  EXPECT_EQ(got.description, want.description());
  EXPECT_EQ(got.unit, want.unit());
  ExpectEq(want.metadata(), got.metadata);
  size_t number = 0, histogram = 0, exponential = 0, summary = 0;
  switch (want.data_case()) {
    case pbm::Metric::kGauge:
      ASSERT_EQ(got.kind, MetricKind::kGauge);
      ExpectPoints(want.gauge().data_points(), got.number_points);
      number = got.number_points.size();
      EXPECT_EQ(got.aggregation_temporality, 0);
      EXPECT_FALSE(got.is_monotonic);
      break;
    case pbm::Metric::kSum:
      ASSERT_EQ(got.kind, MetricKind::kSum);
      ExpectPoints(want.sum().data_points(), got.number_points);
      number = got.number_points.size();
      EXPECT_EQ(got.aggregation_temporality,
                static_cast<int32_t>(want.sum().aggregation_temporality()));
      EXPECT_EQ(got.is_monotonic, want.sum().is_monotonic());
      break;
    case pbm::Metric::kHistogram:
      ASSERT_EQ(got.kind, MetricKind::kHistogram);
      ExpectPoints(want.histogram().data_points(), got.histogram_points);
      histogram = got.histogram_points.size();
      EXPECT_EQ(got.aggregation_temporality,
                static_cast<int32_t>(want.histogram().aggregation_temporality()));
      break;
    case pbm::Metric::kExponentialHistogram:
      ASSERT_EQ(got.kind, MetricKind::kExponentialHistogram);
      ExpectPoints(want.exponential_histogram().data_points(), got.exponential_histogram_points);
      exponential = got.exponential_histogram_points.size();
      EXPECT_EQ(got.aggregation_temporality,
                static_cast<int32_t>(want.exponential_histogram().aggregation_temporality()));
      break;
    case pbm::Metric::kSummary:
      ASSERT_EQ(got.kind, MetricKind::kSummary);
      ExpectPoints(want.summary().data_points(), got.summary_points);
      summary = got.summary_points.size();
      break;
    case pbm::Metric::DATA_NOT_SET:
      EXPECT_EQ(got.kind, MetricKind::kNone);
      break;
  }
  // Only the vector of the metric's kind is filled.
  EXPECT_EQ(got.number_points.size(), number);
  EXPECT_EQ(got.histogram_points.size(), histogram);
  EXPECT_EQ(got.exponential_histogram_points.size(), exponential);
  EXPECT_EQ(got.summary_points.size(), summary);
}

void ExpectEq(const PbMetricsRequest& want, const MetricsRequest& got) {
  ASSERT_EQ(got.resource_metrics.size(), static_cast<size_t>(want.resource_metrics_size()));
  for (int r = 0; r < want.resource_metrics_size(); ++r) {
    const auto& want_rm = want.resource_metrics(r);
    const auto& got_rm = got.resource_metrics[static_cast<size_t>(r)];
    ExpectEq(want_rm.resource(), got_rm.resource);
    EXPECT_EQ(got_rm.schema_url, want_rm.schema_url());
    ASSERT_EQ(got_rm.scope_metrics.size(), static_cast<size_t>(want_rm.scope_metrics_size()));
    for (int s = 0; s < want_rm.scope_metrics_size(); ++s) {
      const auto& want_sm = want_rm.scope_metrics(s);
      const auto& got_sm = got_rm.scope_metrics[static_cast<size_t>(s)];
      ExpectEq(want_sm.scope(), got_sm.scope);
      EXPECT_EQ(got_sm.schema_url, want_sm.schema_url());
      ASSERT_EQ(got_sm.metrics.size(), static_cast<size_t>(want_sm.metrics_size()));
      for (int m = 0; m < want_sm.metrics_size(); ++m) {
        ExpectEq(want_sm.metrics(m), got_sm.metrics[static_cast<size_t>(m)]);
      }
    }
  }
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

// ---- realistic requests --------------------------------------------------------------------

void AddKv(RepeatedPtrField<pbc::KeyValue>* kvs, const std::string& key, pbc::AnyValue value) {
  pbc::KeyValue* kv = kvs->Add();
  kv->set_key(key);
  *kv->mutable_value() = std::move(value);
}

pbc::AnyValue Str(const std::string& s) {
  pbc::AnyValue v;
  v.set_string_value(s);
  return v;
}
pbc::AnyValue Int(int64_t i) {
  pbc::AnyValue v;
  v.set_int_value(i);
  return v;
}

// One value of every AnyValue kind, with nested arrays and kvlists.
pbc::AnyValue EveryKind() {
  pbc::AnyValue root;
  auto* kvs = root.mutable_kvlist_value()->mutable_values();
  AddKv(kvs, "string", Str("héllo ✓"));
  AddKv(kvs, "empty_string", Str(""));
  pbc::AnyValue b;
  b.set_bool_value(true);
  AddKv(kvs, "bool", b);
  pbc::AnyValue bf;
  bf.set_bool_value(false);
  AddKv(kvs, "bool_false", bf);
  AddKv(kvs, "int_min", Int(kI64Min));
  AddKv(kvs, "int_max", Int(kI64Max));
  AddKv(kvs, "int_neg", Int(-1));
  for (double d : {1.5, -0.0, std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN(), 1e-310}) {
    pbc::AnyValue dv;
    dv.set_double_value(d);
    AddKv(kvs, "double", dv);
  }
  pbc::AnyValue bytes;
  bytes.set_bytes_value(std::string("\x00\xff\xfe raw", 7));
  AddKv(kvs, "bytes", bytes);
  AddKv(kvs, "empty_any", pbc::AnyValue());
  pbc::AnyValue empty_array;
  empty_array.mutable_array_value();
  AddKv(kvs, "empty_array", empty_array);
  pbc::AnyValue empty_kvlist;
  empty_kvlist.mutable_kvlist_value();
  AddKv(kvs, "empty_kvlist", empty_kvlist);
  pbc::AnyValue array;
  auto* values = array.mutable_array_value()->mutable_values();
  *values->Add() = Str("a");
  *values->Add() = Int(2);
  values->Add();  // an empty AnyValue inside an array
  pbc::AnyValue* inner = values->Add();
  *inner->mutable_array_value()->add_values() = Str("nested");
  pbc::AnyValue* inner_kv = values->Add();
  AddKv(inner_kv->mutable_kvlist_value()->mutable_values(), "deep", Str("value"));
  AddKv(kvs, "array", array);
  return root;
}

void FillAttributes(RepeatedPtrField<pbc::KeyValue>* kvs) {
  AddKv(kvs, "service.name", Str("checkout"));
  const pbc::AnyValue every = EveryKind();
  for (const auto& kv : every.kvlist_value().values()) *kvs->Add() = kv;
  AddKv(kvs, "all", every);
}

void FillResource(pbr::Resource* resource) {
  FillAttributes(resource->mutable_attributes());
  resource->set_dropped_attributes_count(kU32Max);
}

void FillScope(pbc::InstrumentationScope* scope) {
  scope->set_name("io.opentelemetry.contrib");
  scope->set_version("1.2.3");
  AddKv(scope->mutable_attributes(), "scope.attr", Int(7));
  scope->set_dropped_attributes_count(3);
}

PbLogsRequest RealisticLogs() {
  PbLogsRequest req;
  auto* rl = req.add_resource_logs();
  FillResource(rl->mutable_resource());
  rl->set_schema_url("https://opentelemetry.io/schemas/1.21.0");
  auto* sl = rl->add_scope_logs();
  FillScope(sl->mutable_scope());
  sl->set_schema_url("scope-schema");
  auto* full = sl->add_log_records();
  full->set_time_unix_nano(kU64Max);
  full->set_observed_time_unix_nano(1700000000123456789ULL);
  full->set_severity_number(pbl::SEVERITY_NUMBER_WARN);
  full->set_severity_text("WARN");
  *full->mutable_body() = EveryKind();
  FillAttributes(full->mutable_attributes());
  full->set_dropped_attributes_count(kU32Max);
  full->set_flags(kU32Max);
  full->set_trace_id(std::string("\x5b\x8e\xfc\xc0\x00\xd6\x4b\x01\x92\x34\xab\xcd\xef\x01\x23\x45", 16));
  full->set_span_id(std::string("\x00\x01\x02\x03\x04\x05\x06\x07", 8));
  full->set_event_name("browser.click");
  auto* string_body = sl->add_log_records();
  string_body->set_time_unix_nano(1);
  *string_body->mutable_body() = Str("plain text body");
  string_body->set_severity_number(static_cast<pbl::SeverityNumber>(-5));  // negative enum
  sl->add_log_records()->set_severity_number(static_cast<pbl::SeverityNumber>(1000));  // no body
  sl->add_log_records()->mutable_body();  // present but empty body
  auto* odd_ids = sl->add_log_records();
  odd_ids->set_trace_id("short");  // lengths are the converter's business
  odd_ids->set_span_id(std::string(20, 'x'));
  rl->add_scope_logs();  // empty ScopeLogs
  req.add_resource_logs();  // no resource, no scopes
  return req;
}

PbTracesRequest RealisticTraces() {
  PbTracesRequest req;
  auto* rs = req.add_resource_spans();
  FillResource(rs->mutable_resource());
  rs->set_schema_url("resource-schema");
  auto* ss = rs->add_scope_spans();
  FillScope(ss->mutable_scope());
  ss->set_schema_url("scope-schema");
  auto* span = ss->add_spans();
  span->set_trace_id(std::string(16, '\x11'));
  span->set_span_id(std::string(8, '\x22'));
  span->set_trace_state("vendor=value,other=1");
  span->set_parent_span_id(std::string(8, '\x33'));
  span->set_flags(0x301);
  span->set_name("GET /checkout");
  span->set_kind(pbt::Span::SPAN_KIND_SERVER);
  span->set_start_time_unix_nano(1700000000000000000ULL);
  span->set_end_time_unix_nano(kU64Max);
  FillAttributes(span->mutable_attributes());
  span->set_dropped_attributes_count(1);
  auto* event = span->add_events();
  event->set_time_unix_nano(1700000000000000001ULL);
  event->set_name("exception");
  AddKv(event->mutable_attributes(), "exception.type", Str("IOError"));
  event->set_dropped_attributes_count(2);
  span->add_events();  // an empty event
  span->set_dropped_events_count(kU32Max);
  auto* link = span->add_links();
  link->set_trace_id(std::string(16, '\x44'));
  link->set_span_id(std::string(8, '\x55'));
  link->set_trace_state("k=v");
  AddKv(link->mutable_attributes(), "link.attr", EveryKind());
  link->set_dropped_attributes_count(4);
  link->set_flags(kU32Max);
  span->add_links();
  span->set_dropped_links_count(9);
  span->mutable_status()->set_message("boom");
  span->mutable_status()->set_code(pbt::Status::STATUS_CODE_ERROR);
  ss->add_spans()->set_name("no status");  // status absent
  auto* empty_status = ss->add_spans();
  empty_status->mutable_status();  // present but empty: UNSET
  empty_status->set_kind(static_cast<pbt::Span::SpanKind>(-2));
  auto* odd_status = ss->add_spans();
  odd_status->mutable_status()->set_code(static_cast<pbt::Status::StatusCode>(kI32Min));
  req.add_resource_spans()->add_scope_spans();
  return req;
}

void FillExemplars(RepeatedPtrField<pbm::Exemplar>* exemplars) {
  auto* d = exemplars->Add();
  AddKv(d->mutable_filtered_attributes(), "filtered", Str("yes"));
  d->set_time_unix_nano(kU64Max);
  d->set_as_double(-2.5);
  d->set_span_id(std::string(8, '\x01'));
  d->set_trace_id(std::string(16, '\x02'));
  auto* i = exemplars->Add();
  i->set_as_int(kI64Min);
  exemplars->Add();  // no value
}

void FillNumberPoints(RepeatedPtrField<pbm::NumberDataPoint>* points) {
  auto* d = points->Add();
  AddKv(d->mutable_attributes(), "host", Str("a"));
  d->set_start_time_unix_nano(1);
  d->set_time_unix_nano(kU64Max);
  d->set_as_double(std::numeric_limits<double>::quiet_NaN());
  FillExemplars(d->mutable_exemplars());
  d->set_flags(1);
  points->Add()->set_as_int(kI64Max);
  points->Add()->set_as_int(kI64Min);
  points->Add()->set_as_double(0.0);  // set but zero: still a double
  points->Add()->set_time_unix_nano(5);  // no value at all
}

void AddHistogram(pbm::ScopeMetrics* sm) {
  auto* metric = sm->add_metrics();
  metric->set_name("http.duration");
  auto* hist = metric->mutable_histogram();
  hist->set_aggregation_temporality(pbm::AGGREGATION_TEMPORALITY_DELTA);
  auto* p = hist->add_data_points();
  AddKv(p->mutable_attributes(), "route", Str("/"));
  p->set_start_time_unix_nano(10);
  p->set_time_unix_nano(20);
  p->set_count(kU64Max);
  p->set_sum(123.25);
  for (uint64_t c : {uint64_t{0}, uint64_t{1}, kU64Max, uint64_t{1} << 63}) p->add_bucket_counts(c);
  for (double b : {-1.0, 0.0, 2.5}) p->add_explicit_bounds(b);
  FillExemplars(p->mutable_exemplars());
  p->set_flags(kU32Max);
  p->set_min(-0.0);
  p->set_max(std::numeric_limits<double>::infinity());
  hist->add_data_points()->set_count(3);  // sum/min/max absent
  auto* zero = hist->add_data_points();   // present with zero values
  zero->set_sum(0);
  zero->set_min(0);
  zero->set_max(0);
}

void AddExponentialHistogram(pbm::ScopeMetrics* sm) {
  auto* metric = sm->add_metrics();
  metric->set_name("latency.exp");
  auto* exp = metric->mutable_exponential_histogram();
  exp->set_aggregation_temporality(static_cast<pbm::AggregationTemporality>(-1));
  auto* p = exp->add_data_points();
  AddKv(p->mutable_attributes(), "k", Str("v"));
  p->set_start_time_unix_nano(1);
  p->set_time_unix_nano(2);
  p->set_count(100);
  p->set_sum(-5.5);
  p->set_scale(-10);
  p->set_zero_count(kU64Max);
  p->mutable_positive()->set_offset(kI32Min);
  for (uint64_t c : {uint64_t{1}, uint64_t{300}, kU64Max, uint64_t{0}}) {
    p->mutable_positive()->add_bucket_counts(c);
  }
  p->mutable_negative()->set_offset(kI32Max);
  p->mutable_negative()->add_bucket_counts(127);
  p->mutable_negative()->add_bucket_counts(128);
  p->set_flags(1);
  FillExemplars(p->mutable_exemplars());
  p->set_min(-1e300);
  p->set_max(1e300);
  p->set_zero_threshold(1e-9);
  auto* q = exp->add_data_points();
  q->set_scale(20);
  q->mutable_positive()->set_offset(-3);  // buckets present, counts empty
}

void AddSummary(pbm::ScopeMetrics* sm) {
  auto* metric = sm->add_metrics();
  metric->set_name("rpc.summary");
  auto* p = metric->mutable_summary()->add_data_points();
  AddKv(p->mutable_attributes(), "svc", Str("x"));
  p->set_start_time_unix_nano(1);
  p->set_time_unix_nano(2);
  p->set_count(kU64Max);
  p->set_sum(-0.0);
  for (double q : {0.0, 0.5, 0.99, 1.0}) {
    auto* v = p->add_quantile_values();
    v->set_quantile(q);
    v->set_value(q * 10);
  }
  p->add_quantile_values();  // both zero
  p->set_flags(1);
  metric->mutable_summary()->add_data_points();
}

PbMetricsRequest RealisticMetrics() {
  PbMetricsRequest req;
  auto* rm = req.add_resource_metrics();
  FillResource(rm->mutable_resource());
  rm->set_schema_url("resource-schema");
  auto* sm = rm->add_scope_metrics();
  FillScope(sm->mutable_scope());
  sm->set_schema_url("scope-schema");
  auto* gauge = sm->add_metrics();
  gauge->set_name("cpu.usage");
  gauge->set_description("CPU usage");
  gauge->set_unit("1");
  FillNumberPoints(gauge->mutable_gauge()->mutable_data_points());
  AddKv(gauge->mutable_metadata(), "meta", Str("data"));
  auto* sum = sm->add_metrics();
  sum->set_name("requests");
  sum->mutable_sum()->set_aggregation_temporality(pbm::AGGREGATION_TEMPORALITY_CUMULATIVE);
  sum->mutable_sum()->set_is_monotonic(true);
  FillNumberPoints(sum->mutable_sum()->mutable_data_points());
  AddHistogram(sm);
  AddExponentialHistogram(sm);
  AddSummary(sm);
  sm->add_metrics()->set_name("no data");                     // data unset
  sm->add_metrics()->mutable_gauge();                         // gauge without points
  sm->add_metrics()->mutable_sum()->set_is_monotonic(false);  // empty sum
  rm->add_scope_metrics();
  req.add_resource_metrics();
  return req;
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
      ExpectMatchesLibprotobuf<PbLogsRequest>(LogsWithRecord(VarintField(7, 0x1234567890ULL))).ok());
}

TEST(DecodeProtoTest, Sint32UsesZigzag) {
  for (int32_t offset : {0, -1, 1, -64, 64, kI32Min, kI32Max}) {
    PbMetricsRequest req;
    auto* p = req.add_resource_metrics()->add_scope_metrics()->add_metrics()
                  ->mutable_exponential_histogram()->add_data_points();
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
  inner->AddGroup(1004);  // same number as the outer group: must not end it early
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
      ExpectMatchesLibprotobuf<PbMetricsRequest>(MetricsWithHistogramPoint(VarintField(6, 1))).ok());
  EXPECT_TRUE(ExpectMatchesLibprotobuf<PbMetricsRequest>(
                  MetricsWithExponentialPoint(LenField(8, Fixed64Field(2, 1)) + Fixed32Field(6, 1)))
                  .ok());
  EXPECT_TRUE(ExpectMatchesLibprotobuf<PbMetricsRequest>(MetricsWithMetric(VarintField(5, 1))).ok());
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
  replace("KEY#", "k\xff\xfey");          // two invalid bytes: two U+FFFD
  replace("VALUE#", "v\xe2\x82" "end");  // truncated 3-byte sequence: one U+FFFD
  replace("SCOPE#", "\xc0\xafscop");      // overlong encoding
  replace("SEV#", "\xed\xa0\x80s");       // surrogate
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
      {LogsWithRecord(Tag(0, 2) + std::string(1, '\0')), "protobuf: field number 0 in LogRecord at byte 6"},
      {LogsWithRecord(Tag(3, 6)), "protobuf: invalid wire type 6 of field 3 in LogRecord at byte 6"},
      {Tag(99, 7), "protobuf: invalid wire type 7 of field 99 in ExportLogsServiceRequest at byte 0"},
      {"\x80", "protobuf: truncated tag in ExportLogsServiceRequest at byte 0"},
      {"\x88\x80\x80\x80\x10", "protobuf: tag 4294967304 in ExportLogsServiceRequest does not "
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
  const Status packed = DecodeMetricsProto(
      MetricsWithHistogramPoint(LenField(6, std::string(7, '\0'))), arena, &got);
  EXPECT_EQ(packed.message(),
            "protobuf: packed field 6 in HistogramDataPoint has 7 bytes, not a multiple of 8 at "
            "byte 12");
  EXPECT_FALSE(DecodeMetricsProto(
                   MetricsWithExponentialPoint(LenField(8, LenField(2, "\x01\x80"))), arena, &got)
                   .ok());
}

// A log body nested `levels` AnyValues deep through array values.
PbLogsRequest NestedBody(int levels) {
  PbLogsRequest req;
  pbc::AnyValue* value = req.add_resource_logs()->add_scope_logs()->add_log_records()->mutable_body();
  for (int i = 1; i < levels; ++i) value = value->mutable_array_value()->add_values();
  value->set_string_value("bottom");
  return req;
}

TEST(DecodeProtoErrorTest, NestingDepthIsBounded) {
  // request(1) > ResourceLogs(2) > ScopeLogs(3) > LogRecord(4) > AnyValue(5) > ArrayValue(6) >
  // AnyValue(7) ...: the k-th AnyValue is at depth 3 + 2k, so k = 48 puts it at 99.
  PbLogsRequest req = NestedBody(48);
  ExpectRoundTrip(req);
  // One more ArrayValue (depth 100) still fits...
  pbc::AnyValue* bottom = req.mutable_resource_logs(0)->mutable_scope_logs(0)
                              ->mutable_log_records(0)->mutable_body();
  while (bottom->has_array_value()) bottom = bottom->mutable_array_value()->mutable_values(0);
  bottom->mutable_array_value();
  ExpectRoundTrip(req);
  // ...and an AnyValue inside it (depth 101) does not.
  bottom->mutable_array_value()->add_values();
  Status status = DecodeLogsBytes(req.SerializeAsString());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("AnyValue in field 1 of ArrayValue nests deeper than 100"),
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
  for (int i = 0; i < 99; ++i) {
    open += Tag(7, 3);
    close = Tag(7, 4) + close;
  }
  EXPECT_TRUE(DecodeLogsBytes(open + close).ok());  // 99 groups under the request: depth 100
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
