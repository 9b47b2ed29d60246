// Status: the error vocabulary shared by every module.
//
// Codes are a subset of the gRPC canonical codes (google.rpc.Code), so that one function in
// server/ maps any error to an HTTP status, a grpc::Status and an OTLP response. A Status is
// cheap to copy when OK (no allocation) and carries a human-readable message otherwise.
//
//   Status s = DoThing();
//   if (!s.ok()) return s;                       // or O2P_RETURN_IF_ERROR(DoThing());
//   return Status::InvalidArgument("bad id at ", path);
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace o2p {

/// The canonical codes we use; values equal google.rpc.Code.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

/// The code's canonical upper-case name, e.g. "INVALID_ARGUMENT".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status Ok() { return {}; }

  template <typename... Args>
  static Status InvalidArgument(fmt::format_string<Args...> f, Args&&... args) {
    return {StatusCode::kInvalidArgument, fmt::format(f, std::forward<Args>(args)...)};
  }
  template <typename... Args>
  static Status ResourceExhausted(fmt::format_string<Args...> f, Args&&... args) {
    return {StatusCode::kResourceExhausted, fmt::format(f, std::forward<Args>(args)...)};
  }
  template <typename... Args>
  static Status Unimplemented(fmt::format_string<Args...> f, Args&&... args) {
    return {StatusCode::kUnimplemented, fmt::format(f, std::forward<Args>(args)...)};
  }
  template <typename... Args>
  static Status NotFound(fmt::format_string<Args...> f, Args&&... args) {
    return {StatusCode::kNotFound, fmt::format(f, std::forward<Args>(args)...)};
  }
  template <typename... Args>
  static Status Internal(fmt::format_string<Args...> f, Args&&... args) {
    return {StatusCode::kInternal, fmt::format(f, std::forward<Args>(args)...)};
  }
  template <typename... Args>
  static Status Unavailable(fmt::format_string<Args...> f, Args&&... args) {
    return {StatusCode::kUnavailable, fmt::format(f, std::forward<Args>(args)...)};
  }
  template <typename... Args>
  static Status IoError(fmt::format_string<Args...> f, Args&&... args) {
    // I/O failures are reported as UNAVAILABLE: the caller may retry later.
    return {StatusCode::kUnavailable, fmt::format(f, std::forward<Args>(args)...)};
  }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  /// Empty when ok().
  const std::string& message() const;
  /// "INVALID_ARGUMENT: message", or "OK".
  std::string ToString() const;

  /// Returns a copy whose message is "<prefix>: <message>"; OK stays OK.
  Status WithPrefix(std::string_view prefix) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  // shared_ptr keeps copies cheap; the state is immutable once built.
  std::shared_ptr<const State> state_;
};

}  // namespace o2p

template <>
struct fmt::formatter<o2p::Status> : fmt::formatter<std::string> {
  auto format(const o2p::Status& s, fmt::format_context& ctx) const {
    return fmt::formatter<std::string>::format(s.ToString(), ctx);
  }
};
