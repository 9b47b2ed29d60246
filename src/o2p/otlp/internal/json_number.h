// Exact conversions of JSON number text for the OTLP/JSON decoder.
//
// OTLP/JSON sends 64-bit integers as JSON numbers or as strings ("1700000000000000000"), so
// they are converted from their text, never through a double. A number written with a
// fraction or an exponent is accepted when its value is integral ("1e3", "2.50e1"), as
// protobuf's JSON parsers do. Doubles use std::from_chars (correctly rounded).
//
// Accepted text: -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)? (RFC 8259 section 6, except that
// leading zeros are allowed, since the text may come from a JSON string).
#pragma once

#include <cstdint>
#include <string_view>

namespace o2p::otlp::internal {

enum class NumberError : uint8_t {
  kNone,
  kSyntax,      // not a number
  kNotInteger,  // has a non-zero fraction
  kOutOfRange,  // does not fit the target type
};

NumberError ParseJsonUint64(std::string_view text, uint64_t* out);
NumberError ParseJsonInt64(std::string_view text, int64_t* out);

/// Also accepts "NaN", "Infinity" and "-Infinity" (proto3 JSON's names). A value beyond the
/// double range is kOutOfRange; one too small to represent becomes zero (with its sign).
NumberError ParseJsonDouble(std::string_view text, double* out);

}  // namespace o2p::otlp::internal
