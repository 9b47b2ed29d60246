#include "o2p/iceberg/avro/schema.h"

#include <array>
#include <functional>
#include <map>
#include <utility>

#include <boost/json.hpp>

#include "o2p/base/macros.h"

namespace o2p::iceberg::avro {

namespace json = boost::json;

namespace {

// Schemas this deep are not written by any Iceberg implementation; the limit keeps a hostile
// schema from exhausting the stack while parsing.
constexpr int kMaxSchemaDepth = 64;

constexpr std::array<std::pair<std::string_view, AvroType>, 8> kPrimitives = {{
    {"null", AvroType::kNull},
    {"boolean", AvroType::kBoolean},
    {"int", AvroType::kInt},
    {"long", AvroType::kLong},
    {"float", AvroType::kFloat},
    {"double", AvroType::kDouble},
    {"bytes", AvroType::kBytes},
    {"string", AvroType::kString},
}};

std::optional<AvroType> PrimitiveType(std::string_view name) {
  for (const auto& [primitive_name, type] : kPrimitives) {
    if (primitive_name == name) return type;
  }
  return std::nullopt;
}

std::string_view View(const json::string& text) { return {text.data(), text.size()}; }

std::string_view StringAttribute(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return View(value->get_string());
}

// An optional integer attribute ("field-id", "element-id"); present but not a 32-bit
// integer is an error, since Iceberg resolves columns by these ids.
Result<std::optional<int32_t>> Int32Attribute(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return std::optional<int32_t>();
  if (value->is_int64() && value->get_int64() >= INT32_MIN && value->get_int64() <= INT32_MAX) {
    return std::optional<int32_t>(static_cast<int32_t>(value->get_int64()));
  }
  if (value->is_uint64() && value->get_uint64() <= INT32_MAX) {
    return std::optional<int32_t>(static_cast<int32_t>(value->get_uint64()));
  }
  return Status::InvalidArgument("avro schema: attribute '{}' is not a 32-bit integer", key);
}

}  // namespace

std::string_view AvroTypeName(AvroType type) {
  for (const auto& [name, primitive] : kPrimitives) {
    if (primitive == type) return name;
  }
  switch (type) {
    case AvroType::kRecord: return "record";
    case AvroType::kEnum: return "enum";
    case AvroType::kArray: return "array";
    case AvroType::kMap: return "map";
    case AvroType::kUnion: return "union";
    case AvroType::kFixed: return "fixed";
    default: return "unknown";
  }
}

const Field* Node::FindField(std::string_view field_name) const {
  for (const Field& field : fields) {
    if (field.name == field_name) return &field;
  }
  return nullptr;
}

// Builds the node graph of one Schema. Named types are registered by full name before their
// fields are parsed, so a record may refer to itself.
class SchemaParser {
 public:
  explicit SchemaParser(Schema* schema) : schema_(schema) {}

  Result<const Node*> ParseType(const json::value& value, const std::string& ns, int depth) {
    if (depth > kMaxSchemaDepth) return Status::InvalidArgument("avro schema: nested too deeply");
    if (value.is_string()) return ParseTypeName(View(value.get_string()), ns);
    if (value.is_array()) return ParseUnion(value.get_array(), ns, depth);
    if (value.is_object()) return ParseObject(value.get_object(), ns, depth);
    return Status::InvalidArgument("avro schema: a type must be a string, array or object");
  }

 private:
  Node* NewNode(AvroType type) {
    schema_->nodes_.push_back(std::make_unique<Node>());
    schema_->nodes_.back()->type = type;
    return schema_->nodes_.back().get();
  }

  Result<const Node*> ParseTypeName(std::string_view name, const std::string& ns) {
    if (std::optional<AvroType> primitive = PrimitiveType(name)) return NewNode(*primitive);
    if (name.find('.') == std::string_view::npos && !ns.empty()) {
      auto qualified = named_.find(ns + "." + std::string(name));
      if (qualified != named_.end()) return qualified->second;
    }
    auto found = named_.find(name);
    if (found == named_.end())
      return Status::InvalidArgument("avro schema: unknown type '{}'", name);
    return found->second;
  }

  Result<const Node*> ParseUnion(const json::array& branches, const std::string& ns, int depth) {
    if (branches.empty()) return Status::InvalidArgument("avro schema: empty union");
    Node* node = NewNode(AvroType::kUnion);
    for (const json::value& branch : branches) {
      O2P_ASSIGN_OR_RETURN(const Node* parsed, ParseType(branch, ns, depth + 1));
      // Avro 1.11, "Unions": a union may not immediately contain another union.
      if (parsed->type == AvroType::kUnion) {
        return Status::InvalidArgument("avro schema: union directly inside a union");
      }
      node->branches.push_back(parsed);
    }
    return node;
  }

  Result<const Node*> ParseObject(const json::object& object, const std::string& ns, int depth) {
    const json::value* type_value = object.if_contains("type");
    if (type_value == nullptr) return Status::InvalidArgument("avro schema: object without 'type'");
    if (!type_value->is_string()) return ParseType(*type_value, ns, depth + 1);
    const std::string_view type = StringAttribute(object, "type");
    if (type == "record" || type == "error") return ParseRecord(object, ns, depth);
    if (type == "enum") return ParseEnum(object, ns);
    if (type == "fixed") return ParseFixed(object, ns);
    if (type == "array" || type == "map") return ParseContainer(object, type, ns, depth);
    if (std::optional<AvroType> primitive = PrimitiveType(type)) {
      Node* node = NewNode(*primitive);
      node->logical_type = std::string(StringAttribute(object, "logicalType"));
      return node;
    }
    return ParseTypeName(type, ns);
  }

  // Registers a named type and returns the namespace its children inherit.
  Result<std::string> DeclareName(const json::object& object, const std::string& ns, Node* node) {
    std::string name(StringAttribute(object, "name"));
    if (name.empty()) return Status::InvalidArgument("avro schema: named type without a name");
    std::string child_ns = ns;
    if (object.contains("namespace")) child_ns = std::string(StringAttribute(object, "namespace"));
    const size_t dot = name.rfind('.');
    if (dot != std::string::npos) {
      child_ns = name.substr(0, dot);
    } else if (!child_ns.empty()) {
      name = child_ns + "." + name;
    }
    if (!named_.emplace(name, node).second) {
      return Status::InvalidArgument("avro schema: type '{}' defined twice", name);
    }
    node->name = std::move(name);
    return child_ns;
  }

  Result<const Node*> ParseRecord(const json::object& object, const std::string& ns, int depth) {
    Node* node = NewNode(AvroType::kRecord);
    O2P_ASSIGN_OR_RETURN(std::string child_ns, DeclareName(object, ns, node));
    const json::value* fields = object.if_contains("fields");
    if (fields == nullptr || !fields->is_array()) {
      return Status::InvalidArgument("avro schema: record '{}' without a fields array", node->name);
    }
    for (const json::value& field_json : fields->get_array()) {
      if (!field_json.is_object() || !field_json.get_object().contains("type")) {
        return Status::InvalidArgument("avro schema: bad field in record '{}'", node->name);
      }
      const json::object& field_object = field_json.get_object();
      Field field;
      field.name = std::string(StringAttribute(field_object, "name"));
      if (field.name.empty() || node->FindField(field.name) != nullptr) {
        return Status::InvalidArgument("avro schema: missing or repeated field name in '{}'",
                                       node->name);
      }
      O2P_ASSIGN_OR_RETURN(field.field_id, Int32Attribute(field_object, "field-id"));
      O2P_ASSIGN_OR_RETURN(field.type, ParseType(field_object.at("type"), child_ns, depth + 1));
      node->fields.push_back(std::move(field));
    }
    return node;
  }

  Result<const Node*> ParseEnum(const json::object& object, const std::string& ns) {
    Node* node = NewNode(AvroType::kEnum);
    O2P_RETURN_IF_ERROR(DeclareName(object, ns, node));
    const json::value* symbols = object.if_contains("symbols");
    if (symbols == nullptr || !symbols->is_array()) {
      return Status::InvalidArgument("avro schema: enum '{}' without symbols", node->name);
    }
    for (const json::value& symbol : symbols->get_array()) {
      if (!symbol.is_string()) return Status::InvalidArgument("avro schema: bad enum symbol");
      node->symbols.emplace_back(View(symbol.get_string()));
    }
    return node;
  }

  Result<const Node*> ParseFixed(const json::object& object, const std::string& ns) {
    Node* node = NewNode(AvroType::kFixed);
    O2P_RETURN_IF_ERROR(DeclareName(object, ns, node));
    const json::value* size = object.if_contains("size");
    if (size != nullptr && size->is_int64() && size->get_int64() >= 0) {
      node->fixed_size = static_cast<uint64_t>(size->get_int64());
    } else if (size != nullptr && size->is_uint64()) {
      node->fixed_size = size->get_uint64();
    } else {
      return Status::InvalidArgument("avro schema: fixed '{}' without a valid size", node->name);
    }
    node->logical_type = std::string(StringAttribute(object, "logicalType"));
    return node;
  }

  Result<const Node*> ParseContainer(const json::object& object, std::string_view type,
                                     const std::string& ns, int depth) {
    const bool is_array = type == "array";
    Node* node = NewNode(is_array ? AvroType::kArray : AvroType::kMap);
    const json::value* items = object.if_contains(is_array ? "items" : "values");
    if (items == nullptr) return Status::InvalidArgument("avro schema: {} without item type", type);
    O2P_ASSIGN_OR_RETURN(node->items, ParseType(*items, ns, depth + 1));
    O2P_ASSIGN_OR_RETURN(node->element_id, Int32Attribute(object, "element-id"));
    node->logical_type = std::string(StringAttribute(object, "logicalType"));
    return node;
  }

  Schema* schema_;
  std::map<std::string, const Node*, std::less<>> named_;
};

Result<Schema> Schema::Parse(std::string_view json_text) {
  json::parse_options options;
  options.max_depth = 4 * kMaxSchemaDepth;  // each schema level is up to 4 JSON levels
  boost::system::error_code ec;
  const json::value parsed = json::parse(json_text, ec, {}, options);
  if (ec) return Status::InvalidArgument("avro schema: invalid JSON: {}", ec.message());
  Schema schema;
  SchemaParser parser(&schema);
  O2P_ASSIGN_OR_RETURN(schema.root_, parser.ParseType(parsed, "", 0));
  return schema;
}

}  // namespace o2p::iceberg::avro
