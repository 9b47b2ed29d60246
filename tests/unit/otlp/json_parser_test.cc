#include "o2p/otlp/internal/json_parser.h"

#include <cmath>
#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/otlp/internal/json_number.h"
#include "support/matchers.h"

namespace o2p::otlp::internal {
namespace {

using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;

// Prints a value compactly, strings between quotes without escaping: enough to compare trees.
std::string Dump(JsonValue v) {
  switch (v.type()) {
    case JsonType::kNull: return "null";
    case JsonType::kBool: return v.bool_value() ? "true" : "false";
    case JsonType::kNumber: return std::string(v.text());
    case JsonType::kString: return "\"" + std::string(v.text()) + "\"";
    case JsonType::kArray: {
      std::string out = "[";
      for (JsonValue e : v.elements()) out += (out.size() > 1 ? "," : "") + Dump(e);
      return out + "]";
    }
    case JsonType::kObject: {
      std::string out = "{";
      for (JsonMember m : v.members()) {
        out += (out.size() > 1 ? ",\"" : "\"") + std::string(m.key) + "\":" + Dump(m.value);
      }
      return out + "}";
    }
  }
  return "?";
}

class JsonParserTest : public ::testing::Test {
 protected:
  // Parses `input` and returns its compact dump, or the error message.
  std::string Parse(std::string_view input) {
    const Status status = ParseStatus(input);
    if (!status.ok()) return status.message();
    return Dump(doc_.root());
  }
  // Parses a copy of `input` that lives as long as the test (views may point into it).
  Status ParseStatus(std::string_view input) {
    input_ = input;
    return doc_.Parse(input_, arena_);
  }

  std::string input_;
  Arena arena_;
  JsonDocument doc_;
};

TEST_F(JsonParserTest, ParsesEveryType) {
  EXPECT_EQ(Parse("null"), "null");
  EXPECT_EQ(Parse("true"), "true");
  EXPECT_EQ(Parse("false"), "false");
  EXPECT_EQ(Parse("42"), "42");
  EXPECT_EQ(Parse("\"hi\""), "\"hi\"");
  EXPECT_EQ(Parse("[]"), "[]");
  EXPECT_EQ(Parse("{}"), "{}");
  EXPECT_EQ(Parse(R"({"a":[1,{"b":null},[],{}],"c":"d","e":[true,false]})"),
            R"({"a":[1,{"b":null},[],{}],"c":"d","e":[true,false]})");
}

TEST_F(JsonParserTest, AllowsWhitespaceAndBom) {
  EXPECT_EQ(Parse(" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" :\n{ } }\n "), R"({"a":[1,2],"b":{}})");
  EXPECT_EQ(Parse("\xEF\xBB\xBF[1]"), "[1]");
}

TEST_F(JsonParserTest, SizesAndSiblingsSkipSubtrees) {
  ASSERT_THAT(ParseStatus(R"({"x":[[1,2],[3]],"y":{"z":[4,5,6]},"w":7})"), IsOk());
  const JsonValue root = doc_.root();
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.size(), 3u);
  std::string keys;
  for (JsonMember m : root.members()) keys += std::string(m.key) + ";";
  EXPECT_EQ(keys, "x;y;w;");
  const JsonMember first = *root.members().begin();
  EXPECT_EQ(first.value.size(), 2u);
  EXPECT_EQ(doc_.node_count(), 17u);  // 4 keys, 4 arrays, 2 objects, 7 numbers
}

TEST_F(JsonParserTest, KeepsDuplicateKeysInOrder) {
  EXPECT_EQ(Parse(R"({"a":1,"b":2,"a":3})"), R"({"a":1,"b":2,"a":3})");
}

TEST_F(JsonParserTest, StringsWithoutEscapesPointIntoTheInput) {
  const std::string input = R"(["plain text that is long enough for the word loop"])";
  ASSERT_THAT(ParseStatus(input), IsOk());
  const JsonValue s = *doc_.root().elements().begin();
  EXPECT_EQ(s.text().data(), input_.data() + 2);
  EXPECT_EQ(arena_.MemoryUsage(), 0u);
}

TEST_F(JsonParserTest, UnescapesEverySimpleEscape) {
  ASSERT_THAT(ParseStatus(R"("a\"b\\c\/d\be\ff\ng\rh\ti")"), IsOk());
  EXPECT_EQ(doc_.root().text(), "a\"b\\c/d\be\ff\ng\rh\ti");
}

TEST_F(JsonParserTest, UnescapesUnicodeAndSurrogatePairs) {
  ASSERT_THAT(ParseStatus(R"("\u0041\u00e9\u20AC\ud83d\ude00\u0000")"), IsOk());
  EXPECT_EQ(doc_.root().text(), std::string("A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\0", 11));
}

TEST_F(JsonParserTest, LoneSurrogatesBecomeReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  ASSERT_THAT(ParseStatus(R"("x\ud800y")"), IsOk());
  EXPECT_EQ(doc_.root().text(), "x" + fffd + "y");
  ASSERT_THAT(ParseStatus(R"("\udc00")"), IsOk());
  EXPECT_EQ(doc_.root().text(), fffd);
  ASSERT_THAT(ParseStatus(R"("\ud800\u0041")"), IsOk());  // high surrogate, then not a low one
  EXPECT_EQ(doc_.root().text(), fffd + "A");
  ASSERT_THAT(ParseStatus(R"("\ud800\ud800\udc00")"), IsOk());
  EXPECT_EQ(doc_.root().text(), fffd + "\xF0\x90\x80\x80");
  ASSERT_THAT(ParseStatus(R"("\ud800")"), IsOk());  // at the very end
  EXPECT_EQ(doc_.root().text(), fffd);
}

TEST_F(JsonParserTest, RepairsInvalidUtf8) {
  const std::string fffd = "\xEF\xBF\xBD";
  ASSERT_THAT(ParseStatus("\"ok \xC3\xA9 bad \xFF end\""), IsOk());
  EXPECT_EQ(doc_.root().text(), "ok \xC3\xA9 bad " + fffd + " end");
  ASSERT_THAT(ParseStatus("\"\xE2\x82\\n\""), IsOk());  // truncated sequence before an escape
  EXPECT_EQ(doc_.root().text(), fffd + "\n");
  ASSERT_THAT(ParseStatus("{\"k\xC0\":1}"), IsOk());  // keys too
  EXPECT_EQ((*doc_.root().members().begin()).key, "k" + fffd);
}

TEST_F(JsonParserTest, LongStringsWithStopCharactersAtEveryPosition) {
  for (size_t pos = 0; pos < 20; ++pos) {
    std::string text(24, 'a');
    text[pos] = '\xC3';  // invalid alone: must be seen whatever the word alignment
    ASSERT_THAT(ParseStatus("\"" + text + "\""), IsOk());
    EXPECT_EQ(doc_.root().text().size(), 24u + 2) << pos;
    std::string escaped(24, 'b');
    escaped.insert(pos, "\\n");
    ASSERT_THAT(ParseStatus("\"" + escaped + "\""), IsOk());
    EXPECT_EQ(doc_.root().text().substr(pos, 2), "\nb") << pos;
  }
}

TEST_F(JsonParserTest, KeepsNumbersAsText) {
  EXPECT_EQ(Parse("[-0,0,1e308,-1.5E-3,12345678901234567890123456789,0.5e+2]"),
            "[-0,0,1e308,-1.5E-3,12345678901234567890123456789,0.5e+2]");
}

TEST_F(JsonParserTest, RejectsInvalidNumbers) {
  EXPECT_THAT(ParseStatus("[01]"),
              IsErrorWith(StatusCode::kInvalidArgument, "json: leading zero in number at byte 2"));
  EXPECT_THAT(ParseStatus("-"),
              IsErrorWith(StatusCode::kInvalidArgument, "json: invalid number at byte 1"));
  EXPECT_THAT(ParseStatus("[1.]"),
              IsErrorWith(StatusCode::kInvalidArgument, "json: invalid number at byte 3"));
  EXPECT_THAT(ParseStatus("[1e]"),
              IsErrorWith(StatusCode::kInvalidArgument, "json: invalid number at byte 3"));
  EXPECT_THAT(ParseStatus("[.5]"),
              IsErrorWith(StatusCode::kInvalidArgument, "json: unexpected character at byte 1"));
  EXPECT_THAT(ParseStatus("+1"),
              IsErrorWith(StatusCode::kInvalidArgument, "json: unexpected character at byte 0"));
}

TEST_F(JsonParserTest, ReportsSyntaxErrorsWithByteOffsets) {
  struct Case {
    const char* input;
    const char* message;
  };
  const Case cases[] = {
      {"", "json: unexpected end of input at byte 0"},
      {"   ", "json: unexpected end of input at byte 3"},
      {"[1,2", "json: unexpected end of input at byte 4"},
      {"[1 2]", "json: expected ',' or ']' at byte 3"},
      {"{\"a\" 1}", "json: expected ':' at byte 5"},
      {"{\"a\":1 \"b\":2}", "json: expected ',' or '}' at byte 7"},
      {"{\"a\":1,}", "json: expected a string key at byte 7"},
      {"{1:2}", "json: expected a string key at byte 1"},
      {"[1,]", "json: unexpected character at byte 3"},
      {"[tru]", "json: invalid literal at byte 1"},
      {"nul", "json: invalid literal at byte 0"},
      {"\"abc", "json: unterminated string at byte 0"},
      {"[\"abc\\", "json: unterminated string at byte 1"},
      {"\"a\tb\"", "json: control character in string at byte 2"},
      {"\"\\x\"", "json: invalid escape at byte 1"},
      {"\"ab\\u12G4\"", "json: invalid \\u escape at byte 3"},
      {"\"\\u12\"", "json: invalid \\u escape at byte 1"},
      {"{} x", "json: unexpected data after the document at byte 3"},
      {"[1]]", "json: unexpected data after the document at byte 3"},
      {"1 2", "json: unexpected data after the document at byte 2"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Parse(c.input), c.message) << "input: " << c.input;
  }
}

TEST_F(JsonParserTest, AcceptsDepth128AndRejects129) {
  const int max = kMaxJsonDepth;
  EXPECT_THAT(ParseStatus(std::string(max, '[') + std::string(max, ']')), IsOk());
  std::string objects;
  for (int i = 0; i < max; ++i) objects += "{\"a\":";
  objects += "1" + std::string(max, '}');
  EXPECT_THAT(ParseStatus(objects), IsOk());
  EXPECT_THAT(
      ParseStatus(std::string(max + 1, '[') + std::string(max + 1, ']')),
      IsErrorWith(StatusCode::kInvalidArgument, "json: nesting deeper than 128 at byte 128"));
}

TEST_F(JsonParserTest, MegabyteOfOpenBracketsIsAnErrorNotACrash) {
  EXPECT_THAT(ParseStatus(std::string(1 << 20, '[')),
              IsErrorWith(StatusCode::kInvalidArgument, "nesting deeper than 128"));
  EXPECT_THAT(ParseStatus(std::string(1 << 20, '{')),
              IsErrorWith(StatusCode::kInvalidArgument, "expected a string key"));
}

TEST_F(JsonParserTest, NodeMemoryIsProportionalToInput) {
  std::string input = "[0";
  for (int i = 0; i < 100000; ++i) input += ",0";
  input += "]";
  ASSERT_THAT(ParseStatus(input), IsOk());
  EXPECT_EQ(doc_.node_count(), 100002u);
  EXPECT_EQ(doc_.root().size(), 100001u);
  EXPECT_LE(doc_.node_count() * sizeof(JsonNode), 8 * input.size() + 32);
}

TEST_F(JsonParserTest, ReparseReplacesTheDocument) {
  EXPECT_EQ(Parse("[1,2,3]"), "[1,2,3]");
  EXPECT_EQ(Parse("{\"a\":true}"), "{\"a\":true}");
  EXPECT_THAT(ParseStatus("[1"), IsErrorWith(StatusCode::kInvalidArgument, "end of input"));
  EXPECT_EQ(doc_.node_count(), 0u);
}

// ---- number conversion ----------------------------------------------------------------------

TEST(JsonNumberTest, Uint64) {
  uint64_t v = 0;
  EXPECT_EQ(ParseJsonUint64("0", &v), NumberError::kNone);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(ParseJsonUint64("18446744073709551615", &v), NumberError::kNone);
  EXPECT_EQ(v, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(ParseJsonUint64("18446744073709551616", &v), NumberError::kOutOfRange);
  EXPECT_EQ(ParseJsonUint64("99999999999999999999999", &v), NumberError::kOutOfRange);
  EXPECT_EQ(ParseJsonUint64("-1", &v), NumberError::kOutOfRange);
  EXPECT_EQ(ParseJsonUint64("-0", &v), NumberError::kNone);
  EXPECT_EQ(ParseJsonUint64("1700000000000000000", &v), NumberError::kNone);
  EXPECT_EQ(v, 1700000000000000000u);
  EXPECT_EQ(ParseJsonUint64("1.7e18", &v), NumberError::kNone);
  EXPECT_EQ(v, 1700000000000000000u);
  EXPECT_EQ(ParseJsonUint64("1e19", &v), NumberError::kNone);
  EXPECT_EQ(v, 10000000000000000000u);
  EXPECT_EQ(ParseJsonUint64("1e20", &v), NumberError::kOutOfRange);
  EXPECT_EQ(ParseJsonUint64("25.0", &v), NumberError::kNone);
  EXPECT_EQ(v, 25u);
  EXPECT_EQ(ParseJsonUint64("2500e-2", &v), NumberError::kNone);
  EXPECT_EQ(v, 25u);
  EXPECT_EQ(ParseJsonUint64("0.0e99999999999999999999", &v), NumberError::kNone);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(ParseJsonUint64("1.5", &v), NumberError::kNotInteger);
  EXPECT_EQ(ParseJsonUint64("1e-1", &v), NumberError::kNotInteger);
  EXPECT_EQ(ParseJsonUint64("1e99999999999999999999", &v), NumberError::kOutOfRange);
  EXPECT_EQ(ParseJsonUint64("007", &v), NumberError::kNone);
  EXPECT_EQ(v, 7u);
  for (const char* bad : {"", "-", "abc", "1.", ".5", "1e", "+1", " 1", "1 ", "0x10", "NaN"}) {
    EXPECT_EQ(ParseJsonUint64(bad, &v), NumberError::kSyntax) << bad;
  }
}

TEST(JsonNumberTest, Int64) {
  int64_t v = 0;
  EXPECT_EQ(ParseJsonInt64("-9223372036854775808", &v), NumberError::kNone);
  EXPECT_EQ(v, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(ParseJsonInt64("9223372036854775807", &v), NumberError::kNone);
  EXPECT_EQ(v, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseJsonInt64("9223372036854775808", &v), NumberError::kOutOfRange);
  EXPECT_EQ(ParseJsonInt64("-9223372036854775809", &v), NumberError::kOutOfRange);
  EXPECT_EQ(ParseJsonInt64("-12", &v), NumberError::kNone);
  EXPECT_EQ(v, -12);
  EXPECT_EQ(ParseJsonInt64("-1.2e1", &v), NumberError::kNone);
  EXPECT_EQ(v, -12);
  EXPECT_EQ(ParseJsonInt64("-1.25e1", &v), NumberError::kNotInteger);
}

TEST(JsonNumberTest, Double) {
  double v = 0;
  EXPECT_EQ(ParseJsonDouble("1.5", &v), NumberError::kNone);
  EXPECT_EQ(v, 1.5);
  EXPECT_EQ(ParseJsonDouble("-0", &v), NumberError::kNone);
  EXPECT_TRUE(std::signbit(v));
  EXPECT_EQ(ParseJsonDouble("1e308", &v), NumberError::kNone);
  EXPECT_EQ(v, 1e308);
  EXPECT_EQ(ParseJsonDouble("0.1", &v), NumberError::kNone);
  EXPECT_EQ(v, 0.1);
  EXPECT_EQ(ParseJsonDouble("9007199254740993", &v), NumberError::kNone);  // rounds to even
  EXPECT_EQ(v, 9007199254740992.0);
  EXPECT_EQ(ParseJsonDouble("NaN", &v), NumberError::kNone);
  EXPECT_TRUE(std::isnan(v));
  EXPECT_EQ(ParseJsonDouble("Infinity", &v), NumberError::kNone);
  EXPECT_EQ(v, std::numeric_limits<double>::infinity());
  EXPECT_EQ(ParseJsonDouble("-Infinity", &v), NumberError::kNone);
  EXPECT_EQ(v, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(ParseJsonDouble("1e400", &v), NumberError::kOutOfRange);
  EXPECT_EQ(ParseJsonDouble("-1e400", &v), NumberError::kOutOfRange);
  EXPECT_EQ(ParseJsonDouble("1e-400", &v), NumberError::kNone);
  EXPECT_EQ(v, 0.0);
  EXPECT_EQ(ParseJsonDouble("-0.0001e-400", &v), NumberError::kNone);
  EXPECT_EQ(v, 0.0);
  EXPECT_TRUE(std::signbit(v));
  for (const char* bad : {"", "inf", "nan", "infinity", "-NaN", "1.", "0x1p3", "1,5", "+1"}) {
    EXPECT_EQ(ParseJsonDouble(bad, &v), NumberError::kSyntax) << bad;
  }
}

}  // namespace
}  // namespace o2p::otlp::internal
