#include "any_value_builders.h"
#include "o2p/otlp/any_value.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "o2p/otlp/internal/last_wins.h"

namespace o2p::otlp {
namespace {

using testing::Array;
using testing::Bool;
using testing::Bytes;
using testing::Dbl;
using testing::Int;
using testing::KvList;
using testing::Str;


/// The attribute text of `v`, or nullopt when it is null.
std::optional<std::string> Text(const AnyValue& v) {
  std::string out;
  if (!AppendAnyValueText(v, &out)) {
    EXPECT_EQ(out, "") << "a null value must append nothing";
    return std::nullopt;
  }
  return out;
}

std::string Json(const AnyValue& v) {
  std::string out;
  AppendAnyValueJson(v, &out);
  return out;
}

TEST(AnyValueTextTest, ScalarsAsSchemaMdSays) {
  EXPECT_EQ(Text(Str("plain")), "plain");
  EXPECT_EQ(Text(Str("")), "");
  EXPECT_EQ(Text(Bool(true)), "true");
  EXPECT_EQ(Text(Bool(false)), "false");
  EXPECT_EQ(Text(Int(0)), "0");
  EXPECT_EQ(Text(Int(-42)), "-42");
  EXPECT_EQ(Text(Int(std::numeric_limits<int64_t>::max())), "9223372036854775807");
  EXPECT_EQ(Text(Int(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
}

TEST(AnyValueTextTest, EmptyAnyValueIsNull) {
  EXPECT_EQ(Text(AnyValue{}), std::nullopt);
  std::string out = "keep";
  EXPECT_FALSE(AppendAnyValueText(AnyValue{}, &out));
  EXPECT_EQ(out, "keep");
}

TEST(AnyValueTextTest, AppendsWithoutClearing) {
  std::string out = "a=";
  EXPECT_TRUE(AppendAnyValueText(Int(1), &out));
  EXPECT_EQ(out, "a=1");
}

TEST(AnyValueTextTest, DoublesShortestRoundTrip) {
  EXPECT_EQ(Text(Dbl(1.5)), "1.5");
  EXPECT_EQ(Text(Dbl(0.1)), "0.1");
  EXPECT_EQ(Text(Dbl(1e300)), "1e+300");
  EXPECT_EQ(Text(Dbl(2.0)), "2");
  EXPECT_EQ(Text(Dbl(-2.5)), "-2.5");
  EXPECT_EQ(Text(Dbl(0.0)), "0");
  EXPECT_EQ(Text(Dbl(-0.0)), "-0");
  EXPECT_EQ(Text(Dbl(1.0 / 3)), "0.3333333333333333");
  EXPECT_EQ(Text(Dbl(1e15)), "1000000000000000");
  EXPECT_EQ(Text(Dbl(1e16)), "1e+16");
  EXPECT_EQ(Text(Dbl(1e21)), "1e+21");
  EXPECT_EQ(Text(Dbl(1e-4)), "0.0001");
  EXPECT_EQ(Text(Dbl(1e-7)), "1e-07");
  EXPECT_EQ(Text(Dbl(5e-324)), "5e-324");
  EXPECT_EQ(Text(Dbl(std::numeric_limits<double>::max())), "1.7976931348623157e+308");
  EXPECT_EQ(Text(Dbl(-std::numeric_limits<double>::max())), "-1.7976931348623157e+308");
}

TEST(AnyValueTextTest, DoublesRoundTripExactly) {
  for (double d : {0.1, 1.0 / 3, 2.0 / 3, 1e-300, 123456.789, 9007199254740993.0, 6.02214076e23}) {
    const std::optional<std::string> text = Text(Dbl(d));
    ASSERT_TRUE(text.has_value());
    EXPECT_EQ(std::stod(*text), d) << *text;
  }
}

TEST(AnyValueTextTest, NonFiniteDoubles) {
  EXPECT_EQ(Text(Dbl(std::numeric_limits<double>::quiet_NaN())), "NaN");
  EXPECT_EQ(Text(Dbl(-std::numeric_limits<double>::quiet_NaN())), "NaN");
  EXPECT_EQ(Text(Dbl(std::numeric_limits<double>::infinity())), "Infinity");
  EXPECT_EQ(Text(Dbl(-std::numeric_limits<double>::infinity())), "-Infinity");
}

TEST(AnyValueTextTest, BytesAsStandardBase64) {
  EXPECT_EQ(Text(Bytes("")), "");
  EXPECT_EQ(Text(Bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(Text(Bytes(std::string_view("\x00\xff\xfe", 3))), "AP/+");
  EXPECT_EQ(Text(Bytes("f")), "Zg==");
}

TEST(AnyValueTextTest, TopLevelStringIsNotEscaped) {
  EXPECT_EQ(Text(Str("a\"b\\c\nd")), "a\"b\\c\nd");
  EXPECT_EQ(Text(Str("héllo \xe2\x82\xac \xf0\x9f\x98\x80")), "héllo € 😀");
}

TEST(AnyValueTextTest, ArrayIsCompactJson) {
  const AnyValue v = Array(
      {Int(1), Str("a"), Bool(true), AnyValue{}, Dbl(1.5), Dbl(1e300), Array({}), KvList({})});
  EXPECT_EQ(Text(v), R"([1,"a",true,null,1.5,1e+300,[],{}])");
  EXPECT_EQ(Text(Array({})), "[]");
}

TEST(AnyValueTextTest, NonFiniteInsideJsonAreStrings) {
  const AnyValue v = Array({Dbl(std::numeric_limits<double>::quiet_NaN()),
                            Dbl(std::numeric_limits<double>::infinity()),
                            Dbl(-std::numeric_limits<double>::infinity()), Dbl(-0.0)});
  EXPECT_EQ(Text(v), R"(["NaN","Infinity","-Infinity",-0])");
}

TEST(AnyValueTextTest, Int64ExtremesInsideJson) {
  const AnyValue v =
      Array({Int(std::numeric_limits<int64_t>::min()), Int(std::numeric_limits<int64_t>::max())});
  EXPECT_EQ(Text(v), "[-9223372036854775808,9223372036854775807]");
}

TEST(AnyValueTextTest, KvListKeepsInputOrderAndNests) {
  const AnyValue v = KvList({
      {"z", Str("last-letter")},
      {"a", Array({Int(1), KvList({{"deep", Array({Bool(false), AnyValue{}})}})})},
      {"empty", AnyValue{}},
      {"bytes", Bytes("hi")},
  });
  EXPECT_EQ(Text(v),
            R"({"z":"last-letter","a":[1,{"deep":[false,null]}],"empty":null,"bytes":"aGk="})");
}

TEST(AnyValueTextTest, KvListDuplicateKeysLastWinsAtItsPosition) {
  const AnyValue v = KvList({{"a", Int(1)}, {"b", Int(2)}, {"a", Int(3)}});
  EXPECT_EQ(Text(v), R"({"b":2,"a":3})");
}

TEST(AnyValueTextTest, JsonStringEscapingFollowsRfc8259) {
  const std::string raw = std::string("q\" b\\ \b\f\n\r\t ") + '\x00' + "\x01\x1f\x7f/";
  const AnyValue v = Array({Str(raw)});
  EXPECT_EQ(Text(v), R"(["q\" b\\ \b\f\n\r\t \u0000\u0001\u001f)"
                     "\x7f"
                     R"(/"])");
}

TEST(AnyValueTextTest, JsonKeepsUnicodeAsUtf8) {
  const AnyValue v = KvList({{"clé\n", Str("日本語 😀 \xe2\x80\xa8")}});
  EXPECT_EQ(Text(v), "{\"clé\\n\":\"日本語 😀 \xe2\x80\xa8\"}");
}

TEST(AnyValueTextTest, DeepNestingRecurses) {
  AnyValue v = Int(7);
  for (int depth = 0; depth < 100; ++depth) v = Array({std::move(v)});
  const std::optional<std::string> text = Text(v);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, std::string(100, '[') + "7" + std::string(100, ']'));
}

TEST(AnyValueJsonTest, ScalarsAsJsonValues) {
  EXPECT_EQ(Json(AnyValue{}), "null");
  EXPECT_EQ(Json(Str("x\"y")), R"("x\"y")");
  EXPECT_EQ(Json(Int(5)), "5");
  EXPECT_EQ(Json(Dbl(0.5)), "0.5");
  EXPECT_EQ(Json(Dbl(std::numeric_limits<double>::infinity())), R"("Infinity")");
  EXPECT_EQ(Json(Bool(false)), "false");
  EXPECT_EQ(Json(Bytes("foo")), R"("Zm9v")");
}

TEST(AnyValueLastWinsTest, SmallAndLargeListsAgree) {
  // Keys k0..k(n-1) with every third key repeated later; the short list uses the quadratic
  // scan, the long one the sorted path.
  for (size_t n : {size_t{5}, size_t{40}}) {
    std::vector<std::string> keys;
    for (size_t i = 0; i < n; ++i) keys.push_back("k" + std::to_string(i % 3 == 0 ? 0 : i));
    std::vector<KeyValue> kvs;
    for (const std::string& k : keys) kvs.push_back({k, Int(1)});
    internal::LastWins filter;
    filter.Reset(kvs);
    for (size_t i = 0; i < n; ++i) {
      bool later = false;
      for (size_t j = i + 1; j < n; ++j) later = later || keys[j] == keys[i];
      EXPECT_EQ(filter.Keep(i), !later) << "n=" << n << " i=" << i;
    }
  }
}

TEST(AnyValueLastWinsTest, LargeKvListInJson) {
  std::vector<std::string> keys;
  for (int i = 0; i < 20; ++i) keys.push_back("k" + std::to_string(i));
  std::vector<KeyValue> kvs;
  for (const std::string& k : keys) kvs.push_back({k, Int(0)});
  kvs.push_back({"k0", Int(99)});
  const std::optional<std::string> text = Text(KvList(std::move(kvs)));
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->find("\"k0\":0"), std::string::npos);
  EXPECT_NE(text->find(R"("k19":0,"k0":99})"), std::string::npos) << *text;
  EXPECT_EQ(text->rfind("{\"k1\":0,", 0), 0u) << *text;
}

}  // namespace
}  // namespace o2p::otlp
