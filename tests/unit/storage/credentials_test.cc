#include "o2p/storage/aws/credentials.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "o2p/storage/aws/metadata_credentials.h"
#include "support/matchers.h"

namespace o2p::storage::aws {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsErrorWith;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::system_clock;

// 2024-01-01T00:00:00Z.
constexpr Clock::time_point kStart{std::chrono::seconds(1704067200)};

// Records every request and answers with a scripted handler; no network.
class FakeHttpClient : public http::HttpClient {
 public:
  struct Call {
    http::Endpoint endpoint;
    std::string method;
    std::string target;
    std::vector<http::Header> headers;
    std::chrono::milliseconds timeout;

    std::string Header(std::string_view name) const {
      for (const auto& header : headers) {
        if (header.name == name) return header.value;
      }
      return "<absent>";
    }
  };
  using Handler = std::function<Result<http::Response>(const Call&)>;

  explicit FakeHttpClient(Handler handler) : handler_(std::move(handler)) {}

  Result<http::Response> Send(const http::Endpoint& endpoint, const http::Request& request,
                              std::chrono::milliseconds timeout) override {
    Call call{endpoint, request.method, request.target, request.headers, timeout};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      calls_.push_back(call);
    }
    return handler_(call);
  }

  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }

 private:
  Handler handler_;
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
};

http::Response Ok(std::string body) { return {200, {}, std::move(body)}; }

std::string CredentialsJson(std::string_view key_id, std::string_view expiration) {
  return fmt::format(R"({{"Code":"Success","AccessKeyId":"{}","SecretAccessKey":"SECRET-{}",)"
                     R"("Token":"TOKEN-{}","Expiration":"{}"}})",
                     key_id, key_id, key_id, expiration);
}

class CredentialsChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = std::filesystem::temp_directory_path() /
            ("o2p-aws-credentials-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(home_);
    std::filesystem::create_directories(home_ / ".aws");
    env_["HOME"] = home_.string();
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  // The chain under test, with the fake client, the fake clock and env_.
  std::unique_ptr<CredentialsProvider> Chain(FakeHttpClient& http) {
    CredentialsChainOptions options;
    options.env = [this](std::string_view name) -> std::optional<std::string> {
      const auto it = env_.find(std::string(name));
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    options.http = &http;
    options.now = [this] { return now_; };
    options.metadata_timeout = std::chrono::milliseconds(250);
    return MakeDefaultCredentialsChain(std::move(options));
  }

  std::filesystem::path home_;
  std::map<std::string, std::string> env_;
  Clock::time_point now_ = kStart;
};

FakeHttpClient::Handler Unreachable() {
  return [](const FakeHttpClient::Call&) -> Result<http::Response> {
    return Status::Unavailable("connect to http://169.254.169.254:80 failed");
  };
}

TEST_F(CredentialsChainTest, EnvironmentWins) {
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  env_["AWS_SESSION_TOKEN"] = "env-token";
  env_["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials";
  std::ofstream(home_ / ".aws/credentials") << "[default]\naws_access_key_id=F\n"
                                               "aws_secret_access_key=f\n";
  FakeHttpClient http(Unreachable());
  const Result<Credentials> credentials = Chain(http)->Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ENVKEY");
  EXPECT_EQ(credentials->secret_access_key, "env-secret");
  EXPECT_EQ(credentials->session_token, "env-token");
  EXPECT_TRUE(http.calls().empty());
}

TEST_F(CredentialsChainTest, ProfileFileComesBeforeContainer) {
  env_["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials";
  std::ofstream(home_ / ".aws/config") << "[profile dev]\naws_access_key_id = DEV\n"
                                          "aws_secret_access_key = d\n";
  env_["AWS_PROFILE"] = "dev";
  FakeHttpClient http(Unreachable());
  const Result<Credentials> credentials = Chain(http)->Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "DEV");
  EXPECT_TRUE(http.calls().empty());
}

TEST_F(CredentialsChainTest, MissingProfileStopsTheChain) {
  env_["AWS_PROFILE"] = "nope";
  FakeHttpClient http(Unreachable());
  EXPECT_THAT(Chain(http)->Get(), IsErrorWith(StatusCode::kFailedPrecondition, "'nope'"));
  EXPECT_TRUE(http.calls().empty());
}

TEST_F(CredentialsChainTest, ContainerRelativeUriWithToken) {
  env_["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  env_["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Bearer xyz";
  FakeHttpClient http([](const FakeHttpClient::Call&) -> Result<http::Response> {
    return Ok(CredentialsJson("CONTAINER", "2024-01-01T06:00:00Z"));
  });
  const Result<Credentials> credentials = Chain(http)->Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "CONTAINER");
  EXPECT_EQ(credentials->secret_access_key, "SECRET-CONTAINER");
  EXPECT_EQ(credentials->session_token, "TOKEN-CONTAINER");
  EXPECT_EQ(credentials->expiration, kStart + std::chrono::hours(6));
  ASSERT_EQ(http.calls().size(), 1u);
  const FakeHttpClient::Call call = http.calls()[0];
  EXPECT_EQ(call.endpoint, (http::Endpoint{false, "169.254.170.2", 80, ""}));
  EXPECT_EQ(call.method, "GET");
  EXPECT_EQ(call.target, "/v2/credentials/abc");
  EXPECT_EQ(call.Header("Authorization"), "Bearer xyz");
  EXPECT_EQ(call.timeout, std::chrono::milliseconds(250));
}

TEST_F(CredentialsChainTest, ContainerFullUriWithTokenFile) {
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:8080/get-credentials?a=1";
  env_["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "from-variable";
  env_["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = (home_ / "token").string();
  std::ofstream(home_ / "token") << "from-file\n";
  FakeHttpClient http([](const FakeHttpClient::Call&) -> Result<http::Response> {
    return Ok(CredentialsJson("FULL", "2024-01-01T06:00:00Z"));
  });
  ASSERT_TRUE(Chain(http)->Get().ok());
  ASSERT_EQ(http.calls().size(), 1u);
  EXPECT_EQ(http.calls()[0].endpoint, (http::Endpoint{false, "127.0.0.1", 8080, ""}));
  EXPECT_EQ(http.calls()[0].target, "/get-credentials?a=1");
  EXPECT_EQ(http.calls()[0].Header("Authorization"), "from-file");
}

TEST_F(CredentialsChainTest, ContainerFullUriAllowedHosts) {
  FakeHttpClient http([](const FakeHttpClient::Call&) -> Result<http::Response> {
    return Ok(CredentialsJson("FULL", "2024-01-01T06:00:00Z"));
  });
  for (const char* url :
       {"https://creds.example.com/x", "http://localhost/x", "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/x", "http://[::1]:9/x", "http://127.1.2.3/x"}) {
    env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = url;
    EXPECT_TRUE(Chain(http)->Get().ok()) << url;
  }
  EXPECT_EQ(http.calls().size(), 6u);
}

TEST_F(CredentialsChainTest, ContainerPlainHttpToOtherHostsIsRefused) {
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://creds.example.com/x";
  env_["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "do-not-leak";
  FakeHttpClient http(Unreachable());
  const Result<Credentials> credentials = Chain(http)->Get();
  EXPECT_THAT(credentials, IsErrorWith(StatusCode::kFailedPrecondition, "creds.example.com"));
  EXPECT_THAT(credentials.error().message(), Not(HasSubstr("do-not-leak")));
  EXPECT_TRUE(http.calls().empty());  // nor does the chain go on to instance metadata
}

TEST_F(CredentialsChainTest, ImdsV2TokenFlow) {
  FakeHttpClient http([](const FakeHttpClient::Call& call) -> Result<http::Response> {
    if (call.method == "PUT" && call.target == "/latest/api/token") return Ok("imds-token");
    if (call.target == "/latest/meta-data/iam/security-credentials/") return Ok("my-role\n");
    if (call.target == "/latest/meta-data/iam/security-credentials/my-role") {
      return Ok(CredentialsJson("IMDS", "2024-01-01T06:00:00Z"));
    }
    return http::Response{404, {}, ""};
  });
  const Result<Credentials> credentials = Chain(http)->Get();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "IMDS");
  const std::vector<FakeHttpClient::Call> calls = http.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].endpoint, (http::Endpoint{false, "169.254.169.254", 80, ""}));
  EXPECT_EQ(calls[0].Header("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(calls[1].method, "GET");
  EXPECT_EQ(calls[1].Header("X-aws-ec2-metadata-token"), "imds-token");
  EXPECT_EQ(calls[2].Header("X-aws-ec2-metadata-token"), "imds-token");
  for (const auto& call : calls) EXPECT_EQ(call.timeout, std::chrono::milliseconds(250));
}

TEST_F(CredentialsChainTest, ImdsEndpointFromEnvironment) {
  env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://[fd00:ec2::254]:1338/";
  FakeHttpClient http([](const FakeHttpClient::Call& call) -> Result<http::Response> {
    return http::Response{call.method == "PUT" ? 403 : 200, {}, ""};
  });
  EXPECT_THAT(Chain(http)->Get(), IsErrorWith(StatusCode::kPermissionDenied, "HTTP 403"));
  ASSERT_EQ(http.calls().size(), 1u);
  EXPECT_EQ(http.calls()[0].endpoint, (http::Endpoint{false, "fd00:ec2::254", 1338, ""}));
  EXPECT_EQ(http.calls()[0].target, "/latest/api/token");
}

TEST_F(CredentialsChainTest, ImdsDisabledMeansNoCredentialsAndNoRequests) {
  env_["AWS_EC2_METADATA_DISABLED"] = "True";
  FakeHttpClient http(Unreachable());
  const Result<Credentials> credentials = Chain(http)->Get();
  EXPECT_THAT(credentials, IsError(StatusCode::kUnauthenticated));
  EXPECT_THAT(credentials.error().message(), HasSubstr("disabled by AWS_EC2_METADATA_DISABLED"));
  EXPECT_TRUE(http.calls().empty());
}

TEST_F(CredentialsChainTest, ErrorListsEverySourceWithoutSecrets) {
  env_["AWS_SESSION_TOKEN"] = "lonely-token-secret";
  FakeHttpClient http([](const FakeHttpClient::Call& call) -> Result<http::Response> {
    if (call.method == "PUT") return Ok("imds-token-secret");
    if (call.target.back() == '/') return Ok("role");
    // Truncated JSON that carries a secret: the parse error must not quote it.
    return Ok(R"({"AccessKeyId":"AKID","SecretAccessKey":"json-secret")");
  });
  const Result<Credentials> credentials = Chain(http)->Get();
  ASSERT_FALSE(credentials.ok());
  const std::string& message = credentials.error().message();
  for (const char* source : {"environment:", "shared files:", "container:", "instance metadata:"}) {
    EXPECT_THAT(message, HasSubstr(source));
  }
  for (const char* secret : {"lonely-token-secret", "imds-token-secret", "json-secret", "AKID"}) {
    EXPECT_THAT(message, Not(HasSubstr(secret)));
  }
}

class CachingTest : public CredentialsChainTest {
 protected:
  void SetUp() override {
    CredentialsChainTest::SetUp();
    env_["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/creds";
  }

  // Answers with credentials named after the request count, valid for `lifetime` from now_.
  FakeHttpClient::Handler Serving(std::chrono::minutes lifetime) {
    return [this, lifetime](const FakeHttpClient::Call&) -> Result<http::Response> {
      if (failing_) return http::Response{500, {}, "busy"};
      std::this_thread::sleep_for(delay_);
      const auto expiry = std::chrono::floor<std::chrono::seconds>(now_ + lifetime);
      return Ok(CredentialsJson(fmt::format("KEY{}", ++served_), FormatIso(expiry)));
    };
  }
  static std::string FormatIso(Clock::time_point when) {
    const auto day = std::chrono::floor<std::chrono::days>(when);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{when - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                       time.hours().count(), time.minutes().count(), time.seconds().count());
  }

  bool failing_ = false;
  std::chrono::milliseconds delay_{0};
  std::atomic<int> served_{0};
};

TEST_F(CachingTest, RefreshesOnlyWhenLessThanFiveMinutesRemain) {
  FakeHttpClient http(Serving(std::chrono::minutes(60)));
  auto chain = Chain(http);
  EXPECT_EQ(chain->Get()->access_key_id, "KEY1");
  EXPECT_EQ(chain->Get()->access_key_id, "KEY1");
  now_ += std::chrono::minutes(54);
  EXPECT_EQ(chain->Get()->access_key_id, "KEY1");
  now_ += std::chrono::minutes(2);
  EXPECT_EQ(chain->Get()->access_key_id, "KEY2");
  EXPECT_EQ(chain->Get()->access_key_id, "KEY2");
  EXPECT_EQ(http.calls().size(), 2u);
}

TEST_F(CachingTest, KeepsCurrentCredentialsWhenRefreshFails) {
  FakeHttpClient http(Serving(std::chrono::minutes(10)));
  auto chain = Chain(http);
  EXPECT_EQ(chain->Get()->access_key_id, "KEY1");
  failing_ = true;
  now_ += std::chrono::minutes(6);
  EXPECT_EQ(chain->Get()->access_key_id, "KEY1");  // refresh failed, 4 minutes are left
  EXPECT_EQ(chain->Get()->access_key_id, "KEY1");  // and is not retried at once
  EXPECT_EQ(http.calls().size(), 2u);
  now_ += std::chrono::minutes(1);
  EXPECT_EQ(chain->Get()->access_key_id, "KEY1");
  EXPECT_EQ(http.calls().size(), 3u);
  now_ += std::chrono::minutes(4);  // expired
  EXPECT_THAT(chain->Get(), IsErrorWith(StatusCode::kUnavailable, "HTTP 500"));
  failing_ = false;
  now_ += std::chrono::seconds(1);
  EXPECT_EQ(chain->Get()->access_key_id, "KEY2");
}

TEST_F(CachingTest, ConcurrentCallersShareOneFetch) {
  delay_ = std::chrono::milliseconds(100);
  FakeHttpClient http(Serving(std::chrono::minutes(60)));
  auto chain = Chain(http);
  std::vector<std::thread> threads;
  std::vector<std::string> keys(8);
  threads.reserve(keys.size());
  for (std::string& key : keys) {
    threads.emplace_back(
        [&chain, &key] { key = chain->Get().value_or(Credentials{}).access_key_id; });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(http.calls().size(), 1u);
  EXPECT_THAT(keys, ::testing::Each(std::string("KEY1")));
}

TEST_F(CachingTest, LongTermCredentialsAreNeverRefetched) {
  env_.erase("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  env_["AWS_ACCESS_KEY_ID"] = "A";
  env_["AWS_SECRET_ACCESS_KEY"] = "s";
  FakeHttpClient http(Unreachable());
  auto chain = Chain(http);
  ASSERT_TRUE(chain->Get().ok());
  env_.erase("AWS_ACCESS_KEY_ID");
  now_ += std::chrono::hours(24 * 365);
  EXPECT_EQ(chain->Get()->access_key_id, "A");
}

TEST(StaticCredentialsTest, ReturnsWhatItWasGiven) {
  const auto provider = MakeStaticCredentials({"A", "s", "t", std::nullopt});
  EXPECT_EQ(provider->Get()->session_token, "t");
}

TEST(RegionFromEnvironmentTest, VariablesBeforeConfigFile) {
  std::map<std::string, std::string> env = {{"AWS_DEFAULT_REGION", "eu-west-1"},
                                            {"AWS_REGION", "us-west-2"}};
  const EnvLookup lookup = [&env](std::string_view name) -> std::optional<std::string> {
    const auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  EXPECT_EQ(RegionFromEnvironment(lookup), "us-west-2");
  env.erase("AWS_REGION");
  EXPECT_EQ(RegionFromEnvironment(lookup), "eu-west-1");
  env.clear();
  EXPECT_EQ(RegionFromEnvironment(lookup), std::nullopt);
}

TEST(MetadataParsingTest, Iso8601) {
  EXPECT_EQ(ParseIso8601("2024-01-01T00:00:00Z").value(), kStart);
  EXPECT_EQ(ParseIso8601("2024-01-01T01:30:00.123+01:30").value(), kStart);
  EXPECT_EQ(ParseIso8601("2023-12-31T22:00:00-02:00").value(), kStart);
  for (const char* bad : {"", "2024-01-01", "2024-02-30T00:00:00Z", "2024-01-01T00:00:00",
                          "2024-01-01T24:00:00Z", "2024-01-01T00:00:00+0100"}) {
    EXPECT_FALSE(ParseIso8601(bad).ok()) << bad;
  }
}

TEST(MetadataParsingTest, HttpUrls) {
  EXPECT_EQ(ParseHttpUrl("https://h").value().endpoint, (http::Endpoint{true, "h", 443, ""}));
  EXPECT_EQ(ParseHttpUrl("https://h").value().target, "/");
  EXPECT_EQ(ParseHttpUrl("http://[::1]:81?x#f").value().target, "/?x");
  EXPECT_EQ(ParseHttpUrl("http://[::1]:81?x").value().endpoint.host, "::1");
  for (const char* bad : {"ftp://h/", "http://", "http://u@h/", "http://h:0/", "http://h:99999/",
                          "http://h:/", "http://[::1/"}) {
    EXPECT_FALSE(ParseHttpUrl(bad).ok()) << bad;
  }
}

TEST(MetadataParsingTest, CredentialsJson) {
  EXPECT_THAT(ParseCredentialsJson(R"({"Code":"Failed","Message":"x"})"),
              IsErrorWith(StatusCode::kUnavailable, "Failed"));
  EXPECT_THAT(ParseCredentialsJson("[]"), IsError(StatusCode::kUnavailable));
  const Result<Credentials> long_term =
      ParseCredentialsJson(R"({"AccessKeyId":"A","SecretAccessKey":"S"})");
  ASSERT_TRUE(long_term.ok());
  EXPECT_EQ(long_term->session_token, "");
  EXPECT_FALSE(long_term->expiration.has_value());
}

}  // namespace
}  // namespace o2p::storage::aws
