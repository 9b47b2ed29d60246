// Definition and repetition levels of one leaf column, computed from the columnar nesting
// (see the comment at the top of levels.cc for the rules).
//
//   LeafPath path = ...;                        // from the schema (parquet_schema.h)
//   LevelBuilder builder(path);
//   const columnar::Column& leaf = builder.Build(batch.column(path.top_level_index), 0, n);
//   builder.def_levels(), builder.rep_levels()  // one entry per level entry (empty when max 0)
//   builder.values()                            // which leaf entries carry a value
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "o2p/columnar/column.h"

namespace o2p::parquet {

/// One step from a top-level column down to a leaf.
struct PathNode {
  enum class Kind : uint8_t { kStruct, kList, kMap, kLeaf };
  Kind kind = Kind::kLeaf;
  bool nullable = false;
  /// kStruct: member index; kMap: 0 = keys, 1 = values; otherwise unused.
  uint16_t child = 0;
};

/// The route to one leaf and its maximum levels.
struct LeafPath {
  size_t top_level_index = 0;   // column of the RecordBatch
  std::vector<PathNode> nodes;  // top-level column first, the leaf last
  int16_t max_def_level = 0;
  int16_t max_rep_level = 0;
};

/// Which entries of the leaf column carry values: either a dense range or a list of indices.
class ValueSelection {
 public:
  static ValueSelection Dense(size_t begin, size_t count) { return {begin, count, {}}; }
  static ValueSelection Sparse(std::span<const int64_t> indices) {
    return {0, indices.size(), indices};
  }

  size_t size() const { return count_; }
  bool dense() const { return indices_.data() == nullptr; }
  /// First selected index. REQUIRES: dense().
  size_t dense_begin() const { return begin_; }

  /// Calls f(index) for every selected leaf entry, in order.
  template <typename F>
  void ForEach(F&& f) const {
    if (dense()) {
      for (size_t i = begin_; i < begin_ + count_; ++i) f(i);
    } else {
      for (int64_t i : indices_) f(static_cast<size_t>(i));
    }
  }

 private:
  ValueSelection(size_t begin, size_t count, std::span<const int64_t> indices)
      : begin_(begin), count_(count), indices_(indices) {}

  size_t begin_;
  size_t count_;
  std::span<const int64_t> indices_;
};

class LevelBuilder {
 public:
  explicit LevelBuilder(const LeafPath& path) : path_(path) {}

  /// Computes the levels of rows [row_begin, row_end) of `top` (the top-level column the path
  /// starts at) and returns the leaf column the value indices point into. The spans below
  /// stay valid until the next Build().
  const columnar::Column& Build(const columnar::Column& top, size_t row_begin, size_t row_end);

  /// Empty when the max level is 0 (nothing to write for that level kind).
  std::span<const int16_t> def_levels() const { return def_; }
  std::span<const int16_t> rep_levels() const { return rep_; }
  /// Number of level entries (== rows when the leaf is not repeated).
  size_t num_entries() const { return num_entries_; }
  const ValueSelection& values() const { return values_; }

 private:
  void ApplyNullable(const columnar::Column& column, int16_t def_if_null);
  void ExpandRepeated(std::span<const int64_t> offsets, int16_t def_if_empty, int16_t rep_level);

  const LeafPath& path_;
  size_t num_entries_ = 0;
  std::vector<int16_t> def_;
  std::vector<int16_t> rep_;
  std::vector<int64_t> index_;  // entry -> index into the current column, -1 when it ended
  // Scratch for ExpandRepeated (swapped with the above).
  std::vector<int16_t> next_def_;
  std::vector<int16_t> next_rep_;
  std::vector<int64_t> next_index_;
  std::vector<int64_t> value_indices_;
  ValueSelection values_ = ValueSelection::Dense(0, 0);
};

}  // namespace o2p::parquet
