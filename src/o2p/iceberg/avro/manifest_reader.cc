// Decoders from generic Avro values to the manifest structs. Fields are found by Iceberg
// field id first and by name second, so lists written by Java, Spark or PyIceberg (other field
// order, extra fields) and v1 lists (other names, fewer fields) read the same.
#include <charconv>
#include <limits>
#include <utility>

#include "o2p/base/macros.h"
#include "o2p/iceberg/avro/manifest.h"
#include "o2p/iceberg/avro/manifest_schemas.h"
#include "o2p/iceberg/avro/ocf_reader.h"

namespace o2p::iceberg::avro {

namespace id = field_id;

namespace {

struct FieldRef {
  int32_t id;
  std::string_view name;
  std::string_view v1_name = {};  // the v1 manifest-list name, where it differs
};

const Value* Find(const Value& record, const FieldRef& ref) {
  if (const Value* by_id = record.FieldById(ref.id)) return by_id;
  if (const Value* by_name = record.Field(ref.name)) return by_name;
  return ref.v1_name.empty() ? nullptr : record.Field(ref.v1_name);
}

Status WrongType(const FieldRef& ref, std::string_view expected) {
  return Status::InvalidArgument("iceberg avro: field '{}' ({}) is not {}", ref.name, ref.id,
                                 expected);
}

Status Missing(const FieldRef& ref) {
  return Status::InvalidArgument("iceberg avro: required field '{}' ({}) is missing", ref.name,
                                 ref.id);
}

bool IsInteger(const Value& value) {
  return value.type == AvroType::kInt || value.type == AvroType::kLong;
}

bool IsByteString(const Value& value) {
  return value.type == AvroType::kBytes || value.type == AvroType::kString ||
         value.type == AvroType::kFixed;
}

Result<std::optional<int64_t>> OptionalLong(const Value& record, const FieldRef& ref) {
  const Value* value = Find(record, ref);
  if (value == nullptr || value->is_null()) return std::optional<int64_t>();
  if (!IsInteger(*value)) return WrongType(ref, "an integer");
  return std::optional<int64_t>(value->integer);
}

Result<std::optional<int32_t>> OptionalInt(const Value& record, const FieldRef& ref) {
  O2P_ASSIGN_OR_RETURN(std::optional<int64_t> value, OptionalLong(record, ref));
  if (!value) return std::optional<int32_t>();
  if (*value < std::numeric_limits<int32_t>::min() ||
      *value > std::numeric_limits<int32_t>::max()) {
    return WrongType(ref, "a 32-bit integer");
  }
  return std::optional<int32_t>(static_cast<int32_t>(*value));
}

Result<int64_t> RequiredLong(const Value& record, const FieldRef& ref) {
  O2P_ASSIGN_OR_RETURN(std::optional<int64_t> value, OptionalLong(record, ref));
  if (!value) return Missing(ref);
  return *value;
}

// Counts and sequence numbers absent from v1 lists read as 0.
Result<int32_t> IntOrZero(const Value& record, const FieldRef& ref) {
  O2P_ASSIGN_OR_RETURN(std::optional<int32_t> value, OptionalInt(record, ref));
  return value.value_or(0);
}

Result<int64_t> LongOrZero(const Value& record, const FieldRef& ref) {
  O2P_ASSIGN_OR_RETURN(std::optional<int64_t> value, OptionalLong(record, ref));
  return value.value_or(0);
}

Result<std::optional<std::string>> OptionalBytes(const Value& record, const FieldRef& ref) {
  const Value* value = Find(record, ref);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!IsByteString(*value)) return WrongType(ref, "bytes or a string");
  return std::optional<std::string>(value->bytes);
}

Result<std::string> RequiredString(const Value& record, const FieldRef& ref) {
  O2P_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalBytes(record, ref));
  if (!value) return Missing(ref);
  return std::move(*value);
}

Result<std::optional<bool>> OptionalBoolean(const Value& record, const FieldRef& ref) {
  const Value* value = Find(record, ref);
  if (value == nullptr || value->is_null()) return std::optional<bool>();
  if (value->type != AvroType::kBoolean) return WrongType(ref, "a boolean");
  return std::optional<bool>(value->boolean);
}

Result<PartitionFieldSummary> ReadFieldSummary(const Value& record) {
  PartitionFieldSummary summary;
  O2P_ASSIGN_OR_RETURN(std::optional<bool> contains_null,
                       OptionalBoolean(record, {id::kContainsNull, "contains_null"}));
  if (!contains_null) return Missing({id::kContainsNull, "contains_null"});
  summary.contains_null = *contains_null;
  O2P_ASSIGN_OR_RETURN(summary.contains_nan,
                       OptionalBoolean(record, {id::kContainsNan, "contains_nan"}));
  O2P_ASSIGN_OR_RETURN(summary.lower_bound,
                       OptionalBytes(record, {id::kLowerBound, "lower_bound"}));
  O2P_ASSIGN_OR_RETURN(summary.upper_bound,
                       OptionalBytes(record, {id::kUpperBound, "upper_bound"}));
  return summary;
}

Status ReadPartitionSummaries(const Value& record, ManifestFile* manifest) {
  const Value* list = Find(record, {id::kPartitions, "partitions"});
  if (list == nullptr || list->is_null()) return Status::Ok();
  if (list->type != AvroType::kArray) return WrongType({id::kPartitions, "partitions"}, "a list");
  for (const Value& item : list->items) {
    if (item.type != AvroType::kRecord) return WrongType({id::kFieldSummary, "r508"}, "a record");
    O2P_ASSIGN_OR_RETURN(PartitionFieldSummary summary, ReadFieldSummary(item));
    manifest->partitions.push_back(std::move(summary));
  }
  return Status::Ok();
}

Status ReadManifestCounts(const Value& record, ManifestFile* m) {
  O2P_ASSIGN_OR_RETURN(
      m->added_files_count,
      IntOrZero(record, {id::kAddedFilesCount, "added_files_count", "added_data_files_count"}));
  O2P_ASSIGN_OR_RETURN(m->existing_files_count,
                       IntOrZero(record, {id::kExistingFilesCount, "existing_files_count",
                                          "existing_data_files_count"}));
  O2P_ASSIGN_OR_RETURN(m->deleted_files_count,
                       IntOrZero(record, {id::kDeletedFilesCount, "deleted_files_count",
                                          "deleted_data_files_count"}));
  O2P_ASSIGN_OR_RETURN(m->added_rows_count,
                       LongOrZero(record, {id::kAddedRowsCount, "added_rows_count"}));
  O2P_ASSIGN_OR_RETURN(m->existing_rows_count,
                       LongOrZero(record, {id::kExistingRowsCount, "existing_rows_count"}));
  O2P_ASSIGN_OR_RETURN(m->deleted_rows_count,
                       LongOrZero(record, {id::kDeletedRowsCount, "deleted_rows_count"}));
  return Status::Ok();
}

Result<ManifestFile> ReadManifestFile(const Value& record) {
  if (record.type != AvroType::kRecord) return Status::InvalidArgument("not a record");
  ManifestFile m;
  O2P_ASSIGN_OR_RETURN(m.manifest_path,
                       RequiredString(record, {id::kManifestPath, "manifest_path"}));
  O2P_ASSIGN_OR_RETURN(m.manifest_length,
                       RequiredLong(record, {id::kManifestLength, "manifest_length"}));
  O2P_ASSIGN_OR_RETURN(m.partition_spec_id,
                       IntOrZero(record, {id::kPartitionSpecId, "partition_spec_id"}));
  O2P_ASSIGN_OR_RETURN(m.content, IntOrZero(record, {id::kManifestContent, "content"}));
  O2P_ASSIGN_OR_RETURN(m.sequence_number,
                       LongOrZero(record, {id::kListSequenceNumber, "sequence_number"}));
  O2P_ASSIGN_OR_RETURN(m.min_sequence_number,
                       LongOrZero(record, {id::kMinSequenceNumber, "min_sequence_number"}));
  O2P_ASSIGN_OR_RETURN(m.added_snapshot_id,
                       RequiredLong(record, {id::kAddedSnapshotId, "added_snapshot_id"}));
  O2P_RETURN_IF_ERROR(ReadManifestCounts(record, &m));
  O2P_RETURN_IF_ERROR(ReadPartitionSummaries(record, &m));
  O2P_ASSIGN_OR_RETURN(m.key_metadata,
                       OptionalBytes(record, {id::kManifestKeyMetadata, "key_metadata"}));
  return m;
}

// An int-keyed Iceberg map: an array of {key, value} records, or, from lenient writers, an
// Avro map whose string keys are decimal field ids.
template <typename V, typename Convert>
Status ReadIntKeyedMap(const Value& record, const FieldRef& ref, Convert convert,
                       std::map<int32_t, V>* out) {
  const Value* map = Find(record, ref);
  if (map == nullptr || map->is_null()) return Status::Ok();
  for (size_t i = 0; i < map->items.size(); ++i) {
    std::optional<int64_t> key;
    const Value* value = nullptr;
    if (map->type == AvroType::kMap) {
      int64_t parsed = 0;
      const std::string& text = map->keys[i];
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
      if (ec == std::errc() && end == text.data() + text.size()) key = parsed;
      value = &map->items[i];
    } else if (map->type == AvroType::kArray && map->items[i].type == AvroType::kRecord) {
      const Value* key_value = map->items[i].Field("key");
      if (key_value != nullptr && IsInteger(*key_value)) key = key_value->integer;
      value = map->items[i].Field("value");
    }
    if (!key || *key < 0 || *key > std::numeric_limits<int32_t>::max() || value == nullptr) {
      return WrongType(ref, "a map keyed by field id");
    }
    Result<V> converted = convert(*value);
    if (!converted.has_value()) return WrongType(ref, "a map with values of the expected type");
    (*out)[static_cast<int32_t>(*key)] = std::move(*converted);
  }
  return Status::Ok();
}

Result<int64_t> AsLong(const Value& value) {
  if (!IsInteger(value)) return Status::InvalidArgument("not an integer");
  return value.integer;
}

Result<std::string> AsBytes(const Value& value) {
  if (!IsByteString(value)) return Status::InvalidArgument("not bytes");
  return value.bytes;
}

Status ReadPartitionValues(const Value& record, DataFile* file) {
  const Value* partition = Find(record, {id::kPartition, "partition"});
  if (partition == nullptr || partition->type != AvroType::kRecord) {
    return WrongType({id::kPartition, "partition"}, "a record");
  }
  for (const Value& value : partition->items) {
    if (value.is_null()) {
      file->partition.emplace_back();
    } else if (IsInteger(value) && value.integer >= std::numeric_limits<int32_t>::min() &&
               value.integer <= std::numeric_limits<int32_t>::max()) {
      file->partition.emplace_back(static_cast<int32_t>(value.integer));
    } else {
      return Status::Unimplemented("iceberg avro: partition values of type {}",
                                   AvroTypeName(value.type));
    }
  }
  return Status::Ok();
}

Status ReadMetrics(const Value& record, DataFile* file) {
  O2P_RETURN_IF_ERROR(
      ReadIntKeyedMap(record, {id::kColumnSizes, "column_sizes"}, AsLong, &file->column_sizes));
  O2P_RETURN_IF_ERROR(
      ReadIntKeyedMap(record, {id::kValueCounts, "value_counts"}, AsLong, &file->value_counts));
  O2P_RETURN_IF_ERROR(ReadIntKeyedMap(record, {id::kNullValueCounts, "null_value_counts"}, AsLong,
                                      &file->null_value_counts));
  O2P_RETURN_IF_ERROR(ReadIntKeyedMap(record, {id::kNanValueCounts, "nan_value_counts"}, AsLong,
                                      &file->nan_value_counts));
  O2P_RETURN_IF_ERROR(
      ReadIntKeyedMap(record, {id::kLowerBounds, "lower_bounds"}, AsBytes, &file->lower_bounds));
  return ReadIntKeyedMap(record, {id::kUpperBounds, "upper_bounds"}, AsBytes, &file->upper_bounds);
}

Status ReadSplitOffsets(const Value& record, DataFile* file) {
  const FieldRef ref{id::kSplitOffsets, "split_offsets"};
  const Value* list = Find(record, ref);
  if (list == nullptr || list->is_null()) return Status::Ok();
  if (list->type != AvroType::kArray) return WrongType(ref, "a list");
  for (const Value& offset : list->items) {
    if (!IsInteger(offset)) return WrongType(ref, "a list of longs");
    file->split_offsets.push_back(offset.integer);
  }
  return Status::Ok();
}

Result<DataFile> ReadDataFile(const Value& record) {
  if (record.type != AvroType::kRecord) return WrongType({id::kDataFile, "data_file"}, "a record");
  O2P_ASSIGN_OR_RETURN(std::optional<int32_t> content,
                       OptionalInt(record, {id::kContent, "content"}));
  if (content.value_or(0) != 0) return Status::Unimplemented("iceberg avro: delete files");
  DataFile file;
  O2P_ASSIGN_OR_RETURN(file.file_path, RequiredString(record, {id::kFilePath, "file_path"}));
  O2P_ASSIGN_OR_RETURN(file.file_format, RequiredString(record, {id::kFileFormat, "file_format"}));
  O2P_RETURN_IF_ERROR(ReadPartitionValues(record, &file));
  O2P_ASSIGN_OR_RETURN(file.record_count, RequiredLong(record, {id::kRecordCount, "record_count"}));
  O2P_ASSIGN_OR_RETURN(file.file_size_in_bytes,
                       RequiredLong(record, {id::kFileSizeInBytes, "file_size_in_bytes"}));
  O2P_RETURN_IF_ERROR(ReadMetrics(record, &file));
  O2P_RETURN_IF_ERROR(ReadSplitOffsets(record, &file));
  O2P_ASSIGN_OR_RETURN(file.sort_order_id,
                       OptionalInt(record, {id::kSortOrderId, "sort_order_id"}));
  return file;
}

Result<ManifestEntry> ReadManifestEntry(const Value& record) {
  if (record.type != AvroType::kRecord) return Status::InvalidArgument("not a record");
  ManifestEntry entry;
  O2P_ASSIGN_OR_RETURN(int64_t status, RequiredLong(record, {id::kStatus, "status"}));
  if (status < 0 || status > 2) return WrongType({id::kStatus, "status"}, "0, 1 or 2");
  entry.status = static_cast<ManifestEntryStatus>(status);
  O2P_ASSIGN_OR_RETURN(entry.snapshot_id, OptionalLong(record, {id::kSnapshotId, "snapshot_id"}));
  O2P_ASSIGN_OR_RETURN(entry.sequence_number,
                       OptionalLong(record, {id::kSequenceNumber, "sequence_number"}));
  O2P_ASSIGN_OR_RETURN(entry.file_sequence_number,
                       OptionalLong(record, {id::kFileSequenceNumber, "file_sequence_number"}));
  const Value* data_file = Find(record, {id::kDataFile, "data_file"});
  if (data_file == nullptr) return Missing({id::kDataFile, "data_file"});
  O2P_ASSIGN_OR_RETURN(entry.data_file, ReadDataFile(*data_file));
  return entry;
}

// Applies `read` to every record of the container file, naming the record in errors.
template <typename T, typename Read>
Result<std::vector<T>> ReadRecords(std::string_view bytes, std::string_view what, Read read) {
  O2P_ASSIGN_OR_RETURN(OcfFile file, ReadOcf(bytes));
  std::vector<T> out;
  out.reserve(file.records.size());
  for (size_t i = 0; i < file.records.size(); ++i) {
    Result<T> item = read(file.records[i]);
    if (!item.has_value()) return item.error().WithPrefix(fmt::format("{} {}", what, i));
    out.push_back(std::move(*item));
  }
  return out;
}

}  // namespace

Result<std::vector<ManifestFile>> ReadManifestList(std::string_view bytes) {
  return ReadRecords<ManifestFile>(bytes, "manifest list entry", ReadManifestFile);
}

Result<std::vector<ManifestEntry>> ReadManifest(std::string_view bytes) {
  return ReadRecords<ManifestEntry>(bytes, "manifest entry", ReadManifestEntry);
}

}  // namespace o2p::iceberg::avro
