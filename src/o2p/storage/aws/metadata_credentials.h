// Temporary credentials served over HTTP: the container credentials endpoint (ECS, EKS Pod
// Identity, Lambda SnapStart) and EC2 instance metadata (IMDSv2). Internal to storage/aws
// (used by credentials.cc; tested directly).
//
// Both return NOT_FOUND when the source is not configured (no container variables; instance
// metadata disabled), so the chain goes on; any other error means the source was tried and
// failed. Messages name endpoints and HTTP statuses, never tokens, keys or response bodies.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "o2p/base/result.h"
#include "o2p/storage/aws/credentials.h"
#include "o2p/storage/http/http_client.h"

namespace o2p::storage::aws {

/// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (appended to options.container_host_endpoint), else
/// AWS_CONTAINER_CREDENTIALS_FULL_URI. Plain-http full URIs must point at a loopback address or
/// at the ECS / EKS agents (169.254.170.2, 169.254.170.23, fd00:ec2::23), as AWS SDKs require,
/// so that the authorization token is never sent in clear text across a network.
Result<Credentials> FetchContainerCredentials(const CredentialsChainOptions& options);

/// IMDSv2: PUT /latest/api/token, GET the role name, GET the role's credentials. The endpoint
/// is AWS_EC2_METADATA_SERVICE_ENDPOINT, else options.imds_endpoint. IMDSv1 (no token) is not
/// used: instances that still need it are configured insecurely.
Result<Credentials> FetchInstanceMetadataCredentials(const CredentialsChainOptions& options);

/// A URL split for HttpClient: the endpoint (base_path left empty), and the path + query.
struct HttpUrl {
  http::Endpoint endpoint;
  std::string target;  // "/..." (at least "/")
};
/// Parses "http(s)://host[:port][/path][?query]"; IPv6 hosts in brackets. No user info.
Result<HttpUrl> ParseHttpUrl(std::string_view url);

/// The JSON both endpoints serve: AccessKeyId, SecretAccessKey, Token, Expiration (ISO 8601),
/// and for instance metadata Code ("Success").
Result<Credentials> ParseCredentialsJson(std::string_view json);

/// "2024-05-01T12:34:56Z", with optional fraction and "+hh:mm" / "-hh:mm" offset.
Result<std::chrono::system_clock::time_point> ParseIso8601(std::string_view text);

}  // namespace o2p::storage::aws
