#include "o2p/parquet/encoding/rle_bit_packed.h"

#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/parquet/test_reader.h"

namespace o2p::parquet {
namespace {

using ::testing::ElementsAreArray;

std::vector<uint8_t> Encode(const std::vector<uint32_t>& values, int bit_width) {
  std::string out;
  EncodeRleBitPacked(values, bit_width, &out);
  return {out.begin(), out.end()};
}

TEST(RleBitPacked, BitWidth) {
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(2), 2);
  EXPECT_EQ(BitWidth(3), 2);
  EXPECT_EQ(BitWidth(4), 3);
  EXPECT_EQ(BitWidth(255), 8);
  EXPECT_EQ(BitWidth(256), 9);
}

TEST(RleBitPacked, SpecExampleBitPacked) {
  // Encodings.md: 0..7 at width 3 packs to 10001000 11000110 11111010.
  EXPECT_THAT(Encode({0, 1, 2, 3, 4, 5, 6, 7}, 3), ElementsAreArray({0x03, 0x88, 0xc6, 0xfa}));
}

TEST(RleBitPacked, LongRunIsRle) {
  // header varint(100 << 1) = 0xc8 0x01, then the value in one byte.
  EXPECT_THAT(Encode(std::vector<uint32_t>(100, 5), 3), ElementsAreArray({0xc8, 0x01, 0x05}));
  // Width 9 stores the run value in two bytes.
  EXPECT_THAT(Encode(std::vector<uint32_t>(8, 300), 9), ElementsAreArray({0x10, 0x2c, 0x01}));
  // Width 0: only a header.
  EXPECT_THAT(Encode(std::vector<uint32_t>(10, 0), 0), ElementsAreArray({0x14}));
}

TEST(RleBitPacked, RunThenPaddedBitPackedTail) {
  std::vector<uint32_t> values(10, 1);
  values.insert(values.end(), {0, 1, 0});
  // RLE run of ten 1s, then one bit-packed group holding 0,1,0 and five padding zeros.
  EXPECT_THAT(Encode(values, 1), ElementsAreArray({0x14, 0x01, 0x03, 0x02}));
}

TEST(RleBitPacked, ShortRunsStayInsideBitPackedGroups) {
  // 16 values alternating in runs of 3: two bit-packed groups in one run (header 2 << 1 | 1).
  std::vector<uint32_t> values;
  for (int i = 0; i < 16; ++i) values.push_back((i / 3) % 2);
  const std::vector<uint8_t> bytes = Encode(values, 1);
  ASSERT_EQ(bytes.size(), 3u);
  EXPECT_EQ(bytes[0], 0x05);
  EXPECT_EQ(testing::DecodeRleBitPacked(std::string(bytes.begin(), bytes.end()), 1, 16), values);
}

TEST(RleBitPacked, LevelsCarryALengthPrefix) {
  std::string out;
  const std::vector<int16_t> levels = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  AppendLevels(levels, 1, &out);
  EXPECT_THAT(std::vector<uint8_t>(out.begin(), out.end()),
              ElementsAreArray({0x02, 0x00, 0x00, 0x00, 0x12, 0x01}));
}

TEST(RleBitPacked, RoundTripsRandomDataAtEveryWidth) {
  std::mt19937 rng(42);
  for (int bit_width = 1; bit_width <= 32; ++bit_width) {
    const uint64_t max = (uint64_t{1} << bit_width) - 1;
    std::vector<uint32_t> values;
    while (values.size() < 1000) {
      const auto v = static_cast<uint32_t>(rng() & max);
      const size_t run = rng() % 4 == 0 ? rng() % 40 : 1;  // mix runs and noise
      values.insert(values.end(), run, v);
    }
    std::string out;
    EncodeRleBitPacked(values, bit_width, &out);
    EXPECT_EQ(testing::DecodeRleBitPacked(out, bit_width, values.size()), values)
        << "bit width " << bit_width;
  }
}

}  // namespace
}  // namespace o2p::parquet
