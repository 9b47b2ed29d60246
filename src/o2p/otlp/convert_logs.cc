// LogRecords -> the `logs` table (schema.md, "logs"): one row per record.
#include <optional>

#include <fmt/format.h>

#include "o2p/otlp/any_value.h"
#include "o2p/otlp/convert.h"
#include "o2p/otlp/internal/convert_common.h"

namespace o2p::otlp {
namespace {

using internal::ColumnNamed;

/// The `logs` column pointers, fetched once per batch.
class LogColumns {
 public:
  explicit LogColumns(columnar::RecordBatch* batch)
      : batch_(batch),
        common_(batch),
        observed_timestamp_(ColumnNamed<columnar::Int64Column>(batch, "ObservedTimestamp")),
        trace_id_(ColumnNamed<columnar::StringColumn>(batch, "TraceId")),
        span_id_(ColumnNamed<columnar::StringColumn>(batch, "SpanId")),
        trace_flags_(ColumnNamed<columnar::Int32Column>(batch, "TraceFlags")),
        severity_text_(ColumnNamed<columnar::StringColumn>(batch, "SeverityText")),
        severity_number_(ColumnNamed<columnar::Int32Column>(batch, "SeverityNumber")),
        body_(ColumnNamed<columnar::StringColumn>(batch, "Body")),
        event_name_(ColumnNamed<columnar::StringColumn>(batch, "EventName")),
        attributes_(ColumnNamed<columnar::MapColumn>(batch, "LogAttributes")),
        dropped_attributes_(ColumnNamed<columnar::Int32Column>(batch, "DroppedAttributesCount")) {}

  /// Appends one complete row. REQUIRES: the record's ids are IdValid.
  void Append(const LogRecord& record, int64_t timestamp_micros,
              const internal::FlatResource& resource, const internal::FlatScope& scope,
              internal::AttributeWriter* attributes, std::string* scratch);

 private:
  void AppendBody(const LogRecord& record, std::string* scratch);

  columnar::RecordBatch* batch_;
  internal::CommonColumns common_;
  columnar::Int64Column* observed_timestamp_;
  columnar::StringColumn* trace_id_;
  columnar::StringColumn* span_id_;
  columnar::Int32Column* trace_flags_;
  columnar::StringColumn* severity_text_;
  columnar::Int32Column* severity_number_;
  columnar::StringColumn* body_;
  columnar::StringColumn* event_name_;
  columnar::MapColumn* attributes_;
  columnar::Int32Column* dropped_attributes_;
};

void LogColumns::Append(const LogRecord& record, int64_t timestamp_micros,
                        const internal::FlatResource& resource, const internal::FlatScope& scope,
                        internal::AttributeWriter* attributes, std::string* scratch) {
  common_.Append(timestamp_micros, resource, scope);
  if (record.observed_time_unix_nano == 0) {
    observed_timestamp_->AppendNull();
  } else {
    observed_timestamp_->Append(internal::NanosToMicros(record.observed_time_unix_nano));
  }
  internal::AppendId(record.trace_id, trace_id_, scratch);
  internal::AppendId(record.span_id, span_id_, scratch);
  trace_flags_->Append(internal::FlagsToInt32(record.flags));
  severity_text_->Append(record.severity_text);
  severity_number_->Append(record.severity_number);
  AppendBody(record, scratch);
  event_name_->Append(record.event_name);
  attributes->Append(record.attributes, attributes_);
  dropped_attributes_->Append(internal::ClampToInt32(record.dropped_attributes_count));
  batch_->FinishRow();
}

void LogColumns::AppendBody(const LogRecord& record, std::string* scratch) {
  // A string body is stored as is; other kinds as attribute-value text; an absent body, or a
  // present but empty AnyValue, as null.
  if (!record.has_body) {
    body_->AppendNull();
    return;
  }
  if (record.body.kind == ValueKind::kString) {
    body_->Append(record.body.string_value);
    return;
  }
  scratch->clear();
  if (AppendAnyValueText(record.body, scratch)) {
    body_->Append(*scratch);
  } else {
    body_->AppendNull();
  }
}

/// schema.md: time_unix_nano, else observed_time_unix_nano, else the receive time.
uint64_t LogTimestampNanos(const LogRecord& record, const ConvertOptions& options) {
  if (record.time_unix_nano != 0) return record.time_unix_nano;
  if (record.observed_time_unix_nano != 0) return record.observed_time_unix_nano;
  return options.receive_time_unix_nano;
}

class LogsConverter {
 public:
  LogsConverter(const ConvertOptions& options, TableBatches* out) : options_(options), out_(out) {}

  ConvertStats Run(const LogsRequest& request) {
    for (size_t r = 0; r < request.resource_logs.size(); ++r) {
      const ResourceLogs& resource_logs = request.resource_logs[r];
      resource_.Assign(resource_logs.resource, resource_logs.schema_url, &filter_);
      for (size_t s = 0; s < resource_logs.scope_logs.size(); ++s) {
        const ScopeLogs& scope_logs = resource_logs.scope_logs[s];
        scope_.Assign(scope_logs.scope, scope_logs.schema_url, &filter_);
        for (size_t l = 0; l < scope_logs.log_records.size(); ++l) {
          ConvertRecord(scope_logs.log_records[l], r, s, l);
        }
      }
    }
    return stats_;
  }

 private:
  void ConvertRecord(const LogRecord& record, size_t r, size_t s, size_t l) {
    internal::IdFault fault =
        internal::CheckId(record.trace_id, internal::kTraceIdBytes, "trace id");
    if (fault.ok()) fault = internal::CheckId(record.span_id, internal::kSpanIdBytes, "span id");
    if (!fault.ok()) {
      internal::Reject(&stats_, [&] {
        return fmt::format("resourceLogs[{}].scopeLogs[{}].logRecords[{}]: {}", r, s, l,
                           fault.Describe());
      });
      return;
    }
    if (!columns_) columns_.emplace(out_->Get(Table::kLogs));
    columns_->Append(record, internal::NanosToMicros(LogTimestampNanos(record, options_)),
                     resource_, scope_, &attributes_, &scratch_);
    ++stats_.accepted;
  }

  const ConvertOptions& options_;
  TableBatches* out_;
  ConvertStats stats_;
  internal::LastWins filter_;
  internal::FlatResource resource_;
  internal::FlatScope scope_;
  internal::AttributeWriter attributes_;
  std::string scratch_;
  std::optional<LogColumns> columns_;  // created with the first accepted row
};

}  // namespace

ConvertStats ConvertLogs(const LogsRequest& request, const ConvertOptions& options,
                         TableBatches* out) {
  return LogsConverter(options, out).Run(request);
}

}  // namespace o2p::otlp
