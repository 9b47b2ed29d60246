// Avro binary encoding (Avro 1.11 specification, "Binary Encoding"): the primitive writers
// used by the OCF and manifest writers, and a bounds-checked Decoder for the readers.
//
// Writing appends to a std::string used as a byte buffer:
//   std::string out;
//   PutLong(&out, -1);        // 01 (zigzag varint)
//   PutString(&out, "ab");    // 04 61 62 (length, then bytes)
//   PutBlockHeader(&out, 2);  // arrays and maps: count, items..., then PutBlockEnd(&out)
//
// Reading never trusts a length: every read is checked against the bytes left, and errors are
// InvalidArgument statuses that name the absolute byte offset where decoding failed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "o2p/base/result.h"

namespace o2p::iceberg::avro {

/// int and long share one encoding: zigzag, then an unsigned LEB128 varint.
void PutLong(std::string* out, int64_t value);
inline void PutInt(std::string* out, int32_t value) { PutLong(out, value); }
void PutBoolean(std::string* out, bool value);
/// IEEE 754, little-endian.
void PutFloat(std::string* out, float value);
void PutDouble(std::string* out, double value);
/// bytes and string: a long length, then the raw bytes.
void PutBytes(std::string* out, std::string_view value);
inline void PutString(std::string* out, std::string_view value) { PutBytes(out, value); }
/// A union value starts with the zero-based index of its branch in the union's schema.
inline void PutUnionBranch(std::string* out, int32_t branch) { PutLong(out, branch); }
/// Opens one array or map block of `count` items. REQUIRES: count > 0 (a zero count is the
/// end marker, written by PutBlockEnd).
inline void PutBlockHeader(std::string* out, int64_t count) { PutLong(out, count); }
inline void PutBlockEnd(std::string* out) { PutLong(out, 0); }

/// A read cursor over Avro binary data. `base_offset` is the position of `data` within the
/// enclosing file, so error messages point at file offsets.
class Decoder {
 public:
  explicit Decoder(std::string_view data, uint64_t base_offset = 0)
      : data_(data), base_offset_(base_offset) {}
  /// The decoder keeps a view, so decoding a temporary string would dangle.
  explicit Decoder(std::string&& data, uint64_t base_offset = 0) = delete;

  Result<int64_t> ReadLong();
  /// A long that must fit in 32 bits (Avro int).
  Result<int32_t> ReadInt();
  /// One byte that must be 0 or 1.
  Result<bool> ReadBoolean();
  Result<float> ReadFloat();
  Result<double> ReadDouble();
  /// A length-prefixed byte string; the view points into the decoder's data.
  Result<std::string_view> ReadBytes();
  /// Exactly `size` raw bytes (fixed, sync markers, magic).
  Result<std::string_view> ReadFixed(uint64_t size);
  /// The item count of the next array or map block, 0 at the end. A negative count is
  /// followed by the block's byte size (which lets readers skip blocks); it is validated
  /// against the bytes left and the absolute count is returned.
  Result<int64_t> ReadBlockCount();

  uint64_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  /// The absolute offset of the next unread byte.
  uint64_t offset() const { return base_offset_ + pos_; }

  /// InvalidArgument "avro: <what> at byte <offset>".
  Status Error(std::string_view what) const;

 private:
  std::string_view data_;
  uint64_t base_offset_ = 0;
  size_t pos_ = 0;
};

}  // namespace o2p::iceberg::avro
