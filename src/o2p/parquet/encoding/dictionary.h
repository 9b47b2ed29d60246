// Dictionaries for RLE_DICTIONARY (Encodings.md "Dictionary Encoding"): each distinct value of a
// column chunk gets an index in first-seen order; data pages hold the indices, and one
// dictionary page (PLAIN-encoded entries) precedes them in the chunk.
//
// Both tables are open-addressing hash tables with linear probing over a power-of-two slot
// array, kept at most half full. Slots hold entry index + 1 (0 = empty); the string table
// also keeps 32 bits of the hash in the slot, so a probe compares bytes only on a likely hit
// and growing needs no rehash.
//
//   ByteArrayDictionary dict;
//   uint32_t idx = dict.GetOrInsert("GET");     // 0
//   dict.plain_bytes();                          // dictionary page body size so far
//   dict.AppendPlain(&page);                     // the dictionary page body
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace o2p::parquet {

/// murmur3's 64-bit finalizer: spreads the bits of a key over the whole word.
inline uint64_t MixHash(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/// Values of one fixed-width type (int32_t, int64_t or double). Doubles are keyed by their
/// bits, so -0.0 and +0.0 (and NaN payloads) stay distinct and round-trip exactly.
template <typename T>
class FixedDictionary {
 public:
  FixedDictionary() { Clear(); }

  uint32_t GetOrInsert(T value) {
    uint64_t key = 0;
    std::memcpy(&key, &value, sizeof(T));
    if (!keys_.empty() && keys_[last_] == key) return last_;  // runs of one value
    size_t slot = MixHash(key) & mask_;
    while (true) {
      const uint32_t entry = slots_[slot];
      if (entry == 0) break;
      if (keys_[entry - 1] == key) return last_ = entry - 1;
      slot = (slot + 1) & mask_;
    }
    const auto index = static_cast<uint32_t>(values_.size());
    values_.push_back(value);
    keys_.push_back(key);
    slots_[slot] = index + 1;
    if (values_.size() * 2 > slots_.size()) Grow();
    return last_ = index;
  }

  size_t size() const { return values_.size(); }
  size_t plain_bytes() const { return values_.size() * sizeof(T); }
  const std::vector<T>& values() const { return values_; }

  void AppendPlain(std::string* out) const {
    out->append(reinterpret_cast<const char*>(values_.data()), values_.size() * sizeof(T));
  }

  void Clear() {
    values_.clear();
    keys_.clear();
    last_ = 0;
    slots_.assign(kInitialSlots, 0);
    mask_ = kInitialSlots - 1;
  }

 private:
  static constexpr size_t kInitialSlots = 1024;

  void Grow() {
    slots_.assign(slots_.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (size_t i = 0; i < keys_.size(); ++i) {
      size_t slot = MixHash(keys_[i]) & mask_;
      while (slots_[slot] != 0) slot = (slot + 1) & mask_;
      slots_[slot] = static_cast<uint32_t>(i + 1);
    }
  }

  std::vector<T> values_;
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> slots_;
  size_t mask_ = 0;
  uint32_t last_ = 0;  // index returned by the previous call
};

/// Strings (BYTE_ARRAY). Entry bytes are copied into one buffer, so the dictionary does not
/// depend on the batches it was built from.
class ByteArrayDictionary {
 public:
  ByteArrayDictionary() { Clear(); }

  uint32_t GetOrInsert(std::string_view value);

  size_t size() const { return offsets_.size() - 1; }
  /// Size of the PLAIN dictionary page body: 4-byte length + bytes per entry.
  size_t plain_bytes() const { return data_.size() + 4 * size(); }
  std::string_view entry(size_t i) const {
    return std::string_view(data_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }

  void AppendPlain(std::string* out) const;
  void Clear();

 private:
  static constexpr size_t kInitialSlots = 1024;

  static uint64_t Slot(uint32_t hash, uint32_t index) {
    return (static_cast<uint64_t>(hash) << 32) | (index + 1);
  }
  uint32_t Lookup(std::string_view value);
  void Grow();

  std::string data_;
  std::vector<uint32_t> offsets_;  // size() + 1 entries into data_
  std::vector<uint64_t> slots_;    // hash << 32 | (index + 1); 0 = empty
  size_t mask_ = 0;
  uint32_t last_ = 0;  // index returned by the previous call
};

/// A fast 64-bit hash of a byte string (16 bytes per step; not for untrusted-key tables,
/// which is fine: a dictionary's worst case is only slower, never wrong).
uint64_t HashBytes(std::string_view bytes);

}  // namespace o2p::parquet
