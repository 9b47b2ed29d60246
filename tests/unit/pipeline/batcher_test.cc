#include "o2p/pipeline/batcher.h"

#include <atomic>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/memory_store.h"

namespace o2p::pipeline {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr int64_t k20241125T13 = 1732539600LL * 1000 * 1000;  // micros

columnar::SchemaPtr LogsLikeSchema() {
  using columnar::Field;
  return std::make_shared<const columnar::Schema>(
      std::vector<Field>{Field{"Timestamp", columnar::Timestamp(), false, 1},
                         Field{"ServiceName", columnar::String(), false, 2},
                         Field{"Body", columnar::String(), true, 3}},
      std::vector<std::pair<std::string, std::string>>{{"otlp2parquet.table", "logs"}});
}

std::unique_ptr<columnar::RecordBatch> Rows(std::string_view service, int n,
                                            int64_t micros = k20241125T13) {
  auto batch = columnar::RecordBatch::Make(LogsLikeSchema());
  for (int i = 0; i < n; ++i) {
    batch->column_as<columnar::Int64Column>(0)->Append(micros + i);
    batch->column_as<columnar::StringColumn>(1)->Append(service);
    batch->column_as<columnar::StringColumn>(2)->Append("body " + std::to_string(i));
    batch->FinishRow();
  }
  return batch;
}

Status AddRows(Batcher& batcher, const columnar::RecordBatch& batch) {
  const columnar::RecordBatch* batches[] = {&batch};
  return batcher.Add(batches);
}

// A clock the test moves by hand.
struct FakeClock {
  std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};
  std::function<std::chrono::steady_clock::time_point()> fn() {
    return [this] { return now; };
  }
};

class BatcherTest : public ::testing::Test {
 protected:
  BatcherOptions Options() {
    BatcherOptions options;
    options.max_rows = 100;
    options.max_age = std::chrono::seconds(10);
    options.timer_interval = std::chrono::milliseconds(0);  // the test calls FlushExpired
    options.retry_initial = std::chrono::milliseconds(1);
    options.now = clock.fn();
    return options;
  }
  FakeClock clock;
  testing::MemoryStore store;
  MetricsRegistry metrics;
};

TEST_F(BatcherTest, QueuesABufferWhenItReachesItsRowLimit) {
  Batcher batcher(Options(), store, &metrics);  // not started: queued buffers stay queued
  ASSERT_TRUE(AddRows(batcher, *Rows("b", 60)).ok());
  EXPECT_THAT(metrics.RenderPrometheus(), Not(HasSubstr("otlp2parquet_flushes_total")));
  ASSERT_TRUE(AddRows(batcher, *Rows("b", 60)).ok());  // 120 >= 100
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("otlp2parquet_flushes_total{reason=\"rows\"} 1"));
  EXPECT_EQ(batcher.Shutdown(), 0);
  EXPECT_EQ(store.objects().size(), 1u);
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("otlp2parquet_rows_written_total{table=\"logs\"} 120"));
}

TEST_F(BatcherTest, OneFilePerServiceAndHour) {
  Batcher batcher(Options(), store, &metrics);
  ASSERT_TRUE(AddRows(batcher, *Rows("a", 3)).ok());
  ASSERT_TRUE(AddRows(batcher, *Rows("b", 3)).ok());
  ASSERT_TRUE(AddRows(batcher, *Rows("a", 3, k20241125T13 + kMicrosPerHour)).ok());
  EXPECT_EQ(batcher.Shutdown(), 0);
  const auto objects = store.objects();
  ASSERT_THAT(objects, SizeIs(3));
  std::vector<std::string> keys;
  for (const auto& [key, data] : objects) keys.push_back(key.substr(0, key.rfind('/')));
  EXPECT_THAT(keys, ::testing::UnorderedElementsAre(
                        "logs/service_name=a/year=2024/month=11/day=25/hour=13",
                        "logs/service_name=a/year=2024/month=11/day=25/hour=14",
                        "logs/service_name=b/year=2024/month=11/day=25/hour=13"));
  for (const auto& [key, data] : objects) EXPECT_THAT(data, StartsWith("PAR1"));
}

TEST_F(BatcherTest, FlushesBuffersOlderThanMaxAge) {
  Batcher batcher(Options(), store, &metrics);
  batcher.Start();
  ASSERT_TRUE(AddRows(batcher, *Rows("old", 5)).ok());
  clock.now += std::chrono::seconds(6);
  ASSERT_TRUE(AddRows(batcher, *Rows("young", 5)).ok());
  clock.now += std::chrono::seconds(5);  // old: 11 s, young: 5 s
  batcher.FlushExpired();
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("otlp2parquet_flushes_total{reason=\"age\"} 1"));
  batcher.Shutdown();
  EXPECT_EQ(store.objects().size(), 2u);
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("otlp2parquet_flushes_total{reason=\"shutdown\"} 1"));
}

TEST_F(BatcherTest, RefusesRowsPastTheMemoryBudget) {
  BatcherOptions options = Options();
  options.max_rows = 1'000'000;
  auto sample = Rows("a", 1000);
  options.max_buffered_bytes = sample->MemoryUsage() * 3;
  Batcher batcher(options, store, &metrics);  // not started: nothing is written meanwhile
  int accepted = 0;
  Status last;
  for (int i = 0; i < 10; ++i) {
    last = AddRows(batcher, *Rows("svc" + std::to_string(i), 1000));
    if (!last.ok()) break;
    ++accepted;
  }
  EXPECT_GE(accepted, 1);
  EXPECT_LT(accepted, 10);
  EXPECT_EQ(last.code(), StatusCode::kUnavailable);
  EXPECT_THAT(last.message(), HasSubstr("retry later"));
  EXPECT_LE(batcher.held_bytes(), options.max_buffered_bytes);
  EXPECT_EQ(batcher.Shutdown(), 0);
  EXPECT_EQ(store.objects().size(), static_cast<size_t>(accepted));
}

TEST_F(BatcherTest, RetriesFailedWritesAndReportsUnhealthyMeanwhile) {
  Batcher batcher(Options(), store, &metrics);
  store.FailNext(2);
  batcher.Start();
  ASSERT_TRUE(AddRows(batcher, *Rows("a", 5)).ok());
  EXPECT_TRUE(batcher.FlushAll(std::chrono::seconds(30)));
  EXPECT_TRUE(batcher.healthy());
  EXPECT_EQ(store.put_attempts(), 3);
  EXPECT_EQ(store.objects().size(), 1u);
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("otlp2parquet_write_errors_total{table=\"logs\"} 2"));
}

TEST_F(BatcherTest, ShutdownReportsRowsThatCouldNotBeWritten) {
  Batcher batcher(Options(), store, &metrics);
  store.FailAlways(true);
  batcher.Start();
  ASSERT_TRUE(AddRows(batcher, *Rows("a", 7)).ok());
  EXPECT_EQ(batcher.Shutdown(), 7);
  EXPECT_FALSE(batcher.healthy());
  EXPECT_EQ(AddRows(batcher, *Rows("a", 1)).code(), StatusCode::kUnavailable);
}

TEST_F(BatcherTest, ABatchWithoutPartitionColumnsAddsNothing) {
  Batcher batcher(Options(), store, &metrics);
  auto bad = columnar::RecordBatch::Make(std::make_shared<const columnar::Schema>(
      std::vector<columnar::Field>{columnar::Field{"Body", columnar::String(), true, 1}}));
  bad->column_as<columnar::StringColumn>(0)->Append("x");
  bad->FinishRow();
  auto good = Rows("a", 2);
  const columnar::RecordBatch* batches[] = {good.get(), bad.get()};
  EXPECT_EQ(batcher.Add(batches).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(batcher.held_bytes(), 0u);
  batcher.Shutdown();
  EXPECT_TRUE(store.objects().empty());
}

TEST_F(BatcherTest, ConcurrentAddsLoseNoRows) {
  BatcherOptions options = Options();
  options.max_rows = 500;
  options.flush_threads = 2;
  Batcher batcher(options, store, &metrics);
  batcher.Start();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!AddRows(batcher, *Rows("svc" + std::to_string(t % 2), 37)).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(batcher.Shutdown(), 0);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("otlp2parquet_rows_written_total{table=\"logs\"} 7400"));
}

}  // namespace
}  // namespace o2p::pipeline
