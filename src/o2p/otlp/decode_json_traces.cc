// OTLP/JSON decoding of trace.v1: ResourceSpans, ScopeSpans, Span, Span.Event, Span.Link,
// Status. See internal/decode_json_common.h for the conventions.
#include "o2p/otlp/internal/decode_json_common.h"

namespace o2p::otlp::internal {
namespace {

// trace.v1.Span.SpanKind and trace.v1.Status.StatusCode, by name.
constexpr KeyTable kSpanKindNames({
    {"SPAN_KIND_UNSPECIFIED", 0},
    {"SPAN_KIND_INTERNAL", 1},
    {"SPAN_KIND_SERVER", 2},
    {"SPAN_KIND_CLIENT", 3},
    {"SPAN_KIND_PRODUCER", 4},
    {"SPAN_KIND_CONSUMER", 5},
});
constexpr KeyTable kStatusCodeNames({
    {"STATUS_CODE_UNSET", 0},
    {"STATUS_CODE_OK", 1},
    {"STATUS_CODE_ERROR", 2},
});

// One table for Span, Span.Event, Span.Link and Status: each decoder picks its own fields and
// skips the others, as it would any unknown key.
enum SpanField : int {
  kTraceId,
  kSpanId,
  kTraceState,
  kParentSpanId,
  kFlags,
  kName,
  kKind,
  kStartTimeUnixNano,
  kEndTimeUnixNano,
  kTimeUnixNano,
  kAttributes,
  kDroppedAttributesCount,
  kEvents,
  kDroppedEventsCount,
  kLinks,
  kDroppedLinksCount,
  kStatus,
  kMessage,
  kCode,
};
constexpr KeyTable kSpanKeys({
    {"traceId", kTraceId},
    {"trace_id", kTraceId},
    {"spanId", kSpanId},
    {"span_id", kSpanId},
    {"traceState", kTraceState},
    {"trace_state", kTraceState},
    {"parentSpanId", kParentSpanId},
    {"parent_span_id", kParentSpanId},
    {"flags", kFlags},
    {"name", kName},
    {"kind", kKind},
    {"startTimeUnixNano", kStartTimeUnixNano},
    {"start_time_unix_nano", kStartTimeUnixNano},
    {"endTimeUnixNano", kEndTimeUnixNano},
    {"end_time_unix_nano", kEndTimeUnixNano},
    {"timeUnixNano", kTimeUnixNano},
    {"time_unix_nano", kTimeUnixNano},
    {"attributes", kAttributes},
    {"droppedAttributesCount", kDroppedAttributesCount},
    {"dropped_attributes_count", kDroppedAttributesCount},
    {"events", kEvents},
    {"droppedEventsCount", kDroppedEventsCount},
    {"dropped_events_count", kDroppedEventsCount},
    {"links", kLinks},
    {"droppedLinksCount", kDroppedLinksCount},
    {"dropped_links_count", kDroppedLinksCount},
    {"status", kStatus},
    {"message", kMessage},
    {"code", kCode},
});

enum EnvelopeField : int { kResource, kScope, kChildren, kSchemaUrl };
constexpr KeyTable kResourceSpansKeys({
    {"resource", kResource},
    {"scopeSpans", kChildren},
    {"scope_spans", kChildren},
    {"schemaUrl", kSchemaUrl},
    {"schema_url", kSchemaUrl},
});
constexpr KeyTable kScopeSpansKeys({
    {"scope", kScope},
    {"spans", kChildren},
    {"schemaUrl", kSchemaUrl},
    {"schema_url", kSchemaUrl},
});
constexpr KeyTable kTracesRequestKeys({{"resourceSpans", 0}, {"resource_spans", 0}});

Status DecodeEvent(DecodeContext& c, JsonValue v, SpanEvent* out) {
  return ForEachField(c, v, kSpanKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kTimeUnixNano: return ReadUint64(c, key, value, &out->time_unix_nano);
      case kName: return ReadString(c, key, value, &out->name);
      case kAttributes: return DecodeAttributes(c, key, value, &out->attributes);
      case kDroppedAttributesCount:
        return ReadUint32(c, key, value, &out->dropped_attributes_count);
      default: return Status::Ok();
    }
  });
}

Status DecodeLink(DecodeContext& c, JsonValue v, SpanLink* out) {
  return ForEachField(c, v, kSpanKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kTraceId: return ReadId(c, key, value, kTraceIdSpec, &out->trace_id);
      case kSpanId: return ReadId(c, key, value, kSpanIdSpec, &out->span_id);
      case kTraceState: return ReadString(c, key, value, &out->trace_state);
      case kAttributes: return DecodeAttributes(c, key, value, &out->attributes);
      case kDroppedAttributesCount:
        return ReadUint32(c, key, value, &out->dropped_attributes_count);
      case kFlags: return ReadUint32(c, key, value, &out->flags);
      default: return Status::Ok();
    }
  });
}

Status DecodeStatus(DecodeContext& c, std::string_view key, JsonValue v, Span* out) {
  PathScope scope(c, key);
  out->has_status = true;
  out->status = SpanStatus{};
  return ForEachField(c, v, kSpanKeys, [&](int field, std::string_view k, JsonValue value) {
    switch (field) {
      case kMessage: return ReadString(c, k, value, &out->status.message);
      case kCode: return ReadEnum(c, k, value, kStatusCodeNames, &out->status.code);
      default: return Status::Ok();
    }
  });
}

// The fields of Span that hold other messages.
Status DecodeSpanChild(DecodeContext& c, int field, std::string_view key, JsonValue v, Span* out) {
  switch (field) {
    case kAttributes: return DecodeAttributes(c, key, v, &out->attributes);
    case kEvents:
      return DecodeRepeated(c, key, v, &out->events, [&c](JsonValue e, SpanEvent* event) {
        return DecodeEvent(c, e, event);
      });
    case kLinks:
      return DecodeRepeated(c, key, v, &out->links,
                            [&c](JsonValue e, SpanLink* link) { return DecodeLink(c, e, link); });
    case kStatus: return DecodeStatus(c, key, v, out);
    default: return Status::Ok();
  }
}

Status DecodeSpan(DecodeContext& c, JsonValue v, Span* out) {
  return ForEachField(c, v, kSpanKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kTraceId: return ReadId(c, key, value, kTraceIdSpec, &out->trace_id);
      case kSpanId: return ReadId(c, key, value, kSpanIdSpec, &out->span_id);
      case kTraceState: return ReadString(c, key, value, &out->trace_state);
      case kParentSpanId: return ReadId(c, key, value, kParentSpanIdSpec, &out->parent_span_id);
      case kFlags: return ReadUint32(c, key, value, &out->flags);
      case kName: return ReadString(c, key, value, &out->name);
      case kKind: return ReadEnum(c, key, value, kSpanKindNames, &out->kind);
      case kStartTimeUnixNano: return ReadUint64(c, key, value, &out->start_time_unix_nano);
      case kEndTimeUnixNano: return ReadUint64(c, key, value, &out->end_time_unix_nano);
      case kDroppedAttributesCount:
        return ReadUint32(c, key, value, &out->dropped_attributes_count);
      case kDroppedEventsCount: return ReadUint32(c, key, value, &out->dropped_events_count);
      case kDroppedLinksCount: return ReadUint32(c, key, value, &out->dropped_links_count);
      default: return DecodeSpanChild(c, field, key, value, out);
    }
  });
}

Status DecodeScopeSpans(DecodeContext& c, JsonValue v, ScopeSpans* out) {
  return ForEachField(c, v, kScopeSpansKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kScope: return DecodeScope(c, key, value, &out->scope);
      case kChildren:
        return DecodeRepeated(c, key, value, &out->spans,
                              [&c](JsonValue e, Span* span) { return DecodeSpan(c, e, span); });
      default: return ReadString(c, key, value, &out->schema_url);
    }
  });
}

Status DecodeResourceSpans(DecodeContext& c, JsonValue v, ResourceSpans* out) {
  return ForEachField(
      c, v, kResourceSpansKeys, [&](int field, std::string_view key, JsonValue value) {
        switch (field) {
          case kResource: return DecodeResource(c, key, value, &out->resource);
          case kChildren:
            return DecodeRepeated(
                c, key, value, &out->scope_spans,
                [&c](JsonValue e, ScopeSpans* s) { return DecodeScopeSpans(c, e, s); });
          default: return ReadString(c, key, value, &out->schema_url);
        }
      });
}

}  // namespace

Status DecodeTracesDocument(DecodeContext& c, JsonValue root, TracesRequest* out) {
  const size_t keep = out->resource_spans.size();  // earlier lines of a JSON Lines body
  return ForEachField(c, root, kTracesRequestKeys, [&](int, std::string_view key, JsonValue value) {
    return DecodeRepeated(
        c, key, value, &out->resource_spans,
        [&c](JsonValue e, ResourceSpans* r) { return DecodeResourceSpans(c, e, r); }, keep);
  });
}

}  // namespace o2p::otlp::internal
