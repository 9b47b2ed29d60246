#include "o2p/iceberg/internal/json_cursor.h"

#include <limits>

#include <fmt/format.h>

#include "o2p/base/macros.h"

namespace o2p::iceberg::internal {
namespace {

// Boost.JSON's default nesting limit (32) is below what a deeply nested schema inside a
// LoadTableResult can reach; the limit still bounds the recursion of our readers.
constexpr std::size_t kMaxJsonDepth = 256;

std::string_view KindName(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64: return "an integer";
    case boost::json::kind::double_: return "a number with a fraction or exponent";
    case boost::json::kind::string: return "a string";
    case boost::json::kind::array: return "an array";
    case boost::json::kind::object: return "an object";
  }
  return "an unknown value";
}

}  // namespace

Result<boost::json::value> ParseJsonText(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code error;
  const std::size_t consumed = parser.write(text.data(), text.size(), error);
  if (!error) parser.finish(error);
  if (error) {
    return Status::InvalidArgument("invalid JSON near byte {}: {}", consumed, error.message());
  }
  return parser.release();
}

std::string SerializeJson(const boost::json::value& value) { return boost::json::serialize(value); }

Status JsonCursor::Error(std::string_view message) const {
  return Status::InvalidArgument("{}: {}", path_.empty() ? "JSON document" : path_, message);
}

Result<JsonCursor> JsonCursor::Member(std::string_view key) const {
  O2P_RETURN_IF_ERROR(ExpectObject());
  std::optional<JsonCursor> member = FindMember(key);
  if (!member) return Error(fmt::format("missing required field '{}'", key));
  return *std::move(member);
}

std::optional<JsonCursor> JsonCursor::FindMember(std::string_view key) const {
  const boost::json::object* object = value_->if_object();
  if (object == nullptr) return std::nullopt;
  const boost::json::value* member = object->if_contains(ToBoost(key));
  if (member == nullptr || member->is_null()) return std::nullopt;
  return JsonCursor(*member, path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key));
}

Result<std::vector<JsonCursor>> JsonCursor::Elements() const {
  const boost::json::array* array = value_->if_array();
  if (array == nullptr) return Error(fmt::format("expected an array, got {}", KindName(*value_)));
  std::vector<JsonCursor> elements;
  elements.reserve(array->size());
  for (std::size_t index = 0; index < array->size(); ++index) {
    elements.emplace_back((*array)[index], fmt::format("{}[{}]", path_, index));
  }
  return elements;
}

Status JsonCursor::ExpectObject() const {
  if (value_->is_object()) return Status::Ok();
  return Error(fmt::format("expected an object, got {}", KindName(*value_)));
}

template <>
Result<std::string> JsonCursor::As<std::string>() const {
  const boost::json::string* text = value_->if_string();
  if (text == nullptr) return Error(fmt::format("expected a string, got {}", KindName(*value_)));
  return std::string(text->data(), text->size());
}

template <>
Result<bool> JsonCursor::As<bool>() const {
  const bool* flag = value_->if_bool();
  if (flag == nullptr) return Error(fmt::format("expected a boolean, got {}", KindName(*value_)));
  return *flag;
}

template <>
Result<int64_t> JsonCursor::As<int64_t>() const {
  if (const int64_t* number = value_->if_int64()) return *number;
  // Boost.JSON stores integers above INT64_MAX as uint64; Iceberg ids and counters are longs.
  if (value_->is_uint64()) return Error("integer does not fit in a 64-bit signed long");
  return Error(fmt::format("expected an integer, got {}", KindName(*value_)));
}

template <>
Result<int32_t> JsonCursor::As<int32_t>() const {
  O2P_ASSIGN_OR_RETURN(const int64_t number, As<int64_t>());
  if (number < std::numeric_limits<int32_t>::min() ||
      number > std::numeric_limits<int32_t>::max()) {
    return Error(fmt::format("integer {} does not fit in a 32-bit int", number));
  }
  return static_cast<int32_t>(number);
}

template <>
Result<StringMap> JsonCursor::As<StringMap>() const {
  O2P_RETURN_IF_ERROR(ExpectObject());
  StringMap map;
  for (const auto& member : value_->get_object()) {
    if (member.value().is_null()) continue;
    const std::string key(member.key().data(), member.key().size());
    JsonCursor value(member.value(), path_.empty() ? key : fmt::format("{}.{}", path_, key));
    O2P_ASSIGN_OR_RETURN(map[key], value.As<std::string>());
  }
  return map;
}

boost::json::object StringMapToJson(const StringMap& map) {
  boost::json::object object;
  for (const auto& [key, value] : map) object[ToBoost(key)] = ToBoost(value);
  return object;
}

}  // namespace o2p::iceberg::internal
