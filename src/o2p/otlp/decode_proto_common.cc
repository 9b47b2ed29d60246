// Protobuf decoding of common.v1 (AnyValue, KeyValue, InstrumentationScope) and resource.v1.
#include "o2p/otlp/internal/decode_proto_common.h"

namespace o2p::otlp::internal {
namespace {

// common.v1.ArrayValue, decoded straight into AnyValue::array_values.
Status DecodeArrayValueField(ProtoReader& r, const Field& field, std::vector<AnyValue>* out) {
  if (field.number == 1) {
    return RepeatedMessageField<DecodeAnyValueField>(r, field, "AnyValue", out);
  }
  return r.Skip(field);
}

// common.v1.KeyValueList, decoded straight into AnyValue::kvlist_values.
Status DecodeKeyValueListField(ProtoReader& r, const Field& field, std::vector<KeyValue>* out) {
  if (field.number == 1) return KeyValuesField(r, field, out);
  return r.Skip(field);
}

// Makes `kind` the set member of AnyValue's oneof. A different member set earlier is
// discarded (protobuf oneof semantics); the same member again is overwritten or merged into.
void SelectValue(AnyValue* value, ValueKind kind) {
  if (value->kind != kind && value->kind != ValueKind::kNone) *value = AnyValue{};
  value->kind = kind;
}

Status DecodeScopeFieldImpl(ProtoReader& r, const Field& field, InstrumentationScope* out) {
  switch (field.number) {
    case 1: return StringField(r, field, &out->name);
    case 2: return StringField(r, field, &out->version);
    case 3: return KeyValuesField(r, field, &out->attributes);
    case 4: return Uint32Field(r, field, &out->dropped_attributes_count);
    default: return r.Skip(field);
  }
}

Status DecodeResourceFieldImpl(ProtoReader& r, const Field& field, Resource* out) {
  switch (field.number) {
    case 1: return KeyValuesField(r, field, &out->attributes);
    case 2: return Uint32Field(r, field, &out->dropped_attributes_count);
    default: return r.Skip(field);
  }
}

}  // namespace

Status DecodeAnyValueField(ProtoReader& r, const Field& field, AnyValue* out) {
  switch (field.number) {
    case 1:
      if (field.type != WireType::kLen) break;
      SelectValue(out, ValueKind::kString);
      return r.ReadString(field, &out->string_value);
    case 2:
      if (field.type != WireType::kVarint) break;
      SelectValue(out, ValueKind::kBool);
      return BoolField(r, field, &out->bool_value);
    case 3:
      if (field.type != WireType::kVarint) break;
      SelectValue(out, ValueKind::kInt);
      return Int64Field(r, field, &out->int_value);
    case 4:
      if (field.type != WireType::kFixed64) break;
      SelectValue(out, ValueKind::kDouble);
      return r.ReadDouble(field, &out->double_value);
    case 5:
      if (field.type != WireType::kLen) break;
      SelectValue(out, ValueKind::kArray);
      return MessageField<DecodeArrayValueField>(r, field, "ArrayValue", &out->array_values);
    case 6:
      if (field.type != WireType::kLen) break;
      SelectValue(out, ValueKind::kKvList);
      return MessageField<DecodeKeyValueListField>(r, field, "KeyValueList", &out->kvlist_values);
    case 7:
      if (field.type != WireType::kLen) break;
      SelectValue(out, ValueKind::kBytes);
      return r.ReadBytes(field, &out->string_value);
    default: break;
  }
  return r.Skip(field);  // unknown, or a known number with another wire type
}

Status DecodeKeyValueField(ProtoReader& r, const Field& field, KeyValue* out) {
  switch (field.number) {
    case 1: return StringField(r, field, &out->key);
    case 2: return MessageField<DecodeAnyValueField>(r, field, "AnyValue", &out->value);
    default: return r.Skip(field);
  }
}

Status KeyValuesField(ProtoReader& r, const Field& field, std::vector<KeyValue>* out) {
  return RepeatedMessageField<DecodeKeyValueField>(r, field, "KeyValue", out);
}

Status ResourceField(ProtoReader& r, const Field& field, Resource* out) {
  return MessageField<DecodeResourceFieldImpl>(r, field, "Resource", out);
}

Status ScopeField(ProtoReader& r, const Field& field, InstrumentationScope* out) {
  return MessageField<DecodeScopeFieldImpl>(r, field, "InstrumentationScope", out);
}

}  // namespace o2p::otlp::internal
