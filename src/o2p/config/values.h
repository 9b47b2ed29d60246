// The value syntaxes settings use, each as a parser and a formatter whose output parses back to
// the same value. The same parsers serve the TOML file, the environment and the flags, so a
// setting accepts the same text everywhere.
//
//   sizes       bytes, or a whole number with a unit: KiB MiB GiB TiB (powers of 1024; also
//               Ki Mi Gi Ti) or KB MB GB TB (powers of 1000), any case, optional space:
//               "65536", "64MiB", "64 mib", "500MB". Formatted with the largest exact unit.
//   durations   seconds, or whole numbers with units ms s m h, optionally chained:
//               "10" (= 10s), "500ms", "2m", "1m30s". Formatted the same way ("1m30s").
//   addresses   HOST:PORT with port 1..65535; an IPv6 host goes in brackets: "[::]:4318".
//
// Errors are INVALID_ARGUMENT whose message quotes the text and says what is accepted; the
// caller prefixes the setting's name (key, env var or flag).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "o2p/base/result.h"

namespace o2p::config {

/// A whole number in [min, max]; no sign, no unit.
Result<uint64_t> ParseUnsigned(std::string_view text, uint64_t min, uint64_t max);

Result<uint64_t> ParseSize(std::string_view text);
std::string FormatSize(uint64_t bytes);

Result<std::chrono::milliseconds> ParseDuration(std::string_view text);
std::string FormatDuration(std::chrono::milliseconds duration);

struct HostPort {
  /// Without brackets: "0.0.0.0", "::", "localhost".
  std::string host;
  uint16_t port = 0;
};
/// "HOST:PORT"; the host is a name, an IPv4 address or a bracketed IPv6 address.
Result<HostPort> ParseHostPort(std::string_view text);

/// An absolute http:// or https:// URL with a host.
Status CheckHttpUrl(std::string_view text);

}  // namespace o2p::config
