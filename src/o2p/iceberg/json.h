// JSON for the Iceberg model and the REST catalog messages we send and receive
// (Iceberg table spec "Appendix C: JSON serialization" and rest-catalog-open-api.yaml).
//
// Everything here takes and returns JSON text; Boost.JSON stays inside the .cc files.
//   - *ToJson writes compact JSON with a fixed member order, so outputs can be compared as text.
//     Table metadata is written as format version 2 with every field v2 requires.
//   - *FromJson / Parse* read leniently where real catalogs differ (format v1 layouts, unknown
//     members ignored, null read as absent) and strictly where a wrong value would corrupt a
//     commit. Errors are INVALID_ARGUMENT and start with the JSON path of the offending value,
//     e.g. "metadata.schemas[2].fields[0].type: unknown primitive type 'strin'".
//
// Commit response bodies ({metadata-location, metadata}) have the LoadTableResult shape, so
// ParseLoadTableResult reads them too.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/iceberg/commit.h"
#include "o2p/iceberg/model.h"

namespace o2p::iceberg {

// ---- Model types ---------------------------------------------------------------------------

/// A primitive as its JSON string ("decimal(9,2)"), or a struct/list/map object.
std::string TypeToJson(const Type& type);
Result<TypePtr> TypeFromJson(std::string_view json);

/// {"type":"struct","schema-id":…,"identifier-field-ids":[…]?,"fields":[…]}.
std::string SchemaToJson(const Schema& schema);
Result<Schema> SchemaFromJson(std::string_view json);

/// {"spec-id":…,"fields":[{"name","transform","source-id","field-id"}]}.
std::string PartitionSpecToJson(const PartitionSpec& spec);
Result<PartitionSpec> PartitionSpecFromJson(std::string_view json);
/// Only the fields array: the "partition-spec" key of a manifest's Avro metadata.
std::string PartitionFieldsToJson(const PartitionSpec& spec);

/// {"order-id":…,"fields":[{"transform","source-id","direction","null-order"}]}.
std::string SortOrderToJson(const SortOrder& order);
Result<SortOrder> SortOrderFromJson(std::string_view json);

/// A snapshot as in table metadata and the add-snapshot update; summary must hold "operation".
std::string SnapshotToJson(const Snapshot& snapshot);
Result<Snapshot> SnapshotFromJson(std::string_view json);

/// Table metadata as a metadata.json file holds it. Reading accepts format versions 1 to 3;
/// writing emits the v2 field set (plus v1's "schema"/"partition-spec" when format_version is
/// 1, which v1 readers require).
std::string TableMetadataToJson(const TableMetadata& metadata);
Result<TableMetadata> TableMetadataFromJson(std::string_view json);

// ---- REST responses ------------------------------------------------------------------------

/// One entry of LoadTableResult "storage-credentials": config for paths under prefix.
struct StorageCredential {
  std::string prefix;
  std::map<std::string, std::string> config;
};

/// The body of loadTable, createTable and (without config) updateTable responses.
struct LoadTableResult {
  /// Absent for a staged create.
  std::optional<std::string> metadata_location;
  TableMetadata metadata;
  /// Table-specific client config, e.g. "s3.access-key-id" or "client.region".
  std::map<std::string, std::string> config;
  std::vector<StorageCredential> storage_credentials;
};
Result<LoadTableResult> ParseLoadTableResult(std::string_view json);

/// GET /v1/config. Properties apply as defaults, then client config, then overrides.
struct CatalogConfig {
  std::map<std::string, std::string> defaults;
  std::map<std::string, std::string> overrides;
  /// "<VERB> <path>" strings; empty when the server does not advertise them.
  std::vector<std::string> endpoints;
  /// ISO-8601 duration ("PT1H"); present only when the server honours Idempotency-Key.
  std::optional<std::string> idempotency_key_lifetime;
};
/// Missing "defaults"/"overrides" read as empty maps, although the spec requires them.
Result<CatalogConfig> ParseCatalogConfig(std::string_view json);

/// {"error":{"message","type","code","stack"?}}: the body of every REST error response.
struct ErrorResponse {
  std::string message;
  std::string type;  // e.g. "CommitFailedException", "NoSuchTableException"
  int32_t code = 0;  // the HTTP status the server meant
  std::vector<std::string> stack;
};
Result<ErrorResponse> ParseErrorResponse(std::string_view json);

// ---- REST requests -------------------------------------------------------------------------

/// POST /v1/{prefix}/namespaces.
struct CreateNamespaceRequest {
  std::vector<std::string> namespace_levels;
  std::map<std::string, std::string> properties;
};
std::string CreateNamespaceRequestToJson(const CreateNamespaceRequest& request);

/// POST /v1/{prefix}/namespaces/{namespace}/tables. The server assigns fresh ids to the
/// schema, spec and sort order; source ids refer to this request's schema.
struct CreateTableRequest {
  std::string name;
  Schema schema;
  std::optional<std::string> location;
  std::optional<PartitionSpec> partition_spec;
  std::optional<SortOrder> write_order;
  bool stage_create = false;
  std::map<std::string, std::string> properties;
};
std::string CreateTableRequestToJson(const CreateTableRequest& request);

/// {"identifier"?,"requirements":[…],"updates":[…]} with members in the order they are listed.
std::string CommitTableRequestToJson(const CommitTableRequest& request);

}  // namespace o2p::iceberg
