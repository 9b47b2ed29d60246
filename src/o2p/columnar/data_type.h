// The type tree of columnar batches: primitives, list, struct and map, with Iceberg/Parquet
// field ids carried on every field.
//
// Types are immutable and shared (std::shared_ptr<const DataType>); build them with the
// factory functions below. The physical meaning of each primitive:
//   kBoolean   1 byte per value (0/1)
//   kInt32     int32_t
//   kInt64     int64_t
//   kDouble    double
//   kString    UTF-8 bytes (offsets + data)
//   kTimestamp int64_t microseconds since the Unix epoch, UTC (Iceberg timestamptz)
// Nested: kList has one child ("element"); kMap has two ("key" required, "value"); kStruct
// has its fields.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace o2p::columnar {

enum class TypeId : uint8_t {
  kBoolean,
  kInt32,
  kInt64,
  kDouble,
  kString,
  kTimestamp,
  kList,
  kStruct,
  kMap,
};

std::string_view TypeIdName(TypeId id);

class DataType;
using DataTypePtr = std::shared_ptr<const DataType>;

/// A named, typed slot: a top-level column, a struct member, a list element or a map key/value.
struct Field {
  std::string name;
  DataTypePtr type;
  bool nullable = false;
  int32_t field_id = -1;  // -1 = not assigned
};

class DataType {
 public:
  DataType(TypeId id, std::vector<Field> children) : id_(id), children_(std::move(children)) {}

  TypeId id() const { return id_; }
  bool is_nested() const { return id_ == TypeId::kList || id_ == TypeId::kStruct || id_ == TypeId::kMap; }
  const std::vector<Field>& children() const { return children_; }
  /// "timestamp", "list<long>", "map<string,string>", "struct<Name:string,...>".
  std::string ToString() const;

 private:
  TypeId id_;
  std::vector<Field> children_;
};

DataTypePtr Boolean();
DataTypePtr Int32();
DataTypePtr Int64();
DataTypePtr Float64();
DataTypePtr String();
DataTypePtr Timestamp();
DataTypePtr List(Field element);
DataTypePtr Struct(std::vector<Field> fields);
DataTypePtr Map(Field key, Field value);

/// An ordered list of top-level fields plus key/value metadata.
class Schema {
 public:
  explicit Schema(std::vector<Field> fields,
                  std::vector<std::pair<std::string, std::string>> metadata = {})
      : fields_(std::move(fields)), metadata_(std::move(metadata)) {}

  const std::vector<Field>& fields() const { return fields_; }
  size_t num_fields() const { return fields_.size(); }
  const Field& field(size_t i) const { return fields_[i]; }
  /// Index of the top-level field called `name`, or -1.
  int FieldIndex(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& metadata() const { return metadata_; }

 private:
  std::vector<Field> fields_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

using SchemaPtr = std::shared_ptr<const Schema>;

/// Assigns field ids the way Iceberg assigns fresh ids: all fields of a struct first, in
/// order (top level gets 1..N), then the nested types of those fields, in field order; a map
/// numbers key then value, a list its element. Returns the last id used.
int32_t AssignFreshFieldIds(std::vector<Field>* fields, int32_t last_id = 0);

}  // namespace o2p::columnar
