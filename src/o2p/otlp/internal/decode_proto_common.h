// Field decoders for the messages every OTLP signal shares (common.v1 and resource.v1), used
// by the per-signal protobuf decoders. Each has the field-function shape of proto_reader.h:
// it consumes one field of the message and returns, so DecodeFields / MessageField drive it.
#pragma once

#include <vector>

#include "o2p/base/status.h"
#include "o2p/otlp/internal/proto_reader.h"
#include "o2p/otlp/model.h"

namespace o2p::otlp::internal {

/// common.v1.AnyValue. Its `value` oneof: the last member on the wire wins and sets `kind`;
/// array_value / kvlist_value seen again with nothing else in between are merged.
Status DecodeAnyValueField(ProtoReader& r, const Field& field, AnyValue* out);
/// common.v1.KeyValue.
Status DecodeKeyValueField(ProtoReader& r, const Field& field, KeyValue* out);

/// A `repeated KeyValue` field (attributes, metadata): appends one KeyValue.
Status KeyValuesField(ProtoReader& r, const Field& field, std::vector<KeyValue>* out);
/// A singular resource.v1.Resource field (merged when repeated on the wire).
Status ResourceField(ProtoReader& r, const Field& field, Resource* out);
/// A singular common.v1.InstrumentationScope field.
Status ScopeField(ProtoReader& r, const Field& field, InstrumentationScope* out);

}  // namespace o2p::otlp::internal
