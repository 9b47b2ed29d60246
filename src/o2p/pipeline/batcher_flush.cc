// The Batcher's flush side: threads that take queued partitions, encode and store them, retry
// failures with backoff, tell the epoch bookkeeping when a file is done, and run the
// committer for epochs whose files are all stored.
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
    std::optional<WrittenFile> written = WriteOne(pending);
    lock.lock();
    --writing_;
    FinishWrite(std::move(pending), std::move(written));
  }
}

std::optional<WrittenFile> Batcher::WriteOne(const Pending& pending) {
  const auto start = std::chrono::steady_clock::now();
  const BufferedPartition& p = pending.partition;
  const FileLayout layout = committer_ != nullptr ? committer_->LayoutFor(p.table) : FileLayout{};
  Result<WrittenFile> file = WritePartitionFile(p, options_.writer, store_, pending.file_id,
                                                layout.schema, layout.key_value_metadata);
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
    return std::nullopt;
  }
  metrics_->Written(p.table, *file, seconds);
  LogDebug("file written", {{"table", p.table},
                            {"rows", file->rows},
                            {"bytes", file->bytes},
                            {"reason", FlushReasonName(pending.reason)},
                            {"path", file->location}});
  return std::move(*file);
}

// Called with mu_ held after an attempt: forget the rows, or schedule another attempt.
void Batcher::FinishWrite(Pending pending, std::optional<WrittenFile> written) {
  if (written) write_problem_.clear();
  const bool give_up = !written && stopping_ && pending.attempts + 1 >= options_.shutdown_attempts;
  if (written || give_up) {
    queued_bytes_ -= std::min(queued_bytes_, pending.bytes);
    auto epoch = epochs_.find(pending.epoch);
    if (epoch != epochs_.end()) {
      --epoch->second.pending_files;
      if (give_up) epoch->second.lost_rows = true;
      if (written && committer_ != nullptr) epoch->second.files.push_back(std::move(*written));
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
    pending.not_before = std::chrono::steady_clock::now() + RetryDelay(pending.attempts);
    queue_.push_back(std::move(pending));
    queue_cv_.notify_one();
  }
  metrics_->Held(HeldBytesLocked());
  if (IdleLocked()) drained_cv_.notify_all();
}

std::chrono::milliseconds Batcher::RetryDelay(int attempts) const {
  if (stopping_) return options_.retry_initial;  // shutting down: no long waits
  const auto delay = options_.retry_initial * (1 << std::min(attempts - 1, 16));
  return std::min<std::chrono::milliseconds>(delay, options_.retry_max);
}

// With a committer: commits finished epochs, one at a time, so that a slow catalog never holds
// up the flush threads. Exits at shutdown once no file is left to write and no commit to run.
void Batcher::CommitThread() {
  std::unique_lock lock(mu_);
  while (true) {
    RemoveFinishedSegments(lock);
    if (RunReadyCommit(lock)) continue;
    if (stopping_ && queue_.empty() && writing_ == 0 && commits_.empty()) break;
    if (commits_.empty() && !stopping_) {
      commit_cv_.wait(
          lock, [this] { return stopping_ || !commits_.empty() || !removable_segments_.empty(); });
    } else {
      commit_cv_.wait_for(lock, std::chrono::milliseconds(50));  // a backoff, or files pending
    }
  }
}

// Runs the first commit whose backoff has passed. Returns whether it ran one (the lock was
// released meanwhile).
bool Batcher::RunReadyCommit(std::unique_lock<std::mutex>& lock) {
  if (commits_.empty() || commits_.front().not_before > std::chrono::steady_clock::now()) {
    return false;
  }
  PendingCommit commit = commits_.front();
  commits_.pop_front();
  auto epoch = epochs_.find(commit.epoch);
  if (epoch == epochs_.end()) return true;
  committing_ = true;
  const std::vector<WrittenFile> files = epoch->second.files;  // the epoch may not move meanwhile
  lock.unlock();
  const Status status = committer_->Commit(commit.epoch, files);
  lock.lock();
  committing_ = false;
  FinishCommit(commit, status);
  return true;
}

// Called with mu_ held: the epoch is done, or its commit is tried again later.
void Batcher::FinishCommit(PendingCommit commit, const Status& status) {
  auto epoch = epochs_.find(commit.epoch);
  if (epoch == epochs_.end()) return;
  if (status.ok()) {
    commit_problem_.clear();
    epoch->second.committed = true;
    MaybeFinishEpochLocked(commit.epoch);
  } else {
    commit_problem_ = status.message();
    ++commit.attempts;
    LogError("committing stored files failed; will retry",
             {{"epoch", commit.epoch}, {"attempt", commit.attempts}, {"error", status.message()}});
    if (stopping_ && commit.attempts >= options_.shutdown_attempts) {
      int64_t rows = 0;
      for (const WrittenFile& file : epoch->second.files) rows += file.rows;
      lost_rows_ += rows;
      epoch->second.lost_rows = true;
      LogError(wal_ != nullptr
                   ? "giving up on a commit at shutdown; its rows stay in the WAL and are "
                     "committed at the next start"
                   : "giving up on a commit at shutdown; its files are stored but not committed",
               {{"epoch", commit.epoch}, {"rows", rows}});
      MaybeFinishEpochLocked(commit.epoch);
    } else {
      commit.not_before = std::chrono::steady_clock::now() + RetryDelay(commit.attempts);
      commits_.push_back(commit);
    }
  }
  if (IdleLocked()) drained_cv_.notify_all();
}

}  // namespace o2p::pipeline
