// SNAPPY (CompressionCodec 1): the raw snappy block format, no framing (Compression.md).
#include <snappy.h>

#include "o2p/parquet/compression/codec.h"

namespace o2p::parquet {
namespace {

class SnappyCompressor final : public Compressor {
 public:
  format::CompressionCodec codec() const override { return format::CompressionCodec::kSnappy; }

  Result<std::string_view> Compress(std::string_view input) override {
    buffer_.resize(snappy::MaxCompressedLength(input.size()));
    size_t length = 0;
    snappy::RawCompress(input.data(), input.size(), buffer_.data(), &length);
    return std::string_view(buffer_.data(), length);
  }

 private:
  std::string buffer_;
};

}  // namespace

std::unique_ptr<Compressor> MakeSnappyCompressor() { return std::make_unique<SnappyCompressor>(); }

}  // namespace o2p::parquet
