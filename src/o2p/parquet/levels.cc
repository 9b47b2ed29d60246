// Definition and repetition levels (the Dremel encoding Parquet uses for nesting).
//
// Every leaf column is a sequence of *level entries*. An entry either carries a value, or
// records where the path to the leaf stopped (a null, or an empty list/map).
//
//   - The definition level of an entry counts how many optional or repeated nodes on the path
//     are present. The maximum, max_def, is the number of optional + repeated nodes; an entry
//     carries a value exactly when its level equals max_def. Required nodes add nothing:
//     they are always present.
//   - The repetition level says at which repeated node the entry starts a new element: 0
//     starts a new row; r > 0 continues the r-th repeated ancestor (counted from the top).
//     max_rep is the number of repeated nodes on the path.
//
// How our columnar nesting maps to nodes (schema.md "Types"; parquet_schema.cc builds the
// matching SchemaElements):
//   nullable field                 optional node: +1 def when the value is present
//   list<T>  group (LIST) { repeated group list { element } }: the repeated `list` node adds
//            +1 def and +1 rep; an empty list ends at the def level of the list group itself
//   map<K,V> group (MAP) { repeated group key_value { required key; value } }: as a list, with
//            the key leaf required and the value leaf optional when the map's value is nullable
//   struct   group: adds only its own optionality
//
// Example, `Attributes` map<string,string> (required map, optional value), three rows
// {a:1, b:null}, {}, {c:2}:
//   key leaf   (max_def 1, max_rep 1): def 1 1 0 1, rep 0 1 0 0, values a b c
//   value leaf (max_def 2, max_rep 1): def 2 1 0 2, rep 0 1 0 0, values 1 2
//
// The computation walks the path top-down over the whole row range at once: each entry keeps
// the index it points at in the current column (or -1 once it ended); a nullable node ends
// the entries that are null there; a repeated node expands every live entry into one entry per
// element (the first inherits the parent's repetition level, the others get the node's).
// There is no recursion and no per-value virtual call.
#include "o2p/parquet/levels.h"

#include <numeric>

namespace o2p::parquet {

using columnar::Column;

void LevelBuilder::ApplyNullable(const Column& column, int16_t def_if_null) {
  if (column.null_count() == 0) return;
  for (size_t i = 0; i < index_.size(); ++i) {
    const int64_t idx = index_[i];
    if (idx >= 0 && !column.IsValid(static_cast<size_t>(idx))) {
      def_[i] = def_if_null;
      index_[i] = -1;
    }
  }
}

void LevelBuilder::ExpandRepeated(std::span<const int64_t> offsets, int16_t def_if_empty,
                                  int16_t rep_level) {
  next_def_.clear();
  next_rep_.clear();
  next_index_.clear();
  for (size_t i = 0; i < index_.size(); ++i) {
    const int64_t idx = index_[i];
    if (idx < 0) {
      next_def_.push_back(def_[i]);
      next_rep_.push_back(rep_[i]);
      next_index_.push_back(-1);
      continue;
    }
    const int64_t begin = offsets[static_cast<size_t>(idx)];
    const int64_t end = offsets[static_cast<size_t>(idx) + 1];
    if (begin == end) {  // empty list or map: defined up to this node, no element
      next_def_.push_back(def_if_empty);
      next_rep_.push_back(rep_[i]);
      next_index_.push_back(-1);
      continue;
    }
    for (int64_t child = begin; child < end; ++child) {
      next_def_.push_back(0);  // set when the entry ends or reaches the leaf
      next_rep_.push_back(child == begin ? rep_[i] : rep_level);
      next_index_.push_back(child);
    }
  }
  def_.swap(next_def_);
  rep_.swap(next_rep_);
  index_.swap(next_index_);
}

const Column& LevelBuilder::Build(const Column& top, size_t row_begin, size_t row_end) {
  const size_t rows = row_end - row_begin;
  const Column* column = &top;
  if (path_.max_def_level == 0) {
    // Only required structs above a required leaf: one value per row, no levels to write.
    for (const PathNode& node : path_.nodes) {
      if (node.kind == PathNode::Kind::kStruct) {
        column = &static_cast<const columnar::StructColumn&>(*column).child(node.child);
      }
    }
    def_.clear();
    rep_.clear();
    num_entries_ = rows;
    values_ = ValueSelection::Dense(row_begin, rows);
    return *column;
  }

  def_.assign(rows, 0);
  rep_.assign(rows, 0);
  index_.resize(rows);
  std::iota(index_.begin(), index_.end(), static_cast<int64_t>(row_begin));
  int16_t def = 0;
  int16_t rep = 0;
  for (const PathNode& node : path_.nodes) {
    if (node.nullable) ApplyNullable(*column, def++);
    switch (node.kind) {
      case PathNode::Kind::kStruct:
        column = &static_cast<const columnar::StructColumn&>(*column).child(node.child);
        break;
      case PathNode::Kind::kList: {
        const auto& list = static_cast<const columnar::ListColumn&>(*column);
        ExpandRepeated(list.offsets(), def++, ++rep);
        column = &list.values();
        break;
      }
      case PathNode::Kind::kMap: {
        const auto& map = static_cast<const columnar::MapColumn&>(*column);
        ExpandRepeated(map.offsets(), def++, ++rep);
        column = node.child == 0 ? static_cast<const Column*>(&map.keys()) : &map.items();
        break;
      }
      case PathNode::Kind::kLeaf: break;
    }
  }

  value_indices_.clear();
  for (size_t i = 0; i < index_.size(); ++i) {
    if (index_[i] < 0) continue;
    def_[i] = def;  // == max_def: the entry carries a value
    value_indices_.push_back(index_[i]);
  }
  num_entries_ = def_.size();
  if (path_.max_rep_level == 0) rep_.clear();
  values_ = ValueSelection::Sparse(value_indices_);
  return *column;
}

}  // namespace o2p::parquet
