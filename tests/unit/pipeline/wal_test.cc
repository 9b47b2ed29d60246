#include "o2p/pipeline/wal.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include "o2p/base/coding.h"

namespace o2p::pipeline {
namespace {

namespace fs = std::filesystem;
using Ticket = WriteAheadLog::WalTicket;

class WalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/o2p-wal-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  WalOptions Options() const {
    WalOptions options;
    options.dir = dir_ + "/wal";
    return options;
  }

  static std::unique_ptr<WriteAheadLog> OpenOrDie(const WalOptions& options) {
    auto wal = WriteAheadLog::Open(options);
    EXPECT_TRUE(wal.ok()) << wal.status().ToString();
    return wal.ok() ? std::move(*wal) : nullptr;
  }

  struct ReadBack {
    std::vector<std::string> records;
    WriteAheadLog::ReadReport report;
  };
  static ReadBack ReadAll(const std::string& path) {
    ReadBack out;
    auto report = WriteAheadLog::ReadSegment(path, [&](std::string_view payload) {
      out.records.emplace_back(payload);
      return Status::Ok();
    });
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    if (report.ok()) out.report = *report;
    return out;
  }

  static void WriteFile(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  std::string dir_;
};

std::string Payload(int i, size_t size) {
  std::string s = "record-" + std::to_string(i) + ":";
  while (s.size() < size) s.push_back(static_cast<char>('a' + (s.size() * 7 + i) % 26));
  s.resize(size);
  return s;
}

// Writes `n` records, waiting for each, and returns them.
std::vector<std::string> WriteRecords(WriteAheadLog& wal, int first, int n) {
  std::vector<std::string> written;
  for (int i = first; i < first + n; ++i) {
    written.push_back(Payload(i, static_cast<size_t>(i % 5 == 0 ? 0 : 10 + (i * 37) % 3000)));
    const Ticket t = wal.Write(written.back());
    EXPECT_TRUE(wal.WaitDurable(t).ok());
  }
  return written;
}

TEST_F(WalTest, RoundTripAcrossRotate) {
  auto wal = OpenOrDie(Options());
  ASSERT_NE(wal, nullptr);
  EXPECT_TRUE(wal->RecoveredSegments().empty());
  EXPECT_EQ(wal->active_segment(), 1u);
  EXPECT_EQ(wal->active_bytes(), WriteAheadLog::kHeaderSize);

  const std::vector<std::string> first = WriteRecords(*wal, 0, 120);
  size_t expected_bytes = WriteAheadLog::kHeaderSize;
  for (const auto& r : first) expected_bytes += WriteAheadLog::kRecordHeaderSize + r.size();
  EXPECT_EQ(wal->active_bytes(), expected_bytes);
  EXPECT_EQ(fs::file_size(wal->SegmentPath(1)), expected_bytes);

  auto sealed = wal->Rotate();
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(*sealed, 1u);
  EXPECT_EQ(wal->active_segment(), 2u);
  const std::vector<std::string> second = WriteRecords(*wal, 1000, 50);
  ASSERT_TRUE(wal->Rotate().ok());
  // Unwaited records of the old segment are still written by the next group commit.
  const std::vector<std::string> third = {"x", "", "yz"};
  std::vector<Ticket> tickets;
  for (const auto& r : third) tickets.push_back(wal->Write(r));
  ASSERT_TRUE(wal->Rotate().ok());
  for (const auto& t : tickets) EXPECT_TRUE(wal->WaitDurable(t).ok());
  EXPECT_EQ(tickets[0].segment, 3u);
  EXPECT_EQ(wal->active_segment(), 4u);

  ReadBack a = ReadAll(wal->SegmentPath(1));
  EXPECT_EQ(a.records, first);
  EXPECT_FALSE(a.report.truncated) << a.report.problem;
  EXPECT_EQ(a.report.segment_id, 1u);
  EXPECT_EQ(a.report.bytes, expected_bytes);
  EXPECT_EQ(ReadAll(wal->SegmentPath(2)).records, second);
  EXPECT_EQ(ReadAll(wal->SegmentPath(3)).records, third);
  ReadBack active = ReadAll(wal->SegmentPath(4));
  EXPECT_TRUE(active.records.empty());
  EXPECT_FALSE(active.report.truncated);
}

TEST_F(WalTest, LocateGivesRecordOffsets) {
  auto wal = OpenOrDie(Options());
  ASSERT_NE(wal, nullptr);
  std::vector<Ticket> tickets;
  for (int i = 0; i < 5; ++i) tickets.push_back(wal->Write(Payload(i, 100 + i)));
  for (const auto& t : tickets) ASSERT_TRUE(wal->WaitDurable(t).ok());
  const std::string file = ReadFile(wal->SegmentPath(1));
  uint64_t expected = WriteAheadLog::kHeaderSize;
  for (int i = 0; i < 5; ++i) {
    const WalRecordRef ref = WriteAheadLog::Locate(tickets[static_cast<size_t>(i)]);
    EXPECT_EQ(ref.segment, 1u);
    EXPECT_EQ(ref.offset, expected);
    EXPECT_EQ(DecodeFixed32(file.data() + ref.offset), 100u + static_cast<uint32_t>(i));
    expected += WriteAheadLog::kRecordHeaderSize + 100 + static_cast<uint64_t>(i);
  }
}

TEST_F(WalTest, ReopenListsRecoveredSegments) {
  const WalOptions options = Options();
  std::vector<std::string> first;
  {
    auto wal = OpenOrDie(options);
    ASSERT_NE(wal, nullptr);
    first = WriteRecords(*wal, 0, 10);
    ASSERT_TRUE(wal->Rotate().ok());
    WriteRecords(*wal, 10, 3);
    // A second writer on the same directory is refused while the first holds it.
    auto other = WriteAheadLog::Open(options);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code(), StatusCode::kFailedPrecondition);
  }
  // Names that are not exactly <20 digits>.wal are not segments.
  WriteFile(options.dir + "/notes.txt", "x");
  WriteFile(options.dir + "/7.wal", "x");
  WriteFile(options.dir + "/0000000000000000000x.wal", "x");
  WriteFile(options.dir + "/00000000000000000099.wal.tmp", "x");

  auto wal = OpenOrDie(options);
  ASSERT_NE(wal, nullptr);
  EXPECT_EQ(wal->RecoveredSegments(), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(wal->active_segment(), 3u);
  EXPECT_EQ(ReadAll(wal->SegmentPath(1)).records, first);
  EXPECT_EQ(ReadAll(wal->SegmentPath(2)).records.size(), 3u);
  // Recovered segments are never appended to.
  WriteRecords(*wal, 100, 2);
  EXPECT_EQ(ReadAll(wal->SegmentPath(2)).records.size(), 3u);
  EXPECT_EQ(ReadAll(wal->SegmentPath(3)).records.size(), 2u);
}

TEST_F(WalTest, TornTailStopsCleanly) {
  std::string path;
  std::vector<std::string> written;
  {
    auto wal = OpenOrDie(Options());
    ASSERT_NE(wal, nullptr);
    written = WriteRecords(*wal, 1, 9);  // the last one (9) is not empty
    path = wal->SegmentPath(1);
  }
  const auto size = fs::file_size(path);
  const size_t last = WriteAheadLog::kRecordHeaderSize + written.back().size();

  fs::resize_file(path, size - 5);  // inside the last payload
  ReadBack torn = ReadAll(path);
  EXPECT_EQ(torn.records, std::vector<std::string>(written.begin(), written.end() - 1));
  EXPECT_TRUE(torn.report.truncated);
  EXPECT_NE(torn.report.problem.find("runs past the end"), std::string::npos)
      << torn.report.problem;
  EXPECT_NE(torn.report.problem.find("record 9 "), std::string::npos) << torn.report.problem;
  EXPECT_EQ(torn.report.bytes, size - last);

  fs::resize_file(path, size - last + 3);  // inside the last record's header
  torn = ReadAll(path);
  EXPECT_EQ(torn.records.size(), 8u);
  EXPECT_TRUE(torn.report.truncated);
  EXPECT_NE(torn.report.problem.find("short record header"), std::string::npos)
      << torn.report.problem;

  fs::resize_file(path, size - last);  // exactly at a record boundary: clean
  torn = ReadAll(path);
  EXPECT_EQ(torn.records.size(), 8u);
  EXPECT_FALSE(torn.report.truncated);
}

TEST_F(WalTest, CorruptPayloadFailsTheChecksum) {
  std::string path;
  {
    auto wal = OpenOrDie(Options());
    ASSERT_NE(wal, nullptr);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(wal->WaitDurable(wal->Write(Payload(i, 64))).ok());
    path = wal->SegmentPath(1);
  }
  std::string bytes = ReadFile(path);
  const size_t third = WriteAheadLog::kHeaderSize + 2 * (WriteAheadLog::kRecordHeaderSize + 64);
  bytes[third + WriteAheadLog::kRecordHeaderSize + 10] ^= 0x01;
  WriteFile(path, bytes);
  ReadBack back = ReadAll(path);
  EXPECT_EQ(back.records.size(), 2u);
  EXPECT_TRUE(back.report.truncated);
  EXPECT_NE(back.report.problem.find("checksum mismatch"), std::string::npos)
      << back.report.problem;
  EXPECT_EQ(back.report.bytes, third);

  // A zero-filled tail (what a crash can leave) is not a run of empty records.
  bytes.resize(third);
  bytes.append(4096, '\0');
  WriteFile(path, bytes);
  back = ReadAll(path);
  EXPECT_EQ(back.records.size(), 2u);
  EXPECT_TRUE(back.report.truncated);
}

TEST_F(WalTest, GarbageEmptyAndHeaderOnlyFiles) {
  const std::string path = dir_ + "/00000000000000000001.wal";
  WriteFile(path, "");
  ReadBack back = ReadAll(path);
  EXPECT_TRUE(back.records.empty());
  EXPECT_TRUE(back.report.truncated);
  EXPECT_NE(back.report.problem.find("empty file"), std::string::npos);

  WriteFile(path, "O2PWAL");
  back = ReadAll(path);
  EXPECT_TRUE(back.report.truncated);
  EXPECT_NE(back.report.problem.find("short segment header"), std::string::npos);

  std::string garbage(1 << 16, '\0');
  uint32_t x = 12345;
  for (char& c : garbage) c = static_cast<char>((x = x * 1103515245 + 12345) >> 16);
  WriteFile(path, garbage);
  back = ReadAll(path);
  EXPECT_TRUE(back.records.empty());
  EXPECT_TRUE(back.report.truncated);
  EXPECT_NE(back.report.problem.find("bad magic"), std::string::npos);

  // A real header, then garbage: lengths up to 4 GiB must be rejected, not allocated.
  std::string header;
  {
    auto wal = OpenOrDie(Options());
    ASSERT_NE(wal, nullptr);
    header = ReadFile(wal->SegmentPath(1));
  }
  ASSERT_EQ(header.size(), WriteAheadLog::kHeaderSize);
  WriteFile(path, header);
  back = ReadAll(path);
  EXPECT_TRUE(back.records.empty());
  EXPECT_FALSE(back.report.truncated) << back.report.problem;
  EXPECT_EQ(back.report.segment_id, 1u);

  for (const uint32_t length : {0xFFFFFFFFu, (1u << 30) + 1, (1u << 30) - 1, 100u}) {
    std::string bytes = header;
    PutFixed32(&bytes, length);
    PutFixed32(&bytes, 0xDEADBEEF);
    bytes.append(garbage.substr(0, 200));
    WriteFile(path, bytes);
    back = ReadAll(path);
    EXPECT_TRUE(back.records.empty());
    EXPECT_TRUE(back.report.truncated) << length;
    EXPECT_FALSE(back.report.problem.empty());
  }

  header[9] ^= 0x40;  // the version, caught by the header checksum
  WriteFile(path, header);
  back = ReadAll(path);
  EXPECT_TRUE(back.report.truncated);
  EXPECT_NE(back.report.problem.find("header checksum"), std::string::npos);

  EXPECT_EQ(WriteAheadLog::ReadSegment(dir_ + "/missing.wal",
                                       [](std::string_view) { return Status::Ok(); })
                .error()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(WalTest, ReaderPropagatesCallbackErrors) {
  auto wal = OpenOrDie(Options());
  ASSERT_NE(wal, nullptr);
  WriteRecords(*wal, 1, 3);
  int calls = 0;
  auto report = WriteAheadLog::ReadSegment(wal->SegmentPath(1), [&](std::string_view) {
    return ++calls == 2 ? Status::InvalidArgument("bad record") : Status::Ok();
  });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message(), "bad record");
  EXPECT_EQ(calls, 2);
}

TEST_F(WalTest, RefusesOversizedRecords) {
  auto wal = OpenOrDie(Options());
  ASSERT_NE(wal, nullptr);
  // Reserved, never touched: Write must refuse on the size alone.
  const size_t size = WriteAheadLog::kMaxRecordSize + 1;
  void* big = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(big, MAP_FAILED);
  const Ticket t = wal->Write(std::string_view(static_cast<const char*>(big), size));
  EXPECT_EQ(wal->WaitDurable(t).code(), StatusCode::kInvalidArgument);
  ::munmap(big, size);
  EXPECT_EQ(wal->active_bytes(), WriteAheadLog::kHeaderSize);
  EXPECT_EQ(wal->WaitDurable(Ticket{}).code(), StatusCode::kInvalidArgument);
}

// fdatasync made slow (as on a real disk) so that group commit has something to group, however
// fast the test machine's storage is.
WalOptions WithSlowSync(WalOptions options, std::atomic<int>* pwrites) {
  options.fdatasync_for_test = [](int fd) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return ::fdatasync(fd);
  };
  options.pwrite_for_test = [pwrites](int fd, const void* data, size_t size, off_t offset) {
    pwrites->fetch_add(1);
    return ::pwrite(fd, data, size, offset);
  };
  return options;
}

TEST_F(WalTest, ConcurrentWritersShareSyncs) {
  std::atomic<int> pwrites{0};
  auto wal = OpenOrDie(WithSlowSync(Options(), &pwrites));
  ASSERT_NE(wal, nullptr);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const Ticket ticket = wal->Write(Payload(t * 100000 + i, 1000 + static_cast<size_t>(i)));
        if (!wal->WaitDurable(ticket).ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);

  const WriteAheadLog::Stats stats = wal->stats();
  constexpr int kRecords = kThreads * kPerThread;
  EXPECT_EQ(stats.records, static_cast<uint64_t>(kRecords));
  EXPECT_EQ(stats.syncs, wal->sync_count());
  // One pwrite per group, plus the segment headers (the active one and the spare).
  EXPECT_LE(static_cast<uint64_t>(pwrites.load()), stats.groups + 2);
  // Eight writers against a 2 ms sync: groups hold several records each.
  EXPECT_LT(stats.syncs * 2, static_cast<uint64_t>(kRecords)) << stats.syncs;
  std::printf("[          ] %d records in %llu groups (%.1f records per fdatasync)\n", kRecords,
              static_cast<unsigned long long>(stats.groups),
              static_cast<double>(kRecords) / static_cast<double>(stats.syncs));

  ReadBack back = ReadAll(wal->SegmentPath(1));
  EXPECT_FALSE(back.report.truncated) << back.report.problem;
  std::multiset<std::string> expected;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      expected.insert(Payload(t * 100000 + i, 1000 + static_cast<size_t>(i)));
    }
  }
  EXPECT_EQ(std::multiset<std::string>(back.records.begin(), back.records.end()), expected);
}

// Writers keep going while another thread rotates: every acknowledged record is in exactly one
// segment, and each segment reads back cleanly.
TEST_F(WalTest, RotateWhileWriting) {
  auto wal = OpenOrDie(Options());
  ASSERT_NE(wal, nullptr);
  std::atomic<bool> stop{false};
  std::atomic<int> rotations{0};
  std::thread rotator([&] {
    while (!stop.load()) {
      if (wal->Rotate().ok()) rotations.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::vector<std::thread> writers;
  std::vector<std::vector<std::string>> acked(4);
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 150; ++i) {
        std::string payload = Payload(t * 100000 + i, 200);
        if (wal->WaitDurable(wal->Write(payload)).ok()) acked[t].push_back(std::move(payload));
      }
    });
  }
  for (auto& th : writers) th.join();
  stop = true;
  rotator.join();
  EXPECT_GT(rotations.load(), 0);

  std::multiset<std::string> expected;
  for (const auto& a : acked) expected.insert(a.begin(), a.end());
  EXPECT_EQ(expected.size(), 600u);
  std::multiset<std::string> found;
  for (uint64_t id = 1; id <= wal->active_segment(); ++id) {
    ReadBack back = ReadAll(wal->SegmentPath(id));
    EXPECT_FALSE(back.report.truncated) << id << ": " << back.report.problem;
    found.insert(back.records.begin(), back.records.end());
  }
  EXPECT_EQ(found, expected);
}

// A disk that fills up: writes fail (after writing part of the data, as a real short write
// does) while `full` is set.
struct FaultyDisk {
  std::atomic<bool> full{false};
  std::atomic<bool> sync_fails{false};

  WalOptions Apply(WalOptions options) {
    options.pwrite_for_test = [this](int fd, const void* data, size_t size, off_t offset) {
      if (!full.load()) return ::pwrite(fd, data, size, offset);
      if (size > 16) return ::pwrite(fd, data, size / 2, offset);  // torn bytes land
      errno = ENOSPC;
      return ssize_t{-1};
    };
    options.fdatasync_for_test = [this](int fd) {
      if (sync_fails.load()) {
        errno = EIO;
        return -1;
      }
      return ::fdatasync(fd);
    };
    return options;
  }
};

TEST_F(WalTest, RecoversAfterEnospc) {
  FaultyDisk disk;
  auto wal = OpenOrDie(disk.Apply(Options()));
  ASSERT_NE(wal, nullptr);
  std::vector<std::string> good = WriteRecords(*wal, 0, 5);
  const size_t durable_size = fs::file_size(wal->SegmentPath(1));

  disk.full = true;
  std::vector<Ticket> doomed;
  for (int i = 0; i < 3; ++i) doomed.push_back(wal->Write(Payload(100 + i, 500)));
  for (const auto& t : doomed) {
    const Status s = wal->WaitDurable(t);
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
    EXPECT_NE(s.message().find("No space left"), std::string::npos) << s.ToString();
  }
  // The torn half-write was cut off: the file is back at its last durable size.
  EXPECT_EQ(fs::file_size(wal->SegmentPath(1)), durable_size);
  EXPECT_EQ(wal->active_bytes(), durable_size);
  EXPECT_EQ(wal->stats().failed_groups, 1u);

  disk.full = false;
  const std::vector<std::string> later = WriteRecords(*wal, 200, 5);
  good.insert(good.end(), later.begin(), later.end());

  // A failed fdatasync is a failure too; the written bytes are cut again.
  disk.sync_fails = true;
  EXPECT_EQ(wal->WaitDurable(wal->Write("lost")).code(), StatusCode::kUnavailable);
  disk.sync_fails = false;
  const std::vector<std::string> last = WriteRecords(*wal, 300, 2);
  good.insert(good.end(), last.begin(), last.end());

  ReadBack back = ReadAll(wal->SegmentPath(1));
  EXPECT_FALSE(back.report.truncated) << back.report.problem;
  EXPECT_EQ(back.records, good);
}

TEST_F(WalTest, RotateFailsCleanlyWhenTheDiskIsFull) {
  FaultyDisk disk;
  auto wal = OpenOrDie(disk.Apply(Options()));
  ASSERT_NE(wal, nullptr);
  // No group commit yet, so no spare: Rotate must create the file, and cannot.
  disk.full = true;
  auto rotated = wal->Rotate();
  ASSERT_FALSE(rotated.ok());
  EXPECT_EQ(rotated.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(wal->active_segment(), 1u);
  disk.full = false;
  WriteRecords(*wal, 0, 2);
  rotated = wal->Rotate();
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_EQ(*rotated, 1u);
  EXPECT_EQ(wal->active_segment(), 3u);  // id 2 went to the failed attempt and is not reused
  EXPECT_EQ(ReadAll(wal->SegmentPath(1)).records.size(), 2u);
  // The failed file was deleted: only the sealed and the active segment exist.
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(Options().dir)) {
    files.insert(entry.path().filename().string());
  }
  EXPECT_EQ(files, (std::set<std::string>{"LOCK", "00000000000000000001.wal",
                                          "00000000000000000003.wal"}));
}

TEST_F(WalTest, RemoveDeletesSealedSegments) {
  auto wal = OpenOrDie(Options());
  ASSERT_NE(wal, nullptr);
  WriteRecords(*wal, 0, 3);
  EXPECT_EQ(wal->Remove(1).code(), StatusCode::kFailedPrecondition);  // active
  ASSERT_TRUE(wal->Rotate().ok());
  ASSERT_TRUE(wal->Remove(1).ok());
  EXPECT_FALSE(fs::exists(wal->SegmentPath(1)));
  EXPECT_EQ(wal->Remove(1).code(), StatusCode::kNotFound);

  // Removing right after Rotate writes the pending records first, so their waiters succeed.
  const Ticket t = wal->Write("pending");
  ASSERT_TRUE(wal->Rotate().ok());
  ASSERT_TRUE(wal->Remove(2).ok());
  EXPECT_TRUE(wal->WaitDurable(t).ok());
  EXPECT_FALSE(fs::exists(wal->SegmentPath(2)));
}

TEST_F(WalTest, DestructorWritesPendingAndDropsTheSpare) {
  const WalOptions options = Options();
  {
    auto wal = OpenOrDie(options);
    ASSERT_NE(wal, nullptr);
    WriteRecords(*wal, 0, 1);      // a group commit: creates the spare (segment 2)
    (void)wal->Write("unwaited");  // written by the destructor
  }
  auto wal = OpenOrDie(options);
  ASSERT_NE(wal, nullptr);
  EXPECT_EQ(wal->RecoveredSegments(), (std::vector<uint64_t>{1}));
  EXPECT_EQ(ReadAll(wal->SegmentPath(1)).records.size(), 2u);
}

TEST_F(WalTest, NoFsyncModeNeverSyncs) {
  WalOptions options = Options();
  options.fsync = false;
  std::atomic<int> syncs{0};
  options.fdatasync_for_test = [&](int fd) {
    syncs.fetch_add(1);
    return ::fdatasync(fd);
  };
  auto wal = OpenOrDie(options);
  ASSERT_NE(wal, nullptr);
  const std::vector<std::string> written = WriteRecords(*wal, 0, 20);
  ASSERT_TRUE(wal->Rotate().ok());
  EXPECT_EQ(wal->sync_count(), 0u);
  EXPECT_EQ(syncs.load(), 0);
  EXPECT_EQ(ReadAll(wal->SegmentPath(1)).records, written);
}

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::atoi(value) : fallback;
}

// Run by hand: --gtest_also_run_disabled_tests --gtest_filter='*Throughput*', optionally with
// O2P_WAL_BENCH_THREADS, O2P_WAL_BENCH_RECORDS (per thread), O2P_WAL_BENCH_KB, O2P_WAL_BENCH_FSYNC.
TEST_F(WalTest, DISABLED_Throughput) {
  WalOptions options = Options();
  options.fsync = EnvInt("O2P_WAL_BENCH_FSYNC", 1) != 0;
  auto wal = OpenOrDie(options);
  ASSERT_NE(wal, nullptr);
  const int kThreads = EnvInt("O2P_WAL_BENCH_THREADS", 8);
  const int kPerThread = EnvInt("O2P_WAL_BENCH_RECORDS", 200);
  const size_t kSize = static_cast<size_t>(EnvInt("O2P_WAL_BENCH_KB", 350)) * 1024;
  const std::string payload(kSize, 'p');
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) ASSERT_TRUE(wal->WaitDurable(wal->Write(payload)).ok());
    });
  }
  for (auto& th : threads) th.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const WriteAheadLog::Stats stats = wal->stats();
  std::printf(
      "%d threads, %d x %zu KB: %.1f MB/s, %.0f records/s, %.0f groups/s, %.0f fdatasync/s, "
      "%.2f records per group\n",
      kThreads, kThreads * kPerThread, kSize / 1024,
      static_cast<double>(stats.bytes) / 1e6 / seconds,
      static_cast<double>(stats.records) / seconds, static_cast<double>(stats.groups) / seconds,
      static_cast<double>(stats.syncs) / seconds,
      static_cast<double>(stats.records) / static_cast<double>(stats.groups));
}

}  // namespace
}  // namespace o2p::pipeline
