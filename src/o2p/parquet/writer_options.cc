#include "o2p/parquet/writer_options.h"

#include <array>

#include "o2p/base/text_codec.h"

namespace o2p::parquet {

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNone: return "none";
    case Codec::kSnappy: return "snappy";
    case Codec::kGzip: return "gzip";
    case Codec::kZstd: return "zstd";
    case Codec::kLz4Raw: return "lz4_raw";
  }
  return "unknown";
}

std::optional<Codec> ParseCodec(std::string_view name) {
  struct Alias {
    std::string_view name;
    Codec codec;
  };
  static constexpr std::array<Alias, 7> kAliases = {{
      {"none", Codec::kNone},
      {"uncompressed", Codec::kNone},
      {"snappy", Codec::kSnappy},
      {"gzip", Codec::kGzip},
      {"zstd", Codec::kZstd},
      {"lz4_raw", Codec::kLz4Raw},
      {"lz4", Codec::kLz4Raw},
  }};
  for (const Alias& alias : kAliases) {
    if (EqualsIgnoreCase(name, alias.name)) return alias.codec;
  }
  return std::nullopt;
}

}  // namespace o2p::parquet
