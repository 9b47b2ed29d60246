// REST catalog responses we read and the namespace/table creation requests we send
// (rest-catalog-open-api.yaml: LoadTableResult, CatalogConfig, ErrorModel,
// CreateNamespaceRequest, CreateTableRequest).
#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/iceberg/internal/json_serde.h"
#include "o2p/iceberg/json.h"

namespace o2p::iceberg {
namespace {

using internal::JsonCursor;
using internal::StringMap;
using internal::ToBoost;

Result<std::vector<std::string>> ReadStrings(const JsonCursor& array) {
  O2P_ASSIGN_OR_RETURN(std::vector<JsonCursor> elements, array.Elements());
  std::vector<std::string> strings;
  strings.reserve(elements.size());
  for (const JsonCursor& element : elements) {
    O2P_ASSIGN_OR_RETURN(std::string text, element.As<std::string>());
    strings.push_back(std::move(text));
  }
  return strings;
}

Result<std::vector<StorageCredential>> ReadStorageCredentials(const JsonCursor& array) {
  O2P_ASSIGN_OR_RETURN(std::vector<JsonCursor> elements, array.Elements());
  std::vector<StorageCredential> credentials;
  for (const JsonCursor& element : elements) {
    StorageCredential credential;
    O2P_ASSIGN_OR_RETURN(credential.prefix, element.Required<std::string>("prefix"));
    O2P_ASSIGN_OR_RETURN(credential.config, element.Required<StringMap>("config"));
    credentials.push_back(std::move(credential));
  }
  return credentials;
}

boost::json::array StringsToArray(const std::vector<std::string>& strings) {
  boost::json::array array;
  for (const std::string& text : strings) array.emplace_back(ToBoost(text));
  return array;
}

}  // namespace

Result<LoadTableResult> ParseLoadTableResult(std::string_view json) {
  O2P_ASSIGN_OR_RETURN(const boost::json::value document, internal::ParseJsonText(json));
  const JsonCursor root(document, "");
  LoadTableResult result;
  O2P_ASSIGN_OR_RETURN(result.metadata_location, root.Optional<std::string>("metadata-location"));
  O2P_ASSIGN_OR_RETURN(JsonCursor metadata, root.Member("metadata"));
  O2P_ASSIGN_OR_RETURN(result.metadata, internal::ReadTableMetadata(metadata));
  O2P_ASSIGN_OR_RETURN(result.config, root.OptionalOr<StringMap>("config", {}));
  if (std::optional<JsonCursor> credentials = root.FindMember("storage-credentials")) {
    O2P_ASSIGN_OR_RETURN(result.storage_credentials, ReadStorageCredentials(*credentials));
  }
  return result;
}

Result<CatalogConfig> ParseCatalogConfig(std::string_view json) {
  O2P_ASSIGN_OR_RETURN(const boost::json::value document, internal::ParseJsonText(json));
  const JsonCursor root(document, "");
  O2P_RETURN_IF_ERROR(root.ExpectObject());
  CatalogConfig config;
  O2P_ASSIGN_OR_RETURN(config.defaults, root.OptionalOr<StringMap>("defaults", {}));
  O2P_ASSIGN_OR_RETURN(config.overrides, root.OptionalOr<StringMap>("overrides", {}));
  if (std::optional<JsonCursor> endpoints = root.FindMember("endpoints")) {
    O2P_ASSIGN_OR_RETURN(config.endpoints, ReadStrings(*endpoints));
  }
  O2P_ASSIGN_OR_RETURN(config.idempotency_key_lifetime,
                       root.Optional<std::string>("idempotency-key-lifetime"));
  return config;
}

Result<ErrorResponse> ParseErrorResponse(std::string_view json) {
  O2P_ASSIGN_OR_RETURN(const boost::json::value document, internal::ParseJsonText(json));
  O2P_ASSIGN_OR_RETURN(const JsonCursor error, JsonCursor(document, "").Member("error"));
  ErrorResponse response;
  O2P_ASSIGN_OR_RETURN(response.message, error.Required<std::string>("message"));
  O2P_ASSIGN_OR_RETURN(response.type, error.Required<std::string>("type"));
  O2P_ASSIGN_OR_RETURN(response.code, error.Required<int32_t>("code"));
  if (std::optional<JsonCursor> stack = error.FindMember("stack")) {
    O2P_ASSIGN_OR_RETURN(response.stack, ReadStrings(*stack));
  }
  return response;
}

std::string CreateNamespaceRequestToJson(const CreateNamespaceRequest& request) {
  boost::json::object object;
  object["namespace"] = StringsToArray(request.namespace_levels);
  object["properties"] = internal::StringMapToJson(request.properties);
  return internal::SerializeJson(object);
}

std::string CreateTableRequestToJson(const CreateTableRequest& request) {
  boost::json::object object;
  object["name"] = ToBoost(request.name);
  if (request.location) object["location"] = ToBoost(*request.location);
  object["schema"] = internal::SchemaToObject(request.schema);
  if (request.partition_spec) {
    object["partition-spec"] = internal::PartitionSpecToObject(*request.partition_spec);
  }
  if (request.write_order) {
    object["write-order"] = internal::SortOrderToObject(*request.write_order);
  }
  if (request.stage_create) object["stage-create"] = true;
  object["properties"] = internal::StringMapToJson(request.properties);
  return internal::SerializeJson(object);
}

}  // namespace o2p::iceberg
