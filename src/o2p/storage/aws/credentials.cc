// The default credentials chain and its cache. The sources themselves live in profile_file.cc
// (shared files) and metadata_credentials.cc (container, instance metadata).
#include "o2p/storage/aws/credentials.h"

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "o2p/base/log.h"
#include "o2p/storage/aws/metadata_credentials.h"
#include "o2p/storage/aws/profile_file.h"

namespace o2p::storage::aws {
namespace {

using Clock = std::chrono::system_clock;

// Refresh this long before expiry, as the AWS SDKs do, so that a request signed just before a
// refresh is still valid when the server checks it (S3 allows 5 minutes of clock skew too).
constexpr auto kRefreshBeforeExpiry = std::chrono::minutes(5);
// While the cached credentials still work, the sources are asked at most this often, so that a
// failing source, or one that hands out credentials already close to expiry, is not asked on
// every request.
constexpr auto kMinRefreshInterval = std::chrono::seconds(30);

Result<Credentials> CredentialsFromEnvironment(const CredentialsChainOptions& options) {
  std::optional<std::string> access_key = NonEmptyEnv(options.env, "AWS_ACCESS_KEY_ID");
  std::optional<std::string> secret = NonEmptyEnv(options.env, "AWS_SECRET_ACCESS_KEY");
  if (!access_key && !secret) {
    return Status::NotFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (!access_key || !secret) {
    // Half a key pair is a mistake to report, not a reason to use some other identity.
    return Status(StatusCode::kFailedPrecondition,
                  "only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set");
  }
  Credentials credentials;
  credentials.access_key_id = std::move(*access_key);
  credentials.secret_access_key = std::move(*secret);
  credentials.session_token = NonEmptyEnv(options.env, "AWS_SESSION_TOKEN").value_or("");
  return credentials;
}

Result<Credentials> CredentialsFromFiles(const CredentialsChainOptions& options) {
  return CredentialsFromSharedFiles(options.env);
}

struct Source {
  std::string_view name;
  Result<Credentials> (*fetch)(const CredentialsChainOptions&);
};

// The first configured source wins: NOT_FOUND means "not configured, try the next one"; any
// other failure ends the search, because silently using another identity would be worse.
Result<Credentials> ResolveChain(const CredentialsChainOptions& options) {
  static constexpr Source kSources[] = {
      {"environment", &CredentialsFromEnvironment},
      {"shared files", &CredentialsFromFiles},
      {"container", &FetchContainerCredentials},
      {"instance metadata", &FetchInstanceMetadataCredentials},
  };
  std::string reasons;
  StatusCode code = StatusCode::kUnauthenticated;
  for (const Source& source : kSources) {
    Result<Credentials> found = source.fetch(options);
    if (found.ok()) return found;
    reasons +=
        fmt::format("{}{}: {}", reasons.empty() ? "" : "; ", source.name, found.error().message());
    if (found.error().code() != StatusCode::kNotFound) {
      code = found.error().code();
      break;
    }
  }
  return Status(code, fmt::format("no AWS credentials ({})", reasons));
}

class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}
  Result<Credentials> Get() override { return credentials_; }

 private:
  const Credentials credentials_;
};

// Runs the chain when nothing is cached or the cached credentials near expiry. One caller
// runs the chain at a time (fetch_mutex_); callers that arrive while a refresh runs either
// keep using credentials that are still valid, or wait and share the refresh's outcome.
class CachingChainProvider final : public CredentialsProvider {
 public:
  explicit CachingChainProvider(CredentialsChainOptions options) : options_(std::move(options)) {
    if (!options_.now) options_.now = [] { return Clock::now(); };
  }

  Result<Credentials> Get() override {
    std::unique_lock<std::mutex> fetch_lock(fetch_mutex_, std::defer_lock);
    uint64_t attempts_seen = 0;
    {
      std::lock_guard<std::mutex> state_lock(state_mutex_);
      const Freshness freshness = Classify(options_.now());
      if (freshness == Freshness::kFresh) return *cached_;
      // Still valid: if someone else is refreshing, do not wait for them.
      if (freshness == Freshness::kRefreshDue && !fetch_lock.try_lock()) return *cached_;
      attempts_seen = attempts_;
    }
    if (!fetch_lock.owns_lock()) fetch_lock.lock();
    {
      std::lock_guard<std::mutex> state_lock(state_mutex_);
      // A refresh finished while we waited: its outcome is ours too.
      if (attempts_ != attempts_seen) return LastOutcome(options_.now());
    }
    Result<Credentials> fetched = ResolveChain(options_);
    std::lock_guard<std::mutex> state_lock(state_mutex_);
    ++attempts_;
    last_attempt_ = options_.now();
    if (fetched.ok()) {
      cached_ = *fetched;
      last_error_ = Status::Ok();
      return fetched;
    }
    last_error_ = fetched.error();
    if (IsValid(*last_attempt_)) {
      LogWarn("AWS credentials refresh failed; using the current ones until they expire",
              {{"error", last_error_.ToString()}});
      return *cached_;
    }
    return fetched;
  }

 private:
  enum class Freshness { kFresh, kRefreshDue, kUnusable };

  // REQUIRES: state_mutex_ is held.
  bool IsValid(Clock::time_point now) const {
    return cached_ && (!cached_->expiration || *cached_->expiration > now);
  }

  // REQUIRES: state_mutex_ is held.
  Freshness Classify(Clock::time_point now) const {
    if (!IsValid(now)) return Freshness::kUnusable;
    if (!cached_->expiration || *cached_->expiration - now >= kRefreshBeforeExpiry) {
      return Freshness::kFresh;
    }
    const bool tried_recently = last_attempt_ && now - *last_attempt_ < kMinRefreshInterval;
    return tried_recently ? Freshness::kFresh : Freshness::kRefreshDue;
  }

  // REQUIRES: state_mutex_ is held.
  Result<Credentials> LastOutcome(Clock::time_point now) const {
    if (IsValid(now)) return *cached_;
    if (!last_error_.ok()) return last_error_;
    return Status(StatusCode::kUnauthenticated, "AWS credentials expired");
  }

  CredentialsChainOptions options_;
  std::mutex fetch_mutex_;  // held by the one caller that runs the chain
  std::mutex state_mutex_;  // guards the members below
  std::optional<Credentials> cached_;
  std::optional<Clock::time_point> last_attempt_;
  Status last_error_;
  uint64_t attempts_ = 0;
};

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): nothing in this program calls setenv.
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(CredentialsChainOptions options) {
  return std::make_unique<CachingChainProvider>(std::move(options));
}

std::unique_ptr<CredentialsProvider> MakeStaticCredentials(Credentials credentials) {
  return std::make_unique<StaticCredentialsProvider>(std::move(credentials));
}

std::optional<std::string> RegionFromEnvironment(const EnvLookup& env) {
  if (auto region = NonEmptyEnv(env, "AWS_REGION")) return region;
  if (auto region = NonEmptyEnv(env, "AWS_DEFAULT_REGION")) return region;
  return RegionFromSharedConfig(env);
}

}  // namespace o2p::storage::aws
