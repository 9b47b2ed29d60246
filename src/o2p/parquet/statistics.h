// Column statistics: min/max/null_count (and nan_count for doubles) per page, per column chunk
// and per file, in the order parquet.thrift's ColumnOrder TypeDefinedOrder defines:
//   INT32, INT64 (incl. TIMESTAMP)  signed comparison
//   DOUBLE                          numeric; NaN never becomes a bound (it is counted in
//                                   nan_count); a zero bound is written as -0.0 (min) / +0.0
//                                   (max), so readers see both zeros as possible
//   BOOLEAN                         false < true
//   BYTE_ARRAY (STRING)             unsigned byte-wise (std::string_view's order)
// When every value is null or NaN there are no bounds (min_value/max_value stay unset).
//
// null_count counts level entries without a value (a null anywhere on the path, or an empty
// list/map), as parquet-java and Arrow do.
//
//   FixedStatistics<int64_t> page;
//   page.Update(v) for each value; page.AddNulls(n);
//   chunk.Merge(page);
//   format::Statistics thrift = ToThrift(chunk);
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "o2p/parquet/format/metadata.h"

namespace o2p::parquet {

/// Bounds of string statistics and column-index entries are cut to about this many bytes
/// (parquet-java's column-index default): the page index and footer stay small even for long
/// log bodies. A cut bound is flagged inexact (Statistics.is_{min,max}_value_exact).
inline constexpr size_t kMaxBoundBytes = 64;

/// int32_t, int64_t, double and uint8_t (boolean) values.
template <typename T>
class FixedStatistics {
 public:
  void Update(T value) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(value)) {
        ++nan_count_;
        return;
      }
    }
    if (!has_bounds_) {
      min_ = max_ = value;
      has_bounds_ = true;
      return;
    }
    if (value < min_) min_ = value;
    if (max_ < value) max_ = value;
  }
  void AddNulls(int64_t n) { null_count_ += n; }
  void Merge(const FixedStatistics& other) {
    null_count_ += other.null_count_;
    nan_count_ += other.nan_count_;
    if (!other.has_bounds_) return;
    Update(other.min_);
    Update(other.max_);
  }
  void Reset() { *this = FixedStatistics(); }

  bool has_bounds() const { return has_bounds_; }
  int64_t null_count() const { return null_count_; }
  int64_t nan_count() const { return nan_count_; }
  T min() const { return min_; }
  T max() const { return max_; }

  /// PLAIN bytes of the bounds. REQUIRES: has_bounds().
  std::string EncodedMin() const { return Encode(min_, /*is_min=*/true); }
  std::string EncodedMax() const { return Encode(max_, /*is_min=*/false); }

 private:
  static std::string Encode(T value, bool is_min) {
    if constexpr (std::is_floating_point_v<T>) {
      // parquet.thrift ColumnOrder: a zero min is written as -0.0 and a zero max as +0.0.
      if (value == 0) value = is_min ? -0.0 : 0.0;
    }
    std::string out(sizeof(T), '\0');
    std::memcpy(out.data(), &value, sizeof(T));
    return out;
  }

  bool has_bounds_ = false;
  T min_{};
  T max_{};
  int64_t null_count_ = 0;
  int64_t nan_count_ = 0;
};

/// BYTE_ARRAY values; the bounds are copied, so they outlive the batches they came from.
class ByteArrayStatistics {
 public:
  void Update(std::string_view value) {
    if (!has_bounds_) {
      min_.assign(value);
      max_.assign(value);
      has_bounds_ = true;
      return;
    }
    if (value < min_) min_.assign(value);
    if (value > max_) max_.assign(value);
  }
  void AddNulls(int64_t n) { null_count_ += n; }
  void Merge(const ByteArrayStatistics& other) {
    null_count_ += other.null_count_;
    if (!other.has_bounds_) return;
    Update(other.min_);
    Update(other.max_);
  }
  void Reset() {
    has_bounds_ = false;
    min_.clear();
    max_.clear();
    null_count_ = 0;
  }

  bool has_bounds() const { return has_bounds_; }
  int64_t null_count() const { return null_count_; }
  int64_t nan_count() const { return 0; }
  const std::string& EncodedMin() const { return min_; }
  const std::string& EncodedMax() const { return max_; }

 private:
  bool has_bounds_ = false;
  std::string min_;
  std::string max_;
  int64_t null_count_ = 0;
};

/// A lower bound of `value` of at most `limit` bytes: its longest prefix that ends on a UTF-8
/// character boundary. `value` itself when it is short enough or not valid UTF-8.
std::string TruncateLowerBound(std::string_view value, size_t limit);

/// An upper bound of `value` of about `limit` bytes: the prefix above with its last character
/// incremented (skipping the surrogate range), so it is still valid UTF-8 and sorts after
/// every string that starts with the prefix. nullopt when no shorter bound exists (then the
/// caller keeps `value`).
std::optional<std::string> TruncateUpperBound(std::string_view value, size_t limit);

/// The bounds a writer publishes for one page or chunk, truncated for BYTE_ARRAY.
struct PublishedBounds {
  std::string min;
  std::string max;
  bool min_exact = true;
  bool max_exact = true;
};
PublishedBounds PublishBounds(std::string min, std::string max, bool is_byte_array);

/// parquet.thrift Statistics for `stats`: null_count always, nan_count for doubles (required
/// by the TypeDefinedOrder rules for floating point), min_value/max_value when there are
/// bounds, with exactness flags.
template <typename Stats>
format::Statistics ToThrift(const Stats& stats, format::Type type) {
  format::Statistics out;
  out.null_count = stats.null_count();
  if (type == format::Type::kDouble) out.nan_count = stats.nan_count();
  if (stats.has_bounds()) {
    PublishedBounds bounds =
        PublishBounds(std::string(stats.EncodedMin()), std::string(stats.EncodedMax()),
                      type == format::Type::kByteArray);
    out.min_value = std::move(bounds.min);
    out.max_value = std::move(bounds.max);
    out.is_min_value_exact = bounds.min_exact;
    out.is_max_value_exact = bounds.max_exact;
  }
  return out;
}

}  // namespace o2p::parquet
