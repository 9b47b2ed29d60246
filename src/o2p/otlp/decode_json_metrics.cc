// OTLP/JSON decoding of metrics.v1: ResourceMetrics, ScopeMetrics, Metric with its five data
// kinds, their data points, buckets, quantiles and exemplars. See
// internal/decode_json_common.h for the conventions.
#include "o2p/otlp/internal/decode_json_common.h"

namespace o2p::otlp::internal {
namespace {

constexpr KeyTable kAggregationTemporalityNames({
    {"AGGREGATION_TEMPORALITY_UNSPECIFIED", 0},
    {"AGGREGATION_TEMPORALITY_DELTA", 1},
    {"AGGREGATION_TEMPORALITY_CUMULATIVE", 2},
});

enum MetricField : int {
  kName,
  kDescription,
  kUnit,
  kGauge,
  kSum,
  kHistogram,
  kExponentialHistogram,
  kSummary,
  kMetadata,
};
constexpr KeyTable kMetricKeys({
    {"name", kName},
    {"description", kDescription},
    {"unit", kUnit},
    {"gauge", kGauge},
    {"sum", kSum},
    {"histogram", kHistogram},
    {"exponentialHistogram", kExponentialHistogram},
    {"exponential_histogram", kExponentialHistogram},
    {"summary", kSummary},
    {"metadata", kMetadata},
});

// Gauge, Sum, Histogram, ExponentialHistogram and Summary.
enum DataField : int { kDataPoints, kAggregationTemporality, kIsMonotonic };
constexpr KeyTable kDataKeys({
    {"dataPoints", kDataPoints},
    {"data_points", kDataPoints},
    {"aggregationTemporality", kAggregationTemporality},
    {"aggregation_temporality", kAggregationTemporality},
    {"isMonotonic", kIsMonotonic},
    {"is_monotonic", kIsMonotonic},
});

// One table for every data point kind and the messages inside them (Exemplar, Buckets,
// ValueAtQuantile): each decoder picks its own fields and skips the others.
enum PointField : int {
  kAttributes,
  kStartTimeUnixNano,
  kTimeUnixNano,
  kFlags,
  kExemplars,
  kAsDouble,
  kAsInt,
  kCount,
  kPointSum,
  kBucketCounts,
  kExplicitBounds,
  kMin,
  kMax,
  kScale,
  kZeroCount,
  kPositive,
  kNegative,
  kZeroThreshold,
  kQuantileValues,
  kQuantile,
  kValue,
  kOffset,
  kFilteredAttributes,
  kSpanId,
  kTraceId,
};
constexpr KeyTable kPointKeys({
    {"attributes", kAttributes},
    {"startTimeUnixNano", kStartTimeUnixNano},
    {"start_time_unix_nano", kStartTimeUnixNano},
    {"timeUnixNano", kTimeUnixNano},
    {"time_unix_nano", kTimeUnixNano},
    {"flags", kFlags},
    {"exemplars", kExemplars},
    {"asDouble", kAsDouble},
    {"as_double", kAsDouble},
    {"asInt", kAsInt},
    {"as_int", kAsInt},
    {"count", kCount},
    {"sum", kPointSum},
    {"bucketCounts", kBucketCounts},
    {"bucket_counts", kBucketCounts},
    {"explicitBounds", kExplicitBounds},
    {"explicit_bounds", kExplicitBounds},
    {"min", kMin},
    {"max", kMax},
    {"scale", kScale},
    {"zeroCount", kZeroCount},
    {"zero_count", kZeroCount},
    {"positive", kPositive},
    {"negative", kNegative},
    {"zeroThreshold", kZeroThreshold},
    {"zero_threshold", kZeroThreshold},
    {"quantileValues", kQuantileValues},
    {"quantile_values", kQuantileValues},
    {"quantile", kQuantile},
    {"value", kValue},
    {"offset", kOffset},
    {"filteredAttributes", kFilteredAttributes},
    {"filtered_attributes", kFilteredAttributes},
    {"spanId", kSpanId},
    {"span_id", kSpanId},
    {"traceId", kTraceId},
    {"trace_id", kTraceId},
});

enum EnvelopeField : int { kResource, kScope, kChildren, kSchemaUrl };
constexpr KeyTable kResourceMetricsKeys({
    {"resource", kResource},
    {"scopeMetrics", kChildren},
    {"scope_metrics", kChildren},
    {"schemaUrl", kSchemaUrl},
    {"schema_url", kSchemaUrl},
});
constexpr KeyTable kScopeMetricsKeys({
    {"scope", kScope},
    {"metrics", kChildren},
    {"schemaUrl", kSchemaUrl},
    {"schema_url", kSchemaUrl},
});
constexpr KeyTable kMetricsRequestKeys({{"resourceMetrics", 0}, {"resource_metrics", 0}});

// Sets one member of a `value` oneof (NumberDataPoint, Exemplar); the last one present wins.
template <typename Point>
Status ReadNumberValue(DecodeContext& c, int field, std::string_view key, JsonValue v, Point* out) {
  out->as_double = 0;
  out->as_int = 0;
  if (field == kAsDouble) {
    out->value_kind = NumberKind::kDouble;
    return ReadDouble(c, key, v, &out->as_double);
  }
  out->value_kind = NumberKind::kInt;
  return ReadInt64(c, key, v, &out->as_int);
}

// proto3 `optional double` (sum, min, max): present, even as 0, sets the flag.
Status ReadOptionalDouble(DecodeContext& c, std::string_view key, JsonValue v, bool* has,
                          double* out) {
  *has = true;
  return ReadDouble(c, key, v, out);
}

Status DecodeExemplar(DecodeContext& c, JsonValue v, Exemplar* out) {
  return ForEachField(c, v, kPointKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kFilteredAttributes: return DecodeAttributes(c, key, value, &out->filtered_attributes);
      case kTimeUnixNano: return ReadUint64(c, key, value, &out->time_unix_nano);
      case kAsDouble:
      case kAsInt: return ReadNumberValue(c, field, key, value, out);
      case kSpanId: return ReadId(c, key, value, kSpanIdSpec, &out->span_id);
      case kTraceId: return ReadId(c, key, value, kTraceIdSpec, &out->trace_id);
      default: return Status::Ok();
    }
  });
}

// The fields every data point kind has (exemplars: all but SummaryDataPoint).
template <typename Point>
Status DecodeCommonPointField(DecodeContext& c, int field, std::string_view key, JsonValue v,
                              Point* out) {
  switch (field) {
    case kAttributes: return DecodeAttributes(c, key, v, &out->attributes);
    case kStartTimeUnixNano: return ReadUint64(c, key, v, &out->start_time_unix_nano);
    case kTimeUnixNano: return ReadUint64(c, key, v, &out->time_unix_nano);
    case kFlags: return ReadUint32(c, key, v, &out->flags);
    case kExemplars:
      if constexpr (requires { out->exemplars; }) {
        return DecodeRepeated(c, key, v, &out->exemplars,
                              [&c](JsonValue e, Exemplar* x) { return DecodeExemplar(c, e, x); });
      }
      return Status::Ok();
    default: return Status::Ok();
  }
}

Status DecodeNumberPoint(DecodeContext& c, JsonValue v, NumberDataPoint* out) {
  return ForEachField(c, v, kPointKeys, [&](int field, std::string_view key, JsonValue value) {
    if (field == kAsDouble || field == kAsInt) return ReadNumberValue(c, field, key, value, out);
    return DecodeCommonPointField(c, field, key, value, out);
  });
}

Status DecodeHistogramPoint(DecodeContext& c, JsonValue v, HistogramDataPoint* out) {
  return ForEachField(c, v, kPointKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kCount: return ReadUint64(c, key, value, &out->count);
      case kPointSum: return ReadOptionalDouble(c, key, value, &out->has_sum, &out->sum);
      case kBucketCounts: return ReadUint64Array(c, key, value, &out->bucket_counts);
      case kExplicitBounds: return ReadDoubleArray(c, key, value, &out->explicit_bounds);
      case kMin: return ReadOptionalDouble(c, key, value, &out->has_min, &out->min);
      case kMax: return ReadOptionalDouble(c, key, value, &out->has_max, &out->max);
      default: return DecodeCommonPointField(c, field, key, value, out);
    }
  });
}

Status DecodeBuckets(DecodeContext& c, std::string_view key, JsonValue v, ExponentialBuckets* out) {
  PathScope scope(c, key);
  *out = ExponentialBuckets{};
  return ForEachField(c, v, kPointKeys, [&](int field, std::string_view k, JsonValue value) {
    switch (field) {
      case kOffset: return ReadInt32(c, k, value, &out->offset);
      case kBucketCounts: return ReadUint64Array(c, k, value, &out->bucket_counts);
      default: return Status::Ok();
    }
  });
}

Status DecodeExponentialPoint(DecodeContext& c, JsonValue v, ExponentialHistogramDataPoint* out) {
  return ForEachField(c, v, kPointKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kCount: return ReadUint64(c, key, value, &out->count);
      case kPointSum: return ReadOptionalDouble(c, key, value, &out->has_sum, &out->sum);
      case kScale: return ReadInt32(c, key, value, &out->scale);
      case kZeroCount: return ReadUint64(c, key, value, &out->zero_count);
      case kPositive: return DecodeBuckets(c, key, value, &out->positive);
      case kNegative: return DecodeBuckets(c, key, value, &out->negative);
      case kMin: return ReadOptionalDouble(c, key, value, &out->has_min, &out->min);
      case kMax: return ReadOptionalDouble(c, key, value, &out->has_max, &out->max);
      case kZeroThreshold: return ReadDouble(c, key, value, &out->zero_threshold);
      default: return DecodeCommonPointField(c, field, key, value, out);
    }
  });
}

Status DecodeQuantile(DecodeContext& c, JsonValue v, ValueAtQuantile* out) {
  return ForEachField(c, v, kPointKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kQuantile: return ReadDouble(c, key, value, &out->quantile);
      case kValue: return ReadDouble(c, key, value, &out->value);
      default: return Status::Ok();
    }
  });
}

Status DecodeSummaryPoint(DecodeContext& c, JsonValue v, SummaryDataPoint* out) {
  return ForEachField(c, v, kPointKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kCount: return ReadUint64(c, key, value, &out->count);
      case kPointSum: return ReadDouble(c, key, value, &out->sum);
      case kQuantileValues:
        return DecodeRepeated(
            c, key, value, &out->quantile_values,
            [&c](JsonValue e, ValueAtQuantile* q) { return DecodeQuantile(c, e, q); });
      default: return DecodeCommonPointField(c, field, key, value, out);
    }
  });
}

// dataPoints of the metric's kind.
Status DecodeDataPoints(DecodeContext& c, std::string_view key, JsonValue v, Metric* out) {
  switch (out->kind) {
    case MetricKind::kHistogram:
      return DecodeRepeated(
          c, key, v, &out->histogram_points,
          [&c](JsonValue e, HistogramDataPoint* p) { return DecodeHistogramPoint(c, e, p); });
    case MetricKind::kExponentialHistogram:
      return DecodeRepeated(c, key, v, &out->exponential_histogram_points,
                            [&c](JsonValue e, ExponentialHistogramDataPoint* p) {
                              return DecodeExponentialPoint(c, e, p);
                            });
    case MetricKind::kSummary:
      return DecodeRepeated(
          c, key, v, &out->summary_points,
          [&c](JsonValue e, SummaryDataPoint* p) { return DecodeSummaryPoint(c, e, p); });
    default:  // gauge, sum
      return DecodeRepeated(c, key, v, &out->number_points, [&c](JsonValue e, NumberDataPoint* p) {
        return DecodeNumberPoint(c, e, p);
      });
  }
}

// One member of Metric's `data` oneof; the last one present wins, so it resets the others.
Status DecodeMetricData(DecodeContext& c, MetricKind kind, std::string_view key, JsonValue v,
                        Metric* out) {
  PathScope scope(c, key);
  out->kind = kind;
  out->aggregation_temporality = 0;
  out->is_monotonic = false;
  out->number_points.clear();
  out->histogram_points.clear();
  out->exponential_histogram_points.clear();
  out->summary_points.clear();
  return ForEachField(c, v, kDataKeys, [&](int field, std::string_view k, JsonValue value) {
    switch (field) {
      case kDataPoints: return DecodeDataPoints(c, k, value, out);
      case kAggregationTemporality:
        // Gauge and Summary have no such field: skipped as an unknown key.
        if (kind == MetricKind::kGauge || kind == MetricKind::kSummary) return Status::Ok();
        return ReadEnum(c, k, value, kAggregationTemporalityNames, &out->aggregation_temporality);
      default:
        if (kind != MetricKind::kSum) return Status::Ok();
        return ReadBool(c, k, value, &out->is_monotonic);
    }
  });
}

Status DecodeMetric(DecodeContext& c, JsonValue v, Metric* out) {
  return ForEachField(c, v, kMetricKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kName: return ReadString(c, key, value, &out->name);
      case kDescription: return ReadString(c, key, value, &out->description);
      case kUnit: return ReadString(c, key, value, &out->unit);
      case kGauge: return DecodeMetricData(c, MetricKind::kGauge, key, value, out);
      case kSum: return DecodeMetricData(c, MetricKind::kSum, key, value, out);
      case kHistogram: return DecodeMetricData(c, MetricKind::kHistogram, key, value, out);
      case kExponentialHistogram:
        return DecodeMetricData(c, MetricKind::kExponentialHistogram, key, value, out);
      case kSummary: return DecodeMetricData(c, MetricKind::kSummary, key, value, out);
      default: return DecodeAttributes(c, key, value, &out->metadata);
    }
  });
}

Status DecodeScopeMetrics(DecodeContext& c, JsonValue v, ScopeMetrics* out) {
  return ForEachField(
      c, v, kScopeMetricsKeys, [&](int field, std::string_view key, JsonValue value) {
        switch (field) {
          case kScope: return DecodeScope(c, key, value, &out->scope);
          case kChildren:
            return DecodeRepeated(c, key, value, &out->metrics,
                                  [&c](JsonValue e, Metric* m) { return DecodeMetric(c, e, m); });
          default: return ReadString(c, key, value, &out->schema_url);
        }
      });
}

Status DecodeResourceMetrics(DecodeContext& c, JsonValue v, ResourceMetrics* out) {
  return ForEachField(
      c, v, kResourceMetricsKeys, [&](int field, std::string_view key, JsonValue value) {
        switch (field) {
          case kResource: return DecodeResource(c, key, value, &out->resource);
          case kChildren:
            return DecodeRepeated(
                c, key, value, &out->scope_metrics,
                [&c](JsonValue e, ScopeMetrics* s) { return DecodeScopeMetrics(c, e, s); });
          default: return ReadString(c, key, value, &out->schema_url);
        }
      });
}

}  // namespace

Status DecodeMetricsDocument(DecodeContext& c, JsonValue root, MetricsRequest* out) {
  const size_t keep = out->resource_metrics.size();  // earlier lines of a JSON Lines body
  return ForEachField(
      c, root, kMetricsRequestKeys, [&](int, std::string_view key, JsonValue value) {
        return DecodeRepeated(
            c, key, value, &out->resource_metrics,
            [&c](JsonValue e, ResourceMetrics* r) { return DecodeResourceMetrics(c, e, r); }, keep);
      });
}

}  // namespace o2p::otlp::internal
