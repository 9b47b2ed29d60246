// The TOML configuration file: parsed, applied to every setting (sizes, durations, addresses,
// URLs) and validated by LoadConfig, as `serve --config FILE` does. A configuration that loads
// must print (`otlp2parquet config`) as TOML that loads back to the same configuration.
#include <fstream>
#include <string>

#include <unistd.h>

#include "fuzz_check.h"
#include "o2p/config/internal/toml_file.h"
#include "o2p/config/load.h"
#include "o2p/config/settings.h"

namespace {

using namespace o2p;

// LoadConfig reads the file itself; one file per process, rewritten for every input.
const std::string& ConfigPath() {
  static const std::string path = "/tmp/o2p_fuzz_config_" + std::to_string(getpid()) + ".toml";
  return path;
}

Result<config::LoadedConfig> LoadDocument(std::string_view document) {
  {
    std::ofstream out(ConfigPath(), std::ios::binary | std::ios::trunc);
    out.write(document.data(), static_cast<std::streamsize>(document.size()));
  }
  return config::LoadConfig({"--config", ConfigPath()}, config::Environment{});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view document = fuzz::AsText(data, size);
  (void)config::internal::ParseToml(document, "fuzz.toml");
  Result<config::LoadedConfig> loaded = LoadDocument(document);
  if (!loaded.ok()) {
    fuzz::Check(!loaded.status().message().empty(), "a refused configuration has no reason");
    return 0;
  }
  const std::string printed = config::FormatConfig(loaded->config);
  // Set secrets print as comments (they stay in the environment), so they do not come back.
  if (printed.find("\"****\"") != std::string::npos) return 0;
  Result<config::LoadedConfig> again = LoadDocument(printed);
  fuzz::Check(again.ok(), "the printed configuration does not load");
  fuzz::Check(config::FormatConfig(again->config) == printed,
              "the printed configuration loads as a different one");
  return 0;
}
