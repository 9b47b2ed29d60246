#include "o2p/storage/aws/metadata_credentials.h"

#include <cstring>
#include <exception>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include <arpa/inet.h>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <netinet/in.h>

#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"
#include "o2p/storage/aws/profile_file.h"

namespace o2p::storage::aws {
namespace {

using std::chrono::system_clock;

constexpr std::string_view kImdsTokenPath = "/latest/api/token";
constexpr std::string_view kImdsRolesPath = "/latest/meta-data/iam/security-credentials/";
// Six hours, the longest session IMDS grants; one token serves the two GETs that follow.
constexpr std::string_view kImdsTokenTtlSeconds = "21600";

std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

Status Failure(StatusCode code, std::string message) { return {code, std::move(message)}; }

std::string DescribeEndpoint(const http::Endpoint& endpoint) {
  const bool ipv6 = endpoint.host.find(':') != std::string::npos;
  return fmt::format("{}://{}{}{}:{}", endpoint.tls ? "https" : "http", ipv6 ? "[" : "",
                     endpoint.host, ipv6 ? "]" : "", endpoint.port);
}

// Transient statuses may succeed on the next refresh; others need someone to fix something.
Status HttpStatusFailure(std::string_view what, const http::Endpoint& endpoint, int status) {
  StatusCode code = StatusCode::kFailedPrecondition;
  if (status >= 500 || status == 429) code = StatusCode::kUnavailable;
  if (status == 401 || status == 403) code = StatusCode::kPermissionDenied;
  return Failure(
      code, fmt::format("{} at {} returned HTTP {}", what, DescribeEndpoint(endpoint), status));
}

struct MetadataCall {
  http::HttpClient& http;
  http::Endpoint endpoint;
  std::chrono::milliseconds timeout;
};

// Sends one request and returns the body of a 200 response.
Result<std::string> SendForBody(const MetadataCall& call, const http::Request& request,
                                std::string_view what) {
  Result<http::Response> response = call.http.Send(call.endpoint, request, call.timeout);
  if (!response.ok()) return response.error().WithPrefix(what);
  if (response->status != 200) return HttpStatusFailure(what, call.endpoint, response->status);
  return std::move(response->body);
}

bool IsAllowedPlainHttpHost(const std::string& host) {
  if (EqualsIgnoreCase(host, "localhost")) return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    const uint32_t address = ntohl(v4.s_addr);
    constexpr uint32_t kEcsAgent = (169u << 24) | (254u << 16) | (170u << 8) | 2u;
    constexpr uint32_t kEksPodIdentityAgent = kEcsAgent + 21;  // 169.254.170.23
    return (address >> 24) == 127 || address == kEcsAgent || address == kEksPodIdentityAgent;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) != 1) return false;
  in6_addr eks_agent{};
  inet_pton(AF_INET6, "fd00:ec2::23", &eks_agent);
  return std::memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0 ||
         std::memcmp(&v6, &eks_agent, sizeof(v6)) == 0;
}

Result<HttpUrl> ContainerUrl(const CredentialsChainOptions& options) {
  if (auto relative = NonEmptyEnv(options.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    O2P_ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(options.container_host_endpoint));
    url.target = (relative->front() == '/' ? "" : "/") + *relative;
    return url;
  }
  const std::string full = NonEmptyEnv(options.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI").value();
  Result<HttpUrl> url = ParseHttpUrl(full);
  if (!url.ok()) return url.error().WithPrefix("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!url->endpoint.tls && !IsAllowedPlainHttpHost(url->endpoint.host)) {
    return Failure(StatusCode::kFailedPrecondition,
                   fmt::format("AWS_CONTAINER_CREDENTIALS_FULL_URI host '{}' is not allowed over "
                               "plain http (only loopback, 169.254.170.2, 169.254.170.23 and "
                               "fd00:ec2::23 are)",
                               url->endpoint.host));
  }
  return url;
}

// The Authorization header value; "" when neither variable is set. The file is read on every
// fetch because EKS Pod Identity rotates the token in it.
Result<std::string> ContainerAuthorization(const EnvLookup& env) {
  std::string token;
  if (auto path = NonEmptyEnv(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    std::ifstream in(*path, std::ios::binary);
    if (!in) {
      return Failure(StatusCode::kFailedPrecondition,
                     fmt::format("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '{}'", *path));
    }
    std::stringstream contents;
    contents << in.rdbuf();
    token = contents.str();
  } else if (auto value = NonEmptyEnv(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
    token = std::move(*value);
  }
  token = std::string(TrimWhitespace(token));
  if (token.find_first_of("\r\n") != std::string::npos) {
    return Failure(StatusCode::kFailedPrecondition,
                   "the container authorization token contains a line break");
  }
  return token;
}

bool IsTrue(const std::optional<std::string>& value) {
  return value && EqualsIgnoreCase(TrimWhitespace(*value), "true");
}

std::string ImdsEndpointUrl(const CredentialsChainOptions& options) {
  if (auto url = NonEmptyEnv(options.env, "AWS_EC2_METADATA_SERVICE_ENDPOINT")) return *url;
  const std::optional<std::string> mode =
      NonEmptyEnv(options.env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
  if (mode && EqualsIgnoreCase(*mode, "IPv6")) return "http://[fd00:ec2::254]";
  return options.imds_endpoint;
}

Result<std::string> ImdsGet(const MetadataCall& call, std::string target, const std::string& token,
                            std::string_view what) {
  http::Request request;
  request.method = "GET";
  request.target = std::move(target);
  request.headers.push_back({"X-aws-ec2-metadata-token", token});
  return SendForBody(call, request, what);
}

// The decimal number in text[pos, pos + size); nullopt when any of it is not a digit.
std::optional<int> ParseDigits(std::string_view text, size_t pos, size_t size) {
  if (pos + size > text.size()) return std::nullopt;
  int value = 0;
  for (char c : text.substr(pos, size)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "Z" or "+hh:mm" / "-hh:mm" after the seconds (and fraction): the offset east of UTC.
std::optional<std::chrono::minutes> ParseUtcOffset(std::string_view text) {
  if (text == "Z" || text == "z") return std::chrono::minutes(0);
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') {
    return std::nullopt;
  }
  const std::optional<int> hours = ParseDigits(text, 1, 2);
  const std::optional<int> minutes = ParseDigits(text, 4, 2);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  const std::chrono::minutes offset(*hours * 60 + *minutes);
  return text[0] == '+' ? offset : -offset;
}

}  // namespace

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  HttpUrl parsed;
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
    parsed.endpoint.port = 80;
  } else if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
    parsed.endpoint.tls = true;
    parsed.endpoint.port = 443;
  } else {
    return Status::InvalidArgument("URL scheme is not http or https");
  }
  const size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  target = target.substr(0, target.find('#'));
  parsed.target = (target.empty() || target.front() != '/') ? "/" : "";
  parsed.target.append(target);
  if (authority.find('@') != std::string_view::npos) {
    return Status::InvalidArgument("URL must not contain user info");
  }
  std::optional<std::string_view> port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("URL has an unclosed '['");
    parsed.endpoint.host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return Status::InvalidArgument("bad URL port");
    if (!after.empty()) port = after.substr(1);
  } else {
    const size_t colon = authority.rfind(':');
    parsed.endpoint.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (parsed.endpoint.host.empty()) return Status::InvalidArgument("URL has no host");
  if (port) {
    const std::optional<int> number = ParseDigits(*port, 0, port->size());
    if (port->empty() || port->size() > 5 || !number || *number == 0 || *number > 65535) {
      return Status::InvalidArgument("bad URL port");
    }
    parsed.endpoint.port = static_cast<uint16_t>(*number);
  }
  return parsed;
}

Result<system_clock::time_point> ParseIso8601(std::string_view text) {
  const Status bad = Status::InvalidArgument("not an ISO 8601 UTC time");
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return bad;
  }
  const auto year = ParseDigits(text, 0, 4), month = ParseDigits(text, 5, 2),
             day = ParseDigits(text, 8, 2), hour = ParseDigits(text, 11, 2),
             minute = ParseDigits(text, 14, 2), second = ParseDigits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return bad;
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return bad;
  size_t zone_start = 19;
  if (text[zone_start] == '.') {  // a fraction of a second: dropped, expiry has no need of it
    ++zone_start;
    while (zone_start < text.size() && text[zone_start] >= '0' && text[zone_start] <= '9') {
      ++zone_start;
    }
  }
  const std::optional<std::chrono::minutes> offset = ParseUtcOffset(text.substr(zone_start));
  if (!offset) return bad;
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second) - *offset;
}

Result<Credentials> ParseCredentialsJson(std::string_view json) {
  boost::json::value document;
  try {
    std::error_code error;
    document = boost::json::parse(boost::json::string_view(json.data(), json.size()), error);
    if (error) return Status::Unavailable("credentials response is not valid JSON");
  } catch (const std::exception&) {
    return Status::Unavailable("credentials response is not valid JSON");
  }
  const boost::json::object* object = document.if_object();
  if (object == nullptr) return Status::Unavailable("credentials response is not a JSON object");
  const auto field = [object](std::string_view name) -> std::string_view {
    const boost::json::value* value =
        object->if_contains(boost::json::string_view(name.data(), name.size()));
    if (value == nullptr || !value->is_string()) return {};
    return {value->get_string().data(), value->get_string().size()};
  };
  if (const std::string_view code = field("Code"); !code.empty() && code != "Success") {
    return Status::Unavailable("credentials response has Code '{}'", code);
  }
  Credentials credentials;
  credentials.access_key_id = field("AccessKeyId");
  credentials.secret_access_key = field("SecretAccessKey");
  credentials.session_token = field("Token");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Status::Unavailable("credentials response lacks AccessKeyId or SecretAccessKey");
  }
  if (const std::string_view expiration = field("Expiration"); !expiration.empty()) {
    Result<system_clock::time_point> when = ParseIso8601(expiration);
    if (!when.ok()) return Status::Unavailable("credentials response has a bad Expiration");
    credentials.expiration = *when;
  }
  return credentials;
}

Result<Credentials> FetchContainerCredentials(const CredentialsChainOptions& options) {
  if (!NonEmptyEnv(options.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") &&
      !NonEmptyEnv(options.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    return Status::NotFound(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not "
        "set");
  }
  O2P_ASSIGN_OR_RETURN(HttpUrl url, ContainerUrl(options));
  O2P_ASSIGN_OR_RETURN(std::string authorization, ContainerAuthorization(options.env));
  if (options.http == nullptr) {
    return Failure(StatusCode::kFailedPrecondition, "no HTTP client was given");
  }
  http::Request request;
  request.method = "GET";
  request.target = url.target;
  request.headers.push_back({"Accept", "application/json"});
  if (!authorization.empty()) request.headers.push_back({"Authorization", authorization});
  const MetadataCall call{*options.http, url.endpoint, options.metadata_timeout};
  O2P_ASSIGN_OR_RETURN(std::string body, SendForBody(call, request, "credentials request"));
  return ParseCredentialsJson(body);
}

Result<Credentials> FetchInstanceMetadataCredentials(const CredentialsChainOptions& options) {
  if (IsTrue(NonEmptyEnv(options.env, "AWS_EC2_METADATA_DISABLED"))) {
    return Status::NotFound("disabled by AWS_EC2_METADATA_DISABLED");
  }
  if (options.http == nullptr) {
    return Failure(StatusCode::kFailedPrecondition, "no HTTP client was given");
  }
  O2P_ASSIGN_OR_RETURN(HttpUrl base, ParseHttpUrl(ImdsEndpointUrl(options)));
  // An endpoint given with a path keeps it as a prefix of the well-known paths.
  std::string prefix = base.target.substr(0, base.target.find('?'));
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  const MetadataCall call{*options.http, base.endpoint, options.metadata_timeout};

  http::Request token_request;
  token_request.method = "PUT";
  token_request.target = prefix + std::string(kImdsTokenPath);
  token_request.headers.push_back(
      {"X-aws-ec2-metadata-token-ttl-seconds", std::string(kImdsTokenTtlSeconds)});
  O2P_ASSIGN_OR_RETURN(std::string token, SendForBody(call, token_request, "token request"));

  const std::string roles_path = prefix + std::string(kImdsRolesPath);
  O2P_ASSIGN_OR_RETURN(std::string roles, ImdsGet(call, roles_path, token, "role request"));
  // One role per instance profile; the listing is one name per line.
  const std::string role(TrimWhitespace(roles.substr(0, roles.find('\n'))));
  if (role.empty()) {
    return Failure(StatusCode::kFailedPrecondition, "no IAM role is attached to the instance");
  }
  O2P_ASSIGN_OR_RETURN(std::string json,
                       ImdsGet(call, roles_path + role, token, "credentials request"));
  return ParseCredentialsJson(json);
}

}  // namespace o2p::storage::aws
