// ZSTD (CompressionCodec 6): one zstd frame per page (RFC 8878; Compression.md). The context
// is created once per writer and reused for every page.
#include <zstd.h>

#include "o2p/parquet/compression/codec.h"

namespace o2p::parquet {
namespace {

class ZstdCompressor final : public Compressor {
 public:
  ZstdCompressor(ZSTD_CCtx* context, int level) : context_(context), level_(level) {}
  ~ZstdCompressor() override { ZSTD_freeCCtx(context_); }
  ZstdCompressor(const ZstdCompressor&) = delete;
  ZstdCompressor& operator=(const ZstdCompressor&) = delete;

  format::CompressionCodec codec() const override { return format::CompressionCodec::kZstd; }

  Result<std::string_view> Compress(std::string_view input) override {
    buffer_.resize(ZSTD_compressBound(input.size()));
    const size_t length = ZSTD_compressCCtx(context_, buffer_.data(), buffer_.size(), input.data(),
                                            input.size(), level_);
    if (ZSTD_isError(length) != 0) {
      return Status::Internal("zstd compression failed: {}", ZSTD_getErrorName(length));
    }
    return std::string_view(buffer_.data(), length);
  }

 private:
  ZSTD_CCtx* context_;
  int level_;
  std::string buffer_;
};

}  // namespace

Result<std::unique_ptr<Compressor>> MakeZstdCompressor(int level) {
  if (level == 0) level = 3;
  if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
    return Status::InvalidArgument("zstd level {} is outside {}..{}", level, ZSTD_minCLevel(),
                                   ZSTD_maxCLevel());
  }
  ZSTD_CCtx* context = ZSTD_createCCtx();
  if (context == nullptr) return Status::ResourceExhausted("zstd: cannot allocate a context");
  return std::unique_ptr<Compressor>(std::make_unique<ZstdCompressor>(context, level));
}

}  // namespace o2p::parquet
