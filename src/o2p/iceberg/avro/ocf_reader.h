// Reads a whole Avro object container file from memory (the inverse of ocf_writer.h): parses
// the writer schema embedded in the header and decodes every record generically, so files
// from other writers (Java, Spark, PyIceberg) are read whatever their field order.
//
//   O2P_ASSIGN_OR_RETURN(OcfFile file, ReadOcf(bytes));
//   file.metadata.at("format-version");       // user metadata, as written
//   for (const Value& record : file.records) record.Field("manifest_path");
//
// The input may be hostile: lengths are checked against the bytes present, decompression and
// decoding share one memory budget, and errors name the byte offset.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/iceberg/avro/codec.h"
#include "o2p/iceberg/avro/datum_reader.h"
#include "o2p/iceberg/avro/schema.h"

namespace o2p::iceberg::avro {

struct OcfReadOptions {
  /// Bounds decompressed block bytes plus decoded values, per file.
  uint64_t max_decoded_bytes = uint64_t{256} << 20;
  /// Limits schema nesting while decoding.
  int max_depth = 64;
};

struct OcfFile {
  /// Every metadata entry, including avro.schema and avro.codec.
  std::map<std::string, std::string, std::less<>> metadata;
  Codec codec = Codec::kNull;
  Schema schema;
  /// Decoded records; they point into `schema`, so keep the OcfFile alive while using them.
  std::vector<Value> records;
};

Result<OcfFile> ReadOcf(std::string_view bytes, const OcfReadOptions& options = {});

}  // namespace o2p::iceberg::avro
