// Pieces shared by the three converters (convert_logs.cc, convert_traces.cc,
// convert_metrics.cc): the one resource/scope flattener, attribute maps, ids, and the scalar
// mappings of schema.md ("Types"). Module-internal.
//
// Call sequence of a converter:
//   1. per ResourceX: FlatResource::Assign (service fields and attribute text, computed once);
//      per ScopeX:    FlatScope::Assign;
//   2. per table, on its first row: CommonColumns(batch) and the table's own column pointers,
//      fetched once by name (ColumnNamed / ChildNamed);
//   3. per record: check everything that can reject it (ids, values) and Reject() on failure,
//      so that a rejected record leaves no partial row behind; otherwise
//      CommonColumns::Append(timestamp, resource, scope), the table's own columns, and
//      RecordBatch::FinishRow().
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/columnar/column.h"
#include "o2p/columnar/record_batch.h"
#include "o2p/otlp/convert.h"
#include "o2p/otlp/internal/last_wins.h"
#include "o2p/otlp/model.h"

namespace o2p::otlp::internal {

// ---- scalar mappings (schema.md, "Types") ---------------------------------------------------

/// timestamptz: unix nanoseconds / 1000, floored. Any uint64 fits an int64 after dividing.
inline int64_t NanosToMicros(uint64_t nanos) { return static_cast<int64_t>(nanos / 1000); }

/// OTLP uint64 counts as `long`: values >= 2^63 clamp to INT64_MAX.
inline int64_t ClampToInt64(uint64_t value) {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  return static_cast<int64_t>(value > kMax ? kMax : value);
}

/// OTLP uint32 counts (dropped_*_count) as `int`: values >= 2^31 clamp to INT32_MAX.
inline int32_t ClampToInt32(uint32_t value) {
  constexpr auto kMax = static_cast<uint32_t>(std::numeric_limits<int32_t>::max());
  return static_cast<int32_t>(value > kMax ? kMax : value);
}

/// OTLP uint32 flag words as `int`: the same 32 bits (C++20 conversion is modular), so a flag
/// in bit 31 stays testable with `Flags & ...` in SQL.
inline int32_t FlagsToInt32(uint32_t flags) { return static_cast<int32_t>(flags); }

// ---- ids ------------------------------------------------------------------------------------

inline constexpr size_t kTraceIdBytes = 16;
inline constexpr size_t kSpanIdBytes = 8;

/// True when `id` may be stored: it decoded, and holds `want` bytes or none ("" = absent).
inline bool IdValid(const Id& id, size_t want) {
  return id.error.empty() && (id.bytes.empty() || id.bytes.size() == want);
}

/// The first bad id of a record, found without allocating; described only when reported.
struct IdFault {
  const Id* id = nullptr;  // null: every id is fine
  size_t want = 0;
  std::string_view name;  // "trace id", "span id", "parent span id"
  int64_t element = -1;   // index of the link / exemplar holding the id; -1: the record's own

  bool ok() const { return id == nullptr; }
  /// The decoder's reason, or e.g. "trace id must be 16 bytes, got 5".
  std::string Describe() const;
};

/// An IdFault for `id` when it is not IdValid, else an ok() one.
inline IdFault CheckId(const Id& id, size_t want, std::string_view name, int64_t element = -1) {
  if (IdValid(id, want)) return {};
  return IdFault{&id, want, name, element};
}

/// CheckId for an id that must be present: a span's own trace and span id and a link's ids
/// (OTLP calls a span or link without them invalid; schema.md: "wrong length -> span
/// rejected", and 0 bytes is a wrong length there, unlike the optional ids of logs,
/// parents and exemplars).
inline IdFault CheckRequiredId(const Id& id, size_t want, std::string_view name,
                               int64_t element = -1) {
  if (id.error.empty() && id.bytes.size() == want) return {};
  return IdFault{&id, want, name, element};
}

/// Appends `id` as lower-case hex ("" when absent). REQUIRES: IdValid(id, ...).
void AppendId(const Id& id, columnar::StringColumn* column, std::string* scratch);

// ---- rejections -----------------------------------------------------------------------------

/// Counts one rejected record. `describe()` builds the reason (with its location) and runs only
/// for the first rejection, the one partial_success reports.
template <typename Describe>
void Reject(ConvertStats* stats, Describe&& describe) {
  if (stats->rejected == 0) stats->first_rejection = describe();
  ++stats->rejected;
}

// ---- column lookup, once per batch ----------------------------------------------------------

template <typename T>
T* ColumnNamed(columnar::RecordBatch* batch, std::string_view name) {
  const int index = batch->schema()->FieldIndex(name);
  assert(index >= 0 && "column missing from the table schema");
  assert(dynamic_cast<T*>(batch->column(static_cast<size_t>(index))) != nullptr);
  return batch->column_as<T>(static_cast<size_t>(index));
}

template <typename T>
T* ChildNamed(columnar::StructColumn* parent, std::string_view name) {
  const std::vector<columnar::Field>& fields = parent->type()->children();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name != name) continue;
    assert(dynamic_cast<T*>(parent->child(i)) != nullptr);
    return static_cast<T*>(parent->child(i));
  }
  assert(false && "struct member missing from the table schema");
  return nullptr;
}

/// The element column of a list<struct<...>>.
inline columnar::StructColumn* StructElements(columnar::ListColumn* list) {
  assert(dynamic_cast<columnar::StructColumn*>(list->values()) != nullptr);
  return static_cast<columnar::StructColumn*>(list->values());
}

// ---- attribute maps -------------------------------------------------------------------------

/// Appends per-row attribute lists to map<string,string> columns. Holds the scratch text and
/// the duplicate-key filter, reused across rows so appending allocates only inside columns.
class AttributeWriter {
 public:
  /// Appends `attributes` as one map row and closes it: values as attribute-value text, an
  /// empty AnyValue as a null value, duplicate keys resolved by LastWins.
  void Append(const std::vector<KeyValue>& attributes, columnar::MapColumn* column);

 private:
  LastWins filter_;
  std::string text_;
};

/// An attribute list rendered once (resource and scope attributes): appended to many rows,
/// searched for the service fields.
class RenderedAttributes {
 public:
  /// Renders `attributes`, duplicate keys resolved by LastWins. Keeps capacity across calls.
  void Assign(const std::vector<KeyValue>& attributes, LastWins* filter);
  /// The text of `key`'s value; nullopt when the key is absent or its value is empty.
  std::optional<std::string_view> Find(std::string_view key) const;
  /// Appends the entries as one map row and closes it.
  void AppendTo(columnar::MapColumn* column) const;

 private:
  struct Entry {
    std::string_view key;
    size_t begin = 0;  // value text is text_[begin, end)
    size_t end = 0;
    bool valid = false;  // false: null value
  };
  std::string_view TextOf(const Entry& entry) const {
    return std::string_view(text_).substr(entry.begin, entry.end - entry.begin);
  }

  std::vector<Entry> entries_;
  std::string text_;
};

// ---- the resource/scope flattener (common columns 2..10) -------------------------------------

/// Columns 2..6 for every row of one ResourceX, computed once.
struct FlatResource {
  /// REQUIRES: `resource` and `schema_url` outlive the rows appended with this value.
  void Assign(const Resource& resource, std::string_view schema_url, LastWins* filter);

  std::string_view service_name;  // "" when service.name is absent
  std::optional<std::string_view> service_namespace;
  std::optional<std::string_view> service_instance_id;
  RenderedAttributes attributes;
  std::string_view schema_url;
};

/// Columns 7..10 for every row of one ScopeX, computed once.
struct FlatScope {
  void Assign(const InstrumentationScope& scope, std::string_view schema_url, LastWins* filter);

  std::string_view name;
  std::string_view version;
  RenderedAttributes attributes;
  std::string_view schema_url;
};

/// The ten common columns of one batch (schema.md, "Common columns").
class CommonColumns {
 public:
  explicit CommonColumns(columnar::RecordBatch* batch);

  /// Appends columns 1..10 of one row. Timestamp is the only per-row one, so it is the argument;
  /// the others repeat the flattened resource and scope.
  void Append(int64_t timestamp_micros, const FlatResource& resource, const FlatScope& scope);

 private:
  columnar::Int64Column* timestamp_;
  columnar::StringColumn* service_name_;
  columnar::StringColumn* service_namespace_;
  columnar::StringColumn* service_instance_id_;
  columnar::MapColumn* resource_attributes_;
  columnar::StringColumn* resource_schema_url_;
  columnar::StringColumn* scope_name_;
  columnar::StringColumn* scope_version_;
  columnar::MapColumn* scope_attributes_;
  columnar::StringColumn* scope_schema_url_;
};

/// Appends `value` or a null. REQUIRES: `column` is nullable when `value` can be nullopt.
inline void AppendOptional(columnar::StringColumn* column, std::optional<std::string_view> value) {
  if (value) {
    column->Append(*value);
  } else {
    column->AppendNull();
  }
}

}  // namespace o2p::otlp::internal
