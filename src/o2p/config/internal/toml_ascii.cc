#include "o2p/config/internal/toml_ascii.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"

namespace o2p::config::internal {
namespace {

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Decodes the UTF-8 character at text[*i] (a non-ASCII lead byte) and appends its TOML escape;
// *i ends on the character's last byte. False for invalid UTF-8 (overlong forms, surrogates and
// code points past U+10FFFF included).
bool AppendEscapedCharacter(std::string_view text, size_t* i, std::string* out) {
  char32_t code = 0;
  const size_t length = DecodeUtf8(text, *i, &code);
  if (length == 0) return false;
  const auto value = static_cast<uint32_t>(code);
  *out += value <= 0xFFFF ? fmt::format("\\u{:04X}", value) : fmt::format("\\U{:08X}", value);
  *i += length - 1;
  return true;
}

// Length of the run of `quote` characters starting at doc[i].
size_t QuoteRun(std::string_view doc, size_t i, char quote) {
  size_t run = 0;
  while (i + run < doc.size() && doc[i + run] == quote) ++run;
  return run;
}

class Rewriter {
 public:
  Rewriter(std::string_view doc, std::string_view source_name)
      : doc_(doc), source_name_(source_name) {}

  Result<std::string> Run();

 private:
  enum class In { kCode, kComment, kBasic, kMultiBasic };

  Status Error(size_t at, std::string_view what) const {
    return Status::InvalidArgument("{}:{}:{}: {}", source_name_, line_, at - line_start_ + 1, what);
  }
  Status Code(size_t* i);
  Status BasicString(size_t* i);
  Status LiteralString(size_t* i);

  std::string_view doc_;
  std::string_view source_name_;
  std::string out_;
  In in_ = In::kCode;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

Result<std::string> Rewriter::Run() {
  out_.reserve(doc_.size() + doc_.size() / 8);
  size_t i = doc_.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a byte order mark
  while (i < doc_.size()) {
    const char c = doc_[i];
    if (c == '\n') {
      ++line_;
      line_start_ = i + 1;
      if (in_ != In::kMultiBasic) in_ = In::kCode;
      out_ += c;
      ++i;
      continue;
    }
    if (in_ == In::kCode) {
      O2P_RETURN_IF_ERROR(Code(&i));
    } else if (in_ == In::kComment) {
      out_ += static_cast<unsigned char>(c) < 0x80 ? c : '?';
      ++i;
    } else {
      O2P_RETURN_IF_ERROR(BasicString(&i));
    }
  }
  return std::move(out_);
}

Status Rewriter::Code(size_t* i) {
  const char c = doc_[*i];
  if (static_cast<unsigned char>(c) >= 0x80) {
    return Error(*i, "a non-ASCII character outside a string or comment");
  }
  if (c == '\'') return LiteralString(i);
  if (c == '#') in_ = In::kComment;
  size_t take = 1;
  if (c == '"') {
    take = QuoteRun(doc_, *i, '"') >= 3 ? 3 : 1;
    in_ = take == 3 ? In::kMultiBasic : In::kBasic;
  }
  out_.append(doc_.substr(*i, take));
  *i += take;
  return Status::Ok();
}

// Inside "…" or """…""": escapes non-ASCII characters and finds the end. A multi-line string
// ends at the last three quotes of a run of three to five (one or two may end its content).
Status Rewriter::BasicString(size_t* i) {
  const char c = doc_[*i];
  size_t take = 1;
  if (c == '\\') {
    // The escaped character cannot end the string; a line-ending backslash leaves its newline
    // to the line count.
    if (*i + 1 < doc_.size() && doc_[*i + 1] != '\n') take = 2;
  } else if (c == '"') {
    take = in_ == In::kBasic ? 1 : QuoteRun(doc_, *i, '"');
    if (in_ == In::kBasic || take >= 3) in_ = In::kCode;
  } else if (static_cast<unsigned char>(c) >= 0x80) {
    const size_t start = *i;
    if (!AppendEscapedCharacter(doc_, i, &out_)) return Error(start, "invalid UTF-8 in a string");
    ++*i;
    return Status::Ok();
  }
  const std::string_view piece = doc_.substr(*i, take);
  if (!IsAscii(piece)) return Error(*i + 1, "an escape of a non-ASCII character");
  out_.append(piece);
  *i += take;
  return Status::Ok();
}

// At the opening quote of '…' or '''…''': copies the string as it is when it is ASCII, else
// writes the basic string with the same value.
Status Rewriter::LiteralString(size_t* i) {
  const bool multi = QuoteRun(doc_, *i, '\'') >= 3;
  const size_t open = multi ? 3 : 1;
  size_t end = *i + open;  // the closing delimiter's first quote
  size_t close = 0;        // its length: 1, or 3 after up to two quotes of content
  for (; end < doc_.size(); ++end) {
    if (!multi && doc_[end] == '\n') break;
    if (doc_[end] != '\'') continue;
    const size_t run = QuoteRun(doc_, end, '\'');
    if (!multi) {
      close = 1;
      break;
    }
    if (run >= 3) {
      end += std::min<size_t>(run, 5) - 3;
      close = 3;
      break;
    }
    end += run - 1;
  }
  const std::string_view content = doc_.substr(*i + open, end - *i - open);
  if (IsAscii(content)) {
    out_.append(doc_.substr(*i, open + content.size() + close));
    *i += open + content.size() + close;
    return Status::Ok();
  }
  if (close == 0) return Error(*i, "an unterminated literal string");
  const std::string_view delimiter = multi ? "\"\"\"" : "\"";
  out_.append(delimiter);
  for (size_t k = 0; k < content.size(); ++k) {
    const char c = content[k];
    if (c == '\\' || c == '"') {
      out_ += '\\';
      out_ += c;
    } else if (static_cast<unsigned char>(c) < 0x80) {
      if (c == '\n') {
        ++line_;
        line_start_ = *i + open + k + 1;
      }
      out_ += c;
    } else if (!AppendEscapedCharacter(content, &k, &out_)) {
      return Error(*i + open + k, "invalid UTF-8 in a string");
    }
  }
  out_.append(delimiter);
  *i += open + content.size() + close;
  return Status::Ok();
}

}  // namespace

Result<std::string> AsciiTomlDocument(std::string_view document, std::string_view source_name) {
  if (IsAscii(document)) return std::string(document);
  return Rewriter(document, source_name).Run();
}

}  // namespace o2p::config::internal
