#include "o2p/columnar/append_rows.h"

namespace o2p::columnar {

// Selected rows are copied as runs of consecutive indices, each run in bulk: partitions of a
// batch are mostly long runs (one service, one hour), so this is close to a memcpy per column.
void AppendRows(const Column& src, std::span<const uint32_t> rows, Column* dst) {
  size_t i = 0;
  while (i < rows.size()) {
    size_t j = i + 1;
    while (j < rows.size() && rows[j] == rows[j - 1] + 1) ++j;
    AppendColumnRange(src, rows[i], static_cast<size_t>(rows[j - 1]) + 1, dst);
    i = j;
  }
}

void AppendRowRange(const Column& src, size_t begin, size_t end, Column* dst) {
  AppendColumnRange(src, begin, end, dst);
}

void AppendRows(const RecordBatch& src, std::span<const uint32_t> rows, RecordBatch* dst) {
  for (size_t col = 0; col < src.num_columns(); ++col) {
    AppendRows(src.column(col), rows, dst->column(col));
  }
  for (size_t i = 0; i < rows.size(); ++i) dst->FinishRow();
}

void AppendRowRange(const RecordBatch& src, size_t begin, size_t end, RecordBatch* dst) {
  for (size_t col = 0; col < src.num_columns(); ++col) {
    AppendRowRange(src.column(col), begin, end, dst->column(col));
  }
  for (size_t row = begin; row < end; ++row) dst->FinishRow();
}

}  // namespace o2p::columnar
