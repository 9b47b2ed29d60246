#include "o2p/pipeline/batcher.h"

#include <algorithm>

#include "o2p/base/log.h"
#include "o2p/base/macros.h"
#include "o2p/base/random_id.h"
#include "o2p/pipeline/partition_file.h"

namespace o2p::pipeline {

std::string_view FlushReasonName(FlushReason reason) {
  switch (reason) {
    case FlushReason::kRows: return "rows";
    case FlushReason::kBytes: return "bytes";
    case FlushReason::kAge: return "age";
    case FlushReason::kPressure: return "pressure";
    case FlushReason::kShutdown: return "shutdown";
  }
  return "unknown";
}

// Metrics the batcher reports; families are registered once, series per table on first use.
struct Batcher::Metrics {
  explicit Metrics(MetricsRegistry* r) : registry(r) {
    if (registry == nullptr) return;
    held_bytes =
        &registry->GetGauge("otlp2parquet_buffered_bytes",
                            "Bytes of rows held in memory: buffered or waiting to be written");
    flush_latency = &registry->GetHistogram("otlp2parquet_flush_duration_seconds",
                                            "Time to encode and store one Parquet file", {},
                                            Histogram::LatencyBuckets());
  }
  void Flushed(FlushReason reason) {
    if (registry == nullptr) return;
    registry
        ->GetCounter("otlp2parquet_flushes_total", "Buffers turned into files, by reason",
                     {{"reason", std::string(FlushReasonName(reason))}})
        .Add();
  }
  void Written(const std::string& table, const WrittenFile& file, double seconds) {
    if (registry == nullptr) return;
    const MetricLabels labels = {{"table", table}};
    registry->GetCounter("otlp2parquet_files_written_total", "Parquet files stored", labels).Add();
    registry
        ->GetCounter("otlp2parquet_file_bytes_written_total", "Bytes of Parquet files stored",
                     labels)
        .Add(static_cast<uint64_t>(file.bytes));
    registry->GetCounter("otlp2parquet_rows_written_total", "Rows stored in Parquet files", labels)
        .Add(static_cast<uint64_t>(file.rows));
    flush_latency->Observe(seconds);
  }
  void WriteFailed(const std::string& table) {
    if (registry == nullptr) return;
    registry
        ->GetCounter("otlp2parquet_write_errors_total", "Failed attempts to store a file",
                     {{"table", table}})
        .Add();
  }
  void Held(size_t bytes) {
    if (held_bytes != nullptr) held_bytes->Set(static_cast<int64_t>(bytes));
  }

  MetricsRegistry* registry;
  Gauge* held_bytes = nullptr;
  Histogram* flush_latency = nullptr;
};

Batcher::Batcher(BatcherOptions options, storage::ObjectStore& store, MetricsRegistry* metrics)
    : options_(std::move(options)), store_(store), metrics_(std::make_unique<Metrics>(metrics)) {}

Batcher::~Batcher() { Shutdown(); }

void Batcher::Start() {
  std::lock_guard lock(mu_);
  if (!threads_.empty() || stopping_) return;
  for (int i = 0; i < std::max(1, options_.flush_threads); ++i) {
    threads_.emplace_back([this] { FlushThread(); });
  }
  if (options_.timer_interval.count() > 0) threads_.emplace_back([this] { TimerThread(); });
}

std::chrono::steady_clock::time_point Batcher::Now() const {
  return options_.now ? options_.now() : std::chrono::steady_clock::now();
}

Status Batcher::Add(std::span<const columnar::RecordBatch* const> batches) {
  size_t incoming = 0;
  for (const columnar::RecordBatch* batch : batches) incoming += batch->MemoryUsage();
  const auto now = Now();
  std::lock_guard lock(mu_);
  if (!accepting_) return Status::Unavailable("the server is shutting down");
  if (incoming > options_.max_buffered_bytes) {
    // Retrying would never help: the rows alone exceed the whole budget.
    return Status::ResourceExhausted(
        "the request's rows need {} bytes of memory, more than the whole buffer budget of {}",
        incoming, options_.max_buffered_bytes);
  }
  const size_t held = HeldBytesLocked();
  if (held + incoming > options_.max_buffered_bytes) {
    return Status::Unavailable(
        "buffers are full ({} of {} bytes held while files are written); retry later", held,
        options_.max_buffered_bytes);
  }
  // Split every batch first so a batch without partition columns adds nothing at all.
  for (const columnar::RecordBatch* batch : batches) {
    O2P_RETURN_IF_ERROR(SplitByPartition(*batch).status());
  }
  for (const columnar::RecordBatch* batch : batches) {
    Result<size_t> growth = buffers_.Add(*batch, now);
    if (!growth) return growth.error();  // unreachable: the batch was split above
    buffered_bytes_ += *growth;
  }
  TakeFullLocked();
  RelievePressureLocked();
  metrics_->Held(HeldBytesLocked());
  return Status::Ok();
}

void Batcher::EnqueueLocked(BufferedPartition partition, FlushReason reason) {
  const size_t bytes = partition.batch->MemoryUsage();
  buffered_bytes_ -= std::min(buffered_bytes_, bytes);
  queued_bytes_ += bytes;
  metrics_->Flushed(reason);
  queue_.push_back(Pending{std::move(partition), bytes, reason, 0, {}});
  queue_cv_.notify_one();
}

void Batcher::TakeFullLocked() {
  for (BufferedPartition& p : buffers_.TakeFull(options_.max_rows, options_.max_bytes)) {
    const FlushReason reason =
        p.batch->num_rows() >= options_.max_rows ? FlushReason::kRows : FlushReason::kBytes;
    EnqueueLocked(std::move(p), reason);
  }
}

// Many small buffers (many services) can fill the budget while none reaches its own limits;
// writing the biggest ones early keeps room for new rows instead of refusing them until the
// age limit passes.
void Batcher::RelievePressureLocked() {
  while (buffered_bytes_ > options_.max_buffered_bytes / 2) {
    std::optional<BufferedPartition> largest = buffers_.TakeLargest();
    if (!largest) {
      buffered_bytes_ = 0;
      break;
    }
    EnqueueLocked(std::move(*largest), FlushReason::kPressure);
  }
}

void Batcher::FlushExpired() {
  std::lock_guard lock(mu_);
  for (BufferedPartition& p : buffers_.TakeCreatedBefore(Now() - options_.max_age)) {
    EnqueueLocked(std::move(p), FlushReason::kAge);
  }
}

bool Batcher::FlushAll(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  for (BufferedPartition& p : buffers_.TakeAll())
    EnqueueLocked(std::move(p), FlushReason::kShutdown);
  return drained_cv_.wait_for(lock, timeout, [this] { return queue_.empty() && writing_ == 0; });
}

int64_t Batcher::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return lost_rows_;
    accepting_ = false;
    for (BufferedPartition& p : buffers_.TakeAll()) {
      EnqueueLocked(std::move(p), FlushReason::kShutdown);
    }
    if (threads_.empty()) threads_.emplace_back([this] { FlushThread(); });
    stopping_ = true;
  }
  queue_cv_.notify_all();
  timer_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  std::lock_guard lock(mu_);
  return lost_rows_;
}

void Batcher::TimerThread() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    timer_cv_.wait_for(lock, options_.timer_interval);
    if (stopping_) break;
    lock.unlock();
    FlushExpired();
    lock.lock();
  }
}

void Batcher::FlushThread() {
  std::unique_lock lock(mu_);
  while (true) {
    // The first entry whose backoff has passed; entries waiting for a retry are skipped.
    // Backoff runs on the real clock: options_.now only drives buffer ages.
    const auto now = std::chrono::steady_clock::now();
    auto ready = std::find_if(queue_.begin(), queue_.end(),
                              [&](const Pending& p) { return p.not_before <= now; });
    if (ready == queue_.end()) {
      if (stopping_ && queue_.empty()) break;
      if (queue_.empty()) {
        queue_cv_.wait(lock);
      } else {
        queue_cv_.wait_for(lock, std::chrono::milliseconds(50));
      }
      continue;
    }
    Pending pending = std::move(*ready);
    queue_.erase(ready);
    ++writing_;
    encoding_bytes_ += pending.bytes;
    lock.unlock();
    const bool written = WriteOne(pending);
    lock.lock();
    --writing_;
    encoding_bytes_ -= pending.bytes;
    FinishWrite(std::move(pending), written);
  }
}

bool Batcher::WriteOne(const Pending& pending) {
  const auto start = std::chrono::steady_clock::now();
  const BufferedPartition& p = pending.partition;
  Result<WrittenFile> file = WritePartitionFile(p, options_.writer, store_, RandomHexId());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!file) {
    metrics_->WriteFailed(p.table);
    LogError("writing a file failed; will retry",
             {{"table", p.table},
              {"rows", static_cast<uint64_t>(p.batch->num_rows())},
              {"attempt", pending.attempts + 1},
              {"error", file.error().message()}});
    return false;
  }
  metrics_->Written(p.table, *file, seconds);
  LogDebug("file written", {{"table", p.table},
                            {"rows", file->rows},
                            {"bytes", file->bytes},
                            {"reason", FlushReasonName(pending.reason)},
                            {"path", file->location}});
  return true;
}

// Called with mu_ held after an attempt: forget the rows, or schedule another attempt.
void Batcher::FinishWrite(Pending pending, bool written) {
  healthy_ = written;
  if (written || (stopping_ && pending.attempts + 1 >= options_.shutdown_attempts)) {
    queued_bytes_ -= std::min(queued_bytes_, pending.bytes);
    if (!written) {
      const auto rows = static_cast<int64_t>(pending.partition.batch->num_rows());
      lost_rows_ += rows;
      LogError("giving up on a file at shutdown; its rows are lost",
               {{"table", pending.partition.table}, {"rows", rows}});
    }
  } else {
    ++pending.attempts;
    auto delay = options_.retry_initial * (1 << std::min(pending.attempts - 1, 16));
    delay = std::min<std::chrono::milliseconds>(delay, options_.retry_max);
    if (stopping_) delay = options_.retry_initial;  // shutting down: no long waits
    pending.not_before = std::chrono::steady_clock::now() + delay;
    queue_.push_back(std::move(pending));
    queue_cv_.notify_one();
  }
  metrics_->Held(HeldBytesLocked());
  if (queue_.empty() && writing_ == 0) drained_cv_.notify_all();
}

size_t Batcher::held_bytes() const {
  std::lock_guard lock(mu_);
  return HeldBytesLocked();
}

// A file being encoded needs about its rows' size again (dictionaries, pages, the compressed
// file), so its rows count twice: the budget then bounds the process's memory, not only rows.
size_t Batcher::HeldBytesLocked() const {
  return buffered_bytes_ + queued_bytes_ + encoding_bytes_;
}

bool Batcher::healthy() const {
  std::lock_guard lock(mu_);
  return healthy_;
}

}  // namespace o2p::pipeline
