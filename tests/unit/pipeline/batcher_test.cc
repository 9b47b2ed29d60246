#include "o2p/pipeline/batcher.h"

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "o2p/pipeline/wal.h"
#include "support/memory_store.h"
#include "support/wal_dir.h"

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

TEST_F(BatcherTest, EndsTheEpochWhenItsFirstRowIsOlderThanMaxAge) {
  Batcher batcher(Options(), store, &metrics);  // not started: flushes stay queued
  ASSERT_TRUE(AddRows(batcher, *Rows("old", 5)).ok());
  clock.now += std::chrono::seconds(6);
  ASSERT_TRUE(AddRows(batcher, *Rows("young", 5)).ok());
  batcher.FlushExpired();  // 6 s: too young
  EXPECT_THAT(metrics.RenderPrometheus(), Not(HasSubstr("otlp2parquet_flushes_total")));
  clock.now += std::chrono::seconds(5);  // the epoch's first row is 11 s old
  batcher.FlushExpired();
  // Both buffers of the epoch go together: files depend on the epoch, not on when rows came.
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("otlp2parquet_flushes_total{reason=\"age\"} 2"));
  ASSERT_TRUE(AddRows(batcher, *Rows("next", 1)).ok());  // a new epoch
  batcher.Shutdown();
  EXPECT_EQ(store.objects().size(), 3u);
}

TEST(WalFileIdTest, SameInputsSameIdOtherwiseDifferent) {
  const std::string id = WalFileId("inst", 7, "logs", "svc", 481000, 0);
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(id, WalFileId("inst", 7, "logs", "svc", 481000, 0));
  EXPECT_NE(id, WalFileId("inst2", 7, "logs", "svc", 481000, 0));
  EXPECT_NE(id, WalFileId("inst", 8, "logs", "svc", 481000, 0));
  EXPECT_NE(id, WalFileId("inst", 7, "traces", "svc", 481000, 0));
  EXPECT_NE(id, WalFileId("inst", 7, "logs", "svc2", 481000, 0));
  EXPECT_NE(id, WalFileId("inst", 7, "logs", "svc", 481001, 0));
  EXPECT_NE(id, WalFileId("inst", 7, "logs", "svc", 481000, 1));
  EXPECT_NE(WalFileId("i", 1, "ab", "c", 0, 0), WalFileId("i", 1, "a", "bc", 0, 0));
}

TEST_F(BatcherTest, RecoveredRowsAreWrittenWhenTheirSegmentIsSealed) {
  Batcher batcher(Options(), store, &metrics);
  batcher.Start();
  // max_rows 100: two files cut by rows, the last 50 rows written when the segment is sealed.
  for (int n : {100, 100, 50}) {
    auto rows = Rows("replayed", n);
    const columnar::RecordBatch* batches[] = {rows.get()};
    ASSERT_TRUE(batcher.AddRecovered(3, batches).ok());
  }
  batcher.SealRecovered(3);
  ASSERT_TRUE(batcher.FlushAll(std::chrono::seconds(30)));
  EXPECT_EQ(store.objects().size(), 3u);
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("otlp2parquet_flushes_total{reason=\"replay\"} 1"));
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

namespace o2p::pipeline {
namespace {

class BatcherWalTest : public BatcherTest {
 protected:
  std::unique_ptr<WriteAheadLog> OpenWal(WalOptions options = {}) { return dir_.Open(options); }
  size_t SegmentFiles() const { return dir_.SegmentFiles(); }
  testing::WalDir dir_;
};

TEST_F(BatcherWalTest, FileNamesComeFromTheSegmentAndSegmentsGoOnceWritten) {
  auto wal = OpenWal();
  BatcherOptions options = Options();
  options.wal_instance_id = "0123456789abcdef0123456789abcdef";
  const uint64_t segment = wal->active_segment();
  {
    Batcher batcher(options, store, &metrics, wal.get());
    batcher.Start();
    auto rows = Rows("a", 10);
    const columnar::RecordBatch* batches[] = {rows.get()};
    ASSERT_TRUE(batcher.Add(batches, "record 1").ok());
    EXPECT_EQ(batcher.Shutdown(), 0);
  }
  const auto objects = store.objects();
  ASSERT_EQ(objects.size(), 1u);
  const std::string id =
      WalFileId(options.wal_instance_id, segment, "logs", "a", k20241125T13 / kMicrosPerHour, 0);
  EXPECT_THAT(objects.begin()->first, ::testing::EndsWith("-" + id + ".parquet"));
  EXPECT_EQ(SegmentFiles(), 1u);  // only the new, empty active segment is left
}

TEST_F(BatcherWalTest, ARecordThatIsNotDurableLeavesNoRows) {
  std::atomic<bool> full{false};  // the segment header is written at Open
  WalOptions wal_options;
  wal_options.pwrite_for_test = [&](int fd, const void* data, size_t size,
                                    off_t offset) -> ssize_t {
    if (full) {
      errno = ENOSPC;
      return -1;
    }
    return ::pwrite(fd, data, size, offset);
  };
  auto wal = OpenWal(wal_options);
  ASSERT_NE(wal, nullptr);
  full = true;
  Batcher batcher(Options(), store, &metrics, wal.get());
  batcher.Start();
  auto rows = Rows("a", 10);
  const columnar::RecordBatch* batches[] = {rows.get()};
  const Status refused = batcher.Add(batches, "record");
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable) << refused.ToString();
  EXPECT_EQ(batcher.held_bytes(), 0u);
  EXPECT_THAT(batcher.problem(), HasSubstr("write-ahead log"));
  full = false;
  ASSERT_TRUE(batcher.Add(batches, "record").ok());
  EXPECT_TRUE(batcher.healthy());
  EXPECT_EQ(batcher.Shutdown(), 0);
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("otlp2parquet_rows_written_total{table=\"logs\"} 10"));
}

}  // namespace
}  // namespace o2p::pipeline
