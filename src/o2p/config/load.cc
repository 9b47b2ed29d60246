#include "o2p/config/load.h"

#include <array>
#include <optional>

#include <fmt/format.h>
#include <unistd.h>

#include "o2p/config/internal/text.h"
#include "o2p/config/internal/toml_file.h"
#include "o2p/config/validate.h"

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX

namespace o2p::config {
namespace {

using internal::ClosestMatch;
using internal::TomlEntry;
using internal::TomlType;

constexpr std::string_view kEnvPrefix = "OTLP2PARQUET_";

// Variables the original project read that have no setting here, and what to do instead.
struct Retired {
  std::string_view env;
  std::string_view advice;
};
constexpr std::string_view kIcebergSwitch =
    "Iceberg is on exactly when OTLP2PARQUET_ICEBERG_REST_URI (or OTLP2PARQUET_ICEBERG_CATALOG=dir:PATH) is set";
constexpr std::array<Retired, 5> kRetired = {{
    {"OTLP2PARQUET_BATCHING_ENABLED",
     "batching cannot be turned off; lower OTLP2PARQUET_BATCH_MAX_AGE_SECS for earlier files"},
    {"OTLP2PARQUET_ICEBERG_ENABLED", kIcebergSwitch},
    {"OTLP2PARQUET_LAMBDA_INTEGRATED_ICEBERG", kIcebergSwitch},
    {"OTLP2PARQUET_CATALOG_MODE", kIcebergSwitch},
    {"OTLP2PARQUET_CONFIG_CONTENT", "put the TOML in a file and name it in OTLP2PARQUET_CONFIG"},
}};

struct FlagValue {
  const Setting* setting;
  std::string flag;
  std::string value;
};

struct CommandLine {
  std::vector<FlagValue> values;
  std::optional<std::string> config_file;
  std::vector<std::string> positional;
  bool help = false;
};

// The state of one LoadConfig call.
struct Loader {
  LoadedConfig out;
  std::vector<std::string> errors;

  // Parses `text` into the setting; `where` names the source in an error message.
  void Apply(const Setting& setting, std::string_view text, const std::string& where,
             std::string origin) {
    const Status status = setting.parse(text, out.config);
    if (!status.ok()) {
      errors.push_back(fmt::format("{}: {}", where, status.message()));
      return;
    }
    out.origins[std::string(setting.key)] = std::move(origin);
  }
};

template <typename Member>
std::vector<std::string_view> Names(Member member) {
  std::vector<std::string_view> names;
  for (const Setting& setting : Settings()) {
    if (!(setting.*member).empty()) names.push_back(setting.*member);
  }
  return names;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::string_view match = ClosestMatch(word, candidates);
  return match.empty() ? std::string() : fmt::format(" (did you mean {}?)", match);
}

std::string UnknownFlag(std::string_view flag) {
  std::vector<std::string_view> flags = Names(&Setting::flag);
  flags.insert(flags.end(), {kConfigFileFlag, "--help"});
  return fmt::format("unknown flag {}{}", flag, DidYouMean(flag, flags));
}

// Step 1: flags are recognised here and their values parsed in step 4.
CommandLine SplitCommandLine(const std::vector<std::string>& args,
                             std::vector<std::string>& errors) {
  CommandLine line;
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positional || arg == "-" || arg.empty() || arg[0] != '-') {
      line.positional.push_back(arg);
    } else if (arg == "--") {
      only_positional = true;
    } else if (arg == "-h" || arg == "--help") {
      line.help = true;
    } else {
      const size_t equals = arg.find('=');
      const std::string flag = arg.substr(0, equals);
      const Setting* setting = FindSettingByFlag(flag);
      if (setting == nullptr && flag != kConfigFileFlag) {
        errors.push_back(UnknownFlag(flag));
        continue;
      }
      std::string value;
      if (equals != std::string::npos) {
        value = arg.substr(equals + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        errors.push_back(fmt::format("{} needs a value ({})", flag,
                                     setting != nullptr ? setting->value_hint : "FILE"));
        continue;
      }
      if (setting == nullptr) {
        line.config_file = std::move(value);
      } else {
        line.values.push_back({setting, flag, std::move(value)});
      }
    }
  }
  return line;
}

// An entry that is a known section with no keys in it (`[server]` alone) is fine.
bool IsSection(std::string_view key) {
  for (const Setting& setting : Settings()) {
    if (setting.key.size() > key.size() && setting.key.substr(0, key.size()) == key &&
        setting.key[key.size()] == '.') {
      return true;
    }
  }
  return false;
}

void ApplyFileEntry(const TomlEntry& entry, const std::string& path, Loader& loader) {
  const std::string where = fmt::format("{}:{}:{}", path, entry.line, entry.column);
  const Setting* setting = FindSettingByKey(entry.key);
  if (setting == nullptr) {
    if (entry.type == TomlType::kTable && IsSection(entry.key)) return;
    loader.errors.push_back(fmt::format("{}: unknown key {}{}", where, entry.key,
                                        DidYouMean(entry.key, Names(&Setting::key))));
    return;
  }
  const bool accepted =
      entry.type == TomlType::kString || (entry.type == TomlType::kInteger && setting->integer);
  if (!accepted) {
    loader.errors.push_back(fmt::format("{}: {}: expected {}, not {}", where, entry.key,
                                        setting->integer ? "a number or a string" : "a string",
                                        internal::TomlTypeName(entry.type)));
    return;
  }
  loader.Apply(*setting, entry.text, fmt::format("{}: {}", where, entry.key), "file " + path);
}

// Step 2.
void ApplyFile(const CommandLine& line, const Environment& env, Loader& loader) {
  std::string_view named_by = kConfigFileFlag;
  std::string path;
  if (line.config_file) {
    path = *line.config_file;
  } else if (const auto it = env.find(kConfigFileEnv); it != env.end()) {
    path = it->second;
    named_by = kConfigFileEnv;
  }
  if (path.empty()) return;
  Result<std::vector<TomlEntry>> entries = internal::ReadTomlFile(path, named_by);
  if (!entries.has_value()) {
    loader.errors.push_back(entries.error().message());
    return;
  }
  loader.out.config_file = path;
  for (const TomlEntry& entry : *entries) ApplyFileEntry(entry, path, loader);
}

std::string UnknownVariableWarning(std::string_view name) {
  for (const Retired& retired : kRetired) {
    if (retired.env == name)
      return fmt::format("{} is not used ({}); ignored", name, retired.advice);
  }
  return fmt::format("unknown environment variable {}{}; ignored", name,
                     DidYouMean(name, Names(&Setting::env)));
}

// Step 3.
void ApplyEnvironment(const Environment& env, Loader& loader) {
  for (const Setting& setting : Settings()) {
    auto it = env.find(setting.env);
    // fallback_env may list several standard names, "A B": the first one set wins.
    for (size_t start = 0; it == env.end() && start < setting.fallback_env.size();) {
      const size_t end = std::min(setting.fallback_env.find(' ', start), setting.fallback_env.size());
      it = env.find(std::string(setting.fallback_env.substr(start, end - start)));
      start = end + 1;
    }
    if (it == env.end()) continue;
    loader.Apply(setting, it->second, it->first, "env " + it->first);
  }
  for (const auto& [name, value] : env) {
    if (name.compare(0, kEnvPrefix.size(), kEnvPrefix) != 0 || name == kConfigFileEnv ||
        FindSettingByEnv(name) != nullptr) {
      continue;
    }
    loader.out.warnings.push_back(UnknownVariableWarning(name));
  }
}

}  // namespace

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return env;
}

Result<LoadedConfig> LoadConfig(const std::vector<std::string>& args, const Environment& env) {
  Loader loader;
  CommandLine line = SplitCommandLine(args, loader.errors);
  loader.out.positional = std::move(line.positional);
  if (line.help) {
    loader.out.help_requested = true;
    return std::move(loader.out);
  }
  for (const Setting& setting : Settings())
    loader.out.origins[std::string(setting.key)] = "default";
  ApplyFile(line, env, loader);
  ApplyEnvironment(env, loader);
  for (const FlagValue& flag : line.values) {
    loader.Apply(*flag.setting, flag.value, flag.flag, "flag " + flag.flag);
  }
  if (!loader.errors.empty()) {
    return Status::InvalidArgument("{}", fmt::join(loader.errors, "\n"));
  }
  const Status valid = ValidateConfig(loader.out.config);
  if (!valid.ok()) return valid;
  return std::move(loader.out);
}

}  // namespace o2p::config
