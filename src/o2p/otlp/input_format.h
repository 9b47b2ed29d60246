// How an OTLP file on disk is encoded, told by its name (used by `inspect` and `convert`).
//
//   logs.pb, x.binpb          -> protobuf        *.json -> OTLP/JSON
//   *.jsonl, *.ndjson         -> JSON Lines      a trailing .gz / .zst adds that compression
// The signal comes from the file name (it contains "logs", "traces"/"spans" or "metrics");
// for JSON, SniffJsonSignal on the content can tell it instead.
#pragma once

#include <optional>
#include <string_view>

#include "o2p/base/result.h"
#include "o2p/otlp/signal.h"

namespace o2p::otlp {

struct InputFormat {
  Encoding encoding = Encoding::kProtobuf;
  Compression compression = Compression::kNone;
  std::optional<Signal> signal;  // from the name; nullopt when the name does not say
};

/// Reads the encoding, compression and signal from a file name; an unknown extension is an
/// INVALID_ARGUMENT error that lists the accepted ones.
Result<InputFormat> InputFormatFromPath(std::string_view path);

}  // namespace o2p::otlp
