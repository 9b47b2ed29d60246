// From a written Parquet file to the Iceberg DataFile entry that a manifest records for it.
//
//   parquet::FileSummary summary = writer->Close();       // file written with WithFieldIds()
//   Result<iceberg::DataFile> file =
//       MakeDataFile(summary, "s3://bucket/.../data/x.parquet", spec, mapping.schema);
//
// The metrics follow Iceberg's default metrics mode "truncate(16)", which the tables we create
// declare (iceberg_schema.h, DefaultTableProperties):
//   - column_sizes, value_counts and null_value_counts for every leaf column, keyed by the
//     leaf's field id; nan_value_counts for float/double leaves;
//   - lower/upper bounds only for primitives reached through structs alone. Leaves inside a
//     list or map get none: Java's ParquetUtil.footerMetrics skips them ("we allow struct
//     nesting, but not maps or arrays", shouldStoreBounds), because a bound over all elements
//     of all rows cannot prune rows for predicates engines push down, and Spark/Trino ignore
//     such bounds anyway; this also keeps map keys and values out of every manifest;
//   - string bounds cut to 16 code points: the lower bound is the prefix, the upper bound the
//     prefix with its last incrementable code point incremented (Java's
//     UnicodeUtil.truncateStringMax); no upper bound when none can be incremented.
// The partition tuple is computed from the bounds of each partition source column, so the
// file must lie in a single partition (FAILED_PRECONDITION otherwise).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "o2p/base/result.h"
#include "o2p/iceberg/model.h"
#include "o2p/parquet/file_writer.h"

namespace o2p::pipeline {

/// The length of string bounds under "truncate(16)", in Unicode code points.
inline constexpr size_t kStringBoundCodePoints = 16;

/// The DataFile for one Parquet file. `table_schema` is the schema the file was written
/// against: every leaf's field id in `summary` must be one of its ids. Supported partition
/// transforms: day and hour of a timestamp/timestamptz column.
/// FAILED_PRECONDITION when a leaf id is not in the table schema, a bound does not fit the
/// column's type, or the rows span more than one partition; UNIMPLEMENTED for other transforms.
Result<iceberg::DataFile> MakeDataFile(const parquet::FileSummary& summary, std::string file_path,
                                       const iceberg::PartitionSpec& spec,
                                       const iceberg::Schema& table_schema);

/// A lower bound for every string that starts with `value`: its first `code_points` code points
/// (fewer when it is shorter). Stops early, still at a character boundary, at invalid UTF-8.
std::string TruncateLowerBound(std::string_view value, size_t code_points);

/// An upper bound for `value` of at most `code_points` code points: `value` itself when short
/// enough, else the prefix with its last code point that can be incremented incremented and
/// the rest dropped (U+D7FF steps over the surrogates to U+E000). nullopt when no code point
/// can be incremented (all U+10FFFF) or `value` is not valid UTF-8 within the prefix.
std::optional<std::string> TruncateUpperBound(std::string_view value, size_t code_points);

}  // namespace o2p::pipeline
