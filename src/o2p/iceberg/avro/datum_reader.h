// Generic Avro decoding: a datum in Avro binary form plus its writer schema -> a small
// dynamic Value tree. Used to read container files written by other Iceberg implementations
// (Java, Spark, PyIceberg), whose manifest schemas may order fields differently or carry extra
// fields; callers then look fields up by id or name instead of by position.
//
//   DecodeBudget budget;  // shared by every datum of one file
//   O2P_ASSIGN_OR_RETURN(Value v, DecodeDatum(schema.root(), decoder, budget));
//   const Value* path = v.Field("manifest_path");
//
// Hostile input is expected: recursion depth and the memory a file may make us allocate are
// bounded, and every failure is a Status that names the byte offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/iceberg/avro/encoding.h"
#include "o2p/iceberg/avro/schema.h"

namespace o2p::iceberg::avro {

/// A decoded datum. Unions are resolved: the value is that of the branch that was written
/// (`union_branch` says which). Values refer to their schema nodes, so they are valid only as
/// long as the Schema they were decoded with.
struct Value {
  /// The node this value was decoded with (never a union); kNull for a null branch.
  const Node* schema = nullptr;
  AvroType type = AvroType::kNull;
  bool boolean = false;
  int64_t integer = 0;            // int, long, enum index
  double real = 0;                // float, double
  std::string bytes;              // bytes, string, fixed, enum symbol
  std::vector<Value> items;       // array elements, map values, record fields in schema order
  std::vector<std::string> keys;  // map keys, parallel to items
  int32_t union_branch = -1;      // branch index when decoded through a union

  bool is_null() const { return type == AvroType::kNull; }
  /// Records: the field named `name`, or nullptr when the schema has no such field.
  const Value* Field(std::string_view name) const;
  /// Records: the field whose Iceberg field-id is `id`, or nullptr.
  const Value* FieldById(int32_t id) const;
};

/// Limits shared by all datums of one file.
struct DecodeBudget {
  /// Schema nesting beyond this is rejected (recursive schemas would otherwise loop).
  int max_depth = 64;
  /// An estimate of the memory the decoded values take; decoding fails beyond it.
  uint64_t remaining_bytes = uint64_t{256} << 20;
};

/// Decodes one datum written with `schema` from `decoder`.
Result<Value> DecodeDatum(const Node& schema, Decoder& decoder, DecodeBudget& budget);

}  // namespace o2p::iceberg::avro
