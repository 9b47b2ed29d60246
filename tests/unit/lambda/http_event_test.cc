#include "o2p/lambda/http_event.h"

#include <array>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/base/text_codec.h"
#include "support/matchers.h"

namespace o2p::lambda {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsOk;
using ::testing::HasSubstr;

constexpr size_t kMax = 1024;

TEST(ParseHttpEventTest, FunctionUrlPayload20WithABase64Body) {
  const std::string event = R"({"version":"2.0","routeKey":"$default","rawPath":"/v1/logs",
    "headers":{"content-type":"application/x-protobuf","Content-Encoding":"gzip"},
    "requestContext":{"http":{"method":"post","path":"/v1/logs"}},
    "body":")" + ToBase64(std::string("\x1f\x8b\x00binary", 9)) +
                            R"(","isBase64Encoded":true})";
  auto parsed = ParseHttpEvent(event, kMax);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->format, PayloadFormat::kV2);
  EXPECT_EQ(parsed->method, "POST");
  EXPECT_EQ(parsed->path, "/v1/logs");
  EXPECT_EQ(parsed->Header("content-type"), "application/x-protobuf");
  EXPECT_EQ(parsed->Header("content-encoding"), "gzip");  // names lower-cased
  EXPECT_EQ(parsed->body, std::string("\x1f\x8b\x00binary", 9));
}

TEST(ParseHttpEventTest, RestApiPayload10PrefersMultiValueHeaders) {
  const std::string event = R"({"resource":"/{proxy+}","path":"/prod/v1/traces",
    "httpMethod":"POST","headers":{"Content-Type":"application/json","X-A":"2"},
    "multiValueHeaders":{"Content-Type":["application/json"],"X-A":["1","2"]},
    "isBase64Encoded":false,"body":"{\"resourceSpans\":[]}"})";
  auto parsed = ParseHttpEvent(event, kMax);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->format, PayloadFormat::kV1);
  EXPECT_EQ(parsed->path, "/prod/v1/traces");
  EXPECT_EQ(parsed->Header("x-a"), "1, 2");
  EXPECT_EQ(parsed->body, R"({"resourceSpans":[]})");
}

TEST(ParseHttpEventTest, ClearErrorsForWhatIsNotAnHttpEvent) {
  EXPECT_THAT(ParseHttpEvent("not json", kMax), IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseHttpEvent("[1]", kMax), IsError(StatusCode::kInvalidArgument));
  auto scheduled =
      ParseHttpEvent(R"({"source":"aws.events","detail-type":"Scheduled Event"})", kMax);
  ASSERT_THAT(scheduled, IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(scheduled.error().message(), HasSubstr("not an HTTP request"));
}

// A bad body still makes an HTTP event: the function answers 400 or 413 in the event's format.
TEST(ParseHttpEventTest, BodyProblemsAreReportedWithTheEvent) {
  auto not_string = ParseHttpEvent(R"({"httpMethod":"POST","path":"/v1/logs","body":5})", kMax);
  ASSERT_THAT(not_string, IsOk());
  EXPECT_EQ(not_string->body_status.code(), StatusCode::kInvalidArgument);
  auto bad_base64 = ParseHttpEvent(
      R"({"version":"2.0","rawPath":"/v1/logs","requestContext":{"http":{"method":"POST"}},)"
      R"("body":"%%%","isBase64Encoded":true})",
      kMax);
  ASSERT_THAT(bad_base64, IsOk());
  EXPECT_EQ(bad_base64->format, PayloadFormat::kV2);
  EXPECT_EQ(bad_base64->body_status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_base64->body_status.message(), HasSubstr("base64"));
}

TEST(ParseHttpEventTest, OversizedBodiesAreRefusedBeforeDecoding) {
  auto body_code = [](const std::string& event) {
    auto parsed = ParseHttpEvent(event, kMax);
    return parsed.ok() ? parsed->body_status.code() : StatusCode::kInternal;
  };
  const std::string big(2000, 'A');  // 1500 bytes once decoded
  EXPECT_EQ(body_code(R"({"httpMethod":"POST","path":"/v1/logs","isBase64Encoded":true,"body":")" +
                      big + R"("})"),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(body_code(R"({"httpMethod":"POST","path":"/v1/logs","body":")" +
                      std::string(kMax + 1, 'x') + R"("})"),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(body_code(R"({"httpMethod":"POST","path":"/v1/logs","body":")" +
                      std::string(kMax, 'x') + R"("})"),
            StatusCode::kOk);
}

TEST(HttpResponseJsonTest, BinaryBodiesGoAsBase64) {
  HttpResult result{
      200, {{"Content-Type", "application/x-protobuf"}}, std::string("\0\1", 2), true};
  const std::string v2 = HttpResponseJson(PayloadFormat::kV2, result);
  EXPECT_THAT(v2, HasSubstr(R"("statusCode":200)"));
  EXPECT_THAT(v2, HasSubstr(R"("body":"AAE=")"));
  EXPECT_THAT(v2, HasSubstr(R"("isBase64Encoded":true)"));
  EXPECT_THAT(v2, ::testing::Not(HasSubstr("multiValueHeaders")));
  const std::string v1 = HttpResponseJson(
      PayloadFormat::kV1, HttpResult{400, {{"Content-Type", "application/json"}}, "{}", false});
  EXPECT_THAT(v1, HasSubstr(R"("statusCode":400)"));
  EXPECT_THAT(v1, HasSubstr(R"("body":"{}")"));
  EXPECT_THAT(v1, HasSubstr(R"("multiValueHeaders":{})"));
}

TEST(MatchRouteTest, StagePrefixesAndTrailingSlashes) {
  constexpr std::array<std::string_view, 4> kRoutes = {"/v1/logs", "/v1/traces", "/v1/metrics",
                                                       "/health"};
  EXPECT_EQ(MatchRoute("/v1/logs", kRoutes), "/v1/logs");
  EXPECT_EQ(MatchRoute("/prod/v1/logs", kRoutes), "/v1/logs");
  EXPECT_EQ(MatchRoute("/a/b/v1/metrics/", kRoutes), "/v1/metrics");
  EXPECT_EQ(MatchRoute("/health", kRoutes), "/health");
  EXPECT_EQ(MatchRoute("/xv1/logs", kRoutes), "");
  EXPECT_EQ(MatchRoute("/v1/logs/extra", kRoutes), "");
  EXPECT_EQ(MatchRoute("/", kRoutes), "");
}

}  // namespace
}  // namespace o2p::lambda
