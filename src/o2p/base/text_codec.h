// Small text codecs used by decoders and converters: hex, base64 (standard alphabet) and
// UTF-8 validation / repair. All are pure functions over byte views.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "o2p/base/arena.h"

namespace o2p {

/// Lower-case hex of `bytes`, appended to `out`.
void AppendHex(std::string_view bytes, std::string* out);
std::string ToHex(std::string_view bytes);

/// Decodes hex text (either case, even length) into `arena`; nullopt if not hex.
std::optional<std::string_view> DecodeHex(std::string_view text, Arena& arena);

/// Standard base64 (RFC 4648 section 4) with '=' padding, appended to `out`.
void AppendBase64(std::string_view bytes, std::string* out);
std::string ToBase64(std::string_view bytes);

/// Decodes standard base64; padding is optional, and the URL-safe alphabet ('-', '_') is
/// accepted too, as protobuf's JSON parser does. nullopt on any other character or bad length.
std::optional<std::string_view> DecodeBase64(std::string_view text, Arena& arena);

/// Decodes the code point that starts at s[pos] into *code_point and returns its length in
/// bytes, or 0 when the bytes there are not valid UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF). REQUIRES: pos < s.size().
size_t DecodeUtf8(std::string_view s, size_t pos, char32_t* code_point);

/// Appends `code_point` to *out as UTF-8. REQUIRES: a Unicode scalar value (at most U+10FFFF,
/// not a surrogate); callers that take code points from input check that first.
void AppendUtf8(char32_t code_point, std::string* out);

/// The scalar value after `code_point` (skipping the surrogates), or nullopt after U+10FFFF.
std::optional<char32_t> NextCodePoint(char32_t code_point);

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view text);

/// Returns `text` itself when it is valid UTF-8; otherwise a copy in `arena` where every
/// maximal invalid subsequence is replaced by U+FFFD (the Unicode "substitution of maximal
/// subparts" practice, as WHATWG decoders do).
std::string_view RepairUtf8(std::string_view text, Arena& arena);

/// True when `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
/// `text` with ASCII A-Z lowered (other bytes, UTF-8 included, unchanged).
std::string AsciiLower(std::string_view text);

/// `text` as a JSON string literal (RFC 8259 section 7), quotes included, appended to `out`:
/// quote, reverse solidus and U+0000..U+001F are escaped; other bytes, including UTF-8
/// sequences, are copied as they are (repair invalid UTF-8 first when it matters).
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace o2p
