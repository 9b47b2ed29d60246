// Byte-level coding helpers: little-endian fixed-width integers, unsigned LEB128 varints and
// zigzag, appended to a std::string used as a byte buffer (as leveldb's util/coding.h does).
//
// Users: the Thrift compact protocol writer (varints, zigzag), the Parquet encoders (LE fixed
// values, 4-byte length prefixes) and anything else that writes a binary format.
//
//   std::string out;
//   PutFixed32(&out, 7);              // 07 00 00 00
//   PutVarint64(&out, ZigZag64(-1));  // 01
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace o2p {

/// Stores `value` little-endian at `dst` (4 / 8 bytes). x86-64 and aarch64 are little-endian,
/// so a memcpy is the encoding; the static_assert keeps a big-endian port honest.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "coding.h assumes a little-endian host");

inline void EncodeFixed32(char* dst, uint32_t value) { std::memcpy(dst, &value, sizeof(value)); }
inline void EncodeFixed64(char* dst, uint64_t value) { std::memcpy(dst, &value, sizeof(value)); }

inline uint32_t DecodeFixed32(const char* src) {
  uint32_t value;
  std::memcpy(&value, src, sizeof(value));
  return value;
}
inline uint64_t DecodeFixed64(const char* src) {
  uint64_t value;
  std::memcpy(&value, src, sizeof(value));
  return value;
}

inline void PutFixed32(std::string* dst, uint32_t value) {
  char buf[sizeof(value)];
  EncodeFixed32(buf, value);
  dst->append(buf, sizeof(buf));
}
inline void PutFixed64(std::string* dst, uint64_t value) {
  char buf[sizeof(value)];
  EncodeFixed64(buf, value);
  dst->append(buf, sizeof(buf));
}

/// Writes the unsigned LEB128 form of `value` at `dst` and returns the byte count (1..10).
inline int EncodeVarint64(char* dst, uint64_t value) {
  int n = 0;
  while (value >= 0x80) {
    dst[n++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  dst[n++] = static_cast<char>(value);
  return n;
}

inline void PutVarint64(std::string* dst, uint64_t value) {
  char buf[10];
  dst->append(buf, static_cast<size_t>(EncodeVarint64(buf, value)));
}
inline void PutVarint32(std::string* dst, uint32_t value) { PutVarint64(dst, value); }

/// Bytes EncodeVarint64 would write for `value`.
inline int VarintLength(uint64_t value) {
  int n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

/// Zigzag folds signed into unsigned so small magnitudes get short varints:
/// 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3 ...
inline uint32_t ZigZag32(int32_t value) {
  return (static_cast<uint32_t>(value) << 1) ^ static_cast<uint32_t>(value >> 31);
}
inline uint64_t ZigZag64(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

}  // namespace o2p
