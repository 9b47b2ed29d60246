// Protobuf wire-format decoders for the three OTLP export requests.
//
// A hand-written decoder (no generated code) that reads the body once, straight into the
// structs of model.h, so that errors can name the byte offset where the body went wrong and
// invalid UTF-8 is repaired instead of failing the request. Rules (protobuf encoding spec):
//   - unknown fields, and known fields sent with an unexpected wire type, are skipped
//     (groups included), as libprotobuf does;
//   - repeated scalars are accepted packed and unpacked;
//   - for a repeated message field, each occurrence appends; for a singular message field,
//     later occurrences are merged into the earlier one; for scalars the last one wins;
//   - at most kMaxProtoDepth messages or groups nest below the request (libprotobuf's default
//     recursion limit, so both accept and reject the same bodies).
// Every error is INVALID_ARGUMENT with "protobuf: <what> at byte <offset>".
#pragma once

#include <string_view>

#include "o2p/base/arena.h"
#include "o2p/base/status.h"
#include "o2p/otlp/model.h"

namespace o2p::otlp {

inline constexpr int kMaxProtoDepth = 100;

/// Decodes an ExportLogsServiceRequest. `out` is appended to. Repaired strings go to `arena`.
/// On error `out` may hold part of the request and must be discarded.
Status DecodeLogsProto(std::string_view body, Arena& arena, LogsRequest* out);
Status DecodeTracesProto(std::string_view body, Arena& arena, TracesRequest* out);
Status DecodeMetricsProto(std::string_view body, Arena& arena, MetricsRequest* out);

}  // namespace o2p::otlp
