// Private to iceberg/: the model <-> Boost.JSON converters that the public text functions in
// iceberg/json.h wrap. They are shared here because documents nest each other (a
// LoadTableResult holds table metadata, which holds schemas; an add-schema update holds a
// schema), and nesting must keep the JSON path for error messages.
#pragma once

#include <boost/json.hpp>

#include "o2p/base/result.h"
#include "o2p/iceberg/internal/json_cursor.h"
#include "o2p/iceberg/model.h"

namespace o2p::iceberg::internal {

// Types and schemas (json_schema.cc).
boost::json::value TypeToValue(const Type& type);
boost::json::object SchemaToObject(const Schema& schema);
Result<TypePtr> ReadType(const JsonCursor& cursor);
Result<Schema> ReadSchema(const JsonCursor& cursor);

// Partition specs, sort orders and snapshots (json_spec.cc).
boost::json::array PartitionFieldsToArray(const PartitionSpec& spec);
boost::json::object PartitionSpecToObject(const PartitionSpec& spec);
boost::json::object SortOrderToObject(const SortOrder& order);
boost::json::object SnapshotToObject(const Snapshot& snapshot);
/// `fields` is an array of partition fields; v1 metadata may omit their field ids, which
/// then count up from 1000 in order (as Iceberg's Java reader assigns them).
Result<std::vector<PartitionField>> ReadPartitionFields(const JsonCursor& fields);
Result<PartitionSpec> ReadPartitionSpec(const JsonCursor& cursor);
Result<SortOrder> ReadSortOrder(const JsonCursor& cursor);
/// Format version 1 snapshots may lack "summary" and "manifest-list" (v1 could list
/// manifests inline); version 2 requires both. A missing "sequence-number" reads as 0 in
/// every version, as the REST spec marks it optional.
Result<Snapshot> ReadSnapshot(const JsonCursor& cursor, int format_version);

// Table metadata (json_metadata.cc).
boost::json::object TableMetadataToObject(const TableMetadata& metadata);
Result<TableMetadata> ReadTableMetadata(const JsonCursor& cursor);

}  // namespace o2p::iceberg::internal
