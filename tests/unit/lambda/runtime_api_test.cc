#include "o2p/lambda/runtime_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/matchers.h"
#include "support/scripted_http_client.h"

namespace o2p::lambda {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsOk;
using ::testing::HasSubstr;

TEST(RuntimeApiTest, NextReadsTheInvocationHeaders) {
  testing::ScriptedHttpClient http;
  http.ThenStatus(200, R"({"rawPath":"/v1/logs"})",
                  {{"Lambda-Runtime-Aws-Request-Id", "req-1"},
                   {"Lambda-Runtime-Deadline-Ms", "1733400000123"},
                   {"Lambda-Runtime-Trace-Id", "Root=1-abc"}});
  auto api = RuntimeApi::Open("127.0.0.1:9001", http);
  ASSERT_THAT(api, IsOk());
  auto invocation = api->Next();
  ASSERT_THAT(invocation, IsOk());
  EXPECT_EQ(invocation->request_id, "req-1");
  EXPECT_EQ(invocation->event, R"({"rawPath":"/v1/logs"})");
  EXPECT_EQ(invocation->trace_id, "Root=1-abc");
  EXPECT_EQ(invocation->deadline.time_since_epoch(), std::chrono::milliseconds(1733400000123));
  const auto sent = http.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].target, "/2018-06-01/runtime/invocation/next");
  EXPECT_EQ(sent[0].timeout, std::chrono::milliseconds::zero());  // a long poll
  EXPECT_EQ(sent[0].endpoint.port, 9001);
}

TEST(RuntimeApiTest, AnswersGoToTheirInvocation) {
  testing::ScriptedHttpClient http;
  auto api = RuntimeApi::Open("localhost:9001", http);
  ASSERT_THAT(api, IsOk());
  http.ThenStatus(202);
  EXPECT_THAT(api->PostResponse("req-1", R"({"statusCode":200})"), IsOk());
  http.ThenStatus(202);
  EXPECT_THAT(api->PostError("req-2", "Runtime.InvalidEvent", "not HTTP"), IsOk());
  http.ThenStatus(202);
  EXPECT_THAT(api->PostInitError("Runtime.ConfigError", "no output"), IsOk());
  const auto sent = http.sent();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].target, "/2018-06-01/runtime/invocation/req-1/response");
  EXPECT_EQ(sent[0].body, R"({"statusCode":200})");
  EXPECT_EQ(sent[1].target, "/2018-06-01/runtime/invocation/req-2/error");
  EXPECT_EQ(sent[1].Header("Lambda-Runtime-Function-Error-Type"), "Runtime.InvalidEvent");
  EXPECT_THAT(sent[1].body, HasSubstr(R"("errorType":"Runtime.InvalidEvent")"));
  EXPECT_EQ(sent[2].target, "/2018-06-01/runtime/init/error");
}

TEST(RuntimeApiTest, ProblemsAreErrors) {
  testing::ScriptedHttpClient http;
  EXPECT_THAT(RuntimeApi::Open("", http), IsError(StatusCode::kInvalidArgument));
  auto api = RuntimeApi::Open("127.0.0.1:9001", http);
  ASSERT_THAT(api, IsOk());
  http.ThenStatus(200, "{}");  // no request id
  EXPECT_THAT(api->Next(), IsError(StatusCode::kInternal));
  http.Then(Status::Unavailable("connection refused"));
  EXPECT_THAT(api->Next(), IsError(StatusCode::kUnavailable));
  http.ThenStatus(413, "too big");
  EXPECT_THAT(api->PostResponse("req-1", "x"), IsError(StatusCode::kInternal));
}

}  // namespace
}  // namespace o2p::lambda
