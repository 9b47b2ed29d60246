#include "o2p/config/values.h"

#include <array>
#include <cctype>
#include <limits>

#include "o2p/config/internal/text.h"

namespace o2p::config {
namespace {

using internal::Trim;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Reads the digits at the front of `text` into `value`; false when there are none or they
// overflow 64 bits. `text` is advanced past them.
bool TakeNumber(std::string_view& text, uint64_t& value) {
  size_t length = 0;
  value = 0;
  while (length < text.size() && IsDigit(text[length])) {
    const auto digit = static_cast<uint64_t>(text[length] - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;
    value = value * 10 + digit;
    ++length;
  }
  text.remove_prefix(length);
  return length > 0;
}

bool MultiplyChecked(uint64_t a, uint64_t b, uint64_t& out) {
  if (b != 0 && a > std::numeric_limits<uint64_t>::max() / b) return false;
  out = a * b;
  return true;
}

struct Unit {
  std::string_view name;
  uint64_t multiplier;
};

// Largest first, so that FormatSize picks the largest exact unit.
constexpr uint64_t kKi = 1024;
constexpr std::array<Unit, 8> kSizeUnits = {{
    {"TiB", kKi* kKi* kKi* kKi},
    {"TB", 1000'000'000'000},
    {"GiB", kKi* kKi* kKi},
    {"GB", 1000'000'000},
    {"MiB", kKi* kKi},
    {"MB", 1000'000},
    {"KiB", kKi},
    {"KB", 1000},
}};

// The unit's multiplier, or 0 when `suffix` is not a size unit. "Ki", "Mi", … are accepted as
// Kubernetes writes them; "B" alone means bytes.
uint64_t SizeMultiplier(std::string_view suffix) {
  if (suffix.empty() || EqualsIgnoreCase(suffix, "B")) return 1;
  for (const Unit& unit : kSizeUnits) {
    if (EqualsIgnoreCase(suffix, unit.name)) return unit.multiplier;
    const bool binary = unit.name.size() == 3;
    if (binary && EqualsIgnoreCase(suffix, unit.name.substr(0, 2))) return unit.multiplier;
  }
  return 0;
}

constexpr std::array<Unit, 4> kDurationUnits = {{
    {"h", 3600'000},
    {"m", 60'000},
    {"s", 1000},
    {"ms", 1},
}};

uint64_t DurationMultiplier(std::string_view suffix) {
  for (const Unit& unit : kDurationUnits) {
    if (EqualsIgnoreCase(suffix, unit.name)) return unit.multiplier;
  }
  return 0;
}

Status NotASize(std::string_view text) {
  return Status::InvalidArgument(
      "'{}' is not a size: give bytes, or a whole number with KiB, MiB, GiB, TiB (powers of "
      "1024) or KB, MB, GB, TB (powers of 1000), e.g. 64MiB",
      text);
}

Status NotADuration(std::string_view text) {
  return Status::InvalidArgument(
      "'{}' is not a duration: give seconds, or whole numbers with ms, s, m, h, e.g. 500ms, "
      "10s, 2m, 1m30s",
      text);
}

Status NotHostPort(std::string_view text) {
  return Status::InvalidArgument(
      "'{}' is not HOST:PORT, e.g. 0.0.0.0:4318, localhost:4318 or [::]:4318", text);
}

bool IsHostNameChar(char c) { return IsDigit(c) || IsAlpha(c) || c == '-' || c == '.' || c == '_'; }

// Inside the brackets: hex digits, ':' and '.' (an embedded IPv4), then an optional "%zone".
bool IsIpv6Text(std::string_view host) {
  const size_t zone = host.find('%');
  const std::string_view address = host.substr(0, zone);
  if (address.find(':') == std::string_view::npos) return false;
  for (const char c : address) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
  }
  return zone == std::string_view::npos || zone + 1 < host.size();
}

}  // namespace

Result<uint64_t> ParseUnsigned(std::string_view text, uint64_t min, uint64_t max) {
  std::string_view rest = Trim(text);
  uint64_t value = 0;
  if (!TakeNumber(rest, value) || !rest.empty() || value < min || value > max) {
    if (max == std::numeric_limits<uint64_t>::max()) {
      return Status::InvalidArgument("'{}' is not a whole number of at least {}", text, min);
    }
    return Status::InvalidArgument("'{}' is not a whole number from {} to {}", text, min, max);
  }
  return value;
}

Result<uint64_t> ParseSize(std::string_view text) {
  std::string_view rest = Trim(text);
  uint64_t number = 0;
  if (!TakeNumber(rest, number)) return NotASize(text);
  const uint64_t multiplier = SizeMultiplier(Trim(rest));
  if (multiplier == 0) return NotASize(text);
  uint64_t bytes = 0;
  if (!MultiplyChecked(number, multiplier, bytes)) {
    return Status::InvalidArgument("'{}' is too large a size", text);
  }
  return bytes;
}

std::string FormatSize(uint64_t bytes) {
  for (const Unit& unit : kSizeUnits) {
    if (bytes >= unit.multiplier && bytes % unit.multiplier == 0) {
      return fmt::format("{}{}", bytes / unit.multiplier, unit.name);
    }
  }
  return fmt::format("{}", bytes);
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  std::string_view rest = Trim(text);
  uint64_t total = 0;
  if (rest.empty()) return NotADuration(text);
  // A bare number is seconds: OTLP2PARQUET_BATCH_MAX_AGE_SECS=10 keeps its meaning.
  const bool bare = rest.find_first_not_of("0123456789") == std::string_view::npos;
  while (!rest.empty()) {
    uint64_t number = 0;
    if (!TakeNumber(rest, number)) return NotADuration(text);
    size_t unit_length = 0;
    while (unit_length < rest.size() && IsAlpha(rest[unit_length])) ++unit_length;
    const uint64_t multiplier = bare ? 1000 : DurationMultiplier(rest.substr(0, unit_length));
    if (multiplier == 0) return NotADuration(text);
    rest.remove_prefix(unit_length);
    uint64_t part = 0;
    if (!MultiplyChecked(number, multiplier, part) ||
        part > uint64_t{std::numeric_limits<int64_t>::max()} - total) {
      return Status::InvalidArgument("'{}' is too long a duration", text);
    }
    total += part;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total));
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  auto remaining = static_cast<uint64_t>(duration.count() < 0 ? 0 : duration.count());
  if (remaining == 0) return "0s";
  std::string out;
  for (const Unit& unit : kDurationUnits) {
    if (remaining >= unit.multiplier) {
      out += fmt::format("{}{}", remaining / unit.multiplier, unit.name);
      remaining %= unit.multiplier;
    }
  }
  return out;
}

Result<HostPort> ParseHostPort(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  const size_t colon = trimmed.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return NotHostPort(text);
  std::string_view host = trimmed.substr(0, colon);
  const std::string_view port_text = trimmed.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return NotHostPort(text);
    host = host.substr(1, host.size() - 2);
    if (!IsIpv6Text(host)) {
      return Status::InvalidArgument("'{}': '{}' is not an IPv6 address", text, host);
    }
  } else if (host.find(':') != std::string_view::npos) {
    return Status::InvalidArgument(
        "'{}' is not HOST:PORT: put an IPv6 address in brackets, e.g. [::]:4318", text);
  } else {
    for (const char c : host) {
      if (!IsHostNameChar(c)) {
        return Status::InvalidArgument("'{}': '{}' is not a host name or address", text, host);
      }
    }
  }
  std::string_view rest = port_text;
  uint64_t port = 0;
  if (!TakeNumber(rest, port) || !rest.empty() || port > 65535) {
    return Status::InvalidArgument(
        "'{}': the port must be a number from 0 (any free port) to 65535", text);
  }
  return HostPort{std::string(host), static_cast<uint16_t>(port)};
}

Status CheckHttpUrl(std::string_view text) {
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (text.size() > scheme.size() && EqualsIgnoreCase(text.substr(0, scheme.size()), scheme) &&
        text[scheme.size()] != '/' && text.find_first_of(" \t\r\n") == std::string_view::npos) {
      return Status::Ok();
    }
  }
  return Status::InvalidArgument("'{}' is not an http:// or https:// URL", text);
}

}  // namespace o2p::config
