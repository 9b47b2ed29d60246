// CommitTableRequest -> JSON (rest-catalog-open-api.yaml: TableRequirement, TableUpdate).
// Each requirement starts with its "type" and each update with its "action", the
// discriminators the spec defines, followed by that object's own fields.
#include <variant>

#include "o2p/iceberg/internal/json_serde.h"
#include "o2p/iceberg/json.h"

namespace o2p::iceberg {
namespace {

using internal::ToBoost;

boost::json::object Tagged(std::string_view key, std::string_view tag) {
  boost::json::object object;
  object[ToBoost(key)] = ToBoost(tag);
  return object;
}

boost::json::object Requirement(std::string_view type) { return Tagged("type", type); }
boost::json::object Update(std::string_view action) { return Tagged("action", action); }

boost::json::object ToObject(const AssertCreate& /*requirement*/) {
  return Requirement("assert-create");
}

boost::json::object ToObject(const AssertTableUuid& requirement) {
  boost::json::object object = Requirement("assert-table-uuid");
  object["uuid"] = ToBoost(requirement.uuid);
  return object;
}

boost::json::object ToObject(const AssertRefSnapshotId& requirement) {
  boost::json::object object = Requirement("assert-ref-snapshot-id");
  object["ref"] = ToBoost(requirement.ref);
  // null is meaningful here: the ref must not exist yet.
  object["snapshot-id"] = requirement.snapshot_id ? boost::json::value(*requirement.snapshot_id)
                                                  : boost::json::value(nullptr);
  return object;
}

boost::json::object ToObject(const AssertCurrentSchemaId& requirement) {
  boost::json::object object = Requirement("assert-current-schema-id");
  object["current-schema-id"] = requirement.current_schema_id;
  return object;
}

boost::json::object ToObject(const AssertLastAssignedFieldId& requirement) {
  boost::json::object object = Requirement("assert-last-assigned-field-id");
  object["last-assigned-field-id"] = requirement.last_assigned_field_id;
  return object;
}

boost::json::object ToObject(const AssertDefaultSpecId& requirement) {
  boost::json::object object = Requirement("assert-default-spec-id");
  object["default-spec-id"] = requirement.default_spec_id;
  return object;
}

boost::json::object ToObject(const AddSnapshot& update) {
  boost::json::object object = Update("add-snapshot");
  object["snapshot"] = internal::SnapshotToObject(update.snapshot);
  return object;
}

boost::json::object ToObject(const SetSnapshotRef& update) {
  boost::json::object object = Update("set-snapshot-ref");
  object["ref-name"] = ToBoost(update.ref_name);
  object["type"] = ToBoost(update.ref.type);
  object["snapshot-id"] = update.ref.snapshot_id;
  return object;
}

boost::json::object ToObject(const AddSchema& update) {
  boost::json::object object = Update("add-schema");
  object["schema"] = internal::SchemaToObject(update.schema);
  object["last-column-id"] = update.last_column_id;
  return object;
}

boost::json::object ToObject(const SetCurrentSchema& update) {
  boost::json::object object = Update("set-current-schema");
  object["schema-id"] = update.schema_id;
  return object;
}

boost::json::object ToObject(const SetProperties& update) {
  boost::json::object object = Update("set-properties");
  object["updates"] = internal::StringMapToJson(update.updates);
  return object;
}

boost::json::object IdentifierToObject(const TableIdentifier& identifier) {
  boost::json::array levels;
  for (const std::string& level : identifier.namespace_levels) levels.emplace_back(ToBoost(level));
  boost::json::object object;
  object["namespace"] = std::move(levels);
  object["name"] = ToBoost(identifier.name);
  return object;
}

template <typename Variant>
boost::json::array VariantsToArray(const std::vector<Variant>& items) {
  boost::json::array array;
  for (const Variant& item : items) {
    array.push_back(
        std::visit([](const auto& alternative) { return ToObject(alternative); }, item));
  }
  return array;
}

}  // namespace

std::string CommitTableRequestToJson(const CommitTableRequest& request) {
  boost::json::object object;
  if (request.identifier) object["identifier"] = IdentifierToObject(*request.identifier);
  object["requirements"] = VariantsToArray(request.requirements);
  object["updates"] = VariantsToArray(request.updates);
  return internal::SerializeJson(object);
}

}  // namespace o2p::iceberg
