// Protobuf decoders for ExportLogsServiceRequest and ExportTraceServiceRequest. Metrics are in
// decode_proto_metrics.cc, the shared common.v1 / resource.v1 messages in
// decode_proto_common.cc. Field numbers: proto/ (opentelemetry-proto
// v1.5.0). Each Decode*Field function handles one field of one message (see proto_reader.h).
#include "o2p/otlp/decode_proto.h"

#include "o2p/otlp/internal/decode_proto_common.h"
#include "o2p/otlp/internal/proto_reader.h"

namespace o2p::otlp {
namespace {

using internal::BytesField;
using internal::DecodeAnyValueField;
using internal::DecodeFields;
using internal::Field;
using internal::Fixed32Field;
using internal::Fixed64Field;
using internal::Int32Field;
using internal::KeyValuesField;
using internal::MessageField;
using internal::ProtoReader;
using internal::RepeatedMessageField;
using internal::ResourceField;
using internal::ScopeField;
using internal::StringField;
using internal::Uint32Field;
using internal::WireType;

// ---- logs.v1 -------------------------------------------------------------------------------

Status DecodeLogRecordField(ProtoReader& r, const Field& field, LogRecord* out) {
  switch (field.number) {
    case 1: return Fixed64Field(r, field, &out->time_unix_nano);
    case 2: return Int32Field(r, field, &out->severity_number);
    case 3: return StringField(r, field, &out->severity_text);
    case 5:
      if (field.type != WireType::kLen) break;
      out->has_body = true;  // a message field: present even when empty
      return MessageField<DecodeAnyValueField>(r, field, "AnyValue", &out->body);
    case 6: return KeyValuesField(r, field, &out->attributes);
    case 7: return Uint32Field(r, field, &out->dropped_attributes_count);
    case 8: return Fixed32Field(r, field, &out->flags);
    case 9: return BytesField(r, field, &out->trace_id.bytes);
    case 10: return BytesField(r, field, &out->span_id.bytes);
    case 11: return Fixed64Field(r, field, &out->observed_time_unix_nano);
    case 12: return StringField(r, field, &out->event_name);
    default: break;
  }
  return r.Skip(field);
}

Status DecodeScopeLogsField(ProtoReader& r, const Field& field, ScopeLogs* out) {
  switch (field.number) {
    case 1: return ScopeField(r, field, &out->scope);
    case 2:
      return RepeatedMessageField<DecodeLogRecordField>(r, field, "LogRecord", &out->log_records);
    case 3: return StringField(r, field, &out->schema_url);
    default: return r.Skip(field);
  }
}

Status DecodeResourceLogsField(ProtoReader& r, const Field& field, ResourceLogs* out) {
  switch (field.number) {
    case 1: return ResourceField(r, field, &out->resource);
    case 2:
      return RepeatedMessageField<DecodeScopeLogsField>(r, field, "ScopeLogs", &out->scope_logs);
    case 3: return StringField(r, field, &out->schema_url);
    default: return r.Skip(field);
  }
}

Status DecodeLogsRequestField(ProtoReader& r, const Field& field, LogsRequest* out) {
  if (field.number == 1) {
    return RepeatedMessageField<DecodeResourceLogsField>(r, field, "ResourceLogs",
                                                         &out->resource_logs);
  }
  return r.Skip(field);
}

// ---- trace.v1 ------------------------------------------------------------------------------

Status DecodeSpanEventField(ProtoReader& r, const Field& field, SpanEvent* out) {
  switch (field.number) {
    case 1: return Fixed64Field(r, field, &out->time_unix_nano);
    case 2: return StringField(r, field, &out->name);
    case 3: return KeyValuesField(r, field, &out->attributes);
    case 4: return Uint32Field(r, field, &out->dropped_attributes_count);
    default: return r.Skip(field);
  }
}

Status DecodeSpanLinkField(ProtoReader& r, const Field& field, SpanLink* out) {
  switch (field.number) {
    case 1: return BytesField(r, field, &out->trace_id.bytes);
    case 2: return BytesField(r, field, &out->span_id.bytes);
    case 3: return StringField(r, field, &out->trace_state);
    case 4: return KeyValuesField(r, field, &out->attributes);
    case 5: return Uint32Field(r, field, &out->dropped_attributes_count);
    case 6: return Fixed32Field(r, field, &out->flags);
    default: return r.Skip(field);
  }
}

Status DecodeSpanStatusField(ProtoReader& r, const Field& field, SpanStatus* out) {
  switch (field.number) {
    case 2: return StringField(r, field, &out->message);
    case 3: return Int32Field(r, field, &out->code);
    default: return r.Skip(field);
  }
}

// Span's message-typed fields, kept apart so that DecodeSpanField stays short.
Status DecodeSpanMessageField(ProtoReader& r, const Field& field, Span* out) {
  switch (field.number) {
    case 9: return KeyValuesField(r, field, &out->attributes);
    case 11: return RepeatedMessageField<DecodeSpanEventField>(r, field, "Event", &out->events);
    case 13: return RepeatedMessageField<DecodeSpanLinkField>(r, field, "Link", &out->links);
    case 15:
      if (field.type != WireType::kLen) break;
      out->has_status = true;  // absent status means UNSET; present-but-empty is also UNSET
      return MessageField<DecodeSpanStatusField>(r, field, "Status", &out->status);
    default: break;
  }
  return r.Skip(field);
}

Status DecodeSpanField(ProtoReader& r, const Field& field, Span* out) {
  switch (field.number) {
    case 1: return BytesField(r, field, &out->trace_id.bytes);
    case 2: return BytesField(r, field, &out->span_id.bytes);
    case 3: return StringField(r, field, &out->trace_state);
    case 4: return BytesField(r, field, &out->parent_span_id.bytes);
    case 5: return StringField(r, field, &out->name);
    case 6: return Int32Field(r, field, &out->kind);
    case 7: return Fixed64Field(r, field, &out->start_time_unix_nano);
    case 8: return Fixed64Field(r, field, &out->end_time_unix_nano);
    case 10: return Uint32Field(r, field, &out->dropped_attributes_count);
    case 12: return Uint32Field(r, field, &out->dropped_events_count);
    case 14: return Uint32Field(r, field, &out->dropped_links_count);
    case 16: return Fixed32Field(r, field, &out->flags);
    default: return DecodeSpanMessageField(r, field, out);
  }
}

Status DecodeScopeSpansField(ProtoReader& r, const Field& field, ScopeSpans* out) {
  switch (field.number) {
    case 1: return ScopeField(r, field, &out->scope);
    case 2: return RepeatedMessageField<DecodeSpanField>(r, field, "Span", &out->spans);
    case 3: return StringField(r, field, &out->schema_url);
    default: return r.Skip(field);
  }
}

Status DecodeResourceSpansField(ProtoReader& r, const Field& field, ResourceSpans* out) {
  switch (field.number) {
    case 1: return ResourceField(r, field, &out->resource);
    case 2:
      return RepeatedMessageField<DecodeScopeSpansField>(r, field, "ScopeSpans", &out->scope_spans);
    case 3: return StringField(r, field, &out->schema_url);
    default: return r.Skip(field);
  }
}

Status DecodeTracesRequestField(ProtoReader& r, const Field& field, TracesRequest* out) {
  if (field.number == 1) {
    return RepeatedMessageField<DecodeResourceSpansField>(r, field, "ResourceSpans",
                                                          &out->resource_spans);
  }
  return r.Skip(field);
}

}  // namespace

Status DecodeLogsProto(std::string_view body, Arena& arena, LogsRequest* out) {
  internal::DecodeBudget budget(body.size());
  ProtoReader reader(body, "ExportLogsServiceRequest", arena, budget);
  return DecodeFields<DecodeLogsRequestField>(reader, out);
}

Status DecodeTracesProto(std::string_view body, Arena& arena, TracesRequest* out) {
  internal::DecodeBudget budget(body.size());
  ProtoReader reader(body, "ExportTraceServiceRequest", arena, budget);
  return DecodeFields<DecodeTracesRequestField>(reader, out);
}

}  // namespace o2p::otlp
