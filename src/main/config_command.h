// `otlp2parquet config [settings...]`: prints the effective configuration, secrets masked.
#pragma once

#include <string>
#include <vector>

namespace o2p::cli {

/// Returns the exit status: 0 printed, 2 invalid configuration (the message names the key).
int RunConfig(const std::vector<std::string>& args);

}  // namespace o2p::cli
