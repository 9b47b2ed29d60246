#include "o2p/storage/s3/s3_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "o2p/base/macros.h"
#include "o2p/storage/aws/sigv4.h"
#include "o2p/storage/s3/s3_xml.h"

namespace o2p::storage::s3 {
namespace {

using std::chrono::milliseconds;

// AWS partitions whose S3 endpoints are not under amazonaws.com.
std::string AwsDomain(std::string_view region) {
  return region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

// A bucket name that cannot be a single DNS label under the S3 wildcard certificate.
bool NeedsPathStyle(std::string_view bucket) {
  return bucket.find('.') != std::string_view::npos ||
         std::any_of(bucket.begin(), bucket.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

milliseconds RetryAfter(const http::Response& response) {
  const std::string_view value = response.HeaderValue("Retry-After");
  int seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || seconds <= 0) return milliseconds(0);
  return std::chrono::seconds(std::min(seconds, 60));
}

// The final error for a non-2xx answer, with the S3 code, message and request id.
Status AnswerError(const S3Call& call, const std::string& where, const http::Response& response,
                   const S3ErrorBody& error) {
  const std::string_view request_id =
      error.request_id.empty() ? response.HeaderValue("x-amz-request-id")
                               : std::string_view(error.request_id);
  const std::string detail = fmt::format(
      "S3 {} {}: HTTP {}{}{}{}{}", call.method, where, response.status,
      error.code.empty() ? "" : " ", error.code,
      error.message.empty() ? "" : ": " + error.message,
      request_id.empty() ? "" : fmt::format(" (request id {})", request_id));
  std::string region(response.HeaderValue("x-amz-bucket-region"));
  if (region.empty()) region = error.region;
  const bool wrong_region = response.status == 301 || error.code == "PermanentRedirect" ||
                            error.code == "AuthorizationHeaderMalformed" ||
                            error.code == "IllegalLocationConstraintException";
  if (wrong_region && !region.empty()) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("{}; the bucket is in region {}: set OTLP2PARQUET_S3_REGION={}",
                              detail, region, region));
  }
  switch (response.status) {
    case 404: return Status(StatusCode::kNotFound, detail);
    case 401:
    case 403: return Status(StatusCode::kPermissionDenied, detail);
    case 409:
    case 412: return Status(StatusCode::kFailedPrecondition, detail);
    default: break;
  }
  if (response.status >= 300 && response.status < 500) {
    return Status(StatusCode::kInvalidArgument, detail);
  }
  return Status(StatusCode::kUnavailable, detail);
}

}  // namespace

bool IsRetryableS3Answer(int http_status, std::string_view s3_code) {
  if (http_status >= 500 || http_status == 408 || http_status == 429) return true;
  return s3_code == "SlowDown" || s3_code == "RequestTimeout" || s3_code == "InternalError" ||
         s3_code == "Throttling" || s3_code == "ThrottlingException" ||
         s3_code == "ExpiredToken";
}

Result<std::unique_ptr<S3Client>> S3Client::Make(S3ClientOptions options, http::HttpClient& http,
                                                 aws::CredentialsProvider& credentials) {
  if (options.bucket.empty()) return Status::InvalidArgument("the S3 bucket is not set");
  http::Endpoint endpoint;
  bool virtual_host = false;
  if (options.endpoint.empty()) {
    if (options.region.empty()) {
      return Status::InvalidArgument(
          "the S3 region is not set (OTLP2PARQUET_S3_REGION, AWS_REGION or AWS_DEFAULT_REGION)");
    }
    virtual_host = options.addressing != Addressing::kPath && !NeedsPathStyle(options.bucket);
    endpoint.tls = true;
    endpoint.port = 443;
    endpoint.host = fmt::format("s3.{}.{}", options.region, AwsDomain(options.region));
  } else {
    O2P_ASSIGN_OR_RETURN(endpoint, http::ParseEndpoint(options.endpoint));
    virtual_host = options.addressing == Addressing::kVirtual;
    if (options.region.empty()) options.region = "us-east-1";
  }
  if (virtual_host) endpoint.host = options.bucket + "." + endpoint.host;
  return std::unique_ptr<S3Client>(
      new S3Client(std::move(options), std::move(endpoint), virtual_host, http, credentials));
}

S3Client::S3Client(S3ClientOptions options, http::Endpoint endpoint, bool virtual_host,
                   http::HttpClient& http, aws::CredentialsProvider& credentials)
    : options_(std::move(options)),
      endpoint_(std::move(endpoint)),
      virtual_host_(virtual_host),
      http_(http),
      credentials_(credentials),
      retries_(std::make_unique<std::atomic<uint64_t>>(0)) {}

std::string S3Client::Describe(std::string_view key) const {
  return fmt::format("s3://{}/{}", options_.bucket, key);
}

uint64_t S3Client::retries() const { return retries_->load(std::memory_order_relaxed); }

http::Request S3Client::BuildRequest(const S3Call& call) const {
  http::Request request;
  request.method = std::string(call.method);
  request.target = endpoint_.base_path + "/";
  if (!virtual_host_) {
    request.target += http::UriEncode(options_.bucket, false);
    if (!call.key.empty()) request.target += '/';
  }
  request.target += http::UriEncode(call.key, true);
  if (!call.query.empty()) request.target += "?" + call.query;
  request.headers = call.headers;
  request.body = call.body;
  return request;
}

Result<http::Response> S3Client::SendOnce(const S3Call& call, milliseconds timeout) {
  O2P_ASSIGN_OR_RETURN(aws::Credentials credentials, credentials_.Get());
  http::Request request = BuildRequest(call);
  const aws::SigningOptions signing{.service = "s3",
                                    .region = options_.region,
                                    .s3_rules = true,
                                    // TLS already protects the body; hashing it costs CPU.
                                    .unsigned_payload = endpoint_.tls};
  aws::Signature signature = aws::SignV4(request, endpoint_.HostHeader(), credentials, signing,
                                         std::chrono::system_clock::now());
  for (http::Header& header : signature.headers_to_add) {
    request.headers.push_back(std::move(header));
  }
  return http_.Send(endpoint_, request, timeout);
}

void S3Client::CountAttempt(const S3Call& call, const Result<http::Response>& sent,
                            bool retrying) const {
  if (options_.metrics == nullptr) return;
  const std::string method(call.method);
  const std::string status = sent.ok() ? std::to_string(sent->status) : "error";
  options_.metrics
      ->GetCounter("otlp2parquet_s3_requests_total", "S3 requests by method and HTTP status",
                   {{"method", method}, {"status", status}})
      .Add();
  if (retrying) {
    options_.metrics
        ->GetCounter("otlp2parquet_s3_retries_total", "S3 requests repeated after a failure",
                     {{"method", method}})
        .Add();
  }
}

// One attempt's verdict: done (success or a final error), or worth repeating.
struct S3Client::Verdict {
  Status failure;  // OK on success
  bool retryable = false;
  milliseconds retry_after{0};
};

S3Client::Verdict S3Client::Judge(const S3Call& call, const Result<http::Response>& sent) const {
  const std::string where = Describe(call.key);
  if (!sent.ok()) {
    const StatusCode code = sent.status().code();
    return {Status(code, fmt::format("S3 {} {}: {}", call.method, where, sent.status().message())),
            code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded,
            milliseconds(0)};
  }
  const http::Response& response = *sent;
  const bool ok_status = response.status >= 200 && response.status < 300;
  const S3ErrorBody error =
      (ok_status && !call.ok_may_hold_error) ? S3ErrorBody{} : ParseS3Error(response.body);
  if (ok_status && error.code.empty()) return {};
  // A 200 holding an <Error> is judged by its code alone (InternalError is retried).
  return {AnswerError(call, where, response, error),
          IsRetryableS3Answer(response.status, error.code), RetryAfter(response)};
}

Result<http::Response> S3Client::Send(const S3Call& call) {
  Backoff backoff(options_.retry);
  const milliseconds per_attempt =
      call.timeout.count() > 0
          ? call.timeout
          : options_.request_timeout + std::chrono::seconds(call.body.size() >> 20);
  for (;;) {
    Result<http::Response> sent = SendOnce(call, backoff.AttemptTimeout(per_attempt));
    const Verdict verdict = Judge(call, sent);
    const bool again = verdict.retryable && !call.single_attempt &&
                       backoff.WaitBeforeRetry(verdict.retry_after);
    CountAttempt(call, sent, again);
    if (verdict.failure.ok()) return sent;
    if (!again) {
      if (!verdict.retryable || call.single_attempt) return verdict.failure;
      return Status(verdict.failure.code(),
                    fmt::format("{} (gave up after {} attempts in {} ms)",
                                verdict.failure.message(), backoff.attempts(),
                                backoff.elapsed().count()));
    }
    retries_->fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace o2p::storage::s3
