#include "o2p/otlp/internal/json_number.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace o2p::otlp::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A number split into sign, digits and exponent:
//   value = digits(int_part frac_part) * 10^(exponent - frac_part.size()).
struct Decimal {
  bool negative = false;
  std::string_view int_part;
  std::string_view frac_part;
  int64_t exponent = 0;  // saturated at +-kMaxExponent
};

constexpr int64_t kMaxExponent = int64_t{1} << 40;

std::string_view TakeDigits(std::string_view text, size_t* pos) {
  const size_t start = *pos;
  while (*pos < text.size() && IsDigit(text[*pos])) ++*pos;
  return text.substr(start, *pos - start);
}

bool SplitDecimal(std::string_view text, Decimal* out) {
  size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') {
    out->negative = true;
    ++pos;
  }
  out->int_part = TakeDigits(text, &pos);
  if (out->int_part.empty()) return false;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    out->frac_part = TakeDigits(text, &pos);
    if (out->frac_part.empty()) return false;
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool negative_exponent = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      negative_exponent = text[pos] == '-';
      ++pos;
    }
    const std::string_view digits = TakeDigits(text, &pos);
    if (digits.empty()) return false;
    int64_t e = 0;
    for (const char c : digits) e = std::min(kMaxExponent, e * 10 + (c - '0'));
    out->exponent = negative_exponent ? -e : e;
  }
  return pos == text.size();
}

// The magnitude of an integral decimal, exactly, or why it is not one that fits 64 bits.
NumberError Magnitude(const Decimal& d, uint64_t* out) {
  const size_t total = d.int_part.size() + d.frac_part.size();
  auto digit = [&d](size_t i) {
    return i < d.int_part.size() ? d.int_part[i] : d.frac_part[i - d.int_part.size()];
  };
  size_t first = 0;
  while (first < total && digit(first) == '0') ++first;
  *out = 0;
  if (first == total) return NumberError::kNone;  // zero, whatever the exponent
  size_t last = total - 1;
  while (digit(last) == '0') --last;
  // value = digits[first..last] * 10^scale
  const int64_t scale = d.exponent - static_cast<int64_t>(d.frac_part.size()) +
                        static_cast<int64_t>(total - 1 - last);
  if (scale < 0) return NumberError::kNotInteger;
  if (static_cast<int64_t>(last - first + 1) + scale > 20) return NumberError::kOutOfRange;
  uint64_t value = 0;
  for (size_t i = first; i <= last; ++i) {
    if (__builtin_mul_overflow(value, 10u, &value) ||
        __builtin_add_overflow(value, static_cast<uint64_t>(digit(i) - '0'), &value)) {
      return NumberError::kOutOfRange;
    }
  }
  for (int64_t i = 0; i < scale; ++i) {
    if (__builtin_mul_overflow(value, 10u, &value)) return NumberError::kOutOfRange;
  }
  *out = value;
  return NumberError::kNone;
}

// Plain digits, at most 19 of them: cannot overflow uint64. The common case.
bool ShortDigits(std::string_view digits, uint64_t* out) {
  if (digits.empty() || digits.size() > 19) return false;
  uint64_t value = 0;
  for (const char c : digits) {
    if (!IsDigit(c)) return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = value;
  return true;
}

NumberError SignedMagnitude(std::string_view text, bool* negative, uint64_t* magnitude) {
  *negative = !text.empty() && text[0] == '-';
  if (ShortDigits(*negative ? text.substr(1) : text, magnitude)) return NumberError::kNone;
  Decimal d;
  if (!SplitDecimal(text, &d)) return NumberError::kSyntax;
  return Magnitude(d, magnitude);
}

}  // namespace

NumberError ParseJsonUint64(std::string_view text, uint64_t* out) {
  bool negative = false;
  uint64_t magnitude = 0;
  const NumberError error = SignedMagnitude(text, &negative, &magnitude);
  if (error != NumberError::kNone) return error;
  if (negative && magnitude != 0) return NumberError::kOutOfRange;
  *out = magnitude;
  return NumberError::kNone;
}

NumberError ParseJsonInt64(std::string_view text, int64_t* out) {
  bool negative = false;
  uint64_t magnitude = 0;
  const NumberError error = SignedMagnitude(text, &negative, &magnitude);
  if (error != NumberError::kNone) return error;
  constexpr uint64_t kMaxPositive = std::numeric_limits<int64_t>::max();
  if (magnitude > kMaxPositive + (negative ? 1 : 0)) return NumberError::kOutOfRange;
  // Two's complement negation done in unsigned arithmetic: exact for INT64_MIN too.
  *out = static_cast<int64_t>(negative ? ~magnitude + 1 : magnitude);
  return NumberError::kNone;
}

NumberError ParseJsonDouble(std::string_view text, double* out) {
  if (text == "NaN") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return NumberError::kNone;
  }
  if (text == "Infinity" || text == "-Infinity") {
    *out = text[0] == '-' ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity();
    return NumberError::kNone;
  }
  Decimal d;
  if (!SplitDecimal(text, &d)) return NumberError::kSyntax;
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ptr != text.data() + text.size()) return NumberError::kSyntax;
  if (ec == std::errc::result_out_of_range) {
    // Overflow or underflow? Compare the decimal exponent of the leading non-zero digit.
    size_t first = 0;
    while (first < d.int_part.size() && d.int_part[first] == '0') ++first;
    int64_t lead = static_cast<int64_t>(d.int_part.size()) - 1 - static_cast<int64_t>(first);
    if (first == d.int_part.size()) {
      size_t zeros = 0;
      while (zeros < d.frac_part.size() && d.frac_part[zeros] == '0') ++zeros;
      lead = -1 - static_cast<int64_t>(zeros);
    }
    if (lead + d.exponent > 0) return NumberError::kOutOfRange;
    value = d.negative ? -0.0 : 0.0;
  } else if (ec != std::errc()) {
    return NumberError::kSyntax;
  }
  *out = value;
  return NumberError::kNone;
}

}  // namespace o2p::otlp::internal
