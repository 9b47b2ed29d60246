// `otlp2parquet lambda` / `bootstrap`: configuration, the output chosen by the mode rule, and
// the invocation loop.
#include "lambda_command.h"

#include <cstdlib>
#include <memory>
#include <string_view>

#include <fmt/format.h>

#include "iceberg_setup.h"
#include "o2p/base/log.h"
#include "o2p/base/random_id.h"
#include "o2p/config/load.h"
#include "o2p/config/validate.h"
#include "o2p/lambda/handler.h"
#include "o2p/lambda/runtime.h"
#include "o2p/lambda/runtime_api.h"
#include "serve_options.h"
#include "storage_setup.h"

namespace o2p::cli {
namespace {

constexpr std::string_view kConfigError = "Runtime.ConfigError";

enum class LambdaMode { kIceberg, kS3, kLocal };

// The mode rule of docs/lambda.md: Iceberg when a catalog is named, else plain Parquet on S3
// when a bucket is named. A local directory only when asked for explicitly (local testing: a
// Lambda's disk does not outlive the sandbox).
Result<LambdaMode> ModeOf(config::Config& cfg, const config::Origins& origins) {
  if (cfg.iceberg.enabled()) return LambdaMode::kIceberg;
  if (!cfg.storage.s3.bucket.empty()) {
    cfg.storage.backend = config::StorageBackend::kS3;
    return LambdaMode::kS3;
  }
  const auto origin = origins.find("storage.backend");
  if (origin != origins.end() && origin->second != "default") {
    return cfg.storage.backend == config::StorageBackend::kLocal ? LambdaMode::kLocal
                                                                 : LambdaMode::kS3;
  }
  return Status::InvalidArgument(
      "no output is configured: set OTLP2PARQUET_ICEBERG_REST_URI (commit to an Iceberg "
      "catalog) or OTLP2PARQUET_S3_BUCKET (plain Parquet files on S3)");
}

std::string_view ModeName(LambdaMode mode) {
  switch (mode) {
    case LambdaMode::kIceberg: return "iceberg";
    case LambdaMode::kS3: return "s3";
    case LambdaMode::kLocal: return "local";
  }
  return "?";
}

// Each invocation writes its files and waits for them: one flush thread per table kind that a
// request may fill at once, short retries (the deadline bounds them), one last attempt.
lambda::HandlerOptions HandlerOptionsFrom(const config::Config& cfg) {
  lambda::HandlerOptions options;
  options.batcher = BatcherOptionsFrom(cfg);
  options.batcher.flush_threads = 2;
  options.batcher.timer_interval = std::chrono::milliseconds::zero();
  options.batcher.retry_initial = std::chrono::milliseconds(100);
  options.batcher.retry_max = std::chrono::seconds(1);
  options.batcher.shutdown_attempts = 1;
  options.batcher.wal_instance_id.clear();
  options.ingest = IngestOptionsFrom(cfg);
  return options;
}

// The output, opened on the first export and kept for the sandbox's life.
class LambdaOutput {
 public:
  LambdaOutput(config::Config cfg, LambdaMode mode, MetricsRegistry& metrics)
      : cfg_(std::move(cfg)), mode_(mode), metrics_(metrics) {}

  Result<lambda::Sink> Open() {
    if (mode_ == LambdaMode::kIceberg) {
      auto opened = OpenIceberg(cfg_, RandomHexId(), &metrics_);
      if (!opened) return opened.error();
      iceberg_ = std::move(*opened);
      LogInfo("Iceberg catalog ready", {{"namespace", cfg_.iceberg.namespace_name}});
      return lambda::Sink{iceberg_.data_store.get(), iceberg_.committer.get()};
    }
    auto opened = OpenStorage(cfg_, &metrics_);
    if (!opened) return opened.error();
    storage_ = std::move(*opened);
    LogInfo("storage ready", {{"output", storage_.store->Describe("")}});
    return lambda::Sink{storage_.store.get(), nullptr};
  }

 private:
  config::Config cfg_;
  LambdaMode mode_;
  MetricsRegistry& metrics_;
  IcebergStack iceberg_;
  StorageStack storage_;
};

}  // namespace

bool StartedAsLambda(const char* argv0, int argc) {
  const std::string_view name = argv0 == nullptr ? "" : argv0;
  const size_t slash = name.rfind('/');
  if (name.substr(slash == std::string_view::npos ? 0 : slash + 1) == "bootstrap") return true;
  const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
  return argc <= 1 && api != nullptr && *api != '\0';
}

int RunLambda(const std::vector<std::string>& args) {
  const char* address = std::getenv("AWS_LAMBDA_RUNTIME_API");
  auto http = storage::http::MakeHttpClient();
  if (!http) {
    fmt::print(stderr, "lambda: {}\n", http.error().message());
    return 1;
  }
  auto api = lambda::RuntimeApi::Open(address == nullptr ? "" : address, **http);
  if (!api) {
    fmt::print(stderr, "lambda: {}\n", api.error().message());
    return 1;
  }
  auto fail_init = [&](const std::string& message) {
    LogError("cannot start", {{"error", message}});
    if (Status s = api->PostInitError(kConfigError, message); !s.ok()) {
      LogError("cannot post the init error", {{"error", s.message()}});
    }
    return 1;
  };
  // Lambda collects stdout; JSON lines unless the text format was asked for.
  InitLogging(LogLevel::kInfo, LogFormat::kJson, 1);
  auto loaded = config::LoadConfig(args, config::ProcessEnvironment());
  if (!loaded) return fail_init(loaded.error().message());
  config::Config cfg = loaded->config;
  const auto format_origin = loaded->origins.find("log.format");
  const bool format_chosen =
      format_origin != loaded->origins.end() && format_origin->second != "default";
  InitLogging(cfg.log.level, format_chosen ? cfg.log.format : LogFormat::kJson, 1);
  for (const std::string& warning : loaded->warnings) LogWarn(warning);
  Result<LambdaMode> mode = ModeOf(cfg, loaded->origins);
  if (!mode) return fail_init(mode.error().message());
  if (Status s = config::ValidateConfig(cfg); !s.ok()) return fail_init(s.message());

  MetricsRegistry metrics;
  LambdaOutput output(cfg, *mode, metrics);
  lambda::InvocationHandler handler(
      HandlerOptionsFrom(cfg), [&] { return output.Open(); }, metrics);
  LogInfo("otlp2parquet Lambda runtime started",
          {{"version", O2P_VERSION}, {"mode", ModeName(*mode)}});
  return lambda::RunInvocationLoop(*api, handler);
}

}  // namespace o2p::cli
