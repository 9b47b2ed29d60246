#include "o2p/pipeline/wal.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include "o2p/base/log.h"
#include "o2p/base/macros.h"
#include "o2p/pipeline/internal/wal_format.h"

namespace o2p::pipeline {

using internal::WalGroup;
using internal::WalSegment;

static_assert(WriteAheadLog::kHeaderSize == internal::kWalHeaderSize);
static_assert(WriteAheadLog::kRecordHeaderSize == internal::kWalRecordHeaderSize);

namespace {

// A finished group's buffer is kept for the next one so steady-state appends do not reallocate;
// beyond this a burst's buffer is given back instead.
constexpr size_t kMaxSpareBuffer = size_t{64} << 20;

Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  return Status::IoError("{} {}: {}", what, path, std::strerror(err));
}

// Parses "<20 digits>.wal"; anything else is not ours.
bool ParseSegmentName(std::string_view name, uint64_t* id) {
  constexpr size_t kDigits = 20;
  if (name.size() != kDigits + 4 || name.substr(kDigits) != ".wal") return false;
  if (!std::all_of(name.begin(), name.begin() + kDigits,
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const auto [end, ec] = std::from_chars(name.data(), name.data() + kDigits, *id);
  return ec == std::errc() && end == name.data() + kDigits;
}

// A created or deleted file name is durable only once its directory is synced.
Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open directory", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus("cannot flush directory", dir, err);
  return Status::Ok();
}

}  // namespace

// What a leader does for one segment in one group: filled under the mutex, run without it,
// applied under it again.
struct WriteAheadLog::Job {
  WalSegment* segment = nullptr;
  std::shared_ptr<WalGroup> group;  // null: only a truncate retry
  std::string data;
  // Results, applied by FinishJob.
  Status status;
  uint64_t offset = 0;  // where data went
  bool torn = false;
  uint64_t syncs = 0;
};

WriteAheadLog::WriteAheadLog(WalOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<WriteAheadLog>> WriteAheadLog::Open(const WalOptions& options) {
  if (options.dir.empty()) return Status::InvalidArgument("WAL directory is empty");
  std::unique_ptr<WriteAheadLog> wal(new WriteAheadLog(options));
  O2P_RETURN_IF_ERROR(wal->Init());
  return wal;
}

Status WriteAheadLog::Init() {
  const std::string& dir = options_.dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create directory {}: {}", dir, ec.message());

  const std::string lock_path = dir + "/LOCK";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) return ErrnoStatus("cannot open", lock_path, errno);
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return {StatusCode::kFailedPrecondition,
              fmt::format("WAL directory {} is in use by another writer", dir)};
    }
    return ErrnoStatus("cannot lock", lock_path, errno);
  }

  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    uint64_t id = 0;
    if (ParseSegmentName(entry.path().filename().string(), &id)) recovered_.push_back(id);
  }
  if (ec) return Status::IoError("cannot list directory {}: {}", dir, ec.message());
  std::sort(recovered_.begin(), recovered_.end());
  if (!recovered_.empty() && recovered_.back() == UINT64_MAX) {
    return Status::Internal("WAL directory {} has exhausted segment ids", dir);
  }

  next_segment_id_ = recovered_.empty() ? 1 : recovered_.back() + 1;
  auto segment = std::make_unique<WalSegment>();
  segment->id = next_segment_id_++;
  O2P_RETURN_IF_ERROR(CreateSegmentFile(segment->id, &segment->fd));
  segments_.push_back(std::move(segment));
  return Status::Ok();
}

WriteAheadLog::~WriteAheadLog() {
  std::unique_lock lock(mu_);
  while (leading_) cv_.wait(lock);
  // Records written but never waited for still go to disk: a later replay may want them.
  const bool pending = std::any_of(segments_.begin(), segments_.end(),
                                   [](const auto& s) { return s->pending != nullptr; });
  if (pending) LeadGroup(lock);
  for (const auto& segment : segments_) {
    if (segment->fd >= 0) ::close(segment->fd);
  }
  // The spare holds nothing; left behind it would only be replayed as an empty segment.
  if (spare_ != nullptr) {
    ::close(spare_->fd);
    ::unlink(SegmentPath(spare_->id).c_str());
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::string WriteAheadLog::SegmentPath(uint64_t segment) const {
  return fmt::format("{}/{:020d}.wal", options_.dir, segment);
}

uint64_t WriteAheadLog::active_segment() const {
  std::lock_guard lock(mu_);
  return segments_.back()->id;
}

size_t WriteAheadLog::active_bytes() const {
  std::lock_guard lock(mu_);
  return segments_.back()->logical;
}

uint64_t WriteAheadLog::sync_count() const {
  std::lock_guard lock(mu_);
  return stats_.syncs;
}

WriteAheadLog::Stats WriteAheadLog::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

WalRecordRef WriteAheadLog::Locate(const WalTicket& ticket) {
  return {ticket.segment, ticket.group ? ticket.group->file_offset + ticket.offset_in_group : 0};
}

ssize_t WriteAheadLog::DoPwrite(int fd, const void* data, size_t size, off_t offset) {
  if (options_.pwrite_for_test) return options_.pwrite_for_test(fd, data, size, offset);
  return ::pwrite(fd, data, size, offset);
}

int WriteAheadLog::DoFdatasync(int fd) {
  if (options_.fdatasync_for_test) return options_.fdatasync_for_test(fd);
  return ::fdatasync(fd);
}

// Writes all of `data` at `offset`, retrying short writes and EINTR; returns 0 or an errno.
int WriteAheadLog::PwriteAll(int fd, std::string_view data, uint64_t offset) {
  while (!data.empty()) {
    const ssize_t n = DoPwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;  // no progress and no error: do not spin
    data.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return 0;
}

Status WriteAheadLog::CreateSegmentFile(uint64_t id, int* fd_out) {
  const std::string path = SegmentPath(id);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create WAL segment", path, errno);
  Status status;
  if (const int err = PwriteAll(fd, internal::EncodeSegmentHeader(id), 0); err != 0) {
    status = ErrnoStatus("cannot write WAL segment header", path, err);
  } else if (options_.fsync && DoFdatasync(fd) != 0) {
    status = ErrnoStatus("cannot flush WAL segment", path, errno);
  } else if (options_.fsync) {
    status = SyncDirectory(options_.dir);
  }
  if (!status.ok()) {
    ::close(fd);
    ::unlink(path.c_str());
    return status;
  }
  *fd_out = fd;
  return Status::Ok();
}

// Creates the next segment file with mu_ released. REQUIRES: lock held, no creation running.
Result<std::unique_ptr<WalSegment>> WriteAheadLog::NewSegment(std::unique_lock<std::mutex>& lock) {
  creating_spare_ = true;
  auto segment = std::make_unique<WalSegment>();
  segment->id = next_segment_id_++;  // never reused, even when creation fails
  lock.unlock();
  Status status = CreateSegmentFile(segment->id, &segment->fd);
  lock.lock();
  creating_spare_ = false;
  cv_.notify_all();
  if (!status.ok()) return status;
  return segment;
}

// Prepares the segment the next Rotate switches to, so that Rotate does no I/O. Run by waiters
// after their record is durable: it delays one response per rotation, not every append.
void WriteAheadLog::MaybeCreateSpare(std::unique_lock<std::mutex>& lock) {
  if (spare_ != nullptr || creating_spare_) return;
  auto segment = NewSegment(lock);
  if (segment.ok()) {
    spare_ = std::move(*segment);
    spare_failed_ = false;
  } else if (!spare_failed_) {
    spare_failed_ = true;
    LogWarn("cannot create the next WAL segment ahead of time",
            {{"error", segment.error().message()}});
  }
}

WriteAheadLog::WalTicket WriteAheadLog::Write(std::string_view payload) {
  if (payload.size() > kMaxRecordSize) {
    auto refused = std::make_shared<WalGroup>();
    refused->done = true;
    refused->status = Status::InvalidArgument(
        "WAL record of {} bytes is larger than the {} byte limit", payload.size(), kMaxRecordSize);
    return WalTicket{0, 0, 0, std::move(refused)};
  }
  // The checksum is the expensive part: compute it before taking the mutex.
  char header[kRecordHeaderSize];
  internal::EncodeRecordHeader(header, payload);

  std::lock_guard lock(mu_);
  WalSegment& segment = *segments_.back();
  if (!segment.pending) {
    segment.pending = std::make_shared<WalGroup>();
    segment.pending->data = std::move(spare_buffer_);
    segment.pending->data.clear();
    spare_buffer_ = std::string();
  }
  WalGroup& group = *segment.pending;
  WalTicket ticket{segment.id, ++last_sequence_, group.data.size(), segment.pending};
  group.data.append(header, sizeof(header));
  group.data.append(payload);
  ++group.records;
  segment.logical += sizeof(header) + payload.size();
  return ticket;
}

Status WriteAheadLog::WaitDurable(const WalTicket& ticket) {
  if (!ticket.group) return Status::InvalidArgument("empty WAL ticket");
  std::unique_lock lock(mu_);
  WaitGroup(lock, *ticket.group);
  Status status = ticket.group->status;
  if (status.ok()) MaybeCreateSpare(lock);
  return status;
}

void WriteAheadLog::WaitGroup(std::unique_lock<std::mutex>& lock, const WalGroup& group) {
  while (!group.done) {
    // A group that is not done is either pending (nobody leads: we do) or being written.
    if (!leading_) {
      LeadGroup(lock);
    } else {
      cv_.wait(lock);
    }
  }
}

void WriteAheadLog::LeadGroup(std::unique_lock<std::mutex>& lock) {
  leading_ = true;
  std::vector<Job> jobs;
  for (const auto& segment : segments_) {
    if (!segment->pending && !segment->torn) continue;
    Job& job = jobs.emplace_back();
    job.segment = segment.get();
    job.group = std::move(segment->pending);
    segment->pending = nullptr;
    if (job.group) job.data = std::move(job.group->data);
    segment->in_flight = true;
  }
  lock.unlock();
  for (Job& job : jobs) RunJob(job);
  lock.lock();
  for (Job& job : jobs) FinishJob(job);
  CloseFinishedSegments();
  leading_ = false;
  cv_.notify_all();
}

// Without the mutex. Only touches the file and the job; the segment's fields are stable while
// it is in flight.
void WriteAheadLog::RunJob(Job& job) {
  const WalSegment& segment = *job.segment;
  job.offset = segment.durable;
  job.torn = segment.torn;
  if (job.torn) {
    if (::ftruncate(segment.fd, static_cast<off_t>(segment.durable)) != 0) {
      const int err = errno;  // before SegmentPath, which may allocate and change errno
      job.status = ErrnoStatus("cannot truncate WAL segment", SegmentPath(segment.id), err);
      return;
    }
    job.torn = false;
  }
  if (job.data.empty()) return;
  job.torn = true;  // from here bytes past `durable` may exist until we succeed or truncate
  const char* what = "cannot write WAL segment";
  int err = PwriteAll(segment.fd, job.data, job.offset);
  if (err == 0 && options_.fsync) {
    ++job.syncs;
    if (DoFdatasync(segment.fd) != 0) {
      err = errno;
      what = "cannot flush WAL segment";
    }
  }
  if (err == 0) {
    job.torn = false;
    return;
  }
  job.status = ErrnoStatus(what, SegmentPath(segment.id), err);
  // Cut the failed bytes so the next group continues an intact file. If even that fails the
  // segment stays torn and the next leader retries before writing.
  if (::ftruncate(segment.fd, static_cast<off_t>(job.offset)) == 0) job.torn = false;
}

void WriteAheadLog::FinishJob(Job& job) {
  WalSegment& segment = *job.segment;
  segment.in_flight = false;
  segment.torn = job.torn;
  stats_.syncs += job.syncs;
  if (!job.group) return;  // a truncate retry: the next group reports any failure
  WalGroup& group = *job.group;
  if (job.status.ok()) {
    segment.durable = job.offset + job.data.size();
    group.file_offset = job.offset;
    stats_.records += group.records;
    stats_.bytes += job.data.size();
    ++stats_.groups;
  } else {
    group.status = job.status;
    segment.logical -= job.data.size();
    ++stats_.failed_groups;
    LogWarn("WAL group commit failed",
            {{"segment", segment.id}, {"records", group.records}, {"error", job.status.message()}});
  }
  group.done = true;
  if (job.data.capacity() <= kMaxSpareBuffer && job.data.capacity() > spare_buffer_.capacity()) {
    spare_buffer_ = std::move(job.data);
  }
}

// Closes sealed segments nobody will write again. Under the mutex.
void WriteAheadLog::CloseFinishedSegments() {
  for (auto it = segments_.begin(); it != segments_.end();) {
    WalSegment& segment = **it;
    if (segment.sealed && !segment.pending && !segment.in_flight && !segment.torn) {
      ::close(segment.fd);
      it = segments_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<uint64_t> WriteAheadLog::Rotate() {
  std::lock_guard rotating(rotate_mu_);
  std::unique_lock lock(mu_);
  while (creating_spare_) cv_.wait(lock);
  std::unique_ptr<WalSegment> fresh = std::move(spare_);
  if (fresh == nullptr) {
    O2P_ASSIGN_OR_RETURN(fresh, NewSegment(lock));
  }
  WalSegment& old = *segments_.back();
  const uint64_t old_id = old.id;
  old.sealed = true;  // its pending records still go out with the next group
  segments_.push_back(std::move(fresh));
  CloseFinishedSegments();  // `old`, when nothing of it is pending or being written
  return old_id;
}

Status WriteAheadLog::Remove(uint64_t segment_id) {
  {
    std::unique_lock lock(mu_);
    if (segments_.back()->id == segment_id || (spare_ != nullptr && spare_->id == segment_id)) {
      return {StatusCode::kFailedPrecondition,
              fmt::format("WAL segment {} is not sealed: Rotate before Remove", segment_id)};
    }
    // A segment sealed moments ago may still have records pending or being written: let them
    // finish (their waiters expect an answer), then close the file. Waiting can close it too,
    // so look it up again each time.
    const auto find = [&] {
      return std::find_if(segments_.begin(), segments_.end(),
                          [&](const auto& s) { return s->id == segment_id; });
    };
    for (auto it = find(); it != segments_.end(); it = find()) {
      WalSegment& segment = **it;
      if (std::shared_ptr<WalGroup> tail = segment.pending) {
        WaitGroup(lock, *tail);
      } else if (segment.in_flight) {
        cv_.wait(lock);
      } else {
        // Left torn by a failed truncate: deleting the file settles that too.
        ::close(segment.fd);
        segments_.erase(it);
        break;
      }
    }
  }
  const std::string path = SegmentPath(segment_id);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return Status::NotFound("WAL segment {} does not exist", path);
    return ErrnoStatus("cannot delete WAL segment", path, errno);
  }
  // Without this a crash could bring the segment back and replay it a second time.
  return options_.fsync ? SyncDirectory(options_.dir) : Status::Ok();
}

}  // namespace o2p::pipeline
