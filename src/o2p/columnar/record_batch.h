// RecordBatch: a schema plus one column per top-level field, all of the same length.
//
//   auto batch = RecordBatch::Make(schema);         // empty columns
//   static_cast<Int64Column*>(batch->column(0))->Append(42);  ... one value per column ...
//   batch->FinishRow();                             // checks nothing; bumps num_rows
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "o2p/base/status.h"
#include "o2p/columnar/column.h"
#include "o2p/columnar/data_type.h"

namespace o2p::columnar {

class RecordBatch {
 public:
  static std::unique_ptr<RecordBatch> Make(SchemaPtr schema);

  const SchemaPtr& schema() const { return schema_; }
  size_t num_columns() const { return columns_.size(); }
  size_t num_rows() const { return num_rows_; }
  Column* column(size_t i) { return columns_[i].get(); }
  const Column& column(size_t i) const { return *columns_[i]; }

  /// Typed access. REQUIRES: the column's class is T.
  template <typename T>
  T* column_as(size_t i) {
    return static_cast<T*>(columns_[i].get());
  }
  template <typename T>
  const T& column_as(size_t i) const {
    return static_cast<const T&>(*columns_[i]);
  }

  void FinishRow() { ++num_rows_; }
  size_t MemoryUsage() const;
  void Clear();

  /// OK when every column holds num_rows() rows and nested offsets are consistent; used by
  /// tests and debug checks.
  Status Validate() const;

 private:
  explicit RecordBatch(SchemaPtr schema);

  SchemaPtr schema_;
  std::vector<std::unique_ptr<Column>> columns_;
  size_t num_rows_ = 0;
};

/// A textual rendering of one cell, for tests and the demo: strings quoted, lists/maps in
/// brackets, nulls as `null`, timestamps as integers.
std::string FormatValue(const Column& column, size_t row);

}  // namespace o2p::columnar
