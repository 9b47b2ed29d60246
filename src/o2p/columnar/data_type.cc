#include "o2p/columnar/data_type.h"

#include <fmt/format.h>

namespace o2p::columnar {

std::string_view TypeIdName(TypeId id) {
  switch (id) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kInt32: return "int";
    case TypeId::kInt64: return "long";
    case TypeId::kDouble: return "double";
    case TypeId::kString: return "string";
    case TypeId::kTimestamp: return "timestamptz";
    case TypeId::kList: return "list";
    case TypeId::kStruct: return "struct";
    case TypeId::kMap: return "map";
  }
  return "unknown";
}

std::string DataType::ToString() const {
  switch (id_) {
    case TypeId::kList:
      return fmt::format("list<{}>", children_[0].type->ToString());
    case TypeId::kMap:
      return fmt::format("map<{},{}>", children_[0].type->ToString(),
                         children_[1].type->ToString());
    case TypeId::kStruct: {
      std::string out = "struct<";
      for (size_t i = 0; i < children_.size(); ++i) {
        if (i > 0) out += ',';
        out += fmt::format("{}:{}", children_[i].name, children_[i].type->ToString());
      }
      return out + ">";
    }
    default:
      return std::string(TypeIdName(id_));
  }
}

namespace {
DataTypePtr MakePrimitive(TypeId id) { return std::make_shared<const DataType>(id, std::vector<Field>{}); }
}  // namespace

DataTypePtr Boolean() { static const DataTypePtr t = MakePrimitive(TypeId::kBoolean); return t; }
DataTypePtr Int32() { static const DataTypePtr t = MakePrimitive(TypeId::kInt32); return t; }
DataTypePtr Int64() { static const DataTypePtr t = MakePrimitive(TypeId::kInt64); return t; }
DataTypePtr Float64() { static const DataTypePtr t = MakePrimitive(TypeId::kDouble); return t; }
DataTypePtr String() { static const DataTypePtr t = MakePrimitive(TypeId::kString); return t; }
DataTypePtr Timestamp() { static const DataTypePtr t = MakePrimitive(TypeId::kTimestamp); return t; }

DataTypePtr List(Field element) {
  element.name = "element";
  return std::make_shared<const DataType>(TypeId::kList, std::vector<Field>{std::move(element)});
}

DataTypePtr Struct(std::vector<Field> fields) {
  return std::make_shared<const DataType>(TypeId::kStruct, std::move(fields));
}

DataTypePtr Map(Field key, Field value) {
  key.name = "key";
  key.nullable = false;
  value.name = "value";
  return std::make_shared<const DataType>(TypeId::kMap,
                                          std::vector<Field>{std::move(key), std::move(value)});
}

int Schema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int32_t AssignFreshFieldIds(std::vector<Field>* fields, int32_t last_id) {
  for (Field& f : *fields) f.field_id = ++last_id;
  for (Field& f : *fields) {
    if (!f.type->is_nested()) continue;
    // Types are shared and immutable: rebuild the nested type with numbered children.
    std::vector<Field> children = f.type->children();
    last_id = AssignFreshFieldIds(&children, last_id);
    f.type = std::make_shared<const DataType>(f.type->id(), std::move(children));
  }
  return last_id;
}

}  // namespace o2p::columnar
