#include "o2p/parquet/compression/codec.h"

namespace o2p::parquet {
namespace {

class NoneCompressor final : public Compressor {
 public:
  format::CompressionCodec codec() const override {
    return format::CompressionCodec::kUncompressed;
  }
  Result<std::string_view> Compress(std::string_view input) override { return input; }
};

}  // namespace

Result<std::unique_ptr<Compressor>> MakeCompressor(Codec codec, int level) {
  switch (codec) {
    case Codec::kNone: return std::unique_ptr<Compressor>(std::make_unique<NoneCompressor>());
    case Codec::kSnappy: return MakeSnappyCompressor();
    case Codec::kGzip: return MakeGzipCompressor(level);
    case Codec::kZstd: return MakeZstdCompressor(level);
    case Codec::kLz4Raw: return MakeLz4RawCompressor();
  }
  return Status::InvalidArgument("unknown codec {}", static_cast<int>(codec));
}

}  // namespace o2p::parquet
