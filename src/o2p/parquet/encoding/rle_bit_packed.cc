#include "o2p/parquet/encoding/rle_bit_packed.h"

#include <algorithm>
#include <bit>
#include <cassert>

#include "o2p/base/coding.h"

namespace o2p::parquet {
namespace {

// A run of at least this many equal values is cheaper as an RLE run than bit-packed (the
// spec's groups of eight make eight the natural threshold, as Arrow and parquet-java use).
constexpr size_t kMinRleRun = 8;

template <typename T>
size_t RunLength(std::span<const T> values, size_t pos, size_t limit) {
  size_t end = pos + 1;
  const size_t stop = std::min(values.size(), pos + limit);
  while (end < stop && values[end] == values[pos]) ++end;
  return end - pos;
}

template <typename T>
void PutRleRun(T value, size_t count, int bit_width, std::string* out) {
  PutVarint64(out, static_cast<uint64_t>(count) << 1);
  const int value_bytes = (bit_width + 7) / 8;
  auto v = static_cast<uint32_t>(value);
  for (int i = 0; i < value_bytes; ++i) {
    out->push_back(static_cast<char>(v & 0xff));
    v >>= 8;
  }
}

// Packs values[begin, end) (padded with zeros to a multiple of 8) at bit_width bits each.
template <typename T>
void PutBitPackedRun(std::span<const T> values, size_t begin, size_t end, int bit_width,
                     std::string* out) {
  const size_t groups = (end - begin + 7) / 8;
  PutVarint64(out, (static_cast<uint64_t>(groups) << 1) | 1);
  uint64_t acc = 0;
  int bits = 0;
  for (size_t i = begin; i < begin + groups * 8; ++i) {
    const uint64_t v = i < end ? static_cast<uint32_t>(values[i]) : 0;
    acc |= v << bits;
    bits += bit_width;
    while (bits >= 8) {
      out->push_back(static_cast<char>(acc & 0xff));
      acc >>= 8;
      bits -= 8;
    }
  }
  // groups * 8 * bit_width is a whole number of bytes, so nothing is left in `acc`.
  assert(bits == 0);
}

template <typename T>
void Encode(std::span<const T> values, int bit_width, std::string* out) {
  assert(bit_width >= 0 && bit_width <= 32);
  size_t pos = 0;
  while (pos < values.size()) {
    const size_t run = RunLength(values, pos, values.size());
    if (run >= kMinRleRun || bit_width == 0) {
      PutRleRun(values[pos], run, bit_width, out);
      pos += run;
      continue;
    }
    // Bit-pack whole groups of eight until a group boundary starts a long run (or the data
    // ends). The value count of a bit-packed run must be a multiple of eight.
    const size_t begin = pos;
    do {
      pos = std::min(pos + 8, values.size());
    } while (pos < values.size() && RunLength(values, pos, kMinRleRun) < kMinRleRun);
    PutBitPackedRun(values, begin, pos, bit_width, out);
  }
}

}  // namespace

int BitWidth(uint64_t max_value) { return 64 - std::countl_zero(max_value); }

void EncodeRleBitPacked(std::span<const uint32_t> values, int bit_width, std::string* out) {
  Encode(values, bit_width, out);
}

void EncodeRleBitPacked(std::span<const int16_t> values, int bit_width, std::string* out) {
  Encode(values, bit_width, out);
}

void AppendLevels(std::span<const int16_t> levels, int16_t max_level, std::string* out) {
  const size_t length_pos = out->size();
  PutFixed32(out, 0);  // patched below
  Encode(levels, BitWidth(static_cast<uint64_t>(max_level)), out);
  EncodeFixed32(out->data() + length_pos, static_cast<uint32_t>(out->size() - length_pos - 4));
}

}  // namespace o2p::parquet
