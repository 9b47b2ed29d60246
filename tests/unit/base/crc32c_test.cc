#include "o2p/base/crc32c.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace o2p {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

TEST(Crc32cTest, StandardCheckValue) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(internal::Crc32cExtendPortable(0, "123456789", 9), 0xE3069283u);
  EXPECT_EQ(Crc32c(""), 0u);
}

// RFC 3720 appendix B.4.
TEST(Crc32cTest, Rfc3720Vectors) {
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62A8AB43u);
  std::string ascending;
  std::string descending;
  for (int i = 0; i < 32; ++i) {
    ascending.push_back(static_cast<char>(i));
    descending.push_back(static_cast<char>(31 - i));
  }
  EXPECT_EQ(Crc32c(ascending), 0x46DD794Eu);
  EXPECT_EQ(Crc32c(descending), 0x113FDB5Cu);
  const std::string read_pdu =
      Bytes({0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
             0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
             0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
             0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
  EXPECT_EQ(Crc32c(read_pdu), 0xD9963A56u);
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  const std::string text = "hello, write-ahead log";
  for (size_t split = 0; split <= text.size(); ++split) {
    const std::string_view a = std::string_view(text).substr(0, split);
    const std::string_view b = std::string_view(text).substr(split);
    EXPECT_EQ(Crc32cExtend(Crc32c(a), b), Crc32c(text)) << split;
  }
}

// The dispatched (possibly hardware) path must agree with the table path for every length and
// alignment, including the byte-wise head and tail loops.
TEST(Crc32cTest, DispatchedMatchesPortable) {
  std::mt19937 rng(7);
  std::string data(4096 + 64, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t size : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 63u, 100u, 1000u, 4096u}) {
      const char* p = data.data() + offset;
      EXPECT_EQ(Crc32cExtend(0x12345678u, p, size),
                internal::Crc32cExtendPortable(0x12345678u, p, size))
          << offset << " " << size;
    }
  }
}

}  // namespace
}  // namespace o2p
