#include "o2p/iceberg/avro/encoding.h"

#include <cstring>
#include <limits>

#include "o2p/base/coding.h"
#include "o2p/base/macros.h"

namespace o2p::iceberg::avro {

void PutLong(std::string* out, int64_t value) { PutVarint64(out, ZigZag64(value)); }

void PutBoolean(std::string* out, bool value) { out->push_back(value ? '\x01' : '\x00'); }

void PutFloat(std::string* out, float value) {
  uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof(bits));
  PutFixed32(out, bits);
}

void PutDouble(std::string* out, double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(bits));
  PutFixed64(out, bits);
}

void PutBytes(std::string* out, std::string_view value) {
  PutLong(out, static_cast<int64_t>(value.size()));
  out->append(value);
}

Status Decoder::Error(std::string_view what) const {
  return Status::InvalidArgument("avro: {} at byte {}", what, offset());
}

Result<int64_t> Decoder::ReadLong() {
  uint64_t encoded = 0;
  // A 64-bit varint has at most 10 bytes, and the 10th may only carry the top bit.
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) return Error("truncated varint");
    const auto byte = static_cast<uint8_t>(data_[pos_++]);
    if (shift == 63 && byte > 1) return Error("varint longer than 64 bits");
    encoded |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      // Undo zigzag: 0 -> 0, 1 -> -1, 2 -> 1, 3 -> -2 ...
      return static_cast<int64_t>((encoded >> 1) ^ (~(encoded & 1) + 1));
    }
  }
  return Error("varint longer than 64 bits");
}

Result<int32_t> Decoder::ReadInt() {
  const uint64_t start = offset();
  O2P_ASSIGN_OR_RETURN(int64_t value, ReadLong());
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    return Status::InvalidArgument("avro: int out of 32-bit range at byte {}", start);
  }
  return static_cast<int32_t>(value);
}

Result<bool> Decoder::ReadBoolean() {
  if (pos_ >= data_.size()) return Error("truncated boolean");
  const auto byte = static_cast<uint8_t>(data_[pos_]);
  if (byte > 1) return Error("boolean byte is neither 0 nor 1");
  ++pos_;
  return byte == 1;
}

Result<float> Decoder::ReadFloat() {
  O2P_ASSIGN_OR_RETURN(std::string_view raw, ReadFixed(sizeof(float)));
  const uint32_t bits = DecodeFixed32(raw.data());
  float value = 0;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

Result<double> Decoder::ReadDouble() {
  O2P_ASSIGN_OR_RETURN(std::string_view raw, ReadFixed(sizeof(double)));
  const uint64_t bits = DecodeFixed64(raw.data());
  double value = 0;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

Result<std::string_view> Decoder::ReadBytes() {
  const uint64_t start = offset();
  O2P_ASSIGN_OR_RETURN(int64_t length, ReadLong());
  if (length < 0) return Status::InvalidArgument("avro: negative length at byte {}", start);
  if (static_cast<uint64_t>(length) > remaining()) {
    return Status::InvalidArgument("avro: length {} exceeds the {} bytes left at byte {}", length,
                                   remaining(), start);
  }
  return ReadFixed(static_cast<uint64_t>(length));
}

Result<std::string_view> Decoder::ReadFixed(uint64_t size) {
  if (size > remaining()) return Error("truncated data");
  std::string_view out = data_.substr(pos_, static_cast<size_t>(size));
  pos_ += static_cast<size_t>(size);
  return out;
}

Result<int64_t> Decoder::ReadBlockCount() {
  const uint64_t start = offset();
  O2P_ASSIGN_OR_RETURN(int64_t count, ReadLong());
  if (count >= 0) return count;
  if (count == std::numeric_limits<int64_t>::min()) {
    return Status::InvalidArgument("avro: block count out of range at byte {}", start);
  }
  O2P_ASSIGN_OR_RETURN(int64_t byte_size, ReadLong());
  if (byte_size < 0 || static_cast<uint64_t>(byte_size) > remaining()) {
    return Status::InvalidArgument("avro: block byte size {} invalid with {} bytes left at byte {}",
                                   byte_size, remaining(), start);
  }
  return -count;
}

}  // namespace o2p::iceberg::avro
