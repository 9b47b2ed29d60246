#include "o2p/iceberg/avro/codec.h"

#include <algorithm>
#include <limits>

#include <snappy.h>
#include <zlib.h>

namespace o2p::iceberg::avro {

namespace {

// Negative window bits select raw DEFLATE in zlib: no header, no Adler-32 trailer, which is
// what the Avro "deflate" codec means.
constexpr int kRawDeflateWindowBits = -15;
constexpr size_t kInflateChunk = 64 * 1024;

uint32_t Crc32(std::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (!data.empty()) {
    const auto chunk = static_cast<uInt>(std::min<size_t>(data.size(), 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), chunk);
    data.remove_prefix(chunk);
  }
  return static_cast<uint32_t>(crc);
}

void PutBigEndian32(std::string* out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(value >> shift));
}

uint32_t GetBigEndian32(std::string_view bytes) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

Result<std::string> Deflate(std::string_view data) {
  if (data.size() > std::numeric_limits<uInt>::max() / 2) {
    return Status::InvalidArgument("avro: block too large to deflate");
  }
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kRawDeflateWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("avro: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) return Status::Internal("avro: deflate failed ({})", rc);
  return out;
}

Result<std::string> Inflate(std::string_view data, uint64_t max_size) {
  if (data.size() > std::numeric_limits<uInt>::max()) {
    return Status::InvalidArgument("avro: deflate block too large");
  }
  z_stream stream{};
  if (inflateInit2(&stream, kRawDeflateWindowBits) != Z_OK) {
    return Status::Internal("avro: inflateInit2 failed");
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (out.size() >= max_size) break;
    const size_t chunk =
        static_cast<size_t>(std::min<uint64_t>(kInflateChunk, max_size - out.size()));
    const size_t used = out.size();
    out.resize(used + chunk);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    stream.avail_out = static_cast<uInt>(chunk);
    rc = inflate(&stream, Z_NO_FLUSH);
    out.resize(used + chunk - stream.avail_out);
    // Z_BUF_ERROR with output space left means the input ended before the stream did.
    if (rc == Z_BUF_ERROR && stream.avail_out != 0) break;
    if (rc == Z_BUF_ERROR) rc = Z_OK;
  }
  inflateEnd(&stream);
  if (rc == Z_STREAM_END) return out;
  if (rc == Z_OK) {
    return Status::ResourceExhausted("avro: deflate block inflates beyond {} bytes", max_size);
  }
  return Status::InvalidArgument("avro: corrupt deflate block (zlib {})", rc);
}

Result<std::string> SnappyCompress(std::string_view data) {
  std::string out;
  snappy::Compress(data.data(), data.size(), &out);
  PutBigEndian32(&out, Crc32(data));
  return out;
}

Result<std::string> SnappyUncompress(std::string_view data, uint64_t max_size) {
  if (data.size() < 4) return Status::InvalidArgument("avro: snappy block without its CRC");
  const std::string_view compressed = data.substr(0, data.size() - 4);
  size_t length = 0;
  if (!snappy::GetUncompressedLength(compressed.data(), compressed.size(), &length)) {
    return Status::InvalidArgument("avro: corrupt snappy block header");
  }
  if (length > max_size) {
    return Status::ResourceExhausted("avro: snappy block inflates beyond {} bytes", max_size);
  }
  std::string out(length, '\0');
  if (!snappy::RawUncompress(compressed.data(), compressed.size(), out.data())) {
    return Status::InvalidArgument("avro: corrupt snappy block");
  }
  if (Crc32(out) != GetBigEndian32(data.substr(data.size() - 4))) {
    return Status::InvalidArgument("avro: snappy block CRC mismatch");
  }
  return out;
}

}  // namespace

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNull: return "null";
    case Codec::kDeflate: return "deflate";
    case Codec::kSnappy: return "snappy";
  }
  return "null";
}

Result<Codec> ParseCodec(std::string_view name) {
  if (name.empty() || name == "null") return Codec::kNull;
  if (name == "deflate") return Codec::kDeflate;
  if (name == "snappy") return Codec::kSnappy;
  return Status::Unimplemented("avro: codec '{}' is not supported", name);
}

Result<std::string> CompressBlock(Codec codec, std::string_view data) {
  switch (codec) {
    case Codec::kNull: return std::string(data);
    case Codec::kDeflate: return Deflate(data);
    case Codec::kSnappy: return SnappyCompress(data);
  }
  return Status::Internal("avro: unknown codec");
}

Result<std::string> DecompressBlock(Codec codec, std::string_view data, uint64_t max_size) {
  switch (codec) {
    case Codec::kNull:
      if (data.size() > max_size) {
        return Status::ResourceExhausted("avro: block larger than {} bytes", max_size);
      }
      return std::string(data);
    case Codec::kDeflate: return Inflate(data, max_size);
    case Codec::kSnappy: return SnappyUncompress(data, max_size);
  }
  return Status::Internal("avro: unknown codec");
}

}  // namespace o2p::iceberg::avro
