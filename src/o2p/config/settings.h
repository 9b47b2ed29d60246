// The one table of settings. Each row says how a setting is named in the TOML file, the
// environment and on the command line, how its value is parsed and printed, whether it is a
// secret, and which Config member it fills. The loader, `--help` and `otlp2parquet config` are
// all generated from it, so adding a setting is one row in settings.cc and one member in
// config.h.
//
// Naming rules:
//   key    TOML dotted path, "<section>.<member>", e.g. "batch.max_rows".
//   env    OTLP2PARQUET_<NAME>; the original project's names are kept where it had the
//          setting (LISTEN_ADDR, BATCH_MAX_AGE_SECS, S3_BUCKET, ICEBERG_TABLE_LOGS, …).
//   flag   "--kebab-case"; every setting but the secrets has one (secrets stay out of `ps`
//          and shell history).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/status.h"
#include "o2p/config/config.h"

namespace o2p::config {

struct Setting {
  std::string_view key;
  std::string_view env;
  /// Empty when the setting has no flag.
  std::string_view flag;
  /// One or two sentences for `--help`.
  std::string_view help;
  /// Printed masked by FormatConfig.
  bool secret = false;
  /// Standard variables read when `env` is unset, space-separated, first set wins, e.g.
  /// "AWS_REGION AWS_DEFAULT_REGION"; may be empty.
  std::string_view fallback_env;

  // Filled in by the value type.
  /// What the value looks like: "HOST:PORT", "SIZE", "DURATION", "N", "text|json", "TEXT".
  std::string value_hint;
  /// Whether a TOML integer is accepted besides a string, and printed bare.
  bool integer = false;
  /// Parses `text` into the setting's member of `config`. The error says what was wrong and
  /// what is accepted, without naming the setting; the caller adds the key, env var or flag.
  std::function<Status(std::string_view text, Config& config)> parse;
  /// The member's value as text that `parse` accepts.
  std::function<std::string(const Config& config)> print;
};

/// Every setting, grouped by section in the order `--help` and FormatConfig show them.
const std::vector<Setting>& Settings();

/// The row with this key, env var or flag ("--listen"), or nullptr.
const Setting* FindSettingByKey(std::string_view key);
const Setting* FindSettingByEnv(std::string_view env);
const Setting* FindSettingByFlag(std::string_view flag);

/// The environment variable and flag that name the TOML file.
inline constexpr std::string_view kConfigFileEnv = "OTLP2PARQUET_CONFIG";
inline constexpr std::string_view kConfigFileFlag = "--config";

/// Where each setting's value came from, by key: "default", "file PATH", "env NAME",
/// "flag --name".
using Origins = std::map<std::string, std::string, std::less<>>;

/// The `serve --help` text: precedence, value syntax, and every setting with its key, flag,
/// environment variable, default and help.
std::string SettingsHelp();

/// The effective configuration as TOML, one `[section]` per area, for `otlp2parquet config`.
/// Secrets that are set are printed as a comment with "****", so the output never carries a
/// secret and, fed back as a config file, leaves secrets to the environment. With `origins`,
/// each line ends with a comment naming where its value came from.
std::string FormatConfig(const Config& config, const Origins& origins = {});

}  // namespace o2p::config
