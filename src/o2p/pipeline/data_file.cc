#include "o2p/pipeline/data_file.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "o2p/base/coding.h"
#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"

namespace o2p::pipeline {
namespace {

using parquet::FileSummary;
using parquet::LeafColumnSummary;

// --- UTF-8 ------------------------------------------------------------------------------------

// --- Leaves of the table schema ---------------------------------------------------------------

struct LeafInfo {
  std::string primitive;  // the Iceberg type name: "string", "long", "timestamptz", ...
  bool in_list_or_map = false;
};

void IndexLeaves(const iceberg::NestedField& field, bool in_list_or_map,
                 std::map<int32_t, LeafInfo>* out) {
  const iceberg::Type& type = *field.type;
  if (type.kind == iceberg::Type::Kind::kPrimitive) {
    (*out)[field.id] = LeafInfo{type.primitive, in_list_or_map};
    return;
  }
  const bool repeated = in_list_or_map || type.kind != iceberg::Type::Kind::kStruct;
  for (const iceberg::NestedField& child : type.children) IndexLeaves(child, repeated, out);
}

std::map<int32_t, LeafInfo> IndexLeaves(const iceberg::Schema& schema) {
  std::map<int32_t, LeafInfo> leaves;
  for (const iceberg::NestedField& field : schema.fields) IndexLeaves(field, false, &leaves);
  return leaves;
}

// --- Metrics ----------------------------------------------------------------------------------

/// Bytes of a bound in single-value binary form (spec Appendix D); 0 = variable length.
size_t BoundBytes(const std::string& primitive) {
  if (primitive == "boolean") return 1;
  if (primitive == "int" || primitive == "date" || primitive == "float") return 4;
  if (primitive == "long" || primitive == "double" || primitive == "time" ||
      primitive == "timestamp" || primitive == "timestamptz") {
    return 8;
  }
  return 0;
}

/// A bound as the table's type expects it. The Parquet bound has the width of the type we
/// wrote; the only narrower type we may write into a table column is int into long (spec,
/// "Schema Evolution": int -> long promotion), whose 4-byte bound is sign-extended.
Result<std::string> FitBound(const std::string& bound, const LeafInfo& leaf,
                             const LeafColumnSummary& column) {
  const size_t expected = BoundBytes(leaf.primitive);
  if (expected == 0 || bound.size() == expected) return bound;
  if (leaf.primitive == "long" && bound.size() == 4) {
    const auto value = static_cast<int32_t>(DecodeFixed32(bound.data()));
    std::string widened;
    PutFixed64(&widened, static_cast<uint64_t>(int64_t{value}));
    return widened;
  }
  return Status(StatusCode::kFailedPrecondition,
                fmt::format("column {} (id {}): a {}-byte bound does not fit table type {}",
                            column.path, column.field_id, bound.size(), leaf.primitive));
}

Status AddBounds(const LeafColumnSummary& column, const LeafInfo& leaf, iceberg::DataFile* file) {
  if (!column.has_bounds || leaf.in_list_or_map) return Status::Ok();
  if (leaf.primitive == "string") {
    file->lower_bounds[column.field_id] =
        TruncateLowerBound(column.lower_bound, kStringBoundCodePoints);
    if (auto upper = TruncateUpperBound(column.upper_bound, kStringBoundCodePoints)) {
      file->upper_bounds[column.field_id] = std::move(*upper);
    }
    return Status::Ok();
  }
  O2P_ASSIGN_OR_RETURN(file->lower_bounds[column.field_id],
                       FitBound(column.lower_bound, leaf, column));
  O2P_ASSIGN_OR_RETURN(file->upper_bounds[column.field_id],
                       FitBound(column.upper_bound, leaf, column));
  return Status::Ok();
}

Status AddColumnMetrics(const LeafColumnSummary& column, const std::map<int32_t, LeafInfo>& leaves,
                        iceberg::DataFile* file) {
  auto it = leaves.find(column.field_id);
  if (it == leaves.end()) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("column {} has field id {}, which is no primitive of the table "
                              "schema (was the file written with the table's ids?)",
                              column.path, column.field_id));
  }
  const LeafInfo& leaf = it->second;
  file->column_sizes[column.field_id] = column.compressed_bytes;
  file->value_counts[column.field_id] = column.value_count;
  file->null_value_counts[column.field_id] = column.null_count;
  // NaN counts exist only for floating-point columns (spec, data_file field 137).
  if (leaf.primitive == "double" || leaf.primitive == "float") {
    file->nan_value_counts[column.field_id] = column.nan_count;
  }
  return AddBounds(column, leaf, file);
}

// --- Partition --------------------------------------------------------------------------------

constexpr int64_t kMicrosPerHour = int64_t{3600} * 1000 * 1000;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

int64_t FloorDiv(int64_t value, int64_t divisor) {
  const int64_t quotient = value / divisor;
  return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

/// The summary of the leaf with `field_id`, or null.
const LeafColumnSummary* FindColumn(const FileSummary& summary, int32_t field_id) {
  for (const LeafColumnSummary& column : summary.columns) {
    if (column.field_id == field_id) return &column;
  }
  return nullptr;
}

/// Microseconds per unit of a time transform (spec, "Partition Transforms": day and hour are
/// whole days/hours since 1970-01-01T00:00 UTC), or 0 for transforms we do not compute.
int64_t MicrosPerUnit(const std::string& transform) {
  if (transform == "day") return kMicrosPerDay;
  if (transform == "hour") return kMicrosPerHour;
  return 0;
}

Result<std::optional<int32_t>> PartitionValue(const iceberg::PartitionField& field,
                                              const FileSummary& summary,
                                              const std::map<int32_t, LeafInfo>& leaves) {
  const int64_t unit = MicrosPerUnit(field.transform);
  if (unit == 0) {
    return Status::Unimplemented("partition transform '{}' of field {} is not supported",
                                 field.transform, field.name);
  }
  auto leaf = leaves.find(field.source_id);
  const LeafColumnSummary* column = FindColumn(summary, field.source_id);
  const bool is_timestamp = leaf != leaves.end() && (leaf->second.primitive == "timestamptz" ||
                                                     leaf->second.primitive == "timestamp");
  if (!is_timestamp || leaf->second.in_list_or_map || column == nullptr) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("partition field {}: source id {} is no timestamp column of the file",
                              field.name, field.source_id));
  }
  if (!column->has_bounds) return std::optional<int32_t>();  // every value is null
  if (column->lower_bound.size() != 8 || column->upper_bound.size() != 8) {
    return Status::Internal("partition source {} has malformed bounds", column->path);
  }
  const auto lower = static_cast<int64_t>(DecodeFixed64(column->lower_bound.data()));
  const auto upper = static_cast<int64_t>(DecodeFixed64(column->upper_bound.data()));
  const int64_t first = FloorDiv(lower, unit);
  // A manifest entry has one partition tuple, so every row must fall into it; a null next to
  // values would be a second partition (null) as well.
  if (FloorDiv(upper, unit) != first || column->null_count > 0) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("rows span more than one {} partition ({} .. {} us, {} nulls)",
                              field.name, lower, upper, column->null_count));
  }
  if (first < std::numeric_limits<int32_t>::min() || first > std::numeric_limits<int32_t>::max()) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("partition field {}: {} is out of range", field.name, first));
  }
  return std::optional<int32_t>(static_cast<int32_t>(first));
}

}  // namespace

std::string TruncateLowerBound(std::string_view value, size_t code_points) {
  size_t end = 0;
  for (size_t count = 0; count < code_points && end < value.size(); ++count) {
    char32_t code_point = 0;
    const size_t length = DecodeUtf8(value, end, &code_point);
    if (length == 0) break;  // any byte prefix is still <= the value
    end += length;
  }
  return std::string(value.substr(0, end));
}

std::optional<std::string> TruncateUpperBound(std::string_view value, size_t code_points) {
  // No code point takes less than a byte, so a value this short needs no truncation.
  if (value.size() <= code_points) return std::string(value);
  std::vector<size_t> starts;  // byte offset of each code point of the prefix
  std::vector<char32_t> prefix;
  size_t pos = 0;
  while (prefix.size() < code_points && pos < value.size()) {
    char32_t code_point = 0;
    const size_t length = DecodeUtf8(value, pos, &code_point);
    if (length == 0) return std::nullopt;
    starts.push_back(pos);
    prefix.push_back(code_point);
    pos += length;
  }
  if (pos == value.size()) return std::string(value);
  // Incrementing code point i makes the result greater than every string that starts with
  // the first i code points of the prefix, whatever follows (UTF-8 orders as code points do).
  for (size_t i = prefix.size(); i-- > 0;) {
    if (auto next = NextCodePoint(prefix[i])) {
      std::string upper(value.substr(0, starts[i]));
      AppendUtf8(*next, &upper);
      return upper;
    }
  }
  return std::nullopt;
}

Result<iceberg::DataFile> MakeDataFile(const parquet::FileSummary& summary, std::string file_path,
                                       const iceberg::PartitionSpec& spec,
                                       const iceberg::Schema& table_schema) {
  const std::map<int32_t, LeafInfo> leaves = IndexLeaves(table_schema);
  iceberg::DataFile file;
  file.file_path = std::move(file_path);
  file.record_count = summary.num_rows;
  file.file_size_in_bytes = summary.file_bytes;
  // Readers plan splits at these offsets; the spec requires them ascending.
  file.split_offsets = summary.row_group_offsets;
  std::sort(file.split_offsets.begin(), file.split_offsets.end());
  for (const LeafColumnSummary& column : summary.columns) {
    O2P_RETURN_IF_ERROR(AddColumnMetrics(column, leaves, &file));
  }
  for (const iceberg::PartitionField& field : spec.fields) {
    O2P_ASSIGN_OR_RETURN(std::optional<int32_t> value, PartitionValue(field, summary, leaves));
    file.partition.push_back(value);
  }
  return file;
}

}  // namespace o2p::pipeline
