// The value types a Setting can have, and MakeSetting, which joins a setting's names, the
// Config member it fills and its value type into one row of the table in settings.cc:
//
//   MakeSetting({.key = "batch.max_rows", .env = "OTLP2PARQUET_BATCH_MAX_ROWS",
//                .flag = "--batch-max-rows", .help = "…"},
//               Field(&Config::batch, &BatchOptions::max_rows), Count<size_t>(1));
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "o2p/base/result.h"
#include "o2p/config/internal/text.h"
#include "o2p/config/settings.h"
#include "o2p/config/values.h"

namespace o2p::config::internal {

/// The names and help of a setting; the value type fills in the rest of the Setting.
// Every member has an initializer so rows may leave any of them out (-Wmissing-field-initializers).
struct SettingNames {
  std::string_view key = {};
  std::string_view env = {};
  std::string_view flag = {};
  /// Replaces the value type's hint in help, e.g. "DIR" for a path.
  std::string_view hint = {};
  std::string_view help = {};
  bool secret = false;
  std::string_view fallback_env = {};
};

/// How one kind of value is parsed and printed.
template <typename T>
struct ValueType {
  std::string hint;
  bool integer = false;
  std::function<Result<T>(std::string_view)> parse;
  std::function<std::string(const T&)> print;
};

/// `object.*first.*second…`: the member at the end of a chain of member pointers.
template <typename T>
T& Follow(T& object) {
  return object;
}
template <typename T, typename Member, typename... Rest>
auto& Follow(T& object, Member member, Rest... rest) {
  return Follow(object.*member, rest...);
}

/// A reference to a member of Config through a chain of member pointers, usable on a const and
/// a mutable Config: Field(&Config::storage, &StorageOptions::s3, &S3Options::bucket).
template <typename... Members>
auto Field(Members... members) {
  return [=](auto& config) -> auto& { return Follow(config, members...); };
}

template <typename T, typename FieldRef>
Setting MakeSetting(const SettingNames& names, FieldRef field, ValueType<T> type) {
  Setting setting{names.key,
                  names.env,
                  names.flag,
                  names.help,
                  names.secret,
                  names.fallback_env,
                  names.hint.empty() ? std::move(type.hint) : std::string(names.hint),
                  type.integer,
                  {},
                  {}};
  setting.parse = [field, parse = std::move(type.parse)](std::string_view text,
                                                         Config& config) -> Status {
    Result<T> value = parse(text);
    if (!value.has_value()) return std::move(value).error();
    field(config) = std::move(value).value();
    return Status::Ok();
  };
  setting.print = [field, print = std::move(type.print)](const Config& config) {
    return print(field(config));
  };
  return setting;
}

/// Any text; with `allow_empty` false, "" is refused.
ValueType<std::string> Text(bool allow_empty = true);
/// "" or an http(s):// URL.
ValueType<std::string> Url();
/// HOST:PORT; with `allow_off`, also "off" or "" (both stored as "").
ValueType<std::string> Address(bool allow_off = false);
/// A size (values.h) of at least `min` bytes.
ValueType<size_t> Size(uint64_t min);
/// A duration (values.h) of at least `min`.
ValueType<std::chrono::milliseconds> Duration(std::chrono::milliseconds min);

/// A whole number in [min, max].
template <typename Int>
ValueType<Int> Count(Int min, Int max = std::numeric_limits<Int>::max()) {
  return {"N", true,
          [min, max](std::string_view text) -> Result<Int> {
            Result<uint64_t> value =
                ParseUnsigned(text, static_cast<uint64_t>(min), static_cast<uint64_t>(max));
            if (!value.has_value()) return std::move(value).error();
            return static_cast<Int>(*value);
          },
          [](const Int& value) { return std::to_string(value); }};
}

/// One of `values`, named by `name_of` and parsed (with any aliases) by `parse`.
template <typename E>
ValueType<E> Enum(std::vector<E> values, std::string_view (*name_of)(E),
                  std::optional<E> (*parse)(std::string_view)) {
  std::vector<std::string_view> names;
  names.reserve(values.size());
  for (const E value : values) names.push_back(name_of(value));
  const std::string hint = fmt::format("{}", fmt::join(names, "|"));
  return {hint, false,
          [parse, accepted = JoinNames(names)](std::string_view text) -> Result<E> {
            const std::optional<E> value = parse(Trim(text));
            if (!value) return Status::InvalidArgument("'{}' is not one of {}", text, accepted);
            return *value;
          },
          [name_of](const E& value) { return std::string(name_of(value)); }};
}

}  // namespace o2p::config::internal
