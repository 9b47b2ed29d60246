// AWS Signature Version 4 as a pure function: no clock, no environment, no network. The caller
// passes the time and the credentials; the result is the headers to add. Used for S3 (here) and
// later for the Iceberg REST catalog (signing names "glue" and "s3tables").
//
// Rules followed (AWS "Create a signed AWS API request"):
//   canonical request = method \n canonical URI \n canonical query \n canonical headers \n
//                       signed headers \n payload hash
//   string to sign    = "AWS4-HMAC-SHA256" \n amz-date \n scope \n hex(sha256(canonical request))
//   signing key       = HMAC chain over "AWS4"+secret, date, region, service, "aws4_request"
// S3 differs from other services in two ways, both selected by SigningOptions: the path is used
// as sent (no second encoding, no dot-segment normalisation), and x-amz-content-sha256 is signed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/storage/http/http_client.h"

namespace o2p::storage::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  /// Empty unless the credentials are temporary (STS, container, instance metadata).
  std::string session_token;
  /// When temporary credentials stop working; nullopt for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
};

/// The payload hash value for bodies that are not hashed (allowed by S3 over TLS and plain HTTP).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct SigningOptions {
  std::string_view service;  // "s3", "glue", "s3tables", ...
  std::string_view region;   // "us-east-1", ...
  /// S3 rules: the path is not encoded a second time nor normalised, and the
  /// x-amz-content-sha256 header is added and signed.
  bool s3_rules = false;
  /// Sign kUnsignedPayload instead of the body's SHA-256 (meant for S3). As botocore does, the
  /// x-amz-content-sha256 header is then added and signed for any service, so that the
  /// server knows the body is not covered by the signature.
  bool unsigned_payload = false;
};

/// What the signer produced, kept for tests and debugging (no secret is in it).
struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
  /// x-amz-date, x-amz-security-token (when a token is set), x-amz-content-sha256 (S3 rules
  /// or unsigned payload), and Authorization, in that order; the caller appends them to the
  /// request.
  std::vector<http::Header> headers_to_add;
};

/// Signs `request` as it will be sent to a server whose Host header is `host`. Every header of
/// the request is signed (names lower-cased, values trimmed and inner spaces folded), plus host
/// and the x-amz-* headers the signer adds. `request.target` is the percent-encoded path and
/// query as sent; the query's parameters are re-encoded canonically and sorted. A Host header
/// already in the request is signed as it is, and `host` is then not used.
/// REQUIRES: the request has none of the headers the signer adds (Authorization, X-Amz-Date,
/// X-Amz-Security-Token, X-Amz-Content-SHA256).
Signature SignV4(const http::Request& request, std::string_view host,
                 const Credentials& credentials, const SigningOptions& options,
                 std::chrono::system_clock::time_point now);

/// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

/// The raw 32-byte signing key: HMAC chain over "AWS4"+secret, `date` (YYYYMMDD), region,
/// service and "aws4_request". Exposed for the AWS documentation's test vector.
std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service);

}  // namespace o2p::storage::aws
