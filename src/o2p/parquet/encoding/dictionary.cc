#include "o2p/parquet/encoding/dictionary.h"

#include <cstring>

#include "o2p/base/coding.h"

namespace o2p::parquet {

namespace {

// 64x64 -> 128-bit multiply, folded: the mixing step of the wyhash family (public domain),
// which hashes short strings in a handful of cycles.
__extension__ using Uint128 = unsigned __int128;

inline uint64_t MulFold(uint64_t a, uint64_t b) {
  const Uint128 r = static_cast<Uint128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

constexpr uint64_t kSecret0 = 0xa0761d6478bd642fULL;
constexpr uint64_t kSecret1 = 0xe7037ed1a0b428dbULL;

}  // namespace

uint64_t HashBytes(std::string_view bytes) {
  const char* p = bytes.data();
  const size_t n = bytes.size();
  uint64_t seed = kSecret0 ^ n;
  uint64_t a = 0;
  uint64_t b = 0;
  if (n <= 16) {
    if (n >= 4) {
      // Two overlapping 4-byte reads from each end cover 4..16 bytes without a loop.
      const size_t mid = (n >> 3) << 2;
      a = (Load32(p) << 32) | Load32(p + mid);
      b = (Load32(p + n - 4) << 32) | Load32(p + n - 4 - mid);
    } else if (n > 0) {
      a = (static_cast<uint64_t>(static_cast<uint8_t>(p[0])) << 16) |
          (static_cast<uint64_t>(static_cast<uint8_t>(p[n >> 1])) << 8) |
          static_cast<uint8_t>(p[n - 1]);
    }
  } else {
    size_t left = n;
    while (left > 16) {
      seed = MulFold(DecodeFixed64(p) ^ kSecret1, DecodeFixed64(p + 8) ^ seed);
      p += 16;
      left -= 16;
    }
    a = DecodeFixed64(p + left - 16);
    b = DecodeFixed64(p + left - 8);
  }
  return MulFold(kSecret1 ^ n, MulFold(a ^ kSecret1, b ^ seed));
}

uint32_t ByteArrayDictionary::GetOrInsert(std::string_view value) {
  // Columns such as ServiceName or ScopeName repeat the previous row's value most of the time:
  // one comparison then saves the hash and the probe.
  if (size() > 0 && entry(last_) == value) return last_;
  last_ = Lookup(value);
  return last_;
}

uint32_t ByteArrayDictionary::Lookup(std::string_view value) {
  const auto hash = static_cast<uint32_t>(HashBytes(value));
  size_t slot = hash & mask_;
  while (true) {
    const uint64_t stored = slots_[slot];
    if (stored == 0) break;
    const auto i = static_cast<uint32_t>(stored) - 1;
    if (static_cast<uint32_t>(stored >> 32) == hash && entry(i) == value) return i;
    slot = (slot + 1) & mask_;
  }
  const auto index = static_cast<uint32_t>(size());
  data_.append(value);
  offsets_.push_back(static_cast<uint32_t>(data_.size()));
  slots_[slot] = Slot(hash, index);
  if (size() * 2 > slots_.size()) Grow();
  return index;
}

void ByteArrayDictionary::Grow() {
  std::vector<uint64_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (uint64_t stored : old) {
    if (stored == 0) continue;
    size_t slot = (stored >> 32) & mask_;  // the stored hash bits pick the new slot
    while (slots_[slot] != 0) slot = (slot + 1) & mask_;
    slots_[slot] = stored;
  }
}

void ByteArrayDictionary::AppendPlain(std::string* out) const {
  out->reserve(out->size() + plain_bytes());
  for (size_t i = 0; i < size(); ++i) {
    const std::string_view v = entry(i);
    PutFixed32(out, static_cast<uint32_t>(v.size()));
    out->append(v);
  }
}

void ByteArrayDictionary::Clear() {
  data_.clear();
  offsets_.assign(1, 0);
  last_ = 0;
  slots_.assign(kInitialSlots, 0);
  mask_ = kInitialSlots - 1;
}

}  // namespace o2p::parquet
