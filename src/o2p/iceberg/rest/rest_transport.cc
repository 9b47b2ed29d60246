#include "o2p/iceberg/rest/rest_transport.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>

#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"
#include "o2p/storage/aws/sigv4.h"

namespace o2p::iceberg::rest {
namespace {

using std::chrono::milliseconds;
using storage::http::Header;
using storage::http::UriEncode;

constexpr auto kTokenRefreshMargin = std::chrono::seconds(60);

bool IsRetryableStatus(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

milliseconds RetryAfter(const RestResponse& response) {
  for (const Header& header : response.headers) {
    if (!EqualsIgnoreCase(header.name, "Retry-After")) continue;
    int seconds = 0;
    const auto [end, ec] = std::from_chars(header.value.data(),
                                           header.value.data() + header.value.size(), seconds);
    if (ec == std::errc() && seconds > 0) return std::chrono::seconds(std::min(seconds, 60));
  }
  return milliseconds(0);
}

// application/x-www-form-urlencoded value.
std::string FormEncode(std::string_view text) { return UriEncode(text, false); }

}  // namespace

std::pair<std::string, std::string> DetectAwsSigning(std::string_view host) {
  for (std::string_view service : {"glue", "s3tables"}) {
    const std::string head = std::string(service) + ".";
    if (!host.starts_with(head)) continue;
    std::string_view rest = host.substr(head.size());
    const size_t dot = rest.find('.');
    if (dot == std::string_view::npos) continue;
    const std::string_view domain = rest.substr(dot + 1);
    if (domain != "amazonaws.com" && domain != "amazonaws.com.cn") continue;
    return {std::string(service), std::string(rest.substr(0, dot))};
  }
  return {"", ""};
}

std::string EncodeNamespace(const std::vector<std::string>& levels, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < levels.size(); ++i) {
    if (i > 0) out += UriEncode(separator, false);
    out += UriEncode(levels[i], false);
  }
  return out;
}

Result<std::unique_ptr<RestTransport>> RestTransport::Make(
    RestTransportOptions options, storage::http::HttpClient& http,
    storage::aws::CredentialsProvider* credentials) {
  O2P_ASSIGN_OR_RETURN(storage::http::Endpoint endpoint,
                       storage::http::ParseEndpoint(options.uri));
  if (options.signing_name.empty() || options.signing_region.empty()) {
    auto [service, region] = DetectAwsSigning(endpoint.host);
    if (options.signing_name.empty()) options.signing_name = service;
    if (options.signing_region.empty()) options.signing_region = region;
  }
  if (!options.signing_name.empty()) {
    if (options.signing_region.empty()) {
      return Status::InvalidArgument("SigV4 signing for the Iceberg catalog needs a region "
                                     "(OTLP2PARQUET_ICEBERG_SIGNING_REGION)");
    }
    if (credentials == nullptr) {
      return Status::InvalidArgument("SigV4 signing for the Iceberg catalog needs AWS credentials");
    }
  }
  if (!options.credential.empty() && options.credential.find(':') == std::string::npos) {
    return Status::InvalidArgument("the Iceberg OAuth2 credential must be 'client_id:client_secret'");
  }
  return std::unique_ptr<RestTransport>(
      new RestTransport(std::move(options), std::move(endpoint), http, credentials));
}

RestTransport::RestTransport(RestTransportOptions options, storage::http::Endpoint endpoint,
                             storage::http::HttpClient& http,
                             storage::aws::CredentialsProvider* credentials)
    : options_(std::move(options)),
      endpoint_(std::move(endpoint)),
      http_(http),
      credentials_(credentials) {}

std::string RestTransport::AuthDescription() const {
  if (!options_.signing_name.empty()) {
    return fmt::format("{}/{} SigV4", options_.signing_name, options_.signing_region);
  }
  if (!options_.credential.empty()) return "OAuth2";
  if (!options_.token.empty()) return "bearer token";
  return "none";
}

Result<std::string> RestTransport::OAuthToken(bool force_refresh) {
  std::lock_guard lock(token_mu_);
  const auto now = std::chrono::steady_clock::now();
  if (!force_refresh && !oauth_token_.empty() && now + kTokenRefreshMargin < oauth_token_expiry_) {
    return oauth_token_;
  }
  const std::string token_uri = options_.oauth2_uri.empty()
                                    ? endpoint_.ToString() + "/v1/oauth/tokens"
                                    : options_.oauth2_uri;
  O2P_ASSIGN_OR_RETURN(storage::http::Endpoint token_endpoint,
                       storage::http::ParseEndpoint(token_uri));
  const size_t colon = options_.credential.find(':');
  const std::string body = fmt::format(
      "grant_type=client_credentials&client_id={}&client_secret={}&scope={}",
      FormEncode(options_.credential.substr(0, colon)),
      FormEncode(options_.credential.substr(colon + 1)), FormEncode(options_.oauth2_scope));
  storage::http::Request request;
  request.method = "POST";
  request.target = token_endpoint.base_path.empty() ? "/" : token_endpoint.base_path;
  token_endpoint.base_path.clear();
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  request.body = body;
  O2P_ASSIGN_OR_RETURN(storage::http::Response response,
                       http_.Send(token_endpoint, request, options_.request_timeout));
  if (response.status != 200) {
    return Status(StatusCode::kUnauthenticated,
                  fmt::format("the OAuth2 token endpoint {} answered HTTP {}", token_uri,
                              response.status));
  }
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(response.body, ec);
  const boost::json::object* object = ec ? nullptr : parsed.if_object();
  const boost::json::value* token = object ? object->if_contains("access_token") : nullptr;
  if (token == nullptr || !token->is_string()) {
    return Status(StatusCode::kUnauthenticated,
                  fmt::format("the OAuth2 token endpoint {} returned no access_token", token_uri));
  }
  int64_t expires_in = 3600;
  if (const boost::json::value* e = object->if_contains("expires_in"); e && e->is_int64()) {
    expires_in = e->as_int64();
  }
  oauth_token_ = std::string(token->as_string());
  oauth_token_expiry_ = now + std::chrono::seconds(expires_in);
  return oauth_token_;
}

Status RestTransport::Authorize(storage::http::Request& request) {
  if (!options_.signing_name.empty()) {
    O2P_ASSIGN_OR_RETURN(storage::aws::Credentials credentials, credentials_->Get());
    const storage::aws::SigningOptions signing{.service = options_.signing_name,
                                               .region = options_.signing_region,
                                               .s3_rules = false,
                                               .unsigned_payload = false};
    storage::aws::Signature signature = storage::aws::SignV4(
        request, endpoint_.HostHeader(), credentials, signing, std::chrono::system_clock::now());
    for (Header& header : signature.headers_to_add) request.headers.push_back(std::move(header));
    return Status::Ok();
  }
  std::string token = options_.token;
  if (!options_.credential.empty()) {
    O2P_ASSIGN_OR_RETURN(token, OAuthToken(false));
  }
  if (!token.empty()) request.headers.push_back({"Authorization", "Bearer " + token});
  return Status::Ok();
}

Result<RestResponse> RestTransport::CallOnce(const storage::http::Request& unsigned_request,
                                             milliseconds timeout) {
  storage::http::Request request = unsigned_request;
  O2P_RETURN_IF_ERROR(Authorize(request));
  O2P_ASSIGN_OR_RETURN(storage::http::Response response, http_.Send(endpoint_, request, timeout));
  if (response.status == 401 && !options_.credential.empty()) {
    // The token may have been revoked or expired early: one fresh token, one more try.
    O2P_RETURN_IF_ERROR(OAuthToken(true).status());
    request = unsigned_request;
    O2P_RETURN_IF_ERROR(Authorize(request));
    O2P_ASSIGN_OR_RETURN(response, http_.Send(endpoint_, request, timeout));
  }
  return RestResponse{response.status, std::move(response.body), std::move(response.headers)};
}

Result<RestResponse> RestTransport::Call(std::string_view method, std::string_view path,
                                         std::string_view body, bool idempotent,
                                         std::vector<Header> headers) {
  storage::http::Request request;
  request.method = std::string(method);
  request.target = endpoint_.base_path + "/v1/" + std::string(path);
  request.headers = std::move(headers);
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});
  request.body = body;
  storage::Backoff backoff(options_.retry);
  for (;;) {
    Result<RestResponse> response = CallOnce(request, backoff.AttemptTimeout(options_.request_timeout));
    milliseconds retry_after(0);
    if (response.ok()) {
      if (!IsRetryableStatus(response->status) || !idempotent) return response;
      retry_after = RetryAfter(*response);
    } else {
      const StatusCode code = response.status().code();
      if (!idempotent ||
          (code != StatusCode::kUnavailable && code != StatusCode::kDeadlineExceeded)) {
        return response;
      }
    }
    if (!backoff.WaitBeforeRetry(retry_after)) return response;
  }
}

}  // namespace o2p::iceberg::rest
