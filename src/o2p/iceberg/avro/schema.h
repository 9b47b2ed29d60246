// Avro schemas parsed from their JSON form (Avro 1.11 specification, "Schema Declaration"),
// as the OCF reader needs them: the writer's schema is embedded in every container file and
// drives the generic decoder (datum_reader.h).
//
//   O2P_ASSIGN_OR_RETURN(Schema schema, Schema::Parse(json_text));
//   const Node& root = schema.root();
//
// Besides the Avro structure, the Iceberg attributes a manifest reader resolves columns with
// are kept: "field-id" on record fields, "element-id" on arrays and "logicalType".
// Named types (records, enums, fixed) may be referenced by name after their definition,
// including recursively; the decoder's depth limit keeps such schemas from looping.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"

namespace o2p::iceberg::avro {

enum class AvroType : uint8_t {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

/// "null", "record", ... as in the JSON.
std::string_view AvroTypeName(AvroType type);

struct Node;

struct Field {
  std::string name;
  const Node* type = nullptr;
  std::optional<int32_t> field_id;  // Iceberg "field-id"
};

/// One schema node. Nodes are owned by their Schema and refer to each other by pointer.
struct Node {
  AvroType type = AvroType::kNull;
  std::string name;                   // full name of a record, enum or fixed
  std::string logical_type;           // "date", "map", ...; empty when absent
  std::vector<Field> fields;          // record
  std::vector<const Node*> branches;  // union
  const Node* items = nullptr;        // array items, map values
  std::vector<std::string> symbols;   // enum
  uint64_t fixed_size = 0;            // fixed
  std::optional<int32_t> element_id;  // Iceberg "element-id" on arrays

  /// The record field named `name`, or nullptr.
  const Field* FindField(std::string_view field_name) const;
};

class Schema {
 public:
  Schema() = default;

  /// Parses Avro schema JSON. Errors are InvalidArgument naming the offending type or field.
  static Result<Schema> Parse(std::string_view json);

  /// REQUIRES: a schema returned by Parse.
  const Node& root() const { return *root_; }

 private:
  friend class SchemaParser;
  // unique_ptr keeps node addresses stable when the Schema is moved.
  std::vector<std::unique_ptr<Node>> nodes_;
  const Node* root_ = nullptr;
};

}  // namespace o2p::iceberg::avro
