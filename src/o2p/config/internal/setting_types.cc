#include "o2p/config/internal/setting_types.h"

#include "o2p/base/macros.h"

namespace o2p::config::internal {
namespace {

std::string Same(const std::string& value) { return value; }

}  // namespace

ValueType<std::string> Text(bool allow_empty) {
  return {"TEXT", false,
          [allow_empty](std::string_view text) -> Result<std::string> {
            if (!allow_empty && text.empty()) return Status::InvalidArgument("must not be empty");
            return std::string(text);
          },
          Same};
}

ValueType<std::string> Url() {
  return {"URL", false,
          [](std::string_view text) -> Result<std::string> {
            if (!text.empty()) O2P_RETURN_IF_ERROR(CheckHttpUrl(text));
            return std::string(text);
          },
          Same};
}

ValueType<std::string> Address(bool allow_off) {
  return {allow_off ? "HOST:PORT|off" : "HOST:PORT", false,
          [allow_off](std::string_view text) -> Result<std::string> {
            const std::string_view trimmed = Trim(text);
            if (allow_off && (trimmed.empty() || EqualsIgnoreCase(trimmed, "off"))) return "";
            Result<HostPort> address = ParseHostPort(trimmed);
            if (!address.has_value()) {
              if (!allow_off) return std::move(address).error();
              return Status::InvalidArgument("{}; or off", address.error().message());
            }
            return std::string(trimmed);
          },
          [allow_off](const std::string& value) {
            return allow_off && value.empty() ? std::string("off") : value;
          }};
}

ValueType<size_t> Size(uint64_t min) {
  return {"SIZE", true,
          [min](std::string_view text) -> Result<size_t> {
            Result<uint64_t> bytes = ParseSize(text);
            if (!bytes.has_value()) return std::move(bytes).error();
            if (*bytes < min) {
              return Status::InvalidArgument("'{}' is less than the minimum, {}", text,
                                             FormatSize(min));
            }
            return static_cast<size_t>(*bytes);
          },
          [](const size_t& bytes) { return FormatSize(bytes); }};
}

ValueType<std::chrono::milliseconds> Duration(std::chrono::milliseconds min) {
  return {"DURATION", true,
          [min](std::string_view text) -> Result<std::chrono::milliseconds> {
            Result<std::chrono::milliseconds> duration = ParseDuration(text);
            if (!duration.has_value()) return std::move(duration).error();
            if (*duration < min) {
              return Status::InvalidArgument("'{}' is shorter than the minimum, {}", text,
                                             FormatDuration(min));
            }
            return *duration;
          },
          [](const std::chrono::milliseconds& duration) { return FormatDuration(duration); }};
}

}  // namespace o2p::config::internal
