#include "o2p/parquet/schema.h"

#include <unordered_set>
#include <utility>

#include "o2p/base/macros.h"

namespace o2p::parquet {
namespace {

using columnar::Field;
using columnar::TypeId;
using format::ConvertedType;
using format::LogicalType;
using format::Repetition;
using format::SchemaElement;

// Parquet's nesting levels are small integers; a deeper schema is a bug, not data.
constexpr size_t kMaxDepth = 64;

class SchemaBuilder {
 public:
  Status AddTopLevel(const Field& field, size_t index) {
    LeafPath path;
    path.top_level_index = index;
    return AddField(field, path, {}, 0);
  }

  ParquetSchema Release() { return std::move(out_); }

 private:
  Status AddField(const Field& field, const LeafPath& path, std::vector<std::string> names,
                  size_t depth);
  Status AddPrimitive(const Field& field, LeafPath path, std::vector<std::string> names);
  Status AddList(const Field& field, const LeafPath& path, std::vector<std::string> names,
                 size_t depth);
  Status AddMap(const Field& field, const LeafPath& path, std::vector<std::string> names,
                size_t depth);
  Status AddStruct(const Field& field, const LeafPath& path, const std::vector<std::string>& names,
                   size_t depth);
  Status CheckField(const Field& field, size_t depth);
  SchemaElement& AddGroup(const Field& field, int32_t num_children);
  SchemaElement& AddRepeatedGroup(std::string name, int32_t num_children);

  ParquetSchema out_;
  std::unordered_set<int32_t> ids_;
};

Status SchemaBuilder::CheckField(const Field& field, size_t depth) {
  if (field.name.empty()) return Status::InvalidArgument("parquet: a field has no name");
  if (field.type == nullptr)
    return Status::InvalidArgument("parquet: field '{}' has no type", field.name);
  if (depth > kMaxDepth)
    return Status::InvalidArgument("parquet: field '{}' nests too deep", field.name);
  if (field.field_id < 0) {
    return Status::InvalidArgument("parquet: field '{}' has no field id", field.name);
  }
  if (!ids_.insert(field.field_id).second) {
    return Status::InvalidArgument("parquet: field id {} is used twice ('{}')", field.field_id,
                                   field.name);
  }
  return Status::Ok();
}

Status SchemaBuilder::AddField(const Field& field, const LeafPath& path,
                               std::vector<std::string> names, size_t depth) {
  O2P_RETURN_IF_ERROR(CheckField(field, depth));
  names.push_back(field.name);
  switch (field.type->id()) {
    case TypeId::kList: return AddList(field, path, std::move(names), depth);
    case TypeId::kMap: return AddMap(field, path, std::move(names), depth);
    case TypeId::kStruct: return AddStruct(field, path, names, depth);
    default: return AddPrimitive(field, path, std::move(names));
  }
}

SchemaElement& SchemaBuilder::AddGroup(const Field& field, int32_t num_children) {
  SchemaElement& e = out_.elements.emplace_back();
  e.repetition_type = field.nullable ? Repetition::kOptional : Repetition::kRequired;
  e.name = field.name;
  e.num_children = num_children;
  e.field_id = field.field_id;
  return e;
}

SchemaElement& SchemaBuilder::AddRepeatedGroup(std::string name, int32_t num_children) {
  SchemaElement& e = out_.elements.emplace_back();
  e.repetition_type = Repetition::kRepeated;
  e.name = std::move(name);
  e.num_children = num_children;
  return e;
}

Status SchemaBuilder::AddList(const Field& field, const LeafPath& path,
                              std::vector<std::string> names, size_t depth) {
  SchemaElement& group = AddGroup(field, 1);
  group.converted_type = ConvertedType::kList;
  group.logical_type.kind = LogicalType::Kind::kList;
  AddRepeatedGroup("list", 1);
  names.emplace_back("list");
  LeafPath child = path;
  child.nodes.push_back({PathNode::Kind::kList, field.nullable, 0});
  return AddField(field.type->children().at(0), child, std::move(names), depth + 1);
}

Status SchemaBuilder::AddMap(const Field& field, const LeafPath& path,
                             std::vector<std::string> names, size_t depth) {
  const Field& key = field.type->children().at(0);
  const Field& value = field.type->children().at(1);
  if (key.type == nullptr || key.type->id() != TypeId::kString || key.nullable) {
    return Status::InvalidArgument("parquet: map '{}' needs a required string key", field.name);
  }
  SchemaElement& group = AddGroup(field, 1);
  group.converted_type = ConvertedType::kMap;
  group.logical_type.kind = LogicalType::Kind::kMap;
  // No annotation on key_value: MAP_KEY_VALUE is only a legacy alias (LogicalTypes.md, Maps),
  // and Iceberg, Arrow and parquet-java write none.
  AddRepeatedGroup("key_value", 2);
  names.emplace_back("key_value");
  for (uint16_t i = 0; i < 2; ++i) {
    LeafPath child = path;
    child.nodes.push_back({PathNode::Kind::kMap, field.nullable, i});
    O2P_RETURN_IF_ERROR(AddField(i == 0 ? key : value, child, names, depth + 1));
  }
  return Status::Ok();
}

Status SchemaBuilder::AddStruct(const Field& field, const LeafPath& path,
                                const std::vector<std::string>& names, size_t depth) {
  const std::vector<Field>& members = field.type->children();
  if (members.empty()) {
    return Status::InvalidArgument("parquet: struct '{}' has no fields", field.name);
  }
  AddGroup(field, static_cast<int32_t>(members.size()));
  for (size_t i = 0; i < members.size(); ++i) {
    LeafPath child = path;
    child.nodes.push_back({PathNode::Kind::kStruct, field.nullable, static_cast<uint16_t>(i)});
    O2P_RETURN_IF_ERROR(AddField(members[i], child, names, depth + 1));
  }
  return Status::Ok();
}

// Physical type plus logical and legacy converted annotations (schema.md "Types"; the
// converted type is set beside every logical type, as parquet.thrift's LogicalType table asks).
void Annotate(TypeId id, SchemaElement* e) {
  switch (id) {
    case TypeId::kBoolean: e->type = format::Type::kBoolean; break;
    case TypeId::kDouble: e->type = format::Type::kDouble; break;
    case TypeId::kInt32:
      e->type = format::Type::kInt32;
      e->converted_type = ConvertedType::kInt32;
      e->logical_type = {.kind = LogicalType::Kind::kInteger, .bit_width = 32, .is_signed = true};
      break;
    case TypeId::kInt64:
      e->type = format::Type::kInt64;
      e->converted_type = ConvertedType::kInt64;
      e->logical_type = {.kind = LogicalType::Kind::kInteger, .bit_width = 64, .is_signed = true};
      break;
    case TypeId::kString:
      e->type = format::Type::kByteArray;
      e->converted_type = ConvertedType::kUtf8;
      e->logical_type.kind = LogicalType::Kind::kString;
      break;
    case TypeId::kTimestamp:
      e->type = format::Type::kInt64;
      e->converted_type = ConvertedType::kTimestampMicros;
      e->logical_type = {.kind = LogicalType::Kind::kTimestamp,
                         .is_adjusted_to_utc = true,
                         .unit = format::TimeUnit::kMicros};
      break;
    default: break;
  }
}

Status SchemaBuilder::AddPrimitive(const Field& field, LeafPath path,
                                   std::vector<std::string> names) {
  SchemaElement& e = out_.elements.emplace_back();
  e.repetition_type = field.nullable ? Repetition::kOptional : Repetition::kRequired;
  e.name = field.name;
  e.field_id = field.field_id;
  Annotate(field.type->id(), &e);

  path.nodes.push_back({PathNode::Kind::kLeaf, field.nullable, 0});
  for (const PathNode& node : path.nodes) {
    const bool repeated = node.kind == PathNode::Kind::kList || node.kind == PathNode::Kind::kMap;
    path.max_def_level =
        static_cast<int16_t>(path.max_def_level + (node.nullable ? 1 : 0) + (repeated ? 1 : 0));
    path.max_rep_level = static_cast<int16_t>(path.max_rep_level + (repeated ? 1 : 0));
  }
  LeafColumn& leaf = out_.leaves.emplace_back();
  leaf.physical_type = *e.type;
  leaf.type_id = field.type->id();
  leaf.field_id = field.field_id;
  for (const std::string& name : names) {
    if (!leaf.dotted_path.empty()) leaf.dotted_path += '.';
    leaf.dotted_path += name;
  }
  leaf.path_in_schema = std::move(names);
  leaf.path = std::move(path);
  return Status::Ok();
}

}  // namespace

Result<ParquetSchema> BuildParquetSchema(const columnar::Schema& schema) {
  if (schema.num_fields() == 0) return Status::InvalidArgument("parquet: the schema has no fields");
  SchemaBuilder builder;
  for (size_t i = 0; i < schema.num_fields(); ++i) {
    O2P_RETURN_IF_ERROR(builder.AddTopLevel(schema.field(i), i));
  }
  ParquetSchema out = builder.Release();
  SchemaElement root;  // the root has no repetition and no id (parquet.thrift SchemaElement.3)
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema.num_fields());
  out.elements.insert(out.elements.begin(), std::move(root));
  return out;
}

}  // namespace o2p::parquet
