// Plain structs for the subset of parquet.thrift that we write, and their compact-protocol
// serialization. Field numbers in the comments are the thrift field ids; enum values are the
// thrift enum numbers (apache/parquet-format src/main/thrift/parquet.thrift). Optional thrift
// fields are std::optional (or an empty vector) and are omitted when unset.
//
// Only writing is supported: there is no parser. Tests decode with their own small reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace o2p::parquet::format {

class ThriftCompactWriter;

/// parquet.thrift `Type` (physical type).
enum class Type : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kDouble = 5,
  kByteArray = 6,
};

/// parquet.thrift `ConvertedType` (the legacy annotations we set beside logicalType).
enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kTimestampMicros = 10,
  kInt32 = 17,
  kInt64 = 18,
};

/// parquet.thrift `FieldRepetitionType`.
enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

/// parquet.thrift `Encoding`.
enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kRleDictionary = 8,
};

/// parquet.thrift `CompressionCodec`.
enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kZstd = 6,
  kLz4Raw = 7,
};

/// parquet.thrift `PageType`.
enum class PageType : int32_t { kDataPage = 0, kDictionaryPage = 2 };

/// parquet.thrift `BoundaryOrder`.
enum class BoundaryOrder : int32_t { kUnordered = 0, kAscending = 1, kDescending = 2 };

/// parquet.thrift `TimeUnit` union: 1 MILLIS, 2 MICROS, 3 NANOS (each an empty struct).
enum class TimeUnit : int16_t { kMillis = 1, kMicros = 2, kNanos = 3 };

/// parquet.thrift `LogicalType` union, restricted to the members we write.
struct LogicalType {
  /// The union member's field id: 1 STRING, 2 MAP, 3 LIST, 8 TIMESTAMP, 10 INTEGER; 0 = unset.
  enum class Kind : int16_t {
    kNone = 0,
    kString = 1,
    kMap = 2,
    kList = 3,
    kTimestamp = 8,
    kInteger = 10
  };

  Kind kind = Kind::kNone;
  bool is_adjusted_to_utc = true;     // TIMESTAMP: TimestampType.isAdjustedToUTC (1)
  TimeUnit unit = TimeUnit::kMicros;  // TIMESTAMP: TimestampType.unit (2)
  int8_t bit_width = 0;               // INTEGER: IntType.bitWidth (1)
  bool is_signed = true;              // INTEGER: IntType.isSigned (2)
};

/// parquet.thrift `SchemaElement`.
struct SchemaElement {
  std::optional<Type> type;                     // 1, leaves only
  std::optional<Repetition> repetition_type;    // 3, unset on the root
  std::string name;                             // 4
  std::optional<int32_t> num_children;          // 5, groups only
  std::optional<ConvertedType> converted_type;  // 6
  std::optional<int32_t> field_id;              // 9
  LogicalType logical_type;                     // 10, omitted when kNone
};

/// parquet.thrift `Statistics`. The deprecated min (2) / max (1) are never written.
struct Statistics {
  std::optional<std::string> max_value;    // 5
  std::optional<std::string> min_value;    // 6
  std::optional<int64_t> null_count;       // 3
  std::optional<bool> is_max_value_exact;  // 7
  std::optional<bool> is_min_value_exact;  // 8
  std::optional<int64_t> nan_count;        // 9, FLOAT/DOUBLE only
};

/// parquet.thrift `DataPageHeader` (data page v1).
struct DataPageHeader {
  int32_t num_values = 0;                               // 1, level entries incl. nulls
  Encoding encoding = Encoding::kPlain;                 // 2
  Encoding definition_level_encoding = Encoding::kRle;  // 3
  Encoding repetition_level_encoding = Encoding::kRle;  // 4
  std::optional<Statistics> statistics;                 // 5
};

/// parquet.thrift `DictionaryPageHeader`.
struct DictionaryPageHeader {
  int32_t num_values = 0;                // 1
  Encoding encoding = Encoding::kPlain;  // 2
};

/// parquet.thrift `PageHeader`. crc (4) is not written.
struct PageHeader {
  PageType type = PageType::kDataPage;                         // 1
  int32_t uncompressed_page_size = 0;                          // 2
  int32_t compressed_page_size = 0;                            // 3
  std::optional<DataPageHeader> data_page_header;              // 5
  std::optional<DictionaryPageHeader> dictionary_page_header;  // 7
};

/// parquet.thrift `KeyValue`.
struct KeyValue {
  std::string key;    // 1
  std::string value;  // 2 (always set by us)
};

/// parquet.thrift `PageEncodingStats`.
struct PageEncodingStats {
  PageType page_type = PageType::kDataPage;  // 1
  Encoding encoding = Encoding::kPlain;      // 2
  int32_t count = 0;                         // 3
};

/// parquet.thrift `ColumnMetaData`.
struct ColumnMetaData {
  Type type = Type::kInt32;                                  // 1
  std::vector<Encoding> encodings;                           // 2
  std::vector<std::string> path_in_schema;                   // 3
  CompressionCodec codec = CompressionCodec::kUncompressed;  // 4
  int64_t num_values = 0;                                    // 5
  int64_t total_uncompressed_size = 0;                       // 6, page headers included
  int64_t total_compressed_size = 0;                         // 7, page headers included
  int64_t data_page_offset = 0;                              // 9
  std::optional<int64_t> dictionary_page_offset;             // 11
  std::optional<Statistics> statistics;                      // 12
  std::vector<PageEncodingStats> encoding_stats;             // 13, omitted when empty
};

/// parquet.thrift `ColumnChunk`. file_path (1) is never set: data lives in this file.
struct ColumnChunk {
  int64_t file_offset = 0;                     // 2, 0 = no ColumnMetaData outside the footer
  ColumnMetaData meta_data;                    // 3
  std::optional<int64_t> offset_index_offset;  // 4
  std::optional<int32_t> offset_index_length;  // 5
  std::optional<int64_t> column_index_offset;  // 6
  std::optional<int32_t> column_index_length;  // 7
};

/// parquet.thrift `RowGroup`.
struct RowGroup {
  std::vector<ColumnChunk> columns;   // 1
  int64_t total_byte_size = 0;        // 2, uncompressed
  int64_t num_rows = 0;               // 3
  int64_t file_offset = 0;            // 5, first page of the row group
  int64_t total_compressed_size = 0;  // 6
  std::optional<int16_t> ordinal;     // 7, unset past 32767 row groups
};

/// parquet.thrift `FileMetaData`. column_orders (7) holds one TypeDefinedOrder per leaf.
struct FileMetaData {
  int32_t version = 1;                       // 1
  std::vector<SchemaElement> schema;         // 2, depth-first, root first
  int64_t num_rows = 0;                      // 3
  std::vector<RowGroup> row_groups;          // 4
  std::vector<KeyValue> key_value_metadata;  // 5, omitted when empty
  std::string created_by;                    // 6, omitted when empty
  int32_t num_type_defined_orders = 0;       // 7, list length; 0 = omitted
};

/// parquet.thrift `PageLocation`.
struct PageLocation {
  int64_t offset = 0;                // 1, file offset of the page header
  int32_t compressed_page_size = 0;  // 2, header included
  int64_t first_row_index = 0;       // 3, within the row group
};

/// parquet.thrift `OffsetIndex`.
struct OffsetIndex {
  std::vector<PageLocation> page_locations;  // 1
};

/// parquet.thrift `ColumnIndex`.
struct ColumnIndex {
  std::vector<bool> null_pages;                              // 1
  std::vector<std::string> min_values;                       // 2, empty for null pages
  std::vector<std::string> max_values;                       // 3
  BoundaryOrder boundary_order = BoundaryOrder::kUnordered;  // 4
  std::vector<int64_t> null_counts;                          // 5
  std::optional<std::vector<int64_t>> nan_counts;            // 8, DOUBLE only
};

/// Each appends the compact-protocol bytes of one struct (with its stop byte) to the writer.
void Serialize(const Statistics& stats, ThriftCompactWriter* w);
void Serialize(const PageHeader& header, ThriftCompactWriter* w);
void Serialize(const SchemaElement& element, ThriftCompactWriter* w);
void Serialize(const ColumnMetaData& meta, ThriftCompactWriter* w);
void Serialize(const RowGroup& row_group, ThriftCompactWriter* w);
void Serialize(const FileMetaData& file, ThriftCompactWriter* w);
void Serialize(const OffsetIndex& index, ThriftCompactWriter* w);
void Serialize(const ColumnIndex& index, ThriftCompactWriter* w);

/// Convenience: the serialized bytes of one struct.
template <typename T>
std::string SerializeToString(const T& value);

}  // namespace o2p::parquet::format
