// A small RFC 8259 JSON parser producing a read-only DOM, for the OTLP/JSON decoder.
//
// Why not a library: the decoder needs exact 64-bit integers (numbers are kept as their text
// and converted by the caller), error byte offsets, a hard nesting limit without recursion,
// and a static-linkable build (design.md, "Constraints").
//
//   JsonDocument doc;
//   O2P_RETURN_IF_ERROR(doc.Parse(body, arena));  // "json: <what> at byte <offset>"
//   for (JsonMember m : doc.root().members()) { ... m.key ... m.value.type() ... }
//
// Layout: the document is a "tape" of 16-byte nodes in document order (as simdjson's is). A
// container is followed by its whole subtree, so children are reached by skipping, and memory
// stays proportional to the input: at most one node per two input bytes, reserved once. An
// object's subtree alternates key nodes (strings) and value nodes; members keep input order
// and duplicate keys are kept (the caller decides; the OTLP decoder lets the last one win).
//
// Strings are views into the input when they hold no escapes and are valid UTF-8; otherwise
// they are unescaped ("\uXXXX" with surrogate pairs; a lone surrogate becomes U+FFFD) and/or
// repaired (invalid UTF-8 -> U+FFFD, RepairUtf8) into the Arena. Views stay valid while the
// input and the Arena live; JsonValue handles stay valid while the JsonDocument lives and is
// not re-parsed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "o2p/base/arena.h"
#include "o2p/base/status.h"
#include "o2p/otlp/decode_json.h"

namespace o2p::otlp::internal {

enum class JsonType : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

/// One node of the tape. Scalars carry their text; containers the size of their subtree.
struct JsonNode {
  JsonType type = JsonType::kNull;
  bool bool_value = false;
  uint32_t length = 0;  // string / number: bytes of text; array: elements; object: members
  union {
    const char* text = nullptr;  // kString, kNumber
    uint32_t subtree;            // kArray, kObject: number of nodes after this one it owns
  };
};
static_assert(sizeof(JsonNode) == 16, "keep nodes small: memory is proportional to input");

/// The node after `node` and its subtree.
inline const JsonNode* SkipNode(const JsonNode* node) {
  return node + 1 + (node->type >= JsonType::kArray ? node->subtree : 0);
}

class JsonValue;

/// Iterates the elements of an array.
class JsonArrayRange {
 public:
  class Iterator {
   public:
    explicit Iterator(const JsonNode* node) : node_(node) {}
    JsonValue operator*() const;
    Iterator& operator++() {
      node_ = SkipNode(node_);
      return *this;
    }
    bool operator!=(const Iterator& other) const { return node_ != other.node_; }

   private:
    const JsonNode* node_;
  };
  JsonArrayRange(const JsonNode* first, const JsonNode* end) : first_(first), end_(end) {}
  Iterator begin() const { return Iterator(first_); }
  Iterator end() const { return Iterator(end_); }

 private:
  const JsonNode* first_;
  const JsonNode* end_;
};

struct JsonMember;

/// Iterates the members of an object, in input order.
class JsonObjectRange {
 public:
  class Iterator {
   public:
    explicit Iterator(const JsonNode* key) : key_(key) {}
    JsonMember operator*() const;
    Iterator& operator++() {
      key_ = SkipNode(key_ + 1);
      return *this;
    }
    bool operator!=(const Iterator& other) const { return key_ != other.key_; }

   private:
    const JsonNode* key_;
  };
  JsonObjectRange(const JsonNode* first, const JsonNode* end) : first_(first), end_(end) {}
  Iterator begin() const { return Iterator(first_); }
  Iterator end() const { return Iterator(end_); }

 private:
  const JsonNode* first_;
  const JsonNode* end_;
};

/// A cheap handle to one value of a parsed document.
class JsonValue {
 public:
  explicit JsonValue(const JsonNode* node) : node_(node) {}

  JsonType type() const { return node_->type; }
  bool is_null() const { return node_->type == JsonType::kNull; }
  bool is_bool() const { return node_->type == JsonType::kBool; }
  bool is_number() const { return node_->type == JsonType::kNumber; }
  bool is_string() const { return node_->type == JsonType::kString; }
  bool is_array() const { return node_->type == JsonType::kArray; }
  bool is_object() const { return node_->type == JsonType::kObject; }

  /// REQUIRES: is_bool().
  bool bool_value() const { return node_->bool_value; }
  /// The (unescaped, valid UTF-8) text of a string, or the raw text of a number, as written
  /// in the input (e.g. "-1.50e3"). REQUIRES: is_string() || is_number().
  std::string_view text() const { return {node_->text, node_->length}; }
  /// Elements of an array or members of an object. REQUIRES: is_array() || is_object().
  size_t size() const { return node_->length; }

  /// REQUIRES: is_array().
  JsonArrayRange elements() const { return {node_ + 1, node_ + 1 + node_->subtree}; }
  /// REQUIRES: is_object().
  JsonObjectRange members() const { return {node_ + 1, node_ + 1 + node_->subtree}; }

 private:
  const JsonNode* node_;
};

/// One object member: the key's text and the value.
struct JsonMember {
  std::string_view key;
  JsonValue value;
};

inline JsonValue JsonArrayRange::Iterator::operator*() const { return JsonValue(node_); }
inline JsonMember JsonObjectRange::Iterator::operator*() const {
  return {std::string_view(key_->text, key_->length), JsonValue(key_ + 1)};
}

/// A parsed JSON document. Reusable: Parse() replaces the previous content and keeps the
/// node buffer's capacity (JSON Lines parse one line after another into one document).
class JsonDocument {
 public:
  /// Inputs above this size are rejected (node fields are 32-bit; repaired strings may grow
  /// to three times their input size).
  static constexpr size_t kMaxInputBytes = size_t{1} << 30;

  /// Parses one whole document: leading/trailing whitespace and a leading UTF-8 BOM are
  /// allowed, anything else after the value is an error. Nesting deeper than kMaxJsonDepth
  /// arrays/objects is an error. Errors are INVALID_ARGUMENT "json: <what> at byte <offset>".
  Status Parse(std::string_view input, Arena& arena);

  /// REQUIRES: the last Parse() succeeded.
  JsonValue root() const { return JsonValue(nodes_.data()); }

  /// Nodes in the tape (for tests and memory accounting).
  size_t node_count() const { return nodes_.size(); }

 private:
  std::vector<JsonNode> nodes_;
};

}  // namespace o2p::otlp::internal
