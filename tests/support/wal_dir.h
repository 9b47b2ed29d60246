// A temporary write-ahead-log directory for Batcher tests: created in the constructor, removed
// in the destructor.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "o2p/pipeline/wal.h"

namespace o2p::testing {

class WalDir {
 public:
  WalDir() {
    char pattern[] = "/tmp/o2p-batcher-wal-XXXXXX";
    if (mkdtemp(pattern) != nullptr) path_ = pattern;
    EXPECT_FALSE(path_.empty()) << "mkdtemp failed";
  }
  ~WalDir() {
    if (!path_.empty()) std::filesystem::remove_all(path_);
  }
  WalDir(const WalDir&) = delete;
  WalDir& operator=(const WalDir&) = delete;

  /// A WAL in this directory, without fsync (tests need no durability); null on failure.
  std::unique_ptr<pipeline::WriteAheadLog> Open(pipeline::WalOptions options = {}) const {
    options.dir = path_;
    options.fsync = false;
    auto wal = pipeline::WriteAheadLog::Open(options);
    EXPECT_TRUE(wal.has_value());
    return wal ? std::move(*wal) : nullptr;
  }
  /// The number of segment files (*.wal).
  size_t SegmentFiles() const {
    size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      n += entry.path().extension() == ".wal" ? 1 : 0;
    }
    return n;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace o2p::testing
