// On-disk pieces of a WAL segment (the layout is documented in o2p/pipeline/wal.h) and the
// in-memory state shared by the writer (wal.cc) and the reader (wal_reader.cc).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "o2p/base/coding.h"
#include "o2p/base/crc32c.h"
#include "o2p/base/status.h"

namespace o2p::pipeline::internal {

// "\r\n" after the name catches a file mangled by text-mode line-ending conversion.
inline constexpr char kWalMagic[8] = {'O', '2', 'P', 'W', 'A', 'L', '\r', '\n'};
inline constexpr uint32_t kWalVersion = 1;
inline constexpr size_t kWalHeaderSize = 24;       // magic | version | id | crc
inline constexpr size_t kWalRecordHeaderSize = 8;  // length | crc

inline std::string EncodeSegmentHeader(uint64_t segment_id) {
  std::string out(kWalMagic, sizeof(kWalMagic));
  PutFixed32(&out, kWalVersion);
  PutFixed64(&out, segment_id);
  PutFixed32(&out, Crc32c(out));
  return out;
}

/// Checks a kWalHeaderSize-byte header; returns what is wrong, or "" and sets *segment_id.
inline std::string CheckSegmentHeader(const char* p, uint64_t* segment_id) {
  if (std::memcmp(p, kWalMagic, sizeof(kWalMagic)) != 0) return "bad magic: not a WAL segment";
  if (Crc32c(std::string_view(p, 20)) != DecodeFixed32(p + 20)) {
    return "segment header checksum mismatch";
  }
  const uint32_t version = DecodeFixed32(p + 8);
  if (version != kWalVersion) return "unsupported segment version " + std::to_string(version);
  *segment_id = DecodeFixed64(p + 12);
  return "";
}

/// The record checksum covers the length field too (see wal.h: zero-filled tails).
inline uint32_t RecordChecksum(const char* length_field, std::string_view payload) {
  return Crc32cExtend(Crc32c(std::string_view(length_field, 4)), payload);
}

inline void EncodeRecordHeader(char* dst, std::string_view payload) {
  EncodeFixed32(dst, static_cast<uint32_t>(payload.size()));
  EncodeFixed32(dst + 4, RecordChecksum(dst, payload));
}

// A commit group: the records appended to one segment between two leader hand-offs.
// Guarded by WriteAheadLog::mu_, except `data` while a leader owns it (moved out).
struct WalGroup {
  std::string data;  // framed records
  uint64_t records = 0;
  uint64_t file_offset = 0;  // where `data` landed; set when done and ok
  bool done = false;
  Status status;
};

// One open segment file. Fields change only under WriteAheadLog::mu_; a leader reads fd,
// durable and torn without it while in_flight, which keeps everyone else from changing them.
struct WalSegment {
  uint64_t id = 0;
  int fd = -1;
  uint64_t durable = kWalHeaderSize;  // file bytes known good (written, synced if fsync)
  uint64_t logical = kWalHeaderSize;  // durable + in flight + pending
  std::shared_ptr<WalGroup> pending;  // records not yet taken by a leader
  bool sealed = false;                // rotated away: no more records
  bool in_flight = false;             // a leader is writing or truncating it
  bool torn = false;                  // bytes past `durable` may exist: truncate first
};

}  // namespace o2p::pipeline::internal
