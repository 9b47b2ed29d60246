// Metrics -> the five metrics tables (schema.md, "Metrics"): one row per data point, in the
// table of the metric's kind. One request may feed all five; each table's batch and column
// pointers are created with its first accepted row.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "o2p/otlp/convert.h"
#include "o2p/otlp/internal/convert_common.h"

namespace o2p::otlp {
namespace {

using internal::ChildNamed;
using internal::ColumnNamed;

/// What every row of one scope shares, plus reusable scratch.
struct RowContext {
  internal::FlatResource resource;
  internal::FlatScope scope;
  internal::AttributeWriter attributes;
  std::string scratch;
};

// ---- value mappings -------------------------------------------------------------------------

/// A number oneof as `double`: as_double, or as_int converted. An exemplar without a value
/// (the oneof unset) reads as 0.0, since Exemplars.Value is a required double.
double NumberValue(NumberKind kind, double as_double, int64_t as_int) {
  switch (kind) {
    case NumberKind::kDouble: return as_double;
    case NumberKind::kInt: return static_cast<double>(as_int);
    case NumberKind::kNone: return 0.0;
  }
  return 0.0;
}

void AppendCounts(const std::vector<uint64_t>& counts, columnar::ListColumn* list) {
  auto* values = static_cast<columnar::Int64Column*>(list->values());
  for (uint64_t count : counts) values->Append(internal::ClampToInt64(count));
  list->FinishRow();
}

void AppendDoubles(const std::vector<double>& doubles, columnar::ListColumn* list) {
  auto* values = static_cast<columnar::DoubleColumn*>(list->values());
  for (double value : doubles) values->Append(value);
  list->FinishRow();
}

void AppendOptionalDouble(columnar::DoubleColumn* column, bool present, double value) {
  if (present) {
    column->Append(value);
  } else {
    column->AppendNull();
  }
}

// ---- validation -----------------------------------------------------------------------------

/// Why a data point is rejected: a value problem (`message`) or a bad exemplar id.
struct PointFault {
  std::string_view message;
  internal::IdFault id;

  bool ok() const { return message.empty() && id.ok(); }
  std::string Describe() const {
    if (!message.empty()) return std::string(message);
    if (id.element < 0) return id.Describe();
    return fmt::format("exemplars[{}]: {}", id.element, id.Describe());
  }
};

PointFault CheckExemplars(const std::vector<Exemplar>& exemplars) {
  PointFault fault;
  for (size_t i = 0; fault.id.ok() && i < exemplars.size(); ++i) {
    const auto element = static_cast<int64_t>(i);
    fault.id =
        internal::CheckId(exemplars[i].trace_id, internal::kTraceIdBytes, "trace id", element);
    if (fault.id.ok()) {
      fault.id =
          internal::CheckId(exemplars[i].span_id, internal::kSpanIdBytes, "span id", element);
    }
  }
  return fault;
}

PointFault CheckPoint(const NumberDataPoint& point) {
  if (point.value_kind == NumberKind::kNone) return {"number data point has no value", {}};
  return CheckExemplars(point.exemplars);
}
PointFault CheckPoint(const HistogramDataPoint& point) { return CheckExemplars(point.exemplars); }
PointFault CheckPoint(const ExponentialHistogramDataPoint& point) {
  return CheckExemplars(point.exemplars);
}
PointFault CheckPoint(const SummaryDataPoint& /*point*/) { return {}; }

// ---- columns --------------------------------------------------------------------------------

/// The common columns and the six shared metric columns of one metrics table.
class MetricColumns {
 public:
  explicit MetricColumns(columnar::RecordBatch* batch)
      : batch_(batch),
        common_(batch),
        start_timestamp_(ColumnNamed<columnar::Int64Column>(batch, "StartTimestamp")),
        name_(ColumnNamed<columnar::StringColumn>(batch, "MetricName")),
        description_(ColumnNamed<columnar::StringColumn>(batch, "MetricDescription")),
        unit_(ColumnNamed<columnar::StringColumn>(batch, "MetricUnit")),
        attributes_(ColumnNamed<columnar::MapColumn>(batch, "Attributes")),
        flags_(ColumnNamed<columnar::Int32Column>(batch, "Flags")) {}

  columnar::RecordBatch* batch() const { return batch_; }

  /// Appends the first 16 columns of a point's row; the table appends the rest and finishes it.
  template <typename Point>
  void Append(const Point& point, const Metric& metric, RowContext& row) {
    common_.Append(internal::NanosToMicros(point.time_unix_nano), row.resource, row.scope);
    if (point.start_time_unix_nano == 0) {
      start_timestamp_->AppendNull();
    } else {
      start_timestamp_->Append(internal::NanosToMicros(point.start_time_unix_nano));
    }
    name_->Append(metric.name);
    description_->Append(metric.description);
    unit_->Append(metric.unit);
    row.attributes.Append(point.attributes, attributes_);
    flags_->Append(internal::FlagsToInt32(point.flags));
  }

 private:
  columnar::RecordBatch* batch_;
  internal::CommonColumns common_;
  columnar::Int64Column* start_timestamp_;
  columnar::StringColumn* name_;
  columnar::StringColumn* description_;
  columnar::StringColumn* unit_;
  columnar::MapColumn* attributes_;
  columnar::Int32Column* flags_;
};

/// The `Exemplars` list<struct<...>> column.
class ExemplarColumns {
 public:
  explicit ExemplarColumns(columnar::RecordBatch* batch)
      : list_(ColumnNamed<columnar::ListColumn>(batch, "Exemplars")),
        element_(internal::StructElements(list_)),
        timestamp_(ChildNamed<columnar::Int64Column>(element_, "Timestamp")),
        value_(ChildNamed<columnar::DoubleColumn>(element_, "Value")),
        trace_id_(ChildNamed<columnar::StringColumn>(element_, "TraceId")),
        span_id_(ChildNamed<columnar::StringColumn>(element_, "SpanId")),
        filtered_attributes_(ChildNamed<columnar::MapColumn>(element_, "FilteredAttributes")) {}

  /// REQUIRES: CheckExemplars(exemplars).ok().
  void Append(const std::vector<Exemplar>& exemplars, RowContext& row) {
    for (const Exemplar& exemplar : exemplars) {
      timestamp_->Append(internal::NanosToMicros(exemplar.time_unix_nano));
      value_->Append(NumberValue(exemplar.value_kind, exemplar.as_double, exemplar.as_int));
      internal::AppendId(exemplar.trace_id, trace_id_, &row.scratch);
      internal::AppendId(exemplar.span_id, span_id_, &row.scratch);
      row.attributes.Append(exemplar.filtered_attributes, filtered_attributes_);
      element_->FinishRow();
    }
    list_->FinishRow();
  }

 private:
  columnar::ListColumn* list_;
  columnar::StructColumn* element_;
  columnar::Int64Column* timestamp_;
  columnar::DoubleColumn* value_;
  columnar::StringColumn* trace_id_;
  columnar::StringColumn* span_id_;
  columnar::MapColumn* filtered_attributes_;
};

class GaugeColumns {
 public:
  explicit GaugeColumns(columnar::RecordBatch* batch)
      : metric_(batch),
        value_(ColumnNamed<columnar::DoubleColumn>(batch, "Value")),
        exemplars_(batch) {}

  void Append(const NumberDataPoint& point, const Metric& metric, RowContext& row) {
    metric_.Append(point, metric, row);
    value_->Append(NumberValue(point.value_kind, point.as_double, point.as_int));
    exemplars_.Append(point.exemplars, row);
    metric_.batch()->FinishRow();
  }

 private:
  MetricColumns metric_;
  columnar::DoubleColumn* value_;
  ExemplarColumns exemplars_;
};

class SumColumns {
 public:
  explicit SumColumns(columnar::RecordBatch* batch)
      : metric_(batch),
        value_(ColumnNamed<columnar::DoubleColumn>(batch, "Value")),
        temporality_(ColumnNamed<columnar::Int32Column>(batch, "AggregationTemporality")),
        is_monotonic_(ColumnNamed<columnar::BooleanColumn>(batch, "IsMonotonic")),
        exemplars_(batch) {}

  void Append(const NumberDataPoint& point, const Metric& metric, RowContext& row) {
    metric_.Append(point, metric, row);
    value_->Append(NumberValue(point.value_kind, point.as_double, point.as_int));
    temporality_->Append(metric.aggregation_temporality);
    is_monotonic_->Append(metric.is_monotonic ? 1 : 0);
    exemplars_.Append(point.exemplars, row);
    metric_.batch()->FinishRow();
  }

 private:
  MetricColumns metric_;
  columnar::DoubleColumn* value_;
  columnar::Int32Column* temporality_;
  columnar::BooleanColumn* is_monotonic_;
  ExemplarColumns exemplars_;
};

class HistogramColumns {
 public:
  explicit HistogramColumns(columnar::RecordBatch* batch)
      : metric_(batch),
        count_(ColumnNamed<columnar::Int64Column>(batch, "Count")),
        sum_(ColumnNamed<columnar::DoubleColumn>(batch, "Sum")),
        bucket_counts_(ColumnNamed<columnar::ListColumn>(batch, "BucketCounts")),
        explicit_bounds_(ColumnNamed<columnar::ListColumn>(batch, "ExplicitBounds")),
        min_(ColumnNamed<columnar::DoubleColumn>(batch, "Min")),
        max_(ColumnNamed<columnar::DoubleColumn>(batch, "Max")),
        temporality_(ColumnNamed<columnar::Int32Column>(batch, "AggregationTemporality")),
        exemplars_(batch) {}

  void Append(const HistogramDataPoint& point, const Metric& metric, RowContext& row) {
    metric_.Append(point, metric, row);
    count_->Append(internal::ClampToInt64(point.count));
    AppendOptionalDouble(sum_, point.has_sum, point.sum);
    AppendCounts(point.bucket_counts, bucket_counts_);
    AppendDoubles(point.explicit_bounds, explicit_bounds_);
    AppendOptionalDouble(min_, point.has_min, point.min);
    AppendOptionalDouble(max_, point.has_max, point.max);
    temporality_->Append(metric.aggregation_temporality);
    exemplars_.Append(point.exemplars, row);
    metric_.batch()->FinishRow();
  }

 private:
  MetricColumns metric_;
  columnar::Int64Column* count_;
  columnar::DoubleColumn* sum_;
  columnar::ListColumn* bucket_counts_;
  columnar::ListColumn* explicit_bounds_;
  columnar::DoubleColumn* min_;
  columnar::DoubleColumn* max_;
  columnar::Int32Column* temporality_;
  ExemplarColumns exemplars_;
};

class ExponentialHistogramColumns {
 public:
  explicit ExponentialHistogramColumns(columnar::RecordBatch* batch)
      : metric_(batch),
        count_(ColumnNamed<columnar::Int64Column>(batch, "Count")),
        sum_(ColumnNamed<columnar::DoubleColumn>(batch, "Sum")),
        scale_(ColumnNamed<columnar::Int32Column>(batch, "Scale")),
        zero_count_(ColumnNamed<columnar::Int64Column>(batch, "ZeroCount")),
        zero_threshold_(ColumnNamed<columnar::DoubleColumn>(batch, "ZeroThreshold")),
        positive_offset_(ColumnNamed<columnar::Int32Column>(batch, "PositiveOffset")),
        positive_counts_(ColumnNamed<columnar::ListColumn>(batch, "PositiveBucketCounts")),
        negative_offset_(ColumnNamed<columnar::Int32Column>(batch, "NegativeOffset")),
        negative_counts_(ColumnNamed<columnar::ListColumn>(batch, "NegativeBucketCounts")),
        min_(ColumnNamed<columnar::DoubleColumn>(batch, "Min")),
        max_(ColumnNamed<columnar::DoubleColumn>(batch, "Max")),
        temporality_(ColumnNamed<columnar::Int32Column>(batch, "AggregationTemporality")),
        exemplars_(batch) {}

  void Append(const ExponentialHistogramDataPoint& point, const Metric& metric, RowContext& row) {
    metric_.Append(point, metric, row);
    count_->Append(internal::ClampToInt64(point.count));
    AppendOptionalDouble(sum_, point.has_sum, point.sum);
    scale_->Append(point.scale);
    zero_count_->Append(internal::ClampToInt64(point.zero_count));
    zero_threshold_->Append(point.zero_threshold);
    positive_offset_->Append(point.positive.offset);
    AppendCounts(point.positive.bucket_counts, positive_counts_);
    negative_offset_->Append(point.negative.offset);
    AppendCounts(point.negative.bucket_counts, negative_counts_);
    AppendOptionalDouble(min_, point.has_min, point.min);
    AppendOptionalDouble(max_, point.has_max, point.max);
    temporality_->Append(metric.aggregation_temporality);
    exemplars_.Append(point.exemplars, row);
    metric_.batch()->FinishRow();
  }

 private:
  MetricColumns metric_;
  columnar::Int64Column* count_;
  columnar::DoubleColumn* sum_;
  columnar::Int32Column* scale_;
  columnar::Int64Column* zero_count_;
  columnar::DoubleColumn* zero_threshold_;
  columnar::Int32Column* positive_offset_;
  columnar::ListColumn* positive_counts_;
  columnar::Int32Column* negative_offset_;
  columnar::ListColumn* negative_counts_;
  columnar::DoubleColumn* min_;
  columnar::DoubleColumn* max_;
  columnar::Int32Column* temporality_;
  ExemplarColumns exemplars_;
};

class SummaryColumns {
 public:
  explicit SummaryColumns(columnar::RecordBatch* batch)
      : metric_(batch),
        count_(ColumnNamed<columnar::Int64Column>(batch, "Count")),
        sum_(ColumnNamed<columnar::DoubleColumn>(batch, "Sum")),
        quantiles_(ColumnNamed<columnar::ListColumn>(batch, "ValueAtQuantiles")),
        element_(internal::StructElements(quantiles_)),
        quantile_(ChildNamed<columnar::DoubleColumn>(element_, "Quantile")),
        value_(ChildNamed<columnar::DoubleColumn>(element_, "Value")) {}

  void Append(const SummaryDataPoint& point, const Metric& metric, RowContext& row) {
    metric_.Append(point, metric, row);
    count_->Append(internal::ClampToInt64(point.count));
    sum_->Append(point.sum);
    for (const ValueAtQuantile& q : point.quantile_values) {
      quantile_->Append(q.quantile);
      value_->Append(q.value);
      element_->FinishRow();
    }
    quantiles_->FinishRow();
    metric_.batch()->FinishRow();
  }

 private:
  MetricColumns metric_;
  columnar::Int64Column* count_;
  columnar::DoubleColumn* sum_;
  columnar::ListColumn* quantiles_;
  columnar::StructColumn* element_;
  columnar::DoubleColumn* quantile_;
  columnar::DoubleColumn* value_;
};

// ---- the converter --------------------------------------------------------------------------

/// Where a metric sits in the request, for rejection reasons.
struct MetricPath {
  size_t resource = 0;
  size_t scope = 0;
  size_t metric = 0;

  std::string ToString() const {
    return fmt::format("resourceMetrics[{}].scopeMetrics[{}].metrics[{}]", resource, scope, metric);
  }
};

/// The OTLP/JSON member holding the metric's data ("gauge", "sum", ...).
std::string_view DataMemberName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kNone: return "";
    case MetricKind::kGauge: return "gauge";
    case MetricKind::kSum: return "sum";
    case MetricKind::kHistogram: return "histogram";
    case MetricKind::kExponentialHistogram: return "exponentialHistogram";
    case MetricKind::kSummary: return "summary";
  }
  return "";
}

class MetricsConverter {
 public:
  explicit MetricsConverter(TableBatches* out) : out_(out) {}

  ConvertStats Run(const MetricsRequest& request) {
    MetricPath path;
    for (path.resource = 0; path.resource < request.resource_metrics.size(); ++path.resource) {
      const ResourceMetrics& resource_metrics = request.resource_metrics[path.resource];
      row_.resource.Assign(resource_metrics.resource, resource_metrics.schema_url, &filter_);
      for (path.scope = 0; path.scope < resource_metrics.scope_metrics.size(); ++path.scope) {
        const ScopeMetrics& scope_metrics = resource_metrics.scope_metrics[path.scope];
        row_.scope.Assign(scope_metrics.scope, scope_metrics.schema_url, &filter_);
        for (path.metric = 0; path.metric < scope_metrics.metrics.size(); ++path.metric) {
          ConvertMetric(scope_metrics.metrics[path.metric], path);
        }
      }
    }
    return stats_;
  }

 private:
  void ConvertMetric(const Metric& metric, const MetricPath& path) {
    switch (metric.kind) {
      case MetricKind::kNone:
        // Counted once: a metric without data has no points to count.
        internal::Reject(&stats_, [&] {
          return fmt::format("{}: metric \"{}\" has no data", path.ToString(), metric.name);
        });
        return;
      case MetricKind::kGauge:
        return ConvertPoints(metric.number_points, metric, path, Table::kMetricsGauge, &gauge_);
      case MetricKind::kSum:
        return ConvertPoints(metric.number_points, metric, path, Table::kMetricsSum, &sum_);
      case MetricKind::kHistogram:
        return ConvertPoints(metric.histogram_points, metric, path, Table::kMetricsHistogram,
                             &histogram_);
      case MetricKind::kExponentialHistogram:
        return ConvertPoints(metric.exponential_histogram_points, metric, path,
                             Table::kMetricsExponentialHistogram, &exponential_histogram_);
      case MetricKind::kSummary:
        return ConvertPoints(metric.summary_points, metric, path, Table::kMetricsSummary,
                             &summary_);
    }
  }

  template <typename Point, typename Columns>
  void ConvertPoints(const std::vector<Point>& points, const Metric& metric, const MetricPath& path,
                     Table table, std::optional<Columns>* columns) {
    for (size_t p = 0; p < points.size(); ++p) {
      const PointFault fault = CheckPoint(points[p]);
      if (!fault.ok()) {
        internal::Reject(&stats_, [&] {
          return fmt::format("{}.{}.dataPoints[{}] (metric \"{}\"): {}", path.ToString(),
                             DataMemberName(metric.kind), p, metric.name, fault.Describe());
        });
        continue;
      }
      if (!*columns) columns->emplace(out_->Get(table));
      (*columns)->Append(points[p], metric, row_);
      ++stats_.accepted;
    }
  }

  TableBatches* out_;
  ConvertStats stats_;
  internal::LastWins filter_;
  RowContext row_;
  std::optional<GaugeColumns> gauge_;
  std::optional<SumColumns> sum_;
  std::optional<HistogramColumns> histogram_;
  std::optional<ExponentialHistogramColumns> exponential_histogram_;
  std::optional<SummaryColumns> summary_;
};

}  // namespace

ConvertStats ConvertMetrics(const MetricsRequest& request, const ConvertOptions& /*options*/,
                            TableBatches* out) {
  return MetricsConverter(out).Run(request);
}

}  // namespace o2p::otlp
