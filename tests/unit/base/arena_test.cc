#include "o2p/base/arena.h"

#include <gtest/gtest.h>

#include <string>

namespace o2p {
namespace {

TEST(ArenaTest, CopiesStayValidAcrossBlocks) {
  Arena arena;
  std::vector<std::string_view> views;
  for (int i = 0; i < 10000; ++i) views.push_back(arena.Copy(std::to_string(i)));
  const std::string big(100000, 'x');
  std::string_view big_view = arena.Copy(big);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(views[i], std::to_string(i));
  EXPECT_EQ(big_view, big);
  EXPECT_GE(arena.MemoryUsage(), big.size());
}

TEST(ArenaTest, AllocationsAreAligned) {
  Arena arena;
  for (size_t n : {1, 3, 8, 13, 40000}) {
    char* p = arena.Allocate(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 8, 0U);
  }
  EXPECT_TRUE(arena.Copy("").empty());
}

}  // namespace
}  // namespace o2p
