// `otlp2parquet convert [options] INPUT...`: OTLP files in, partitioned Parquet files out.
#pragma once

#include <string>
#include <vector>

namespace o2p::cli {

/// Returns the exit status: 0 everything converted, 1 some input or record rejected, 2 usage.
int RunConvert(const std::vector<std::string>& args);

}  // namespace o2p::cli
