// LZ4_RAW (CompressionCodec 7): one LZ4 block, no frame and no size prefix (Compression.md;
// the older LZ4 = 5 had an ambiguous framing and is deprecated).
#include <memory>

#include <lz4.h>

#include "o2p/parquet/compression/codec.h"

namespace o2p::parquet {
namespace {

class Lz4RawCompressor final : public Compressor {
 public:
  // LZ4_stream_t is the public, properly aligned form of the state LZ4_sizeofState() sizes.
  Lz4RawCompressor() : state_(std::make_unique<LZ4_stream_t>()) {}

  format::CompressionCodec codec() const override { return format::CompressionCodec::kLz4Raw; }

  Result<std::string_view> Compress(std::string_view input) override {
    if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
      return Status::InvalidArgument("lz4: page of {} bytes is too large", input.size());
    }
    const int input_size = static_cast<int>(input.size());
    buffer_.resize(static_cast<size_t>(LZ4_compressBound(input_size)));
    // The caller-provided state avoids LZ4's per-call state allocation.
    const int length =
        LZ4_compress_fast_extState(state_.get(), input.data(), buffer_.data(), input_size,
                                   static_cast<int>(buffer_.size()), /*acceleration=*/1);
    if (length <= 0) return Status::Internal("lz4 compression failed");
    return std::string_view(buffer_.data(), static_cast<size_t>(length));
  }

 private:
  std::unique_ptr<LZ4_stream_t> state_;
  std::string buffer_;
};

}  // namespace

std::unique_ptr<Compressor> MakeLz4RawCompressor() { return std::make_unique<Lz4RawCompressor>(); }

}  // namespace o2p::parquet
