// Test support: renders any OTLP protobuf message as OTLP/JSON, by reflection.
//
// Used to produce the JSON and JSONL encodings of requests that tests and benchmarks build as
// protobuf messages, so that all encodings of the same data can be compared. The rendering
// follows the OTLP/JSON rules (trace/span ids as hex, enums as integers, 64-bit integers as
// strings, lowerCamelCase keys); the options switch to the variants decoders must also accept.
#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace o2p::testing {

struct OtlpJsonStyle {
  bool snake_case_keys = false;     // proto field names instead of lowerCamelCase
  bool int64_as_numbers = false;    // 64-bit integers as JSON numbers instead of strings
  bool enums_as_names = false;      // "SPAN_KIND_SERVER" instead of 2
  bool ids_as_base64 = false;       // ids as base64 (generic proto3 JSON) instead of hex
  bool emit_defaults = false;       // also emit scalar fields that hold their zero value
};

std::string ToOtlpJson(const google::protobuf::Message& message, const OtlpJsonStyle& style = {});

}  // namespace o2p::testing
