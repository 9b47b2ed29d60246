// ValidateConfig: the checks that involve more than one setting, and the listen addresses
// (which LoadConfig already checks one by one, but a Config built in code skips that).
#pragma once

#include "o2p/base/status.h"
#include "o2p/config/config.h"

namespace o2p::config {

/// OK, or INVALID_ARGUMENT with one line per problem, each naming the keys and their
/// environment variables, e.g. "storage.backend (OTLP2PARQUET_STORAGE_BACKEND) is s3, which
/// needs storage.s3.bucket (OTLP2PARQUET_S3_BUCKET)".
Status ValidateConfig(const Config& config);

}  // namespace o2p::config
