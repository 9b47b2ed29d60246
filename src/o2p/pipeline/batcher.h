// Batcher: the server's path from accepted rows to Parquet files.
//
// Rows are buffered per (table, service, hour) — PartitionBuffers — and a buffer becomes a file
// when it reaches max_rows or max_bytes (checked on arrival), when it is older than max_age
// (checked by a timer), under memory pressure (the biggest buffers go first once half of the
// memory budget is held by buffers), and at Shutdown(). Encoding and writing happen on flush
// threads, never on the caller's thread, so receivers only pay for the row copy.
//
// Memory is bounded: rows buffered plus rows waiting to be written (twice while being encoded,
// for the encoder's own buffers) count against max_buffered_bytes; Add() refuses new rows with
// UNAVAILABLE (the client retries later) rather than grow past it. A failed write is retried with
// backoff while the rows stay counted, so a storage outage turns into back-pressure, and healthy()
// turns false until a write succeeds.
//
//   Batcher batcher(options, store, &metrics);
//   batcher.Start();
//   Status s = batcher.Add({logs_batch});      // UNAVAILABLE: over the memory budget
//   ...
//   batcher.Shutdown();                        // every buffered row written (or reported lost)
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "o2p/base/metrics.h"
#include "o2p/base/status.h"
#include "o2p/columnar/record_batch.h"
#include "o2p/parquet/writer_options.h"
#include "o2p/pipeline/partition_buffers.h"
#include "o2p/storage/object_store.h"

namespace o2p::pipeline {

struct BatcherOptions {
  size_t max_rows = 200000;
  size_t max_bytes = size_t{64} << 20;
  std::chrono::milliseconds max_age{std::chrono::seconds(10)};
  size_t max_buffered_bytes = size_t{512} << 20;
  /// Threads encoding and writing files.
  int flush_threads = 1;
  /// How often the timer looks for buffers past max_age; 0 = no timer thread (tests call
  /// FlushExpired() themselves).
  std::chrono::milliseconds timer_interval{std::chrono::milliseconds(250)};
  /// Backoff between attempts to write a file after a failure (doubles up to the maximum).
  std::chrono::milliseconds retry_initial{std::chrono::milliseconds(200)};
  std::chrono::milliseconds retry_max{std::chrono::seconds(30)};
  /// At Shutdown(), how many attempts a failing file gets before its rows are reported lost.
  int shutdown_attempts = 3;
  parquet::WriterOptions writer;
  /// The clock for buffer ages; steady_clock::now when null.
  std::function<std::chrono::steady_clock::time_point()> now;
};

/// Why a buffer was written; the label of otlp2parquet_flushes_total.
enum class FlushReason : uint8_t { kRows, kBytes, kAge, kPressure, kShutdown };
std::string_view FlushReasonName(FlushReason reason);

class Batcher {
 public:
  /// `metrics` may be null. `store` must outlive the batcher.
  Batcher(BatcherOptions options, storage::ObjectStore& store, MetricsRegistry* metrics);
  ~Batcher();
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  /// Starts the flush threads and the timer.
  void Start();

  /// Buffers every row of `batches` (all or nothing). UNAVAILABLE when the rows do not fit in
  /// max_buffered_bytes now or the batcher is shutting down; RESOURCE_EXHAUSTED when they
  /// exceed max_buffered_bytes even with nothing else held; INVALID_ARGUMENT when a batch
  /// lacks the partition columns.
  Status Add(std::span<const columnar::RecordBatch* const> batches);

  /// Queues every buffer older than max_age for writing. The timer calls this.
  void FlushExpired();
  /// Queues every buffer for writing and waits until the queue is empty (written or, after
  /// failures, still retrying when `timeout` passes). For tests and admin use.
  bool FlushAll(std::chrono::milliseconds timeout);
  /// Stops accepting rows, writes everything buffered, stops the threads. Returns the number of
  /// rows that could not be written. Idempotent.
  int64_t Shutdown();

  /// Bytes held: buffered plus queued for writing, files being encoded counted twice.
  size_t held_bytes() const;
  /// False after a failed write until the next successful one.
  bool healthy() const;

 private:
  struct Pending {
    BufferedPartition partition;
    size_t bytes = 0;
    FlushReason reason = FlushReason::kRows;
    int attempts = 0;
    std::chrono::steady_clock::time_point not_before{};
  };
  struct Metrics;

  std::chrono::steady_clock::time_point Now() const;
  size_t HeldBytesLocked() const;
  void EnqueueLocked(BufferedPartition partition, FlushReason reason);
  void TakeFullLocked();
  void RelievePressureLocked();
  void FlushThread();
  void TimerThread();
  bool WriteOne(const Pending& pending);
  void FinishWrite(Pending pending, bool written);

  const BatcherOptions options_;
  storage::ObjectStore& store_;
  std::unique_ptr<Metrics> metrics_;

  mutable std::mutex mu_;
  std::condition_variable queue_cv_;    // flush threads wait for work
  std::condition_variable drained_cv_;  // FlushAll waits for an empty queue
  std::condition_variable timer_cv_;
  PartitionBuffers buffers_;
  size_t buffered_bytes_ = 0;  // in buffers_
  size_t queued_bytes_ = 0;    // in queue_ or being written
  size_t encoding_bytes_ = 0;  // of partitions being written, counted a second time
  std::deque<Pending> queue_;
  int writing_ = 0;
  bool accepting_ = true;
  bool stopping_ = false;  // threads exit once the queue is empty
  bool healthy_ = true;
  int64_t lost_rows_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace o2p::pipeline
