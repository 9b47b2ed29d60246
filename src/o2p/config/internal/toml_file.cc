#include "o2p/config/internal/toml_file.h"

// toml++ is used header-only and without exceptions (set on the target); its CMake target would
// link a shared library, which the static Lambda binary cannot use (toolchain.md).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <toml++/toml.h>

#include "o2p/base/macros.h"

namespace o2p::config::internal {
namespace {

TomlType TypeOf(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return TomlType::kString;
    case toml::node_type::integer: return TomlType::kInteger;
    case toml::node_type::floating_point: return TomlType::kFloat;
    case toml::node_type::boolean: return TomlType::kBoolean;
    case toml::node_type::array: return TomlType::kArray;
    case toml::node_type::table: return TomlType::kTable;
    default: return TomlType::kDateTime;
  }
}

void Flatten(const toml::table& table, const std::string& prefix, std::vector<TomlEntry>& out) {
  for (const auto& [key, node] : table) {
    const std::string path =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const toml::table* child = node.as_table();
    if (child != nullptr && !child->empty()) {
      Flatten(*child, path, out);
      continue;
    }
    TomlEntry entry{path, TypeOf(node), {}, node.source().begin.line, node.source().begin.column};
    if (const auto* text = node.as_string()) entry.text = text->get();
    if (const auto* number = node.as_integer()) entry.text = std::to_string(number->get());
    out.push_back(std::move(entry));
  }
}

}  // namespace

std::string_view TomlTypeName(TomlType type) {
  switch (type) {
    case TomlType::kString: return "a string";
    case TomlType::kInteger: return "an integer";
    case TomlType::kFloat: return "a floating-point number";
    case TomlType::kBoolean: return "a boolean";
    case TomlType::kDateTime: return "a date or time";
    case TomlType::kArray: return "an array";
    case TomlType::kTable: return "a table";
  }
  return "a value";
}

namespace {

// TOML allows non-ASCII characters only inside strings and comments. toml++ 3.3.0 (Debian 12)
// classifies such a character found elsewhere with a generated whitespace table that reaches
// __builtin_unreachable for most code points (U+00A1..U+0499, for one), which is undefined
// behaviour (found by fuzz/config_toml). So the document is refused before toml++ sees one.
// The scan follows TOML's four string forms and comments; it only needs to agree with toml++
// up to toml++'s first syntax error, which always comes first for misplaced quotes.
// At a quote inside a string whose delimiter is `delimiter` quotes long: true when the string
// ends here. A multi-line string ends at the last three of a run of three to five quotes (one or
// two quotes may end its content), so `*i` moves to the end of the run.
bool EndOfQuoteRun(std::string_view doc, size_t* i, size_t delimiter) {
  if (delimiter == 1) return true;
  size_t run = 1;
  while (*i + run < doc.size() && doc[*i + run] == doc[*i]) ++run;
  if (run < delimiter) {
    *i += run - 1;
    return false;
  }
  *i += run - 1;
  return true;
}

Status CheckNonAsciiOnlyInStringsAndComments(std::string_view doc, std::string_view source_name) {
  enum class In { kCode, kComment, kBasic, kLiteral, kMultiBasic, kMultiLiteral } in = In::kCode;
  uint32_t line = 1;
  size_t line_start = 0;
  size_t i = doc.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a byte order mark
  for (; i < doc.size(); ++i) {
    const char c = doc[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      if (in != In::kMultiBasic && in != In::kMultiLiteral) in = In::kCode;
      continue;
    }
    switch (in) {
      case In::kCode:
        if (static_cast<unsigned char>(c) >= 0x80) {
          return Status::InvalidArgument(
              "{}:{}:{}: a non-ASCII character outside a string or comment", source_name, line,
              i - line_start + 1);
        }
        if (c == '#') in = In::kComment;
        if (c == '"' || c == '\'') {
          const bool triple = doc.substr(i, 3) == std::string(3, c);
          in = c == '"' ? (triple ? In::kMultiBasic : In::kBasic)
                        : (triple ? In::kMultiLiteral : In::kLiteral);
          if (triple) i += 2;
        }
        break;
      case In::kComment: break;
      case In::kBasic:
      case In::kMultiBasic:
        if (c == '\\') {
          // The escaped character cannot end the string (a line-ending backslash keeps its
          // newline for the line count).
          if (i + 1 < doc.size() && doc[i + 1] != '\n') ++i;
        } else if (c == '"') {
          in = EndOfQuoteRun(doc, &i, in == In::kBasic ? 1 : 3) ? In::kCode : in;
        }
        break;
      case In::kLiteral:
      case In::kMultiLiteral:
        if (c == '\'') in = EndOfQuoteRun(doc, &i, in == In::kLiteral ? 1 : 3) ? In::kCode : in;
        break;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<TomlEntry>> ParseToml(std::string_view document, std::string_view source_name) {
  O2P_RETURN_IF_ERROR(CheckNonAsciiOnlyInStringsAndComments(document, source_name));
  toml::parse_result parsed = toml::parse(document, source_name);
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return Status::InvalidArgument("{}:{}:{}: {}", source_name, error.source().begin.line,
                                   error.source().begin.column, error.description());
  }
  std::vector<TomlEntry> entries;
  Flatten(parsed.table(), "", entries);
  return entries;
}

Result<std::vector<TomlEntry>> ReadTomlFile(const std::string& path, std::string_view named_by) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (error) {
    return Status::InvalidArgument("cannot read config file {} (from {}): {}", path, named_by,
                                   error.message());
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Status::InvalidArgument("config file {} (from {}) is not a regular file", path,
                                   named_by);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::InvalidArgument("cannot read config file {} (from {}): {}", path, named_by,
                                   std::strerror(errno));
  }
  const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    return Status::InvalidArgument("cannot read config file {} (from {})", path, named_by);
  }
  return ParseToml(content, path);
}

}  // namespace o2p::config::internal
