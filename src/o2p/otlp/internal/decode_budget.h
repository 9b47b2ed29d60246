// DecodeBudget: bounds the memory a decoded request may take, relative to its body.
//
// A decoded struct is far larger than the bytes that produce it: an empty LogRecord is 2 bytes
// of protobuf (3 of JSON) but a 248-byte struct, so a 64 MiB body of empty records would need
// about 8 GiB. Decoders charge sizeof(T) for every element they append to a repeated message
// field (and JSON for every array element it reserves), and fail with RESOURCE_EXHAUSTED (413)
// once the total passes kBytesPerBodyByte x body + kSlackBytes. Real requests stay far below:
// a 300-byte log record with ten attributes decodes to about 1.3 KB (ratio ~5).
#pragma once

#include <cstddef>

#include "o2p/base/status.h"

namespace o2p::otlp::internal {

class DecodeBudget {
 public:
  static constexpr size_t kBytesPerBodyByte = 16;
  static constexpr size_t kSlackBytes = size_t{1} << 20;

  explicit DecodeBudget(size_t body_size)
      : body_size_(body_size), limit_(kBytesPerBodyByte * body_size + kSlackBytes) {}

  /// Charges `count` elements of `element_size` bytes; false once the limit is passed.
  bool Charge(size_t count, size_t element_size) {
    if (count > (limit_ - used_) / element_size) return false;
    used_ += count * element_size;
    return true;
  }

  Status Exhausted() const {
    return Status::ResourceExhausted(
        "decoded request would need more than {} bytes of memory ({} x the {}-byte body); "
        "send smaller requests",
        limit_, kBytesPerBodyByte, body_size_);
  }

 private:
  size_t body_size_;
  size_t limit_;
  size_t used_ = 0;
};

}  // namespace o2p::otlp::internal
