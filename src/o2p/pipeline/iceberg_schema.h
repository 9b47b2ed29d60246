// The bridge between our columnar table schemas (otlp/table_schemas.h) and Iceberg tables:
// what we ask a catalog to create, and how our schema takes the table's field ids.
//
// Creating a table:
//   1. iceberg::Schema schema = ToIcebergSchema(*otlp::TableSchema(table));
//   2. create it with DayPartitionSpec(schema), DefaultSortOrder(schema) and
//      DefaultTableProperties(); the catalog may renumber the ids it returns.
// Writing to a table (created by us or anyone else):
//   3. mapping = iceberg::MapSchemaForTable(metadata, ToIcebergSchema(ours));
//   4. file_schema = WithFieldIds(ours, mapping.field_ids): the schema the Parquet writer
//      uses, so every column carries the table's id (Iceberg reads Parquet columns by id).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "o2p/base/result.h"
#include "o2p/columnar/data_type.h"
#include "o2p/iceberg/model.h"

namespace o2p::pipeline {

/// Our schema as an Iceberg schema (schema id 0): field ids kept at every depth, required =
/// !nullable; kTimestamp becomes "timestamptz" (microseconds, UTC: spec/schema.md "Types").
iceberg::Schema ToIcebergSchema(const columnar::Schema& schema);

/// A copy of `ours` in which every field id, at every depth, is replaced by
/// our_to_table_ids[id]. Names, types, nullability and metadata are unchanged.
/// INVALID_ARGUMENT when some field's id has no entry in the map.
Result<columnar::SchemaPtr> WithFieldIds(const columnar::Schema& ours,
                                         const std::map<int32_t, int32_t>& our_to_table_ids);

/// Spec 0: day(Timestamp) as partition field 1000 "Timestamp_day" (spec/schema.md, "Files and
/// paths": Iceberg mode partitions by day(Timestamp)).
/// REQUIRES: `schema` has a top-level Timestamp column (matched case-insensitively, because
/// Glue and Athena lower-case column names).
iceberg::PartitionSpec DayPartitionSpec(const iceberg::Schema& schema);

/// Order 1: ServiceName ascending nulls-first, then Timestamp ascending nulls-first: queries
/// filter by service and time, so compaction that honours this order makes both prunable.
/// REQUIRES: `schema` has top-level ServiceName and Timestamp columns (any case).
iceberg::SortOrder DefaultSortOrder(const iceberg::Schema& schema);

/// Properties for a table we create; each one states what our writer actually does, so that
/// other engines writing or compacting the table produce files of the same shape.
std::map<std::string, std::string> DefaultTableProperties();

}  // namespace o2p::pipeline
