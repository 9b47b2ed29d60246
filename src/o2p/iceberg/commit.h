// The body of a REST catalog commit (updateTable, POST .../tables/{table}): requirements the
// server checks against the current table metadata, then updates it applies in order
// (rest-catalog-open-api.yaml, CommitTableRequest). Plain structs; CommitTableRequestToJson in
// iceberg/json.h writes them.
//
// A minimal append, guarded so that a concurrent commit makes ours fail with 409:
//   CommitTableRequest request;
//   request.requirements = {AssertTableUuid{uuid}, AssertRefSnapshotId{"main", parent_id}};
//   request.updates = {AddSnapshot{snapshot},
//                      SetSnapshotRef{"main", SnapshotRef{snapshot.snapshot_id, "branch"}}};
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "o2p/iceberg/model.h"

namespace o2p::iceberg {

/// "assert-create": the table must not exist yet.
struct AssertCreate {};

/// "assert-table-uuid": the table must still be the one we loaded (not dropped and re-made).
struct AssertTableUuid {
  std::string uuid;
};

/// "assert-ref-snapshot-id": the ref must point at snapshot_id; nullopt (JSON null) means the
/// ref must not exist, which is how the first commit to an empty table is guarded.
struct AssertRefSnapshotId {
  std::string ref = "main";
  std::optional<int64_t> snapshot_id;
};

/// "assert-current-schema-id".
struct AssertCurrentSchemaId {
  int32_t current_schema_id = 0;
};

/// "assert-last-assigned-field-id": guards add-schema against a concurrent schema change.
struct AssertLastAssignedFieldId {
  int32_t last_assigned_field_id = 0;
};

/// "assert-default-spec-id": the partition values we wrote follow this spec.
struct AssertDefaultSpecId {
  int32_t default_spec_id = 0;
};

using TableRequirement =
    std::variant<AssertCreate, AssertTableUuid, AssertRefSnapshotId, AssertCurrentSchemaId,
                 AssertLastAssignedFieldId, AssertDefaultSpecId>;

/// "add-snapshot".
struct AddSnapshot {
  Snapshot snapshot;
};

/// "set-snapshot-ref": points ref_name at ref.snapshot_id (type "branch" or "tag").
struct SetSnapshotRef {
  std::string ref_name = "main";
  SnapshotRef ref;
};

/// "add-schema". last_column_id is deprecated in newer REST specs (the server derives it) but
/// older servers require it, so it is always sent.
struct AddSchema {
  Schema schema;
  int32_t last_column_id = 0;
};

/// "set-current-schema"; -1 selects the schema added by this same commit, whatever id the
/// server gave it.
struct SetCurrentSchema {
  int32_t schema_id = -1;
};

/// "set-properties".
struct SetProperties {
  std::map<std::string, std::string> updates;
};

using TableUpdate =
    std::variant<AddSnapshot, SetSnapshotRef, AddSchema, SetCurrentSchema, SetProperties>;

/// Namespace levels and table name; only the multi-table transaction endpoint needs it.
struct TableIdentifier {
  std::vector<std::string> namespace_levels;
  std::string name;
};

struct CommitTableRequest {
  /// Set only for POST /v1/{prefix}/transactions/commit (one entry of "table-changes").
  std::optional<TableIdentifier> identifier;
  std::vector<TableRequirement> requirements;
  std::vector<TableUpdate> updates;
};

}  // namespace o2p::iceberg
