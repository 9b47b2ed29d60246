// GZIP (CompressionCodec 2): a complete gzip member per page (RFC 1952; Compression.md), made
// by zlib's deflate with the gzip wrapper (windowBits 15 + 16). The z_stream is reset, not
// re-created, between pages.
#include <zlib.h>

#include "o2p/base/macros.h"
#include "o2p/parquet/compression/codec.h"

namespace o2p::parquet {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header and trailer
constexpr int kMemLevel = 8;              // zlib's default

class GzipCompressor final : public Compressor {
 public:
  GzipCompressor() = default;
  ~GzipCompressor() override { deflateEnd(&stream_); }
  GzipCompressor(const GzipCompressor&) = delete;
  GzipCompressor& operator=(const GzipCompressor&) = delete;

  Status Init(int level) {
    if (deflateInit2(&stream_, level, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      return Status::ResourceExhausted("gzip: deflateInit2 failed");
    }
    return Status::Ok();
  }

  format::CompressionCodec codec() const override { return format::CompressionCodec::kGzip; }

  Result<std::string_view> Compress(std::string_view input) override {
    if (deflateReset(&stream_) != Z_OK) return Status::Internal("gzip: deflateReset failed");
    buffer_.resize(deflateBound(&stream_, static_cast<uLong>(input.size())));
    // zlib's API takes non-const input; deflate does not write to it.
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream_.avail_in = static_cast<uInt>(input.size());
    stream_.next_out = reinterpret_cast<Bytef*>(buffer_.data());
    stream_.avail_out = static_cast<uInt>(buffer_.size());
    // deflateBound guarantees one Z_FINISH call completes the stream.
    if (deflate(&stream_, Z_FINISH) != Z_STREAM_END)
      return Status::Internal("gzip: deflate failed");
    return std::string_view(buffer_.data(), buffer_.size() - stream_.avail_out);
  }

 private:
  z_stream stream_{};
  std::string buffer_;
};

}  // namespace

Result<std::unique_ptr<Compressor>> MakeGzipCompressor(int level) {
  if (level == 0) level = 6;
  if (level < 1 || level > 9)
    return Status::InvalidArgument("gzip level {} is outside 1..9", level);
  auto compressor = std::make_unique<GzipCompressor>();
  O2P_RETURN_IF_ERROR(compressor->Init(level));
  return std::unique_ptr<Compressor>(std::move(compressor));
}

}  // namespace o2p::parquet
