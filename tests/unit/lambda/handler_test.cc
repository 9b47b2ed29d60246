#include "o2p/lambda/handler.h"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/base/text_codec.h"
#include "support/matchers.h"
#include "support/memory_store.h"

namespace o2p::lambda {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace json = boost::json;

constexpr std::string_view kTwoLogs =
    R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":)"
    R"({"stringValue":"checkout"}}]},"scopeLogs":[{"logRecords":[)"
    R"({"timeUnixNano":"1733400000000000000","body":{"stringValue":"a"}},)"
    R"({"timeUnixNano":"1733400001000000000","body":{"stringValue":"b"}}]}]}]})";

std::string V2Event(std::string_view method, std::string_view path, std::string_view content_type,
                    std::string_view body, bool base64 = false) {
  json::object event;
  event["version"] = "2.0";
  event["rawPath"] = path;
  event["requestContext"] = {{"http", {{"method", method}}}};
  event["headers"] = {{"content-type", content_type}};
  event["body"] = base64 ? ToBase64(body) : std::string(body);
  event["isBase64Encoded"] = base64;
  return json::serialize(event);
}

// Records the epochs it is asked to commit.
class RecordingCommitter final : public pipeline::FileCommitter {
 public:
  pipeline::FileLayout LayoutFor(std::string_view) const override { return {}; }
  Status Commit(uint64_t epoch, std::span<const pipeline::WrittenFile> files) override {
    epochs.push_back(epoch);
    files_committed += files.size();
    return Status::Ok();
  }
  std::vector<uint64_t> epochs;
  size_t files_committed = 0;
};

std::chrono::system_clock::time_point In(std::chrono::milliseconds time) {
  return std::chrono::system_clock::now() + time;
}
std::chrono::system_clock::time_point InASecond() { return In(std::chrono::seconds(1)); }

class InvocationHandlerTest : public ::testing::Test {
 protected:
  InvocationHandler MakeHandler(size_t max_body = size_t{6} << 20) {
    HandlerOptions options;
    options.max_body_bytes = max_body;
    options.answer_margin = std::chrono::milliseconds(0);
    options.batcher.timer_interval = std::chrono::milliseconds::zero();
    options.batcher.retry_initial = std::chrono::milliseconds(1);
    options.batcher.retry_max = std::chrono::milliseconds(2);
    options.batcher.shutdown_attempts = 1;
    return InvocationHandler(
        options,
        [this]() -> Result<Sink> {
          ++opens_;
          if (!open_error_.ok()) return open_error_;
          return Sink{&store_, committer_};
        },
        metrics_);
  }

  json::object Answer(InvocationHandler& handler, const std::string& event,
                      std::chrono::milliseconds time_left = std::chrono::seconds(5)) {
    auto handled = handler.Handle(event, In(time_left));
    EXPECT_THAT(handled, IsOk());
    if (!handled.ok()) return {};
    json::object answer = json::parse(handled->response).as_object();
    EXPECT_EQ(answer["statusCode"].as_int64(), handled->status);
    return answer;
  }

  testing::MemoryStore store_;
  MetricsRegistry metrics_;
  Status open_error_;
  pipeline::FileCommitter* committer_ = nullptr;
  int opens_ = 0;
};

TEST_F(InvocationHandlerTest, ExportIsStoredBeforeTheAnswer) {
  InvocationHandler handler = MakeHandler();
  json::object answer = Answer(handler, V2Event("POST", "/v1/logs", "application/json", kTwoLogs));
  EXPECT_EQ(answer["statusCode"].as_int64(), 200);
  EXPECT_EQ(answer["headers"].as_object()["x-otlp2parquet-rows"].as_string(), "2");
  EXPECT_EQ(answer["isBase64Encoded"].as_bool(), false);
  ASSERT_EQ(store_.objects().size(), 1u);
  EXPECT_THAT(store_.objects().begin()->first, StartsWith("logs/service_name=checkout/"));
  // Warm: the sink is opened once and reused; each invocation writes its own file.
  Answer(handler, V2Event("POST", "/prod/v1/logs", "application/json", kTwoLogs));
  EXPECT_EQ(store_.objects().size(), 2u);
  EXPECT_EQ(opens_, 1);
}

// Regression: every invocation's Batcher starts at the same epoch, and the Iceberg committer
// treats a repeated commit id as done, so warm invocations were stored but never committed.
TEST_F(InvocationHandlerTest, EachInvocationCommitsUnderItsOwnEpoch) {
  RecordingCommitter committer;
  committer_ = &committer;
  InvocationHandler handler = MakeHandler();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        Answer(handler, V2Event("POST", "/v1/logs", "application/json", kTwoLogs))["statusCode"]
            .as_int64(),
        200);
  }
  ASSERT_EQ(committer.epochs.size(), 3u);
  EXPECT_NE(committer.epochs[0], committer.epochs[1]);
  EXPECT_NE(committer.epochs[1], committer.epochs[2]);
  EXPECT_EQ(committer.files_committed, 3u);
}

TEST_F(InvocationHandlerTest, ProtobufAnswersAreBase64) {
  InvocationHandler handler = MakeHandler();
  json::object answer =
      Answer(handler, V2Event("POST", "/v1/traces", "application/x-protobuf", "", true));
  EXPECT_EQ(answer["statusCode"].as_int64(), 200);
  EXPECT_EQ(answer["headers"].as_object()["content-type"].as_string(), "application/x-protobuf");
  EXPECT_EQ(answer["isBase64Encoded"].as_bool(), true);
  answer = Answer(handler, V2Event("POST", "/v1/logs", "application/x-protobuf",
                                   std::string("\x0a\x05garbage", 9), true));
  EXPECT_EQ(answer["statusCode"].as_int64(), 400);
  EXPECT_EQ(answer["isBase64Encoded"].as_bool(), true);
}

TEST_F(InvocationHandlerTest, HttpErrorsKeepTheServersStatusCodes) {
  InvocationHandler handler = MakeHandler(/*max_body=*/64);
  EXPECT_EQ(Answer(handler, V2Event("GET", "/health", "", ""))["statusCode"].as_int64(), 200);
  EXPECT_EQ(Answer(handler, V2Event("POST", "/v2/logs", "application/json", "{}"))["statusCode"]
                .as_int64(),
            404);
  json::object wrong_method = Answer(handler, V2Event("GET", "/v1/logs", "", ""));
  EXPECT_EQ(wrong_method["statusCode"].as_int64(), 405);
  EXPECT_EQ(wrong_method["headers"].as_object()["allow"].as_string(), "POST");
  EXPECT_EQ(
      Answer(handler, V2Event("POST", "/v1/logs", "text/csv", "a,b"))["statusCode"].as_int64(),
      415);
  EXPECT_EQ(Answer(handler, V2Event("POST", "/v1/logs", "application/json",
                                    std::string(100, ' ')))["statusCode"]
                .as_int64(),
            413);
  const std::string bad_base64 =
      R"({"version":"2.0","rawPath":"/v1/logs","requestContext":{"http":{"method":"POST"}},)"
      R"("headers":{"content-type":"application/json"},"body":"%%%","isBase64Encoded":true})";
  EXPECT_EQ(Answer(handler, bad_base64)["statusCode"].as_int64(), 400);
  EXPECT_TRUE(store_.objects().empty());
}

TEST_F(InvocationHandlerTest, NonHttpEventsAreInvocationErrors) {
  InvocationHandler handler = MakeHandler();
  EXPECT_THAT(handler.Handle(R"({"detail-type":"Scheduled Event"})", InASecond()),
              IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(handler.Handle("not json", InASecond()), IsError(StatusCode::kInvalidArgument));
}

TEST_F(InvocationHandlerTest, AnOutputThatCannotOpenAnswers503AndIsRetried) {
  InvocationHandler handler = MakeHandler();
  open_error_ = Status::Unavailable("catalog down");
  json::object answer = Answer(handler, V2Event("POST", "/v1/logs", "application/json", kTwoLogs));
  EXPECT_EQ(answer["statusCode"].as_int64(), 503);
  EXPECT_EQ(answer["headers"].as_object()["retry-after"].as_string(), "1");
  EXPECT_THAT(std::string(answer["body"].as_string()), HasSubstr("catalog down"));
  open_error_ = Status::Ok();
  EXPECT_EQ(Answer(handler, V2Event("POST", "/v1/logs", "application/json", kTwoLogs))["statusCode"]
                .as_int64(),
            200);
  EXPECT_EQ(opens_, 2);
}

TEST_F(InvocationHandlerTest, RowsNotStoredInTimeAreNotAcknowledged) {
  InvocationHandler handler = MakeHandler();
  store_.FailAlways(true);
  json::object answer = Answer(handler, V2Event("POST", "/v1/logs", "application/json", kTwoLogs),
                               std::chrono::milliseconds(200));
  EXPECT_EQ(answer["statusCode"].as_int64(), 503);
  EXPECT_TRUE(answer["headers"].as_object().contains("retry-after"));
  EXPECT_FALSE(answer["headers"].as_object().contains("x-otlp2parquet-rows"));
  // The answer came by the deadline although a write was still being retried; the next
  // export goes on normally, and its rows alone are stored (the 503'd ones are resent by the
  // client, not kept here).
  store_.FailAlways(false);
  json::object next = Answer(handler, V2Event("POST", "/v1/logs", "application/json", kTwoLogs));
  EXPECT_EQ(next["statusCode"].as_int64(), 200);
  EXPECT_EQ(next["headers"].as_object()["x-otlp2parquet-rows"].as_string(), "2");
}

}  // namespace
}  // namespace o2p::lambda
