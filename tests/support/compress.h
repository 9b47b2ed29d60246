// Whole-buffer compression for tests and fixtures: the Content-Encodings a client may send.
// (Streaming and bomb-sized inputs stay with the decompression tests.) Callers link zlib and
// zstd.
#pragma once

#include <string>
#include <string_view>

#include <zlib.h>
#include <zstd.h>

namespace o2p::testing {

/// zlib's deflate with `window_bits`: 15 + 16 = gzip, 15 = zlib wrapper (HTTP "deflate"),
/// -15 = raw.
inline std::string CompressDeflate(std::string_view data, int window_bits, int level = 6) {
  z_stream z{};
  deflateInit2(&z, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline std::string CompressGzip(std::string_view data) { return CompressDeflate(data, 15 + 16); }

inline std::string CompressZstd(std::string_view data, int level = 3) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level));
  return out;
}

}  // namespace o2p::testing
