// Lambda HTTP events (docs/lambda.md, "Events"): what API Gateway and Function URLs hand a
// function, and what they expect back.
//
//   payload 2.0 (Function URLs, HTTP APIs): {"version":"2.0","rawPath":"/v1/logs",
//       "requestContext":{"http":{"method":"POST"}},"headers":{"content-type":"…"},
//       "isBase64Encoded":true,"body":"…"}
//   payload 1.0 (REST APIs): {"httpMethod":"POST","path":"/prod/v1/logs",
//       "headers":{"Content-Type":"…"},"multiValueHeaders":{…},"isBase64Encoded":false,"body":"…"}
//
// Header names are lower-cased; a header with several values (multiValueHeaders, or a
// comma-joined 2.0 header) keeps them joined by ", ". The body is returned decoded.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "o2p/base/result.h"

namespace o2p::lambda {

enum class PayloadFormat : uint8_t { kV1, kV2 };

struct HttpEvent {
  PayloadFormat format = PayloadFormat::kV2;
  std::string method;                                        // upper case, e.g. "POST"
  std::string path;                                          // as received, stage prefix included
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
  std::string body;                                          // base64 undone
  /// Why the body could not be taken (the answer is then 400 or 413, not an invocation
  /// error): INVALID_ARGUMENT for bad base64 or a body that is not a string,
  /// RESOURCE_EXHAUSTED over the size cap. OK otherwise.
  Status body_status;

  /// The value of header `name` (lower case), "" when absent.
  std::string_view Header(std::string_view name) const;
};

/// Parses an HTTP-shaped Lambda event. INVALID_ARGUMENT saying what is wrong when `json` is
/// not such an event (not JSON, no method or path, headers that are not strings). A body that
/// cannot be taken is reported in body_status, so that the caller can still answer in the
/// event's format.
Result<HttpEvent> ParseHttpEvent(std::string_view json, size_t max_body_bytes);

struct HttpResult {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Sent base64-encoded with isBase64Encoded (protobuf answers); text bodies go as they are.
  bool binary = false;
};

/// The response document API Gateway / the Function URL expects for `format`:
/// {"statusCode", "headers", "body", "isBase64Encoded"} (1.0 also "multiValueHeaders": {}).
std::string HttpResponseJson(PayloadFormat format, const HttpResult& result);

/// The known route that `path` ends with, at a '/' boundary: "/prod/v1/logs" -> "/v1/logs"
/// for routes {"/v1/logs", …}, because a REST API stage or a custom-domain base path comes
/// first. An exact match wins; "" when none matches. A trailing '/' is ignored.
std::string_view MatchRoute(std::string_view path, std::span<const std::string_view> routes);

}  // namespace o2p::lambda
