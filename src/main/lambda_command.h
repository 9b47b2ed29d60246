// The AWS Lambda custom runtime entry (docs/lambda.md): used by the `bootstrap` executable, by
// `otlp2parquet` when started as "bootstrap" or with AWS_LAMBDA_RUNTIME_API set and no command,
// and by `otlp2parquet lambda`.
#pragma once

#include <string>
#include <vector>

namespace o2p::cli {

/// Reads the configuration from the environment, then serves invocations from
/// $AWS_LAMBDA_RUNTIME_API. A configuration that cannot work is reported to init/error
/// (Runtime.ConfigError) and gives exit status 1.
int RunLambda(const std::vector<std::string>& args);

/// True when the process was started as a Lambda custom runtime: argv[0] is "bootstrap", or
/// AWS_LAMBDA_RUNTIME_API is set and no command was given.
bool StartedAsLambda(const char* argv0, int argc);

}  // namespace o2p::cli
