#include "o2p/parquet/statistics.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace o2p::parquet {
namespace {

template <typename T>
T Decode(const std::string& bytes) {
  EXPECT_EQ(bytes.size(), sizeof(T));
  T v{};
  std::memcpy(&v, bytes.data(), sizeof(T));
  return v;
}

TEST(Statistics, SignedIntegers) {
  FixedStatistics<int32_t> s;
  for (int32_t v : {-5, 3, -100, 0}) s.Update(v);
  EXPECT_EQ(Decode<int32_t>(s.EncodedMin()), -100);
  EXPECT_EQ(Decode<int32_t>(s.EncodedMax()), 3);

  FixedStatistics<int64_t> t;  // timestamps before 1970 are negative and must sort first
  for (int64_t v : {int64_t{0}, std::numeric_limits<int64_t>::min(), int64_t{1} << 40}) t.Update(v);
  EXPECT_EQ(Decode<int64_t>(t.EncodedMin()), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Decode<int64_t>(t.EncodedMax()), int64_t{1} << 40);
}

TEST(Statistics, DoublesIgnoreNaNAndCountIt) {
  FixedStatistics<double> s;
  for (double v : {std::nan(""), 1.5, -2.0, std::nan("")}) s.Update(v);
  EXPECT_EQ(s.nan_count(), 2);
  EXPECT_EQ(Decode<double>(s.EncodedMin()), -2.0);
  EXPECT_EQ(Decode<double>(s.EncodedMax()), 1.5);
  const format::Statistics thrift = ToThrift(s, format::Type::kDouble);
  EXPECT_EQ(thrift.nan_count, 2);
  EXPECT_EQ(thrift.null_count, 0);
}

TEST(Statistics, AllNaNHasNoBounds) {
  FixedStatistics<double> s;
  s.Update(std::nan(""));
  s.AddNulls(1);
  EXPECT_FALSE(s.has_bounds());
  const format::Statistics thrift = ToThrift(s, format::Type::kDouble);
  EXPECT_FALSE(thrift.min_value.has_value());
  EXPECT_FALSE(thrift.max_value.has_value());
  EXPECT_EQ(thrift.nan_count, 1);
  EXPECT_EQ(thrift.null_count, 1);
}

TEST(Statistics, ZeroBoundsAreWrittenAsNegativeMinAndPositiveMax) {
  FixedStatistics<double> only_zero;
  only_zero.Update(0.0);
  EXPECT_TRUE(std::signbit(Decode<double>(only_zero.EncodedMin())));
  EXPECT_FALSE(std::signbit(Decode<double>(only_zero.EncodedMax())));

  FixedStatistics<double> negative_zero_max;
  for (double v : {-3.0, -0.0}) negative_zero_max.Update(v);
  EXPECT_FALSE(std::signbit(Decode<double>(negative_zero_max.EncodedMax())));
  EXPECT_EQ(Decode<double>(negative_zero_max.EncodedMin()), -3.0);

  FixedStatistics<double> positive_zero_min;
  for (double v : {0.0, 7.0}) positive_zero_min.Update(v);
  EXPECT_TRUE(std::signbit(Decode<double>(positive_zero_min.EncodedMin())));
}

TEST(Statistics, InfinitiesAreOrdinaryBounds) {
  FixedStatistics<double> s;
  for (double v :
       {1.0, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()}) {
    s.Update(v);
  }
  EXPECT_EQ(Decode<double>(s.EncodedMin()), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(Decode<double>(s.EncodedMax()), std::numeric_limits<double>::infinity());
}

TEST(Statistics, BooleansFalseBeforeTrue) {
  FixedStatistics<uint8_t> s;
  for (uint8_t v : {1, 0, 1}) s.Update(v);
  EXPECT_EQ(s.EncodedMin(), std::string(1, '\0'));
  EXPECT_EQ(s.EncodedMax(), std::string(1, '\1'));
}

TEST(Statistics, StringsCompareUnsignedBytes) {
  ByteArrayStatistics s;
  // "é" is 0xC3 0xA9: above "z" (0x7A) in unsigned order, below it if char were signed.
  for (const char* v : {"m", "\xc3\xa9", "z", "a", ""}) s.Update(v);
  EXPECT_EQ(s.EncodedMin(), "");
  EXPECT_EQ(s.EncodedMax(), "\xc3\xa9");
  ByteArrayStatistics t;
  for (const char* v : {"\xf0\x9f\x98\x80", "\x7f"}) t.Update(v);  // U+1F600 vs DEL
  EXPECT_EQ(t.EncodedMin(), "\x7f");
  EXPECT_EQ(t.EncodedMax(), "\xf0\x9f\x98\x80");
}

TEST(Statistics, AllNullColumnHasOnlyNullCount) {
  ByteArrayStatistics s;
  s.AddNulls(4);
  const format::Statistics thrift = ToThrift(s, format::Type::kByteArray);
  EXPECT_EQ(thrift.null_count, 4);
  EXPECT_FALSE(thrift.min_value.has_value());
  EXPECT_FALSE(thrift.nan_count.has_value());
}

TEST(Statistics, MergeKeepsExtremesAndCounts) {
  FixedStatistics<int64_t> a;
  FixedStatistics<int64_t> b;
  FixedStatistics<int64_t> empty;
  a.Update(5);
  a.AddNulls(1);
  b.Update(-5);
  b.Update(50);
  empty.AddNulls(2);
  a.Merge(b);
  a.Merge(empty);
  EXPECT_EQ(a.min(), -5);
  EXPECT_EQ(a.max(), 50);
  EXPECT_EQ(a.null_count(), 3);
}

TEST(Statistics, LongStringBoundsAreTruncatedAndFlaggedInexact) {
  ByteArrayStatistics s;
  s.Update(std::string(100, 'a'));
  s.Update(std::string(100, 'c'));
  const format::Statistics thrift = ToThrift(s, format::Type::kByteArray);
  EXPECT_EQ(thrift.min_value, std::string(kMaxBoundBytes, 'a'));
  EXPECT_EQ(thrift.max_value, std::string(kMaxBoundBytes - 1, 'c') + "d");
  EXPECT_EQ(thrift.is_min_value_exact, false);
  EXPECT_EQ(thrift.is_max_value_exact, false);

  ByteArrayStatistics short_values;
  short_values.Update("abc");
  const format::Statistics exact = ToThrift(short_values, format::Type::kByteArray);
  EXPECT_EQ(exact.min_value, "abc");
  EXPECT_EQ(exact.is_min_value_exact, true);
  EXPECT_EQ(exact.is_max_value_exact, true);
}

TEST(Statistics, TruncationRespectsUtf8) {
  // 63 ASCII bytes then "é" (2 bytes): the cut at 64 would split it, so the prefix stops at 63.
  const std::string value = std::string(63, 'x') + "\xc3\xa9" + "tail";
  EXPECT_EQ(TruncateLowerBound(value, 64), std::string(63, 'x'));
  // The upper bound increments the last whole character: 'x' -> 'y'.
  EXPECT_EQ(TruncateUpperBound(value, 64), std::string(62, 'x') + "y");

  // U+10FFFF cannot be incremented: it is dropped and the character before grows.
  const std::string max_char = "ab\xf4\x8f\xbf\xbf" + std::string(10, 'z');
  EXPECT_EQ(TruncateUpperBound(max_char, 6), "ac");
  // U+D7FF + 1 would be a surrogate: the bound skips to U+E000.
  const std::string before_surrogates = "\xed\x9f\xbf" + std::string(10, 'z');
  EXPECT_EQ(TruncateUpperBound(before_surrogates, 3), "\xee\x80\x80");
  // Bytes that are not UTF-8 are never cut.
  const std::string binary = std::string(70, '\xff');
  EXPECT_EQ(TruncateLowerBound(binary, 64), binary);
  EXPECT_FALSE(TruncateUpperBound(binary, 64).has_value());
  // Truncated bounds still bracket the value.
  EXPECT_LE(TruncateLowerBound(value, 64), value);
  EXPECT_GT(*TruncateUpperBound(value, 64), value);
}

}  // namespace
}  // namespace o2p::parquet
