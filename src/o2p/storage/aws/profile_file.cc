#include "o2p/storage/aws/profile_file.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"

namespace o2p::storage::aws {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

std::string_view Property(const ProfileProperties* profile, std::string_view key) {
  if (profile == nullptr) return {};
  const auto it = profile->find(key);
  return it == profile->end() ? std::string_view() : std::string_view(it->second);
}

// Keys of one profile, or NOT_FOUND / FAILED_PRECONDITION as CredentialsFromSharedFiles says.
Result<Credentials> KeysOf(const ProfileProperties& profile, std::string_view where) {
  Credentials credentials;
  credentials.access_key_id = Property(&profile, "aws_access_key_id");
  credentials.secret_access_key = Property(&profile, "aws_secret_access_key");
  credentials.session_token = Property(&profile, "aws_session_token");
  if (credentials.access_key_id.empty()) {
    return Status(StatusCode::kNotFound,
                  fmt::format("{} has no aws_access_key_id (role_arn, sso_* and "
                              "credential_process profiles are not supported)",
                              where));
  }
  if (credentials.secret_access_key.empty()) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("{} has aws_access_key_id but no aws_secret_access_key", where));
  }
  return credentials;
}

}  // namespace

std::optional<std::string> NonEmptyEnv(const EnvLookup& env, std::string_view name) {
  if (!env) return std::nullopt;
  std::optional<std::string> value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

IniSections ParseIni(std::string_view text) {
  IniSections sections;
  ProfileProperties* section = nullptr;
  bool after_key = false;  // whether an indented line continues the previous key's value
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    const bool indented = !line.empty() && (line.front() == ' ' || line.front() == '\t');
    line = Trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (indented && after_key) continue;  // a nested setting such as "s3 =\n  key = value"
    if (line.front() == '[' && line.back() == ']') {
      section = &sections[std::string(Trim(line.substr(1, line.size() - 2)))];
      after_key = false;
      continue;
    }
    const size_t delimiter = line.find_first_of("=:");
    if (section == nullptr || delimiter == std::string_view::npos) {
      after_key = false;  // a line outside any section, or not "key = value": ignored
      continue;
    }
    (*section)[AsciiLower(Trim(line.substr(0, delimiter)))] =
        std::string(Trim(line.substr(delimiter + 1)));
    after_key = true;
  }
  return sections;
}

Result<IniSections> LoadIniFile(const std::string& path) {
  std::error_code error;
  if (path.empty() || !std::filesystem::exists(path, error)) return IniSections{};
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::IoError("cannot read {}: {}", path, std::generic_category().message(errno));
  std::stringstream contents;
  contents << in.rdbuf();
  return ParseIni(contents.str());
}

SharedFilePaths SharedFilePathsFrom(const EnvLookup& env) {
  SharedFilePaths paths;
  const std::optional<std::string> home = NonEmptyEnv(env, "HOME");
  if (auto file = NonEmptyEnv(env, "AWS_SHARED_CREDENTIALS_FILE")) {
    paths.credentials = *file;
  } else if (home) {
    paths.credentials = *home + "/.aws/credentials";
  }
  if (auto file = NonEmptyEnv(env, "AWS_CONFIG_FILE")) {
    paths.config = *file;
  } else if (home) {
    paths.config = *home + "/.aws/config";
  }
  return paths;
}

std::string SelectedProfileName(const EnvLookup& env) {
  return NonEmptyEnv(env, "AWS_PROFILE").value_or("default");
}

const ProfileProperties* FindCredentialsFileProfile(const IniSections& file,
                                                    std::string_view name) {
  const auto it = file.find(name);
  return it == file.end() ? nullptr : &it->second;
}

const ProfileProperties* FindConfigFileProfile(const IniSections& file, std::string_view name) {
  for (const auto& [section, properties] : file) {
    // "[profile  name]": the word "profile", whitespace, then the name.
    std::string_view rest(section);
    if (rest.substr(0, 7) != "profile" || rest.size() < 8 || !IsBlank(rest[7])) continue;
    if (Trim(rest.substr(8)) == name) return &properties;
  }
  if (name == "default") return FindCredentialsFileProfile(file, "default");
  return nullptr;
}

Result<Credentials> CredentialsFromSharedFiles(const EnvLookup& env) {
  const SharedFilePaths paths = SharedFilePathsFrom(env);
  const std::string profile = SelectedProfileName(env);
  O2P_ASSIGN_OR_RETURN(const IniSections credentials_file, LoadIniFile(paths.credentials));
  O2P_ASSIGN_OR_RETURN(const IniSections config_file, LoadIniFile(paths.config));

  const ProfileProperties* in_credentials = FindCredentialsFileProfile(credentials_file, profile);
  const ProfileProperties* in_config = FindConfigFileProfile(config_file, profile);
  if (in_credentials == nullptr && in_config == nullptr) {
    const StatusCode code =
        NonEmptyEnv(env, "AWS_PROFILE") ? StatusCode::kFailedPrecondition : StatusCode::kNotFound;
    return Status(code, fmt::format("profile '{}' is in neither '{}' nor '{}'", profile,
                                    paths.credentials, paths.config));
  }
  if (in_credentials != nullptr) {
    Result<Credentials> keys =
        KeysOf(*in_credentials, fmt::format("profile '{}' in '{}'", profile, paths.credentials));
    if (keys.ok() || keys.error().code() != StatusCode::kNotFound || in_config == nullptr) {
      return keys;
    }
  }
  return KeysOf(*in_config, fmt::format("profile '{}' in '{}'", profile, paths.config));
}

std::optional<std::string> RegionFromSharedConfig(const EnvLookup& env) {
  Result<IniSections> config_file = LoadIniFile(SharedFilePathsFrom(env).config);
  if (!config_file.ok()) return std::nullopt;
  const std::string_view region =
      Property(FindConfigFileProfile(*config_file, SelectedProfileName(env)), "region");
  if (region.empty()) return std::nullopt;
  return std::string(region);
}

}  // namespace o2p::storage::aws
