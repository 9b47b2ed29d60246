// Makes a TOML document pure ASCII before toml++ reads it.
//
// toml++ 3.3.0 (Debian 12) classifies non-ASCII characters with generated tables that reach
// __builtin_unreachable for most code points (U+00A1..U+0499, U+FEA0..U+FEFE, …): undefined
// behaviour. It does so wherever it looks for whitespace or the end of a value, which includes
// scanning ahead after a syntax error, so no non-ASCII byte may reach it at all (found by
// fuzz/config_toml). The rewrite keeps every value the same:
//   - in basic strings ("…", """…""") a non-ASCII character becomes \uXXXX or \UXXXXXXXX;
//   - a literal string ('…', '''…''') holding one becomes the equivalent basic string;
//   - in comments it becomes '?';
//   - anywhere else it is an error, as TOML says (bare keys and values are ASCII).
// Lines keep their numbers; columns after a rewritten string on the same line may move.
#pragma once

#include <string>
#include <string_view>

#include "o2p/base/result.h"

namespace o2p::config::internal {

/// `document` unchanged when it is ASCII already; else the rewrite above. INVALID_ARGUMENT
/// "<source_name>:LINE:COLUMN: …" for a non-ASCII character outside strings and comments,
/// invalid UTF-8 in a string, or an unterminated literal string holding non-ASCII text.
Result<std::string> AsciiTomlDocument(std::string_view document, std::string_view source_name);

}  // namespace o2p::config::internal
