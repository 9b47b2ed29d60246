// Page compression (Compression.md): one Compressor per file writer, reused for every page so
// that codec state (a ZSTD_CCtx, a z_stream, an LZ4 state) and the output buffer are
// allocated once.
//
//   O2P_ASSIGN_OR_RETURN(auto compressor, MakeCompressor(Codec::kZstd, 3));
//   O2P_ASSIGN_OR_RETURN(std::string_view compressed, compressor->Compress(page_body));
//   // `compressed` is valid until the next Compress() call.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "o2p/base/result.h"
#include "o2p/parquet/format/metadata.h"
#include "o2p/parquet/writer_options.h"

namespace o2p::parquet {

class Compressor {
 public:
  virtual ~Compressor() = default;

  /// The codec as ColumnMetaData.codec (field 4) names it.
  virtual format::CompressionCodec codec() const = 0;
  /// Compresses `input` into an internal buffer and returns a view of it (for kNone: `input`
  /// itself). The view is valid until the next call.
  virtual Result<std::string_view> Compress(std::string_view input) = 0;
};

/// `level` as WriterOptions.compression_level documents it: zstd 0 means 3; gzip 0 means 6;
/// other codecs ignore it. Errors: InvalidArgument for a level out of range.
Result<std::unique_ptr<Compressor>> MakeCompressor(Codec codec, int level);

// One factory per codec file (snappy.cc, gzip.cc, zstd.cc, lz4_raw.cc).
std::unique_ptr<Compressor> MakeSnappyCompressor();
Result<std::unique_ptr<Compressor>> MakeGzipCompressor(int level);
Result<std::unique_ptr<Compressor>> MakeZstdCompressor(int level);
std::unique_ptr<Compressor> MakeLz4RawCompressor();

}  // namespace o2p::parquet
