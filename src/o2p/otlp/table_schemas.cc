// The seven table schemas of schema.md (version 1). The pieces every table shares (the ten
// common columns, the six metric columns, the Exemplars type, the attribute map) are written
// once below; each table appends its own columns. Field ids are assigned last, over the whole
// top-level field list, so that they follow Iceberg's fresh-id order (schema.md, "Field ids").
#include "o2p/otlp/table_schemas.h"

#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace o2p::otlp {
namespace {

using columnar::DataTypePtr;
using columnar::Field;

Field Required(std::string name, DataTypePtr type) {
  return Field{std::move(name), std::move(type), /*nullable=*/false};
}

Field Optional(std::string name, DataTypePtr type) {
  return Field{std::move(name), std::move(type), /*nullable=*/true};
}

/// map<string,string>: key required, value nullable (an empty AnyValue is a null value).
DataTypePtr AttributeMap() {
  return columnar::Map(Required("key", columnar::String()), Optional("value", columnar::String()));
}

/// list<T> with a required element (lists never hold null elements).
DataTypePtr ListOf(DataTypePtr element) {
  return columnar::List(Required("element", std::move(element)));
}

/// Columns 1..10 of every table (schema.md, "Common columns").
std::vector<Field> CommonFields() {
  return {
      Required("Timestamp", columnar::Timestamp()),
      Required("ServiceName", columnar::String()),
      Optional("ServiceNamespace", columnar::String()),
      Optional("ServiceInstanceId", columnar::String()),
      Required("ResourceAttributes", AttributeMap()),
      Required("ResourceSchemaUrl", columnar::String()),
      Required("ScopeName", columnar::String()),
      Required("ScopeVersion", columnar::String()),
      Required("ScopeAttributes", AttributeMap()),
      Required("ScopeSchemaUrl", columnar::String()),
  };
}

void Add(std::vector<Field>* fields, std::vector<Field> more) {
  for (Field& f : more) fields->push_back(std::move(f));
}

std::vector<Field> LogsFields() {
  std::vector<Field> fields = CommonFields();
  Add(&fields, {
                   Optional("ObservedTimestamp", columnar::Timestamp()),
                   Required("TraceId", columnar::String()),
                   Required("SpanId", columnar::String()),
                   Required("TraceFlags", columnar::Int32()),
                   Required("SeverityText", columnar::String()),
                   Required("SeverityNumber", columnar::Int32()),
                   Optional("Body", columnar::String()),
                   Required("EventName", columnar::String()),
                   Required("LogAttributes", AttributeMap()),
                   Required("DroppedAttributesCount", columnar::Int32()),
               });
  return fields;
}

DataTypePtr EventsType() {
  return ListOf(columnar::Struct({
      Required("Timestamp", columnar::Timestamp()),
      Required("Name", columnar::String()),
      Required("Attributes", AttributeMap()),
      Required("DroppedAttributesCount", columnar::Int32()),
  }));
}

DataTypePtr LinksType() {
  return ListOf(columnar::Struct({
      Required("TraceId", columnar::String()),
      Required("SpanId", columnar::String()),
      Required("TraceState", columnar::String()),
      Required("Attributes", AttributeMap()),
      Required("Flags", columnar::Int32()),
      Required("DroppedAttributesCount", columnar::Int32()),
  }));
}

std::vector<Field> TracesFields() {
  std::vector<Field> fields = CommonFields();
  Add(&fields, {
                   Required("TraceId", columnar::String()),
                   Required("SpanId", columnar::String()),
                   Required("ParentSpanId", columnar::String()),
                   Required("TraceState", columnar::String()),
                   Required("SpanName", columnar::String()),
                   Required("SpanKind", columnar::String()),
                   Required("SpanAttributes", AttributeMap()),
                   Required("EndTimestamp", columnar::Timestamp()),
                   Required("Duration", columnar::Int64()),
                   Required("StatusCode", columnar::String()),
                   Required("StatusMessage", columnar::String()),
                   Required("Flags", columnar::Int32()),
                   Required("Events", EventsType()),
                   Required("Links", LinksType()),
                   Required("DroppedAttributesCount", columnar::Int32()),
                   Required("DroppedEventsCount", columnar::Int32()),
                   Required("DroppedLinksCount", columnar::Int32()),
               });
  return fields;
}

/// The common columns plus the six columns every metrics table shares.
std::vector<Field> MetricFields() {
  std::vector<Field> fields = CommonFields();
  Add(&fields, {
                   Optional("StartTimestamp", columnar::Timestamp()),
                   Required("MetricName", columnar::String()),
                   Required("MetricDescription", columnar::String()),
                   Required("MetricUnit", columnar::String()),
                   Required("Attributes", AttributeMap()),
                   Required("Flags", columnar::Int32()),
               });
  return fields;
}

Field ExemplarsField() {
  return Required("Exemplars", ListOf(columnar::Struct({
                                   Required("Timestamp", columnar::Timestamp()),
                                   Required("Value", columnar::Float64()),
                                   Required("TraceId", columnar::String()),
                                   Required("SpanId", columnar::String()),
                                   Required("FilteredAttributes", AttributeMap()),
                               })));
}

std::vector<Field> GaugeFields() {
  std::vector<Field> fields = MetricFields();
  Add(&fields, {Required("Value", columnar::Float64()), ExemplarsField()});
  return fields;
}

std::vector<Field> SumFields() {
  std::vector<Field> fields = MetricFields();
  Add(&fields, {
                   Required("Value", columnar::Float64()),
                   Required("AggregationTemporality", columnar::Int32()),
                   Required("IsMonotonic", columnar::Boolean()),
                   ExemplarsField(),
               });
  return fields;
}

std::vector<Field> HistogramFields() {
  std::vector<Field> fields = MetricFields();
  Add(&fields, {
                   Required("Count", columnar::Int64()),
                   Optional("Sum", columnar::Float64()),
                   Required("BucketCounts", ListOf(columnar::Int64())),
                   Required("ExplicitBounds", ListOf(columnar::Float64())),
                   Optional("Min", columnar::Float64()),
                   Optional("Max", columnar::Float64()),
                   Required("AggregationTemporality", columnar::Int32()),
                   ExemplarsField(),
               });
  return fields;
}

std::vector<Field> ExponentialHistogramFields() {
  std::vector<Field> fields = MetricFields();
  Add(&fields, {
                   Required("Count", columnar::Int64()),
                   Optional("Sum", columnar::Float64()),
                   Required("Scale", columnar::Int32()),
                   Required("ZeroCount", columnar::Int64()),
                   Required("ZeroThreshold", columnar::Float64()),
                   Required("PositiveOffset", columnar::Int32()),
                   Required("PositiveBucketCounts", ListOf(columnar::Int64())),
                   Required("NegativeOffset", columnar::Int32()),
                   Required("NegativeBucketCounts", ListOf(columnar::Int64())),
                   Optional("Min", columnar::Float64()),
                   Optional("Max", columnar::Float64()),
                   Required("AggregationTemporality", columnar::Int32()),
                   ExemplarsField(),
               });
  return fields;
}

std::vector<Field> SummaryFields() {
  std::vector<Field> fields = MetricFields();
  Add(&fields, {
                   Required("Count", columnar::Int64()),
                   Required("Sum", columnar::Float64()),
                   Required("ValueAtQuantiles", ListOf(columnar::Struct({
                                                    Required("Quantile", columnar::Float64()),
                                                    Required("Value", columnar::Float64()),
                                                }))),
               });
  return fields;
}

std::vector<Field> FieldsOf(Table table) {
  switch (table) {
    case Table::kLogs: return LogsFields();
    case Table::kTraces: return TracesFields();
    case Table::kMetricsGauge: return GaugeFields();
    case Table::kMetricsSum: return SumFields();
    case Table::kMetricsHistogram: return HistogramFields();
    case Table::kMetricsExponentialHistogram: return ExponentialHistogramFields();
    case Table::kMetricsSummary: return SummaryFields();
  }
  return {};
}

columnar::SchemaPtr BuildSchema(Table table) {
  std::vector<Field> fields = FieldsOf(table);
  columnar::AssignFreshFieldIds(&fields);
  std::vector<std::pair<std::string, std::string>> metadata = {
      {"otlp2parquet.schema_version", std::to_string(kSchemaVersion)},
      {"otlp2parquet.table", std::string(TableName(table))},
  };
  return std::make_shared<const columnar::Schema>(std::move(fields), std::move(metadata));
}

}  // namespace

const columnar::SchemaPtr& TableSchema(Table table) {
  // Built once on first use; function-local statics are initialized thread-safely.
  static const std::array<columnar::SchemaPtr, kTableCount> schemas = [] {
    std::array<columnar::SchemaPtr, kTableCount> all;
    for (Table t : kAllTables) all[static_cast<size_t>(t)] = BuildSchema(t);
    return all;
  }();
  return schemas[static_cast<size_t>(table)];
}

}  // namespace o2p::otlp
