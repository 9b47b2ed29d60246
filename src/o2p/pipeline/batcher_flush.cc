// The Batcher's flush side: threads that take queued partitions, encode and store them, retry
// failures with backoff, and tell the epoch bookkeeping when a file is done.
#include <algorithm>

#include "o2p/base/log.h"
#include "o2p/pipeline/batcher.h"
#include "o2p/pipeline/internal/batcher_metrics.h"
#include "o2p/pipeline/partition_file.h"

namespace o2p::pipeline {

void Batcher::FlushThread() {
  std::unique_lock lock(mu_);
  while (true) {
    RemoveFinishedSegments(lock);
    // The first entry whose backoff has passed; entries waiting for a retry are skipped.
    // Backoff runs on the real clock: options_.now only drives epoch ages.
    const auto now = std::chrono::steady_clock::now();
    auto ready = std::find_if(queue_.begin(), queue_.end(),
                              [&](const Pending& p) { return p.not_before <= now; });
    if (ready == queue_.end()) {
      if (stopping_ && queue_.empty()) break;
      if (queue_.empty()) {
        queue_cv_.wait(
            lock, [this] { return stopping_ || !queue_.empty() || !removable_segments_.empty(); });
      } else {
        queue_cv_.wait_for(lock, std::chrono::milliseconds(50));
      }
      continue;
    }
    Pending pending = std::move(*ready);
    queue_.erase(ready);
    ++writing_;
    lock.unlock();
    const bool written = WriteOne(pending);
    lock.lock();
    --writing_;
    FinishWrite(std::move(pending), written);
  }
}

bool Batcher::WriteOne(const Pending& pending) {
  const auto start = std::chrono::steady_clock::now();
  const BufferedPartition& p = pending.partition;
  Result<WrittenFile> file = WritePartitionFile(p, options_.writer, store_, pending.file_id);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!file) {
    metrics_->WriteFailed(p.table);
    LogError("writing a file failed; will retry",
             {{"table", p.table},
              {"rows", static_cast<uint64_t>(p.batch->num_rows())},
              {"attempt", pending.attempts + 1},
              {"error", file.error().message()}});
    std::lock_guard lock(mu_);
    write_problem_ = file.error().message();
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
  if (written) write_problem_.clear();
  const bool give_up = !written && stopping_ && pending.attempts + 1 >= options_.shutdown_attempts;
  if (written || give_up) {
    queued_bytes_ -= std::min(queued_bytes_, pending.bytes);
    auto epoch = epochs_.find(pending.epoch);
    if (epoch != epochs_.end()) {
      --epoch->second.pending_files;
      if (give_up) epoch->second.lost_rows = true;
    }
    if (give_up) {
      const auto rows = static_cast<int64_t>(pending.partition.batch->num_rows());
      lost_rows_ += rows;
      LogError(wal_ != nullptr ? "giving up on a file at shutdown; its rows stay in the WAL"
                               : "giving up on a file at shutdown; its rows are lost",
               {{"table", pending.partition.table}, {"rows", rows}});
    }
    MaybeFinishEpochLocked(pending.epoch);
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

}  // namespace o2p::pipeline
