#include "o2p/base/log.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <iterator>
#include <mutex>
#include <string>
#include <variant>

#include <errno.h>
#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include "o2p/base/arena.h"
#include "o2p/base/text_codec.h"

namespace o2p {
namespace {

struct LogState {
  std::atomic<uint8_t> min_level{static_cast<uint8_t>(LogLevel::kInfo)};
  std::atomic<uint8_t> format{static_cast<uint8_t>(LogFormat::kText)};
  std::atomic<int> fd{2};
  // Serializes the write loop: one write(2) normally suffices, but when the kernel takes only
  // part of a long line, the rest must follow before another thread's line.
  std::mutex write_mu;
};

LogState& State() {
  static LogState state;
  return state;
}

constexpr std::string_view kTextLevel[] = {"TRACE", "DEBUG", "INFO ", "WARN ", "ERROR"};
constexpr std::string_view kJsonLevel[] = {"trace", "debug", "info", "warn", "error"};

size_t LevelIndex(LogLevel level) {
  const auto i = static_cast<size_t>(level);
  return i < std::size(kTextLevel) ? i : std::size(kTextLevel) - 1;
}

// 2026-12-05T03:20:46.123Z
void AppendTimestamp(int64_t unix_millis, std::string* out) {
  // Floor division, so that instants before 1970 still get a millisecond field in 0..999.
  int64_t seconds = unix_millis / 1000;
  int64_t millis = unix_millis % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const time_t t = static_cast<time_t>(seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  fmt::format_to(std::back_inserter(*out), "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 millis);
}

// Log lines are read as UTF-8 by people and collectors alike, so bytes that are not UTF-8 are
// replaced by U+FFFD in both formats. The Arena allocates only when a repair is needed.
std::string_view ValidUtf8(std::string_view text, Arena& arena) { return RepairUtf8(text, arena); }

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

void AppendControlEscape(unsigned char c, std::string* out) {
  switch (c) {
    case '\n': out->append("\\n"); break;
    case '\r': out->append("\\r"); break;
    case '\t': out->append("\\t"); break;
    default: fmt::format_to(std::back_inserter(*out), "\\u{:04x}", c);
  }
}

// The message of a text line is never quoted (it is the human part), but control characters are
// escaped so that a message cannot forge a second line.
void AppendTextMessage(std::string_view message, std::string* out) {
  for (char ch : message) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsControl(c)) {
      AppendControlEscape(c, out);
    } else {
      out->push_back(ch);
    }
  }
}

bool TextNeedsQuotes(std::string_view value) {
  if (value.empty()) return true;  // key="" rather than a bare key= that reads like a typo
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '"' || c == '=' || IsControl(c)) return true;
  }
  return false;
}

void AppendTextValue(std::string_view value, std::string* out) {
  if (!TextNeedsQuotes(value)) {
    out->append(value);
    return;
  }
  out->push_back('"');
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (IsControl(c)) {
      AppendControlEscape(c, out);
    } else {
      out->push_back(ch);
    }
  }
  out->push_back('"');
}

// Shortest round-trip digits; JSON has no NaN or infinity, so those become the strings the text
// format prints too.
void AppendDouble(double v, bool json, std::string* out) {
  if (std::isfinite(v)) {
    fmt::format_to(std::back_inserter(*out), "{}", v);
    return;
  }
  const std::string_view word = std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
  if (json) {
    AppendJsonString(word, out);
  } else {
    out->append(word);
  }
}

void AppendValue(const LogField& field, LogFormat format, Arena& arena, std::string* out) {
  const bool json = format == LogFormat::kJson;
  if (const auto* s = std::get_if<std::string>(&field.value)) {
    const std::string_view text = ValidUtf8(*s, arena);
    if (json) {
      AppendJsonString(text, out);
    } else {
      AppendTextValue(text, out);
    }
  } else if (const auto* i = std::get_if<int64_t>(&field.value)) {
    fmt::format_to(std::back_inserter(*out), "{}", *i);
  } else if (const auto* d = std::get_if<double>(&field.value)) {
    AppendDouble(*d, json, out);
  } else {
    out->append(std::get<bool>(field.value) ? "true" : "false");
  }
}

void AppendTextLine(int64_t unix_millis, LogLevel level, std::string_view message,
                    std::initializer_list<LogField> fields, Arena& arena, std::string* out) {
  AppendTimestamp(unix_millis, out);
  out->push_back(' ');
  out->append(kTextLevel[LevelIndex(level)]);
  out->push_back(' ');
  AppendTextMessage(ValidUtf8(message, arena), out);
  for (const LogField& field : fields) {
    out->push_back(' ');
    // Keys are identifiers chosen in code; only control characters could break the line.
    AppendTextMessage(ValidUtf8(field.key, arena), out);
    out->push_back('=');
    AppendValue(field, LogFormat::kText, arena, out);
  }
}

void AppendJsonLine(int64_t unix_millis, LogLevel level, std::string_view message,
                    std::initializer_list<LogField> fields, Arena& arena, std::string* out) {
  out->append(R"({"ts":")");
  AppendTimestamp(unix_millis, out);
  out->append(R"(","level":")");
  out->append(kJsonLevel[LevelIndex(level)]);
  out->append(R"(","msg":)");
  AppendJsonString(ValidUtf8(message, arena), out);
  for (const LogField& field : fields) {
    out->push_back(',');
    AppendJsonString(ValidUtf8(field.key, arena), out);
    out->push_back(':');
    AppendValue(field, LogFormat::kJson, arena, out);
  }
  out->push_back('}');
}

void WriteAll(int fd, std::string_view bytes) {
  std::lock_guard lock(State().write_mu);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a failing log sink
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void InitLogging(LogLevel min_level, LogFormat format, int fd) {
  LogState& state = State();
  state.min_level.store(static_cast<uint8_t>(min_level), std::memory_order_relaxed);
  state.format.store(static_cast<uint8_t>(format), std::memory_order_relaxed);
  state.fd.store(fd, std::memory_order_relaxed);
}

bool LogEnabled(LogLevel level) {
  return static_cast<uint8_t>(level) >= State().min_level.load(std::memory_order_relaxed);
}

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  LogState& state = State();
  const auto format = static_cast<LogFormat>(state.format.load(std::memory_order_relaxed));
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  std::string line = FormatLogLine(format, now, level, message, fields);
  line.push_back('\n');
  WriteAll(state.fd.load(std::memory_order_relaxed), line);
}

std::string FormatLogLine(LogFormat format, int64_t unix_millis, LogLevel level,
                          std::string_view message, std::initializer_list<LogField> fields) {
  Arena arena;
  std::string out;
  out.reserve(128);
  if (format == LogFormat::kJson) {
    AppendJsonLine(unix_millis, level, message, fields, arena, &out);
  } else {
    AppendTextLine(unix_millis, level, message, fields, arena, &out);
  }
  return out;
}

}  // namespace o2p
