// Types and schemas <-> JSON (Iceberg table spec, Appendix C "Schemas").
#include <cassert>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"
#include "o2p/iceberg/internal/json_serde.h"
#include "o2p/iceberg/json.h"

namespace o2p::iceberg {
namespace internal {
namespace {

// Spec: "decimal(P,S)": precision must be 38 or less.
constexpr int kMaxDecimalPrecision = 38;

// Primitive names without parameters; v3 adds "unknown" and "variant" and the *_ns timestamps.
constexpr std::string_view kPlainPrimitives[] = {
    "boolean", "int",       "long",        "float",        "double",         "date",
    "time",    "timestamp", "timestamptz", "timestamp_ns", "timestamptz_ns", "string",
    "uuid",    "binary",    "unknown",     "variant"};

std::optional<int> ParseNonNegative(std::string_view digits) {
  int value = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, error] = std::from_chars(digits.data(), end, value);
  if (digits.empty() || error != std::errc() || ptr != end || value < 0) return std::nullopt;
  return value;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// "decimal(P,S)" or Java's "decimal(P, S)" -> "decimal(P,S)", the spelling the spec uses.
std::optional<std::string> NormalizeDecimal(std::string_view text) {
  constexpr std::string_view kPrefix = "decimal(";
  if (text.substr(0, kPrefix.size()) != kPrefix || text.back() != ')') return std::nullopt;
  const std::string_view inner = text.substr(kPrefix.size(), text.size() - kPrefix.size() - 1);
  const std::size_t comma = inner.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  const std::optional<int> precision = ParseNonNegative(Trim(inner.substr(0, comma)));
  const std::optional<int> scale = ParseNonNegative(Trim(inner.substr(comma + 1)));
  if (!precision || !scale || *precision == 0 || *precision > kMaxDecimalPrecision ||
      *scale > *precision) {
    return std::nullopt;
  }
  return fmt::format("decimal({},{})", *precision, *scale);
}

std::optional<std::string> NormalizeFixed(std::string_view text) {
  constexpr std::string_view kPrefix = "fixed[";
  if (text.substr(0, kPrefix.size()) != kPrefix || text.back() != ']') return std::nullopt;
  const std::optional<int> length =
      ParseNonNegative(Trim(text.substr(kPrefix.size(), text.size() - kPrefix.size() - 1)));
  if (!length || *length == 0) return std::nullopt;
  return fmt::format("fixed[{}]", *length);
}

// The canonical spelling of a primitive type name, or nullopt when it is not one. Names are
// read case-insensitively, as Iceberg's Java Types.fromPrimitiveString does.
std::optional<std::string> NormalizePrimitive(std::string_view name) {
  const std::string lower = AsciiLower(Trim(name));
  if (lower.empty()) return std::nullopt;
  for (std::string_view plain : kPlainPrimitives) {
    if (lower == plain) return lower;
  }
  if (std::optional<std::string> decimal = NormalizeDecimal(lower)) return decimal;
  if (std::optional<std::string> fixed = NormalizeFixed(lower)) return fixed;
  // v3 geospatial types carry CRS parameters we only pass through.
  if (lower == "geometry" || lower == "geography" || lower.rfind("geometry(", 0) == 0 ||
      lower.rfind("geography(", 0) == 0) {
    return std::string(Trim(name));
  }
  return std::nullopt;
}

boost::json::object FieldToObject(const NestedField& field) {
  boost::json::object object;
  object["id"] = field.id;
  object["name"] = ToBoost(field.name);
  object["required"] = field.required;
  object["type"] = field.type ? TypeToValue(*field.type) : boost::json::value("unknown");
  if (!field.doc.empty()) object["doc"] = ToBoost(field.doc);
  return object;
}

boost::json::array FieldsToArray(const std::vector<NestedField>& fields) {
  boost::json::array array;
  for (const NestedField& field : fields) array.push_back(FieldToObject(field));
  return array;
}

boost::json::object ListToObject(const Type& type) {
  assert(type.children.size() == 1 && "a list type has exactly one child");
  const NestedField& element = type.children[0];
  boost::json::object object;
  object["type"] = "list";
  object["element-id"] = element.id;
  object["element"] = TypeToValue(*element.type);
  object["element-required"] = element.required;
  return object;
}

boost::json::object MapToObject(const Type& type) {
  assert(type.children.size() == 2 && "a map type has a key and a value child");
  const NestedField& key = type.children[0];
  const NestedField& value = type.children[1];
  boost::json::object object;
  object["type"] = "map";
  object["key-id"] = key.id;
  object["key"] = TypeToValue(*key.type);
  object["value-id"] = value.id;
  object["value"] = TypeToValue(*value.type);
  object["value-required"] = value.required;
  return object;
}

Result<NestedField> ReadField(const JsonCursor& cursor) {
  NestedField field;
  O2P_ASSIGN_OR_RETURN(field.id, cursor.Required<int32_t>("id"));
  O2P_ASSIGN_OR_RETURN(field.name, cursor.Required<std::string>("name"));
  O2P_ASSIGN_OR_RETURN(field.required, cursor.Required<bool>("required"));
  O2P_ASSIGN_OR_RETURN(JsonCursor type, cursor.Member("type"));
  O2P_ASSIGN_OR_RETURN(field.type, ReadType(type));
  O2P_ASSIGN_OR_RETURN(field.doc, cursor.OptionalOr<std::string>("doc", ""));
  return field;
}

Result<std::vector<NestedField>> ReadFields(const JsonCursor& cursor) {
  O2P_ASSIGN_OR_RETURN(JsonCursor fields, cursor.Member("fields"));
  O2P_ASSIGN_OR_RETURN(std::vector<JsonCursor> elements, fields.Elements());
  std::vector<NestedField> result;
  result.reserve(elements.size());
  for (const JsonCursor& element : elements) {
    O2P_ASSIGN_OR_RETURN(NestedField field, ReadField(element));
    result.push_back(std::move(field));
  }
  return result;
}

// A list element or map key/value: its id, type and optionality sit in the parent object
// under "<role>-id", "<role>" and "<role>-required".
Result<NestedField> ReadChild(const JsonCursor& cursor, std::string_view role, bool required) {
  NestedField child;
  child.name = std::string(role);
  child.required = required;
  O2P_ASSIGN_OR_RETURN(child.id, cursor.Required<int32_t>(fmt::format("{}-id", role)));
  O2P_ASSIGN_OR_RETURN(JsonCursor type, cursor.Member(role));
  O2P_ASSIGN_OR_RETURN(child.type, ReadType(type));
  return child;
}

Result<TypePtr> ReadNestedType(const JsonCursor& cursor) {
  O2P_ASSIGN_OR_RETURN(const std::string kind, cursor.Required<std::string>("type"));
  Type type;
  if (kind == "struct") {
    type.kind = Type::Kind::kStruct;
    O2P_ASSIGN_OR_RETURN(type.children, ReadFields(cursor));
  } else if (kind == "list") {
    type.kind = Type::Kind::kList;
    O2P_ASSIGN_OR_RETURN(const bool required, cursor.Required<bool>("element-required"));
    O2P_ASSIGN_OR_RETURN(NestedField element, ReadChild(cursor, "element", required));
    type.children.push_back(std::move(element));
  } else if (kind == "map") {
    type.kind = Type::Kind::kMap;
    O2P_ASSIGN_OR_RETURN(const bool value_required, cursor.Required<bool>("value-required"));
    // Spec: map keys are always required.
    O2P_ASSIGN_OR_RETURN(NestedField key, ReadChild(cursor, "key", true));
    O2P_ASSIGN_OR_RETURN(NestedField value, ReadChild(cursor, "value", value_required));
    type.children.push_back(std::move(key));
    type.children.push_back(std::move(value));
  } else {
    O2P_ASSIGN_OR_RETURN(JsonCursor kind_cursor, cursor.Member("type"));
    return kind_cursor.Error(fmt::format("unknown nested type '{}'", kind));
  }
  return TypePtr(std::make_shared<const Type>(std::move(type)));
}

// Field ids must be unique across the whole schema (spec "Schemas"), or mapping columns by
// id would be ambiguous.
Status CheckUniqueIds(const std::vector<NestedField>& fields, std::set<int32_t>& seen) {
  for (const NestedField& field : fields) {
    if (!seen.insert(field.id).second) {
      return Status::InvalidArgument("duplicate field id {} (field '{}')", field.id, field.name);
    }
    if (field.type) O2P_RETURN_IF_ERROR(CheckUniqueIds(field.type->children, seen));
  }
  return Status::Ok();
}

}  // namespace

boost::json::value TypeToValue(const Type& type) {
  switch (type.kind) {
    case Type::Kind::kPrimitive: return ToBoost(type.primitive);
    case Type::Kind::kList: return ListToObject(type);
    case Type::Kind::kMap: return MapToObject(type);
    case Type::Kind::kStruct: break;
  }
  boost::json::object object;
  object["type"] = "struct";
  object["fields"] = FieldsToArray(type.children);
  return object;
}

boost::json::object SchemaToObject(const Schema& schema) {
  boost::json::object object;
  object["type"] = "struct";
  object["schema-id"] = schema.schema_id;
  if (!schema.identifier_field_ids.empty()) {
    boost::json::array ids;
    for (int32_t id : schema.identifier_field_ids) ids.push_back(id);
    object["identifier-field-ids"] = std::move(ids);
  }
  object["fields"] = FieldsToArray(schema.fields);
  return object;
}

Result<TypePtr> ReadType(const JsonCursor& cursor) {
  if (cursor.value().is_object()) return ReadNestedType(cursor);
  if (!cursor.value().is_string()) {
    return cursor.Error("expected a primitive type name or a struct, list or map object");
  }
  O2P_ASSIGN_OR_RETURN(const std::string name, cursor.As<std::string>());
  std::optional<std::string> primitive = NormalizePrimitive(name);
  if (!primitive) return cursor.Error(fmt::format("unknown primitive type '{}'", name));
  return TypePtr(std::make_shared<const Type>(
      Type{Type::Kind::kPrimitive, *std::move(primitive), /*children=*/{}}));
}

Result<Schema> ReadSchema(const JsonCursor& cursor) {
  O2P_RETURN_IF_ERROR(cursor.ExpectObject());
  Schema schema;
  // Spec: "schema-id" is optional in v1 metadata and read-only in create requests.
  O2P_ASSIGN_OR_RETURN(schema.schema_id, cursor.OptionalOr<int32_t>("schema-id", 0));
  O2P_ASSIGN_OR_RETURN(schema.fields, ReadFields(cursor));
  if (std::optional<JsonCursor> ids = cursor.FindMember("identifier-field-ids")) {
    O2P_ASSIGN_OR_RETURN(std::vector<JsonCursor> elements, ids->Elements());
    for (const JsonCursor& element : elements) {
      O2P_ASSIGN_OR_RETURN(const int32_t id, element.As<int32_t>());
      schema.identifier_field_ids.push_back(id);
    }
  }
  std::set<int32_t> seen;
  if (Status unique = CheckUniqueIds(schema.fields, seen); !unique.ok()) {
    return cursor.Error(unique.message());
  }
  return schema;
}

}  // namespace internal

std::string TypeToJson(const Type& type) {
  return internal::SerializeJson(internal::TypeToValue(type));
}

Result<TypePtr> TypeFromJson(std::string_view json) {
  O2P_ASSIGN_OR_RETURN(const boost::json::value document, internal::ParseJsonText(json));
  return internal::ReadType(internal::JsonCursor(document, ""));
}

std::string SchemaToJson(const Schema& schema) {
  return internal::SerializeJson(internal::SchemaToObject(schema));
}

Result<Schema> SchemaFromJson(std::string_view json) {
  O2P_ASSIGN_OR_RETURN(const boost::json::value document, internal::ParseJsonText(json));
  return internal::ReadSchema(internal::JsonCursor(document, ""));
}

}  // namespace o2p::iceberg
