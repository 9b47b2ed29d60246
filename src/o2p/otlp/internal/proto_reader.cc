#include "o2p/otlp/internal/proto_reader.h"

#include <algorithm>

namespace o2p::otlp::internal {
namespace {

// A varint carries 7 bits per byte, so a 64-bit value needs at most 10 bytes. Tags are 32-bit
// and, as in libprotobuf, at most 5 bytes long.
constexpr int kMaxVarintBytes = 10;
constexpr int kMaxTagBytes = 5;

}  // namespace

Status ProtoReader::ReadVarintSlow(uint32_t field_number, uint64_t* value) {
  const char* start = pos_;
  const int max_bytes = field_number == 0 ? kMaxTagBytes : kMaxVarintBytes;
  uint64_t result = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (pos_ == end_) {
      if (field_number == 0) return Error(start, fmt::format("truncated tag in {}", message_));
      return Error(start,
                   fmt::format("truncated varint of field {} in {}", field_number, message_));
    }
    const auto byte = static_cast<uint8_t>(*pos_++);
    // Bits past the 64th (possible only in the 10th byte) are dropped, as libprotobuf does.
    result |= uint64_t{byte & 0x7FU} << (7 * i);
    if (byte < 0x80) {
      *value = result;
      return Status::Ok();
    }
  }
  if (field_number == 0) {
    return Error(start, fmt::format("tag in {} is longer than 5 bytes", message_));
  }
  return Error(start, fmt::format("varint of field {} in {} is longer than 10 bytes", field_number,
                                  message_));
}

Status ProtoReader::SkipValue(const Field& field, int depth) {
  switch (field.type) {
    case WireType::kVarint: {
      uint64_t ignored = 0;
      return ReadVarint(field, &ignored);
    }
    case WireType::kFixed64: {
      uint64_t ignored = 0;
      return ReadFixed64(field, &ignored);
    }
    case WireType::kFixed32: {
      uint32_t ignored = 0;
      return ReadFixed32(field, &ignored);
    }
    case WireType::kLen: {
      std::string_view ignored;
      return ReadBytes(field, &ignored);
    }
    case WireType::kStartGroup: return SkipGroup(field, depth + 1);
    case WireType::kEndGroup: break;
  }
  // The offset reported is the byte after the stray tag (the tag itself is already read).
  return Error(pos_, fmt::format("end-group tag of field {} in {} without a start-group",
                                 field.number, message_));
}

// Groups (deprecated proto2 encoding) can appear as unknown fields: their content is a run of
// fields closed by an end-group tag with the same number. Each level counts against the depth
// limit, as in libprotobuf.
Status ProtoReader::SkipGroup(const Field& group, int depth) {
  if (depth > kMaxProtoDepth) {
    return Error(pos_, fmt::format("group field {} in {} nests deeper than {} levels", group.number,
                                   message_, kMaxProtoDepth));
  }
  Field field;
  while (pos_ != end_) {
    const char* tag_start = pos_;
    O2P_RETURN_IF_ERROR(ReadTag(&field));
    if (field.type == WireType::kEndGroup) {
      if (field.number == group.number) return Status::Ok();
      return Error(tag_start, fmt::format("end-group tag of field {} closes group field {} in {}",
                                          field.number, group.number, message_));
    }
    O2P_RETURN_IF_ERROR(SkipValue(field, depth));
  }
  return Error(pos_,
               fmt::format("group field {} in {} has no end-group tag", group.number, message_));
}

Status ProtoReader::ReadRepeatedVarint(const Field& field, std::vector<uint64_t>* out) {
  if (field.type == WireType::kVarint) {
    uint64_t value = 0;
    O2P_RETURN_IF_ERROR(ReadVarint(field, &value));
    out->push_back(value);
    return Status::Ok();
  }
  if (field.type != WireType::kLen) return Skip(field);
  std::string_view payload;
  O2P_RETURN_IF_ERROR(ReadBytes(field, &payload));
  if (out->empty()) {
    // Each varint ends in exactly one byte below 0x80, so this sizes the vector exactly. Only
    // for the first run: reserving per run would defeat geometric growth.
    out->reserve(static_cast<size_t>(std::count_if(
        payload.begin(), payload.end(), [](char c) { return static_cast<uint8_t>(c) < 0x80; })));
  }
  ProtoReader packed = *this;
  packed.pos_ = payload.data();
  packed.end_ = payload.data() + payload.size();
  while (!packed.done()) {
    uint64_t value = 0;
    O2P_RETURN_IF_ERROR(packed.ReadVarint(field, &value));
    out->push_back(value);
  }
  return Status::Ok();
}

template <typename T>
Status ProtoReader::ReadPackedFixed(const Field& field, std::vector<T>* out) {
  std::string_view payload;
  O2P_RETURN_IF_ERROR(ReadBytes(field, &payload));
  if (payload.size() % sizeof(T) != 0) {
    return Error(payload.data(),
                 fmt::format("packed field {} in {} has {} bytes, not a multiple of {}",
                             field.number, message_, payload.size(), sizeof(T)));
  }
  // An empty run adds nothing; returning here also keeps memcpy away from the null data() of
  // a still-empty vector (undefined behaviour even for 0 bytes).
  if (payload.empty()) return Status::Ok();
  // The count is bounded by the payload, which ReadBytes checked against the body.
  const size_t old_size = out->size();
  out->resize(old_size + payload.size() / sizeof(T));
  std::memcpy(out->data() + old_size, payload.data(), payload.size());
  return Status::Ok();
}

Status ProtoReader::ReadRepeatedFixed64(const Field& field, std::vector<uint64_t>* out) {
  if (field.type == WireType::kFixed64) {
    uint64_t value = 0;
    O2P_RETURN_IF_ERROR(ReadFixed64(field, &value));
    out->push_back(value);
    return Status::Ok();
  }
  if (field.type != WireType::kLen) return Skip(field);
  return ReadPackedFixed(field, out);
}

Status ProtoReader::ReadRepeatedDouble(const Field& field, std::vector<double>* out) {
  if (field.type == WireType::kFixed64) {
    double value = 0;
    O2P_RETURN_IF_ERROR(ReadDouble(field, &value));
    out->push_back(value);
    return Status::Ok();
  }
  if (field.type != WireType::kLen) return Skip(field);
  return ReadPackedFixed(field, out);
}

// ---- errors (cold) ---------------------------------------------------------------------------

Status ProtoReader::Error(const char* at, const std::string& what) const {
  return Status::InvalidArgument("protobuf: {} at byte {}", what, at - body_);
}

Status ProtoReader::TagError(const char* start, uint64_t tag) const {
  if (tag > UINT32_MAX) {
    return Error(start, fmt::format("tag {} in {} does not fit in 32 bits", tag, message_));
  }
  if ((tag >> 3) == 0) return Error(start, fmt::format("field number 0 in {}", message_));
  return Error(start,
               fmt::format("invalid wire type {} of field {} in {}", tag & 7, tag >> 3, message_));
}

Status ProtoReader::LengthError(const Field& field, uint64_t length) const {
  const auto left = static_cast<size_t>(end_ - pos_);
  if (end_ == body_ + body_size_) {
    return Error(pos_, fmt::format("length {} of field {} in {} runs past the end (body is {} "
                                   "bytes, {} left)",
                                   length, field.number, message_, body_size_, left));
  }
  return Error(pos_, fmt::format("length {} of field {} in {} runs past the end of the {} ({} "
                                 "bytes left)",
                                 length, field.number, message_, message_, left));
}

Status ProtoReader::TruncatedFixedError(const Field& field, size_t size) const {
  return Error(pos_, fmt::format("truncated fixed{} field {} in {} ({} of {} bytes left)", size * 8,
                                 field.number, message_, end_ - pos_, size));
}

Status ProtoReader::DepthError(const char* at, const Field& field, const char* message) const {
  return Error(at, fmt::format("{} in field {} of {} nests deeper than {} messages", message,
                               field.number, message_, kMaxProtoDepth));
}

}  // namespace o2p::otlp::internal
