#include "o2p/iceberg/rest/catalog.h"

#include <fmt/format.h>

#include "o2p/base/macros.h"

namespace o2p::iceberg::rest {
namespace {

using storage::http::UriEncode;

bool Ok(const RestResponse& response) { return response.status >= 200 && response.status < 300; }

StatusCode CodeForHttpStatus(int status) {
  switch (status) {
    case 409: return StatusCode::kAborted;
    case 404: return StatusCode::kNotFound;
    case 401:
    case 403:
    case 419: return StatusCode::kPermissionDenied;
    default: break;
  }
  if (status >= 500) return StatusCode::kUnavailable;
  return StatusCode::kInvalidArgument;
}

// Unescaped "%1F" and friends in the separator property ("namespace-separator").
std::string DecodeSeparator(std::string_view value) {
  if (value.size() == 3 && value[0] == '%') {
    return std::string(1, static_cast<char>(std::stoi(std::string(value.substr(1)), nullptr, 16)));
  }
  return std::string(value);
}

}  // namespace

Status CatalogError(std::string_view what, const RestResponse& response) {
  std::string detail;
  if (auto error = ParseErrorResponse(response.body); error.ok()) {
    detail = fmt::format("{}: {}", error->type, error->message);
  } else {
    detail = response.body.substr(0, 200);
  }
  return Status(CodeForHttpStatus(response.status),
                fmt::format("{}: HTTP {}: {}", what, response.status, detail));
}

Result<std::unique_ptr<RestCatalog>> RestCatalog::Connect(RestTransport& transport,
                                                          const std::string& warehouse,
                                                          std::string access_delegation) {
  const std::string path =
      warehouse.empty() ? "config" : "config?warehouse=" + UriEncode(warehouse, false);
  O2P_ASSIGN_OR_RETURN(RestResponse response, transport.Call("GET", path, "", true));
  if (!Ok(response)) {
    return CatalogError(fmt::format("Iceberg catalog {}: GET /v1/config",
                                    transport.endpoint().ToString()),
                        response);
  }
  O2P_ASSIGN_OR_RETURN(CatalogConfig config, ParseCatalogConfig(response.body));
  std::map<std::string, std::string> properties = config.defaults;
  for (const auto& [key, value] : config.overrides) properties[key] = value;
  auto catalog = std::unique_ptr<RestCatalog>(new RestCatalog(transport, std::move(properties)));
  catalog->access_delegation_ = std::move(access_delegation);
  return catalog;
}

std::vector<storage::http::Header> RestCatalog::TableHeaders() const {
  if (access_delegation_.empty()) return {};
  return {{"X-Iceberg-Access-Delegation", access_delegation_}};
}

RestCatalog::RestCatalog(RestTransport& transport, std::map<std::string, std::string> properties)
    : transport_(transport), properties_(std::move(properties)) {
  if (auto it = properties_.find("prefix"); it != properties_.end() && !it->second.empty()) {
    // The prefix is one path parameter: a '/' inside it is encoded (S3 Tables' prefix is an
    // ARN-derived string with slashes, which its server expects encoded).
    prefix_path_ = UriEncode(it->second, false) + "/";
  }
  auto separator = properties_.find("namespace-separator");
  separator_ = separator == properties_.end() ? "\x1f" : DecodeSeparator(separator->second);
}

std::string RestCatalog::NamespacePath(const std::vector<std::string>& levels) const {
  return prefix_path_ + "namespaces/" + EncodeNamespace(levels, separator_);
}

std::string RestCatalog::TablePath(const TableName& table) const {
  return NamespacePath(table.namespace_levels) + "/tables/" + UriEncode(table.name, false);
}

Status RestCatalog::EnsureNamespace(const std::vector<std::string>& levels) {
  const std::string what = "namespace " + TableName{levels, ""}.ToString();
  O2P_ASSIGN_OR_RETURN(RestResponse existing,
                       transport_.Call("GET", NamespacePath(levels), "", true));
  if (Ok(existing)) return Status::Ok();
  if (existing.status != 404) return CatalogError("loading " + what, existing);
  const std::string body = CreateNamespaceRequestToJson({.namespace_levels = levels, .properties = {}});
  O2P_ASSIGN_OR_RETURN(RestResponse created,
                       transport_.Call("POST", prefix_path_ + "namespaces", body, true));
  if (Ok(created) || created.status == 409) return Status::Ok();
  return CatalogError("creating " + what, created);
}

Result<LoadTableResult> RestCatalog::LoadTable(const TableName& table) {
  O2P_ASSIGN_OR_RETURN(RestResponse response,
                       transport_.Call("GET", TablePath(table), "", true, TableHeaders()));
  if (!Ok(response)) return CatalogError("loading table " + table.ToString(), response);
  return ParseLoadTableResult(response.body);
}

Result<LoadTableResult> RestCatalog::LoadOrCreateTable(const TableName& table,
                                                       const CreateTableRequest& create) {
  Result<LoadTableResult> loaded = LoadTable(table);
  if (loaded.ok() || loaded.status().code() != StatusCode::kNotFound) return loaded;
  const std::string body = CreateTableRequestToJson(create);
  O2P_ASSIGN_OR_RETURN(
      RestResponse response,
      transport_.Call("POST", NamespacePath(table.namespace_levels) + "/tables", body, true,
                      TableHeaders()));
  if (response.status == 409) return LoadTable(table);  // created by another writer meanwhile
  if (!Ok(response)) return CatalogError("creating table " + table.ToString(), response);
  return ParseLoadTableResult(response.body);
}

Result<LoadTableResult> RestCatalog::CommitTable(const TableName& table,
                                                 const CommitTableRequest& request) {
  const std::string what = "committing to " + table.ToString();
  Result<RestResponse> response =
      transport_.Call("POST", TablePath(table), CommitTableRequestToJson(request), false);
  if (!response.ok()) {
    // The request may have reached the catalog: only a reload can tell.
    return Status(StatusCode::kUnknown,
                  fmt::format("{}: outcome unknown: {}", what, response.status().message()));
  }
  if (Ok(*response)) return ParseLoadTableResult(response->body);
  Status error = CatalogError(what, *response);
  if (response->status >= 500) return Status(StatusCode::kUnknown, error.message());
  return error;
}

}  // namespace o2p::iceberg::rest
