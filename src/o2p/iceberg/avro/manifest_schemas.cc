#include "o2p/iceberg/avro/manifest_schemas.h"

#include <string_view>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace o2p::iceberg::avro {

namespace json = boost::json;
namespace id = field_id;

namespace {

json::object RequiredField(std::string_view name, json::value type, int32_t field_id) {
  return {{"name", name}, {"type", std::move(type)}, {"field-id", field_id}};
}

// Iceberg optional fields are unions with null first, so that "default": null is valid
// (Avro requires a union's default to match its first branch).
json::object OptionalField(std::string_view name, json::value type, int32_t field_id) {
  return {{"name", name},
          {"type", json::array{"null", std::move(type)}},
          {"default", nullptr},
          {"field-id", field_id}};
}

json::object Record(std::string_view name, json::array fields) {
  return {{"type", "record"}, {"name", name}, {"fields", std::move(fields)}};
}

// Iceberg maps with non-string keys are arrays of key/value records (spec, "Avro" appendix).
json::object IntKeyedMap(int32_t key_id, int32_t value_id, const char* value_type) {
  json::array fields{RequiredField("key", "int", key_id),
                     RequiredField("value", value_type, value_id)};
  json::object map_type{{"type", "array"},
                        {"items", Record(fmt::format("k{}_v{}", key_id, value_id), fields)}};
  map_type["logicalType"] = "map";
  return map_type;
}

json::object List(const char* element_type, int32_t element_id) {
  return {{"type", "array"}, {"items", element_type}, {"element-id", element_id}};
}

Result<json::object> PartitionRecord(const PartitionSpec& spec) {
  json::array fields;
  for (const PartitionField& field : spec.fields) {
    if (Status status = CheckPartitionTransform(field); !status.ok()) return status;
    // Java's day transform yields DateType, written as int with logicalType date; hour, month
    // and year yield plain ints.
    json::value type = "int";
    if (field.transform == "day") type = json::object{{"type", "int"}, {"logicalType", "date"}};
    fields.push_back(OptionalField(field.name, std::move(type), field.field_id));
  }
  return Record("r102", std::move(fields));
}

Result<json::object> DataFileRecord(const PartitionSpec& spec) {
  Result<json::object> partition = PartitionRecord(spec);
  if (!partition.has_value()) return partition.error();
  json::array fields{
      RequiredField("content", "int", id::kContent),
      RequiredField("file_path", "string", id::kFilePath),
      RequiredField("file_format", "string", id::kFileFormat),
      RequiredField("partition", std::move(*partition), id::kPartition),
      RequiredField("record_count", "long", id::kRecordCount),
      RequiredField("file_size_in_bytes", "long", id::kFileSizeInBytes),
      OptionalField("column_sizes", IntKeyedMap(117, 118, "long"), id::kColumnSizes),
      OptionalField("value_counts", IntKeyedMap(119, 120, "long"), id::kValueCounts),
      OptionalField("null_value_counts", IntKeyedMap(121, 122, "long"), id::kNullValueCounts),
      OptionalField("nan_value_counts", IntKeyedMap(138, 139, "long"), id::kNanValueCounts),
      OptionalField("lower_bounds", IntKeyedMap(126, 127, "bytes"), id::kLowerBounds),
      OptionalField("upper_bounds", IntKeyedMap(129, 130, "bytes"), id::kUpperBounds),
      OptionalField("key_metadata", "bytes", id::kKeyMetadata),
      OptionalField("split_offsets", List("long", id::kSplitOffsetsElement), id::kSplitOffsets),
      OptionalField("equality_ids", List("int", id::kEqualityIdsElement), id::kEqualityIds),
      OptionalField("sort_order_id", "int", id::kSortOrderId),
      OptionalField("referenced_data_file", "string", id::kReferencedDataFile),
  };
  return Record("r2", std::move(fields));
}

json::object FieldSummaryRecord() {
  return Record("r508", json::array{
                            RequiredField("contains_null", "boolean", id::kContainsNull),
                            OptionalField("contains_nan", "boolean", id::kContainsNan),
                            OptionalField("lower_bound", "bytes", id::kLowerBound),
                            OptionalField("upper_bound", "bytes", id::kUpperBound),
                        });
}

}  // namespace

Status CheckPartitionTransform(const PartitionField& field) {
  const std::string& transform = field.transform;
  if (transform == "day" || transform == "hour" || transform == "month" || transform == "year") {
    return Status::Ok();
  }
  return Status::Unimplemented("iceberg avro: partition transform '{}' of field '{}'", transform,
                               field.name);
}

// Field order follows Java's V2Metadata so files compare easily with Java's output.
Result<std::string> ManifestEntrySchemaJson(const PartitionSpec& spec) {
  Result<json::object> data_file = DataFileRecord(spec);
  if (!data_file.has_value()) return data_file.error();
  json::array fields{
      RequiredField("status", "int", id::kStatus),
      OptionalField("snapshot_id", "long", id::kSnapshotId),
      OptionalField("sequence_number", "long", id::kSequenceNumber),
      OptionalField("file_sequence_number", "long", id::kFileSequenceNumber),
      RequiredField("data_file", std::move(*data_file), id::kDataFile),
  };
  return json::serialize(Record("manifest_entry", std::move(fields)));
}

std::string ManifestListSchemaJson() {
  json::object partitions_list{
      {"type", "array"}, {"items", FieldSummaryRecord()}, {"element-id", id::kFieldSummary}};
  json::array fields{
      RequiredField("manifest_path", "string", id::kManifestPath),
      RequiredField("manifest_length", "long", id::kManifestLength),
      RequiredField("partition_spec_id", "int", id::kPartitionSpecId),
      RequiredField("content", "int", id::kManifestContent),
      RequiredField("sequence_number", "long", id::kListSequenceNumber),
      RequiredField("min_sequence_number", "long", id::kMinSequenceNumber),
      RequiredField("added_snapshot_id", "long", id::kAddedSnapshotId),
      RequiredField("added_files_count", "int", id::kAddedFilesCount),
      RequiredField("existing_files_count", "int", id::kExistingFilesCount),
      RequiredField("deleted_files_count", "int", id::kDeletedFilesCount),
      RequiredField("added_rows_count", "long", id::kAddedRowsCount),
      RequiredField("existing_rows_count", "long", id::kExistingRowsCount),
      RequiredField("deleted_rows_count", "long", id::kDeletedRowsCount),
      OptionalField("partitions", std::move(partitions_list), id::kPartitions),
      OptionalField("key_metadata", "bytes", id::kManifestKeyMetadata),
  };
  return json::serialize(Record("manifest_file", std::move(fields)));
}

std::string PartitionFieldsJson(const PartitionSpec& spec) {
  json::array fields;
  for (const PartitionField& field : spec.fields) {
    fields.push_back(json::object{{"name", field.name},
                                  {"transform", field.transform},
                                  {"source-id", field.source_id},
                                  {"field-id", field.field_id}});
  }
  return json::serialize(fields);
}

}  // namespace o2p::iceberg::avro
