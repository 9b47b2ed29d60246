// Batcher: the server's path from accepted rows to Parquet files.
//
// Rows are buffered per (table, service, hour) within an *epoch*. With a write-ahead log an
// epoch is one WAL segment: every request's record goes into the active segment and its rows
// into the active epoch, under one lock, so a segment and an epoch hold the same requests in the
// same order. That makes files a pure function of the segment, which is what lets a replay
// after a crash rewrite exactly the files it would have written, under the same names
// (overwriting, never duplicating):
//   - a buffer is cut into a file when it reaches max_rows or max_bytes — decided by the rows
//     alone, so a replay cuts at the same rows; the file is named from (WAL instance, epoch,
//     table, service, hour, part number);
//   - everything that depends on time or load (max_age, memory pressure, shutdown) ends the
//     whole epoch instead (rotation): all its buffers become files, a new segment starts.
// A segment is deleted once every file of its epoch is stored — and, with a FileCommitter
// (Iceberg), once the committer has confirmed the epoch's commit. Without a WAL the same rules
// run with epochs numbered in memory and random file names.
//
// Encoding and writing happen on flush threads, never on the caller's thread. Memory is
// bounded: rows buffered plus rows waiting to be written count against three quarters of
// max_buffered_bytes (the rest is left for memory the accounting does not see: encoders,
// requests being decoded, allocator slack); Add() refuses rows with UNAVAILABLE
// (the client retries) rather than grow past it. A failed write is retried with backoff while
// the rows stay counted, so a storage outage becomes back-pressure, and healthy() is false
// until a write succeeds.
//
//   Batcher batcher(options, store, &metrics, wal, committer);   // wal, committer may be null
//   batcher.Start();
//   Status s = batcher.Add({logs_batch}, wal_record);  // OK only once the record is durable
//   ...
//   batcher.Shutdown();                                // every buffered row written
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "o2p/base/metrics.h"
#include "o2p/base/status.h"
#include "o2p/columnar/record_batch.h"
#include "o2p/parquet/writer_options.h"
#include "o2p/pipeline/file_committer.h"
#include "o2p/pipeline/partition_buffers.h"
#include "o2p/storage/object_store.h"

namespace o2p::pipeline {

class WriteAheadLog;

struct BatcherOptions {
  size_t max_rows = 200000;
  size_t max_bytes = size_t{64} << 20;
  std::chrono::milliseconds max_age{std::chrono::seconds(10)};
  size_t max_buffered_bytes = size_t{512} << 20;
  /// Threads encoding and writing files.
  int flush_threads = 1;
  /// How often the timer looks at the epoch's age; 0 = no timer thread (tests call
  /// FlushExpired() themselves).
  std::chrono::milliseconds timer_interval{std::chrono::milliseconds(250)};
  /// Backoff between attempts to write a file after a failure (doubles up to the maximum).
  std::chrono::milliseconds retry_initial{std::chrono::milliseconds(200)};
  std::chrono::milliseconds retry_max{std::chrono::seconds(30)};
  /// At Shutdown(), how many attempts a failing file gets before its rows are reported lost
  /// (with a WAL they stay in their segment and are replayed at the next start).
  int shutdown_attempts = 3;
  parquet::WriterOptions writer;
  /// Identifies the WAL directory's lifetime in file names (see WalFileId); only used with a WAL.
  std::string wal_instance_id;
  /// The clock for epoch ages; steady_clock::now when null.
  std::function<std::chrono::steady_clock::time_point()> now;
};

/// Why a buffer was written; the label of otlp2parquet_flushes_total.
enum class FlushReason : uint8_t { kRows, kBytes, kAge, kPressure, kShutdown, kReplay };
std::string_view FlushReasonName(FlushReason reason);

/// The 32-hex-digit file id of part `part` of a partition in epoch `epoch` of WAL instance
/// `instance`: the same inputs always give the same id, different ones practically never do.
std::string WalFileId(std::string_view instance, uint64_t epoch, std::string_view table,
                      std::string_view service, int64_t hour, int part);

class Batcher {
 public:
  /// `metrics`, `wal` and `committer` may be null; `store`, `wal` and `committer` must outlive
  /// the batcher. With a WAL, the active epoch is the WAL's active segment.
  Batcher(BatcherOptions options, storage::ObjectStore& store, MetricsRegistry* metrics,
          WriteAheadLog* wal = nullptr, FileCommitter* committer = nullptr);
  ~Batcher();
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  /// Starts the flush threads and the timer.
  void Start();
  bool has_wal() const { return wal_ != nullptr; }

  /// Buffers every row of `batches` (all or nothing). With a WAL, `wal_record` is appended to
  /// the active segment first and the call returns once it is durable (an error — UNAVAILABLE
  /// — when it cannot be made durable; the rows may then still be written). UNAVAILABLE when the
  /// rows do not fit in max_buffered_bytes now or the batcher is shutting down;
  /// RESOURCE_EXHAUSTED when they exceed max_buffered_bytes even with nothing else held;
  /// INVALID_ARGUMENT when a batch lacks the partition columns.
  Status Add(std::span<const columnar::RecordBatch* const> batches,
             std::string_view wal_record = {});

  /// Replay: buffers rows of recovered segment `segment` (no WAL append, no memory check), and
  /// ends that epoch, writing its files under the names the first run would have used.
  Status AddRecovered(uint64_t segment, std::span<const columnar::RecordBatch* const> batches);
  void SealRecovered(uint64_t segment);

  /// Ends the active epoch when its first row is older than max_age. The timer calls this.
  void FlushExpired();
  /// Ends the active epoch and waits until nothing is queued (written or, after failures,
  /// still retrying when `timeout` passes). For tests, replay and admin use.
  bool FlushAll(std::chrono::milliseconds timeout);
  /// Stops accepting rows, writes everything buffered, stops the threads. Returns the number of
  /// rows that could not be written. Idempotent.
  int64_t Shutdown();

  /// Bytes held: buffered, queued for writing, and of adds waiting for their WAL record.
  size_t held_bytes() const;
  /// "" when files and WAL records are being written; otherwise what is failing.
  std::string problem() const;
  bool healthy() const { return problem().empty(); }

 private:
  using PartitionId = std::tuple<std::string, std::string, int64_t>;  // table, service, hour
  struct Epoch {
    PartitionBuffers buffers;
    std::map<PartitionId, int> parts;  // files cut so far per partition
    std::chrono::steady_clock::time_point started{};
    bool has_rows = false;
    bool sealed = false;
    bool lost_rows = false;  // a file was given up: keep the segment for the next start
    int pending_files = 0;   // queued or being written
    std::vector<WrittenFile> files;  // stored, for the committer
    bool commit_queued = false;
    bool committed = false;
  };
  // An epoch whose files are all stored, waiting for (another attempt at) its commit.
  struct PendingCommit {
    uint64_t epoch = 0;
    int attempts = 0;
    std::chrono::steady_clock::time_point not_before{};
  };
  struct Pending {
    uint64_t epoch = 0;
    std::string file_id;
    BufferedPartition partition;
    size_t bytes = 0;
    FlushReason reason = FlushReason::kRows;
    int attempts = 0;
    std::chrono::steady_clock::time_point not_before{};
  };
  // One Add waiting for its WAL record to be durable and its turn to join the epoch.
  struct LoggedAdd {
    uint64_t sequence = 0;
    uint64_t segment = 0;
    std::span<const columnar::RecordBatch* const> batches;
    bool durable = false;
    bool applied = false;
    Status result;
  };
  struct Metrics;

  std::chrono::steady_clock::time_point Now() const;
  size_t HeldBytesLocked() const;
  size_t RowBudget() const;
  Status AdmitLocked(size_t incoming) const;
  Status AddLogged(std::span<const columnar::RecordBatch* const> batches,
                   std::string_view wal_record, size_t incoming);
  void ApplyArrivedLocked();
  Status AddToEpochLocked(uint64_t epoch_id, std::span<const columnar::RecordBatch* const> batches);
  void EnqueueLocked(uint64_t epoch_id, Epoch& epoch, BufferedPartition partition,
                     FlushReason reason);
  void RotateLocked(FlushReason reason);
  void SealLocked(uint64_t epoch_id, FlushReason reason);
  void MaybeFinishEpochLocked(uint64_t epoch_id);
  void RemoveFinishedSegments(std::unique_lock<std::mutex>& lock);
  void FlushThread();
  void CommitThread();
  void TimerThread();
  std::optional<WrittenFile> WriteOne(const Pending& pending);
  void FinishWrite(Pending pending, std::optional<WrittenFile> written);
  bool RunReadyCommit(std::unique_lock<std::mutex>& lock);
  void FinishCommit(PendingCommit commit, const Status& status);
  std::chrono::milliseconds RetryDelay(int attempts) const;
  bool IdleLocked() const;

  const BatcherOptions options_;
  storage::ObjectStore& store_;
  WriteAheadLog* const wal_;
  FileCommitter* const committer_;
  std::unique_ptr<Metrics> metrics_;

  mutable std::mutex mu_;
  std::condition_variable queue_cv_;    // flush threads wait for work
  std::condition_variable drained_cv_;  // FlushAll waits for an empty queue
  std::condition_variable timer_cv_;
  std::condition_variable applied_cv_;  // AddLogged waits for its turn
  std::condition_variable commit_cv_;   // the commit thread waits for finished epochs
  std::map<uint64_t, Epoch> epochs_;
  uint64_t active_epoch_ = 1;
  size_t buffered_bytes_ = 0;                // in epochs' buffers
  size_t queued_bytes_ = 0;                  // in queue_ or being written
  size_t pending_bytes_ = 0;                 // of adds waiting for their WAL record
  uint64_t next_sequence_ = 0;               // WAL records in the order they were written
  uint64_t next_apply_ = 0;                  // the next sequence number to join its epoch
  std::map<uint64_t, LoggedAdd*> arrived_;   // durable (or failed), waiting for their turn
  std::map<uint64_t, int> unapplied_;        // segment -> records written, not yet applied
  std::map<uint64_t, FlushReason> sealing_;  // rotated segments waiting for those records
  std::deque<Pending> queue_;
  int writing_ = 0;
  std::deque<PendingCommit> commits_;
  bool committing_ = false;  // one commit thread: concurrent commits would only conflict
  bool accepting_ = true;
  bool stopping_ = false;      // threads exit once the queue is empty
  std::string write_problem_;  // last file write failure, "" after a success
  std::string wal_problem_;    // last WAL failure, "" after a durable record
  std::string commit_problem_;  // last commit failure, "" after a success
  int64_t lost_rows_ = 0;
  std::vector<uint64_t> removable_segments_;  // epochs done; their segments await deletion
  std::vector<std::thread> threads_;
};

}  // namespace o2p::pipeline
