// Spans -> the `traces` table (schema.md, "traces"): one row per span, its events and links
// nested as lists of structs.
#include <iterator>
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

/// trace.v1.Span.SpanKind numbers 0..5; unknown numbers read as Unspecified.
std::string_view SpanKindName(int32_t kind) {
  static constexpr std::string_view kNames[] = {"Unspecified", "Internal", "Server",
                                                "Client",      "Producer", "Consumer"};
  if (kind < 0 || kind >= static_cast<int32_t>(std::size(kNames))) return kNames[0];
  return kNames[kind];
}

/// trace.v1.Status.StatusCode numbers 0..2; an absent status or an unknown number is Unset.
std::string_view StatusCodeName(const Span& span) {
  if (!span.has_status) return "Unset";
  switch (span.status.code) {
    case 1: return "Ok";
    case 2: return "Error";
    default: return "Unset";
  }
}

/// end - start in nanoseconds; 0 when the span ends before it starts, clamped to INT64_MAX.
int64_t DurationNanos(const Span& span) {
  if (span.end_time_unix_nano < span.start_time_unix_nano) return 0;
  return internal::ClampToInt64(span.end_time_unix_nano - span.start_time_unix_nano);
}

/// Every id of the span and of its links, in order; the first bad one rejects the span.
internal::IdFault CheckSpanIds(const Span& span) {
  internal::IdFault fault =
      internal::CheckRequiredId(span.trace_id, internal::kTraceIdBytes, "trace id");
  if (fault.ok()) fault = internal::CheckRequiredId(span.span_id, internal::kSpanIdBytes, "span id");
  if (fault.ok()) {
    fault = internal::CheckId(span.parent_span_id, internal::kSpanIdBytes, "parent span id");
  }
  for (size_t i = 0; fault.ok() && i < span.links.size(); ++i) {
    const auto link = static_cast<int64_t>(i);
    fault = internal::CheckRequiredId(span.links[i].trace_id, internal::kTraceIdBytes, "trace id",
                                      link);
    if (fault.ok()) {
      fault =
          internal::CheckRequiredId(span.links[i].span_id, internal::kSpanIdBytes, "span id", link);
    }
  }
  return fault;
}

/// The `Events` list<struct<...>> column.
class EventColumns {
 public:
  explicit EventColumns(columnar::ListColumn* list)
      : list_(list),
        element_(internal::StructElements(list)),
        timestamp_(ChildNamed<columnar::Int64Column>(element_, "Timestamp")),
        name_(ChildNamed<columnar::StringColumn>(element_, "Name")),
        attributes_(ChildNamed<columnar::MapColumn>(element_, "Attributes")),
        dropped_attributes_(ChildNamed<columnar::Int32Column>(element_, "DroppedAttributesCount")) {
  }

  void Append(const std::vector<SpanEvent>& events, internal::AttributeWriter* attributes) {
    for (const SpanEvent& event : events) {
      timestamp_->Append(internal::NanosToMicros(event.time_unix_nano));
      name_->Append(event.name);
      attributes->Append(event.attributes, attributes_);
      dropped_attributes_->Append(internal::ClampToInt32(event.dropped_attributes_count));
      element_->FinishRow();
    }
    list_->FinishRow();
  }

 private:
  columnar::ListColumn* list_;
  columnar::StructColumn* element_;
  columnar::Int64Column* timestamp_;
  columnar::StringColumn* name_;
  columnar::MapColumn* attributes_;
  columnar::Int32Column* dropped_attributes_;
};

/// The `Links` list<struct<...>> column.
class LinkColumns {
 public:
  explicit LinkColumns(columnar::ListColumn* list)
      : list_(list),
        element_(internal::StructElements(list)),
        trace_id_(ChildNamed<columnar::StringColumn>(element_, "TraceId")),
        span_id_(ChildNamed<columnar::StringColumn>(element_, "SpanId")),
        trace_state_(ChildNamed<columnar::StringColumn>(element_, "TraceState")),
        attributes_(ChildNamed<columnar::MapColumn>(element_, "Attributes")),
        flags_(ChildNamed<columnar::Int32Column>(element_, "Flags")),
        dropped_attributes_(ChildNamed<columnar::Int32Column>(element_, "DroppedAttributesCount")) {
  }

  /// REQUIRES: every link id is IdValid.
  void Append(const std::vector<SpanLink>& links, internal::AttributeWriter* attributes,
              std::string* scratch) {
    for (const SpanLink& link : links) {
      internal::AppendId(link.trace_id, trace_id_, scratch);
      internal::AppendId(link.span_id, span_id_, scratch);
      trace_state_->Append(link.trace_state);
      attributes->Append(link.attributes, attributes_);
      flags_->Append(internal::FlagsToInt32(link.flags));
      dropped_attributes_->Append(internal::ClampToInt32(link.dropped_attributes_count));
      element_->FinishRow();
    }
    list_->FinishRow();
  }

 private:
  columnar::ListColumn* list_;
  columnar::StructColumn* element_;
  columnar::StringColumn* trace_id_;
  columnar::StringColumn* span_id_;
  columnar::StringColumn* trace_state_;
  columnar::MapColumn* attributes_;
  columnar::Int32Column* flags_;
  columnar::Int32Column* dropped_attributes_;
};

/// The `traces` column pointers, fetched once per batch.
class SpanColumns {
 public:
  explicit SpanColumns(columnar::RecordBatch* batch)
      : batch_(batch),
        common_(batch),
        trace_id_(ColumnNamed<columnar::StringColumn>(batch, "TraceId")),
        span_id_(ColumnNamed<columnar::StringColumn>(batch, "SpanId")),
        parent_span_id_(ColumnNamed<columnar::StringColumn>(batch, "ParentSpanId")),
        trace_state_(ColumnNamed<columnar::StringColumn>(batch, "TraceState")),
        span_name_(ColumnNamed<columnar::StringColumn>(batch, "SpanName")),
        span_kind_(ColumnNamed<columnar::StringColumn>(batch, "SpanKind")),
        attributes_(ColumnNamed<columnar::MapColumn>(batch, "SpanAttributes")),
        end_timestamp_(ColumnNamed<columnar::Int64Column>(batch, "EndTimestamp")),
        duration_(ColumnNamed<columnar::Int64Column>(batch, "Duration")),
        status_code_(ColumnNamed<columnar::StringColumn>(batch, "StatusCode")),
        status_message_(ColumnNamed<columnar::StringColumn>(batch, "StatusMessage")),
        flags_(ColumnNamed<columnar::Int32Column>(batch, "Flags")),
        events_(ColumnNamed<columnar::ListColumn>(batch, "Events")),
        links_(ColumnNamed<columnar::ListColumn>(batch, "Links")),
        dropped_attributes_(ColumnNamed<columnar::Int32Column>(batch, "DroppedAttributesCount")),
        dropped_events_(ColumnNamed<columnar::Int32Column>(batch, "DroppedEventsCount")),
        dropped_links_(ColumnNamed<columnar::Int32Column>(batch, "DroppedLinksCount")) {}

  /// Appends one complete row. REQUIRES: CheckSpanIds(span).ok().
  void Append(const Span& span, const internal::FlatResource& resource,
              const internal::FlatScope& scope, internal::AttributeWriter* attributes,
              std::string* scratch) {
    common_.Append(internal::NanosToMicros(span.start_time_unix_nano), resource, scope);
    internal::AppendId(span.trace_id, trace_id_, scratch);
    internal::AppendId(span.span_id, span_id_, scratch);
    internal::AppendId(span.parent_span_id, parent_span_id_, scratch);
    trace_state_->Append(span.trace_state);
    span_name_->Append(span.name);
    span_kind_->Append(SpanKindName(span.kind));
    attributes->Append(span.attributes, attributes_);
    end_timestamp_->Append(internal::NanosToMicros(span.end_time_unix_nano));
    duration_->Append(DurationNanos(span));
    status_code_->Append(StatusCodeName(span));
    status_message_->Append(span.status.message);
    flags_->Append(internal::FlagsToInt32(span.flags));
    events_.Append(span.events, attributes);
    links_.Append(span.links, attributes, scratch);
    dropped_attributes_->Append(internal::ClampToInt32(span.dropped_attributes_count));
    dropped_events_->Append(internal::ClampToInt32(span.dropped_events_count));
    dropped_links_->Append(internal::ClampToInt32(span.dropped_links_count));
    batch_->FinishRow();
  }

 private:
  columnar::RecordBatch* batch_;
  internal::CommonColumns common_;
  columnar::StringColumn* trace_id_;
  columnar::StringColumn* span_id_;
  columnar::StringColumn* parent_span_id_;
  columnar::StringColumn* trace_state_;
  columnar::StringColumn* span_name_;
  columnar::StringColumn* span_kind_;
  columnar::MapColumn* attributes_;
  columnar::Int64Column* end_timestamp_;
  columnar::Int64Column* duration_;
  columnar::StringColumn* status_code_;
  columnar::StringColumn* status_message_;
  columnar::Int32Column* flags_;
  EventColumns events_;
  LinkColumns links_;
  columnar::Int32Column* dropped_attributes_;
  columnar::Int32Column* dropped_events_;
  columnar::Int32Column* dropped_links_;
};

class TracesConverter {
 public:
  explicit TracesConverter(TableBatches* out) : out_(out) {}

  ConvertStats Run(const TracesRequest& request) {
    for (size_t r = 0; r < request.resource_spans.size(); ++r) {
      const ResourceSpans& resource_spans = request.resource_spans[r];
      resource_.Assign(resource_spans.resource, resource_spans.schema_url, &filter_);
      for (size_t s = 0; s < resource_spans.scope_spans.size(); ++s) {
        const ScopeSpans& scope_spans = resource_spans.scope_spans[s];
        scope_.Assign(scope_spans.scope, scope_spans.schema_url, &filter_);
        for (size_t i = 0; i < scope_spans.spans.size(); ++i) {
          ConvertSpan(scope_spans.spans[i], r, s, i);
        }
      }
    }
    return stats_;
  }

 private:
  void ConvertSpan(const Span& span, size_t r, size_t s, size_t i) {
    const internal::IdFault fault = CheckSpanIds(span);
    if (!fault.ok()) {
      internal::Reject(&stats_, [&] {
        std::string where = fmt::format("resourceSpans[{}].scopeSpans[{}].spans[{}]", r, s, i);
        if (fault.element >= 0) where += fmt::format(".links[{}]", fault.element);
        return fmt::format("{}: {}", where, fault.Describe());
      });
      return;
    }
    if (!columns_) columns_.emplace(out_->Get(Table::kTraces));
    columns_->Append(span, resource_, scope_, &attributes_, &scratch_);
    ++stats_.accepted;
  }

  TableBatches* out_;
  ConvertStats stats_;
  internal::LastWins filter_;
  internal::FlatResource resource_;
  internal::FlatScope scope_;
  internal::AttributeWriter attributes_;
  std::string scratch_;
  std::optional<SpanColumns> columns_;  // created with the first accepted row
};

}  // namespace

ConvertStats ConvertTraces(const TracesRequest& request, const ConvertOptions& /*options*/,
                           TableBatches* out) {
  return TracesConverter(out).Run(request);
}

}  // namespace o2p::otlp
