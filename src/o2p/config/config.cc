#include "o2p/config/config.h"

#include <array>
#include <span>

#include "o2p/config/internal/text.h"

namespace o2p::config {
namespace {

template <typename E>
struct Name {
  std::string_view name;
  E value;
};

// The first entry for a value is its canonical name; later ones are aliases.
template <typename E>
std::string_view NameOf(std::span<const Name<E>> names, E value) {
  for (const Name<E>& n : names) {
    if (n.value == value) return n.name;
  }
  return "unknown";
}

template <typename E>
std::optional<E> Lookup(std::span<const Name<E>> names, std::string_view text) {
  for (const Name<E>& n : names) {
    if (EqualsIgnoreCase(text, n.name)) return n.value;
  }
  return std::nullopt;
}

constexpr std::array<Name<StorageBackend>, 5> kBackends = {{
    {"local", StorageBackend::kLocal},
    {"s3", StorageBackend::kS3},
    // The original project's spellings.
    {"fs", StorageBackend::kLocal},
    {"filesystem", StorageBackend::kLocal},
    {"aws", StorageBackend::kS3},
}};
constexpr std::array<Name<S3Addressing>, 4> kAddressings = {{
    {"auto", S3Addressing::kAuto},
    {"path", S3Addressing::kPath},
    {"virtual", S3Addressing::kVirtual},
    {"virtual-hosted", S3Addressing::kVirtual},
}};
constexpr std::array<Name<LogLevel>, 6> kLevels = {{
    {"trace", LogLevel::kTrace},
    {"debug", LogLevel::kDebug},
    {"info", LogLevel::kInfo},
    {"warn", LogLevel::kWarn},
    {"error", LogLevel::kError},
    {"warning", LogLevel::kWarn},
}};
constexpr std::array<Name<LogFormat>, 2> kFormats = {{
    {"text", LogFormat::kText},
    {"json", LogFormat::kJson},
}};
constexpr std::array<Name<FsyncPolicy>, 3> kFsyncPolicies = {{
    {"always", FsyncPolicy::kAlways},
    {"never", FsyncPolicy::kNever},
    {"none", FsyncPolicy::kNever},  // the name for it
}};

}  // namespace

std::string_view StorageBackendName(StorageBackend backend) {
  return NameOf<StorageBackend>(kBackends, backend);
}
std::optional<StorageBackend> ParseStorageBackend(std::string_view name) {
  return Lookup<StorageBackend>(kBackends, name);
}
std::string_view S3AddressingName(S3Addressing addressing) {
  return NameOf<S3Addressing>(kAddressings, addressing);
}
std::optional<S3Addressing> ParseS3Addressing(std::string_view name) {
  return Lookup<S3Addressing>(kAddressings, name);
}
std::string_view LogLevelName(LogLevel level) { return NameOf<LogLevel>(kLevels, level); }
std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  return Lookup<LogLevel>(kLevels, name);
}
std::string_view LogFormatName(LogFormat format) { return NameOf<LogFormat>(kFormats, format); }
std::optional<LogFormat> ParseLogFormat(std::string_view name) {
  return Lookup<LogFormat>(kFormats, name);
}
std::string_view FsyncPolicyName(FsyncPolicy policy) {
  return NameOf<FsyncPolicy>(kFsyncPolicies, policy);
}
std::optional<FsyncPolicy> ParseFsyncPolicy(std::string_view name) {
  return Lookup<FsyncPolicy>(kFsyncPolicies, name);
}

}  // namespace o2p::config
