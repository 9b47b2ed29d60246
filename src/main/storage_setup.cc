#include "storage_setup.h"

#include "o2p/base/log.h"
#include "o2p/base/macros.h"
#include "o2p/storage/local_store.h"
#include "o2p/storage/s3/s3_store.h"

namespace o2p::cli {
namespace {

storage::s3::Addressing AddressingFrom(config::S3Addressing addressing) {
  switch (addressing) {
    case config::S3Addressing::kPath: return storage::s3::Addressing::kPath;
    case config::S3Addressing::kVirtual: return storage::s3::Addressing::kVirtual;
    case config::S3Addressing::kAuto: break;
  }
  return storage::s3::Addressing::kAuto;
}

storage::s3::S3StoreOptions S3StoreOptionsFrom(const config::S3Options& s3,
                                               const storage::aws::EnvLookup& env) {
  storage::s3::S3StoreOptions options;
  options.client.bucket = s3.bucket;
  options.client.region = s3.region;
  if (options.client.region.empty()) {
    options.client.region = storage::aws::RegionFromEnvironment(env).value_or("");
  }
  options.client.endpoint = s3.endpoint;
  options.client.addressing = AddressingFrom(s3.addressing);
  options.client.request_timeout = s3.request_timeout;
  options.prefix = s3.prefix;
  options.multipart_threshold = s3.multipart_threshold;
  options.part_size = s3.part_size;
  options.upload_concurrency = s3.upload_concurrency;
  return options;
}

}  // namespace

Result<StorageStack> OpenStorage(const config::Config& cfg, MetricsRegistry* metrics) {
  StorageStack stack;
  if (cfg.storage.backend == config::StorageBackend::kLocal) {
    stack.store = std::make_unique<storage::LocalStore>(cfg.storage.path);
    return stack;
  }
  O2P_ASSIGN_OR_RETURN(stack.http, storage::http::MakeHttpClient());
  const storage::aws::EnvLookup env = storage::aws::ProcessEnvironment();
  stack.credentials = storage::aws::MakeDefaultCredentialsChain(
      {.env = env, .http = stack.http.get(), .now = nullptr});
  // Without credentials every upload would fail; say so now rather than retry forever.
  if (auto credentials = stack.credentials->Get(); !credentials.ok()) {
    return credentials.status();
  }
  storage::s3::S3StoreOptions options = S3StoreOptionsFrom(cfg.storage.s3, env);
  options.client.metrics = metrics;
  O2P_ASSIGN_OR_RETURN(std::unique_ptr<storage::s3::S3Store> s3,
                       storage::s3::S3Store::Make(options, *stack.http, *stack.credentials));
  if (Status verified = s3->VerifyBucket(); !verified.ok()) {
    const StatusCode code = verified.code();
    if (code != StatusCode::kUnavailable && code != StatusCode::kDeadlineExceeded) {
      return verified;
    }
    LogWarn(
        "S3 does not answer yet; requests are accepted into the write-ahead log and "
        "files are uploaded when it does",
        {{"bucket", cfg.storage.s3.bucket}, {"error", verified.message()}});
  }
  stack.store = std::move(s3);
  return stack;
}

Result<std::unique_ptr<storage::ObjectStore>> OpenLocationStore(
    std::string_view location, const config::Config& cfg,
    const std::map<std::string, std::string>& properties, storage::http::HttpClient& http,
    storage::aws::CredentialsProvider& credentials, MetricsRegistry* metrics) {
  const size_t scheme_end = location.find("://");
  const std::string_view scheme =
      scheme_end == std::string_view::npos ? "" : location.substr(0, scheme_end);
  const std::string_view rest =
      scheme_end == std::string_view::npos ? location : location.substr(scheme_end + 3);
  if (scheme == "file") {
    if (!rest.starts_with('/')) {
      return Status::InvalidArgument("table location '{}' is not an absolute path", location);
    }
    return std::unique_ptr<storage::ObjectStore>(
        std::make_unique<storage::LocalStore>(std::string(rest)));
  }
  if (scheme == "s3" || scheme == "s3a" || scheme == "s3n") {
    const size_t slash = rest.find('/');
    config::S3Options s3 = cfg.storage.s3;
    s3.bucket = std::string(rest.substr(0, slash));
    s3.prefix = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
    if (s3.bucket.empty()) {
      return Status::InvalidArgument("table location '{}' names no bucket", location);
    }
    auto property = [&](const char* key) -> std::string {
      auto it = properties.find(key);
      return it == properties.end() ? std::string() : it->second;
    };
    if (!property("s3.endpoint").empty()) s3.endpoint = property("s3.endpoint");
    if (!property("client.region").empty()) s3.region = property("client.region");
    if (!property("s3.region").empty()) s3.region = property("s3.region");
    if (property("s3.path-style-access") == "true") s3.addressing = config::S3Addressing::kPath;
    storage::s3::S3StoreOptions options =
        S3StoreOptionsFrom(s3, storage::aws::ProcessEnvironment());
    options.client.metrics = metrics;
    O2P_ASSIGN_OR_RETURN(std::unique_ptr<storage::s3::S3Store> store,
                         storage::s3::S3Store::Make(options, http, credentials));
    return std::unique_ptr<storage::ObjectStore>(std::move(store));
  }
  return Status::InvalidArgument(
      "table location '{}': only file:// and s3:// locations can be written", location);
}

}  // namespace o2p::cli
