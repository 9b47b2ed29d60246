#include "o2p/parquet/page_index.h"

#include <cstring>

namespace o2p::parquet {
namespace {

template <typename T>
T Load(const std::string& bytes) {
  T value{};
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

template <typename T>
int Compare3(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

void ColumnIndexBuilder::AddBounds(std::string min, std::string max, int64_t null_count,
                                   int64_t nan_count) {
  PublishedBounds bounds =
      PublishBounds(std::move(min), std::move(max), type_ == format::Type::kByteArray);
  index_.null_pages.push_back(false);
  index_.min_values.push_back(std::move(bounds.min));
  index_.max_values.push_back(std::move(bounds.max));
  index_.null_counts.push_back(null_count);
  if (type_ == format::Type::kDouble) {
    if (!index_.nan_counts) index_.nan_counts.emplace();
    index_.nan_counts->push_back(nan_count);
  }
}

void ColumnIndexBuilder::AddNullPage(int64_t null_count, int64_t nan_count) {
  // ColumnIndex.null_pages: the bounds of a null page are empty byte strings.
  index_.null_pages.push_back(true);
  index_.min_values.emplace_back();
  index_.max_values.emplace_back();
  index_.null_counts.push_back(null_count);
  if (type_ == format::Type::kDouble) {
    if (!index_.nan_counts) index_.nan_counts.emplace();
    index_.nan_counts->push_back(nan_count);
  }
}

int ColumnIndexBuilder::Compare(const std::string& a, const std::string& b) const {
  switch (type_) {
    case format::Type::kBoolean: return Compare3(Load<uint8_t>(a), Load<uint8_t>(b));
    case format::Type::kInt32: return Compare3(Load<int32_t>(a), Load<int32_t>(b));
    case format::Type::kInt64: return Compare3(Load<int64_t>(a), Load<int64_t>(b));
    case format::Type::kDouble: return Compare3(Load<double>(a), Load<double>(b));
    case format::Type::kByteArray: return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  return 0;
}

format::BoundaryOrder ColumnIndexBuilder::ComputeBoundaryOrder() const {
  // Null pages carry no bounds and are skipped, as Arrow and parquet-java do.
  bool ascending = true;
  bool descending = true;
  const std::string* prev_min = nullptr;
  const std::string* prev_max = nullptr;
  for (size_t i = 0; i < index_.null_pages.size(); ++i) {
    if (index_.null_pages[i]) continue;
    if (prev_min != nullptr) {
      const int min_order = Compare(*prev_min, index_.min_values[i]);
      const int max_order = Compare(*prev_max, index_.max_values[i]);
      if (min_order > 0 || max_order > 0) ascending = false;
      if (min_order < 0 || max_order < 0) descending = false;
    }
    prev_min = &index_.min_values[i];
    prev_max = &index_.max_values[i];
  }
  if (ascending) return format::BoundaryOrder::kAscending;
  if (descending) return format::BoundaryOrder::kDescending;
  return format::BoundaryOrder::kUnordered;
}

std::optional<format::ColumnIndex> ColumnIndexBuilder::Finish() {
  std::optional<format::ColumnIndex> out;
  if (valid_ && !index_.null_pages.empty()) {
    index_.boundary_order = ComputeBoundaryOrder();
    out = std::move(index_);
  }
  index_ = format::ColumnIndex();
  valid_ = true;
  return out;
}

}  // namespace o2p::parquet
