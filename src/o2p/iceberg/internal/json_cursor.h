// Private to iceberg/: reading Boost.JSON values with the path that led to them, so every
// error names its place in the document ("metadata.schemas[2].fields[0].type: expected ...").
//
//   O2P_ASSIGN_OR_RETURN(boost::json::value doc, ParseJsonText(text));
//   JsonCursor root(doc, "");
//   O2P_ASSIGN_OR_RETURN(int32_t id, root.Required<int32_t>("spec-id"));
//   O2P_ASSIGN_OR_RETURN(std::optional<int64_t> parent, root.Optional<int64_t>("parent"));
//
// A member that is present with the value null counts as absent, as Iceberg's Java parsers
// treat it. Every error is INVALID_ARGUMENT.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "o2p/base/result.h"
#include "o2p/base/status.h"

namespace o2p::iceberg::internal {

using StringMap = std::map<std::string, std::string>;

/// A Boost.JSON view of `text` (Boost 1.81 has its own string_view type).
inline boost::json::string_view ToBoost(std::string_view text) {
  return {text.data(), text.size()};
}

/// Parses JSON text; syntax errors become INVALID_ARGUMENT.
Result<boost::json::value> ParseJsonText(std::string_view text);

/// Compact JSON text; object members keep their insertion order, which keeps output stable.
std::string SerializeJson(const boost::json::value& value);

/// A borrowed JSON value and its path from the document root. REQUIRES: the value outlives
/// the cursor.
class JsonCursor {
 public:
  JsonCursor(const boost::json::value& value, std::string path)
      : value_(&value), path_(std::move(path)) {}

  const boost::json::value& value() const { return *value_; }
  const std::string& path() const { return path_; }

  /// INVALID_ARGUMENT "<path>: <message>".
  Status Error(std::string_view message) const;

  /// The member `key`, or an error when it is absent or null.
  Result<JsonCursor> Member(std::string_view key) const;
  /// The member `key`, or nullopt when it is absent or null (or this is not an object).
  std::optional<JsonCursor> FindMember(std::string_view key) const;
  /// True when `key` is present and not null.
  bool Has(std::string_view key) const { return FindMember(key).has_value(); }

  /// The elements of an array, each with its "[i]" path.
  Result<std::vector<JsonCursor>> Elements() const;
  /// Checks that this value is an object (for documents whose members are all optional).
  Status ExpectObject() const;

  /// This value as T: std::string, bool, int32_t, int64_t or StringMap (string values; null
  /// values are skipped because the REST spec allows them in config maps).
  template <typename T>
  Result<T> As() const;

  /// The member `key` as T; absent or null is an error.
  template <typename T>
  Result<T> Required(std::string_view key) const {
    Result<JsonCursor> member = Member(key);
    if (!member.has_value()) return std::move(member).error();
    return member->template As<T>();
  }

  /// The member `key` as T, or nullopt when absent or null.
  template <typename T>
  Result<std::optional<T>> Optional(std::string_view key) const {
    std::optional<JsonCursor> member = FindMember(key);
    if (!member) return std::optional<T>();
    Result<T> value = member->template As<T>();
    if (!value.has_value()) return std::move(value).error();
    return std::optional<T>(std::move(value).value());
  }

  /// The member `key` as T, or `fallback` when absent or null.
  template <typename T>
  Result<T> OptionalOr(std::string_view key, T fallback) const {
    Result<std::optional<T>> value = Optional<T>(key);
    if (!value.has_value()) return std::move(value).error();
    return value->has_value() ? std::move(**value) : std::move(fallback);
  }

 private:
  const boost::json::value* value_;
  std::string path_;
};

template <>
Result<std::string> JsonCursor::As<std::string>() const;
template <>
Result<bool> JsonCursor::As<bool>() const;
template <>
Result<int64_t> JsonCursor::As<int64_t>() const;
template <>
Result<int32_t> JsonCursor::As<int32_t>() const;
template <>
Result<StringMap> JsonCursor::As<StringMap>() const;

/// A JSON object of string values, in map (sorted) order.
boost::json::object StringMapToJson(const StringMap& map);

}  // namespace o2p::iceberg::internal
