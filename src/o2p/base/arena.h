// Arena: request-scoped storage for bytes that decoded views point into.
//
// Decoders return string_views into the request body where they can. When a value has to be
// rewritten (JSON escapes, base64 ids, UTF-8 repair), the new bytes are allocated here. All of
// it is freed at once when the Arena is destroyed, so an Arena must outlive every view into it.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace o2p {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) = default;
  Arena& operator=(Arena&&) = default;

  /// Returns `n` bytes, uninitialized, aligned to 8 bytes. The pointer stays valid for the
  /// Arena's lifetime.
  char* Allocate(size_t n);

  /// Copies `bytes` into the arena and returns a view of the copy.
  std::string_view Copy(std::string_view bytes);

  /// Bytes handed out plus unused tail of the current block.
  size_t MemoryUsage() const { return memory_usage_; }

 private:
  static constexpr size_t kBlockSize = 64 * 1024;
  char* AllocateNewBlock(size_t n);

  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t memory_usage_ = 0;
};

}  // namespace o2p
