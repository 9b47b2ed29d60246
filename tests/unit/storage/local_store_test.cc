#include "o2p/storage/local_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/matchers.h"

namespace o2p::storage {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsOk;

class LocalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("o2p-local-store-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string Read(const std::string& key) {
    std::ifstream in(root_ / key, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::filesystem::path root_;
};

TEST_F(LocalStoreTest, PutCreatesDirectoriesAndReplacesAtomically) {
  LocalStore store(root_.string());
  ASSERT_THAT(store.Put("logs/a=1/x.parquet", "first"), IsOk());
  ASSERT_THAT(store.Put("logs/a=1/x.parquet", "second"), IsOk());
  EXPECT_EQ(Read("logs/a=1/x.parquet"), "second");
  // No temporary files are left behind.
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
    if (entry.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, 1U);
  EXPECT_EQ(store.Describe("k"), (root_ / "k").string());
}

TEST_F(LocalStoreTest, RejectsKeysThatEscapeTheRoot) {
  LocalStore store(root_.string());
  for (const char* key : {"", "/abs", "../x", "a/../b", "a//b", "a/./b", "a/"}) {
    EXPECT_THAT(store.Put(key, "x"), IsError(StatusCode::kInvalidArgument)) << key;
  }
}

TEST_F(LocalStoreTest, ReportsUnwritableRoot) {
  LocalStore store("/proc/o2p-cannot-write-here");
  EXPECT_FALSE(store.Put("x", "y").ok());
}

}  // namespace
}  // namespace o2p::storage
