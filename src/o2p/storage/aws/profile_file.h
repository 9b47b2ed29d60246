// The AWS shared configuration files, ~/.aws/credentials and ~/.aws/config, read the way the
// AWS CLI and SDKs read them. Internal to storage/aws (used by credentials.cc; tested directly).
//
// Format (INI, as Python's configparser reads it, which the CLI uses):
//   [default]                     section; in the config file other profiles are written
//   aws_access_key_id = AKID      "[profile name]", in the credentials file just "[name]"
//   ; comment, # comment          whole-line comments only: '#' inside a value is kept
//   s3 =                          indented lines after a key continue its value (nested
//     max_concurrent_requests = 4   settings); they are never read as keys of their own
// Keys are case-insensitive (lower-cased), values are trimmed.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "o2p/base/result.h"
#include "o2p/storage/aws/credentials.h"

namespace o2p::storage::aws {

/// The variable's value; nullopt when it is unset or empty (AWS tools treat both alike) or
/// when `env` is empty.
std::optional<std::string> NonEmptyEnv(const EnvLookup& env, std::string_view name);

using ProfileProperties = std::map<std::string, std::string, std::less<>>;
/// Section name as written between the brackets (trimmed) -> its properties.
using IniSections = std::map<std::string, ProfileProperties, std::less<>>;

IniSections ParseIni(std::string_view text);

/// Reads and parses `path`; a file that does not exist yields no sections.
Result<IniSections> LoadIniFile(const std::string& path);

struct SharedFilePaths {
  /// AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials; "" when neither is known.
  std::string credentials;
  /// AWS_CONFIG_FILE, else $HOME/.aws/config; "" when neither is known.
  std::string config;
};
SharedFilePaths SharedFilePathsFrom(const EnvLookup& env);

/// AWS_PROFILE when set, else "default".
std::string SelectedProfileName(const EnvLookup& env);

/// The profile in a credentials file: section "[name]".
const ProfileProperties* FindCredentialsFileProfile(const IniSections& file, std::string_view name);
/// The profile in a config file: "[profile name]"; for "default" also plain "[default]".
const ProfileProperties* FindConfigFileProfile(const IniSections& file, std::string_view name);

/// Long-term (or session) keys of the selected profile, from the credentials file, else from
/// the config file. NOT_FOUND when the files do not configure keys for the profile (the chain
/// then goes on); FAILED_PRECONDITION when AWS_PROFILE names a profile that neither file has,
/// or the profile has an access key without a secret (the chain stops: the user asked for it).
Result<Credentials> CredentialsFromSharedFiles(const EnvLookup& env);

/// The selected profile's `region` in the config file, if any.
std::optional<std::string> RegionFromSharedConfig(const EnvLookup& env);

}  // namespace o2p::storage::aws
