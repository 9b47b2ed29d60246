// ThriftCompactWriter: the write half of Thrift's compact protocol, enough for Parquet metadata
// (FileMetaData, PageHeader, ColumnIndex, OffsetIndex). No reader, no generated code: the
// structs in metadata.h serialize themselves through this class.
//
// Wire rules (Thrift doc/specs/thrift-compact-protocol.md):
//   - a struct is a sequence of fields closed by a stop byte 0x00;
//   - a field header is one byte (delta << 4 | type) when the id grows by 1..15 over the
//     previous field of the same struct, else the type byte followed by the zigzag-varint id;
//   - bool fields carry their value in the header type (1 = true, 2 = false) and no payload;
//   - i16/i32/i64 are zigzag varints, i8 is one raw byte, binary is varint length + bytes;
//   - a list header is one byte (size << 4 | element type) below 15 elements, else
//     0xF0 | element type followed by the varint size.
//
// Call sequence for a struct with a nested struct and a list of structs:
//   ThriftCompactWriter w(&out);
//   w.BeginStruct();
//   w.FieldI32(1, 42);
//   w.FieldStructBegin(2); w.FieldBool(1, true); w.EndStruct();
//   w.FieldListBegin(3, ThriftType::kStruct, n);
//   for (...) { w.BeginStruct(); ...; w.EndStruct(); }
//   w.EndStruct();
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace o2p::parquet::format {

/// Compact-protocol type codes, as used in field headers and list headers.
enum class ThriftType : uint8_t {
  kBoolTrue = 1,
  kBoolFalse = 2,
  kI8 = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

class ThriftCompactWriter {
 public:
  /// Appends to `out`, which must outlive the writer.
  explicit ThriftCompactWriter(std::string* out) : out_(out) {}

  /// Opens a struct (top level, list element, or after FieldStructBegin). Field ids restart.
  void BeginStruct();
  /// Writes the stop byte and returns to the enclosing struct's field-id state.
  void EndStruct();

  void FieldBool(int16_t id, bool value);
  void FieldI8(int16_t id, int8_t value);
  void FieldI16(int16_t id, int16_t value);
  void FieldI32(int16_t id, int32_t value);
  void FieldI64(int16_t id, int64_t value);
  void FieldBinary(int16_t id, std::string_view value);
  /// Writes the header of a struct-typed field and opens that struct; close with EndStruct().
  void FieldStructBegin(int16_t id);
  /// Writes only the header of a struct-typed field; a full BeginStruct()..EndStruct() follows.
  void FieldStructHeader(int16_t id) { FieldHeader(id, ThriftType::kStruct); }
  /// Writes the header of a list-typed field; follow with exactly `size` elements.
  void FieldListBegin(int16_t id, ThriftType element_type, uint32_t size);

  /// List elements. A bool element is one byte: 1 for true and 2 for false, the element type
  /// is kBoolTrue. That is what Apache Thrift's C++ and Java libraries write (and so Arrow and
  /// parquet-java); the spec text says 2 / 0, but readers compare against 1 only.
  void ElementBool(bool value);
  void ElementI32(int32_t value);
  void ElementI64(int64_t value);
  void ElementBinary(std::string_view value);

 private:
  void FieldHeader(int16_t id, ThriftType type);
  void ListHeader(ThriftType element_type, uint32_t size);

  static constexpr int kMaxDepth = 16;  // Parquet metadata nests 4 structs deep at most

  std::string* out_;
  int16_t last_id_ = 0;
  int depth_ = 0;
  std::array<int16_t, kMaxDepth> saved_ids_{};
};

}  // namespace o2p::parquet::format
