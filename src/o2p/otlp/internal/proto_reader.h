// ProtoReader: the protobuf wire-format reader under the OTLP protobuf decoders (module-private).
//
// A reader walks the bytes of one message. The calling sequence per field is:
//   1. ReadTag()  -> the field's number and wire type;
//   2. exactly one typed read (the *Field helpers below, ReadString, EnterMessage, ...) or
//      Skip(), which consumes the field's value.
// Nested messages are read through EnterMessage(), which hands out a reader for the payload one
// level deeper and enforces kMaxProtoDepth (groups count too); it is the only way to descend,
// so every recursion is bounded. Views returned point into the body (or into the Arena for
// repaired strings). Errors are "protobuf: <what> at byte <offset>", offset counted from the
// first byte of the body.
// Wire format: https://protobuf.dev/programming-guides/encoding/
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/arena.h"
#include "o2p/base/macros.h"
#include "o2p/base/status.h"
#include "o2p/base/text_codec.h"
#include "o2p/otlp/internal/decode_budget.h"
#include "o2p/otlp/decode_proto.h"

namespace o2p::otlp::internal {

static_assert(std::endian::native == std::endian::little,
              "fixed-width protobuf fields are read with memcpy");

/// Wire types 0-5 (6 and 7 are invalid and rejected by ReadTag).
enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLen = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

/// The tag of one field: its number (>= 1) and wire type.
struct Field {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
};

class ProtoReader {
 public:
  /// An empty reader; EnterMessage() assigns real ones.
  ProtoReader() = default;
  /// A reader over a whole request body, at depth 1. `message` (a string literal) names the
  /// message in errors.
  ProtoReader(std::string_view body, const char* message, Arena& arena, DecodeBudget& budget)
      : body_(body.data()),
        pos_(body.data()),
        end_(body.data() + body.size()),
        body_size_(body.size()),
        message_(message),
        arena_(&arena),
        budget_(&budget) {}

  bool done() const { return pos_ == end_; }

  /// Charges one decoded element of `size` bytes to the request's memory budget.
  Status ChargeElement(size_t size) {
    return budget_->Charge(1, size) ? Status::Ok() : budget_->Exhausted();
  }
  /// Offset of the next unread byte, from the start of the body.
  size_t offset() const { return static_cast<size_t>(pos_ - body_); }

  /// Reads the next tag. A field number 0, wire types 6/7, tags over 32 bits or longer than
  /// 5 bytes are errors. (libprotobuf instead drops the bits of a 5-byte tag past the 32nd;
  /// no encoder writes such a tag, so we refuse it rather than guess which field it meant.)
  /// REQUIRES: !done().
  Status ReadTag(Field* field) {
    const char* start = pos_;
    uint64_t tag = static_cast<uint8_t>(*pos_);
    if (tag < 0x80) {
      ++pos_;
    } else {
      O2P_RETURN_IF_ERROR(ReadVarintSlow(0, &tag));
    }
    if (tag > UINT32_MAX || (tag >> 3) == 0 || (tag & 7) > 5) return TagError(start, tag);
    field->number = static_cast<uint32_t>(tag >> 3);
    field->type = static_cast<WireType>(tag & 7);
    return Status::Ok();
  }

  /// Reads a varint of `field` (named in errors). At most 10 bytes; bits past 64 are dropped.
  Status ReadVarint(const Field& field, uint64_t* value) {
    if (pos_ != end_ && static_cast<uint8_t>(*pos_) < 0x80) {
      *value = static_cast<uint8_t>(*pos_++);
      return Status::Ok();
    }
    return ReadVarintSlow(field.number, value);
  }

  Status ReadFixed32(const Field& field, uint32_t* value) { return ReadFixed(field, value); }
  Status ReadFixed64(const Field& field, uint64_t* value) { return ReadFixed(field, value); }
  Status ReadDouble(const Field& field, double* value) {
    uint64_t bits = 0;
    O2P_RETURN_IF_ERROR(ReadFixed(field, &bits));
    *value = std::bit_cast<double>(bits);
    return Status::Ok();
  }

  /// Reads the payload of a length-delimited field as a view into the body.
  Status ReadBytes(const Field& field, std::string_view* out) {
    uint64_t length = 0;
    O2P_RETURN_IF_ERROR(ReadVarint(field, &length));
    if (length > static_cast<uint64_t>(end_ - pos_)) return LengthError(field, length);
    *out = std::string_view(pos_, static_cast<size_t>(length));
    pos_ += length;
    return Status::Ok();
  }

  /// ReadBytes for a proto `string`: invalid UTF-8 is repaired with U+FFFD into the arena.
  Status ReadString(const Field& field, std::string_view* out) {
    O2P_RETURN_IF_ERROR(ReadBytes(field, out));
    if (!IsValidUtf8(*out)) *out = RepairUtf8(*out, *arena_);
    return Status::Ok();
  }

  /// Reads a length-delimited field as the message `message` (a string literal) and sets
  /// `*sub` to a reader over it, one level deeper. Fails past kMaxProtoDepth.
  Status EnterMessage(const Field& field, const char* message, ProtoReader* sub) {
    std::string_view payload;
    O2P_RETURN_IF_ERROR(ReadBytes(field, &payload));
    if (depth_ >= kMaxProtoDepth) return DepthError(payload.data(), field, message);
    *sub = *this;
    sub->pos_ = payload.data();
    sub->end_ = payload.data() + payload.size();
    sub->message_ = message;
    sub->depth_ = depth_ + 1;
    return Status::Ok();
  }

  /// Skips the value of `field` whatever its wire type; a group is skipped up to its end-group
  /// tag. An end-group tag here has no matching start-group and is an error.
  Status Skip(const Field& field) { return SkipValue(field, depth_); }

  /// Appends a repeated field, packed (one length-delimited run) or not (one element per
  /// tag); protobuf parsers must accept both. Other wire types are skipped.
  Status ReadRepeatedVarint(const Field& field, std::vector<uint64_t>* out);
  Status ReadRepeatedFixed64(const Field& field, std::vector<uint64_t>* out);
  Status ReadRepeatedDouble(const Field& field, std::vector<double>* out);

 private:
  template <typename T>
  Status ReadFixed(const Field& field, T* value) {
    if (static_cast<size_t>(end_ - pos_) < sizeof(T)) return TruncatedFixedError(field, sizeof(T));
    std::memcpy(value, pos_, sizeof(T));
    pos_ += sizeof(T);
    return Status::Ok();
  }
  template <typename T>
  Status ReadPackedFixed(const Field& field, std::vector<T>* out);

  // field_number 0 means the varint is a tag (at most 5 bytes).
  Status ReadVarintSlow(uint32_t field_number, uint64_t* value);
  Status SkipValue(const Field& field, int depth);
  Status SkipGroup(const Field& group, int depth);

  Status Error(const char* at, const std::string& what) const;
  Status TagError(const char* start, uint64_t tag) const;
  Status LengthError(const Field& field, uint64_t length) const;
  Status TruncatedFixedError(const Field& field, size_t size) const;
  Status DepthError(const char* at, const Field& field, const char* message) const;

  const char* body_ = nullptr;  // first byte of the body: error offsets count from here
  const char* pos_ = nullptr;
  const char* end_ = nullptr;  // end of this message
  size_t body_size_ = 0;
  const char* message_ = "";  // this message's name, for errors
  Arena* arena_ = nullptr;
  DecodeBudget* budget_ = nullptr;  // shared by every reader of one request
  // The request is depth 0, so up to kMaxProtoDepth messages may nest below it: the budget
  // libprotobuf gives (its recursion limit of 100 counts nested messages and groups).
  int depth_ = 0;
};

// ---- typed field reads ---------------------------------------------------------------------
// Each reads `field` into *out when it arrived with the wire type the schema declares, and
// otherwise skips it: libprotobuf treats a known number with another wire type as unknown.
// Narrowing follows libprotobuf: 32-bit fields keep the low 32 bits of the varint.

inline Status Uint32Field(ProtoReader& r, const Field& field, uint32_t* out) {
  if (field.type != WireType::kVarint) return r.Skip(field);
  uint64_t v = 0;
  O2P_RETURN_IF_ERROR(r.ReadVarint(field, &v));
  *out = static_cast<uint32_t>(v);
  return Status::Ok();
}

/// int32 and enum fields: negative values arrive as 10-byte two's complement varints.
inline Status Int32Field(ProtoReader& r, const Field& field, int32_t* out) {
  if (field.type != WireType::kVarint) return r.Skip(field);
  uint64_t v = 0;
  O2P_RETURN_IF_ERROR(r.ReadVarint(field, &v));
  *out = static_cast<int32_t>(static_cast<uint32_t>(v));  // modular since C++20
  return Status::Ok();
}

/// sint32: zigzag-encoded (0 -> 0, -1 -> 1, 1 -> 2, ...).
inline Status Sint32Field(ProtoReader& r, const Field& field, int32_t* out) {
  if (field.type != WireType::kVarint) return r.Skip(field);
  uint64_t v = 0;
  O2P_RETURN_IF_ERROR(r.ReadVarint(field, &v));
  const auto n = static_cast<uint32_t>(v);
  *out = static_cast<int32_t>((n >> 1) ^ (0U - (n & 1U)));
  return Status::Ok();
}

inline Status Int64Field(ProtoReader& r, const Field& field, int64_t* out) {
  if (field.type != WireType::kVarint) return r.Skip(field);
  uint64_t v = 0;
  O2P_RETURN_IF_ERROR(r.ReadVarint(field, &v));
  *out = static_cast<int64_t>(v);
  return Status::Ok();
}

inline Status BoolField(ProtoReader& r, const Field& field, bool* out) {
  if (field.type != WireType::kVarint) return r.Skip(field);
  uint64_t v = 0;
  O2P_RETURN_IF_ERROR(r.ReadVarint(field, &v));
  *out = v != 0;
  return Status::Ok();
}

inline Status Fixed32Field(ProtoReader& r, const Field& field, uint32_t* out) {
  if (field.type != WireType::kFixed32) return r.Skip(field);
  return r.ReadFixed32(field, out);
}

inline Status Fixed64Field(ProtoReader& r, const Field& field, uint64_t* out) {
  if (field.type != WireType::kFixed64) return r.Skip(field);
  return r.ReadFixed64(field, out);
}

inline Status DoubleField(ProtoReader& r, const Field& field, double* out) {
  if (field.type != WireType::kFixed64) return r.Skip(field);
  return r.ReadDouble(field, out);
}

/// proto3 `optional double`: sets *has when present.
inline Status OptionalDoubleField(ProtoReader& r, const Field& field, bool* has, double* out) {
  if (field.type != WireType::kFixed64) return r.Skip(field);
  *has = true;
  return r.ReadDouble(field, out);
}

inline Status StringField(ProtoReader& r, const Field& field, std::string_view* out) {
  if (field.type != WireType::kLen) return r.Skip(field);
  return r.ReadString(field, out);
}

/// proto `bytes`: kept raw, no UTF-8 check.
inline Status BytesField(ProtoReader& r, const Field& field, std::string_view* out) {
  if (field.type != WireType::kLen) return r.Skip(field);
  return r.ReadBytes(field, out);
}

// ---- messages ------------------------------------------------------------------------------
// A message is decoded by a field function `Status F(ProtoReader&, const Field&, T*)` that
// handles one field of T (a switch on the number, Skip() for the rest); DecodeFields runs it
// over every field. Passing F as a template argument lets the compiler inline it.

/// Decodes every remaining field of `r` into *out with `DecodeField`.
template <auto DecodeField, typename T>
Status DecodeFields(ProtoReader& r, T* out) {
  Field field;
  while (!r.done()) {
    O2P_RETURN_IF_ERROR(r.ReadTag(&field));
    O2P_RETURN_IF_ERROR(DecodeField(r, field, out));
  }
  return Status::Ok();
}

/// A singular message field: a second occurrence merges into *out, as protobuf specifies
/// (repeated fields append, scalars present on the wire overwrite).
template <auto DecodeField, typename T>
Status MessageField(ProtoReader& r, const Field& field, const char* message, T* out) {
  if (field.type != WireType::kLen) return r.Skip(field);
  ProtoReader sub;
  O2P_RETURN_IF_ERROR(r.EnterMessage(field, message, &sub));
  return DecodeFields<DecodeField>(sub, out);
}

/// A repeated message field: each occurrence appends one element.
template <auto DecodeField, typename T>
Status RepeatedMessageField(ProtoReader& r, const Field& field, const char* message,
                            std::vector<T>* out) {
  if (field.type != WireType::kLen) return r.Skip(field);
  ProtoReader sub;
  O2P_RETURN_IF_ERROR(r.EnterMessage(field, message, &sub));
  O2P_RETURN_IF_ERROR(r.ChargeElement(sizeof(T)));
  return DecodeFields<DecodeField>(sub, &out->emplace_back());
}

}  // namespace o2p::otlp::internal
