// Shared parts of the OTLP/JSON decoder: the error path, field readers, ids, and the messages
// of common.v1 and resource.v1. See internal/decode_json_common.h for the conventions.
#include "o2p/otlp/internal/decode_json_common.h"

#include <iterator>
#include <limits>
#include <string>

#include "o2p/base/text_codec.h"
#include "o2p/otlp/internal/json_number.h"

namespace o2p::otlp::internal {

Status DecodeContext::Error(std::string_view what, std::string_view key) const {
  std::string path = "$";
  for (const Segment& segment : path_) {
    if (segment.is_index) {
      fmt::format_to(std::back_inserter(path), "[{}]", segment.index);
    } else {
      path.append(".").append(segment.key);
    }
  }
  if (!key.empty()) path.append(".").append(key);
  return Status::InvalidArgument("json: {} at {}", what, path);
}

namespace {

// Why an integer field's text was refused.
Status IntegerError(DecodeContext& c, std::string_view key, NumberError error,
                    std::string_view type) {
  switch (error) {
    case NumberError::kNotInteger: return c.Error("expected an integer, got a fraction", key);
    case NumberError::kOutOfRange: return c.Error(fmt::format("{} out of range", type), key);
    default: return c.Error("expected an integer", key);
  }
}

// The text of an integer field: a number, or a string holding one.
bool IntegerText(JsonValue v, std::string_view* text) {
  if (!v.is_number() && !v.is_string()) return false;
  *text = v.text();
  return true;
}

}  // namespace

Status ReadString(DecodeContext& c, std::string_view key, JsonValue v, std::string_view* out) {
  if (!v.is_string()) return c.Error("expected a string", key);
  *out = v.text();
  return Status::Ok();
}

Status ReadBool(DecodeContext& c, std::string_view key, JsonValue v, bool* out) {
  if (!v.is_bool()) return c.Error("expected a boolean", key);
  *out = v.bool_value();
  return Status::Ok();
}

Status ReadUint64(DecodeContext& c, std::string_view key, JsonValue v, uint64_t* out) {
  std::string_view text;
  if (!IntegerText(v, &text)) return c.Error("expected an integer", key);
  const NumberError error = ParseJsonUint64(text, out);
  if (error != NumberError::kNone) return IntegerError(c, key, error, "uint64");
  return Status::Ok();
}

Status ReadInt64(DecodeContext& c, std::string_view key, JsonValue v, int64_t* out) {
  std::string_view text;
  if (!IntegerText(v, &text)) return c.Error("expected an integer", key);
  const NumberError error = ParseJsonInt64(text, out);
  if (error != NumberError::kNone) return IntegerError(c, key, error, "int64");
  return Status::Ok();
}

Status ReadUint32(DecodeContext& c, std::string_view key, JsonValue v, uint32_t* out) {
  std::string_view text;
  if (!IntegerText(v, &text)) return c.Error("expected an integer", key);
  uint64_t value = 0;
  NumberError error = ParseJsonUint64(text, &value);
  if (error == NumberError::kNone && value > std::numeric_limits<uint32_t>::max()) {
    error = NumberError::kOutOfRange;
  }
  if (error != NumberError::kNone) return IntegerError(c, key, error, "uint32");
  *out = static_cast<uint32_t>(value);
  return Status::Ok();
}

Status ReadInt32(DecodeContext& c, std::string_view key, JsonValue v, int32_t* out) {
  std::string_view text;
  if (!IntegerText(v, &text)) return c.Error("expected an integer", key);
  int64_t value = 0;
  NumberError error = ParseJsonInt64(text, &value);
  if (error == NumberError::kNone && (value < std::numeric_limits<int32_t>::min() ||
                                      value > std::numeric_limits<int32_t>::max())) {
    error = NumberError::kOutOfRange;
  }
  if (error != NumberError::kNone) return IntegerError(c, key, error, "int32");
  *out = static_cast<int32_t>(value);
  return Status::Ok();
}

Status ReadDouble(DecodeContext& c, std::string_view key, JsonValue v, double* out) {
  if (!v.is_number() && !v.is_string()) return c.Error("expected a number", key);
  switch (ParseJsonDouble(v.text(), out)) {
    case NumberError::kNone: return Status::Ok();
    case NumberError::kOutOfRange: return c.Error("number out of range", key);
    default: return c.Error("expected a number", key);
  }
}

Status ReadUint64Array(DecodeContext& c, std::string_view key, JsonValue v,
                       std::vector<uint64_t>* out) {
  return DecodeRepeated(c, key, v, out, [&c](JsonValue element, uint64_t* value) {
    return ReadUint64(c, {}, element, value);
  });
}

Status ReadDoubleArray(DecodeContext& c, std::string_view key, JsonValue v,
                       std::vector<double>* out) {
  return DecodeRepeated(c, key, v, out, [&c](JsonValue element, double* value) {
    return ReadDouble(c, {}, element, value);
  });
}

Status ReadId(DecodeContext& c, std::string_view key, JsonValue v, const IdSpec& spec, Id* out) {
  if (!v.is_string()) return c.Error("expected a hex string", key);
  *out = Id{};
  const std::string_view text = v.text();
  if (text.empty()) return Status::Ok();  // "" = absent
  if (text.size() == 2 * spec.bytes) {
    if (const auto bytes = DecodeHex(text, c.arena())) {
      out->bytes = *bytes;
      return Status::Ok();
    }
  }
  // Generic proto3 JSON clients send base64; accept it only at the exact length, so that a
  // hex id of the wrong length is reported as such instead of being read as base64.
  if (const auto bytes = DecodeBase64(text, c.arena()); bytes && bytes->size() == spec.bytes) {
    out->bytes = *bytes;
    return Status::Ok();
  }
  if (const auto bytes = DecodeHex(text, c.arena())) {
    out->bytes = *bytes;  // hex of the wrong length: the converter rejects the record
    return Status::Ok();
  }
  out->error = spec.invalid_reason;
  return Status::Ok();
}

// ---- AnyValue, KeyValue --------------------------------------------------------------------

namespace {

enum AnyValueField : int {
  kStringValue,
  kBoolValue,
  kIntValue,
  kDoubleValue,
  kArrayValue,
  kKvlistValue,
  kBytesValue,
};
constexpr KeyTable kAnyValueKeys({
    {"stringValue", kStringValue},
    {"string_value", kStringValue},
    {"boolValue", kBoolValue},
    {"bool_value", kBoolValue},
    {"intValue", kIntValue},
    {"int_value", kIntValue},
    {"doubleValue", kDoubleValue},
    {"double_value", kDoubleValue},
    {"arrayValue", kArrayValue},
    {"array_value", kArrayValue},
    {"kvlistValue", kKvlistValue},
    {"kvlist_value", kKvlistValue},
    {"bytesValue", kBytesValue},
    {"bytes_value", kBytesValue},
});

// ArrayValue and KeyValueList both hold one field, `values`.
constexpr KeyTable kValuesKeys({{"values", 0}});

enum KeyValueField : int { kKey, kValue };
constexpr KeyTable kKeyValueKeys({{"key", kKey}, {"value", kValue}});

Status DecodeKeyValue(DecodeContext& c, JsonValue v, KeyValue* out) {
  return ForEachField(c, v, kKeyValueKeys, [&](int field, std::string_view key, JsonValue value) {
    if (field == kKey) return ReadString(c, key, value, &out->key);
    PathScope scope(c, key);
    out->value = AnyValue{};
    return DecodeAnyValue(c, value, &out->value);
  });
}

Status DecodeArrayValue(DecodeContext& c, JsonValue v, std::vector<AnyValue>* out) {
  return ForEachField(c, v, kValuesKeys, [&](int, std::string_view key, JsonValue value) {
    return DecodeRepeated(c, key, value, out, [&c](JsonValue element, AnyValue* item) {
      return DecodeAnyValue(c, element, item);
    });
  });
}

Status DecodeKvList(DecodeContext& c, JsonValue v, std::vector<KeyValue>* out) {
  return ForEachField(c, v, kValuesKeys, [&](int, std::string_view key, JsonValue value) {
    return DecodeAttributes(c, key, value, out);
  });
}

Status DecodeBytesValue(DecodeContext& c, std::string_view key, JsonValue v, AnyValue* out) {
  if (!v.is_string()) return c.Error("expected a base64 string", key);
  const auto bytes = DecodeBase64(v.text(), c.arena());
  if (!bytes) return c.Error("invalid base64", key);
  out->string_value = *bytes;
  return Status::Ok();
}

// Sets one member of the oneof; the last one present wins.
Status DecodeAnyValueField(DecodeContext& c, int field, std::string_view key, JsonValue v,
                           AnyValue* out) {
  *out = AnyValue{};
  switch (field) {
    case kStringValue:
      out->kind = ValueKind::kString;
      return ReadString(c, key, v, &out->string_value);
    case kBoolValue: out->kind = ValueKind::kBool; return ReadBool(c, key, v, &out->bool_value);
    case kIntValue: out->kind = ValueKind::kInt; return ReadInt64(c, key, v, &out->int_value);
    case kDoubleValue:
      out->kind = ValueKind::kDouble;
      return ReadDouble(c, key, v, &out->double_value);
    case kArrayValue: {
      out->kind = ValueKind::kArray;
      PathScope scope(c, key);
      return DecodeArrayValue(c, v, &out->array_values);
    }
    case kKvlistValue: {
      out->kind = ValueKind::kKvList;
      PathScope scope(c, key);
      return DecodeKvList(c, v, &out->kvlist_values);
    }
    default: out->kind = ValueKind::kBytes; return DecodeBytesValue(c, key, v, out);
  }
}

}  // namespace

Status DecodeAnyValue(DecodeContext& c, JsonValue v, AnyValue* out) {
  return ForEachField(c, v, kAnyValueKeys, [&](int field, std::string_view key, JsonValue value) {
    return DecodeAnyValueField(c, field, key, value, out);
  });
}

Status DecodeAttributes(DecodeContext& c, std::string_view key, JsonValue v,
                        std::vector<KeyValue>* out) {
  return DecodeRepeated(c, key, v, out, [&c](JsonValue element, KeyValue* kv) {
    return DecodeKeyValue(c, element, kv);
  });
}

// ---- Resource, InstrumentationScope ----------------------------------------------------------

namespace {

enum ScopeField : int { kName, kVersion, kAttributes, kDroppedAttributesCount };
constexpr KeyTable kScopeKeys({
    {"name", kName},
    {"version", kVersion},
    {"attributes", kAttributes},
    {"droppedAttributesCount", kDroppedAttributesCount},
    {"dropped_attributes_count", kDroppedAttributesCount},
});

}  // namespace

Status DecodeResource(DecodeContext& c, std::string_view key, JsonValue v, Resource* out) {
  PathScope scope(c, key);
  *out = Resource{};
  // Resource's fields are a subset of InstrumentationScope's; "name"/"version" are ignored.
  return ForEachField(c, v, kScopeKeys, [&](int field, std::string_view k, JsonValue value) {
    if (field == kAttributes) return DecodeAttributes(c, k, value, &out->attributes);
    if (field == kDroppedAttributesCount) {
      return ReadUint32(c, k, value, &out->dropped_attributes_count);
    }
    return Status::Ok();
  });
}

Status DecodeScope(DecodeContext& c, std::string_view key, JsonValue v, InstrumentationScope* out) {
  PathScope scope(c, key);
  *out = InstrumentationScope{};
  return ForEachField(c, v, kScopeKeys, [&](int field, std::string_view k, JsonValue value) {
    switch (field) {
      case kName: return ReadString(c, k, value, &out->name);
      case kVersion: return ReadString(c, k, value, &out->version);
      case kAttributes: return DecodeAttributes(c, k, value, &out->attributes);
      default: return ReadUint32(c, k, value, &out->dropped_attributes_count);
    }
  });
}

}  // namespace o2p::otlp::internal
