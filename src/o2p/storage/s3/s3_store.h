// S3Store: the ObjectStore on an S3 bucket (AWS or S3-compatible), objects under a key prefix.
//
// Put sends one PutObject below `multipart_threshold` bytes; above it, a multipart upload:
//   1. CreateMultipartUpload -> upload id;
//   2. UploadPart for parts of `part_size` bytes, up to `upload_concurrency` at a time
//      (parts are independent, so they may be sent in any order and retried one by one);
//   3. CompleteMultipartUpload with every part's ETag, in part order.
// If any step fails for good, the upload is aborted so no invisible parts are left billed.
// Either way a reader sees the whole object or none (S3 makes an object visible only when the
// PUT or the Complete succeeds), which is ObjectStore's atomicity promise.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "o2p/storage/object_store.h"
#include "o2p/storage/s3/s3_client.h"

namespace o2p::storage::s3 {

struct S3StoreOptions {
  S3ClientOptions client;
  /// Prepended to every key, e.g. "otel/" ('/' added when missing, leading '/' dropped).
  std::string prefix;
  size_t multipart_threshold = size_t{16} << 20;
  /// S3 requires at least 5 MiB for every part but the last.
  size_t part_size = size_t{8} << 20;
  int upload_concurrency = 4;
};

class S3Store final : public ObjectStore {
 public:
  static Result<std::unique_ptr<S3Store>> Make(S3StoreOptions options, http::HttpClient& http,
                                               aws::CredentialsProvider& credentials);

  Status Put(std::string_view key, std::string_view data) override;
  Result<std::string> Get(std::string_view key) override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view key) override;
  /// HeadBucket, one quick attempt, its answer cached for a few seconds (readiness probes may
  /// come often).
  Status CheckAvailable() override;
  std::string Describe(std::string_view key) const override;

  /// HeadBucket with retries, for start-up: OK, or an error that says what to fix (no such
  /// bucket, wrong region, access denied, endpoint unreachable).
  Status VerifyBucket();
  const S3Client& client() const { return *client_; }

 private:
  S3Store(S3StoreOptions options, std::unique_ptr<S3Client> client);
  std::string FullKey(std::string_view key) const { return prefix_ + std::string(key); }
  Status PutMultipart(const std::string& full_key, std::string_view data);

  S3StoreOptions options_;
  std::string prefix_;
  std::unique_ptr<S3Client> client_;

  std::mutex availability_mu_;
  std::chrono::steady_clock::time_point availability_checked_;
  Status availability_;
};

}  // namespace o2p::storage::s3
