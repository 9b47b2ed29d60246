// Building blocks of the OTLP/JSON decoder (decode_json*.cc): key dispatch, the error path,
// typed field readers, and the messages every signal shares (AnyValue, KeyValue, Resource,
// InstrumentationScope).
//
// Each message decoder has the shape
//
//   Status DecodeThing(DecodeContext& c, JsonValue v, Thing* out) {
//     return ForEachField(c, v, kThingKeys, [&](int field, std::string_view key, JsonValue value) {
//       switch (field) {
//         case kName: return ReadString(c, key, value, &out->name);
//         ...
//       }
//       return Status::Ok();
//     });
//   }
//
// Conventions:
//   1. A message decoder is called with the context's path already naming `v`; it reports a
//      non-object `v` itself. Field readers take the member's key and name it in errors.
//   2. Members whose value is null are skipped (null = absent); unknown keys are skipped.
//   3. A repeated field appears once: a repeated key replaces the earlier elements, and for
//      singular fields the last occurrence wins.
//   4. The path is a stack of borrowed views; text is formatted only when an error is built.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "o2p/base/arena.h"
#include "o2p/base/macros.h"
#include "o2p/base/status.h"
#include "o2p/otlp/internal/decode_budget.h"
#include "o2p/otlp/internal/json_parser.h"
#include "o2p/otlp/model.h"

namespace o2p::otlp::internal {

/// One accepted key (or enum name) and the field (or enum value) it selects.
struct KeyName {
  std::string_view name;
  int field;
};

/// Maps keys to fields: the names are bucketed by length at compile time, so a lookup compares
/// only the (one to three) names of the key's length. No hashing and no allocation.
template <size_t N>
class KeyTable {
 public:
  static constexpr size_t kMaxKeyLength = 48;

  constexpr explicit KeyTable(const KeyName (&names)[N]) {
    for (size_t i = 0; i < N; ++i) {
      if (names[i].name.size() >= kMaxKeyLength) throw "KeyTable: name too long";
      names_[i] = names[i];
      for (size_t j = i; j > 0 && names_[j - 1].name.size() > names_[j].name.size(); --j) {
        std::swap(names_[j - 1], names_[j]);
      }
    }
    size_t i = 0;
    for (size_t len = 0; len <= kMaxKeyLength; ++len) {
      while (i < N && names_[i].name.size() < len) ++i;
      start_[len] = static_cast<uint8_t>(i);
    }
  }

  /// The field selected by `key`, or -1.
  int Find(std::string_view key) const {
    if (key.size() >= kMaxKeyLength) return -1;
    for (size_t i = start_[key.size()], end = start_[key.size() + 1]; i < end; ++i) {
      if (names_[i].name == key) return names_[i].field;
    }
    return -1;
  }

 private:
  std::array<KeyName, N> names_{};
  std::array<uint8_t, kMaxKeyLength + 1> start_{};
};

/// Decoding state shared by all message decoders: the arena and the path to the current value.
class DecodeContext {
 public:
  DecodeContext(Arena& arena, DecodeBudget& budget) : arena_(arena), budget_(budget) {
    path_.reserve(32);
  }

  Arena& arena() const { return arena_; }

  /// Charges `count` decoded elements of `size` bytes to the request's memory budget.
  Status Charge(size_t count, size_t size) {
    return budget_.Charge(count, size) ? Status::Ok() : budget_.Exhausted();
  }

  void PushKey(std::string_view key) { path_.push_back(Segment{key, 0, false}); }
  void PushIndex(size_t index) { path_.push_back(Segment{{}, index, true}); }
  void Pop() { path_.pop_back(); }

  /// INVALID_ARGUMENT "json: <what> at $.path[.key]"; `key` empty = at the current path.
  Status Error(std::string_view what, std::string_view key = {}) const;

 private:
  struct Segment {
    std::string_view key;
    size_t index;
    bool is_index;
  };
  Arena& arena_;
  DecodeBudget& budget_;
  std::vector<Segment> path_;
};

/// Pushes one path segment for its lifetime.
class PathScope {
 public:
  PathScope(DecodeContext& c, std::string_view key) : c_(c) { c_.PushKey(key); }
  PathScope(DecodeContext& c, size_t index) : c_(c) { c_.PushIndex(index); }
  ~PathScope() { c_.Pop(); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  DecodeContext& c_;
};

/// Calls `on_field(field, key, value)` for each member of object `v` whose key is in `keys` and
/// whose value is not null, in input order.
template <size_t N, typename Fn>
Status ForEachField(DecodeContext& c, JsonValue v, const KeyTable<N>& keys, Fn&& on_field) {
  if (!v.is_object()) return c.Error("expected an object");
  for (const JsonMember member : v.members()) {
    if (member.value.is_null()) continue;
    const int field = keys.Find(member.key);
    if (field < 0) continue;
    O2P_RETURN_IF_ERROR(on_field(field, member.key, member.value));
  }
  return Status::Ok();
}

/// Decodes array `v` (the value of `key`) with `decode_one(JsonValue, T*)` into `out`, after
/// dropping the elements past `keep` (earlier occurrences of the same key).
template <typename T, typename Fn>
Status DecodeRepeated(DecodeContext& c, std::string_view key, JsonValue v, std::vector<T>* out,
                      Fn&& decode_one, size_t keep = 0) {
  if (!v.is_array()) return c.Error("expected an array", key);
  out->erase(out->begin() + static_cast<std::ptrdiff_t>(keep), out->end());
  O2P_RETURN_IF_ERROR(c.Charge(v.size(), sizeof(T)));
  out->reserve(keep + v.size());
  PathScope field_scope(c, key);
  size_t index = 0;
  for (const JsonValue element : v.elements()) {
    PathScope element_scope(c, index++);
    O2P_RETURN_IF_ERROR(decode_one(element, &out->emplace_back()));
  }
  return Status::Ok();
}

// ---- field readers: check the JSON type, convert, and name `key` in errors -------------------

Status ReadString(DecodeContext& c, std::string_view key, JsonValue v, std::string_view* out);
Status ReadBool(DecodeContext& c, std::string_view key, JsonValue v, bool* out);
/// 64-bit integers: JSON numbers or strings, integral, in range.
Status ReadUint64(DecodeContext& c, std::string_view key, JsonValue v, uint64_t* out);
Status ReadInt64(DecodeContext& c, std::string_view key, JsonValue v, int64_t* out);
/// 32-bit integers: the same, range-checked.
Status ReadUint32(DecodeContext& c, std::string_view key, JsonValue v, uint32_t* out);
Status ReadInt32(DecodeContext& c, std::string_view key, JsonValue v, int32_t* out);
/// A JSON number, or a string holding one or "NaN", "Infinity", "-Infinity".
Status ReadDouble(DecodeContext& c, std::string_view key, JsonValue v, double* out);
/// Arrays of the above (bucketCounts, explicitBounds).
Status ReadUint64Array(DecodeContext& c, std::string_view key, JsonValue v,
                       std::vector<uint64_t>* out);
Status ReadDoubleArray(DecodeContext& c, std::string_view key, JsonValue v,
                       std::vector<double>* out);

/// An enum: an integer in int32 range (numbers or numeric strings; proto3 enums are open), or
/// one of `names`. An unknown name is an error.
template <size_t N>
Status ReadEnum(DecodeContext& c, std::string_view key, JsonValue v, const KeyTable<N>& names,
                int32_t* out) {
  if (v.is_string()) {
    const int value = names.Find(v.text());
    if (value >= 0) {
      *out = value;
      return Status::Ok();
    }
    if (v.text().empty() || (v.text()[0] != '-' && (v.text()[0] < '0' || v.text()[0] > '9'))) {
      return c.Error("unknown enum name", key);
    }
  }
  return ReadInt32(c, key, v, out);
}

/// Which id a field holds: its byte length and the reason recorded when its text is invalid.
struct IdSpec {
  size_t bytes;
  std::string_view invalid_reason;
};
inline constexpr IdSpec kTraceIdSpec{16, "trace id is not 32 hex digits or base64 of 16 bytes"};
inline constexpr IdSpec kSpanIdSpec{8, "span id is not 16 hex digits or base64 of 8 bytes"};
inline constexpr IdSpec kParentSpanIdSpec{
    8, "parent span id is not 16 hex digits or base64 of 8 bytes"};

/// A trace/span id string: hex (any case), or base64 that decodes to exactly `spec.bytes`.
/// Hex of another even length is kept as bytes (the converter checks the length). Other text
/// sets out->error instead of failing: one bad id rejects one record, not the request. A
/// non-string is an error.
Status ReadId(DecodeContext& c, std::string_view key, JsonValue v, const IdSpec& spec, Id* out);

// ---- shared messages ------------------------------------------------------------------------

/// common.v1.AnyValue; an object with no known key is ValueKind::kNone.
Status DecodeAnyValue(DecodeContext& c, JsonValue v, AnyValue* out);
/// repeated common.v1.KeyValue (attributes, filteredAttributes, metadata).
Status DecodeAttributes(DecodeContext& c, std::string_view key, JsonValue v,
                        std::vector<KeyValue>* out);
/// resource.v1.Resource at member `key`; replaces *out.
Status DecodeResource(DecodeContext& c, std::string_view key, JsonValue v, Resource* out);
/// common.v1.InstrumentationScope at member `key`; replaces *out.
Status DecodeScope(DecodeContext& c, std::string_view key, JsonValue v, InstrumentationScope* out);

// ---- per-signal documents (decode_json.cc, decode_json_traces.cc, decode_json_metrics.cc) ----

/// Decode one export request object, appending to `out`.
Status DecodeLogsDocument(DecodeContext& c, JsonValue root, LogsRequest* out);
Status DecodeTracesDocument(DecodeContext& c, JsonValue root, TracesRequest* out);
Status DecodeMetricsDocument(DecodeContext& c, JsonValue root, MetricsRequest* out);

}  // namespace o2p::otlp::internal
