// The decoded form of an OTLP export request, shared by every decoder and the converter.
//
// Both decoders (protobuf: decode_proto.h, OTLP/JSON and JSONL: decode_json.h) fill these
// plain structs; the converter (convert.h) turns them into columnar batches. Because both
// encodings land in the same structs, identical data gives identical batches by construction.
//
// Field names and meanings follow opentelemetry-proto v1.5.0 (see proto/VERSION). Scalars hold
// the proto3 zero value when absent. string_views point into the request body or into the
// Arena passed to the decoder: both must outlive the decoded request. Strings are valid UTF-8
// (decoders repair invalid UTF-8 with U+FFFD); `bytes` fields hold raw bytes.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace o2p::otlp {

struct KeyValue;

/// Which member of AnyValue's `value` oneof is set.
enum class ValueKind : uint8_t {
  kNone,  // no value set: an empty AnyValue
  kString,
  kBool,
  kInt,
  kDouble,
  kArray,
  kKvList,
  kBytes,
};

/// common.v1.AnyValue. `string_value` holds the text for kString and the raw bytes for kBytes.
struct AnyValue {
  ValueKind kind = ValueKind::kNone;
  bool bool_value = false;
  int64_t int_value = 0;
  double double_value = 0;
  std::string_view string_value;
  std::vector<AnyValue> array_values;  // kArray
  std::vector<KeyValue> kvlist_values;  // kKvList
};

/// common.v1.KeyValue.
struct KeyValue {
  std::string_view key;
  AnyValue value;
};

/// A trace or span id as decoded: raw bytes (0 bytes = absent), or the reason its text could
/// not be decoded. Length checks (16 / 8 bytes) are the converter's job, so that a bad id
/// rejects one record instead of the whole request.
struct Id {
  std::string_view bytes;
  std::string_view error;  // non-empty: the JSON text was neither hex nor base64
};

struct Resource {
  std::vector<KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
};

struct InstrumentationScope {
  std::string_view name;
  std::string_view version;
  std::vector<KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
};

// ---- logs ----------------------------------------------------------------------------------

struct LogRecord {
  uint64_t time_unix_nano = 0;
  uint64_t observed_time_unix_nano = 0;
  int32_t severity_number = 0;
  std::string_view severity_text;
  bool has_body = false;  // body is a message field: absent != empty
  AnyValue body;
  std::vector<KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
  uint32_t flags = 0;
  Id trace_id;
  Id span_id;
  std::string_view event_name;
};

struct ScopeLogs {
  InstrumentationScope scope;
  std::vector<LogRecord> log_records;
  std::string_view schema_url;
};

struct ResourceLogs {
  Resource resource;
  std::vector<ScopeLogs> scope_logs;
  std::string_view schema_url;
};

/// collector.logs.v1.ExportLogsServiceRequest (wire-identical to logs.v1.LogsData).
struct LogsRequest {
  std::vector<ResourceLogs> resource_logs;
};

// ---- traces --------------------------------------------------------------------------------

struct SpanEvent {
  uint64_t time_unix_nano = 0;
  std::string_view name;
  std::vector<KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
};

struct SpanLink {
  Id trace_id;
  Id span_id;
  std::string_view trace_state;
  std::vector<KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
  uint32_t flags = 0;
};

struct SpanStatus {
  std::string_view message;
  int32_t code = 0;  // trace.v1.Status.StatusCode, raw number
};

struct Span {
  Id trace_id;
  Id span_id;
  std::string_view trace_state;
  Id parent_span_id;
  uint32_t flags = 0;
  std::string_view name;
  int32_t kind = 0;  // trace.v1.Span.SpanKind, raw number
  uint64_t start_time_unix_nano = 0;
  uint64_t end_time_unix_nano = 0;
  std::vector<KeyValue> attributes;
  uint32_t dropped_attributes_count = 0;
  std::vector<SpanEvent> events;
  uint32_t dropped_events_count = 0;
  std::vector<SpanLink> links;
  uint32_t dropped_links_count = 0;
  bool has_status = false;
  SpanStatus status;
};

struct ScopeSpans {
  InstrumentationScope scope;
  std::vector<Span> spans;
  std::string_view schema_url;
};

struct ResourceSpans {
  Resource resource;
  std::vector<ScopeSpans> scope_spans;
  std::string_view schema_url;
};

/// collector.trace.v1.ExportTraceServiceRequest.
struct TracesRequest {
  std::vector<ResourceSpans> resource_spans;
};

// ---- metrics -------------------------------------------------------------------------------

/// Which member of a number oneof (NumberDataPoint.value, Exemplar.value) is set.
enum class NumberKind : uint8_t { kNone, kDouble, kInt };

struct Exemplar {
  std::vector<KeyValue> filtered_attributes;
  uint64_t time_unix_nano = 0;
  NumberKind value_kind = NumberKind::kNone;
  double as_double = 0;
  int64_t as_int = 0;
  Id span_id;
  Id trace_id;
};

struct NumberDataPoint {
  std::vector<KeyValue> attributes;
  uint64_t start_time_unix_nano = 0;
  uint64_t time_unix_nano = 0;
  NumberKind value_kind = NumberKind::kNone;
  double as_double = 0;
  int64_t as_int = 0;
  std::vector<Exemplar> exemplars;
  uint32_t flags = 0;
};

struct HistogramDataPoint {
  std::vector<KeyValue> attributes;
  uint64_t start_time_unix_nano = 0;
  uint64_t time_unix_nano = 0;
  uint64_t count = 0;
  bool has_sum = false;  // proto3 `optional`
  double sum = 0;
  std::vector<uint64_t> bucket_counts;
  std::vector<double> explicit_bounds;
  std::vector<Exemplar> exemplars;
  uint32_t flags = 0;
  bool has_min = false;
  double min = 0;
  bool has_max = false;
  double max = 0;
};

struct ExponentialBuckets {
  int32_t offset = 0;
  std::vector<uint64_t> bucket_counts;
};

struct ExponentialHistogramDataPoint {
  std::vector<KeyValue> attributes;
  uint64_t start_time_unix_nano = 0;
  uint64_t time_unix_nano = 0;
  uint64_t count = 0;
  bool has_sum = false;
  double sum = 0;
  int32_t scale = 0;
  uint64_t zero_count = 0;
  ExponentialBuckets positive;
  ExponentialBuckets negative;
  uint32_t flags = 0;
  std::vector<Exemplar> exemplars;
  bool has_min = false;
  double min = 0;
  bool has_max = false;
  double max = 0;
  double zero_threshold = 0;
};

struct ValueAtQuantile {
  double quantile = 0;
  double value = 0;
};

struct SummaryDataPoint {
  std::vector<KeyValue> attributes;
  uint64_t start_time_unix_nano = 0;
  uint64_t time_unix_nano = 0;
  uint64_t count = 0;
  double sum = 0;
  std::vector<ValueAtQuantile> quantile_values;
  uint32_t flags = 0;
};

/// Which member of Metric's `data` oneof is set.
enum class MetricKind : uint8_t {
  kNone,
  kGauge,
  kSum,
  kHistogram,
  kExponentialHistogram,
  kSummary,
};

/// metrics.v1.Metric. Only the vector matching `kind` is filled; `aggregation_temporality`
/// and `is_monotonic` come from the Sum / Histogram / ExponentialHistogram message.
struct Metric {
  std::string_view name;
  std::string_view description;
  std::string_view unit;
  MetricKind kind = MetricKind::kNone;
  int32_t aggregation_temporality = 0;  // raw enum number
  bool is_monotonic = false;
  std::vector<NumberDataPoint> number_points;  // gauge, sum
  std::vector<HistogramDataPoint> histogram_points;
  std::vector<ExponentialHistogramDataPoint> exponential_histogram_points;
  std::vector<SummaryDataPoint> summary_points;
  std::vector<KeyValue> metadata;
};

struct ScopeMetrics {
  InstrumentationScope scope;
  std::vector<Metric> metrics;
  std::string_view schema_url;
};

struct ResourceMetrics {
  Resource resource;
  std::vector<ScopeMetrics> scope_metrics;
  std::string_view schema_url;
};

/// collector.metrics.v1.ExportMetricsServiceRequest.
struct MetricsRequest {
  std::vector<ResourceMetrics> resource_metrics;
};

}  // namespace o2p::otlp
