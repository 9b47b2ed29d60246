#include "o2p/iceberg/vended_credentials.h"

#include <chrono>
#include <mutex>

namespace o2p::iceberg {
namespace {

constexpr auto kRefreshBefore = std::chrono::minutes(5);

class VendedCredentialsProvider final : public storage::aws::CredentialsProvider {
 public:
  VendedCredentialsProvider(Catalog& catalog, TableName table, std::string location,
                            storage::aws::Credentials initial)
      : catalog_(catalog),
        table_(std::move(table)),
        location_(std::move(location)),
        current_(std::move(initial)) {}

  Result<storage::aws::Credentials> Get() override {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::system_clock::now();
    if (!current_.expiration || *current_.expiration - kRefreshBefore > now) return current_;
    auto loaded = catalog_.LoadTable(table_);
    std::optional<storage::aws::Credentials> fresh;
    if (loaded) fresh = S3CredentialsFrom(StorageProperties(*loaded, location_));
    if (fresh) {
      current_ = std::move(*fresh);
      return current_;
    }
    if (*current_.expiration > now) return current_;  // still valid for a little while
    return Status::Unavailable(
        "the storage credentials vended for table {} expired and reloading the table gave no "
        "new ones{}",
        table_.ToString(), loaded ? "" : ": " + loaded.error().message());
  }

 private:
  Catalog& catalog_;
  const TableName table_;
  const std::string location_;
  std::mutex mu_;
  storage::aws::Credentials current_;
};

}  // namespace

std::map<std::string, std::string> StorageProperties(const LoadTableResult& table,
                                                     std::string_view location) {
  std::map<std::string, std::string> properties = table.config;
  const StorageCredential* best = nullptr;
  for (const StorageCredential& credential : table.storage_credentials) {
    if (location.starts_with(credential.prefix) &&
        (best == nullptr || credential.prefix.size() > best->prefix.size())) {
      best = &credential;
    }
  }
  if (best != nullptr) {
    for (const auto& [key, value] : best->config) properties[key] = value;
  }
  return properties;
}

std::optional<storage::aws::Credentials> S3CredentialsFrom(
    const std::map<std::string, std::string>& properties) {
  auto value = [&](const char* key) -> std::string {
    auto it = properties.find(key);
    return it == properties.end() ? std::string() : it->second;
  };
  storage::aws::Credentials credentials;
  credentials.access_key_id = value("s3.access-key-id");
  credentials.secret_access_key = value("s3.secret-access-key");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return std::nullopt;
  }
  credentials.session_token = value("s3.session-token");
  if (const std::string expires = value("s3.session-token-expires-at-ms"); !expires.empty()) {
    try {
      credentials.expiration =
          std::chrono::system_clock::time_point(std::chrono::milliseconds(std::stoll(expires)));
    } catch (const std::exception&) {
      // An unreadable expiry: treat the credentials as long-lived rather than refuse them.
    }
  }
  return credentials;
}

std::unique_ptr<storage::aws::CredentialsProvider> MakeVendedCredentialsProvider(
    Catalog& catalog, TableName table, std::string location, storage::aws::Credentials initial) {
  return std::make_unique<VendedCredentialsProvider>(catalog, std::move(table), std::move(location),
                                                     std::move(initial));
}

}  // namespace o2p::iceberg
