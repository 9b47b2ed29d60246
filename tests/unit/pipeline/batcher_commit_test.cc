// The Batcher with a FileCommitter (Iceberg mode): files are written the committer's way, each
// finished epoch is committed once with all its files, and a WAL segment outlives its epoch
// until the commit is confirmed.
#include <atomic>
#include <filesystem>
#include <mutex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/pipeline/batcher.h"
#include "o2p/pipeline/wal.h"
#include "support/memory_store.h"
#include "support/wal_dir.h"

namespace o2p::pipeline {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kHour = int64_t{1732539600} * 1000 * 1000;  // 2024-11-25T13:00Z in micros

columnar::SchemaPtr LogsLikeSchema(int32_t first_id = 1) {
  using columnar::Field;
  return std::make_shared<const columnar::Schema>(
      std::vector<Field>{Field{"Timestamp", columnar::Timestamp(), false, first_id},
                         Field{"ServiceName", columnar::String(), false, first_id + 1}},
      std::vector<std::pair<std::string, std::string>>{{"otlp2parquet.table", "logs"}});
}

std::unique_ptr<columnar::RecordBatch> Rows(std::string_view service, int n) {
  auto batch = columnar::RecordBatch::Make(LogsLikeSchema());
  for (int i = 0; i < n; ++i) {
    batch->column_as<columnar::Int64Column>(0)->Append(kHour + i);
    batch->column_as<columnar::StringColumn>(1)->Append(service);
    batch->FinishRow();
  }
  return batch;
}

class RecordingCommitter final : public FileCommitter {
 public:
  FileLayout LayoutFor(std::string_view) const override {
    return FileLayout{LogsLikeSchema(100), {{"iceberg.schema", "{\"marker\":1}"}}};
  }
  Status Commit(uint64_t epoch, std::span<const WrittenFile> files) override {
    std::lock_guard lock(mu);
    ++calls;
    if (failures_left > 0) {
      --failures_left;
      return Status::Unavailable("injected commit failure");
    }
    committed.push_back({epoch, std::vector<WrittenFile>(files.begin(), files.end())});
    return Status::Ok();
  }
  std::mutex mu;
  int calls = 0;
  int failures_left = 0;
  std::vector<std::pair<uint64_t, std::vector<WrittenFile>>> committed;
};

class BatcherCommitTest : public ::testing::Test {
 protected:
  BatcherOptions Options() {
    BatcherOptions options;
    options.timer_interval = std::chrono::milliseconds(0);
    options.retry_initial = std::chrono::milliseconds(1);
    options.retry_max = std::chrono::milliseconds(5);
    options.wal_instance_id = "0123456789abcdef0123456789abcdef";
    return options;
  }
  std::unique_ptr<WriteAheadLog> OpenWal() { return dir_.Open(); }
  size_t SegmentFiles() const { return dir_.SegmentFiles(); }
  Status Add(Batcher& batcher, std::string_view service, int n) {
    auto rows = Rows(service, n);
    const columnar::RecordBatch* batches[] = {rows.get()};
    return batcher.Add(batches, "record");
  }
  testing::WalDir dir_;
  testing::MemoryStore store;
  MetricsRegistry metrics;
  RecordingCommitter committer;
};

TEST_F(BatcherCommitTest, OneCommitPerEpochWithEveryFileWrittenTheCommittersWay) {
  auto wal = OpenWal();
  const uint64_t segment = wal->active_segment();
  Batcher batcher(Options(), store, &metrics, wal.get(), &committer);
  batcher.Start();
  ASSERT_TRUE(Add(batcher, "a", 3).ok());
  ASSERT_TRUE(Add(batcher, "b", 4).ok());
  ASSERT_TRUE(batcher.FlushAll(std::chrono::seconds(30)));
  {
    std::lock_guard lock(committer.mu);
    ASSERT_EQ(committer.committed.size(), 1u);
    EXPECT_EQ(committer.committed[0].first, segment);
    ASSERT_EQ(committer.committed[0].second.size(), 2u);  // one file per service
    int64_t rows = 0;
    for (const WrittenFile& file : committer.committed[0].second) {
      EXPECT_EQ(file.table, "logs");
      rows += file.rows;
      ASSERT_FALSE(file.summary.columns.empty());
      EXPECT_EQ(file.summary.columns[0].field_id, 100);  // the layout's ids, not the batch's
      auto stored = store.Get(file.key);
      ASSERT_TRUE(stored.ok());
      EXPECT_THAT(*stored, HasSubstr("iceberg.schema"));
    }
    EXPECT_EQ(rows, 7);
  }
  EXPECT_EQ(batcher.Shutdown(), 0);
  EXPECT_EQ(SegmentFiles(), 1u);  // the committed segment is gone; the new active one is left
}

TEST_F(BatcherCommitTest, AFailedCommitIsRetriedAndKeepsTheSegmentUntilItSucceeds) {
  auto wal = OpenWal();
  committer.failures_left = 3;
  Batcher batcher(Options(), store, &metrics, wal.get(), &committer);
  batcher.Start();
  ASSERT_TRUE(Add(batcher, "a", 5).ok());
  ASSERT_TRUE(batcher.FlushAll(std::chrono::seconds(30)));
  EXPECT_TRUE(batcher.healthy()) << batcher.problem();
  std::lock_guard lock(committer.mu);
  EXPECT_EQ(committer.calls, 4);
  ASSERT_EQ(committer.committed.size(), 1u);
  EXPECT_EQ(committer.committed[0].second.size(), 1u);
}

TEST_F(BatcherCommitTest, ACommitThatNeverSucceedsKeepsTheSegmentForTheNextStart) {
  auto wal = OpenWal();
  committer.failures_left = 1000;
  {
    Batcher batcher(Options(), store, &metrics, wal.get(), &committer);
    batcher.Start();
    ASSERT_TRUE(Add(batcher, "a", 6).ok());
    EXPECT_FALSE(batcher.FlushAll(std::chrono::milliseconds(100)));
    EXPECT_THAT(batcher.problem(), HasSubstr("injected commit failure"));
    EXPECT_EQ(batcher.Shutdown(), 6);
  }
  EXPECT_EQ(store.objects().size(), 1u);  // stored, but not visible in the table
  EXPECT_EQ(SegmentFiles(), 2u);          // the uncommitted segment stays for the replay
}

TEST_F(BatcherCommitTest, EpochsWithoutFilesAreNotCommitted) {
  Batcher batcher(Options(), store, &metrics, nullptr, &committer);
  batcher.Start();
  ASSERT_TRUE(batcher.FlushAll(std::chrono::seconds(5)));
  EXPECT_EQ(batcher.Shutdown(), 0);
  std::lock_guard lock(committer.mu);
  EXPECT_EQ(committer.calls, 0);
}

}  // namespace
}  // namespace o2p::pipeline
