// SettingsHelp and FormatConfig: the two renderings of the settings table.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "o2p/config/internal/text.h"
#include "o2p/config/settings.h"

namespace o2p::config {
namespace {

constexpr size_t kWidth = 100;
constexpr std::string_view kIndent = "      ";

constexpr std::string_view kHelpIntro =
    R"(Settings come from, highest precedence first: flags, OTLP2PARQUET_* environment variables,
the TOML file (--config FILE, or OTLP2PARQUET_CONFIG=FILE), built-in defaults. In the file a key
goes in its section: `[batch]` then `max_rows = 100000` sets batch.max_rows.

  Sizes      bytes, or a number with KiB MiB GiB TiB (powers of 1024) or KB MB GB TB (powers
             of 1000): 65536, 64MiB, 500MB.
  Durations  seconds, or numbers with ms s m h: 10, 500ms, 2m, 1m30s.
  Flags      --flag VALUE or --flag=VALUE. Secrets have no flag: set them in the environment
             or the file.

  --config FILE  OTLP2PARQUET_CONFIG
      The TOML file to read. Unknown keys in it, unknown flags and invalid values stop start-up;
      unknown OTLP2PARQUET_* variables are reported and ignored.
)";

// The section of a dotted key: "storage.s3" for "storage.s3.bucket".
std::string_view SectionOf(std::string_view key) { return key.substr(0, key.rfind('.')); }
std::string_view NameOf(std::string_view key) { return key.substr(key.rfind('.') + 1); }

// `text` wrapped at kWidth, each line starting with kIndent.
std::string Wrap(std::string_view text) {
  std::string out;
  std::string line(kIndent);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (line.size() > kIndent.size() && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line = kIndent;
    }
    if (line.size() > kIndent.size()) line += ' ';
    line += word;
    start = end + 1;
  }
  return out + line + "\n";
}

// "  key  --flag HINT  ENV", continued on further lines when longer than kWidth.
std::string NameLines(const std::vector<std::string>& names) {
  std::string out;
  std::string line = "  ";
  for (const std::string& name : names) {
    if (line.size() > 2 && line.size() + 2 + name.size() > kWidth) {
      out += line + "\n";
      line = "    ";
    } else if (line.size() > 2) {
      line += "  ";
    }
    line += name;
  }
  return out + line + "\n";
}

std::string DefaultText(const Setting& setting) {
  const std::string value = setting.print(Config{});
  return value.empty() ? "empty" : value;
}

// The value as it is written in TOML: integers bare, everything else quoted.
std::string TomlValue(const Setting& setting, const std::string& value) {
  const bool bare = setting.integer && !value.empty() &&
                    value.find_first_not_of("0123456789") == std::string::npos;
  return bare ? value : internal::TomlQuote(value);
}

}  // namespace

std::string SettingsHelp() {
  std::string out(kHelpIntro);
  std::string_view section;
  for (const Setting& setting : Settings()) {
    if (SectionOf(setting.key) != section) {
      section = SectionOf(setting.key);
      out += fmt::format("\n[{}]\n", section);
    }
    std::vector<std::string> names = {std::string(setting.key)};
    if (!setting.flag.empty()) {
      names.emplace_back(fmt::format("{} {}", setting.flag, setting.value_hint));
    }
    names.emplace_back(setting.env);
    if (!setting.fallback_env.empty()) {
      std::string fallbacks(setting.fallback_env);
      std::replace(fallbacks.begin(), fallbacks.end(), ' ', ',');
      names.back() += fmt::format(" (else {})", fallbacks);
    }
    if (setting.secret) names.emplace_back("(secret)");
    out += NameLines(names);
    out += Wrap(fmt::format("{} Default: {}.", setting.help, DefaultText(setting)));
  }
  return out;
}

std::string FormatConfig(const Config& config, const Origins& origins) {
  std::string out =
      "# otlp2parquet: the effective configuration (flags > environment > file > defaults).\n"
      "# Secrets are not shown.\n";
  std::string_view section;
  for (const Setting& setting : Settings()) {
    if (SectionOf(setting.key) != section) {
      section = SectionOf(setting.key);
      out += fmt::format("\n[{}]\n", section);
    }
    const std::string value = setting.print(config);
    std::string line;
    if (setting.secret && !value.empty()) {
      line = fmt::format("# {} = \"****\"", NameOf(setting.key));
    } else {
      line = fmt::format("{} = {}", NameOf(setting.key), TomlValue(setting, value));
    }
    const auto origin = origins.find(setting.key);
    if (origin != origins.end()) {
      line = fmt::format("{:<42}  # {}", line, origin->second);
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace o2p::config
