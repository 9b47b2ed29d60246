#include "o2p/server/otlp_response.h"

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rpc_status.pb.h"

namespace o2p::server {
namespace {

using otlp::Encoding;
using otlp::Signal;
using ::testing::HasSubstr;

otlp::ConvertStats Rejected(int64_t n, std::string first) {
  otlp::ConvertStats stats;
  stats.accepted = 5;
  stats.rejected = n;
  stats.first_rejection = std::move(first);
  return stats;
}

TEST(OtlpResponseTest, HttpStatusPerCode) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 413);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnimplemented), 415);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDataLoss), 500);
}

TEST(OtlpResponseTest, FullSuccessIsAnEmptyMessage) {
  EXPECT_EQ(EncodeExportResponse(Signal::kLogs, {}, Encoding::kProtobuf), "");
  EXPECT_EQ(EncodeExportResponse(Signal::kLogs, {}, Encoding::kJson), "{}");
}

TEST(OtlpResponseTest, PartialSuccessParsesWithLibprotobuf) {
  namespace pb = opentelemetry::proto::collector;
  pb::logs::v1::ExportLogsServiceResponse logs;
  ASSERT_TRUE(logs.ParseFromString(
      EncodeExportResponse(Signal::kLogs, Rejected(3, "bad id"), Encoding::kProtobuf)));
  EXPECT_EQ(logs.partial_success().rejected_log_records(), 3);
  EXPECT_EQ(logs.partial_success().error_message(), "bad id");
  pb::trace::v1::ExportTraceServiceResponse traces;
  ASSERT_TRUE(traces.ParseFromString(
      EncodeExportResponse(Signal::kTraces, Rejected(2, "x"), Encoding::kProtobuf)));
  EXPECT_EQ(traces.partial_success().rejected_spans(), 2);
  pb::metrics::v1::ExportMetricsServiceResponse metrics;
  ASSERT_TRUE(metrics.ParseFromString(
      EncodeExportResponse(Signal::kMetrics, Rejected(1, "y"), Encoding::kProtobuf)));
  EXPECT_EQ(metrics.partial_success().rejected_data_points(), 1);
}

TEST(OtlpResponseTest, PartialSuccessAsJson) {
  EXPECT_EQ(EncodeExportResponse(Signal::kTraces, Rejected(2, "span \"a\"\n"), Encoding::kJson),
            R"({"partialSuccess":{"rejectedSpans":"2","errorMessage":"span \"a\"\n"}})");
  EXPECT_EQ(EncodeExportResponse(Signal::kMetrics, Rejected(1, "m"), Encoding::kJsonLines),
            R"({"partialSuccess":{"rejectedDataPoints":"1","errorMessage":"m"}})");
}

TEST(OtlpResponseTest, RpcStatusWithRetryInfo) {
  google::rpc::Status status;
  ASSERT_TRUE(status.ParseFromString(
      EncodeRpcStatus(StatusCode::kUnavailable, "full", Encoding::kProtobuf, 7)));
  EXPECT_EQ(status.code(), 14);
  EXPECT_EQ(status.message(), "full");
  ASSERT_EQ(status.details_size(), 1);
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(status.details(0).UnpackTo(&retry));
  EXPECT_EQ(retry.retry_delay().seconds(), 7);
  EXPECT_EQ(EncodeRpcStatus(StatusCode::kInvalidArgument, "bad \xff", Encoding::kJson),
            "{\"code\":3,\"message\":\"bad \xef\xbf\xbd\",\"details\":[]}");
  EXPECT_EQ(
      EncodeRpcStatus(StatusCode::kUnavailable, "x", Encoding::kJson, 2),
      R"({"code":14,"message":"x","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}]})");
}

TEST(OtlpResponseTest, HttpResponses) {
  ExportOutcome ok;
  ok.stats = Rejected(1, "r");
  http::HttpResponse response = ToHttpResponse(Signal::kLogs, Encoding::kJson, ok);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_THAT(response.body, HasSubstr("rejectedLogRecords"));

  ExportOutcome overloaded{Status::Unavailable("full"), {}, 3};
  response = ToHttpResponse(Signal::kLogs, Encoding::kProtobuf, overloaded);
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.content_type, "application/x-protobuf");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].name, "Retry-After");
  EXPECT_EQ(response.headers[0].value, "3");
  google::rpc::Status status;
  ASSERT_TRUE(status.ParseFromString(response.body));
  EXPECT_EQ(status.message(), "full");

  response = ToHttpResponse(Signal::kLogs, Encoding::kJson,
                            ExportOutcome{Status::InvalidArgument("json: bad at $.x"), {}, 0});
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(response.headers.empty());
  EXPECT_EQ(response.body, R"({"code":3,"message":"json: bad at $.x","details":[]})");
}

TEST(OtlpResponseTest, GrpcReplies) {
  ExportOutcome ok;
  grpc::GrpcReply reply = ToGrpcReply(Signal::kTraces, ok);
  EXPECT_EQ(reply.code, StatusCode::kOk);
  EXPECT_EQ(reply.response, "");
  reply = ToGrpcReply(Signal::kTraces, ExportOutcome{Status::Unavailable("busy"), {}, 2});
  EXPECT_EQ(reply.code, StatusCode::kUnavailable);
  EXPECT_EQ(reply.message, "busy");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(reply.details));
  EXPECT_EQ(details.code(), 14);
  reply = ToGrpcReply(Signal::kTraces, ExportOutcome{Status::Internal("bug"), {}, 0});
  EXPECT_EQ(reply.code, StatusCode::kInternal);
  EXPECT_TRUE(reply.details.empty());
  reply = ToGrpcReply(Signal::kTraces, ExportOutcome{Status::ResourceExhausted("big"), {}, 0});
  EXPECT_EQ(reply.code, StatusCode::kResourceExhausted);
  EXPECT_TRUE(reply.details.empty());  // no RetryInfo: clients must not retry it
}

}  // namespace
}  // namespace o2p::server
