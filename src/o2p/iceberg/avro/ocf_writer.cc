#include "o2p/iceberg/avro/ocf_writer.h"

#include "o2p/base/macros.h"
#include "o2p/base/random_id.h"
#include "o2p/iceberg/avro/encoding.h"

namespace o2p::iceberg::avro {

namespace {

constexpr std::string_view kMagic("Obj\x01", 4);
constexpr size_t kSyncSize = 16;

int HexNibble(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return 0;
}

// RandomHexId gives 128 random bits as 32 hex digits; the marker is those 16 bytes.
std::string RandomSyncMarker() {
  const std::string hex = RandomHexId();
  std::string marker;
  for (size_t i = 0; i + 1 < hex.size() && marker.size() < kSyncSize; i += 2) {
    marker.push_back(static_cast<char>(HexNibble(hex[i]) * 16 + HexNibble(hex[i + 1])));
  }
  return marker;
}

}  // namespace

OcfWriter::OcfWriter(std::string schema_json, OcfMetadata metadata, OcfWriterOptions options)
    : schema_json_(std::move(schema_json)),
      metadata_(std::move(metadata)),
      options_(std::move(options)),
      sync_marker_(options_.sync_marker.empty() ? RandomSyncMarker() : options_.sync_marker) {}

Status OcfWriter::Append(std::string_view datum) {
  if (!error_.ok()) return error_;
  pending_.append(datum);
  ++pending_count_;
  if (pending_.size() >= options_.block_bytes) error_ = FlushBlock();
  return error_;
}

Status OcfWriter::FlushBlock() {
  if (pending_count_ == 0) return Status::Ok();
  O2P_ASSIGN_OR_RETURN(std::string compressed, CompressBlock(options_.codec, pending_));
  PutLong(&blocks_, pending_count_);
  PutLong(&blocks_, static_cast<int64_t>(compressed.size()));
  blocks_.append(compressed);
  blocks_.append(sync_marker_);
  pending_.clear();
  pending_count_ = 0;
  return Status::Ok();
}

std::string OcfWriter::Header() const {
  std::string header(kMagic);
  // The metadata map is written as a single block (count > 0), then the end marker.
  PutBlockHeader(&header, static_cast<int64_t>(metadata_.size() + 2));
  PutString(&header, "avro.schema");
  PutBytes(&header, schema_json_);
  PutString(&header, "avro.codec");
  PutBytes(&header, CodecName(options_.codec));
  for (const auto& [key, value] : metadata_) {
    PutString(&header, key);
    PutBytes(&header, value);
  }
  PutBlockEnd(&header);
  header.append(sync_marker_);
  return header;
}

Result<std::string> OcfWriter::Finish() && {
  O2P_RETURN_IF_ERROR(error_);
  if (sync_marker_.size() != kSyncSize) {
    return Status::InvalidArgument("avro: sync marker must be {} bytes", kSyncSize);
  }
  for (const auto& entry : metadata_) {
    // Avro 1.11: "avro." keys are reserved for the format itself.
    if (entry.first.rfind("avro.", 0) == 0) {
      return Status::InvalidArgument("avro: metadata key '{}' is reserved", entry.first);
    }
  }
  O2P_RETURN_IF_ERROR(FlushBlock());
  std::string file = Header();
  file.append(blocks_);
  return file;
}

}  // namespace o2p::iceberg::avro
