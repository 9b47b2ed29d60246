#include "o2p/parquet/statistics.h"

#include "o2p/base/text_codec.h"

namespace o2p::parquet {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// Length of `value`'s longest prefix of at most `limit` bytes that ends on a character
// boundary. REQUIRES: value.size() > limit.
size_t CharBoundary(std::string_view value, size_t limit) {
  size_t cut = limit;
  while (cut > 0 && IsContinuationByte(value[cut])) --cut;
  return cut;
}

// Decodes the last character of `text` (valid UTF-8, non-empty); sets `*start` to its offset.
char32_t LastCodePoint(std::string_view text, size_t* start) {
  size_t pos = text.size() - 1;
  while (pos > 0 && IsContinuationByte(text[pos])) --pos;
  *start = pos;
  char32_t code_point = 0;
  DecodeUtf8(text, pos, &code_point);
  return code_point;
}

}  // namespace

std::string TruncateLowerBound(std::string_view value, size_t limit) {
  if (value.size() <= limit || !IsValidUtf8(value)) return std::string(value);
  return std::string(value.substr(0, CharBoundary(value, limit)));
}

std::optional<std::string> TruncateUpperBound(std::string_view value, size_t limit) {
  if (value.size() <= limit || !IsValidUtf8(value)) return std::nullopt;
  std::string_view prefix = value.substr(0, CharBoundary(value, limit));
  while (!prefix.empty()) {
    size_t start = 0;
    const std::optional<char32_t> next = NextCodePoint(LastCodePoint(prefix, &start));
    prefix = prefix.substr(0, start);
    if (!next) continue;  // U+10FFFF cannot grow: drop it and grow the character before
    std::string bound(prefix);
    AppendUtf8(*next, &bound);
    return bound;
  }
  return std::nullopt;
}

PublishedBounds PublishBounds(std::string min, std::string max, bool is_byte_array) {
  PublishedBounds out;
  if (is_byte_array && min.size() > kMaxBoundBytes) {
    out.min = TruncateLowerBound(min, kMaxBoundBytes);
    out.min_exact = out.min.size() == min.size();
  } else {
    out.min = std::move(min);
  }
  std::optional<std::string> upper;
  if (is_byte_array && max.size() > kMaxBoundBytes) upper = TruncateUpperBound(max, kMaxBoundBytes);
  if (upper) {
    out.max = std::move(*upper);
    out.max_exact = false;
  } else {
    out.max = std::move(max);
  }
  return out;
}

}  // namespace o2p::parquet
