// Streamed, capped decompression of request bodies (otlp-protocol.md, "Request decoding").
//
// The output never grows past `max_output_bytes`: decompression stops as soon as the cap would
// be exceeded, so a small gzip bomb costs at most the cap in memory. Errors:
//   RESOURCE_EXHAUSTED "decompressed body exceeds N bytes"  -> HTTP 413
//   INVALID_ARGUMENT   "gzip: <what> at input byte N"        -> HTTP 400
//   UNIMPLEMENTED      unknown Content-Encoding token       -> HTTP 415
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/otlp/signal.h"

namespace o2p::otlp {

/// The default cap on a decompressed body: 64 MiB, the OTLP specification's recommendation.
inline constexpr size_t kDefaultMaxDecompressedBytes = size_t{64} << 20;

/// Parses a Content-Encoding header ("gzip", "deflate, zstd", "identity", ""), in the order the
/// codings were applied. An unknown token is an UNIMPLEMENTED error naming it.
Result<std::vector<Compression>> ParseContentEncoding(std::string_view header);

/// Undoes one coding. gzip accepts concatenated members; deflate accepts zlib-wrapped (RFC 1950,
/// what HTTP means) and raw (RFC 1951) streams; zstd accepts concatenated frames.
/// kNone copies the input (still subject to the cap).
Result<std::string> Decompress(std::string_view input, Compression compression,
                               size_t max_output_bytes = kDefaultMaxDecompressedBytes);

/// Undoes `codings` (as listed in Content-Encoding) in reverse order; the cap applies to
/// every stage.
Result<std::string> DecompressAll(std::string_view input, const std::vector<Compression>& codings,
                                  size_t max_output_bytes = kDefaultMaxDecompressedBytes);

}  // namespace o2p::otlp
