#include "o2p/base/text_codec.h"

#include <array>
#include <cstdint>

namespace o2p {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// 0..63 for an alphabet character (standard or URL-safe), -1 otherwise.
constexpr std::array<int8_t, 256> MakeBase64Table() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i)
    table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
  table['-'] = 62;
  table['_'] = 63;
  return table;
}
constexpr std::array<int8_t, 256> kBase64Table = MakeBase64Table();

// What a lead byte promises: the sequence length and the allowed range of the second byte
// (Unicode Standard, Table 3-7). length 0: not a valid lead byte.
struct LeadByte {
  size_t length = 0;
  unsigned char second_lo = 0x80;
  unsigned char second_hi = 0xBF;
};

LeadByte ClassifyLead(unsigned char b0) {
  LeadByte lead;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    lead.length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    lead.length = 3;
    if (b0 == 0xE0) lead.second_lo = 0xA0;  // no overlongs
    if (b0 == 0xED) lead.second_hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    lead.length = 4;
    if (b0 == 0xF0) lead.second_lo = 0x90;  // no overlongs
    if (b0 == 0xF4) lead.second_hi = 0x8F;  // nothing past U+10FFFF
  }
  return lead;
}

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0 if it is ill-formed.
size_t ValidSequenceLength(const unsigned char* s, size_t n) {
  if (s[0] < 0x80) return 1;
  const LeadByte lead = ClassifyLead(s[0]);
  if (lead.length == 0 || n < lead.length) return 0;
  if (s[1] < lead.second_lo || s[1] > lead.second_hi) return 0;
  for (size_t i = 2; i < lead.length; ++i) {
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  }
  return lead.length;
}

// How many bytes of an ill-formed sequence form one "maximal subpart" to replace with a
// single U+FFFD: the lead byte plus the continuation bytes that were still acceptable.
size_t MaximalSubpartLength(const unsigned char* s, size_t n) {
  const LeadByte lead = ClassifyLead(s[0]);
  if (lead.length == 0) return 1;
  size_t i = 1;
  if (i < n && s[i] >= lead.second_lo && s[i] <= lead.second_hi) {
    ++i;
    while (i < lead.length && i < n && s[i] >= 0x80 && s[i] <= 0xBF) ++i;
  }
  return i;
}

}  // namespace

void AppendHex(std::string_view bytes, std::string* out) {
  const size_t start = out->size();
  out->resize(start + bytes.size() * 2);
  char* dst = out->data() + start;
  for (unsigned char c : bytes) {
    *dst++ = kHexDigits[c >> 4];
    *dst++ = kHexDigits[c & 0xF];
  }
}

std::string ToHex(std::string_view bytes) {
  std::string out;
  AppendHex(bytes, &out);
  return out;
}

std::optional<std::string_view> DecodeHex(std::string_view text, Arena& arena) {
  if (text.size() % 2 != 0) return std::nullopt;
  if (text.empty()) return std::string_view{};
  char* dst = arena.Allocate(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    dst[i / 2] = static_cast<char>((hi << 4) | lo);
  }
  return std::string_view(dst, text.size() / 2);
}

void AppendBase64(std::string_view bytes, std::string* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  out->reserve(out->size() + (n + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8) | s[i + 2];
    out->push_back(kBase64Alphabet[(v >> 18) & 63]);
    out->push_back(kBase64Alphabet[(v >> 12) & 63]);
    out->push_back(kBase64Alphabet[(v >> 6) & 63]);
    out->push_back(kBase64Alphabet[v & 63]);
  }
  if (i < n) {
    uint32_t v = uint32_t{s[i]} << 16;
    if (i + 1 < n) v |= uint32_t{s[i + 1]} << 8;
    out->push_back(kBase64Alphabet[(v >> 18) & 63]);
    out->push_back(kBase64Alphabet[(v >> 12) & 63]);
    out->push_back(i + 1 < n ? kBase64Alphabet[(v >> 6) & 63] : '=');
    out->push_back('=');
  }
}

std::string ToBase64(std::string_view bytes) {
  std::string out;
  AppendBase64(bytes, &out);
  return out;
}

std::optional<std::string_view> DecodeBase64(std::string_view text, Arena& arena) {
  // Strip up to two '=' of padding; what remains must be whole 4-char groups plus 2 or 3.
  size_t len = text.size();
  if (len % 4 == 0) {
    for (int k = 0; k < 2 && len > 0 && text[len - 1] == '='; ++k) --len;
  }
  if (len % 4 == 1) return std::nullopt;
  const size_t out_len = len / 4 * 3 + (len % 4 == 0 ? 0 : len % 4 - 1);
  if (out_len == 0) return std::string_view{};
  char* dst = arena.Allocate(out_len);
  size_t o = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < len; ++i) {
    const int8_t v = kBase64Table[static_cast<unsigned char>(text[i])];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      dst[o++] = static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return std::string_view(dst, o);
}

size_t DecodeUtf8(std::string_view s, size_t pos, char32_t* code_point) {
  const auto byte_at = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte_at(pos);
  size_t length = 0;
  char32_t value = 0;
  char32_t smallest = 0;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    smallest = 0x10000;
  } else {
    return 0;
  }
  if (pos + length > s.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    const unsigned char next = byte_at(pos + i);
    if ((next & 0xC0) != 0x80) return 0;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < smallest || value > 0x10FFFF) return 0;
  if (value >= 0xD800 && value <= 0xDFFF) return 0;
  *code_point = value;
  return length;
}

void AppendUtf8(char32_t code_point, std::string* out) {
  const auto put = [out](uint32_t byte) { out->push_back(static_cast<char>(byte)); };
  const auto cp = static_cast<uint32_t>(code_point);
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | (cp >> 6));
    put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3F));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  }
}

std::optional<char32_t> NextCodePoint(char32_t code_point) {
  if (code_point >= 0x10FFFF) return std::nullopt;
  if (code_point + 1 == 0xD800) return 0xE000;
  return code_point + 1;
}

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Fast path: 8 ASCII bytes at a time.
    while (i + 8 <= n) {
      uint64_t chunk;
      __builtin_memcpy(&chunk, s + i, 8);
      if (chunk & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const size_t len = ValidSequenceLength(s + i, n - i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string_view RepairUtf8(std::string_view text, Arena& arena) {
  if (IsValidUtf8(text)) return text;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  // Each invalid byte becomes at most 3 bytes (U+FFFD = EF BF BD).
  char* dst = arena.Allocate(n * 3);
  size_t o = 0;
  size_t i = 0;
  while (i < n) {
    const size_t len = ValidSequenceLength(s + i, n - i);
    if (len > 0) {
      for (size_t k = 0; k < len; ++k) dst[o++] = static_cast<char>(s[i + k]);
      i += len;
      continue;
    }
    dst[o++] = static_cast<char>(0xEF);
    dst[o++] = static_cast<char>(0xBF);
    dst[o++] = static_cast<char>(0xBD);
    i += MaximalSubpartLength(s + i, n - i);
  }
  return {dst, o};
}

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xf]);
        break;
    }
  }
  out->append(text.data() + run_start, text.size() - run_start);
  out->push_back('"');
}

namespace {
char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return LowerAscii(x) == LowerAscii(y);
         });
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = LowerAscii(c);
  return lower;
}

}  // namespace o2p
