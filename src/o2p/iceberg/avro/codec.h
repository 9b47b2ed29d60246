// Block codecs of Avro object container files (Avro 1.11 specification, "Required Codecs"
// and "Optional Codecs"):
//   null     blocks are stored as is;
//   deflate  raw DEFLATE (RFC 1951): no zlib header or checksum;
//   snappy   a snappy block followed by the big-endian CRC-32 (ISO 3309, zlib's crc32) of the
//            uncompressed data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "o2p/base/result.h"

namespace o2p::iceberg::avro {

enum class Codec : uint8_t { kNull, kDeflate, kSnappy };

/// The "avro.codec" metadata value: "null", "deflate" or "snappy".
std::string_view CodecName(Codec codec);
/// Parses an "avro.codec" value; a missing value means "null". Unimplemented for others
/// (bzip2, xz, zstandard).
Result<Codec> ParseCodec(std::string_view name);

Result<std::string> CompressBlock(Codec codec, std::string_view data);
/// Fails with ResourceExhausted when the block would decompress to more than `max_size` bytes,
/// so a small hostile file cannot make us allocate gigabytes.
Result<std::string> DecompressBlock(Codec codec, std::string_view data, uint64_t max_size);

}  // namespace o2p::iceberg::avro
