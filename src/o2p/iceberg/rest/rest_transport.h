// RestTransport: the HTTP side of an Iceberg REST catalog. It knows where the catalog is (a base
// URI that may carry a path, e.g. "https://glue.us-east-1.amazonaws.com/iceberg"), how to
// authenticate (SigV4, a bearer token, or OAuth2 client credentials) and which failures are
// worth repeating. It moves JSON text; iceberg/rest/catalog.h gives it meaning.
//
// Authentication, in this order of precedence:
//   - SigV4 when a signing name is set or detected from the host: glue.<region>.amazonaws.com
//     signs as "glue", s3tables.<region>.amazonaws.com as "s3tables" (the region comes from the
//     host unless set). The payload is hashed and signed; the path follows the non-S3 rules.
//   - OAuth2 client credentials ("id:secret"): a token is fetched from the token endpoint
//     (default {base}/v1/oauth/tokens, form-encoded grant_type=client_credentials) and sent as a
//     bearer token; it is fetched again before it expires and after a 401.
//   - a static bearer token.
//
// Retries: a request marked idempotent (GET, HEAD, and creations the caller can verify) is
// repeated on connection errors, timeouts, 429, 502, 503 and 504 with jittered backoff. Commits
// are never repeated here: after an unknown outcome the commit loop must reload the table and
// look for its own snapshot first.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/storage/aws/credentials.h"
#include "o2p/storage/http/http_client.h"
#include "o2p/storage/retry.h"

namespace o2p::iceberg::rest {

struct RestTransportOptions {
  /// The catalog's base URI, e.g. "http://127.0.0.1:8181" or
  /// "https://s3tables.us-east-1.amazonaws.com/iceberg".
  std::string uri{};
  /// SigV4 service and region; detected from AWS hosts when empty.
  std::string signing_name{};
  std::string signing_region{};
  /// Bearer token sent as is.
  std::string token{};
  /// OAuth2 client credentials "client_id:client_secret".
  std::string credential{};
  /// Token endpoint; empty means {uri}/v1/oauth/tokens.
  std::string oauth2_uri{};
  std::string oauth2_scope = "catalog";
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
  storage::RetryPolicy retry{};
};

struct RestResponse {
  int status = 0;
  std::string body;
  std::vector<storage::http::Header> headers;
};

class RestTransport {
 public:
  /// `credentials` is needed only for SigV4 and must then outlive the transport.
  static Result<std::unique_ptr<RestTransport>> Make(RestTransportOptions options,
                                                     storage::http::HttpClient& http,
                                                     storage::aws::CredentialsProvider* credentials);

  /// Sends `method` to {base path}/v1/{path} (`path` already percent-encoded, may carry a
  /// query) with an optional JSON body. Any HTTP status is returned as a response; errors are
  /// transport failures after the retries allowed by `idempotent`.
  Result<RestResponse> Call(std::string_view method, std::string_view path, std::string_view body,
                            bool idempotent, std::vector<storage::http::Header> headers = {});

  /// "glue/us-east-1 SigV4", "OAuth2", "bearer token" or "none", for the start-up log line.
  std::string AuthDescription() const;
  const storage::http::Endpoint& endpoint() const { return endpoint_; }

 private:
  RestTransport(RestTransportOptions options, storage::http::Endpoint endpoint,
                storage::http::HttpClient& http, storage::aws::CredentialsProvider* credentials);
  Result<RestResponse> CallOnce(const storage::http::Request& request,
                                std::chrono::milliseconds timeout);
  Status Authorize(storage::http::Request& request);
  Result<std::string> OAuthToken(bool force_refresh);

  RestTransportOptions options_;
  storage::http::Endpoint endpoint_;
  storage::http::HttpClient& http_;
  storage::aws::CredentialsProvider* credentials_;

  std::mutex token_mu_;
  std::string oauth_token_;
  std::chrono::steady_clock::time_point oauth_token_expiry_;
};

/// The SigV4 signing name and region for AWS catalog hosts: {"glue", "us-east-1"} for
/// glue.us-east-1.amazonaws.com, {"s3tables", …} for s3tables.<region>.amazonaws.com; empty
/// strings for other hosts.
std::pair<std::string, std::string> DetectAwsSigning(std::string_view host);

/// Namespace levels as a path segment: each level percent-encoded, joined by the encoded
/// separator (the REST spec's default is the unit separator, "%1F").
std::string EncodeNamespace(const std::vector<std::string>& levels,
                            std::string_view separator = "\x1f");

}  // namespace o2p::iceberg::rest
