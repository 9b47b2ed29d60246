// LastWins: which entries of a KeyValue list survive when a key repeats.
//
// schema.md ("Attribute values"): map keys are unique, the last occurrence of a key wins, and
// entries keep input order. Concretely, entry i is kept when no later entry has the same key,
// so every key stays at the position of its last occurrence:
//   [a=1, b=2, a=3]  ->  [b=2, a=3]
// Used for attribute maps (convert_common.cc) and for kvlist objects inside attribute-value
// JSON (any_value.cc), so both follow one rule.
//
//   LastWins filter;                 // reusable: keeps its scratch capacity
//   filter.Reset(kvs);
//   for (size_t i = 0; i < kvs.size(); ++i) if (filter.Keep(i)) ...
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "o2p/otlp/model.h"

namespace o2p::otlp::internal {

class LastWins {
 public:
  /// REQUIRES: `kvs` outlives the Keep() calls that follow.
  void Reset(const std::vector<KeyValue>& kvs) {
    kvs_ = &kvs;
    if (kvs.size() <= kSmall) return;
    // Long lists: sort positions by key (stable, so equal keys stay in input order) and keep
    // the last position of every run, in O(n log n) instead of the quadratic scan below.
    order_.resize(kvs.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<uint32_t>(i);
    std::stable_sort(order_.begin(), order_.end(),
                     [&kvs](uint32_t a, uint32_t b) { return kvs[a].key < kvs[b].key; });
    keep_.assign(kvs.size(), 0);
    for (size_t k = 0; k < order_.size(); ++k) {
      const bool last_of_run =
          k + 1 == order_.size() || kvs[order_[k + 1]].key != kvs[order_[k]].key;
      keep_[order_[k]] = last_of_run ? 1 : 0;
    }
  }

  /// True when entry `i` is the last one with its key. REQUIRES: Reset() was called.
  bool Keep(size_t i) const {
    const std::vector<KeyValue>& kvs = *kvs_;
    if (kvs.size() > kSmall) return keep_[i] != 0;
    for (size_t later = i + 1; later < kvs.size(); ++later) {
      if (kvs[later].key == kvs[i].key) return false;
    }
    return true;
  }

 private:
  // Up to this many entries a quadratic scan beats sorting (attributes are usually < 20).
  static constexpr size_t kSmall = 16;

  const std::vector<KeyValue>* kvs_ = nullptr;
  std::vector<uint32_t> order_;
  std::vector<uint8_t> keep_;
};

}  // namespace o2p::otlp::internal
