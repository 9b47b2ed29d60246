// Structured logging to stderr, as text or as one JSON object per line.
//
//   InitLogging(LogLevel::kInfo, LogFormat::kJson);
//   LogInfo("file written", {{"table", "logs"}, {"rows", 1200}, {"path", path}});
//
// text: 2026-12-05T03:20:46.123Z INFO  file written table=logs rows=1200 path=/data/...
// json: {"ts":"2026-12-05T03:20:46.123Z","level":"info","msg":"file written","table":"logs",...}
//
// Text values that contain spaces, quotes, '=' or control characters are quoted and escaped;
// JSON strings are escaped per RFC 8259, invalid UTF-8 replaced by U+FFFD. A line is written
// with one write(2) so lines from several threads never interleave. Never log secrets: callers
// pass only values that are safe to show.
#pragma once

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace o2p {

enum class LogLevel : uint8_t { kTrace, kDebug, kInfo, kWarn, kError };
enum class LogFormat : uint8_t { kText, kJson };

struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  LogField(std::string_view k, int64_t v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  LogField(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}

  std::string_view key;
  std::variant<std::string, int64_t, double, bool> value;
};

/// Sets the minimum level and the format; `fd` is where lines go (default stderr). Thread-safe,
/// but meant to be called once at start-up.
void InitLogging(LogLevel min_level, LogFormat format, int fd = 2);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

/// The formatted line without the trailing newline, for tests; `unix_millis` is the timestamp.
std::string FormatLogLine(LogFormat format, int64_t unix_millis, LogLevel level,
                          std::string_view message, std::initializer_list<LogField> fields);

inline void LogDebug(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kDebug, m, f);
}
inline void LogInfo(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kInfo, m, f);
}
inline void LogWarn(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kWarn, m, f);
}
inline void LogError(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kError, m, f);
}

}  // namespace o2p
