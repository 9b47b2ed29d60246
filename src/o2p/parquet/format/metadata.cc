// Serialization of the metadata structs. Each function writes the fields in ascending id
// order (so the one-byte field header form is used wherever ids are close) and names the
// parquet.thrift field ids it writes.
#include "o2p/parquet/format/metadata.h"

#include "o2p/parquet/format/thrift_compact_writer.h"

namespace o2p::parquet::format {
namespace {

template <typename E>
int32_t Enum(E value) {
  return static_cast<int32_t>(value);
}

uint32_t Count(size_t n) { return static_cast<uint32_t>(n); }

template <typename T>
void StructField(int16_t id, const T& value, ThriftCompactWriter* w) {
  w->FieldStructHeader(id);
  Serialize(value, w);
}

void SerializeLogicalType(const LogicalType& type, ThriftCompactWriter* w) {
  w->BeginStruct();  // the LogicalType union: exactly one member set
  w->FieldStructBegin(static_cast<int16_t>(type.kind));
  switch (type.kind) {
    case LogicalType::Kind::kTimestamp:
      w->FieldBool(1, type.is_adjusted_to_utc);  // TimestampType.isAdjustedToUTC
      w->FieldStructBegin(2);                    // TimestampType.unit: the TimeUnit union
      w->FieldStructBegin(static_cast<int16_t>(type.unit));  // empty MicroSeconds etc.
      w->EndStruct();
      w->EndStruct();
      break;
    case LogicalType::Kind::kInteger:
      w->FieldI8(1, type.bit_width);    // IntType.bitWidth
      w->FieldBool(2, type.is_signed);  // IntType.isSigned
      break;
    default: break;  // StringType, MapType and ListType are empty structs
  }
  w->EndStruct();
  w->EndStruct();
}

void SerializeKeyValues(int16_t id, const std::vector<KeyValue>& kvs, ThriftCompactWriter* w) {
  w->FieldListBegin(id, ThriftType::kStruct, Count(kvs.size()));
  for (const KeyValue& kv : kvs) {
    w->BeginStruct();
    w->FieldBinary(1, kv.key);
    w->FieldBinary(2, kv.value);
    w->EndStruct();
  }
}

void SerializeEncodingStats(const std::vector<PageEncodingStats>& stats, ThriftCompactWriter* w) {
  w->FieldListBegin(13, ThriftType::kStruct, Count(stats.size()));
  for (const PageEncodingStats& s : stats) {
    w->BeginStruct();
    w->FieldI32(1, Enum(s.page_type));
    w->FieldI32(2, Enum(s.encoding));
    w->FieldI32(3, s.count);
    w->EndStruct();
  }
}

void SerializeColumnChunk(const ColumnChunk& chunk, ThriftCompactWriter* w) {
  w->BeginStruct();
  w->FieldI64(2, chunk.file_offset);
  StructField(3, chunk.meta_data, w);
  if (chunk.offset_index_offset) w->FieldI64(4, *chunk.offset_index_offset);
  if (chunk.offset_index_length) w->FieldI32(5, *chunk.offset_index_length);
  if (chunk.column_index_offset) w->FieldI64(6, *chunk.column_index_offset);
  if (chunk.column_index_length) w->FieldI32(7, *chunk.column_index_length);
  w->EndStruct();
}

void SerializeBinaryList(int16_t id, const std::vector<std::string>& values,
                         ThriftCompactWriter* w) {
  w->FieldListBegin(id, ThriftType::kBinary, Count(values.size()));
  for (const std::string& v : values) w->ElementBinary(v);
}

void SerializeI64List(int16_t id, const std::vector<int64_t>& values, ThriftCompactWriter* w) {
  w->FieldListBegin(id, ThriftType::kI64, Count(values.size()));
  for (int64_t v : values) w->ElementI64(v);
}

}  // namespace

void Serialize(const Statistics& stats, ThriftCompactWriter* w) {
  w->BeginStruct();
  if (stats.null_count) w->FieldI64(3, *stats.null_count);
  if (stats.max_value) w->FieldBinary(5, *stats.max_value);
  if (stats.min_value) w->FieldBinary(6, *stats.min_value);
  if (stats.is_max_value_exact) w->FieldBool(7, *stats.is_max_value_exact);
  if (stats.is_min_value_exact) w->FieldBool(8, *stats.is_min_value_exact);
  if (stats.nan_count) w->FieldI64(9, *stats.nan_count);
  w->EndStruct();
}

void Serialize(const PageHeader& header, ThriftCompactWriter* w) {
  w->BeginStruct();
  w->FieldI32(1, Enum(header.type));
  w->FieldI32(2, header.uncompressed_page_size);
  w->FieldI32(3, header.compressed_page_size);
  if (header.data_page_header) {
    const DataPageHeader& data = *header.data_page_header;
    w->FieldStructBegin(5);
    w->FieldI32(1, data.num_values);
    w->FieldI32(2, Enum(data.encoding));
    w->FieldI32(3, Enum(data.definition_level_encoding));
    w->FieldI32(4, Enum(data.repetition_level_encoding));
    if (data.statistics) StructField(5, *data.statistics, w);
    w->EndStruct();
  }
  if (header.dictionary_page_header) {
    w->FieldStructBegin(7);
    w->FieldI32(1, header.dictionary_page_header->num_values);
    w->FieldI32(2, Enum(header.dictionary_page_header->encoding));
    w->EndStruct();
  }
  w->EndStruct();
}

void Serialize(const SchemaElement& element, ThriftCompactWriter* w) {
  w->BeginStruct();
  if (element.type) w->FieldI32(1, Enum(*element.type));
  if (element.repetition_type) w->FieldI32(3, Enum(*element.repetition_type));
  w->FieldBinary(4, element.name);
  if (element.num_children) w->FieldI32(5, *element.num_children);
  if (element.converted_type) w->FieldI32(6, Enum(*element.converted_type));
  if (element.field_id) w->FieldI32(9, *element.field_id);
  if (element.logical_type.kind != LogicalType::Kind::kNone) {
    w->FieldStructHeader(10);
    SerializeLogicalType(element.logical_type, w);
  }
  w->EndStruct();
}

void Serialize(const ColumnMetaData& meta, ThriftCompactWriter* w) {
  w->BeginStruct();
  w->FieldI32(1, Enum(meta.type));
  w->FieldListBegin(2, ThriftType::kI32, Count(meta.encodings.size()));
  for (Encoding e : meta.encodings) w->ElementI32(Enum(e));
  SerializeBinaryList(3, meta.path_in_schema, w);
  w->FieldI32(4, Enum(meta.codec));
  w->FieldI64(5, meta.num_values);
  w->FieldI64(6, meta.total_uncompressed_size);
  w->FieldI64(7, meta.total_compressed_size);
  w->FieldI64(9, meta.data_page_offset);
  if (meta.dictionary_page_offset) w->FieldI64(11, *meta.dictionary_page_offset);
  if (meta.statistics) StructField(12, *meta.statistics, w);
  if (!meta.encoding_stats.empty()) SerializeEncodingStats(meta.encoding_stats, w);
  w->EndStruct();
}

void Serialize(const RowGroup& row_group, ThriftCompactWriter* w) {
  w->BeginStruct();
  w->FieldListBegin(1, ThriftType::kStruct, Count(row_group.columns.size()));
  for (const ColumnChunk& chunk : row_group.columns) SerializeColumnChunk(chunk, w);
  w->FieldI64(2, row_group.total_byte_size);
  w->FieldI64(3, row_group.num_rows);
  w->FieldI64(5, row_group.file_offset);
  w->FieldI64(6, row_group.total_compressed_size);
  if (row_group.ordinal) w->FieldI16(7, *row_group.ordinal);
  w->EndStruct();
}

void Serialize(const FileMetaData& file, ThriftCompactWriter* w) {
  w->BeginStruct();
  w->FieldI32(1, file.version);
  w->FieldListBegin(2, ThriftType::kStruct, Count(file.schema.size()));
  for (const SchemaElement& element : file.schema) Serialize(element, w);
  w->FieldI64(3, file.num_rows);
  w->FieldListBegin(4, ThriftType::kStruct, Count(file.row_groups.size()));
  for (const RowGroup& row_group : file.row_groups) Serialize(row_group, w);
  if (!file.key_value_metadata.empty()) SerializeKeyValues(5, file.key_value_metadata, w);
  if (!file.created_by.empty()) w->FieldBinary(6, file.created_by);
  if (file.num_type_defined_orders > 0) {
    // ColumnOrder union, member 1 = TypeDefinedOrder (an empty struct), one per leaf.
    w->FieldListBegin(7, ThriftType::kStruct,
                      Count(static_cast<size_t>(file.num_type_defined_orders)));
    for (int32_t i = 0; i < file.num_type_defined_orders; ++i) {
      w->BeginStruct();
      w->FieldStructBegin(1);
      w->EndStruct();
      w->EndStruct();
    }
  }
  w->EndStruct();
}

void Serialize(const OffsetIndex& index, ThriftCompactWriter* w) {
  w->BeginStruct();
  w->FieldListBegin(1, ThriftType::kStruct, Count(index.page_locations.size()));
  for (const PageLocation& loc : index.page_locations) {
    w->BeginStruct();
    w->FieldI64(1, loc.offset);
    w->FieldI32(2, loc.compressed_page_size);
    w->FieldI64(3, loc.first_row_index);
    w->EndStruct();
  }
  w->EndStruct();
}

void Serialize(const ColumnIndex& index, ThriftCompactWriter* w) {
  w->BeginStruct();
  w->FieldListBegin(1, ThriftType::kBoolTrue, Count(index.null_pages.size()));
  for (bool null_page : index.null_pages) w->ElementBool(null_page);
  SerializeBinaryList(2, index.min_values, w);
  SerializeBinaryList(3, index.max_values, w);
  w->FieldI32(4, Enum(index.boundary_order));
  SerializeI64List(5, index.null_counts, w);
  if (index.nan_counts) SerializeI64List(8, *index.nan_counts, w);
  w->EndStruct();
}

template <typename T>
std::string SerializeToString(const T& value) {
  std::string out;
  ThriftCompactWriter w(&out);
  Serialize(value, &w);
  return out;
}

template std::string SerializeToString(const Statistics&);
template std::string SerializeToString(const PageHeader&);
template std::string SerializeToString(const SchemaElement&);
template std::string SerializeToString(const ColumnMetaData&);
template std::string SerializeToString(const RowGroup&);
template std::string SerializeToString(const FileMetaData&);
template std::string SerializeToString(const OffsetIndex&);
template std::string SerializeToString(const ColumnIndex&);

}  // namespace o2p::parquet::format
