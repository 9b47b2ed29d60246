// AWS credentials, found the way AWS SDKs and the CLI find them, and kept fresh.
//
// The default chain tries, in order, and uses the first source that is configured:
//   1. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
//   2. shared files: ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE,
//      AWS_CONFIG_FILE), profile AWS_PROFILE or "default" ("[profile x]" in the config file);
//   3. container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI (host
//      169.254.170.2), with AWS_CONTAINER_AUTHORIZATION_TOKEN or the contents of
//      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE as the Authorization header;
//   4. EC2 instance metadata, IMDSv2 (PUT a session token, then GET the role and its
//      credentials), unless AWS_EC2_METADATA_DISABLED=true.
// The first source that is configured wins: a source that is set up but fails (an
// unreachable container endpoint, a profile named by AWS_PROFILE that does not exist) ends the
// search with an error that lists every source tried and why it gave nothing.
// Temporary credentials are refreshed when less than 5 minutes remain before their expiry;
// concurrent callers share one refresh, and when a refresh fails, credentials that have not
// expired yet keep being used.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "o2p/base/result.h"
#include "o2p/storage/aws/sigv4.h"
#include "o2p/storage/http/http_client.h"

namespace o2p::storage::aws {

/// Reads one environment variable; injected so tests need not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
/// getenv.
EnvLookup ProcessEnvironment();

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  /// Current credentials, fetched or refreshed when needed. Thread-safe. Errors say which
  /// sources were tried and why each failed, without any secret.
  virtual Result<Credentials> Get() = 0;
};

struct CredentialsChainOptions {
  /// The variables to read: ProcessEnvironment() in production. Empty reads none.
  EnvLookup env;
  /// For container and instance-metadata credentials.
  http::HttpClient* http = nullptr;
  /// Injected for tests; defaults to system_clock::now.
  std::function<std::chrono::system_clock::time_point()> now;
  /// Overrides of the well-known endpoints (tests).
  std::string imds_endpoint = "http://169.254.169.254";
  std::string container_host_endpoint = "http://169.254.170.2";
  std::chrono::milliseconds metadata_timeout{std::chrono::seconds(2)};
};

std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(CredentialsChainOptions options);

/// Always returns the given credentials.
std::unique_ptr<CredentialsProvider> MakeStaticCredentials(Credentials credentials);

/// The region from AWS_REGION, AWS_DEFAULT_REGION, or the profile's `region` in the shared
/// config file; nullopt when none is set.
std::optional<std::string> RegionFromEnvironment(const EnvLookup& env);

}  // namespace o2p::storage::aws
