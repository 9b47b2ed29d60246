// Result<T>: a value or an error Status, shaped like std::expected<T, Status>.
//
// g++ 12 has no std::expected in C++20 mode, so this small class stands in for it with the
// same member names (has_value, value, error, operator*, operator->), which keeps a later move
// to std::expected mechanical.
//
//   Result<int> Parse(std::string_view s);
//   O2P_ASSIGN_OR_RETURN(int n, Parse(text));
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "o2p/base/status.h"

namespace o2p {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<T, Status>, "use Status directly");

 public:
  using value_type = T;

  Result(const T& value) : storage_(value) {}             // NOLINT(google-explicit-constructor)
  Result(T&& value) : storage_(std::move(value)) {}       // NOLINT(google-explicit-constructor)
  Result(Status status) : storage_(std::move(status)) {   // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(storage_).ok() && "Result built from an OK status");
  }
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U&&, T> &&
                                        !std::is_same_v<std::decay_t<U>, T> &&
                                        !std::is_same_v<std::decay_t<U>, Status>>>
  Result(U&& value) : storage_(T(std::forward<U>(value))) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return std::holds_alternative<T>(storage_); }
  bool ok() const { return has_value(); }
  explicit operator bool() const { return has_value(); }

  /// REQUIRES: has_value().
  T& value() & { return std::get<T>(storage_); }
  const T& value() const& { return std::get<T>(storage_); }
  T&& value() && { return std::get<T>(std::move(storage_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// REQUIRES: !has_value().
  const Status& error() const& { return std::get<Status>(storage_); }
  Status&& error() && { return std::get<Status>(std::move(storage_)); }

  /// The error, or OK when a value is held.
  Status status() const { return has_value() ? Status::Ok() : error(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Status> storage_;
};

namespace internal {
inline Status ToStatus(const Status& s) { return s; }
inline Status ToStatus(Status&& s) { return std::move(s); }
template <typename T>
Status ToStatus(const Result<T>& r) { return r.status(); }
}  // namespace internal

}  // namespace o2p
