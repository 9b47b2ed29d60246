// WriteAheadLog::ReadSegment: replay of one segment file. Kept apart from the writer because it
// shares nothing with it but the format, and because it must survive arbitrary garbage.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "o2p/pipeline/internal/wal_format.h"
#include "o2p/pipeline/wal.h"

namespace o2p::pipeline {
namespace {

// Reads a file front to back through one buffer that grows only to the largest record (never
// past the bytes left in the file), so a forged length cannot make us allocate more than the
// file holds, and small records cost one read() per chunk rather than two per record.
class ChunkReader {
 public:
  ChunkReader(int fd, uint64_t file_size, const std::string& path)
      : fd_(fd), file_size_(file_size), path_(path) {}

  /// File offset of the next unconsumed byte.
  uint64_t offset() const { return buffer_offset_ + begin_; }
  uint64_t remaining() const { return file_size_ - offset(); }

  /// Makes the next `n` bytes available to Peek. false when fewer remain in the file.
  Result<bool> Fill(size_t n) {
    if (end_ - begin_ >= n) return true;
    if (remaining() < n) return false;
    // Slide the unconsumed bytes to the front, then grow to hold n (or a whole chunk).
    const size_t kept = end_ - begin_;
    std::memmove(buffer_.data(), buffer_.data() + begin_, kept);
    buffer_offset_ += begin_;
    begin_ = 0;
    end_ = kept;
    const uint64_t want = std::min<uint64_t>(std::max<uint64_t>(n, kChunk), remaining());
    if (buffer_.size() < want) buffer_.resize(want);
    const uint64_t readable = std::min<uint64_t>(buffer_.size(), remaining());
    while (end_ < readable) {
      const ssize_t got = ::pread(fd_, buffer_.data() + end_, readable - end_,
                                  static_cast<off_t>(buffer_offset_ + end_));
      if (got < 0) {
        if (errno == EINTR) continue;
        return Status::IoError("cannot read {}: {}", path_, std::strerror(errno));
      }
      if (got == 0) break;  // the file shrank under us: what is there is all there is
      end_ += static_cast<size_t>(got);
    }
    return end_ - begin_ >= n;
  }

  std::string_view Peek(size_t n) const { return {buffer_.data() + begin_, n}; }
  void Skip(size_t n) { begin_ += n; }

 private:
  static constexpr uint64_t kChunk = uint64_t{1} << 20;

  const int fd_;
  const uint64_t file_size_;
  const std::string& path_;
  std::string buffer_;
  uint64_t buffer_offset_ = 0;  // file offset of buffer_[0]
  size_t begin_ = 0;
  size_t end_ = 0;
};

// Reads the segment header into *report; returns false (with report->problem) when it is bad.
Result<bool> ReadHeader(ChunkReader& reader, uint64_t file_size,
                        WriteAheadLog::ReadReport* report) {
  auto filled = reader.Fill(internal::kWalHeaderSize);
  if (!filled.ok()) return filled.error();
  if (!*filled) {
    report->problem = file_size == 0 ? "empty file: no segment header"
                                     : fmt::format("short segment header ({} of {} bytes)",
                                                   file_size, internal::kWalHeaderSize);
    return false;
  }
  uint64_t id = 0;
  report->problem = internal::CheckSegmentHeader(reader.Peek(internal::kWalHeaderSize).data(), &id);
  if (!report->problem.empty()) return false;
  report->segment_id = id;
  reader.Skip(internal::kWalHeaderSize);
  report->bytes = internal::kWalHeaderSize;
  return true;
}

// Validates the record at the reader's position. Returns its payload, an empty optional with
// *problem set when it is torn or corrupt, or an I/O error.
Result<std::optional<std::string_view>> NextRecord(ChunkReader& reader, std::string* problem) {
  const size_t kHeader = internal::kWalRecordHeaderSize;
  auto filled = reader.Fill(kHeader);
  if (!filled.ok()) return filled.error();
  if (!*filled) {
    *problem = fmt::format("short record header ({} of {} bytes)", reader.remaining(), kHeader);
    return std::optional<std::string_view>();
  }
  const char* header = reader.Peek(kHeader).data();
  const uint32_t length = DecodeFixed32(header);
  if (length > WriteAheadLog::kMaxRecordSize) {
    *problem = fmt::format("absurd record length {}", length);
    return std::optional<std::string_view>();
  }
  if (reader.remaining() < kHeader + length) {
    *problem = fmt::format("record length {} runs past the end of the file ({} bytes left)", length,
                           reader.remaining() - kHeader);
    return std::optional<std::string_view>();
  }
  filled = reader.Fill(kHeader + length);
  if (!filled.ok()) return filled.error();
  if (!*filled) {
    *problem = "file shrank while being read";
    return std::optional<std::string_view>();
  }
  const std::string_view record = reader.Peek(kHeader + length);
  const std::string_view payload = record.substr(kHeader);
  if (internal::RecordChecksum(record.data(), payload) != DecodeFixed32(record.data() + 4)) {
    *problem = fmt::format("checksum mismatch in a record of {} bytes", length);
    return std::optional<std::string_view>();
  }
  return std::optional<std::string_view>(payload);
}

Result<WriteAheadLog::ReadReport> ReadOpenSegment(
    int fd, const std::string& path, const std::function<Status(std::string_view)>& on_record) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return Status::IoError("cannot stat {}: {}", path, std::strerror(errno));
  }
  const auto file_size = static_cast<uint64_t>(st.st_size);
  WriteAheadLog::ReadReport report;
  ChunkReader reader(fd, file_size, path);
  auto header_ok = ReadHeader(reader, file_size, &report);
  if (!header_ok.ok()) return header_ok.error();
  if (!*header_ok) {
    report.truncated = true;
    return report;
  }
  while (reader.remaining() > 0) {
    const uint64_t at = reader.offset();
    std::string problem;
    auto record = NextRecord(reader, &problem);
    if (!record.ok()) return record.error();
    if (!record->has_value()) {
      report.truncated = true;
      report.problem = fmt::format("record {} at offset {}: {}", report.records + 1, at, problem);
      return report;
    }
    const std::string_view payload = **record;
    if (Status s = on_record(payload); !s.ok()) return s;
    reader.Skip(internal::kWalRecordHeaderSize + payload.size());
    ++report.records;
    report.bytes = reader.offset();
  }
  return report;
}

}  // namespace

Result<WriteAheadLog::ReadReport> WriteAheadLog::ReadSegment(
    const std::string& path, const std::function<Status(std::string_view)>& on_record) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("WAL segment {} does not exist", path);
    return Status::IoError("cannot open {}: {}", path, std::strerror(errno));
  }
  auto report = ReadOpenSegment(fd, path, on_record);
  ::close(fd);
  return report;
}

}  // namespace o2p::pipeline
