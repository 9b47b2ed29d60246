// Fitting the schema we write onto an existing table's schema.
//
// We build our own schema with our own field ids; the catalog's table has its ids (assigned
// by whoever created it, often renumbered by the catalog). Iceberg reads Parquet columns by
// field id, so every file must carry the table's ids. MapSchema:
//   1. matches our fields to the table's by name path: top-level and struct members by name
//      (exact first, then ASCII case-insensitive when that is unambiguous, because Glue and
//      Athena lower-case names), list elements and map keys/values by role;
//   2. gives each of our fields the table's id, or, for fields the table lacks, a fresh id
//      after last_column_id (the new field and everything nested in it, in the order
//      Iceberg's Java SchemaUpdate assigns them); added fields are optional (spec: "Schema
//      Evolution" allows only optional additions without defaults) and never reuse an id;
//   3. fails with FAILED_PRECONDITION when the two cannot be written together: a type
//      conflict, an optional field of ours where the table requires one, or a required table
//      field we do not write at all. Optional table fields we lack are fine (read as null).
//
// Allowed promotions (spec "Schema Evolution"): we may write int into a table's long,
// float into double, and decimal(P,S) into decimal(P2,S) with P2 >= P.
//
// When columns were added, commit the new schema with AddSchema{mapping.schema,
// mapping.last_column_id} + SetCurrentSchema{-1} and AssertLastAssignedFieldId /
// AssertCurrentSchemaId guards (iceberg/commit.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/iceberg/model.h"

namespace o2p::iceberg {

struct SchemaMapping {
  /// Our field id -> table field id, for every field of ours at every depth (list elements
  /// and map keys/values included); added fields map to their fresh ids.
  std::map<int32_t, int32_t> field_ids;
  /// Name paths of our fields the table did not have, e.g. "severity_text" or
  /// "resource.schema_url"; list and map children appear as "x.element", "x.key", "x.value".
  std::vector<std::string> added_columns;
  /// The table schema to write against: the table's own, or it plus the added fields (then
  /// with a new schema id).
  Schema schema;
  /// The table's last_column_id, or the highest id handed out.
  int32_t last_column_id = 0;

  bool schema_changed() const { return !added_columns.empty(); }
};

/// Maps `ours` onto `table`; a changed schema gets schema_id = table.schema_id + 1.
/// Prefer MapSchemaForTable when the full metadata is at hand: it avoids ids of older schemas.
Result<SchemaMapping> MapSchema(const Schema& table, int32_t last_column_id, const Schema& ours);

/// MapSchema against the table's current schema; a changed schema gets an id above every
/// schema in `metadata`.
Result<SchemaMapping> MapSchemaForTable(const TableMetadata& metadata, const Schema& ours);

}  // namespace o2p::iceberg
