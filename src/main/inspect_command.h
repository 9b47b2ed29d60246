// `otlp2parquet inspect FILE...`: decode OTLP files and print the table rows they hold.
#pragma once

#include <string>
#include <vector>

namespace o2p::cli {

/// Returns the process exit status: 0 all files decoded, 1 some file rejected, 2 usage error.
int RunInspect(const std::vector<std::string>& args);

}  // namespace o2p::cli
