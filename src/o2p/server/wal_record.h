// What the server stores in the write-ahead log for one accepted request, and how replay reads
// it back. The body is kept as decoded input (after Content-Encoding, already validated), with
// the receive time, so a replay converts it to exactly the rows the first run buffered:
//
//   u8 version (1) | u8 signal | u8 encoding | fixed64 receive time (unix ns) | body
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "o2p/base/result.h"
#include "o2p/otlp/signal.h"

namespace o2p::server {

struct WalRecord {
  otlp::Signal signal = otlp::Signal::kLogs;
  otlp::Encoding encoding = otlp::Encoding::kProtobuf;
  uint64_t receive_time_unix_nano = 0;
  std::string_view body;
};

std::string EncodeWalRecord(const WalRecord& record);
/// INVALID_ARGUMENT for an unknown version, signal or encoding, or a short record.
Result<WalRecord> DecodeWalRecord(std::string_view bytes);

}  // namespace o2p::server
