// One call from request bytes to table batches: decode (by encoding) then convert.
//
// This is what every front door (HTTP, gRPC, Lambda, convert, the demo) calls after it has
// undone the Content-Encoding (decompress.h). The request is decoded into model structs that
// live only for the call; the resulting rows are appended to `out`.
//
//   TableBatches batches;
//   Result<ConvertStats> stats = DecodeAndConvert(Signal::kLogs, Encoding::kJson, body, {}, &batches);
//   if (!stats) -> 400 with stats.error().message()
//   else if (stats->accepted == 0 && stats->rejected > 0) -> 400 with stats->first_rejection
#pragma once

#include <string_view>

#include "o2p/base/result.h"
#include "o2p/otlp/convert.h"
#include "o2p/otlp/signal.h"

namespace o2p::otlp {

/// Decodes `body` as an export request of `signal` in `encoding` and appends its rows to `out`.
/// A malformed body is an INVALID_ARGUMENT error and appends nothing.
Result<ConvertStats> DecodeAndConvert(Signal signal, Encoding encoding, std::string_view body,
                                      const ConvertOptions& options, TableBatches* out);

/// Guesses the signal of an OTLP/JSON document from its first top-level key
/// ("resourceLogs"/"resource_logs", ...); nullopt when none is found near the start.
std::optional<Signal> SniffJsonSignal(std::string_view body);

}  // namespace o2p::otlp
