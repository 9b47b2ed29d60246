#include "o2p/server/ingest_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/compress.h"
#include "support/memory_store.h"
#include "support/otlp_samples.h"

namespace o2p::server {
namespace {

using otlp::Encoding;
using otlp::Signal;
using ::testing::HasSubstr;

std::string Gzip(std::string_view data) { return o2p::testing::CompressGzip(data); }
std::string Zstd(std::string_view data) { return o2p::testing::CompressZstd(data); }

class IngestServiceTest : public ::testing::Test {
 protected:
  IngestServiceTest() : batcher_(BatcherOptions(), store_, &metrics_) {}

  static pipeline::BatcherOptions BatcherOptions() {
    pipeline::BatcherOptions options;
    options.timer_interval = std::chrono::milliseconds(0);
    return options;
  }
  ExportOutcome Export(std::string_view body, Encoding encoding = Encoding::kProtobuf,
                       std::string_view content_encoding = "", std::string_view auth = "") {
    IngestService service(options_, batcher_, metrics_);
    return service.Export({Signal::kLogs, encoding, content_encoding, body, auth, "http"});
  }
  static std::string LogsBody(int records) {
    return o2p::testing::SyntheticLogsRequest(7, records).SerializeAsString();
  }

  IngestOptions options_;
  o2p::testing::MemoryStore store_;
  MetricsRegistry metrics_;
  pipeline::Batcher batcher_;
};

TEST_F(IngestServiceTest, AcceptsAndBuffersRows) {
  const ExportOutcome outcome = Export(LogsBody(10));
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  EXPECT_EQ(outcome.stats.accepted, 10);
  EXPECT_GT(batcher_.held_bytes(), 0u);
  EXPECT_THAT(metrics_.RenderPrometheus(),
              HasSubstr("otlp2parquet_records_total{signal=\"logs\"} 10"));
}

TEST_F(IngestServiceTest, UndoesContentEncoding) {
  const ExportOutcome outcome = Export(Gzip(LogsBody(4)), Encoding::kProtobuf, "gzip");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  EXPECT_EQ(outcome.stats.accepted, 4);
  EXPECT_EQ(Export(LogsBody(1), Encoding::kProtobuf, "identity").stats.accepted, 1);
  EXPECT_EQ(Export(Zstd(LogsBody(3)), Encoding::kProtobuf, "zstd").stats.accepted, 3);
  EXPECT_EQ(Export(Zstd(Gzip(LogsBody(2))), Encoding::kProtobuf, "gzip, zstd").stats.accepted, 2);
  EXPECT_EQ(Export(LogsBody(1), Encoding::kProtobuf, "br").status.code(),
            StatusCode::kUnimplemented);
  EXPECT_EQ(Export("not gzip", Encoding::kProtobuf, "gzip").status.code(),
            StatusCode::kInvalidArgument);
}

TEST_F(IngestServiceTest, DecompressionIsCapped) {
  options_.max_decompressed_bytes = 1 << 20;
  const std::string bomb = Gzip(std::string(size_t{64} << 20, '\0'));
  ASSERT_LT(bomb.size(), 100u << 10);
  const ExportOutcome outcome = Export(bomb, Encoding::kProtobuf, "gzip");
  EXPECT_EQ(outcome.status.code(), StatusCode::kResourceExhausted);
  // An uncompressed body over the cap is refused the same way.
  EXPECT_EQ(Export(std::string((1 << 20) + 1, '\0')).status.code(), StatusCode::kResourceExhausted);
}

TEST_F(IngestServiceTest, MalformedBodiesAreRefusedAndLeaveOtherDataAlone) {
  ASSERT_TRUE(Export(LogsBody(3)).status.ok());
  const size_t held = batcher_.held_bytes();
  const ExportOutcome bad = Export("{\"resourceLogs\": [", Encoding::kJson);
  EXPECT_EQ(bad.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status.message(), HasSubstr("json"));
  EXPECT_EQ(batcher_.held_bytes(), held);
  EXPECT_EQ(batcher_.Shutdown(), 0);
  ASSERT_EQ(store_.objects().size(), 1u);
}

TEST_F(IngestServiceTest, PartialAndTotalRejection) {
  constexpr std::string_view kOneBadSpanId = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
      {"timeUnixNano":"1700000000000000000","body":{"stringValue":"ok"}},
      {"timeUnixNano":"1700000000000000000","spanId":"xyz"}]}]}]})";
  ExportOutcome outcome = Export(kOneBadSpanId, Encoding::kJson);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  EXPECT_EQ(outcome.stats.accepted, 1);
  EXPECT_EQ(outcome.stats.rejected, 1);
  constexpr std::string_view kAllBad = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
      {"timeUnixNano":"1700000000000000000","spanId":"xyz"}]}]}]})";
  outcome = Export(kAllBad, Encoding::kJson);
  EXPECT_EQ(outcome.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.status.message(), HasSubstr("every record was rejected"));
}

TEST_F(IngestServiceTest, BearerToken) {
  options_.auth_token = "s3cret";
  EXPECT_EQ(Export(LogsBody(1)).status.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Export(LogsBody(1), Encoding::kProtobuf, "", "Bearer wrong").status.code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(Export(LogsBody(1), Encoding::kProtobuf, "", "Bearer s3cret").status.code(),
            StatusCode::kOk);
  EXPECT_EQ(Export(LogsBody(1), Encoding::kProtobuf, "", "bearer s3cret").status.code(),
            StatusCode::kOk);
  EXPECT_FALSE(BearerTokenMatches("Bearer s3cret2", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("Basic s3cret", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("s3cret", "s3cret"));
}

TEST_F(IngestServiceTest, OverloadAsksTheClientToRetry) {
  pipeline::BatcherOptions small = BatcherOptions();
  small.max_buffered_bytes = 256 << 10;
  pipeline::Batcher full(small, store_, &metrics_);  // not started: nothing is written
  IngestService service(options_, full, metrics_);
  const std::string body = LogsBody(100);
  ExportOutcome outcome;
  for (int i = 0; i < 100 && outcome.status.ok(); ++i) {
    outcome = service.Export({Signal::kLogs, Encoding::kProtobuf, "", body, "", "grpc"});
  }
  EXPECT_EQ(outcome.status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(outcome.retry_after_seconds, 1);
  EXPECT_THAT(metrics_.RenderPrometheus(),
              HasSubstr("otlp2parquet_requests_total{signal=\"logs\",transport=\"grpc\","
                        "code=\"UNAVAILABLE\"} 1"));
}

TEST_F(IngestServiceTest, RowsLargerThanTheWholeBudgetAreTooLarge) {
  pipeline::BatcherOptions tiny = BatcherOptions();
  tiny.max_buffered_bytes = 1;  // smaller than any request: retrying would never help
  pipeline::Batcher batcher(tiny, store_, &metrics_);
  IngestService service(options_, batcher, metrics_);
  const ExportOutcome outcome =
      service.Export({Signal::kLogs, Encoding::kProtobuf, "", LogsBody(5), "", "http"});
  EXPECT_EQ(outcome.status.code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace o2p::server
