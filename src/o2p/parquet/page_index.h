// The column index of one column chunk (PageIndex.md; parquet.thrift ColumnIndex): per data
// page, whether it holds only nulls, its bounds, and its null count; plus whether the bounds
// ascend or descend across pages, so readers can binary-search them.
//
//   ColumnIndexBuilder index(format::Type::kInt64);
//   index.AddPage(stats_of_page_1); ...
//   std::optional<format::ColumnIndex> ci = index.Finish();  // nullopt: write none
//
// The offset index (page locations) is kept by the page writer, which knows the offsets.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "o2p/parquet/format/metadata.h"
#include "o2p/parquet/statistics.h"

namespace o2p::parquet {

class ColumnIndexBuilder {
 public:
  explicit ColumnIndexBuilder(format::Type type) : type_(type) {}

  /// Adds the next data page, described by its statistics.
  template <typename Stats>
  void AddPage(const Stats& page, int64_t num_values) {
    if (page.has_bounds()) {
      AddBounds(std::string(page.EncodedMin()), std::string(page.EncodedMax()), page.null_count(),
                page.nan_count());
    } else {
      // No bounds: a page of nulls only is a "null page"; a page whose values are all NaN
      // cannot be described under TypeDefinedOrder, so the chunk gets no column index
      // (parquet.thrift ColumnIndex, min_values).
      if (num_values > page.null_count()) valid_ = false;
      AddNullPage(page.null_count(), page.nan_count());
    }
  }

  /// The finished index, or nullopt when the chunk must not have one. Resets the builder.
  std::optional<format::ColumnIndex> Finish();

 private:
  void AddBounds(std::string min, std::string max, int64_t null_count, int64_t nan_count);
  void AddNullPage(int64_t null_count, int64_t nan_count);
  /// <0, 0, >0 as a is below, equal to, above b in the column's order.
  int Compare(const std::string& a, const std::string& b) const;
  format::BoundaryOrder ComputeBoundaryOrder() const;

  format::Type type_;
  bool valid_ = true;
  format::ColumnIndex index_;
};

}  // namespace o2p::parquet
