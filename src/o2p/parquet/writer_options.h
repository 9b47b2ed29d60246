// Options of the Parquet writer: codec, page and row-group sizes, dictionary, statistics.
// Defaults are schema.md's "Writer defaults".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace o2p::parquet {

/// Page compression codecs we write (parquet.thrift CompressionCodec).
enum class Codec : uint8_t { kNone, kSnappy, kGzip, kZstd, kLz4Raw };

std::string_view CodecName(Codec codec);  // "none", "snappy", "gzip", "zstd", "lz4_raw"
/// Accepts the names above (case-insensitive; "uncompressed" = none, "lz4" = lz4_raw).
std::optional<Codec> ParseCodec(std::string_view name);

struct WriterOptions {
  Codec codec = Codec::kZstd;
  /// zstd 1..22 (default 3), gzip 1..9 (default 6 when 0); ignored by the other codecs.
  int compression_level = 3;
  /// A data page is cut once its encoded values reach about this size.
  size_t data_page_bytes = size_t{1} << 20;
  /// A row group is cut once its uncompressed size or row count reaches these.
  size_t row_group_bytes = size_t{128} << 20;
  size_t row_group_rows = size_t{1} << 20;
  /// Dictionary encoding per column chunk, abandoned for PLAIN once the dictionary grows past
  /// this many bytes.
  bool dictionary = true;
  size_t dictionary_max_bytes = size_t{1} << 20;
  /// min/max/null_count on every leaf column, and a column/offset index.
  bool statistics = true;
  bool page_index = true;
  /// FileMetaData.created_by, e.g. "otlp2parquet version 0.1.0".
  std::string created_by;
  /// Written after the schema's own metadata (later keys win on duplicates).
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
};

}  // namespace o2p::parquet
