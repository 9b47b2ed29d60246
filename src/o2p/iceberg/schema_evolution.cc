#include "o2p/iceberg/schema_evolution.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"

namespace o2p::iceberg {
namespace {

template <typename... Args>
Status FailedPrecondition(fmt::format_string<Args...> format, Args&&... args) {
  return {StatusCode::kFailedPrecondition, fmt::format(format, std::forward<Args>(args)...)};
}

std::string ChildPath(const std::string& parent, std::string_view name) {
  return parent.empty() ? std::string(name) : fmt::format("{}.{}", parent, name);
}

std::string_view KindName(const Type& type) {
  switch (type.kind) {
    case Type::Kind::kPrimitive: return type.primitive;
    case Type::Kind::kStruct: return "struct";
    case Type::Kind::kList: return "list";
    case Type::Kind::kMap: return "map";
  }
  return "?";
}

// "decimal(P,S)" -> {P, S}; the JSON reader has normalized the spelling.
std::optional<std::pair<int, int>> DecimalParameters(const std::string& primitive) {
  int precision = 0;
  int scale = 0;
  if (std::sscanf(primitive.c_str(), "decimal(%d,%d)", &precision, &scale) != 2) {
    return std::nullopt;
  }
  return std::make_pair(precision, scale);
}

// True when values of our primitive type can be written into the table's column: equal
// types, or a promotion the spec allows readers to apply (int -> long, float -> double,
// decimal precision widening with the same scale).
bool CanWritePrimitive(const std::string& table, const std::string& ours) {
  if (table == ours) return true;
  if (table == "long" && ours == "int") return true;
  if (table == "double" && ours == "float") return true;
  const auto table_decimal = DecimalParameters(table);
  const auto our_decimal = DecimalParameters(ours);
  return table_decimal && our_decimal && table_decimal->second == our_decimal->second &&
         table_decimal->first >= our_decimal->first;
}

// Walks the table schema and ours side by side, building the merged schema and the id map.
class SchemaMapper {
 public:
  SchemaMapper(int32_t last_assigned_id, SchemaMapping& mapping)
      : last_assigned_id_(last_assigned_id), mapping_(mapping) {}

  Result<std::vector<NestedField>> MapFields(const std::vector<NestedField>& table,
                                             const std::vector<NestedField>& ours,
                                             const std::string& path);

  int32_t last_assigned_id() const { return last_assigned_id_; }

 private:
  Result<NestedField> MapField(const NestedField& table, const NestedField& ours,
                               const std::string& path);
  Result<TypePtr> MapType(const TypePtr& table, const TypePtr& ours, const std::string& path);
  Status CheckChildren(const Type& table, const Type& ours, const std::string& path);
  NestedField AddField(const NestedField& ours, const std::string& path);
  TypePtr WithFreshIds(const TypePtr& ours);

  int32_t last_assigned_id_;
  SchemaMapping& mapping_;
};

std::size_t CountFoldedMatches(const std::vector<NestedField>& fields,
                               const std::vector<bool>& excluded, const std::string& name) {
  std::size_t count = 0;
  for (std::size_t index = 0; index < fields.size(); ++index) {
    if (!excluded[index] && EqualsIgnoreCase(fields[index].name, name)) ++count;
  }
  return count;
}

// For each table field, the index of our field with the same name: exact matches first,
// then, among the fields left on both sides, a case-insensitive match when it is the only
// one either way (so "timestamp" and "Timestamp" side by side are never confused).
std::vector<std::optional<std::size_t>> MatchByName(const std::vector<NestedField>& table,
                                                    const std::vector<NestedField>& ours) {
  std::vector<std::optional<std::size_t>> matches(table.size());
  std::vector<bool> table_taken(table.size(), false);
  std::vector<bool> ours_taken(ours.size(), false);
  auto match = [&](std::size_t table_index, std::size_t our_index) {
    matches[table_index] = our_index;
    table_taken[table_index] = true;
    ours_taken[our_index] = true;
  };
  for (std::size_t row = 0; row < table.size(); ++row) {
    for (std::size_t col = 0; col < ours.size(); ++col) {
      if (!ours_taken[col] && ours[col].name == table[row].name) {
        match(row, col);
        break;
      }
    }
  }
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (table_taken[row] || CountFoldedMatches(table, table_taken, table[row].name) != 1 ||
        CountFoldedMatches(ours, ours_taken, table[row].name) != 1) {
      continue;
    }
    for (std::size_t col = 0; col < ours.size(); ++col) {
      if (!ours_taken[col] && EqualsIgnoreCase(ours[col].name, table[row].name)) {
        match(row, col);
        break;
      }
    }
  }
  return matches;
}

Result<std::vector<NestedField>> SchemaMapper::MapFields(const std::vector<NestedField>& table,
                                                         const std::vector<NestedField>& ours,
                                                         const std::string& path) {
  const std::vector<std::optional<std::size_t>> matches = MatchByName(table, ours);
  std::vector<NestedField> merged;
  std::vector<bool> written(ours.size(), false);
  for (std::size_t index = 0; index < table.size(); ++index) {
    const NestedField& table_field = table[index];
    const std::string field_path = ChildPath(path, table_field.name);
    if (!matches[index]) {
      if (table_field.required) {
        return FailedPrecondition("table column '{}' is required but we do not write it",
                                  field_path);
      }
      merged.push_back(table_field);
      continue;
    }
    written[*matches[index]] = true;
    O2P_ASSIGN_OR_RETURN(NestedField field,
                         MapField(table_field, ours[*matches[index]], field_path));
    merged.push_back(std::move(field));
  }
  for (std::size_t index = 0; index < ours.size(); ++index) {
    if (!written[index]) merged.push_back(AddField(ours[index], ChildPath(path, ours[index].name)));
  }
  return merged;
}

Result<NestedField> SchemaMapper::MapField(const NestedField& table, const NestedField& ours,
                                           const std::string& path) {
  if (table.required && !ours.required) {
    return FailedPrecondition("table column '{}' is required but ours is optional", path);
  }
  mapping_.field_ids[ours.id] = table.id;
  NestedField merged = table;
  O2P_ASSIGN_OR_RETURN(merged.type, MapType(table.type, ours.type, path));
  return merged;
}

Result<TypePtr> SchemaMapper::MapType(const TypePtr& table, const TypePtr& ours,
                                      const std::string& path) {
  if (!table || !ours) return FailedPrecondition("column '{}' has no type", path);
  const bool same_kind = table->kind == ours->kind;
  if (!same_kind || (table->kind == Type::Kind::kPrimitive &&
                     !CanWritePrimitive(table->primitive, ours->primitive))) {
    return FailedPrecondition("column '{}' has type {} in the table but we write {}", path,
                              KindName(*table), KindName(*ours));
  }
  if (table->kind == Type::Kind::kPrimitive) return table;
  Type merged = *table;
  if (table->kind == Type::Kind::kStruct) {
    O2P_ASSIGN_OR_RETURN(merged.children, MapFields(table->children, ours->children, path));
    return TypePtr(std::make_shared<const Type>(std::move(merged)));
  }
  O2P_RETURN_IF_ERROR(CheckChildren(*table, *ours, path));
  for (std::size_t index = 0; index < table->children.size(); ++index) {
    const NestedField& table_child = table->children[index];
    const std::string child_path = ChildPath(path, table_child.name);
    O2P_ASSIGN_OR_RETURN(merged.children[index],
                         MapField(table_child, ours->children[index], child_path));
  }
  return TypePtr(std::make_shared<const Type>(std::move(merged)));
}

// Lists have one child (element) and maps two (key, value) on both sides; a malformed model
// would otherwise index out of range.
Status SchemaMapper::CheckChildren(const Type& table, const Type& ours, const std::string& path) {
  const std::size_t expected = table.kind == Type::Kind::kList ? 1 : 2;
  if (table.children.size() != expected || ours.children.size() != expected) {
    return FailedPrecondition("column '{}': malformed {} type", path, KindName(table));
  }
  return Status::Ok();
}

NestedField SchemaMapper::AddField(const NestedField& ours, const std::string& path) {
  NestedField added = ours;
  added.id = ++last_assigned_id_;
  added.required = false;
  mapping_.field_ids[ours.id] = added.id;
  mapping_.added_columns.push_back(path);
  added.type = WithFreshIds(ours.type);
  return added;
}

// Java's AssignFreshIds order: all direct children of a nested type first, then each
// child's own nested type, depth first. Children keep their optionality: only the added
// field itself must be optional.
TypePtr SchemaMapper::WithFreshIds(const TypePtr& ours) {
  if (!ours || ours->kind == Type::Kind::kPrimitive) return ours;
  Type fresh = *ours;
  for (NestedField& child : fresh.children) {
    const int32_t new_id = ++last_assigned_id_;
    mapping_.field_ids[child.id] = new_id;
    child.id = new_id;
  }
  for (NestedField& child : fresh.children) child.type = WithFreshIds(child.type);
  return std::make_shared<const Type>(std::move(fresh));
}

}  // namespace

Result<SchemaMapping> MapSchema(const Schema& table, int32_t last_column_id, const Schema& ours) {
  SchemaMapping mapping;
  // Never hand out an id the table already uses, even if its last-column-id lags behind.
  SchemaMapper mapper(std::max(last_column_id, HighestFieldId(table.fields)), mapping);
  O2P_ASSIGN_OR_RETURN(std::vector<NestedField> fields,
                       mapper.MapFields(table.fields, ours.fields, ""));
  mapping.schema = table;
  mapping.schema.fields = std::move(fields);
  mapping.last_column_id = last_column_id;
  if (mapping.schema_changed()) {
    mapping.schema.schema_id = table.schema_id + 1;
    mapping.last_column_id = mapper.last_assigned_id();
  }
  return mapping;
}

Result<SchemaMapping> MapSchemaForTable(const TableMetadata& metadata, const Schema& ours) {
  const Schema* current = metadata.CurrentSchema();
  if (current == nullptr) {
    return Status::InvalidArgument("table metadata has no schema with current-schema-id {}",
                                   metadata.current_schema_id);
  }
  O2P_ASSIGN_OR_RETURN(SchemaMapping mapping, MapSchema(*current, metadata.last_column_id, ours));
  if (mapping.schema_changed()) {
    int32_t highest = current->schema_id;
    for (const Schema& schema : metadata.schemas) highest = std::max(highest, schema.schema_id);
    mapping.schema.schema_id = highest + 1;
  }
  return mapping;
}

}  // namespace o2p::iceberg
