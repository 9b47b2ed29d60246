#include "o2p/base/log.h"

#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace o2p {
namespace {

using ::testing::MatchesRegex;
using ::testing::StartsWith;

constexpr int64_t kMillis = 1796440846123;  // 2026-12-05T03:20:46.123Z

std::string Text(std::string_view message, std::initializer_list<LogField> fields = {}) {
  return FormatLogLine(LogFormat::kText, kMillis, LogLevel::kInfo, message, fields);
}

std::string Json(std::string_view message, std::initializer_list<LogField> fields = {}) {
  return FormatLogLine(LogFormat::kJson, kMillis, LogLevel::kInfo, message, fields);
}

TEST(LogFormatTest, TextLineWithEveryFieldType) {
  const std::string path = "/data/logs/a.parquet";
  EXPECT_EQ(Text("file written", {{"table", "logs"},
                                  {"rows", 1200},
                                  {"bytes", uint64_t{1} << 40},
                                  {"delta", int64_t{-7}},
                                  {"ratio", 0.25},
                                  {"ok", true},
                                  {"retry", false},
                                  {"path", path},
                                  {"sv", std::string_view("view")}}),
            "2026-12-05T03:20:46.123Z INFO  file written table=logs rows=1200 bytes=1099511627776 "
            "delta=-7 ratio=0.25 ok=true retry=false path=/data/logs/a.parquet sv=view");
}

TEST(LogFormatTest, JsonLineWithEveryFieldType) {
  EXPECT_EQ(Json("file written", {{"table", "logs"},
                                  {"rows", 1200},
                                  {"delta", int64_t{-7}},
                                  {"ratio", 1.5e-7},
                                  {"whole", 2.0},
                                  {"ok", true},
                                  {"retry", false}}),
            R"({"ts":"2026-12-05T03:20:46.123Z","level":"info","msg":"file written",)"
            R"("table":"logs","rows":1200,"delta":-7,"ratio":1.5e-07,"whole":2,"ok":true,)"
            R"("retry":false})");
}

TEST(LogFormatTest, LevelsInBothFormats) {
  const struct {
    LogLevel level;
    const char* text;
    const char* json;
  } cases[] = {{LogLevel::kTrace, "TRACE", "trace"},
               {LogLevel::kDebug, "DEBUG", "debug"},
               {LogLevel::kInfo, "INFO ", "info"},
               {LogLevel::kWarn, "WARN ", "warn"},
               {LogLevel::kError, "ERROR", "error"}};
  for (const auto& c : cases) {
    EXPECT_EQ(FormatLogLine(LogFormat::kText, 0, c.level, "m", {}),
              std::string("1970-01-01T00:00:00.000Z ") + c.text + " m");
    EXPECT_EQ(
        FormatLogLine(LogFormat::kJson, 0, c.level, "m", {}),
        std::string(R"({"ts":"1970-01-01T00:00:00.000Z","level":")") + c.json + R"(","msg":"m"})");
  }
}

TEST(LogFormatTest, TimestampsAreUtcWithMilliseconds) {
  EXPECT_THAT(FormatLogLine(LogFormat::kText, 1, LogLevel::kInfo, "m", {}),
              StartsWith("1970-01-01T00:00:00.001Z "));
  EXPECT_THAT(FormatLogLine(LogFormat::kText, -1, LogLevel::kInfo, "m", {}),
              StartsWith("1969-12-31T23:59:59.999Z "));
  EXPECT_THAT(FormatLogLine(LogFormat::kText, 951782400000, LogLevel::kInfo, "m", {}),
              StartsWith("2000-02-29T00:00:00.000Z "));
}

TEST(LogFormatTest, TextQuotesOnlyWhenNeeded) {
  EXPECT_EQ(Text("m", {{"a", "plain-value_1.2:3/x"}}),
            "2026-12-05T03:20:46.123Z INFO  m a=plain-value_1.2:3/x");
  EXPECT_EQ(Text("m", {{"a", "two words"}}), "2026-12-05T03:20:46.123Z INFO  m a=\"two words\"");
  EXPECT_EQ(Text("m", {{"a", "k=v"}}), "2026-12-05T03:20:46.123Z INFO  m a=\"k=v\"");
  EXPECT_EQ(Text("m", {{"a", "say \"hi\""}}), R"(2026-12-05T03:20:46.123Z INFO  m a="say \"hi\"")");
  EXPECT_EQ(Text("m", {{"a", ""}}), "2026-12-05T03:20:46.123Z INFO  m a=\"\"");
  // A backslash alone needs no quotes; inside quotes it is escaped.
  EXPECT_EQ(Text("m", {{"a", "C:\\dir"}}), R"(2026-12-05T03:20:46.123Z INFO  m a=C:\dir)");
  EXPECT_EQ(Text("m", {{"a", "C:\\my dir"}}), R"(2026-12-05T03:20:46.123Z INFO  m a="C:\\my dir")");
  EXPECT_EQ(Text("m", {{"a", "l1\nl2\t\r\x01\x7f"}}),
            R"(2026-12-05T03:20:46.123Z INFO  m a="l1\nl2\t\r\u0001\u007f")");
  EXPECT_EQ(Text("m", {{"a", "caf\xc3\xa9"}}), "2026-12-05T03:20:46.123Z INFO  m a=caf\xc3\xa9");
}

TEST(LogFormatTest, TextMessageIsNotQuotedButCannotBreakTheLine) {
  EXPECT_EQ(Text("a \"quoted\" msg=1\nforged line"),
            R"(2026-12-05T03:20:46.123Z INFO  a "quoted" msg=1\nforged line)");
}

TEST(LogFormatTest, NonFiniteDoubles) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(Text("m", {{"a", nan}, {"b", inf}, {"c", -inf}}),
            "2026-12-05T03:20:46.123Z INFO  m a=NaN b=+Inf c=-Inf");
  // JSON has no such numbers.
  EXPECT_EQ(Json("m", {{"a", nan}, {"b", inf}, {"c", -inf}}),
            R"({"ts":"2026-12-05T03:20:46.123Z","level":"info","msg":"m","a":"NaN","b":"+Inf",)"
            R"("c":"-Inf"})");
}

TEST(LogFormatTest, JsonEscapesPerRfc8259) {
  EXPECT_EQ(Json("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f", {{"k\"ey", "v\na"}}),
            R"({"ts":"2026-12-05T03:20:46.123Z","level":"info",)"
            R"("msg":"q\"b\\s/\b\f\n\r\t\u0001\u001f)"
            "\x7f"
            R"(","k\"ey":"v\na"})");
  // Valid UTF-8, including U+2028 and a 4-byte sequence, passes through unchanged.
  EXPECT_EQ(Json("\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80"),
            "{\"ts\":\"2026-12-05T03:20:46.123Z\",\"level\":\"info\",\"msg\":\""
            "\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80\"}");
}

TEST(LogFormatTest, InvalidUtf8IsReplaced) {
  const std::string bad =
      "a\xff"
      "b\xc3";  // a stray byte and a truncated sequence
  EXPECT_EQ(Json(bad, {{"v", bad}}),
            "{\"ts\":\"2026-12-05T03:20:46.123Z\",\"level\":\"info\",\"msg\":\""
            "a\xef\xbf\xbd"
            "b\xef\xbf\xbd\",\"v\":\"a\xef\xbf\xbd"
            "b\xef\xbf\xbd\"}");
  EXPECT_EQ(Text(bad, {{"v", bad}}),
            "2026-12-05T03:20:46.123Z INFO  a\xef\xbf\xbd"
            "b\xef\xbf\xbd v=a\xef\xbf\xbd"
            "b\xef\xbf\xbd");
}

// Reads what the logger wrote into a pipe (non-blocking, so an empty pipe does not hang).
class LogSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(pipe(fds_), 0);
    ASSERT_EQ(fcntl(fds_[0], F_SETFL, O_NONBLOCK), 0);
  }
  void TearDown() override {
    InitLogging(LogLevel::kInfo, LogFormat::kText, 2);
    close(fds_[0]);
    close(fds_[1]);
  }
  std::string Drain() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds_[0], buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }
  int fds_[2] = {-1, -1};
};

TEST_F(LogSinkTest, FiltersByLevelAndWritesWholeLines) {
  InitLogging(LogLevel::kWarn, LogFormat::kJson, fds_[1]);
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  EXPECT_TRUE(LogEnabled(LogLevel::kWarn));
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  LogDebug("hidden");
  LogInfo("hidden", {{"k", 1}});
  LogWarn("shown", {{"k", 1}});
  LogError("also shown");
  Log(LogLevel::kTrace, "hidden");
  const std::string out = Drain();
  const std::string ts =
      R"(\{"ts":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z",)";
  EXPECT_THAT(out, MatchesRegex(ts +
                                R"("level":"warn","msg":"shown","k":1\})"
                                "\n" +
                                ts +
                                R"("level":"error","msg":"also shown"\})"
                                "\n"));

  InitLogging(LogLevel::kTrace, LogFormat::kText, fds_[1]);
  Log(LogLevel::kTrace, "now shown");
  EXPECT_THAT(Drain(), MatchesRegex(".*Z TRACE now shown\n"));
}

TEST_F(LogSinkTest, ConcurrentLinesDoNotInterleave) {
  InitLogging(LogLevel::kInfo, LogFormat::kText, fds_[1]);
  constexpr int kThreads = 4;
  constexpr int kLines = 50;  // 200 short lines stay well below the pipe's 64 KiB buffer
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kLines; ++i) LogInfo("line", {{"thread", t}, {"i", i}});
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string out = Drain();
  int lines = 0;
  size_t start = 0;
  for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1, ++lines) {
    EXPECT_THAT(out.substr(start, nl - start),
                MatchesRegex(".*Z INFO  line thread=[0-3] i=[0-9]+"));
  }
  EXPECT_EQ(start, out.size());
  EXPECT_EQ(lines, kThreads * kLines);
}

}  // namespace
}  // namespace o2p
