// Attribute-value text (schema.md, "Attribute values"); see any_value.h for the rules.
//
// Number text, chosen where schema.md is silent:
//   - int64: plain decimal, full range ("-9223372036854775808"), also inside JSON (exact text;
//     readers that parse JSON numbers as doubles may round values beyond 2^53).
//   - double: fmt's "{}" shortest round-trip form, which is fixed notation for decimal exponents
//     in [-4, 16) and exponent notation otherwise: 1.5, 0.1, 2 (no ".0"), 1e+16, 1e+21,
//     1e-05, 1e-07, 1e+300, 5e-324, -0. Every finite value is therefore also a valid JSON
//     number. NaN, +Inf and -Inf become NaN, Infinity and -Infinity (JSON strings when nested).
// Inside JSON, kvlist objects follow the same duplicate-key rule as attribute maps (the last
// occurrence wins, at its position; internal/last_wins.h), so objects never repeat a key.
#include "o2p/otlp/any_value.h"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "o2p/base/text_codec.h"
#include "o2p/otlp/internal/last_wins.h"

namespace o2p::otlp {
namespace {

void AppendInt(int64_t value, std::string* out) {
  const fmt::format_int text(value);
  out->append(text.data(), text.size());
}

/// The text of a non-finite double, or null for a finite one.
const char* NonFiniteName(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return nullptr;
}

void AppendFiniteDouble(double value, std::string* out) {
  // The longest shortest-form double is 24 characters ("-1.7976931348623157e+308").
  char buffer[32];
  const auto result = fmt::format_to_n(buffer, sizeof(buffer), "{}", value);
  out->append(buffer, result.size);
}

void AppendJsonArray(const std::vector<AnyValue>& values, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendAnyValueJson(values[i], out);
  }
  out->push_back(']');
}

void AppendJsonObject(const std::vector<KeyValue>& entries, std::string* out) {
  internal::LastWins last_wins;
  last_wins.Reset(entries);
  out->push_back('{');
  bool first = true;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!last_wins.Keep(i)) continue;
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(entries[i].key, out);
    out->push_back(':');
    AppendAnyValueJson(entries[i].value, out);
  }
  out->push_back('}');
}

}  // namespace

bool AppendAnyValueText(const AnyValue& value, std::string* out) {
  switch (value.kind) {
    case ValueKind::kNone: return false;
    case ValueKind::kString: out->append(value.string_value); return true;
    case ValueKind::kBool: out->append(value.bool_value ? "true" : "false"); return true;
    case ValueKind::kInt: AppendInt(value.int_value, out); return true;
    case ValueKind::kDouble:
      if (const char* name = NonFiniteName(value.double_value)) {
        out->append(name);
      } else {
        AppendFiniteDouble(value.double_value, out);
      }
      return true;
    case ValueKind::kBytes: AppendBase64(value.string_value, out); return true;
    case ValueKind::kArray:
    case ValueKind::kKvList: AppendAnyValueJson(value, out); return true;
  }
  return false;
}

void AppendAnyValueJson(const AnyValue& value, std::string* out) {
  switch (value.kind) {
    case ValueKind::kNone: out->append("null"); return;
    case ValueKind::kString: AppendJsonString(value.string_value, out); return;
    case ValueKind::kBool: out->append(value.bool_value ? "true" : "false"); return;
    case ValueKind::kInt: AppendInt(value.int_value, out); return;
    case ValueKind::kDouble:
      if (const char* name = NonFiniteName(value.double_value)) {
        AppendJsonString(name, out);
      } else {
        AppendFiniteDouble(value.double_value, out);
      }
      return;
    case ValueKind::kBytes:
      out->push_back('"');
      AppendBase64(value.string_value, out);  // the base64 alphabet needs no escaping
      out->push_back('"');
      return;
    case ValueKind::kArray: AppendJsonArray(value.array_values, out); return;
    case ValueKind::kKvList: AppendJsonObject(value.kvlist_values, out); return;
  }
}

}  // namespace o2p::otlp
