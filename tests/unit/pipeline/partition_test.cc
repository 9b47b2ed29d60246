#include "o2p/pipeline/partition.h"

#include <gtest/gtest.h>

#include "o2p/pipeline/partition_buffers.h"

namespace o2p::pipeline {
namespace {

using columnar::Field;

columnar::SchemaPtr TestSchema() {
  return std::make_shared<const columnar::Schema>(
      std::vector<Field>{Field{"Timestamp", columnar::Timestamp(), false, 1},
                         Field{"ServiceName", columnar::String(), false, 2},
                         Field{"Body", columnar::String(), true, 3}},
      std::vector<std::pair<std::string, std::string>>{{"otlp2parquet.table", "logs"}});
}

void AddRow(columnar::RecordBatch* batch, int64_t micros, std::string_view service) {
  batch->column_as<columnar::Int64Column>(0)->Append(micros);
  batch->column_as<columnar::StringColumn>(1)->Append(service);
  batch->column_as<columnar::StringColumn>(2)->Append(std::to_string(micros));
  batch->FinishRow();
}

constexpr int64_t kHour = kMicrosPerHour;
constexpr int64_t k20241125T13 = 1732539600LL * 1000 * 1000;  // 2024-11-25T13:00:00Z

TEST(PartitionTest, EscapesServiceNames) {
  EXPECT_EQ(EscapeServiceName("checkout-api_v2.1"), "checkout-api_v2.1");
  EXPECT_EQ(EscapeServiceName(""), "unknown");
  EXPECT_EQ(EscapeServiceName("a/b"), "a%2Fb");
  EXPECT_EQ(EscapeServiceName("../etc"), "..%2Fetc");
  EXPECT_EQ(EscapeServiceName(".."), "%2E%2E");
  EXPECT_EQ(EscapeServiceName("."), "%2E");
  EXPECT_EQ(EscapeServiceName("100%"), "100%25");
  EXPECT_EQ(EscapeServiceName("caf\xc3\xa9 svc"), "caf%C3%A9%20svc");
  // Distinct names stay distinct: '%' itself is escaped.
  EXPECT_NE(EscapeServiceName("a%2Fb"), EscapeServiceName("a/b"));
}

TEST(PartitionTest, FilePathFollowsTheLayout) {
  const PartitionKey key{"checkout", k20241125T13 / kHour};
  EXPECT_EQ(PartitionFilePath("logs", key, k20241125T13 + 123, "0123456789abcdef0123456789abcdef"),
            "logs/service_name=checkout/year=2024/month=11/day=25/hour=13/"
            "1732539600000123000-0123456789abcdef0123456789abcdef.parquet");
  const PartitionKey epoch{"", 0};
  EXPECT_EQ(PartitionFilePath("traces", epoch, 0, "x"),
            "traces/service_name=unknown/year=1970/month=01/day=01/hour=00/0-x.parquet");
  // fuzz/regressions/http_request/timestamp_near_2_64_ns: the largest OTLP timestamp
  // (2^64 - 1 ns) in microseconds; its nanoseconds do not fit in int64.
  const int64_t max_micros = 18446744073709551;
  const PartitionKey late{"s", max_micros / kHour};
  const std::string path = PartitionFilePath("logs", late, max_micros, "x");
  EXPECT_TRUE(path.ends_with("/18446744073709551000-x.parquet")) << path;
}

TEST(PartitionTest, SplitsByServiceAndHour) {
  auto batch = columnar::RecordBatch::Make(TestSchema());
  AddRow(batch.get(), k20241125T13 + 5, "a");
  AddRow(batch.get(), k20241125T13 + kHour, "a");  // next hour
  AddRow(batch.get(), k20241125T13 + 1, "b");
  AddRow(batch.get(), k20241125T13 + 2, "a");
  auto parts = SplitByPartition(*batch);
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts->size(), 3U);
  EXPECT_EQ((*parts)[0].key.service, "a");
  EXPECT_EQ((*parts)[0].rows, (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ((*parts)[0].min_timestamp_micros, k20241125T13 + 2);
  EXPECT_EQ((*parts)[1].key.hour, k20241125T13 / kHour + 1);
  EXPECT_EQ((*parts)[2].key.service, "b");
  EXPECT_EQ(TableNameOf(*batch->schema()), "logs");
}

TEST(PartitionTest, BuffersGatherRowsPerPartition) {
  PartitionBuffers buffers;
  for (int round = 0; round < 3; ++round) {
    auto batch = columnar::RecordBatch::Make(TestSchema());
    AddRow(batch.get(), k20241125T13 + round, "a");
    AddRow(batch.get(), k20241125T13 + round, "b");
    ASSERT_TRUE(buffers.Add(*batch).ok());
  }
  EXPECT_TRUE(buffers.TakeFull(4, size_t{1} << 30).empty());
  auto all = buffers.TakeAll();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].table, "logs");
  EXPECT_EQ(all[0].key.service, "a");
  EXPECT_EQ(all[0].batch->num_rows(), 3U);
  EXPECT_TRUE(all[0].batch->Validate().ok());
  EXPECT_EQ(all[1].min_timestamp_micros, k20241125T13);
  EXPECT_TRUE(buffers.empty());
}

TEST(PartitionTest, RejectsBatchesWithoutPartitionColumns) {
  auto schema = std::make_shared<const columnar::Schema>(
      std::vector<Field>{Field{"X", columnar::Int32(), false, 1}});
  auto batch = columnar::RecordBatch::Make(schema);
  EXPECT_FALSE(SplitByPartition(*batch).has_value());
}

}  // namespace
}  // namespace o2p::pipeline
