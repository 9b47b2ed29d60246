#include "o2p/otlp/signal.h"

#include <gtest/gtest.h>

#include "o2p/otlp/export_request.h"
#include "o2p/otlp/input_format.h"

namespace o2p::otlp {
namespace {

TEST(SignalTest, ContentTypesMapToEncodings) {
  EXPECT_EQ(EncodingFromContentType("application/x-protobuf"), Encoding::kProtobuf);
  EXPECT_EQ(EncodingFromContentType(""), Encoding::kProtobuf);
  EXPECT_EQ(EncodingFromContentType("Application/JSON; charset=utf-8"), Encoding::kJson);
  EXPECT_EQ(EncodingFromContentType("application/x-ndjson"), Encoding::kJsonLines);
  EXPECT_EQ(EncodingFromContentType("application/jsonl"), Encoding::kJsonLines);
  EXPECT_EQ(EncodingFromContentType("text/plain"), std::nullopt);
}

TEST(SignalTest, ContentEncodingTokens) {
  EXPECT_EQ(CompressionFromToken(" GZIP "), Compression::kGzip);
  EXPECT_EQ(CompressionFromToken("x-gzip"), Compression::kGzip);
  EXPECT_EQ(CompressionFromToken("identity"), Compression::kNone);
  EXPECT_EQ(CompressionFromToken("zstd"), Compression::kZstd);
  EXPECT_EQ(CompressionFromToken("deflate"), Compression::kDeflate);
  EXPECT_EQ(CompressionFromToken("br"), std::nullopt);
}

TEST(SignalTest, TableNamesRoundTrip) {
  for (Table t : kAllTables) EXPECT_EQ(ParseTable(TableName(t)), t);
  EXPECT_EQ(TableName(Table::kMetricsExponentialHistogram), "metrics_exponential_histogram");
  EXPECT_EQ(SignalOfTable(Table::kMetricsSummary), Signal::kMetrics);
  EXPECT_EQ(ParseSignal("traces"), Signal::kTraces);
  EXPECT_EQ(ParseSignal("spans"), std::nullopt);
}

TEST(InputFormatTest, FileNamesTellEncodingCompressionAndSignal) {
  auto f = InputFormatFromPath("/tmp/x/my-logs.pb.gz");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->encoding, Encoding::kProtobuf);
  EXPECT_EQ(f->compression, Compression::kGzip);
  EXPECT_EQ(f->signal, Signal::kLogs);
  f = InputFormatFromPath("Metrics.NDJSON.zst");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->encoding, Encoding::kJsonLines);
  EXPECT_EQ(f->compression, Compression::kZstd);
  EXPECT_EQ(f->signal, Signal::kMetrics);
  f = InputFormatFromPath("dump.json");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->signal, std::nullopt);
  EXPECT_FALSE(InputFormatFromPath("traces.csv").has_value());
}

TEST(InputFormatTest, SniffsJsonSignal) {
  EXPECT_EQ(SniffJsonSignal(R"( {"resourceSpans": []})"), Signal::kTraces);
  EXPECT_EQ(SniffJsonSignal(R"({"resource_metrics": []})"), Signal::kMetrics);
  EXPECT_EQ(SniffJsonSignal(R"({"other": []})"), std::nullopt);
  EXPECT_EQ(SniffJsonSignal(""), std::nullopt);
}

}  // namespace
}  // namespace o2p::otlp
