#include "o2p/iceberg/avro/ocf_reader.h"

#include <utility>

#include "o2p/base/macros.h"
#include "o2p/iceberg/avro/encoding.h"

namespace o2p::iceberg::avro {

namespace {

constexpr std::string_view kMagic("Obj\x01", 4);
constexpr uint64_t kSyncSize = 16;

// The header's metadata is an Avro map<bytes>; blocks may use negative counts like any map.
Status ReadMetadata(Decoder& decoder, DecodeBudget& budget, OcfFile* file) {
  while (true) {
    O2P_ASSIGN_OR_RETURN(int64_t count, decoder.ReadBlockCount());
    if (count == 0) return Status::Ok();
    for (int64_t i = 0; i < count; ++i) {
      O2P_ASSIGN_OR_RETURN(std::string_view key, decoder.ReadBytes());
      O2P_ASSIGN_OR_RETURN(std::string_view value, decoder.ReadBytes());
      const uint64_t cost = key.size() + value.size() + 2 * sizeof(std::string);
      if (cost > budget.remaining_bytes) return decoder.Error("metadata exceeds the budget");
      budget.remaining_bytes -= cost;
      file->metadata[std::string(key)] = std::string(value);
    }
  }
}

Result<std::string_view> ReadHeader(Decoder& decoder, DecodeBudget& budget, OcfFile* file) {
  O2P_ASSIGN_OR_RETURN(std::string_view magic, decoder.ReadFixed(kMagic.size()));
  if (magic != kMagic) return Status::InvalidArgument("avro: not an object container file");
  O2P_RETURN_IF_ERROR(ReadMetadata(decoder, budget, file));
  O2P_ASSIGN_OR_RETURN(std::string_view sync, decoder.ReadFixed(kSyncSize));
  const auto schema_json = file->metadata.find("avro.schema");
  if (schema_json == file->metadata.end()) {
    return Status::InvalidArgument("avro: file metadata has no avro.schema");
  }
  O2P_ASSIGN_OR_RETURN(file->schema, Schema::Parse(schema_json->second));
  const auto codec = file->metadata.find("avro.codec");
  O2P_ASSIGN_OR_RETURN(file->codec, ParseCodec(codec == file->metadata.end() ? "" : codec->second));
  return sync;
}

// One data block: count, byte size, the (compressed) records, then the file's sync marker.
Status ReadBlock(Decoder& decoder, std::string_view sync, DecodeBudget& budget, OcfFile* file) {
  const uint64_t block_offset = decoder.offset();
  O2P_ASSIGN_OR_RETURN(int64_t count, decoder.ReadLong());
  O2P_ASSIGN_OR_RETURN(int64_t size, decoder.ReadLong());
  if (count < 0 || size < 0 || static_cast<uint64_t>(size) > decoder.remaining()) {
    return Status::InvalidArgument("avro: bad block header (count {}, size {}) at byte {}", count,
                                   size, block_offset);
  }
  const uint64_t data_offset = decoder.offset();
  O2P_ASSIGN_OR_RETURN(std::string_view stored, decoder.ReadFixed(static_cast<uint64_t>(size)));
  Result<std::string> data = DecompressBlock(file->codec, stored, budget.remaining_bytes);
  if (!data.has_value())
    return data.error().WithPrefix(fmt::format("block at byte {}", block_offset));
  budget.remaining_bytes -= data->size();
  // Offsets inside a compressed block are relative to its uncompressed data; the message
  // names the block so both positions are known.
  Decoder records(*data, file->codec == Codec::kNull ? data_offset : 0);
  for (int64_t i = 0; i < count; ++i) {
    Result<Value> record = DecodeDatum(file->schema.root(), records, budget);
    if (!record.has_value()) {
      return record.error().WithPrefix(
          fmt::format("record {} of block at byte {}", i, block_offset));
    }
    file->records.push_back(std::move(*record));
  }
  if (!records.at_end()) {
    return Status::InvalidArgument("avro: {} bytes left over in block at byte {}",
                                   records.remaining(), block_offset);
  }
  O2P_ASSIGN_OR_RETURN(std::string_view block_sync, decoder.ReadFixed(kSyncSize));
  if (block_sync != sync) return decoder.Error("sync marker mismatch after block");
  return Status::Ok();
}

}  // namespace

Result<OcfFile> ReadOcf(std::string_view bytes, const OcfReadOptions& options) {
  DecodeBudget budget;
  budget.max_depth = options.max_depth;
  budget.remaining_bytes = options.max_decoded_bytes;
  OcfFile file;
  Decoder decoder(bytes);
  O2P_ASSIGN_OR_RETURN(std::string_view sync, ReadHeader(decoder, budget, &file));
  while (!decoder.at_end()) O2P_RETURN_IF_ERROR(ReadBlock(decoder, sync, budget, &file));
  return file;
}

}  // namespace o2p::iceberg::avro
