// The RLE / bit-packing hybrid (Encodings.md, "Run Length Encoding / Bit-Packing Hybrid",
// Encoding RLE = 3): used for definition/repetition levels and for dictionary indices.
//
//   encoded-data   := run*
//   rle-run        := varint(count << 1)        value in ceil(bit_width / 8) LE bytes
//   bit-packed-run := varint(groups << 1 | 1)   groups * 8 values, bit_width bits each, packed
//                                               from the least significant bit of each byte
//
// Runs of 8 or more equal values become RLE runs; everything else is bit-packed in groups of
// eight. Only the very last group may be padded with zeros: readers stop after the number of
// values the page header (levels) or the non-null count (dictionary indices) gives them.
//
// The 4-byte length prefix that data page v1 puts before levels is not written here; see
// AppendLevels().
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace o2p::parquet {

/// Bits needed to represent `max_value` (0 for 0, 1 for 1, 2 for 2..3, ...).
int BitWidth(uint64_t max_value);

/// Appends the hybrid encoding of `values` at `bit_width` (0..32) to `out`.
/// REQUIRES: every value < 2^bit_width.
void EncodeRleBitPacked(std::span<const uint32_t> values, int bit_width, std::string* out);
void EncodeRleBitPacked(std::span<const int16_t> values, int bit_width, std::string* out);

/// Data page v1 levels: a 4-byte little-endian byte length, then the hybrid encoding of
/// `levels` at BitWidth(max_level).
void AppendLevels(std::span<const int16_t> levels, int16_t max_level, std::string* out);

}  // namespace o2p::parquet
