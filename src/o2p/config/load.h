// LoadConfig: builds the effective Config from defaults, a TOML file, the environment and the
// command line, with one precedence rule: flags > environment > file > defaults.
//
//   1. The command line is split into flags, `--config FILE` and positional arguments; `-h` or
//      `--help` stops here (help_requested) so help works even with a broken configuration.
//   2. The TOML file named by --config, else by OTLP2PARQUET_CONFIG, is applied (optional).
//   3. OTLP2PARQUET_* variables are applied; unknown ones become warnings.
//   4. Flag values are applied, in order (a repeated flag: the last one wins).
//   5. ValidateConfig checks the result as a whole.
//
// Every problem in steps 1-4 is collected, and the first failure is one INVALID_ARGUMENT whose
// message has a line per problem, each naming the flag, variable or file:line:column and key,
// and what is accepted:
//   "OTLP2PARQUET_LOG_FORMAT: 'xml' is not one of text, json"
//
// The environment is passed in, so tests use a map and main passes ProcessEnvironment(): this
// file is the only reader of the process environment (design.md, rule of taste 10).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/config/config.h"
#include "o2p/config/settings.h"

namespace o2p::config {

/// Variable name -> value.
using Environment = std::map<std::string, std::string, std::less<>>;

/// A copy of the process environment (environ).
Environment ProcessEnvironment();

struct LoadedConfig {
  Config config;
  /// Arguments that are not flags or flag values, in order; everything after "--".
  std::vector<std::string> positional;
  /// Problems that do not stop start-up (unknown OTLP2PARQUET_* variables), for the log.
  std::vector<std::string> warnings;
  /// Where each setting's value came from, by key; every key is present ("default" at least).
  Origins origins;
  /// The TOML file that was read, or "" when none was.
  std::string config_file;
  /// `-h` or `--help` was given; nothing but `positional` was filled in.
  bool help_requested = false;
};

/// `args` are the arguments after the command name (e.g. after "serve").
Result<LoadedConfig> LoadConfig(const std::vector<std::string>& args, const Environment& env);

}  // namespace o2p::config
