// S3Client: one S3 REST call = address it, sign it (SigV4, service "s3"), send it, and retry
// what is worth retrying. S3Store builds the object operations on top of it.
//
// Addressing. On AWS (no endpoint set) buckets are virtual-hosted,
// "https://<bucket>.s3.<region>.amazonaws.com/<key>", except bucket names with dots, whose
// virtual host would not match the wildcard certificate: those, and custom endpoints (MinIO,
// R2, moto) unless told otherwise, use path style, "<endpoint>/<bucket>/<key>".
//
// Retries (storage/retry.h): connection failures, timeouts, 5xx, 408, 429, and the S3 error
// codes that mean "try again" (SlowDown, RequestTimeout, InternalError in a 200 body of
// CompleteMultipartUpload) are retried with jittered exponential backoff within a deadline.
// Other 4xx answers are final: retrying an AccessDenied only delays the error.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/metrics.h"
#include "o2p/base/result.h"
#include "o2p/storage/aws/credentials.h"
#include "o2p/storage/http/http_client.h"
#include "o2p/storage/retry.h"

namespace o2p::storage::s3 {

enum class Addressing : uint8_t { kAuto, kPath, kVirtual };

struct S3ClientOptions {
  std::string bucket;
  /// Signing region; also picks the AWS endpoint. Empty only with a custom endpoint
  /// ("us-east-1" is used then, as S3-compatible stores expect).
  std::string region;
  /// "" for AWS; "http(s)://host[:port][/base]" for S3-compatible stores.
  std::string endpoint;
  Addressing addressing = Addressing::kAuto;
  /// One attempt's limit; a large body gets one more second per MiB.
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
  RetryPolicy retry;
  /// When set: otlp2parquet_s3_requests_total{method,status} (status = HTTP code, or "error"
  /// for a transport failure) and otlp2parquet_s3_retries_total{method}.
  MetricsRegistry* metrics = nullptr;
};

/// One S3 REST call. `key` is the full object key ("" for bucket-level calls such as
/// HeadBucket or ListObjectsV2); `query` is already encoded, without '?'.
struct S3Call {
  std::string_view method{};
  std::string_view key{};
  std::string query{};
  std::vector<http::Header> headers{};
  std::string_view body{};
  /// CompleteMultipartUpload may answer 200 with an <Error> body, which is then an error.
  bool ok_may_hold_error = false;
  /// One attempt only, limited to `timeout` when non-zero (readiness probes).
  bool single_attempt = false;
  std::chrono::milliseconds timeout{0};
};

class S3Client {
 public:
  static Result<std::unique_ptr<S3Client>> Make(S3ClientOptions options, http::HttpClient& http,
                                                aws::CredentialsProvider& credentials);

  /// Sends `call`, retrying as described above. Returns the 2xx response, or an error:
  /// NOT_FOUND (404), PERMISSION_DENIED (403), UNAUTHENTICATED (credentials), FAILED_PRECONDITION
  /// (wrong region, with the right one named), INVALID_ARGUMENT (other 4xx), UNAVAILABLE /
  /// DEADLINE_EXCEEDED (retries exhausted). Messages carry the S3 code, message and request id.
  Result<http::Response> Send(const S3Call& call);

  /// "s3://bucket/key" for messages.
  std::string Describe(std::string_view key) const;
  const std::string& bucket() const { return options_.bucket; }
  /// Retries made so far by all calls (for tests and metrics).
  uint64_t retries() const;

 private:
  S3Client(S3ClientOptions options, http::Endpoint endpoint, bool virtual_host,
           http::HttpClient& http, aws::CredentialsProvider& credentials);
  http::Request BuildRequest(const S3Call& call) const;
  Result<http::Response> SendOnce(const S3Call& call, std::chrono::milliseconds timeout);
  struct Verdict;
  Verdict Judge(const S3Call& call, const Result<http::Response>& sent) const;
  void CountAttempt(const S3Call& call, const Result<http::Response>& sent, bool retrying) const;

  S3ClientOptions options_;
  http::Endpoint endpoint_;
  bool virtual_host_;
  http::HttpClient& http_;
  aws::CredentialsProvider& credentials_;
  std::unique_ptr<std::atomic<uint64_t>> retries_;
};

/// Whether a failed S3Client attempt may succeed when repeated (exposed for tests).
bool IsRetryableS3Answer(int http_status, std::string_view s3_code);

}  // namespace o2p::storage::s3
