// Partition specs, sort orders and snapshots <-> JSON (Iceberg table spec, Appendix C).
#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/iceberg/internal/json_serde.h"
#include "o2p/iceberg/json.h"

namespace o2p::iceberg {
namespace internal {
namespace {

// Spec: partition field ids start at 1000 so they never collide with schema field ids.
constexpr int32_t kFirstPartitionFieldId = 1000;

Result<PartitionField> ReadPartitionField(const JsonCursor& cursor, int32_t default_field_id) {
  PartitionField field;
  O2P_ASSIGN_OR_RETURN(field.source_id, cursor.Required<int32_t>("source-id"));
  O2P_ASSIGN_OR_RETURN(field.field_id, cursor.OptionalOr<int32_t>("field-id", default_field_id));
  O2P_ASSIGN_OR_RETURN(field.name, cursor.Required<std::string>("name"));
  O2P_ASSIGN_OR_RETURN(field.transform, cursor.Required<std::string>("transform"));
  return field;
}

Result<bool> ReadAscending(const JsonCursor& cursor) {
  O2P_ASSIGN_OR_RETURN(JsonCursor direction_cursor, cursor.Member("direction"));
  O2P_ASSIGN_OR_RETURN(const std::string direction, direction_cursor.As<std::string>());
  if (direction == "asc") return true;
  if (direction == "desc") return false;
  return direction_cursor.Error(fmt::format("expected 'asc' or 'desc', got '{}'", direction));
}

Result<bool> ReadNullsFirst(const JsonCursor& cursor) {
  O2P_ASSIGN_OR_RETURN(JsonCursor order_cursor, cursor.Member("null-order"));
  O2P_ASSIGN_OR_RETURN(const std::string order, order_cursor.As<std::string>());
  if (order == "nulls-first") return true;
  if (order == "nulls-last") return false;
  return order_cursor.Error(fmt::format("expected 'nulls-first' or 'nulls-last', got '{}'", order));
}

Result<SortField> ReadSortField(const JsonCursor& cursor) {
  SortField field;
  O2P_ASSIGN_OR_RETURN(field.source_id, cursor.Required<int32_t>("source-id"));
  O2P_ASSIGN_OR_RETURN(field.transform, cursor.Required<std::string>("transform"));
  O2P_ASSIGN_OR_RETURN(field.ascending, ReadAscending(cursor));
  O2P_ASSIGN_OR_RETURN(field.nulls_first, ReadNullsFirst(cursor));
  return field;
}

// Spec: a v2 summary must hold "operation" (append, replace, overwrite or delete); v1
// snapshots may have no summary at all.
Result<std::map<std::string, std::string>> ReadSummary(const JsonCursor& cursor,
                                                       int format_version) {
  std::optional<JsonCursor> summary = cursor.FindMember("summary");
  if (!summary) {
    if (format_version == 1) return std::map<std::string, std::string>();
    return cursor.Error("missing required field 'summary'");
  }
  O2P_ASSIGN_OR_RETURN(auto map, summary->As<StringMap>());
  if (format_version >= 2 && map.find("operation") == map.end()) {
    return summary->Error("missing required field 'operation'");
  }
  return map;
}

}  // namespace

boost::json::array PartitionFieldsToArray(const PartitionSpec& spec) {
  boost::json::array fields;
  for (const PartitionField& field : spec.fields) {
    boost::json::object object;
    object["name"] = ToBoost(field.name);
    object["transform"] = ToBoost(field.transform);
    object["source-id"] = field.source_id;
    object["field-id"] = field.field_id;
    fields.push_back(std::move(object));
  }
  return fields;
}

boost::json::object PartitionSpecToObject(const PartitionSpec& spec) {
  boost::json::object object;
  object["spec-id"] = spec.spec_id;
  object["fields"] = PartitionFieldsToArray(spec);
  return object;
}

boost::json::object SortOrderToObject(const SortOrder& order) {
  boost::json::array fields;
  for (const SortField& field : order.fields) {
    boost::json::object object;
    object["transform"] = ToBoost(field.transform);
    object["source-id"] = field.source_id;
    object["direction"] = field.ascending ? "asc" : "desc";
    object["null-order"] = field.nulls_first ? "nulls-first" : "nulls-last";
    fields.push_back(std::move(object));
  }
  boost::json::object object;
  object["order-id"] = order.order_id;
  object["fields"] = std::move(fields);
  return object;
}

boost::json::object SnapshotToObject(const Snapshot& snapshot) {
  boost::json::object object;
  object["snapshot-id"] = snapshot.snapshot_id;
  if (snapshot.parent_snapshot_id) object["parent-snapshot-id"] = *snapshot.parent_snapshot_id;
  object["sequence-number"] = snapshot.sequence_number;
  object["timestamp-ms"] = snapshot.timestamp_ms;
  object["manifest-list"] = ToBoost(snapshot.manifest_list);
  object["summary"] = StringMapToJson(snapshot.summary);
  if (snapshot.schema_id) object["schema-id"] = *snapshot.schema_id;
  return object;
}

Result<std::vector<PartitionField>> ReadPartitionFields(const JsonCursor& fields) {
  O2P_ASSIGN_OR_RETURN(std::vector<JsonCursor> elements, fields.Elements());
  std::vector<PartitionField> result;
  result.reserve(elements.size());
  for (std::size_t index = 0; index < elements.size(); ++index) {
    const int32_t default_id = kFirstPartitionFieldId + static_cast<int32_t>(index);
    O2P_ASSIGN_OR_RETURN(PartitionField field, ReadPartitionField(elements[index], default_id));
    result.push_back(std::move(field));
  }
  return result;
}

Result<PartitionSpec> ReadPartitionSpec(const JsonCursor& cursor) {
  O2P_RETURN_IF_ERROR(cursor.ExpectObject());
  PartitionSpec spec;
  // "spec-id" is read-only in requests, so a spec inside a CreateTableRequest may lack it.
  O2P_ASSIGN_OR_RETURN(spec.spec_id, cursor.OptionalOr<int32_t>("spec-id", 0));
  O2P_ASSIGN_OR_RETURN(JsonCursor fields, cursor.Member("fields"));
  O2P_ASSIGN_OR_RETURN(spec.fields, ReadPartitionFields(fields));
  return spec;
}

Result<SortOrder> ReadSortOrder(const JsonCursor& cursor) {
  O2P_RETURN_IF_ERROR(cursor.ExpectObject());
  SortOrder order;
  O2P_ASSIGN_OR_RETURN(order.order_id, cursor.Required<int32_t>("order-id"));
  O2P_ASSIGN_OR_RETURN(JsonCursor fields, cursor.Member("fields"));
  O2P_ASSIGN_OR_RETURN(std::vector<JsonCursor> elements, fields.Elements());
  for (const JsonCursor& element : elements) {
    O2P_ASSIGN_OR_RETURN(SortField field, ReadSortField(element));
    order.fields.push_back(std::move(field));
  }
  return order;
}

Result<Snapshot> ReadSnapshot(const JsonCursor& cursor, int format_version) {
  O2P_RETURN_IF_ERROR(cursor.ExpectObject());
  Snapshot snapshot;
  O2P_ASSIGN_OR_RETURN(snapshot.snapshot_id, cursor.Required<int64_t>("snapshot-id"));
  O2P_ASSIGN_OR_RETURN(snapshot.parent_snapshot_id, cursor.Optional<int64_t>("parent-snapshot-id"));
  O2P_ASSIGN_OR_RETURN(snapshot.sequence_number, cursor.OptionalOr<int64_t>("sequence-number", 0));
  O2P_ASSIGN_OR_RETURN(snapshot.timestamp_ms, cursor.Required<int64_t>("timestamp-ms"));
  // v1 snapshots could list their manifests inline instead of naming a manifest list.
  if (format_version == 1 && !cursor.Has("manifest-list") && cursor.Has("manifests")) {
    snapshot.manifest_list.clear();
  } else {
    O2P_ASSIGN_OR_RETURN(snapshot.manifest_list, cursor.Required<std::string>("manifest-list"));
  }
  O2P_ASSIGN_OR_RETURN(snapshot.summary, ReadSummary(cursor, format_version));
  O2P_ASSIGN_OR_RETURN(snapshot.schema_id, cursor.Optional<int32_t>("schema-id"));
  return snapshot;
}

}  // namespace internal

std::string PartitionSpecToJson(const PartitionSpec& spec) {
  return internal::SerializeJson(internal::PartitionSpecToObject(spec));
}

std::string PartitionFieldsToJson(const PartitionSpec& spec) {
  return internal::SerializeJson(internal::PartitionFieldsToArray(spec));
}

Result<PartitionSpec> PartitionSpecFromJson(std::string_view json) {
  O2P_ASSIGN_OR_RETURN(const boost::json::value document, internal::ParseJsonText(json));
  return internal::ReadPartitionSpec(internal::JsonCursor(document, ""));
}

std::string SortOrderToJson(const SortOrder& order) {
  return internal::SerializeJson(internal::SortOrderToObject(order));
}

Result<SortOrder> SortOrderFromJson(std::string_view json) {
  O2P_ASSIGN_OR_RETURN(const boost::json::value document, internal::ParseJsonText(json));
  return internal::ReadSortOrder(internal::JsonCursor(document, ""));
}

std::string SnapshotToJson(const Snapshot& snapshot) {
  return internal::SerializeJson(internal::SnapshotToObject(snapshot));
}

Result<Snapshot> SnapshotFromJson(std::string_view json) {
  O2P_ASSIGN_OR_RETURN(const boost::json::value document, internal::ParseJsonText(json));
  return internal::ReadSnapshot(internal::JsonCursor(document, ""), /*format_version=*/2);
}

}  // namespace o2p::iceberg
