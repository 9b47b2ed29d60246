#include "o2p/iceberg/rest/rest_transport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/matchers.h"
#include "support/scripted_http_client.h"

namespace o2p::iceberg::rest {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsOk;
using ::o2p::testing::ScriptedHttpClient;
using ::testing::HasSubstr;
using ::testing::StartsWith;

storage::RetryPolicy NoSleep() {
  storage::RetryPolicy policy;
  policy.sleep = [](std::chrono::milliseconds) {};
  return policy;
}

class RestTransportTest : public ::testing::Test {
 protected:
  std::unique_ptr<RestTransport> Make(RestTransportOptions options) {
    options.retry = NoSleep();
    auto transport = RestTransport::Make(options, http_, credentials_.get());
    EXPECT_THAT(transport, IsOk());
    return transport.ok() ? std::move(*transport) : nullptr;
  }
  ScriptedHttpClient http_;
  std::unique_ptr<storage::aws::CredentialsProvider> credentials_ =
      storage::aws::MakeStaticCredentials({.access_key_id = "AKID",
                                           .secret_access_key = "secret",
                                           .session_token = "",
                                           .expiration = std::nullopt});
};

TEST(RestTransportHelpers, DetectsAwsCatalogHosts) {
  EXPECT_EQ(DetectAwsSigning("glue.us-east-1.amazonaws.com"),
            (std::pair<std::string, std::string>{"glue", "us-east-1"}));
  EXPECT_EQ(DetectAwsSigning("s3tables.eu-west-2.amazonaws.com"),
            (std::pair<std::string, std::string>{"s3tables", "eu-west-2"}));
  EXPECT_EQ(DetectAwsSigning("glue.cn-north-1.amazonaws.com.cn").first, "glue");
  EXPECT_EQ(DetectAwsSigning("catalog.example.com").first, "");
  EXPECT_EQ(DetectAwsSigning("glue.us-east-1.example.com").first, "");
}

TEST(RestTransportHelpers, EncodesNamespaces) {
  EXPECT_EQ(EncodeNamespace({"otel"}), "otel");
  EXPECT_EQ(EncodeNamespace({"prod", "otel data"}), "prod%1Fotel%20data");
  EXPECT_EQ(EncodeNamespace({"a", "b"}, "."), "a.b");
}

TEST_F(RestTransportTest, GlueUriIsSignedWithTheDetectedServiceAndBasePath) {
  auto transport = Make({.uri = "https://glue.us-west-2.amazonaws.com/iceberg"});
  ASSERT_NE(transport, nullptr);
  EXPECT_EQ(transport->AuthDescription(), "glue/us-west-2 SigV4");
  ASSERT_THAT(transport->Call("POST", "catalogs/123/namespaces", "{}", false), IsOk());
  const auto sent = http_.sent().at(0);
  EXPECT_TRUE(sent.endpoint.tls);
  EXPECT_EQ(sent.target, "/iceberg/v1/catalogs/123/namespaces");
  EXPECT_THAT(sent.Header("Authorization"), HasSubstr("/us-west-2/glue/aws4_request"));
  EXPECT_EQ(sent.Header("Content-Type"), "application/json");
  EXPECT_THAT(sent.Header("Authorization"), HasSubstr("SignedHeaders=content-type;host;x-amz-date"));
}

TEST_F(RestTransportTest, SigningNeedsARegion) {
  RestTransportOptions options{.uri = "http://127.0.0.1:8181", .signing_name = "glue"};
  EXPECT_THAT(RestTransport::Make(options, http_, credentials_.get()),
              IsError(StatusCode::kInvalidArgument));
}

TEST_F(RestTransportTest, BearerToken) {
  auto transport = Make({.uri = "http://127.0.0.1:8181", .token = "tok"});
  ASSERT_THAT(transport->Call("GET", "config", "", true), IsOk());
  EXPECT_EQ(http_.sent().at(0).Header("Authorization"), "Bearer tok");
  EXPECT_EQ(http_.sent().at(0).target, "/v1/config");
}

TEST_F(RestTransportTest, OAuth2FetchesCachesAndRefreshesAfter401) {
  auto transport = Make({.uri = "http://127.0.0.1:8181", .credential = "id:s e/cret"});
  http_.ThenStatus(200, R"({"access_token":"t1","token_type":"bearer","expires_in":3600})");
  http_.ThenStatus(200, "{}");
  http_.ThenStatus(200, "{}");
  http_.ThenStatus(401, "{}");
  http_.ThenStatus(200, R"({"access_token":"t2","token_type":"bearer","expires_in":3600})");
  http_.ThenStatus(200, "{}");
  ASSERT_THAT(transport->Call("GET", "config", "", true), IsOk());
  ASSERT_THAT(transport->Call("GET", "config", "", true), IsOk());
  auto third = transport->Call("GET", "config", "", true);
  ASSERT_THAT(third, IsOk());
  EXPECT_EQ(third->status, 200);
  const auto sent = http_.sent();
  ASSERT_EQ(sent.size(), 6U);
  EXPECT_EQ(sent[0].target, "/v1/oauth/tokens");
  EXPECT_EQ(sent[0].body, "grant_type=client_credentials&client_id=id&client_secret=s%20e%2Fcret"
                          "&scope=catalog");
  EXPECT_EQ(sent[1].Header("Authorization"), "Bearer t1");
  EXPECT_EQ(sent[2].Header("Authorization"), "Bearer t1");
  EXPECT_EQ(sent[4].target, "/v1/oauth/tokens");
  EXPECT_EQ(sent[5].Header("Authorization"), "Bearer t2");
}

TEST_F(RestTransportTest, IdempotentCallsAreRetriedCommitsAreNot) {
  auto transport = Make({.uri = "http://127.0.0.1:8181"});
  http_.ThenStatus(503, "{}");
  http_.Then(Status::Unavailable("reset"));
  http_.ThenStatus(200, "{\"ok\":1}");
  auto loaded = transport->Call("GET", "namespaces/otel/tables/logs", "", true);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->body, "{\"ok\":1}");
  EXPECT_EQ(http_.sent().size(), 3U);

  http_.ThenStatus(503, "{}");
  auto commit = transport->Call("POST", "namespaces/otel/tables/logs", "{}", false);
  ASSERT_THAT(commit, IsOk());
  EXPECT_EQ(commit->status, 503);
  http_.Then(Status(StatusCode::kDeadlineExceeded, "timeout"));
  EXPECT_THAT(transport->Call("POST", "namespaces/otel/tables/logs", "{}", false),
              IsError(StatusCode::kDeadlineExceeded));
  EXPECT_EQ(http_.sent().size(), 5U);
}

}  // namespace
}  // namespace o2p::iceberg::rest
