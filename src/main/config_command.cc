#include "config_command.h"

#include <fmt/format.h>

#include "o2p/config/load.h"
#include "o2p/config/settings.h"
#include "o2p/config/validate.h"

namespace o2p::cli {

int RunConfig(const std::vector<std::string>& args) {
  auto loaded = config::LoadConfig(args, config::ProcessEnvironment());
  if (!loaded) {
    fmt::print(stderr, "config: {}\n", loaded.error().message());
    return 2;
  }
  if (loaded->help_requested) {
    fmt::print(
        "usage: otlp2parquet config [--config FILE] [flags...]\n\n"
        "Prints the effective configuration (flags > OTLP2PARQUET_* environment > TOML file >\n"
        "defaults) as TOML, each line noting where its value came from; secrets are masked.\n\n"
        "{}",
        config::SettingsHelp());
    return 0;
  }
  for (const std::string& warning : loaded->warnings) fmt::print(stderr, "warning: {}\n", warning);
  if (Status s = config::ValidateConfig(loaded->config); !s.ok()) {
    fmt::print(stderr, "config: {}\n", s.message());
    return 2;
  }
  fmt::print("{}", config::FormatConfig(loaded->config, loaded->origins));
  return 0;
}

}  // namespace o2p::cli
