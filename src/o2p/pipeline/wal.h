// WriteAheadLog: the durability point of the receiver. An OTLP request is acknowledged only
// once its WAL record is on disk; segments are replayed at start-up and deleted by the caller
// once every row they hold is in a published Parquet file.
//
//   O2P_ASSIGN_OR_RETURN(auto wal, WriteAheadLog::Open({.dir = "/var/lib/o2p/wal"}));
//   for (uint64_t id : wal->RecoveredSegments()) {           // replay, then Remove(id) later
//     WriteAheadLog::ReadSegment(wal->SegmentPath(id), replay_one);
//   }
//   WriteAheadLog::WalTicket t = wal->Write(payload);        // fast, under the caller's lock
//   O2P_RETURN_IF_ERROR(wal->WaitDurable(t));                // outside it: group commit
//
// Files. One directory; segment files are named by a 20-digit zero-padded decimal id plus
// ".wal" (00000000000000000007.wal) so that names sort like ids. Other names are ignored,
// except "LOCK", which Open flock()s so that two processes never share a directory.
// Open never appends to a segment it found: the new active segment gets id max(found) + 1.
//
// Segment format (all integers little-endian):
//
//   header (24 bytes): "O2PWAL\r\n" | fixed32 version (1) | fixed64 segment id |
//                      fixed32 CRC-32C of the preceding 20 bytes
//   record:            fixed32 payload length | fixed32 CRC-32C of (length field + payload) |
//                      payload
//
// The record checksum covers the length field as well as the payload so that a run of zero
// bytes (what some file systems leave at the tail of a file after a crash) is not a valid
// empty record. Payloads are opaque and at most kMaxRecordSize bytes.
//
// Group commit (leader/follower, no background thread). Write() frames the record, computing
// the CRC outside the mutex, then appends it to the active segment's pending buffer under the
// mutex and returns a ticket naming that buffer (its "group"). WaitDurable() returns at once
// when the group is done; otherwise, if no thread is writing, the caller becomes the leader: it
// takes every pending buffer, releases the mutex, issues ONE pwrite() and one fdatasync() per
// segment touched (normally one segment; two right after a Rotate), then marks the groups done
// and wakes the followers. Records buffered meanwhile form the next group, whose first waiter
// leads it, so writes and syncs are pipelined: a group holds whatever arrived during the
// previous write + sync. No timer, no extra thread, and a lone writer pays one sync, no delay.
//
// Rotation. Rotate only switches segments under the mutex: the next segment file was created
// (header written, file and directory synced) ahead of time by a waiter whose record had just
// become durable, outside the mutex. The sealed segment's last records go out with the next
// group, whose leader then closes the file. So Rotate does no I/O in the common case and may be
// called under the caller's own lock. On a clean shutdown the unused spare file is deleted;
// after a crash it is recovered as a segment without records.
//
// Failures (ENOSPC, EIO, a failed fdatasync). Every waiter of the failed group gets an
// UNAVAILABLE Status (Status::IoError). The leader then ftruncate()s the segment back to its
// last durable offset, so the file stays a clean prefix of intact records; the next group
// writes from there (and retries the truncate first if it failed too). Nothing is retried
// automatically: the client retries the request. The failed records are normally absent from
// the file, but a crash before the truncate can leave them (whole or torn) at the tail: replay
// must tolerate records whose client saw an error (at-least-once), and the reader stops
// cleanly at a torn tail.
//
// fsync = false keeps everything above but skips every fdatasync/fsync (records reach the page
// cache: they survive a process crash, not a power loss).
//
// Thread safety: every member function may be called from any thread. The destructor writes
// (and syncs) records still pending; no thread may be inside a member call when it runs.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "o2p/base/result.h"
#include "o2p/base/status.h"

namespace o2p::pipeline {

namespace internal {
struct WalGroup;
struct WalSegment;
}  // namespace internal

struct WalOptions {
  /// Created (with parents) if missing.
  std::string dir;
  /// false: records are written but never fdatasync'ed.
  bool fsync = true;

  /// Test hooks replacing the system calls on segment files; empty means the real pwrite /
  /// fdatasync. They return like the system calls (-1 with errno set on failure).
  std::function<ssize_t(int fd, const void* data, size_t size, off_t offset)> pwrite_for_test;
  std::function<int(int fd)> fdatasync_for_test;
};

/// Where a record starts (for callers that keep their own index).
struct WalRecordRef {
  uint64_t segment = 0;
  uint64_t offset = 0;
};

class WriteAheadLog {
 public:
  /// Larger payloads are refused by Write and treated as corruption by ReadSegment.
  static constexpr size_t kMaxRecordSize = size_t{1} << 30;
  static constexpr size_t kHeaderSize = 24;
  static constexpr size_t kRecordHeaderSize = 8;

  /// Identifies one Write() for WaitDurable().
  struct WalTicket {
    uint64_t segment = 0;
    /// 1, 2, 3 ... across all segments of this WriteAheadLog, in Write order; 0 when refused.
    uint64_t sequence = 0;
    /// Where the record's header starts within its group's buffer (see Locate).
    uint64_t offset_in_group = 0;
    /// The commit group holding the record; WaitDurable waits for it.
    std::shared_ptr<internal::WalGroup> group;
  };

  struct Stats {
    uint64_t records = 0;  // records made durable
    uint64_t bytes = 0;    // bytes made durable (record headers included)
    uint64_t groups = 0;   // commit groups that succeeded
    uint64_t syncs = 0;    // fdatasync calls on record data (0 when fsync = false)
    uint64_t failed_groups = 0;
  };

  /// Opens (creating) the directory, takes its LOCK, lists the existing segments and creates a
  /// new active segment. FAILED_PRECONDITION when another WriteAheadLog holds the directory.
  static Result<std::unique_ptr<WriteAheadLog>> Open(const WalOptions& options);

  /// Writes what is pending, closes the files and deletes the unused spare segment.
  ~WriteAheadLog();
  WriteAheadLog(const WriteAheadLog&) = delete;
  WriteAheadLog& operator=(const WriteAheadLog&) = delete;

  /// Segment ids found by Open, ascending: to replay, then Remove.
  std::vector<uint64_t> RecoveredSegments() const { return recovered_; }
  uint64_t active_segment() const;
  /// Bytes the active segment holds once everything written to it so far is on disk (header
  /// included; records of a failed group are subtracted). For rotation by size.
  size_t active_bytes() const;

  /// Copies the framed record into the active segment's pending buffer. Cheap (a CRC outside
  /// the mutex, one memcpy under it, no I/O): callers may hold their own lock to order appends.
  /// The record is written once some thread calls WaitDurable (or Remove, or the destructor
  /// runs). A payload larger than kMaxRecordSize is refused: WaitDurable then returns
  /// INVALID_ARGUMENT for its ticket.
  WalTicket Write(std::string_view payload);

  /// Blocks until the ticket's group is written and (if fsync) fdatasync'ed, leading the group
  /// commit when no other thread is. UNAVAILABLE when that write or sync failed.
  Status WaitDurable(const WalTicket& ticket);

  /// Seals the active segment and makes a new one active; returns the sealed id. Records
  /// written after Rotate go to the new segment. Normally no I/O: the new segment is a spare
  /// file created (and synced) in advance by a group-commit leader after it has woken its
  /// followers, so Rotate may be called under the caller's lock. Records of the old segment
  /// not yet written go out with the next group commit (led by their own waiters), after which
  /// its file is closed. Only when there is no spare yet (no group commit since the last
  /// Rotate, or a failed creation) does Rotate create the file itself; UNAVAILABLE when that
  /// fails, and the active segment then stays active.
  Result<uint64_t> Rotate();

  /// Deletes a sealed or recovered segment file and fsyncs the directory. Records of the
  /// segment still pending are written first (a Remove right after Rotate waits for them).
  /// FAILED_PRECONDITION for the active segment; NOT_FOUND when there is no such file.
  Status Remove(uint64_t segment);

  /// Where the ticket's record starts in its segment file. REQUIRES: WaitDurable(ticket) OK
  /// (until then the offset is not known: a failed earlier group moves later records).
  static WalRecordRef Locate(const WalTicket& ticket);

  std::string SegmentPath(uint64_t segment) const;

  /// fdatasync calls on record data so far (group commits; not headers or directories).
  uint64_t sync_count() const;
  Stats stats() const;

  /// What ReadSegment found. `bytes` is the length of the intact prefix (header included).
  struct ReadReport {
    uint64_t segment_id = 0;  // from the header; 0 when it is unreadable
    uint64_t records = 0;
    uint64_t bytes = 0;
    bool truncated = false;  // stopped before the end of the file
    std::string problem;     // why, when truncated
  };
  /// Reads a segment file in order, calling on_record for each intact record (the view is
  /// valid during the call only), and stops at a bad header or the first torn or corrupt
  /// record (short header, length past the end of the file or above kMaxRecordSize, checksum
  /// mismatch), which the report describes. Never allocates more than the file size. An error
  /// Result only for I/O errors (NOT_FOUND for a missing file) and on_record failures.
  static Result<ReadReport> ReadSegment(const std::string& path,
                                        const std::function<Status(std::string_view)>& on_record);

 private:
  struct Job;

  explicit WriteAheadLog(WalOptions options);

  Status Init();
  Status CreateSegmentFile(uint64_t id, int* fd_out);
  Result<std::unique_ptr<internal::WalSegment>> NewSegment(std::unique_lock<std::mutex>& lock);
  void MaybeCreateSpare(std::unique_lock<std::mutex>& lock);
  void WaitGroup(std::unique_lock<std::mutex>& lock, const internal::WalGroup& group);
  void LeadGroup(std::unique_lock<std::mutex>& lock);
  void RunJob(Job& job);
  void FinishJob(Job& job);
  void CloseFinishedSegments();
  int PwriteAll(int fd, std::string_view data, uint64_t offset);
  ssize_t DoPwrite(int fd, const void* data, size_t size, off_t offset);
  int DoFdatasync(int fd);

  const WalOptions options_;
  int lock_fd_ = -1;
  std::vector<uint64_t> recovered_;

  std::mutex rotate_mu_;  // serializes Rotate so active ids only grow; taken before mu_

  mutable std::mutex mu_;
  std::condition_variable cv_;  // a leader finished, or a spare was created
  // Open segment files in id order: sealed ones still being written or truncated, then the
  // active one (back). unique_ptr keeps a leader's pointers valid while the deque changes.
  std::deque<std::unique_ptr<internal::WalSegment>> segments_;
  std::unique_ptr<internal::WalSegment> spare_;  // the next active segment, created ahead
  bool creating_spare_ = false;  // a thread is creating a segment file (without mu_)
  bool spare_failed_ = false;    // the last creation failed (log once, not per group)
  bool leading_ = false;         // a leader is writing; it alone touches fds and offsets
  uint64_t next_segment_id_ = 1;
  uint64_t last_sequence_ = 0;
  std::string spare_buffer_;  // a finished group's buffer, reused by the next group
  Stats stats_;
};

}  // namespace o2p::pipeline
