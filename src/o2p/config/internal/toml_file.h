// Reads a TOML document into a flat list of (dotted key, value) entries. The only file that
// includes toml++ (header-only, no exceptions: TOML_HEADER_ONLY=1, TOML_EXCEPTIONS=0), so the
// parser's cost and types stay here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"

namespace o2p::config::internal {

enum class TomlType : uint8_t {
  kString,
  kInteger,
  kFloat,
  kBoolean,
  kDateTime,  // date, time or date-time
  kArray,
  kTable,  // only reported when empty: a table with entries is reported through them
};

/// "a string", "an integer", …, for messages.
std::string_view TomlTypeName(TomlType type);

struct TomlEntry {
  /// Dotted path: "server.listen" for `[server] listen = …`.
  std::string key;
  TomlType type = TomlType::kString;
  /// The value of a string (unquoted) or an integer (decimal); empty for other types.
  std::string text;
  /// Where the value is, 1-based.
  uint32_t line = 0;
  uint32_t column = 0;
};

/// Parses `document`; a syntax error is INVALID_ARGUMENT "<source_name>:LINE:COLUMN: what".
Result<std::vector<TomlEntry>> ParseToml(std::string_view document, std::string_view source_name);

/// Reads and parses the file at `path`; a file that cannot be read is INVALID_ARGUMENT too, and
/// its message says the file was named by `named_by` ("--config", "OTLP2PARQUET_CONFIG").
Result<std::vector<TomlEntry>> ReadTomlFile(const std::string& path, std::string_view named_by);

}  // namespace o2p::config::internal
