// OTLP/JSON and JSON Lines entry points, and the logs signal. Traces and metrics live in
// decode_json_traces.cc and decode_json_metrics.cc; shared parts in decode_json_common.cc.
#include "o2p/otlp/decode_json.h"

#include <string>

#include "o2p/otlp/internal/decode_json_common.h"
#include "o2p/otlp/internal/json_parser.h"

namespace o2p::otlp {
namespace internal {
namespace {

// logs.v1.SeverityNumber, by name.
constexpr KeyTable kSeverityNumberNames({
    {"SEVERITY_NUMBER_UNSPECIFIED", 0}, {"SEVERITY_NUMBER_TRACE", 1},
    {"SEVERITY_NUMBER_TRACE2", 2},      {"SEVERITY_NUMBER_TRACE3", 3},
    {"SEVERITY_NUMBER_TRACE4", 4},      {"SEVERITY_NUMBER_DEBUG", 5},
    {"SEVERITY_NUMBER_DEBUG2", 6},      {"SEVERITY_NUMBER_DEBUG3", 7},
    {"SEVERITY_NUMBER_DEBUG4", 8},      {"SEVERITY_NUMBER_INFO", 9},
    {"SEVERITY_NUMBER_INFO2", 10},      {"SEVERITY_NUMBER_INFO3", 11},
    {"SEVERITY_NUMBER_INFO4", 12},      {"SEVERITY_NUMBER_WARN", 13},
    {"SEVERITY_NUMBER_WARN2", 14},      {"SEVERITY_NUMBER_WARN3", 15},
    {"SEVERITY_NUMBER_WARN4", 16},      {"SEVERITY_NUMBER_ERROR", 17},
    {"SEVERITY_NUMBER_ERROR2", 18},     {"SEVERITY_NUMBER_ERROR3", 19},
    {"SEVERITY_NUMBER_ERROR4", 20},     {"SEVERITY_NUMBER_FATAL", 21},
    {"SEVERITY_NUMBER_FATAL2", 22},     {"SEVERITY_NUMBER_FATAL3", 23},
    {"SEVERITY_NUMBER_FATAL4", 24},
});

enum LogRecordField : int {
  kTimeUnixNano,
  kObservedTimeUnixNano,
  kSeverityNumber,
  kSeverityText,
  kBody,
  kAttributes,
  kDroppedAttributesCount,
  kFlags,
  kTraceId,
  kSpanId,
  kEventName,
};
constexpr KeyTable kLogRecordKeys({
    {"timeUnixNano", kTimeUnixNano},
    {"time_unix_nano", kTimeUnixNano},
    {"observedTimeUnixNano", kObservedTimeUnixNano},
    {"observed_time_unix_nano", kObservedTimeUnixNano},
    {"severityNumber", kSeverityNumber},
    {"severity_number", kSeverityNumber},
    {"severityText", kSeverityText},
    {"severity_text", kSeverityText},
    {"body", kBody},
    {"attributes", kAttributes},
    {"droppedAttributesCount", kDroppedAttributesCount},
    {"dropped_attributes_count", kDroppedAttributesCount},
    {"flags", kFlags},
    {"traceId", kTraceId},
    {"trace_id", kTraceId},
    {"spanId", kSpanId},
    {"span_id", kSpanId},
    {"eventName", kEventName},
    {"event_name", kEventName},
});

// ResourceLogs and ScopeLogs share one table: {resource | scope}, the child array, schemaUrl.
enum EnvelopeField : int { kResource, kScope, kChildren, kSchemaUrl };
constexpr KeyTable kResourceLogsKeys({
    {"resource", kResource},
    {"scopeLogs", kChildren},
    {"scope_logs", kChildren},
    {"schemaUrl", kSchemaUrl},
    {"schema_url", kSchemaUrl},
});
constexpr KeyTable kScopeLogsKeys({
    {"scope", kScope},
    {"logRecords", kChildren},
    {"log_records", kChildren},
    {"schemaUrl", kSchemaUrl},
    {"schema_url", kSchemaUrl},
});
constexpr KeyTable kLogsRequestKeys({{"resourceLogs", 0}, {"resource_logs", 0}});

Status DecodeLogBody(DecodeContext& c, std::string_view key, JsonValue v, LogRecord* out) {
  PathScope scope(c, key);
  out->has_body = true;
  out->body = AnyValue{};
  return DecodeAnyValue(c, v, &out->body);
}

Status DecodeLogRecord(DecodeContext& c, JsonValue v, LogRecord* out) {
  return ForEachField(c, v, kLogRecordKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kTimeUnixNano: return ReadUint64(c, key, value, &out->time_unix_nano);
      case kObservedTimeUnixNano: return ReadUint64(c, key, value, &out->observed_time_unix_nano);
      case kSeverityNumber:
        return ReadEnum(c, key, value, kSeverityNumberNames, &out->severity_number);
      case kSeverityText: return ReadString(c, key, value, &out->severity_text);
      case kBody: return DecodeLogBody(c, key, value, out);
      case kAttributes: return DecodeAttributes(c, key, value, &out->attributes);
      case kDroppedAttributesCount:
        return ReadUint32(c, key, value, &out->dropped_attributes_count);
      case kFlags: return ReadUint32(c, key, value, &out->flags);
      case kTraceId: return ReadId(c, key, value, kTraceIdSpec, &out->trace_id);
      case kSpanId: return ReadId(c, key, value, kSpanIdSpec, &out->span_id);
      default: return ReadString(c, key, value, &out->event_name);
    }
  });
}

Status DecodeScopeLogs(DecodeContext& c, JsonValue v, ScopeLogs* out) {
  return ForEachField(c, v, kScopeLogsKeys, [&](int field, std::string_view key, JsonValue value) {
    switch (field) {
      case kScope: return DecodeScope(c, key, value, &out->scope);
      case kChildren:
        return DecodeRepeated(c, key, value, &out->log_records,
                              [&c](JsonValue e, LogRecord* r) { return DecodeLogRecord(c, e, r); });
      default: return ReadString(c, key, value, &out->schema_url);
    }
  });
}

Status DecodeResourceLogs(DecodeContext& c, JsonValue v, ResourceLogs* out) {
  return ForEachField(
      c, v, kResourceLogsKeys, [&](int field, std::string_view key, JsonValue value) {
        switch (field) {
          case kResource: return DecodeResource(c, key, value, &out->resource);
          case kChildren:
            return DecodeRepeated(c, key, value, &out->scope_logs, [&c](JsonValue e, ScopeLogs* s) {
              return DecodeScopeLogs(c, e, s);
            });
          default: return ReadString(c, key, value, &out->schema_url);
        }
      });
}

// A signal's request decoder: DecodeLogsDocument, DecodeTracesDocument, DecodeMetricsDocument.
template <typename Request>
using DocumentDecoder = Status (*)(DecodeContext&, JsonValue, Request*);

// Parses `body` as one JSON document and decodes it as one request.
template <typename Request>
Status DecodeDocument(std::string_view body, Arena& arena, DocumentDecoder<Request> decode,
                      Request* out) {
  JsonDocument document;
  O2P_RETURN_IF_ERROR(document.Parse(body, arena));
  DecodeBudget budget(body.size());
  DecodeContext context(arena, budget);
  return decode(context, document.root(), out);
}

bool IsBlank(std::string_view line) {
  for (const char ch : line) {
    if (ch != ' ' && ch != '\t' && ch != '\r') return false;
  }
  return true;
}

// JSON Lines: one document per '\n'-terminated line ("\r\n" too); blank lines are skipped.
// JSON strings cannot hold a raw newline, so splitting before parsing is safe.
template <typename Request>
Status DecodeLines(std::string_view body, Arena& arena, DocumentDecoder<Request> decode,
                   Request* out) {
  JsonDocument document;  // reused: its node buffer keeps its capacity
  DecodeBudget budget(body.size());  // one budget for all lines: they fill one request
  DecodeContext context(arena, budget);
  size_t line_number = 0;
  while (!body.empty()) {
    ++line_number;
    const size_t newline = body.find('\n');
    std::string_view line = body.substr(0, newline);
    body = newline == std::string_view::npos ? std::string_view{} : body.substr(newline + 1);
    if (IsBlank(line)) continue;
    if (line.back() == '\r') line.remove_suffix(1);
    Status status = document.Parse(line, arena);
    if (status.ok()) status = decode(context, document.root(), out);
    if (!status.ok()) return status.WithPrefix("line " + std::to_string(line_number));
  }
  return Status::Ok();
}

}  // namespace

Status DecodeLogsDocument(DecodeContext& c, JsonValue root, LogsRequest* out) {
  const size_t keep = out->resource_logs.size();  // earlier lines of a JSON Lines body
  return ForEachField(c, root, kLogsRequestKeys, [&](int, std::string_view key, JsonValue value) {
    return DecodeRepeated(
        c, key, value, &out->resource_logs,
        [&c](JsonValue e, ResourceLogs* r) { return DecodeResourceLogs(c, e, r); }, keep);
  });
}

}  // namespace internal

Status DecodeLogsJson(std::string_view body, Arena& arena, LogsRequest* out) {
  return internal::DecodeDocument(body, arena, &internal::DecodeLogsDocument, out);
}
Status DecodeTracesJson(std::string_view body, Arena& arena, TracesRequest* out) {
  return internal::DecodeDocument(body, arena, &internal::DecodeTracesDocument, out);
}
Status DecodeMetricsJson(std::string_view body, Arena& arena, MetricsRequest* out) {
  return internal::DecodeDocument(body, arena, &internal::DecodeMetricsDocument, out);
}

Status DecodeLogsJsonLines(std::string_view body, Arena& arena, LogsRequest* out) {
  return internal::DecodeLines(body, arena, &internal::DecodeLogsDocument, out);
}
Status DecodeTracesJsonLines(std::string_view body, Arena& arena, TracesRequest* out) {
  return internal::DecodeLines(body, arena, &internal::DecodeTracesDocument, out);
}
Status DecodeMetricsJsonLines(std::string_view body, Arena& arena, MetricsRequest* out) {
  return internal::DecodeLines(body, arena, &internal::DecodeMetricsDocument, out);
}

}  // namespace o2p::otlp
