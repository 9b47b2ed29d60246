// Protobuf decoder for ExportMetricsServiceRequest (metrics.v1). Field numbers: proto/
// (opentelemetry-proto v1.5.0). Each Decode*Field function handles one field of one message
// (see internal/proto_reader.h). Gauge / Sum / Histogram / ExponentialHistogram / Summary are
// decoded straight into the Metric that holds them: their data points go to the vector for the
// kind, and aggregation_temporality / is_monotonic to the Metric.
#include "o2p/otlp/decode_proto.h"
#include "o2p/otlp/internal/decode_proto_common.h"
#include "o2p/otlp/internal/proto_reader.h"

namespace o2p::otlp {
namespace {

using internal::BoolField;
using internal::BytesField;
using internal::DecodeFields;
using internal::DoubleField;
using internal::Field;
using internal::Fixed64Field;
using internal::Int32Field;
using internal::KeyValuesField;
using internal::MessageField;
using internal::OptionalDoubleField;
using internal::ProtoReader;
using internal::RepeatedMessageField;
using internal::ResourceField;
using internal::ScopeField;
using internal::Sint32Field;
using internal::StringField;
using internal::Uint32Field;
using internal::WireType;

// NumberDataPoint.value and Exemplar.value (oneof { double as_double; sfixed64 as_int; }): the
// last member on the wire wins and sets value_kind.
template <typename T>
Status AsDoubleField(ProtoReader& r, const Field& field, T* out) {
  if (field.type != WireType::kFixed64) return r.Skip(field);
  out->value_kind = NumberKind::kDouble;
  return r.ReadDouble(field, &out->as_double);
}

template <typename T>
Status AsIntField(ProtoReader& r, const Field& field, T* out) {
  if (field.type != WireType::kFixed64) return r.Skip(field);
  out->value_kind = NumberKind::kInt;
  uint64_t bits = 0;
  O2P_RETURN_IF_ERROR(r.ReadFixed64(field, &bits));
  out->as_int = static_cast<int64_t>(bits);  // sfixed64: two's complement
  return Status::Ok();
}

Status DecodeExemplarField(ProtoReader& r, const Field& field, Exemplar* out) {
  switch (field.number) {
    case 2: return Fixed64Field(r, field, &out->time_unix_nano);
    case 3: return AsDoubleField(r, field, out);
    case 4: return BytesField(r, field, &out->span_id.bytes);
    case 5: return BytesField(r, field, &out->trace_id.bytes);
    case 6: return AsIntField(r, field, out);
    case 7: return KeyValuesField(r, field, &out->filtered_attributes);
    default: return r.Skip(field);
  }
}

Status ExemplarsField(ProtoReader& r, const Field& field, std::vector<Exemplar>* out) {
  return RepeatedMessageField<DecodeExemplarField>(r, field, "Exemplar", out);
}

Status DecodeNumberPointField(ProtoReader& r, const Field& field, NumberDataPoint* out) {
  switch (field.number) {
    case 2: return Fixed64Field(r, field, &out->start_time_unix_nano);
    case 3: return Fixed64Field(r, field, &out->time_unix_nano);
    case 4: return AsDoubleField(r, field, out);
    case 5: return ExemplarsField(r, field, &out->exemplars);
    case 6: return AsIntField(r, field, out);
    case 7: return KeyValuesField(r, field, &out->attributes);
    case 8: return Uint32Field(r, field, &out->flags);
    default: return r.Skip(field);
  }
}

Status DecodeHistogramPointField(ProtoReader& r, const Field& field, HistogramDataPoint* out) {
  switch (field.number) {
    case 2: return Fixed64Field(r, field, &out->start_time_unix_nano);
    case 3: return Fixed64Field(r, field, &out->time_unix_nano);
    case 4: return Fixed64Field(r, field, &out->count);
    case 5: return OptionalDoubleField(r, field, &out->has_sum, &out->sum);
    case 6: return r.ReadRepeatedFixed64(field, &out->bucket_counts);
    case 7: return r.ReadRepeatedDouble(field, &out->explicit_bounds);
    case 8: return ExemplarsField(r, field, &out->exemplars);
    case 9: return KeyValuesField(r, field, &out->attributes);
    case 10: return Uint32Field(r, field, &out->flags);
    case 11: return OptionalDoubleField(r, field, &out->has_min, &out->min);
    case 12: return OptionalDoubleField(r, field, &out->has_max, &out->max);
    default: return r.Skip(field);
  }
}

Status DecodeBucketsField(ProtoReader& r, const Field& field, ExponentialBuckets* out) {
  switch (field.number) {
    case 1: return Sint32Field(r, field, &out->offset);
    case 2: return r.ReadRepeatedVarint(field, &out->bucket_counts);
    default: return r.Skip(field);
  }
}

Status DecodeExponentialPointField(ProtoReader& r, const Field& field,
                                   ExponentialHistogramDataPoint* out) {
  switch (field.number) {
    case 1: return KeyValuesField(r, field, &out->attributes);
    case 2: return Fixed64Field(r, field, &out->start_time_unix_nano);
    case 3: return Fixed64Field(r, field, &out->time_unix_nano);
    case 4: return Fixed64Field(r, field, &out->count);
    case 5: return OptionalDoubleField(r, field, &out->has_sum, &out->sum);
    case 6: return Sint32Field(r, field, &out->scale);
    case 7: return Fixed64Field(r, field, &out->zero_count);
    case 8: return MessageField<DecodeBucketsField>(r, field, "Buckets", &out->positive);
    case 9: return MessageField<DecodeBucketsField>(r, field, "Buckets", &out->negative);
    case 10: return Uint32Field(r, field, &out->flags);
    case 11: return ExemplarsField(r, field, &out->exemplars);
    case 12: return OptionalDoubleField(r, field, &out->has_min, &out->min);
    case 13: return OptionalDoubleField(r, field, &out->has_max, &out->max);
    case 14: return DoubleField(r, field, &out->zero_threshold);
    default: return r.Skip(field);
  }
}

Status DecodeValueAtQuantileField(ProtoReader& r, const Field& field, ValueAtQuantile* out) {
  switch (field.number) {
    case 1: return DoubleField(r, field, &out->quantile);
    case 2: return DoubleField(r, field, &out->value);
    default: return r.Skip(field);
  }
}

Status DecodeSummaryPointField(ProtoReader& r, const Field& field, SummaryDataPoint* out) {
  switch (field.number) {
    case 2: return Fixed64Field(r, field, &out->start_time_unix_nano);
    case 3: return Fixed64Field(r, field, &out->time_unix_nano);
    case 4: return Fixed64Field(r, field, &out->count);
    case 5: return DoubleField(r, field, &out->sum);
    case 6:
      return RepeatedMessageField<DecodeValueAtQuantileField>(r, field, "ValueAtQuantile",
                                                              &out->quantile_values);
    case 7: return KeyValuesField(r, field, &out->attributes);
    case 8: return Uint32Field(r, field, &out->flags);
    default: return r.Skip(field);
  }
}

// ---- Metric.data members, decoded into the Metric ---------------------------------------------

Status DecodeGaugeField(ProtoReader& r, const Field& field, Metric* out) {
  if (field.number == 1) {
    return RepeatedMessageField<DecodeNumberPointField>(r, field, "NumberDataPoint",
                                                        &out->number_points);
  }
  return r.Skip(field);
}

Status DecodeSumField(ProtoReader& r, const Field& field, Metric* out) {
  switch (field.number) {
    case 1: return DecodeGaugeField(r, field, out);
    case 2: return Int32Field(r, field, &out->aggregation_temporality);
    case 3: return BoolField(r, field, &out->is_monotonic);
    default: return r.Skip(field);
  }
}

Status DecodeHistogramField(ProtoReader& r, const Field& field, Metric* out) {
  switch (field.number) {
    case 1:
      return RepeatedMessageField<DecodeHistogramPointField>(r, field, "HistogramDataPoint",
                                                             &out->histogram_points);
    case 2: return Int32Field(r, field, &out->aggregation_temporality);
    default: return r.Skip(field);
  }
}

Status DecodeExponentialHistogramField(ProtoReader& r, const Field& field, Metric* out) {
  switch (field.number) {
    case 1:
      return RepeatedMessageField<DecodeExponentialPointField>(
          r, field, "ExponentialHistogramDataPoint", &out->exponential_histogram_points);
    case 2: return Int32Field(r, field, &out->aggregation_temporality);
    default: return r.Skip(field);
  }
}

Status DecodeSummaryField(ProtoReader& r, const Field& field, Metric* out) {
  if (field.number == 1) {
    return RepeatedMessageField<DecodeSummaryPointField>(r, field, "SummaryDataPoint",
                                                         &out->summary_points);
  }
  return r.Skip(field);
}

// Metric.data is a oneof: a member different from the one set earlier discards it (protobuf
// oneof semantics); the same member seen again is merged into.
template <auto DecodeField>
Status DataField(ProtoReader& r, const Field& field, MetricKind kind, const char* message,
                 Metric* out) {
  if (field.type != WireType::kLen) return r.Skip(field);
  if (out->kind != kind && out->kind != MetricKind::kNone) {
    out->aggregation_temporality = 0;
    out->is_monotonic = false;
    out->number_points.clear();
    out->histogram_points.clear();
    out->exponential_histogram_points.clear();
    out->summary_points.clear();
  }
  out->kind = kind;
  return MessageField<DecodeField>(r, field, message, out);
}

Status DecodeMetricField(ProtoReader& r, const Field& field, Metric* out) {
  switch (field.number) {
    case 1: return StringField(r, field, &out->name);
    case 2: return StringField(r, field, &out->description);
    case 3: return StringField(r, field, &out->unit);
    case 5: return DataField<DecodeGaugeField>(r, field, MetricKind::kGauge, "Gauge", out);
    case 7: return DataField<DecodeSumField>(r, field, MetricKind::kSum, "Sum", out);
    case 9:
      return DataField<DecodeHistogramField>(r, field, MetricKind::kHistogram, "Histogram", out);
    case 10:
      return DataField<DecodeExponentialHistogramField>(r, field, MetricKind::kExponentialHistogram,
                                                        "ExponentialHistogram", out);
    case 11: return DataField<DecodeSummaryField>(r, field, MetricKind::kSummary, "Summary", out);
    case 12: return KeyValuesField(r, field, &out->metadata);
    default: return r.Skip(field);
  }
}

// ---- request -------------------------------------------------------------------------------

Status DecodeScopeMetricsField(ProtoReader& r, const Field& field, ScopeMetrics* out) {
  switch (field.number) {
    case 1: return ScopeField(r, field, &out->scope);
    case 2: return RepeatedMessageField<DecodeMetricField>(r, field, "Metric", &out->metrics);
    case 3: return StringField(r, field, &out->schema_url);
    default: return r.Skip(field);
  }
}

Status DecodeResourceMetricsField(ProtoReader& r, const Field& field, ResourceMetrics* out) {
  switch (field.number) {
    case 1: return ResourceField(r, field, &out->resource);
    case 2:
      return RepeatedMessageField<DecodeScopeMetricsField>(r, field, "ScopeMetrics",
                                                           &out->scope_metrics);
    case 3: return StringField(r, field, &out->schema_url);
    default: return r.Skip(field);
  }
}

Status DecodeMetricsRequestField(ProtoReader& r, const Field& field, MetricsRequest* out) {
  if (field.number == 1) {
    return RepeatedMessageField<DecodeResourceMetricsField>(r, field, "ResourceMetrics",
                                                            &out->resource_metrics);
  }
  return r.Skip(field);
}

}  // namespace

Status DecodeMetricsProto(std::string_view body, Arena& arena, MetricsRequest* out) {
  internal::DecodeBudget budget(body.size());
  ProtoReader reader(body, "ExportMetricsServiceRequest", arena, budget);
  return DecodeFields<DecodeMetricsRequestField>(reader, out);
}

}  // namespace o2p::otlp
