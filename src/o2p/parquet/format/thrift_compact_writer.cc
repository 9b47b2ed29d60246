#include "o2p/parquet/format/thrift_compact_writer.h"

#include <cassert>

#include "o2p/base/coding.h"

namespace o2p::parquet::format {

void ThriftCompactWriter::BeginStruct() {
  assert(depth_ < kMaxDepth);
  saved_ids_[static_cast<size_t>(depth_++)] = last_id_;
  last_id_ = 0;
}

void ThriftCompactWriter::EndStruct() {
  assert(depth_ > 0);
  out_->push_back('\0');  // stop field
  last_id_ = saved_ids_[static_cast<size_t>(--depth_)];
}

void ThriftCompactWriter::FieldHeader(int16_t id, ThriftType type) {
  const int delta = id - last_id_;
  const auto type_bits = static_cast<uint8_t>(type);
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | type_bits));
  } else {
    // Long form: the ids of one struct need not ascend, so a negative delta lands here too.
    out_->push_back(static_cast<char>(type_bits));
    PutVarint32(out_, ZigZag32(id));
  }
  last_id_ = id;
}

void ThriftCompactWriter::FieldBool(int16_t id, bool value) {
  FieldHeader(id, value ? ThriftType::kBoolTrue : ThriftType::kBoolFalse);
}

void ThriftCompactWriter::FieldI8(int16_t id, int8_t value) {
  FieldHeader(id, ThriftType::kI8);
  out_->push_back(static_cast<char>(value));
}

void ThriftCompactWriter::FieldI16(int16_t id, int16_t value) {
  FieldHeader(id, ThriftType::kI16);
  PutVarint32(out_, ZigZag32(value));
}

void ThriftCompactWriter::FieldI32(int16_t id, int32_t value) {
  FieldHeader(id, ThriftType::kI32);
  PutVarint32(out_, ZigZag32(value));
}

void ThriftCompactWriter::FieldI64(int16_t id, int64_t value) {
  FieldHeader(id, ThriftType::kI64);
  PutVarint64(out_, ZigZag64(value));
}

void ThriftCompactWriter::FieldBinary(int16_t id, std::string_view value) {
  FieldHeader(id, ThriftType::kBinary);
  ElementBinary(value);
}

void ThriftCompactWriter::FieldStructBegin(int16_t id) {
  FieldHeader(id, ThriftType::kStruct);
  BeginStruct();
}

void ThriftCompactWriter::FieldListBegin(int16_t id, ThriftType element_type, uint32_t size) {
  FieldHeader(id, ThriftType::kList);
  ListHeader(element_type, size);
}

void ThriftCompactWriter::ListHeader(ThriftType element_type, uint32_t size) {
  const auto type_bits = static_cast<uint8_t>(element_type);
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | type_bits));
  } else {
    out_->push_back(static_cast<char>(0xf0 | type_bits));
    PutVarint32(out_, size);
  }
}

void ThriftCompactWriter::ElementBool(bool value) { out_->push_back(value ? '\1' : '\2'); }

void ThriftCompactWriter::ElementI32(int32_t value) { PutVarint32(out_, ZigZag32(value)); }

void ThriftCompactWriter::ElementI64(int64_t value) { PutVarint64(out_, ZigZag64(value)); }

void ThriftCompactWriter::ElementBinary(std::string_view value) {
  PutVarint32(out_, static_cast<uint32_t>(value.size()));
  out_->append(value);
}

}  // namespace o2p::parquet::format
