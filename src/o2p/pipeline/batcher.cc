#include "o2p/pipeline/batcher.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "o2p/base/log.h"
#include "o2p/base/macros.h"
#include "o2p/base/random_id.h"
#include "o2p/pipeline/internal/batcher_metrics.h"
#include "o2p/pipeline/wal.h"

namespace o2p::pipeline {
namespace {

// FNV-1a over the parts, each followed by a separator byte so ("ab","c") != ("a","bc").
uint64_t Fnv1a(uint64_t hash, std::string_view bytes) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  hash ^= 0xff;
  return hash * 0x100000001b3ULL;
}

}  // namespace

std::string_view FlushReasonName(FlushReason reason) {
  switch (reason) {
    case FlushReason::kRows: return "rows";
    case FlushReason::kBytes: return "bytes";
    case FlushReason::kAge: return "age";
    case FlushReason::kPressure: return "pressure";
    case FlushReason::kShutdown: return "shutdown";
    case FlushReason::kReplay: return "replay";
  }
  return "unknown";
}

std::string WalFileId(std::string_view instance, uint64_t epoch, std::string_view table,
                      std::string_view service, int64_t hour, int part) {
  const std::string numbers = fmt::format("{}/{}/{}", epoch, hour, part);
  // Two independent 64-bit hashes (different offset bases) make the 128-bit id.
  uint64_t high = 0xcbf29ce484222325ULL;
  uint64_t low = 0x84222325cbf29ce4ULL;
  for (std::string_view part_text : {instance, table, service, std::string_view(numbers)}) {
    high = Fnv1a(high, part_text);
    low = Fnv1a(low ^ high, part_text);
  }
  return fmt::format("{:016x}{:016x}", high, low);
}

Batcher::Batcher(BatcherOptions options, storage::ObjectStore& store, MetricsRegistry* metrics,
                 WriteAheadLog* wal, FileCommitter* committer)
    : options_(std::move(options)),
      store_(store),
      wal_(wal),
      committer_(committer),
      metrics_(std::make_unique<Metrics>(metrics)) {
  if (wal_ != nullptr) active_epoch_ = wal_->active_segment();
}

Batcher::~Batcher() { Shutdown(); }

void Batcher::Start() {
  std::lock_guard lock(mu_);
  if (!threads_.empty() || stopping_) return;
  for (int i = 0; i < std::max(1, options_.flush_threads); ++i) {
    threads_.emplace_back([this] { FlushThread(); });
  }
  if (options_.timer_interval.count() > 0) threads_.emplace_back([this] { TimerThread(); });
  if (committer_ != nullptr) threads_.emplace_back([this] { CommitThread(); });
}

std::chrono::steady_clock::time_point Batcher::Now() const {
  return options_.now ? options_.now() : std::chrono::steady_clock::now();
}

// Rows may use three quarters of max_buffered_bytes; the last quarter is kept for what the row
// accounting does not see — requests being decoded, encoder buffers beyond the estimate,
// allocator slack — so the budget bounds the process's resident size (measured: about 100 MiB
// of such overhead at the default 512 MiB).
size_t Batcher::RowBudget() const {
  return options_.max_buffered_bytes - options_.max_buffered_bytes / 4;
}

Status Batcher::AdmitLocked(size_t incoming) const {
  if (!accepting_) return Status::Unavailable("the server is shutting down");
  if (incoming > RowBudget()) {
    // Retrying would never help: the rows alone exceed the whole budget.
    return Status::ResourceExhausted(
        "the request's rows need {} bytes of memory, more than the row budget of {} "
        "(3/4 of max_buffered_bytes)",
        incoming, RowBudget());
  }
  const size_t held = HeldBytesLocked();
  if (held + incoming > RowBudget()) {
    return Status::Unavailable(
        "buffers are full ({} of {} bytes held while files are written); retry later", held,
        RowBudget());
  }
  return Status::Ok();
}

Status Batcher::Add(std::span<const columnar::RecordBatch* const> batches,
                    std::string_view wal_record) {
  size_t incoming = 0;
  for (const columnar::RecordBatch* batch : batches) incoming += batch->MemoryUsage();
  // Split every batch first so a batch without partition columns adds nothing at all.
  for (const columnar::RecordBatch* batch : batches) {
    O2P_RETURN_IF_ERROR(SplitByPartition(*batch).status());
  }
  if (wal_ != nullptr && !wal_record.empty()) return AddLogged(batches, wal_record, incoming);
  std::lock_guard lock(mu_);
  O2P_RETURN_IF_ERROR(AdmitLocked(incoming));
  O2P_RETURN_IF_ERROR(AddToEpochLocked(active_epoch_, batches));
  if (buffered_bytes_ > RowBudget() / 2) RotateLocked(FlushReason::kPressure);
  metrics_->Held(HeldBytesLocked());
  return Status::Ok();
}

// With a WAL: the record is written in sequence under the lock, made durable outside it, and
// the rows join the epoch only once durable — in sequence order, so an epoch holds exactly the
// durable records of its segment in file order, and a request answered with an error leaves no
// rows behind (the client will send it again).
Status Batcher::AddLogged(std::span<const columnar::RecordBatch* const> batches,
                          std::string_view wal_record, size_t incoming) {
  std::unique_lock lock(mu_);
  O2P_RETURN_IF_ERROR(AdmitLocked(incoming));
  LoggedAdd me;
  me.sequence = next_sequence_++;
  me.batches = batches;
  const WriteAheadLog::WalTicket ticket = wal_->Write(wal_record);
  me.segment = ticket.segment;
  Epoch& epoch = epochs_[me.segment];
  if (!epoch.has_rows) {
    epoch.has_rows = true;
    epoch.started = Now();
  }
  ++unapplied_[me.segment];
  pending_bytes_ += incoming;
  lock.unlock();
  const auto wait_start = std::chrono::steady_clock::now();
  const Status durable = wal_->WaitDurable(ticket);
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wait_start).count();
  const WriteAheadLog::Stats wal_stats = wal_->stats();
  lock.lock();
  metrics_->WalWaited(waited, wal_stats, epochs_.size());
  me.durable = durable.ok();
  wal_problem_ = durable.ok() ? "" : durable.message();
  arrived_[me.sequence] = &me;
  ApplyArrivedLocked();
  applied_cv_.wait(lock, [&] { return me.applied; });
  pending_bytes_ -= incoming;
  if (buffered_bytes_ > RowBudget() / 2) RotateLocked(FlushReason::kPressure);
  metrics_->Held(HeldBytesLocked());
  return durable.ok() ? me.result : durable;
}

// Applies every arrived add whose turn has come (the callers wait until theirs is applied, so
// their batches are still alive), and seals segments whose last add has been applied.
void Batcher::ApplyArrivedLocked() {
  bool applied_any = false;
  for (auto it = arrived_.find(next_apply_); it != arrived_.end();
       it = arrived_.find(next_apply_)) {
    LoggedAdd& add = *it->second;
    if (add.durable) add.result = AddToEpochLocked(add.segment, add.batches);
    add.applied = true;
    applied_any = true;
    arrived_.erase(it);
    ++next_apply_;
    if (--unapplied_[add.segment] == 0) {
      unapplied_.erase(add.segment);
      if (auto sealing = sealing_.find(add.segment); sealing != sealing_.end()) {
        const FlushReason reason = sealing->second;
        sealing_.erase(sealing);
        SealLocked(add.segment, reason);
      }
    }
  }
  if (applied_any) applied_cv_.notify_all();
}

Status Batcher::AddRecovered(uint64_t segment,
                             std::span<const columnar::RecordBatch* const> batches) {
  std::lock_guard lock(mu_);
  return AddToEpochLocked(segment, batches);
}

void Batcher::SealRecovered(uint64_t segment) {
  std::lock_guard lock(mu_);
  epochs_[segment];  // an empty segment still needs its epoch to be finished (removed)
  SealLocked(segment, FlushReason::kReplay);
}

// Appends the rows, then cuts every buffer that reached max_rows / max_bytes into a file.
Status Batcher::AddToEpochLocked(uint64_t epoch_id,
                                 std::span<const columnar::RecordBatch* const> batches) {
  Epoch& epoch = epochs_[epoch_id];
  const auto now = Now();
  for (const columnar::RecordBatch* batch : batches) {
    O2P_ASSIGN_OR_RETURN(size_t growth, epoch.buffers.Add(*batch));
    buffered_bytes_ += growth;
  }
  if (!epoch.has_rows && !batches.empty()) {
    epoch.has_rows = true;
    epoch.started = now;
  }
  for (BufferedPartition& p : epoch.buffers.TakeFull(options_.max_rows, options_.max_bytes)) {
    const FlushReason reason =
        p.batch->num_rows() >= options_.max_rows ? FlushReason::kRows : FlushReason::kBytes;
    EnqueueLocked(epoch_id, epoch, std::move(p), reason);
  }
  return Status::Ok();
}

void Batcher::EnqueueLocked(uint64_t epoch_id, Epoch& epoch, BufferedPartition partition,
                            FlushReason reason) {
  const size_t bytes = partition.batch->MemoryUsage();
  buffered_bytes_ -= std::min(buffered_bytes_, bytes);
  queued_bytes_ += bytes;
  metrics_->Flushed(reason);
  const int part =
      epoch.parts[PartitionId{partition.table, partition.key.service, partition.key.hour}]++;
  std::string file_id = wal_ != nullptr
                            ? WalFileId(options_.wal_instance_id, epoch_id, partition.table,
                                        partition.key.service, partition.key.hour, part)
                            : RandomHexId();
  ++epoch.pending_files;
  queue_.push_back(
      Pending{epoch_id, std::move(file_id), std::move(partition), bytes, reason, 0, {}});
  queue_cv_.notify_one();
}

// Ends the active epoch: a new WAL segment (or epoch number) takes new rows, and every buffer of
// the old one is queued for writing.
void Batcher::RotateLocked(FlushReason reason) {
  auto active = epochs_.find(active_epoch_);
  if (active == epochs_.end() || !active->second.has_rows) return;
  const uint64_t sealed = active_epoch_;
  if (wal_ != nullptr) {
    if (Result<uint64_t> rotated = wal_->Rotate(); !rotated) {
      // The epoch stays active (and its rows buffered) until a new segment can be created.
      wal_problem_ = rotated.error().message();
      return;
    }
    active_epoch_ = wal_->active_segment();
    if (unapplied_.count(sealed) > 0) {
      sealing_[sealed] = reason;  // sealed once its last durable record has joined the epoch
      return;
    }
  } else {
    ++active_epoch_;
  }
  SealLocked(sealed, reason);
}

void Batcher::SealLocked(uint64_t epoch_id, FlushReason reason) {
  Epoch& epoch = epochs_[epoch_id];
  epoch.sealed = true;
  for (BufferedPartition& p : epoch.buffers.TakeAll()) {
    EnqueueLocked(epoch_id, epoch, std::move(p), reason);
  }
  MaybeFinishEpochLocked(epoch_id);
}

// A sealed epoch whose files are all stored (and, with a committer, committed) is done: its WAL
// segment can go.
void Batcher::MaybeFinishEpochLocked(uint64_t epoch_id) {
  auto it = epochs_.find(epoch_id);
  if (it == epochs_.end()) return;
  Epoch& epoch = it->second;
  if (!epoch.sealed || epoch.pending_files > 0 || !epoch.buffers.empty()) return;
  if (committer_ != nullptr && !epoch.lost_rows && !epoch.files.empty() && !epoch.committed) {
    if (!epoch.commit_queued) {
      epoch.commit_queued = true;
      commits_.push_back(PendingCommit{epoch_id, 0, {}});
      commit_cv_.notify_one();
    }
    return;
  }
  // Deleting may wait for the segment's last records to reach the disk: the flush threads do
  // it outside the lock.
  if (wal_ != nullptr && !epoch.lost_rows) {
    removable_segments_.push_back(epoch_id);
    queue_cv_.notify_one();
  }
  epochs_.erase(it);
}

void Batcher::RemoveFinishedSegments(std::unique_lock<std::mutex>& lock) {
  while (!removable_segments_.empty()) {
    std::vector<uint64_t> segments;
    segments.swap(removable_segments_);
    lock.unlock();
    for (const uint64_t segment : segments) {
      if (Status s = wal_->Remove(segment); !s.ok()) {
        LogWarn("cannot delete a WAL segment whose rows are all stored",
                {{"segment", segment}, {"error", s.message()}});
      }
    }
    lock.lock();
  }
}

void Batcher::FlushExpired() {
  std::lock_guard lock(mu_);
  auto active = epochs_.find(active_epoch_);
  if (active == epochs_.end() || !active->second.has_rows) return;
  if (Now() - active->second.started >= options_.max_age) RotateLocked(FlushReason::kAge);
}

bool Batcher::FlushAll(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  RotateLocked(FlushReason::kShutdown);
  return drained_cv_.wait_for(lock, timeout, [this] { return IdleLocked(); });
}

int64_t Batcher::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return lost_rows_;
    accepting_ = false;
    RotateLocked(FlushReason::kShutdown);
    for (auto& [id, epoch] : epochs_) {
      if (!epoch.sealed && epoch.has_rows) SealLocked(id, FlushReason::kShutdown);
    }
    if (threads_.empty()) {
      threads_.emplace_back([this] { FlushThread(); });
      if (committer_ != nullptr) threads_.emplace_back([this] { CommitThread(); });
    }
    stopping_ = true;
  }
  queue_cv_.notify_all();
  timer_cv_.notify_all();
  commit_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  std::unique_lock lock(mu_);
  RemoveFinishedSegments(lock);
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

size_t Batcher::held_bytes() const {
  std::lock_guard lock(mu_);
  return HeldBytesLocked();
}

bool Batcher::IdleLocked() const {
  return queue_.empty() && writing_ == 0 && commits_.empty() && !committing_;
}

size_t Batcher::HeldBytesLocked() const { return buffered_bytes_ + queued_bytes_ + pending_bytes_; }

std::string Batcher::problem() const {
  std::lock_guard lock(mu_);
  if (!wal_problem_.empty()) return "the write-ahead log cannot be written: " + wal_problem_;
  if (!write_problem_.empty()) return "the last attempt to write a file failed: " + write_problem_;
  if (!commit_problem_.empty()) return "the last attempt to commit files failed: " + commit_problem_;
  return "";
}

}  // namespace o2p::pipeline
