// Columns: append-only, typed, in-memory column data for one batch.
//
// A Column is both the builder and the finished array (there is no separate freeze step):
// converters append row by row, writers read the buffers directly. Layout, per type:
//   primitives  values_ (one entry per row; a null row holds the zero value)
//   string      offsets_ (rows + 1, int64) and data_ (concatenated bytes)
//   list        offsets_ (rows + 1) into one child column of elements
//   map         offsets_ (rows + 1) into a key column (string, required) and a value column
//   struct      one child column per field, each with one entry per struct row
// Nullable columns keep one validity byte per row (1 = valid); non-nullable ones keep none.
//
// Appending to a nested column, in order:
//   1. append the children (list elements / map entries / struct members),
//   2. then close the row: ListColumn::FinishRow(), MapColumn::FinishRow(), StructColumn::FinishRow().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/columnar/data_type.h"

namespace o2p::columnar {

class Column {
 public:
  Column(DataTypePtr type, bool nullable) : type_(std::move(type)), nullable_(nullable) {}
  virtual ~Column() = default;
  Column(const Column&) = delete;
  Column& operator=(const Column&) = delete;

  const DataTypePtr& type() const { return type_; }
  TypeId type_id() const { return type_->id(); }
  bool nullable() const { return nullable_; }
  size_t size() const { return size_; }
  size_t null_count() const { return null_count_; }
  bool IsValid(size_t row) const { return validity_.empty() || validity_[row] != 0; }
  /// One byte per row when nullable (1 = valid); empty for non-nullable columns.
  const std::vector<uint8_t>& validity() const { return validity_; }

  /// Appends a null row. REQUIRES: nullable().
  virtual void AppendNull() = 0;
  /// Approximate bytes held, for batching limits.
  virtual size_t MemoryUsage() const = 0;
  /// Drops every row, keeping capacity.
  virtual void Clear();
  virtual void Reserve(size_t rows) = 0;

 protected:
  void MarkValid() {
    if (nullable_) validity_.push_back(1);
    ++size_;
  }
  void MarkNull() {
    validity_.push_back(0);
    ++null_count_;
    ++size_;
  }
  size_t ValidityBytes() const { return validity_.capacity(); }
  /// Appends the validity of src's rows [begin, end) and counts them as rows of this column.
  void AppendValidityRange(const Column& src, size_t begin, size_t end);

 private:
  DataTypePtr type_;
  bool nullable_;
  size_t size_ = 0;
  size_t null_count_ = 0;
  std::vector<uint8_t> validity_;
};

/// Fixed-width values: T is uint8_t (boolean), int32_t, int64_t (long, timestamp) or double.
template <typename T>
class PrimitiveColumn final : public Column {
 public:
  using Column::Column;
  using value_type = T;

  void Append(T value) {
    values_.push_back(value);
    MarkValid();
  }
  void AppendNull() override {
    values_.push_back(T{});
    MarkNull();
  }
  /// Appends rows [begin, end) of `src` (same type) in bulk.
  void AppendRange(const PrimitiveColumn& src, size_t begin, size_t end) {
    values_.insert(values_.end(), src.values_.begin() + static_cast<std::ptrdiff_t>(begin),
                   src.values_.begin() + static_cast<std::ptrdiff_t>(end));
    AppendValidityRange(src, begin, end);
  }
  T Value(size_t row) const { return values_[row]; }
  const std::vector<T>& values() const { return values_; }
  size_t MemoryUsage() const override { return values_.capacity() * sizeof(T) + ValidityBytes(); }
  void Clear() override {
    Column::Clear();
    values_.clear();
  }
  void Reserve(size_t rows) override { values_.reserve(rows); }

 private:
  std::vector<T> values_;
};

using BooleanColumn = PrimitiveColumn<uint8_t>;
using Int32Column = PrimitiveColumn<int32_t>;
using Int64Column = PrimitiveColumn<int64_t>;  // also kTimestamp
using DoubleColumn = PrimitiveColumn<double>;

class StringColumn final : public Column {
 public:
  StringColumn(DataTypePtr type, bool nullable);

  void Append(std::string_view value) {
    data_.append(value);
    offsets_.push_back(static_cast<int64_t>(data_.size()));
    MarkValid();
  }
  void AppendNull() override {
    offsets_.push_back(static_cast<int64_t>(data_.size()));
    MarkNull();
  }
  /// Appends rows [begin, end) of `src` in bulk.
  void AppendRange(const StringColumn& src, size_t begin, size_t end);
  std::string_view Value(size_t row) const {
    return std::string_view(data_).substr(static_cast<size_t>(offsets_[row]),
                                          static_cast<size_t>(offsets_[row + 1] - offsets_[row]));
  }
  const std::vector<int64_t>& offsets() const { return offsets_; }
  const std::string& data() const { return data_; }
  size_t MemoryUsage() const override;
  void Clear() override;
  void Reserve(size_t rows) override { offsets_.reserve(rows + 1); }

 private:
  std::vector<int64_t> offsets_;
  std::string data_;
};

/// Shared by list and map columns: one offset per row (rows + 1 in all) into child storage.
class OffsetsColumn : public Column {
 public:
  const std::vector<int64_t>& offsets() const { return offsets_; }
  void Reserve(size_t rows) override { offsets_.reserve(rows + 1); }

 protected:
  OffsetsColumn(DataTypePtr type, bool nullable) : Column(std::move(type), nullable) {
    offsets_.push_back(0);
  }
  /// Closes a row whose children end at `child_size`.
  void CloseRow(size_t child_size) {
    offsets_.push_back(static_cast<int64_t>(child_size));
    MarkValid();
  }
  void CloseNullRow(size_t child_size) {
    offsets_.push_back(static_cast<int64_t>(child_size));
    MarkNull();
  }
  void ClearOffsets() {
    Column::Clear();
    offsets_.assign(1, 0);
  }
  size_t OffsetBytes() const { return offsets_.capacity() * sizeof(int64_t) + ValidityBytes(); }
  /// Appends the offsets and validity of src's rows [begin, end), rebased onto this column.
  void AppendOffsetRange(const OffsetsColumn& src, size_t begin, size_t end);

 private:
  std::vector<int64_t> offsets_;
};

class ListColumn final : public OffsetsColumn {
 public:
  ListColumn(DataTypePtr type, bool nullable);

  /// The element column; append elements here, then FinishRow().
  Column* values() { return values_.get(); }
  const Column& values() const { return *values_; }
  void FinishRow() { CloseRow(values_->size()); }
  void AppendNull() override { CloseNullRow(values_->size()); }
  /// Appends rows [begin, end) of `src` (same type), elements included, in bulk.
  void AppendRange(const ListColumn& src, size_t begin, size_t end);
  size_t MemoryUsage() const override { return OffsetBytes() + values_->MemoryUsage(); }
  void Clear() override;

 private:
  std::unique_ptr<Column> values_;
};

class MapColumn final : public OffsetsColumn {
 public:
  MapColumn(DataTypePtr type, bool nullable);

  StringColumn* keys() { return keys_.get(); }
  const StringColumn& keys() const { return *keys_; }
  /// The value column (a StringColumn for map<string,string>).
  Column* items() { return items_.get(); }
  const Column& items() const { return *items_; }
  void FinishRow() { CloseRow(keys_->size()); }
  void AppendNull() override { CloseNullRow(keys_->size()); }
  /// Appends rows [begin, end) of `src` (same type), entries included, in bulk.
  void AppendRange(const MapColumn& src, size_t begin, size_t end);
  size_t MemoryUsage() const override {
    return OffsetBytes() + keys_->MemoryUsage() + items_->MemoryUsage();
  }
  void Clear() override;

 private:
  std::unique_ptr<StringColumn> keys_;
  std::unique_ptr<Column> items_;
};

class StructColumn final : public Column {
 public:
  StructColumn(DataTypePtr type, bool nullable);

  size_t num_children() const { return children_.size(); }
  Column* child(size_t i) { return children_[i].get(); }
  const Column& child(size_t i) const { return *children_[i]; }
  /// Closes a row after one value was appended to every child.
  void FinishRow() { MarkValid(); }
  /// Appends rows [begin, end) of `src` (same type), every child included, in bulk.
  void AppendRange(const StructColumn& src, size_t begin, size_t end);
  /// Appends a null struct row; every child gets a null (or zero) entry to stay aligned.
  void AppendNull() override;
  size_t MemoryUsage() const override;
  void Clear() override;
  void Reserve(size_t rows) override;

 private:
  std::vector<std::unique_ptr<Column>> children_;
};

/// Builds an empty column for `type`, recursively.
std::unique_ptr<Column> MakeColumn(const DataTypePtr& type, bool nullable);

/// Appends rows [begin, end) of `src` to `dst`, which must have the same type tree.
void AppendColumnRange(const Column& src, size_t begin, size_t end, Column* dst);

/// Appends a zero value ("", 0, false, empty list/map) — used for struct members of a null row.
void AppendZero(Column* column);

}  // namespace o2p::columnar
