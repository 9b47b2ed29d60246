#include "o2p/otlp/internal/json_parser.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"

namespace o2p::otlp::internal {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// Non-zero when some byte of `v` is zero; the lowest flagged byte is always a true one
// (false positives can only appear above a true zero, through the borrow).
constexpr uint64_t HasZeroByte(uint64_t v) { return (v - kOnes) & ~v & kHighs; }
// Non-zero when some byte of `v` is below `n` (n <= 0x80); same lowest-byte guarantee.
constexpr uint64_t HasByteBelow(uint64_t v, uint8_t n) { return (v - kOnes * n) & ~v & kHighs; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of 4 hex digits at `s`, or -1.
int32_t Hex4(const char* s) {
  int32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int d = HexDigit(s[i]);
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

char* AppendUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// High bit of each byte of `v` set where the byte equals the byte broadcast in `pattern`;
// exact (no false positives, unlike HasZeroByte).
constexpr uint64_t EqualBytes(uint64_t v, uint64_t pattern) {
  constexpr uint64_t kLows = ~kHighs;
  const uint64_t x = v ^ pattern;
  return ~(((x & kLows) + kLows) | x) & kHighs;
}

// An upper bound of the nodes `input` can produce, so the tape is allocated once: every node
// but the root directly follows one of , : [ { (a key follows { or ',', a value follows : [ or
// ','), and no document has more than one node per two bytes, plus one. Counted eight bytes
// at a time, since this pass must cost little next to the parse.
size_t EstimateNodes(std::string_view input) {
  size_t count = 1;
  size_t i = 0;
  for (; i + 8 <= input.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, input.data() + i, 8);
    // '[' and '{' differ only in bit 0x20, and no other byte ORed with 0x20 gives '{'.
    const uint64_t hits = EqualBytes(word, kOnes * ',') | EqualBytes(word, kOnes * ':') |
                          EqualBytes(word | (kOnes * 0x20), kOnes * '{');
    count += static_cast<size_t>(((hits >> 7) * kOnes) >> 56);  // sum of the 0/1 bytes
  }
  for (; i < input.size(); ++i) {
    const char c = input[i];
    count += static_cast<size_t>((c == ',') | (c == ':') | (c == '[') | (c == '{'));
  }
  return std::min(count, input.size() / 2 + 2);
}

class Parser {
 public:
  Parser(std::string_view input, Arena& arena, std::vector<JsonNode>* nodes)
      : begin_(input.data()),
        p_(begin_),
        end_(begin_ + input.size()),
        arena_(arena),
        nodes_(*nodes) {}

  Status Run();

 private:
  enum class State : uint8_t { kValue, kKey, kAfterValue };

  // An open container on the explicit stack: the index of its node and its commas so far.
  struct Open {
    uint32_t node;
    uint32_t commas;
  };

  Status Error(std::string_view what, const char* at) const {
    return Status::InvalidArgument("json: {} at byte {}", what, at - begin_);
  }
  void SkipWhitespace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  Status ParseValue(State* next);
  Status ParseKey(State* next);
  Status ParseAfterValue(State* next);
  Status OpenContainer(JsonType type, State* next);
  void CloseContainer(uint32_t length);
  Status ParseLiteral(std::string_view word, JsonType type, bool value);
  Status ParseNumber();
  Status ParseString();
  Status ScanString(const char* start, bool* escaped, bool* non_ascii);
  Status Unescape(std::string_view raw, std::string_view* out);
  Status UnescapeUnicode(const char** s, const char* end, char** out);

  const char* const begin_;
  const char* p_;
  const char* const end_;
  Arena& arena_;
  std::vector<JsonNode>& nodes_;
  Open open_[kMaxJsonDepth];
  int depth_ = 0;
};

Status Parser::Run() {
  if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) p_ += 3;  // UTF-8 BOM
  State state = State::kValue;
  for (;;) {
    SkipWhitespace();
    switch (state) {
      case State::kValue: O2P_RETURN_IF_ERROR(ParseValue(&state)); break;
      case State::kKey: O2P_RETURN_IF_ERROR(ParseKey(&state)); break;
      case State::kAfterValue:
        if (depth_ == 0) {
          if (p_ != end_) return Error("unexpected data after the document", p_);
          return Status::Ok();
        }
        O2P_RETURN_IF_ERROR(ParseAfterValue(&state));
        break;
    }
  }
}

Status Parser::ParseValue(State* next) {
  if (p_ == end_) return Error("unexpected end of input", p_);
  *next = State::kAfterValue;
  switch (*p_) {
    case '{': return OpenContainer(JsonType::kObject, next);
    case '[': return OpenContainer(JsonType::kArray, next);
    case '"': return ParseString();
    case 't': return ParseLiteral("true", JsonType::kBool, true);
    case 'f': return ParseLiteral("false", JsonType::kBool, false);
    case 'n': return ParseLiteral("null", JsonType::kNull, false);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': return ParseNumber();
    default: return Error("unexpected character", p_);
  }
}

Status Parser::ParseKey(State* next) {
  if (p_ == end_) return Error("unexpected end of input", p_);
  if (*p_ != '"') return Error("expected a string key", p_);
  O2P_RETURN_IF_ERROR(ParseString());
  SkipWhitespace();
  if (p_ == end_) return Error("unexpected end of input", p_);
  if (*p_ != ':') return Error("expected ':'", p_);
  ++p_;
  *next = State::kValue;
  return Status::Ok();
}

Status Parser::ParseAfterValue(State* next) {
  if (p_ == end_) return Error("unexpected end of input", p_);
  Open& top = open_[depth_ - 1];
  const bool is_object = nodes_[top.node].type == JsonType::kObject;
  if (*p_ == ',') {
    ++top.commas;
    ++p_;
    *next = is_object ? State::kKey : State::kValue;
    return Status::Ok();
  }
  if (*p_ == (is_object ? '}' : ']')) {
    ++p_;
    CloseContainer(top.commas + 1);
    *next = State::kAfterValue;
    return Status::Ok();
  }
  return Error(is_object ? "expected ',' or '}'" : "expected ',' or ']'", p_);
}

// Opens an array or object at *p_. An empty one is closed at once.
Status Parser::OpenContainer(JsonType type, State* next) {
  if (depth_ == kMaxJsonDepth) {
    return Status::InvalidArgument("json: nesting deeper than {} at byte {}", kMaxJsonDepth,
                                   p_ - begin_);
  }
  JsonNode& node = nodes_.emplace_back();
  node.type = type;
  open_[depth_++] = Open{static_cast<uint32_t>(nodes_.size() - 1), 0};
  ++p_;
  SkipWhitespace();
  if (p_ < end_ && *p_ == (type == JsonType::kObject ? '}' : ']')) {
    ++p_;
    CloseContainer(0);
    *next = State::kAfterValue;
    return Status::Ok();
  }
  *next = type == JsonType::kObject ? State::kKey : State::kValue;
  return Status::Ok();
}

void Parser::CloseContainer(uint32_t length) {
  const Open& top = open_[--depth_];
  JsonNode& node = nodes_[top.node];
  node.length = length;
  node.subtree = static_cast<uint32_t>(nodes_.size() - top.node - 1);
}

Status Parser::ParseLiteral(std::string_view word, JsonType type, bool value) {
  if (static_cast<size_t>(end_ - p_) < word.size() ||
      std::memcmp(p_, word.data(), word.size()) != 0) {
    return Error("invalid literal", p_);
  }
  p_ += word.size();
  JsonNode& node = nodes_.emplace_back();
  node.type = type;
  node.bool_value = value;
  return Status::Ok();
}

// RFC 8259 section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
Status Parser::ParseNumber() {
  const char* start = p_;
  if (*p_ == '-') ++p_;
  if (p_ == end_ || !IsDigit(*p_)) return Error("invalid number", p_);
  if (*p_ == '0') {
    ++p_;
    if (p_ < end_ && IsDigit(*p_)) return Error("leading zero in number", p_);
  } else {
    while (p_ < end_ && IsDigit(*p_)) ++p_;
  }
  if (p_ < end_ && *p_ == '.') {
    ++p_;
    if (p_ == end_ || !IsDigit(*p_)) return Error("invalid number", p_);
    while (p_ < end_ && IsDigit(*p_)) ++p_;
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (p_ == end_ || !IsDigit(*p_)) return Error("invalid number", p_);
    while (p_ < end_ && IsDigit(*p_)) ++p_;
  }
  JsonNode& node = nodes_.emplace_back();
  node.type = JsonType::kNumber;
  node.length = static_cast<uint32_t>(p_ - start);
  node.text = start;
  return Status::Ok();
}

Status Parser::ParseString() {
  const char* start = ++p_;  // past the opening quote
  bool escaped = false;
  bool non_ascii = false;
  O2P_RETURN_IF_ERROR(ScanString(start, &escaped, &non_ascii));
  std::string_view text(start, static_cast<size_t>(p_ - start));
  ++p_;  // past the closing quote
  if (escaped) O2P_RETURN_IF_ERROR(Unescape(text, &text));
  if (non_ascii) text = RepairUtf8(text, arena_);
  JsonNode& node = nodes_.emplace_back();
  node.type = JsonType::kString;
  node.length = static_cast<uint32_t>(text.size());
  node.text = text.data();
  return Status::Ok();
}

// Moves p_ to the closing quote of the string whose text starts at `start`, eight bytes at a
// time while no quote, backslash or control character is in sight.
Status Parser::ScanString(const char* start, bool* escaped, bool* non_ascii) {
  uint64_t high = 0;
  for (;;) {
    while (end_ - p_ >= 8) {
      uint64_t word;
      std::memcpy(&word, p_, 8);
      const uint64_t stop = HasZeroByte(word ^ (kOnes * '"')) | HasZeroByte(word ^ (kOnes * '\\')) |
                            HasByteBelow(word, 0x20);
      if (stop != 0) {
        if constexpr (std::endian::native == std::endian::little) {
          const int skip = std::countr_zero(stop) / 8;  // bytes before the first stop byte
          high |= word & ((uint64_t{1} << (8 * skip)) - 1);
          p_ += skip;
        }
        break;
      }
      high |= word;
      p_ += 8;
    }
    if (p_ == end_) return Error("unterminated string", start - 1);
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') break;
    if (c == '\\') {
      if (end_ - p_ < 2) return Error("unterminated string", start - 1);
      *escaped = true;
      p_ += 2;
      continue;
    }
    if (c < 0x20) return Error("control character in string", p_);
    high |= c;
    ++p_;
  }
  *non_ascii = (high & kHighs) != 0;
  return Status::Ok();
}

// Unescapes `raw` (a string's text between its quotes) into the arena. The result is never
// longer than `raw`: every escape is at least as long as what it stands for.
Status Parser::Unescape(std::string_view raw, std::string_view* out) {
  char* const dst = arena_.Allocate(raw.size());
  char* o = dst;
  const char* s = raw.data();
  const char* const end = s + raw.size();
  while (s < end) {
    const auto* slash = static_cast<const char*>(std::memchr(s, '\\', end - s));
    const char* stop = slash ? slash : end;
    std::memcpy(o, s, stop - s);
    o += stop - s;
    if (!slash) break;
    s = slash + 1;  // ScanString guaranteed a character after every backslash
    switch (*s) {
      case '"': *o++ = '"'; break;
      case '\\': *o++ = '\\'; break;
      case '/': *o++ = '/'; break;
      case 'b': *o++ = '\b'; break;
      case 'f': *o++ = '\f'; break;
      case 'n': *o++ = '\n'; break;
      case 'r': *o++ = '\r'; break;
      case 't': *o++ = '\t'; break;
      case 'u': O2P_RETURN_IF_ERROR(UnescapeUnicode(&s, end, &o)); continue;
      default: return Error("invalid escape", slash);
    }
    ++s;
  }
  *out = std::string_view(dst, static_cast<size_t>(o - dst));
  return Status::Ok();
}

// *s points at the 'u' of "\uXXXX". Joins a surrogate pair; a lone surrogate becomes U+FFFD.
// Advances *s past the escape(s) and appends UTF-8 to *out.
Status Parser::UnescapeUnicode(const char** s, const char* end, char** out) {
  const char* u = *s;
  const int32_t cp = end - u >= 5 ? Hex4(u + 1) : -1;
  if (cp < 0) return Error("invalid \\u escape", u - 1);
  *s = u + 5;
  if (cp >= 0xDC00 && cp <= 0xDFFF) {
    *out = AppendUtf8(0xFFFD, *out);
    return Status::Ok();
  }
  if (cp < 0xD800 || cp > 0xDBFF) {
    *out = AppendUtf8(static_cast<char32_t>(cp), *out);
    return Status::Ok();
  }
  // A high surrogate: it needs "\uDC00".."\uDFFF" right after it.
  const char* next = u + 5;
  const int32_t low = end - next >= 6 && next[0] == '\\' && next[1] == 'u' ? Hex4(next + 2) : -1;
  if (low < 0xDC00 || low > 0xDFFF) {
    *out = AppendUtf8(0xFFFD, *out);
    return Status::Ok();
  }
  const char32_t joined = 0x10000 + ((static_cast<char32_t>(cp) - 0xD800) << 10) +
                          (static_cast<char32_t>(low) - 0xDC00);
  *out = AppendUtf8(joined, *out);
  *s = next + 6;
  return Status::Ok();
}

}  // namespace

Status JsonDocument::Parse(std::string_view input, Arena& arena) {
  nodes_.clear();
  if (input.size() > kMaxInputBytes) {
    return Status::InvalidArgument("json: document larger than {} bytes at byte 0", kMaxInputBytes);
  }
  nodes_.reserve(EstimateNodes(input));
  Parser parser(input, arena, &nodes_);
  Status status = parser.Run();
  if (!status.ok()) nodes_.clear();
  return status;
}

}  // namespace o2p::otlp::internal
