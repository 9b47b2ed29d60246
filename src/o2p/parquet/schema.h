// The Parquet schema of a columnar Schema: the flattened SchemaElement list of the footer and,
// per leaf column, the route the level builder walks (schema.md "Types"):
//
//   boolean      required|optional boolean
//   int          int32 (INTEGER(32, signed), converted INT_32)
//   long         int64 (INTEGER(64, signed), converted INT_64)
//   double       double
//   string       binary (STRING, converted UTF8)
//   timestamptz  int64 (TIMESTAMP(isAdjustedToUTC=true, MICROS), converted TIMESTAMP_MICROS)
//   list<T>      group (LIST) { repeated group list { T element } }
//   map<K,V>     group (MAP) { repeated group key_value { required K key; V value } }
//   struct       group
//
// Every element that stands for a columnar Field carries that field's id (SchemaElement
// field 9). The synthetic repeated groups `list` and `key_value` have none: Iceberg assigns no
// id to them, and its readers resolve ids on the LIST/MAP group and on element/key/value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/columnar/data_type.h"
#include "o2p/parquet/format/metadata.h"
#include "o2p/parquet/levels.h"

namespace o2p::parquet {

struct LeafColumn {
  LeafPath path;
  format::Type physical_type = format::Type::kInt32;
  columnar::TypeId type_id = columnar::TypeId::kInt32;
  std::vector<std::string> path_in_schema;  // ColumnMetaData.path_in_schema
  std::string dotted_path;                  // "ResourceAttributes.key_value.key"
  int32_t field_id = -1;
};

struct ParquetSchema {
  std::vector<format::SchemaElement> elements;  // FileMetaData.schema, root first
  std::vector<LeafColumn> leaves;               // in column-chunk order
};

/// Errors (InvalidArgument): no fields, a field without an id or with a duplicate id, an empty
/// name or struct, a map key that is not a required string.
Result<ParquetSchema> BuildParquetSchema(const columnar::Schema& schema);

}  // namespace o2p::parquet
