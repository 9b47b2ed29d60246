#include "o2p/storage/s3/s3_store.h"

#include <charconv>
#include <set>

#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/storage/s3/s3_xml.h"

namespace o2p::storage::s3 {
namespace {

constexpr size_t kMinPartSize = size_t{5} << 20;
constexpr auto kAvailabilityCacheTime = std::chrono::seconds(5);
constexpr auto kAvailabilityProbeTimeout = std::chrono::seconds(2);

std::string NormalizePrefix(std::string prefix) {
  while (!prefix.empty() && prefix.front() == '/') prefix.erase(0, 1);
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  return prefix;
}

uint64_t ParseSize(std::string_view text) {
  uint64_t size = 0;
  std::from_chars(text.data(), text.data() + text.size(), size);
  return size;
}

}  // namespace

Result<std::unique_ptr<S3Store>> S3Store::Make(S3StoreOptions options, http::HttpClient& http,
                                               aws::CredentialsProvider& credentials) {
  if (options.part_size < kMinPartSize) {
    return Status::InvalidArgument("the S3 part size must be at least 5 MiB, not {} bytes",
                                   options.part_size);
  }
  options.multipart_threshold = std::max(options.multipart_threshold, options.part_size);
  options.upload_concurrency = std::max(options.upload_concurrency, 1);
  O2P_ASSIGN_OR_RETURN(std::unique_ptr<S3Client> client,
                       S3Client::Make(options.client, http, credentials));
  return std::unique_ptr<S3Store>(new S3Store(std::move(options), std::move(client)));
}

S3Store::S3Store(S3StoreOptions options, std::unique_ptr<S3Client> client)
    : options_(std::move(options)),
      prefix_(NormalizePrefix(options_.prefix)),
      client_(std::move(client)) {}

std::string S3Store::Describe(std::string_view key) const {
  return client_->Describe(FullKey(key));
}

Status S3Store::Put(std::string_view key, std::string_view data) {
  O2P_RETURN_IF_ERROR(ValidateKey(key));
  const std::string full_key = FullKey(key);
  if (data.size() >= options_.multipart_threshold) return PutMultipart(full_key, data);
  S3Call call{.method = "PUT", .key = full_key, .body = data};
  call.headers.push_back({"Content-Type", "application/octet-stream"});
  return client_->Send(call).status();
}

Result<std::string> S3Store::Get(std::string_view key) {
  O2P_RETURN_IF_ERROR(ValidateKey(key));
  const std::string full_key = FullKey(key);
  O2P_ASSIGN_OR_RETURN(http::Response response,
                       client_->Send(S3Call{.method = "GET", .key = full_key}));
  return std::move(response.body);
}

Status S3Store::Delete(std::string_view key) {
  O2P_RETURN_IF_ERROR(ValidateKey(key));
  const std::string full_key = FullKey(key);
  Result<http::Response> response = client_->Send(S3Call{.method = "DELETE", .key = full_key});
  if (!response.ok() && response.status().code() == StatusCode::kNotFound) return Status::Ok();
  return response.status();
}

Result<std::vector<ObjectInfo>> S3Store::List(std::string_view prefix) {
  std::vector<ObjectInfo> objects;
  const std::string full_prefix = FullKey(prefix);
  std::string continuation;
  // A server that hands back a token it already gave would keep this loop going forever.
  std::set<std::string, std::less<>> tokens_seen;
  do {
    std::string query = "list-type=2&prefix=" + http::UriEncode(full_prefix, false);
    if (!continuation.empty()) {
      query = "continuation-token=" + http::UriEncode(continuation, false) + "&" + query;
    }
    O2P_ASSIGN_OR_RETURN(http::Response response,
                         client_->Send(S3Call{.method = "GET", .key = "", .query = query}));
    for (std::string_view entry : XmlElements(response.body, "Contents")) {
      std::string key = XmlText(entry, "Key").value_or("");
      if (!key.starts_with(prefix_)) continue;
      objects.push_back(
          {key.substr(prefix_.size()), ParseSize(XmlText(entry, "Size").value_or(""))});
    }
    continuation = XmlText(response.body, "IsTruncated").value_or("") == "true"
                       ? XmlText(response.body, "NextContinuationToken").value_or("")
                       : "";
    if (!continuation.empty() && !tokens_seen.insert(continuation).second) {
      return Status::Unavailable("S3 listing of {} repeats continuation token {}: giving up",
                                 Describe(prefix), continuation);
    }
  } while (!continuation.empty());
  std::sort(objects.begin(), objects.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return objects;
}

Status S3Store::CheckAvailable() {
  std::lock_guard lock(availability_mu_);
  const auto now = std::chrono::steady_clock::now();
  if (availability_checked_.time_since_epoch().count() != 0 &&
      now - availability_checked_ < kAvailabilityCacheTime) {
    return availability_;
  }
  availability_ = client_
                      ->Send(S3Call{.method = "HEAD",
                                    .key = "",
                                    .single_attempt = true,
                                    .timeout = kAvailabilityProbeTimeout})
                      .status();
  availability_checked_ = now;
  return availability_;
}

Status S3Store::VerifyBucket() {
  Result<http::Response> head = client_->Send(S3Call{.method = "HEAD", .key = ""});
  if (head.ok()) return Status::Ok();
  const Status& error = head.status();
  switch (error.code()) {
    case StatusCode::kNotFound:
      return Status(error.code(), fmt::format("bucket {} does not exist (or is not visible to "
                                              "these credentials): {}",
                                              client_->bucket(), error.message()));
    case StatusCode::kPermissionDenied:
      return Status(error.code(),
                    fmt::format("access to bucket {} is denied: the credentials need "
                                "s3:ListBucket on it and s3:PutObject on its objects: {}",
                                client_->bucket(), error.message()));
    default: return error;
  }
}

}  // namespace o2p::storage::s3
