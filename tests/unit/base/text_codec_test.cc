#include "o2p/base/text_codec.h"

#include <gtest/gtest.h>

namespace o2p {
namespace {

TEST(HexTest, RoundTrip) {
  Arena arena;
  const std::string bytes("\x00\x01\xab\xff", 4);
  EXPECT_EQ(ToHex(bytes), "0001abff");
  EXPECT_EQ(DecodeHex("0001ABff", arena), std::optional<std::string_view>(bytes));
  EXPECT_EQ(DecodeHex("", arena), std::optional<std::string_view>(""));
  EXPECT_FALSE(DecodeHex("abc", arena).has_value());
  EXPECT_FALSE(DecodeHex("zz", arena).has_value());
}

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(ToBase64(""), "");
  EXPECT_EQ(ToBase64("f"), "Zg==");
  EXPECT_EQ(ToBase64("fo"), "Zm8=");
  EXPECT_EQ(ToBase64("foo"), "Zm9v");
  EXPECT_EQ(ToBase64("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, DecodesWithAndWithoutPaddingAndUrlAlphabet) {
  Arena arena;
  EXPECT_EQ(DecodeBase64("Zm9vYg==", arena), std::optional<std::string_view>("foob"));
  EXPECT_EQ(DecodeBase64("Zm9vYg", arena), std::optional<std::string_view>("foob"));
  EXPECT_EQ(DecodeBase64("Zm9vYmE=", arena), std::optional<std::string_view>("fooba"));
  EXPECT_EQ(DecodeBase64("-_8=", arena), std::optional<std::string_view>("\xfb\xff"));
  EXPECT_EQ(DecodeBase64("+/8=", arena), std::optional<std::string_view>("\xfb\xff"));
  EXPECT_FALSE(DecodeBase64("Zm9vY", arena).has_value());
  EXPECT_FALSE(DecodeBase64("Zm9v!A==", arena).has_value());
  EXPECT_FALSE(DecodeBase64("Zg===", arena).has_value());
}

TEST(Utf8Test, ValidatesWellFormedSequences) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii text, longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));                                   // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));                               // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));                           // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xe2\x82"));                                // truncated
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(Utf8Test, RepairReplacesMaximalSubparts) {
  Arena arena;
  const std::string_view ok = "caf\xc3\xa9";
  EXPECT_EQ(RepairUtf8(ok, arena).data(), ok.data());  // valid text is not copied
  EXPECT_EQ(RepairUtf8("a\xffz", arena), "a\xef\xbf\xbdz");
  // One U+FFFD per maximal subpart: E2 82 (truncated €) is one subpart.
  EXPECT_EQ(RepairUtf8("\xe2\x82z", arena), "\xef\xbf\xbdz");
  // Each byte of an overlong is its own subpart.
  EXPECT_EQ(RepairUtf8("\xc0\xaf", arena), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_TRUE(IsValidUtf8(RepairUtf8("\xf0\x9f\x98", arena)));
}

TEST(TextCodecTest, AppendUtf8EncodesWhatDecodeUtf8Reads) {
  // The last code point of each encoded length, and the first, around the surrogate gap.
  for (char32_t code_point : {U'\0', U'\x7f', U'\x80', U'\x7ff', U'\x800', U'\xd7ff', U'\xe000',
                              U'\xffff', U'\x10000', U'\x10ffff'}) {
    std::string encoded;
    AppendUtf8(code_point, &encoded);
    char32_t decoded = 0;
    ASSERT_EQ(DecodeUtf8(encoded, 0, &decoded), encoded.size()) << uint32_t{code_point};
    EXPECT_EQ(decoded, code_point);
  }
  std::string text = "a";
  AppendUtf8(U'\x20ac', &text);
  EXPECT_EQ(text, "a\xe2\x82\xac");
}

TEST(TextCodecTest, NextCodePointSkipsSurrogatesAndStopsAtTheLast) {
  EXPECT_EQ(NextCodePoint(U'a'), U'b');
  EXPECT_EQ(NextCodePoint(U'\xd7ff'), U'\xe000');
  EXPECT_EQ(NextCodePoint(U'\xffff'), U'\x10000');
  EXPECT_EQ(NextCodePoint(U'\x10fffe'), U'\x10ffff');
  EXPECT_EQ(NextCodePoint(U'\x10ffff'), std::nullopt);
}

}  // namespace
}  // namespace o2p
