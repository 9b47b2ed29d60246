#include "o2p/parquet/encoding/dictionary.h"

#include <cstring>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace o2p::parquet {
namespace {

TEST(ByteArrayDictionary, AssignsIndicesInFirstSeenOrderAndGrows) {
  ByteArrayDictionary dict;
  EXPECT_EQ(dict.GetOrInsert("GET"), 0u);
  EXPECT_EQ(dict.GetOrInsert("POST"), 1u);
  EXPECT_EQ(dict.GetOrInsert("GET"), 0u);
  EXPECT_EQ(dict.GetOrInsert(""), 2u);
  EXPECT_EQ(dict.GetOrInsert(""), 2u);
  // Far past the initial 1024 slots: every value keeps its index across growth.
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(dict.GetOrInsert("value-" + std::to_string(i)), 3u + i);
  for (int i = 4999; i >= 0; --i) EXPECT_EQ(dict.GetOrInsert("value-" + std::to_string(i)), 3u + i);
  EXPECT_EQ(dict.GetOrInsert("POST"), 1u);
  EXPECT_EQ(dict.size(), 5003u);
}

TEST(ByteArrayDictionary, PlainPageBody) {
  ByteArrayDictionary dict;
  dict.GetOrInsert("ab");
  dict.GetOrInsert("");
  dict.GetOrInsert("c");
  std::string out;
  dict.AppendPlain(&out);
  EXPECT_EQ(out, std::string("\x02\0\0\0ab\0\0\0\0\x01\0\0\0c", 15));
  EXPECT_EQ(dict.plain_bytes(), out.size());
  dict.Clear();
  EXPECT_EQ(dict.size(), 0u);
  EXPECT_EQ(dict.GetOrInsert("c"), 0u);
}

TEST(FixedDictionary, KeysAreBitPatterns) {
  FixedDictionary<double> dict;
  EXPECT_EQ(dict.GetOrInsert(0.0), 0u);
  EXPECT_EQ(dict.GetOrInsert(-0.0), 1u);  // distinct from +0.0: the page must round-trip it
  EXPECT_EQ(dict.GetOrInsert(0.0), 0u);
  for (int i = 0; i < 3000; ++i) EXPECT_EQ(dict.GetOrInsert(i + 0.5), 2u + i);
  EXPECT_EQ(dict.GetOrInsert(-0.0), 1u);
  std::string out;
  dict.AppendPlain(&out);
  ASSERT_EQ(out.size(), dict.size() * 8);
  double second;
  std::memcpy(&second, out.data() + 8, 8);
  EXPECT_TRUE(std::signbit(second));
}

TEST(FixedDictionary, SignedIntegers) {
  FixedDictionary<int32_t> dict;
  EXPECT_EQ(dict.GetOrInsert(-1), 0u);
  EXPECT_EQ(dict.GetOrInsert(1), 1u);
  EXPECT_EQ(dict.GetOrInsert(-1), 0u);
  EXPECT_EQ(dict.plain_bytes(), 8u);
}

TEST(HashBytes, SpreadsShortAndLongKeys) {
  std::set<uint64_t> hashes;
  std::string key;
  for (int n = 0; n <= 40; ++n) {
    hashes.insert(HashBytes(key));
    key.push_back(static_cast<char>('a' + n % 26));
  }
  EXPECT_EQ(hashes.size(), 41u);
  EXPECT_NE(HashBytes("abcd"), HashBytes("abce"));
  EXPECT_NE(HashBytes(std::string(17, 'x')), HashBytes(std::string(18, 'x')));
}

}  // namespace
}  // namespace o2p::parquet
