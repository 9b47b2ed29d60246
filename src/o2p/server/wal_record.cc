#include "o2p/server/wal_record.h"

#include "o2p/base/coding.h"

namespace o2p::server {
namespace {

constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderBytes = 3 + 8;

}  // namespace

std::string EncodeWalRecord(const WalRecord& record) {
  std::string out;
  out.reserve(kHeaderBytes + record.body.size());
  out.push_back(static_cast<char>(kVersion));
  out.push_back(static_cast<char>(record.signal));
  out.push_back(static_cast<char>(record.encoding));
  PutFixed64(&out, record.receive_time_unix_nano);
  out.append(record.body);
  return out;
}

Result<WalRecord> DecodeWalRecord(std::string_view bytes) {
  if (bytes.size() < kHeaderBytes) {
    return Status::InvalidArgument("WAL record of {} bytes is shorter than its header",
                                   bytes.size());
  }
  const auto version = static_cast<uint8_t>(bytes[0]);
  const auto signal = static_cast<uint8_t>(bytes[1]);
  const auto encoding = static_cast<uint8_t>(bytes[2]);
  if (version != kVersion)
    return Status::InvalidArgument("WAL record version {} is unknown", version);
  if (signal > static_cast<uint8_t>(otlp::Signal::kMetrics) ||
      encoding > static_cast<uint8_t>(otlp::Encoding::kJsonLines)) {
    return Status::InvalidArgument("WAL record has signal {} / encoding {}", signal, encoding);
  }
  WalRecord record;
  record.signal = static_cast<otlp::Signal>(signal);
  record.encoding = static_cast<otlp::Encoding>(encoding);
  record.receive_time_unix_nano = DecodeFixed64(bytes.data() + 3);
  record.body = bytes.substr(kHeaderBytes);
  return record;
}

}  // namespace o2p::server
