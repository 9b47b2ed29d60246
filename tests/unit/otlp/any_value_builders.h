// Test helpers: AnyValue literals for the model structs of o2p/otlp/model.h.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "o2p/otlp/model.h"

namespace o2p::otlp::testing {

inline AnyValue Str(std::string_view s) {
  AnyValue v;
  v.kind = ValueKind::kString;
  v.string_value = s;
  return v;
}
inline AnyValue Int(int64_t i) {
  AnyValue v;
  v.kind = ValueKind::kInt;
  v.int_value = i;
  return v;
}
inline AnyValue Dbl(double d) {
  AnyValue v;
  v.kind = ValueKind::kDouble;
  v.double_value = d;
  return v;
}
inline AnyValue Bool(bool b) {
  AnyValue v;
  v.kind = ValueKind::kBool;
  v.bool_value = b;
  return v;
}
inline AnyValue Bytes(std::string_view raw) {
  AnyValue v;
  v.kind = ValueKind::kBytes;
  v.string_value = raw;
  return v;
}
inline AnyValue Array(std::vector<AnyValue> values) {
  AnyValue v;
  v.kind = ValueKind::kArray;
  v.array_values = std::move(values);
  return v;
}
inline AnyValue KvList(std::vector<KeyValue> entries) {
  AnyValue v;
  v.kind = ValueKind::kKvList;
  v.kvlist_values = std::move(entries);
  return v;
}

}  // namespace o2p::otlp::testing
