#include "o2p/base/arena.h"

#include <cstring>

namespace o2p {

char* Arena::Allocate(size_t n) {
  const size_t padded = (n + 7) & ~size_t{7};
  if (padded <= remaining_) {
    char* out = cursor_;
    cursor_ += padded;
    remaining_ -= padded;
    return out;
  }
  return AllocateNewBlock(padded);
}

char* Arena::AllocateNewBlock(size_t n) {
  // Large requests get a block of their own so the current block's tail is not wasted
  // (leveldb's Arena does the same above a quarter block).
  if (n > kBlockSize / 4) {
    blocks_.push_back(std::make_unique<char[]>(n));
    memory_usage_ += n;
    return blocks_.back().get();
  }
  blocks_.push_back(std::make_unique<char[]>(kBlockSize));
  memory_usage_ += kBlockSize;
  char* block = blocks_.back().get();
  cursor_ = block + n;
  remaining_ = kBlockSize - n;
  return block;
}

std::string_view Arena::Copy(std::string_view bytes) {
  if (bytes.empty()) return {};
  char* dst = Allocate(bytes.size());
  std::memcpy(dst, bytes.data(), bytes.size());
  return {dst, bytes.size()};
}

}  // namespace o2p
