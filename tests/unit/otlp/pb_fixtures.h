// Test fixtures for the OTLP decoders: realistic export requests built with the classes
// generated from proto/, and field-by-field comparison of a generated message (the expected
// value) with the decoded model (model.h). Shared by the protobuf decoder tests, and usable by
// any test that wants to check a decoder against libprotobuf (e.g. JSON via
// google::protobuf::util::JsonStringToMessage).
//
//   const PbLogsRequest want = fixtures::RealisticLogs();
//   LogsRequest got = ...decode want.SerializeAsString()...;
//   fixtures::ExpectEq(want, got);
#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include <gtest/gtest.h>

#include "o2p/otlp/model.h"

namespace o2p::otlp::fixtures {

namespace pbc = opentelemetry::proto::common::v1;
namespace pbr = opentelemetry::proto::resource::v1;
namespace pbl = opentelemetry::proto::logs::v1;
namespace pbt = opentelemetry::proto::trace::v1;
namespace pbm = opentelemetry::proto::metrics::v1;
using PbLogsRequest = opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using PbTracesRequest = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using PbMetricsRequest = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using google::protobuf::RepeatedPtrField;

inline constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
inline constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
inline constexpr uint32_t kU32Max = std::numeric_limits<uint32_t>::max();
inline constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
inline constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();

// ---- comparison: generated message (expected) vs decoded model -----------------------------

// Doubles compare by bits, so NaN, -0.0 and infinities are checked exactly.
inline void ExpectSameDouble(double want, double got) {
  EXPECT_EQ(std::bit_cast<uint64_t>(want), std::bit_cast<uint64_t>(got)) << want << " vs " << got;
}

inline void ExpectId(const std::string& want, const Id& got) {
  EXPECT_EQ(got.bytes, want);
  EXPECT_TRUE(got.error.empty());
}

inline void ExpectEq(const RepeatedPtrField<pbc::KeyValue>& want, const std::vector<KeyValue>& got);

inline void ExpectEq(const pbc::AnyValue& want, const AnyValue& got) {
  switch (want.value_case()) {
    case pbc::AnyValue::VALUE_NOT_SET: EXPECT_EQ(got.kind, ValueKind::kNone); break;
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

inline void ExpectEq(const RepeatedPtrField<pbc::KeyValue>& want,
                     const std::vector<KeyValue>& got) {
  ASSERT_EQ(got.size(), static_cast<size_t>(want.size()));
  for (size_t i = 0; i < got.size(); ++i) {
    const pbc::KeyValue& kv = want[static_cast<int>(i)];
    EXPECT_EQ(got[i].key, kv.key());
    ExpectEq(kv.value(), got[i].value);
  }
}

inline void ExpectEq(const pbr::Resource& want, const Resource& got) {
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.dropped_attributes_count, want.dropped_attributes_count());
}

inline void ExpectEq(const pbc::InstrumentationScope& want, const InstrumentationScope& got) {
  EXPECT_EQ(got.name, want.name());
  EXPECT_EQ(got.version, want.version());
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.dropped_attributes_count, want.dropped_attributes_count());
}

inline void ExpectEq(const pbl::LogRecord& want, const LogRecord& got) {
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

inline void ExpectEq(const PbLogsRequest& want, const LogsRequest& got) {
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

inline void ExpectEq(const pbt::Span& want, const Span& got) {
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

inline void ExpectEq(const PbTracesRequest& want, const TracesRequest& got) {
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
inline void ExpectNumber(const PbPoint& want, const Point& got) {
  switch (want.value_case()) {
    case PbPoint::kAsDouble:
      ASSERT_EQ(got.value_kind, NumberKind::kDouble);
      ExpectSameDouble(want.as_double(), got.as_double);
      break;
    case PbPoint::kAsInt:
      ASSERT_EQ(got.value_kind, NumberKind::kInt);
      EXPECT_EQ(got.as_int, want.as_int());
      break;
    default: EXPECT_EQ(got.value_kind, NumberKind::kNone);
  }
}

inline void ExpectEq(const RepeatedPtrField<pbm::Exemplar>& want,
                     const std::vector<Exemplar>& got) {
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

inline void ExpectEq(const pbm::NumberDataPoint& want, const NumberDataPoint& got) {
  ExpectEq(want.attributes(), got.attributes);
  EXPECT_EQ(got.start_time_unix_nano, want.start_time_unix_nano());
  EXPECT_EQ(got.time_unix_nano, want.time_unix_nano());
  ExpectNumber(want, got);
  ExpectEq(want.exemplars(), got.exemplars);
  EXPECT_EQ(got.flags, want.flags());
}

inline void ExpectDoubles(const google::protobuf::RepeatedField<double>& want,
                          const std::vector<double>& got) {
  ASSERT_EQ(got.size(), static_cast<size_t>(want.size()));
  for (size_t i = 0; i < got.size(); ++i) ExpectSameDouble(want[static_cast<int>(i)], got[i]);
}

template <typename PbCounts>
inline void ExpectCounts(const PbCounts& want, const std::vector<uint64_t>& got) {
  EXPECT_EQ(got, std::vector<uint64_t>(want.begin(), want.end()));
}

inline void ExpectEq(const pbm::HistogramDataPoint& want, const HistogramDataPoint& got) {
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

inline void ExpectEq(const pbm::ExponentialHistogramDataPoint& want,
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

inline void ExpectEq(const pbm::SummaryDataPoint& want, const SummaryDataPoint& got) {
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
inline void ExpectPoints(const PbPoints& want, const Points& got) {
  ASSERT_EQ(got.size(), static_cast<size_t>(want.size()));
  for (size_t i = 0; i < got.size(); ++i) ExpectEq(want[static_cast<int>(i)], got[i]);
}

inline void ExpectEq(const pbm::Metric& want, const Metric& got) {
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
    case pbm::Metric::DATA_NOT_SET: EXPECT_EQ(got.kind, MetricKind::kNone); break;
  }
  // Only the vector of the metric's kind is filled.
  EXPECT_EQ(got.number_points.size(), number);
  EXPECT_EQ(got.histogram_points.size(), histogram);
  EXPECT_EQ(got.exponential_histogram_points.size(), exponential);
  EXPECT_EQ(got.summary_points.size(), summary);
}

inline void ExpectEq(const PbMetricsRequest& want, const MetricsRequest& got) {
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

// ---- realistic requests --------------------------------------------------------------------

inline void AddKv(RepeatedPtrField<pbc::KeyValue>* kvs, const std::string& key,
                  pbc::AnyValue value) {
  pbc::KeyValue* kv = kvs->Add();
  kv->set_key(key);
  *kv->mutable_value() = std::move(value);
}

inline pbc::AnyValue Str(const std::string& s) {
  pbc::AnyValue v;
  v.set_string_value(s);
  return v;
}
inline pbc::AnyValue Int(int64_t i) {
  pbc::AnyValue v;
  v.set_int_value(i);
  return v;
}

// One value of every AnyValue kind, with nested arrays and kvlists.
inline pbc::AnyValue EveryKind() {
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

inline void FillAttributes(RepeatedPtrField<pbc::KeyValue>* kvs) {
  AddKv(kvs, "service.name", Str("checkout"));
  const pbc::AnyValue every = EveryKind();
  for (const auto& kv : every.kvlist_value().values()) *kvs->Add() = kv;
  AddKv(kvs, "all", every);
}

inline void FillResource(pbr::Resource* resource) {
  FillAttributes(resource->mutable_attributes());
  resource->set_dropped_attributes_count(kU32Max);
}

inline void FillScope(pbc::InstrumentationScope* scope) {
  scope->set_name("io.opentelemetry.contrib");
  scope->set_version("1.2.3");
  AddKv(scope->mutable_attributes(), "scope.attr", Int(7));
  scope->set_dropped_attributes_count(3);
}

inline PbLogsRequest RealisticLogs() {
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
  full->set_trace_id(
      std::string("\x5b\x8e\xfc\xc0\x00\xd6\x4b\x01\x92\x34\xab\xcd\xef\x01\x23\x45", 16));
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
  rl->add_scope_logs();     // empty ScopeLogs
  req.add_resource_logs();  // no resource, no scopes
  return req;
}

inline PbTracesRequest RealisticTraces() {
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

inline void FillExemplars(RepeatedPtrField<pbm::Exemplar>* exemplars) {
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

inline void FillNumberPoints(RepeatedPtrField<pbm::NumberDataPoint>* points) {
  auto* d = points->Add();
  AddKv(d->mutable_attributes(), "host", Str("a"));
  d->set_start_time_unix_nano(1);
  d->set_time_unix_nano(kU64Max);
  d->set_as_double(std::numeric_limits<double>::quiet_NaN());
  FillExemplars(d->mutable_exemplars());
  d->set_flags(1);
  points->Add()->set_as_int(kI64Max);
  points->Add()->set_as_int(kI64Min);
  points->Add()->set_as_double(0.0);     // set but zero: still a double
  points->Add()->set_time_unix_nano(5);  // no value at all
}

inline void AddHistogram(pbm::ScopeMetrics* sm) {
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

inline void AddExponentialHistogram(pbm::ScopeMetrics* sm) {
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

inline void AddSummary(pbm::ScopeMetrics* sm) {
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

inline PbMetricsRequest RealisticMetrics() {
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

}  // namespace o2p::otlp::fixtures
