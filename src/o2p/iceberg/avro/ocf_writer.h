// Writes an Avro object container file (Avro 1.11 specification, "Object Container Files")
// into memory. The layout:
//   "Obj\x01"  file metadata (an Avro map<bytes>: avro.schema, avro.codec, user keys)
//   16-byte sync marker
//   blocks: record count (long), byte size (long), the (compressed) records, the sync marker
//
// Call sequence:
//   1. OcfWriter writer(schema_json, {{"format-version", "2"}}, options);
//   2. for each record: encode it with encoding.h into a string, then writer.Append(datum);
//   3. O2P_ASSIGN_OR_RETURN(std::string file, std::move(writer).Finish());
// The writer does not check datums against the schema: the caller encodes them, which is why
// each manifest schema and its encoder live side by side.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/iceberg/avro/codec.h"

namespace o2p::iceberg::avro {

struct OcfWriterOptions {
  /// Iceberg writers (Java's write.avro.compression-codec) default to deflate ("gzip").
  Codec codec = Codec::kDeflate;
  /// Records are buffered into blocks of about this many uncompressed bytes.
  uint64_t block_bytes = uint64_t{1} << 20;
  /// 16 bytes; empty picks a random marker. Fixed markers make test output reproducible.
  std::string sync_marker;
};

/// User metadata entries, written in this order after avro.schema and avro.codec.
using OcfMetadata = std::vector<std::pair<std::string, std::string>>;

class OcfWriter {
 public:
  /// REQUIRES: `schema_json` is the Avro schema every appended datum is encoded with.
  OcfWriter(std::string schema_json, OcfMetadata metadata, OcfWriterOptions options = {});

  /// Adds one record, already in Avro binary form.
  Status Append(std::string_view datum);

  /// The complete file. Fails on a bad sync marker, a user key in the reserved "avro."
  /// namespace, or a compression error.
  Result<std::string> Finish() &&;

 private:
  Status FlushBlock();
  std::string Header() const;

  std::string schema_json_;
  OcfMetadata metadata_;
  OcfWriterOptions options_;
  std::string sync_marker_;
  std::string blocks_;   // completed blocks, after the header
  std::string pending_;  // records of the block being filled
  int64_t pending_count_ = 0;
  Status error_;  // the first Append error, reported again by Finish
};

}  // namespace o2p::iceberg::avro
