// Table metadata <-> JSON (Iceberg table spec, "Table Metadata Fields").
//
// Reading accepts both layouts Java writers produce:
//   v1: "schema" and "partition-spec" (a bare field array) instead of, or beside, the plural
//       lists; no sequence numbers, no sort orders, no refs.
//   v2: the plural lists with their current/default ids, all required.
// current-snapshot-id -1 (Java's "none") reads as no snapshot, and a table without "refs"
// gets a "main" branch at the current snapshot, as the spec says older metadata implies.
#include <algorithm>

#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/iceberg/internal/json_serde.h"
#include "o2p/iceberg/json.h"

namespace o2p::iceberg {
namespace internal {
namespace {

constexpr int kMinFormatVersion = 1;
constexpr int kMaxFormatVersion = 3;
// Spec: last-partition-id when no partition field was ever assigned.
constexpr int32_t kNoPartitionFieldId = 999;

template <typename T, typename Reader>
Result<std::vector<T>> ReadArray(const JsonCursor& array, Reader read) {
  O2P_ASSIGN_OR_RETURN(std::vector<JsonCursor> elements, array.Elements());
  std::vector<T> result;
  result.reserve(elements.size());
  for (const JsonCursor& element : elements) {
    O2P_ASSIGN_OR_RETURN(T item, read(element));
    result.push_back(std::move(item));
  }
  return result;
}

Status ReadSchemas(const JsonCursor& cursor, TableMetadata& metadata) {
  if (std::optional<JsonCursor> schemas = cursor.FindMember("schemas")) {
    O2P_ASSIGN_OR_RETURN(metadata.schemas, ReadArray<Schema>(*schemas, ReadSchema));
    O2P_ASSIGN_OR_RETURN(metadata.current_schema_id, cursor.Required<int32_t>("current-schema-id"));
  } else if (metadata.format_version == 1) {
    O2P_ASSIGN_OR_RETURN(JsonCursor schema_cursor, cursor.Member("schema"));
    O2P_ASSIGN_OR_RETURN(Schema schema, ReadSchema(schema_cursor));
    metadata.current_schema_id = schema.schema_id;
    metadata.schemas.push_back(std::move(schema));
  } else {
    return cursor.Error("missing required field 'schemas'");
  }
  if (metadata.CurrentSchema() == nullptr) {
    return cursor.Error(fmt::format("current-schema-id {} names no schema in 'schemas'",
                                    metadata.current_schema_id));
  }
  return Status::Ok();
}

int32_t HighestPartitionFieldId(const std::vector<PartitionSpec>& specs) {
  int32_t highest = kNoPartitionFieldId;
  for (const PartitionSpec& spec : specs) {
    for (const PartitionField& field : spec.fields) highest = std::max(highest, field.field_id);
  }
  return highest;
}

Status ReadPartitionSpecs(const JsonCursor& cursor, TableMetadata& metadata) {
  if (std::optional<JsonCursor> specs = cursor.FindMember("partition-specs")) {
    O2P_ASSIGN_OR_RETURN(metadata.partition_specs,
                         ReadArray<PartitionSpec>(*specs, ReadPartitionSpec));
    O2P_ASSIGN_OR_RETURN(metadata.default_spec_id, cursor.Required<int32_t>("default-spec-id"));
  } else if (metadata.format_version == 1) {
    O2P_ASSIGN_OR_RETURN(JsonCursor fields, cursor.Member("partition-spec"));
    PartitionSpec spec;
    O2P_ASSIGN_OR_RETURN(spec.fields, ReadPartitionFields(fields));
    metadata.default_spec_id = 0;
    metadata.partition_specs.push_back(std::move(spec));
  } else {
    return cursor.Error("missing required field 'partition-specs'");
  }
  if (metadata.DefaultSpec() == nullptr) {
    return cursor.Error(fmt::format("default-spec-id {} names no spec in 'partition-specs'",
                                    metadata.default_spec_id));
  }
  const int32_t highest = HighestPartitionFieldId(metadata.partition_specs);
  if (metadata.format_version == 1) {
    O2P_ASSIGN_OR_RETURN(metadata.last_partition_id,
                         cursor.OptionalOr<int32_t>("last-partition-id", highest));
  } else {
    O2P_ASSIGN_OR_RETURN(metadata.last_partition_id, cursor.Required<int32_t>("last-partition-id"));
  }
  return Status::Ok();
}

// v1 metadata may have no sort orders; the spec's unsorted order (id 0, no fields) stands in.
Status ReadSortOrders(const JsonCursor& cursor, TableMetadata& metadata) {
  std::optional<JsonCursor> orders = cursor.FindMember("sort-orders");
  if (!orders && metadata.format_version == 1) {
    metadata.sort_orders = {SortOrder{}};
    metadata.default_sort_order_id = 0;
    return Status::Ok();
  }
  if (!orders) return cursor.Error("missing required field 'sort-orders'");
  O2P_ASSIGN_OR_RETURN(metadata.sort_orders, ReadArray<SortOrder>(*orders, ReadSortOrder));
  O2P_ASSIGN_OR_RETURN(metadata.default_sort_order_id,
                       cursor.Required<int32_t>("default-sort-order-id"));
  return Status::Ok();
}

Result<SnapshotRef> ReadRef(const JsonCursor& cursor) {
  SnapshotRef ref;
  O2P_ASSIGN_OR_RETURN(ref.snapshot_id, cursor.Required<int64_t>("snapshot-id"));
  O2P_ASSIGN_OR_RETURN(ref.type, cursor.Required<std::string>("type"));
  if (ref.type != "branch" && ref.type != "tag") {
    return cursor.Error(fmt::format("ref type must be 'branch' or 'tag', got '{}'", ref.type));
  }
  return ref;
}

Status ReadSnapshots(const JsonCursor& cursor, TableMetadata& metadata) {
  O2P_ASSIGN_OR_RETURN(std::optional<int64_t> current,
                       cursor.Optional<int64_t>("current-snapshot-id"));
  // Java writers before 1.4 wrote -1 for "no current snapshot".
  if (current && *current != -1) metadata.current_snapshot_id = current;
  if (std::optional<JsonCursor> snapshots = cursor.FindMember("snapshots")) {
    const int version = metadata.format_version;
    O2P_ASSIGN_OR_RETURN(metadata.snapshots,
                         ReadArray<Snapshot>(*snapshots, [version](const JsonCursor& element) {
                           return ReadSnapshot(element, version);
                         }));
  }
  if (metadata.current_snapshot_id && metadata.CurrentSnapshot() == nullptr) {
    return cursor.Error(fmt::format("current-snapshot-id {} names no snapshot in 'snapshots'",
                                    *metadata.current_snapshot_id));
  }
  if (std::optional<JsonCursor> refs = cursor.FindMember("refs")) {
    O2P_RETURN_IF_ERROR(refs->ExpectObject());
    for (const auto& member : refs->value().get_object()) {
      const std::string name(member.key().data(), member.key().size());
      O2P_ASSIGN_OR_RETURN(JsonCursor ref_cursor, refs->Member(name));
      O2P_ASSIGN_OR_RETURN(metadata.refs[name], ReadRef(ref_cursor));
    }
  } else if (metadata.current_snapshot_id) {
    metadata.refs["main"] = SnapshotRef{*metadata.current_snapshot_id, "branch"};
  }
  return Status::Ok();
}

Status ReadHeader(const JsonCursor& cursor, TableMetadata& metadata) {
  O2P_ASSIGN_OR_RETURN(JsonCursor version, cursor.Member("format-version"));
  O2P_ASSIGN_OR_RETURN(metadata.format_version, version.As<int32_t>());
  if (metadata.format_version < kMinFormatVersion || metadata.format_version > kMaxFormatVersion) {
    return version.Error(fmt::format("unsupported format version {}", metadata.format_version));
  }
  const bool v1 = metadata.format_version == 1;
  if (v1) {
    O2P_ASSIGN_OR_RETURN(metadata.table_uuid, cursor.OptionalOr<std::string>("table-uuid", ""));
    O2P_ASSIGN_OR_RETURN(metadata.last_sequence_number,
                         cursor.OptionalOr<int64_t>("last-sequence-number", 0));
  } else {
    O2P_ASSIGN_OR_RETURN(metadata.table_uuid, cursor.Required<std::string>("table-uuid"));
    O2P_ASSIGN_OR_RETURN(metadata.last_sequence_number,
                         cursor.Required<int64_t>("last-sequence-number"));
  }
  O2P_ASSIGN_OR_RETURN(metadata.location, cursor.Required<std::string>("location"));
  O2P_ASSIGN_OR_RETURN(metadata.last_updated_ms, cursor.Required<int64_t>("last-updated-ms"));
  O2P_ASSIGN_OR_RETURN(metadata.last_column_id, cursor.Required<int32_t>("last-column-id"));
  O2P_ASSIGN_OR_RETURN(metadata.properties, cursor.OptionalOr<StringMap>("properties", {}));
  return Status::Ok();
}

template <typename T, typename Writer>
boost::json::array WriteArray(const std::vector<T>& items, Writer write) {
  boost::json::array array;
  for (const T& item : items) array.push_back(write(item));
  return array;
}

boost::json::object RefsToObject(const std::map<std::string, SnapshotRef>& refs) {
  boost::json::object object;
  for (const auto& [name, ref] : refs) {
    boost::json::object ref_object;
    ref_object["snapshot-id"] = ref.snapshot_id;
    ref_object["type"] = ToBoost(ref.type);
    object[ToBoost(name)] = std::move(ref_object);
  }
  return object;
}

// v1 readers require the singular current schema and spec fields.
void AddV1Fields(const TableMetadata& metadata, boost::json::object& object) {
  if (const Schema* schema = metadata.CurrentSchema()) object["schema"] = SchemaToObject(*schema);
  if (const PartitionSpec* spec = metadata.DefaultSpec()) {
    object["partition-spec"] = PartitionFieldsToArray(*spec);
  }
}

}  // namespace

boost::json::object TableMetadataToObject(const TableMetadata& metadata) {
  boost::json::object object;
  object["format-version"] = metadata.format_version;
  object["table-uuid"] = ToBoost(metadata.table_uuid);
  object["location"] = ToBoost(metadata.location);
  object["last-sequence-number"] = metadata.last_sequence_number;
  object["last-updated-ms"] = metadata.last_updated_ms;
  object["last-column-id"] = metadata.last_column_id;
  object["current-schema-id"] = metadata.current_schema_id;
  object["schemas"] = WriteArray(metadata.schemas, SchemaToObject);
  object["default-spec-id"] = metadata.default_spec_id;
  object["partition-specs"] = WriteArray(metadata.partition_specs, PartitionSpecToObject);
  object["last-partition-id"] = metadata.last_partition_id;
  object["default-sort-order-id"] = metadata.default_sort_order_id;
  object["sort-orders"] = WriteArray(metadata.sort_orders, SortOrderToObject);
  if (metadata.format_version == 1) AddV1Fields(metadata, object);
  object["properties"] = StringMapToJson(metadata.properties);
  // -1 rather than an absent member: every Java reader version understands it.
  object["current-snapshot-id"] = metadata.current_snapshot_id.value_or(-1);
  object["refs"] = RefsToObject(metadata.refs);
  object["snapshots"] = WriteArray(metadata.snapshots, SnapshotToObject);
  return object;
}

Result<TableMetadata> ReadTableMetadata(const JsonCursor& cursor) {
  O2P_RETURN_IF_ERROR(cursor.ExpectObject());
  TableMetadata metadata;
  O2P_RETURN_IF_ERROR(ReadHeader(cursor, metadata));
  O2P_RETURN_IF_ERROR(ReadSchemas(cursor, metadata));
  O2P_RETURN_IF_ERROR(ReadPartitionSpecs(cursor, metadata));
  O2P_RETURN_IF_ERROR(ReadSortOrders(cursor, metadata));
  O2P_RETURN_IF_ERROR(ReadSnapshots(cursor, metadata));
  return metadata;
}

}  // namespace internal

std::string TableMetadataToJson(const TableMetadata& metadata) {
  return internal::SerializeJson(internal::TableMetadataToObject(metadata));
}

Result<TableMetadata> TableMetadataFromJson(std::string_view json) {
  O2P_ASSIGN_OR_RETURN(const boost::json::value document, internal::ParseJsonText(json));
  return internal::ReadTableMetadata(internal::JsonCursor(document, ""));
}

}  // namespace o2p::iceberg
