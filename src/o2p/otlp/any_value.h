// Attribute-value text: how an AnyValue becomes the string stored in a map<string,string>
// column (schema.md, "Attribute values").
//   string -> as is; bool -> true/false; int -> decimal; double -> shortest round-trip
//   decimal ("1.5", "1e+300", "NaN", "Infinity", "-Infinity"); bytes -> standard base64;
//   array / kvlist -> compact JSON with the same rules applied recursively (strings
//   JSON-escaped, kvlist keys in input order, empty values as null, NaN and infinities as JSON
//   strings so the text stays valid JSON); empty AnyValue -> null (no text).
#pragma once

#include <string>

#include "o2p/otlp/model.h"

namespace o2p::otlp {

/// Appends the text of `value` to `out`. Returns false (and appends nothing) when the
/// AnyValue has no value set, which the caller stores as null.
bool AppendAnyValueText(const AnyValue& value, std::string* out);

/// Appends `value` as a JSON value (strings quoted and escaped); used for nested values.
void AppendAnyValueJson(const AnyValue& value, std::string* out);

}  // namespace o2p::otlp
