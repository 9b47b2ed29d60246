#include "o2p/config/validate.h"

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "o2p/config/settings.h"
#include "o2p/config/values.h"

namespace o2p::config {
namespace {

// "batch.max_bytes (OTLP2PARQUET_BATCH_MAX_BYTES)": how a user finds the setting to change.
std::string Name(std::string_view key) {
  const Setting* setting = FindSettingByKey(key);
  if (setting == nullptr || setting->env.empty()) return std::string(key);
  return fmt::format("{} ({})", key, setting->env);
}

bool IsWildcard(std::string_view host) { return host == "0.0.0.0" || host == "::"; }

void CheckListeners(const ServerOptions& server, std::vector<std::string>& problems) {
  const Result<HostPort> http = ParseHostPort(server.listen);
  if (!http.has_value()) {
    problems.push_back(fmt::format("{}: {}", Name("server.listen"), http.error().message()));
  }
  if (server.grpc_listen.empty()) return;
  const Result<HostPort> grpc = ParseHostPort(server.grpc_listen);
  if (!grpc.has_value()) {
    problems.push_back(fmt::format("{}: {}", Name("server.grpc_listen"), grpc.error().message()));
    return;
  }
  if (http.has_value() && http->port == grpc->port && http->port != 0 &&
      (http->host == grpc->host || IsWildcard(http->host) || IsWildcard(grpc->host))) {
    problems.push_back(
        fmt::format("{} and {} both listen on port {}; give gRPC another port "
                    "(4317 is OTLP's) or turn it off",
                    Name("server.listen"), Name("server.grpc_listen"), http->port));
  }
}

// `small` must not be larger than `large`.
void CheckAtMost(std::string_view small_key, size_t small, std::string_view large_key, size_t large,
                 std::vector<std::string>& problems) {
  if (small <= large) return;
  problems.push_back(fmt::format("{} ({}) is larger than {} ({})", Name(small_key),
                                 FormatSize(small), Name(large_key), FormatSize(large)));
}

void CheckStorage(const StorageOptions& storage, std::vector<std::string>& problems) {
  if (storage.backend == StorageBackend::kLocal) {
    if (storage.path.empty()) {
      problems.push_back(fmt::format("{} is local, which needs {}", Name("storage.backend"),
                                     Name("storage.path")));
    }
    return;
  }
  if (storage.s3.bucket.empty()) {
    problems.push_back(fmt::format("{} is s3, which needs {}", Name("storage.backend"),
                                   Name("storage.s3.bucket")));
  }
  // An empty region is not checked here: S3-compatible endpoints default to us-east-1, and
  // for AWS the region may still come from the shared AWS config file, which the S3 store
  // reads (and fails with the list of places it looked).
}

void CheckParquet(const ParquetOptions& parquet, std::vector<std::string>& problems) {
  const int max = parquet.codec == parquet::Codec::kZstd   ? 22
                  : parquet.codec == parquet::Codec::kGzip ? 9
                                                           : -1;
  if (max < 0 || parquet.compression_level <= max) return;
  problems.push_back(fmt::format("{} is {}, but {} takes 1 to {} (or 0 for its default)",
                                 Name("parquet.compression_level"), parquet.compression_level,
                                 parquet::CodecName(parquet.codec), max));
}

void CheckIceberg(const Config& config, std::vector<std::string>& problems) {
  const IcebergOptions& iceberg = config.iceberg;
  if (!iceberg.enabled()) return;
  const std::string& ns = iceberg.namespace_name;
  if (ns.empty() || ns.front() == '.' || ns.back() == '.' || ns.find("..") != std::string::npos) {
    problems.push_back(
        fmt::format("{}: '{}' is not a namespace: give dot-separated non-empty "
                    "levels, e.g. otel or prod.otel",
                    Name("iceberg.namespace"), ns));
  }
  if (!iceberg.signing_name.empty() && iceberg.signing_region.empty() &&
      config.storage.s3.region.empty()) {
    problems.push_back(fmt::format("{} is set, which needs {} or {}", Name("iceberg.signing_name"),
                                   Name("iceberg.signing_region"), Name("storage.s3.region")));
  }
  if (!iceberg.catalog.empty() && iceberg.directory().empty()) {
    problems.push_back(fmt::format("{}: '{}' is not dir:PATH (a directory for the tables)",
                                   Name("iceberg.catalog"), iceberg.catalog));
  }
  if (!iceberg.catalog.empty() && !iceberg.rest_uri.empty()) {
    problems.push_back(fmt::format("set only one of {} and {}", Name("iceberg.rest_uri"),
                                   Name("iceberg.catalog")));
  }
  if (!iceberg.token.empty() && !iceberg.credential.empty()) {
    problems.push_back(fmt::format("set only one of {} and {}", Name("iceberg.token"),
                                   Name("iceberg.credential")));
  }
  // Two tables of schema.md in one Iceberg table would mix schemas.
  const auto tables = iceberg.tables.All();
  for (size_t first = 0; first < tables.size(); ++first) {
    for (size_t second = first + 1; second < tables.size(); ++second) {
      if (tables[first].second != tables[second].second) continue;
      problems.push_back(fmt::format(
          "{} and {} are both '{}'; each table needs its own Iceberg table",
          Name(fmt::format("iceberg.tables.{}", tables[first].first)),
          Name(fmt::format("iceberg.tables.{}", tables[second].first)), tables[first].second));
    }
  }
}

}  // namespace

Status ValidateConfig(const Config& config) {
  std::vector<std::string> problems;
  CheckListeners(config.server, problems);
  CheckAtMost("server.max_payload_bytes", config.server.max_payload_bytes,
              "server.max_decompressed_bytes", config.server.max_decompressed_bytes, problems);
  CheckAtMost("batch.max_bytes", config.batch.max_bytes, "batch.max_buffered_bytes",
              config.batch.max_buffered_bytes, problems);
  CheckStorage(config.storage, problems);
  CheckParquet(config.parquet, problems);
  CheckIceberg(config, problems);
  if (problems.empty()) return Status::Ok();
  return Status::InvalidArgument("{}", fmt::join(problems, "\n"));
}

}  // namespace o2p::config
