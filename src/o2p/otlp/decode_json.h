// OTLP/JSON and JSON Lines decoders for the three export requests.
//
// OTLP/JSON differs from proto3's JSON mapping (OTLP specification, "JSON Protobuf Encoding"):
//   - trace/span ids are hex strings (base64 of exactly 16 / 8 bytes is accepted too);
//   - enums are integers, and their names are accepted; an unknown name is an error;
//   - 64-bit integers may be JSON numbers or strings; doubles may be numbers or the strings
//     "NaN", "Infinity", "-Infinity";
//   - keys are lowerCamelCase, and the proto field names (snake_case) are accepted too;
//   - unknown keys are ignored; `bytesValue` is base64; null means "absent".
// JSON Lines: one export request per line, blank lines skipped; all lines are appended to `out`.
// Every error is INVALID_ARGUMENT and names where: "json: <what> at <path>" with a JSON path
// such as $.resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano, or the byte offset for
// syntax errors; JSON Lines errors start with "line <n>: ".
#pragma once

#include <string_view>

#include "o2p/base/arena.h"
#include "o2p/base/status.h"
#include "o2p/otlp/model.h"

namespace o2p::otlp {

/// Maximum nesting of JSON arrays/objects in a body; deeper input is rejected, not recursed.
inline constexpr int kMaxJsonDepth = 128;

/// `out` is appended to; on error it may hold part of the request and must be discarded.
Status DecodeLogsJson(std::string_view body, Arena& arena, LogsRequest* out);
Status DecodeTracesJson(std::string_view body, Arena& arena, TracesRequest* out);
Status DecodeMetricsJson(std::string_view body, Arena& arena, MetricsRequest* out);

Status DecodeLogsJsonLines(std::string_view body, Arena& arena, LogsRequest* out);
Status DecodeTracesJsonLines(std::string_view body, Arena& arena, TracesRequest* out);
Status DecodeMetricsJsonLines(std::string_view body, Arena& arena, MetricsRequest* out);

}  // namespace o2p::otlp
