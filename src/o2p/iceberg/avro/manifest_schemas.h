// The Avro schemas of Iceberg v2 manifests and manifest lists (Iceberg spec, "Manifests" and
// "Manifest Lists"; the field-id tables of reference/iceberg-lambda-notes.md §9.3-9.4), as JSON
// text in the form Java writes them:
//   - every record field carries "field-id"; optional fields are ["null", T] with default null;
//   - int-keyed maps are arrays of {key, value} records named k<key-id>_v<value-id> and marked
//     "logicalType": "map"; lists are arrays with "element-id";
//   - record names are Java's: manifest_entry, r2 (data_file), r102 (partition),
//     manifest_file, r508 (field_summary).
// The field ids are also what the readers resolve columns by (manifest_reader.cc).
#pragma once

#include <cstdint>
#include <string>

#include "o2p/base/result.h"
#include "o2p/iceberg/model.h"

namespace o2p::iceberg::avro {

/// Field ids of manifest_entry, data_file, manifest_file and field_summary.
namespace field_id {
inline constexpr int32_t kStatus = 0;
inline constexpr int32_t kSnapshotId = 1;
inline constexpr int32_t kDataFile = 2;
inline constexpr int32_t kSequenceNumber = 3;
inline constexpr int32_t kFileSequenceNumber = 4;

inline constexpr int32_t kFilePath = 100;
inline constexpr int32_t kFileFormat = 101;
inline constexpr int32_t kPartition = 102;
inline constexpr int32_t kRecordCount = 103;
inline constexpr int32_t kFileSizeInBytes = 104;
inline constexpr int32_t kColumnSizes = 108;
inline constexpr int32_t kValueCounts = 109;
inline constexpr int32_t kNullValueCounts = 110;
inline constexpr int32_t kLowerBounds = 125;
inline constexpr int32_t kUpperBounds = 128;
inline constexpr int32_t kKeyMetadata = 131;
inline constexpr int32_t kSplitOffsets = 132;
inline constexpr int32_t kSplitOffsetsElement = 133;
inline constexpr int32_t kContent = 134;
inline constexpr int32_t kEqualityIds = 135;
inline constexpr int32_t kEqualityIdsElement = 136;
inline constexpr int32_t kNanValueCounts = 137;
inline constexpr int32_t kSortOrderId = 140;
inline constexpr int32_t kReferencedDataFile = 143;

inline constexpr int32_t kManifestPath = 500;
inline constexpr int32_t kManifestLength = 501;
inline constexpr int32_t kPartitionSpecId = 502;
inline constexpr int32_t kAddedSnapshotId = 503;
inline constexpr int32_t kAddedFilesCount = 504;
inline constexpr int32_t kExistingFilesCount = 505;
inline constexpr int32_t kDeletedFilesCount = 506;
inline constexpr int32_t kPartitions = 507;
inline constexpr int32_t kFieldSummary = 508;
inline constexpr int32_t kContainsNull = 509;
inline constexpr int32_t kLowerBound = 510;
inline constexpr int32_t kUpperBound = 511;
inline constexpr int32_t kAddedRowsCount = 512;
inline constexpr int32_t kExistingRowsCount = 513;
inline constexpr int32_t kDeletedRowsCount = 514;
inline constexpr int32_t kListSequenceNumber = 515;
inline constexpr int32_t kMinSequenceNumber = 516;
inline constexpr int32_t kManifestContent = 517;
inline constexpr int32_t kContainsNan = 518;
inline constexpr int32_t kManifestKeyMetadata = 519;
}  // namespace field_id

/// The Avro type of a partition field's value. Only the time transforms, whose results are
/// ints, are supported; others are Unimplemented.
Status CheckPartitionTransform(const PartitionField& field);

/// The manifest_entry schema for a table with partition spec `spec`.
Result<std::string> ManifestEntrySchemaJson(const PartitionSpec& spec);

/// The manifest_file schema of a v2 manifest list.
std::string ManifestListSchemaJson();

/// The "partition-spec" metadata value: the spec's fields as a JSON array
/// ([{"name", "transform", "source-id", "field-id"}, ...]).
std::string PartitionFieldsJson(const PartitionSpec& spec);

}  // namespace o2p::iceberg::avro
