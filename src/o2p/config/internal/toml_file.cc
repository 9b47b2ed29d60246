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
#include "o2p/config/internal/toml_ascii.h"

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

Result<std::vector<TomlEntry>> ParseToml(std::string_view document, std::string_view source_name) {
  // toml++ must never see a non-ASCII byte (toml_ascii.h).
  O2P_ASSIGN_OR_RETURN(const std::string ascii, AsciiTomlDocument(document, source_name));
  toml::parse_result parsed = toml::parse(ascii, source_name);
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
