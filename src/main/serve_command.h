#pragma once

#include <string>
#include <vector>

namespace o2p::cli {

/// `otlp2parquet serve`: the OTLP server. Returns the process exit status.
int RunServe(const std::vector<std::string>& args);

}  // namespace o2p::cli
