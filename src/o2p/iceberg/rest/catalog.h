// RestCatalog: the catalog operations a writer needs, over RestTransport and iceberg/json.h.
//
//   1. Connect: GET /v1/config?warehouse=W; properties = defaults, then overrides (we have no
//      client-side catalog properties); "prefix" and "namespace-separator" shape every path.
//   2. EnsureNamespace: GET the namespace, create it when missing (409 = someone else did).
//   3. LoadOrCreateTable: load; when missing, create with our schema, partition spec, sort
//      order and properties (409 = created meanwhile: load again). Never drops a table.
//   4. CommitTable: one POST; the caller's commit loop owns retries and conflict handling.
// Errors carry the catalog's error type and message ("CommitFailedException: …").
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/iceberg/catalog.h"
#include "o2p/iceberg/commit.h"
#include "o2p/iceberg/json.h"
#include "o2p/iceberg/rest/rest_transport.h"

namespace o2p::iceberg::rest {

using iceberg::TableName;

class RestCatalog final : public Catalog {
 public:
  /// Step 1. `transport` must outlive the catalog.
  /// `access_delegation` (e.g. "vended-credentials") is sent as X-Iceberg-Access-Delegation
  /// when loading and creating tables; empty sends none (catalogs that cannot vend may refuse
  /// requests carrying it).
  static Result<std::unique_ptr<RestCatalog>> Connect(RestTransport& transport,
                                                      const std::string& warehouse,
                                                      std::string access_delegation = {});

  Status EnsureNamespace(const std::vector<std::string>& levels) override;
  /// NOT_FOUND when the table does not exist.
  Result<LoadTableResult> LoadTable(const TableName& table) override;
  Result<LoadTableResult> LoadOrCreateTable(const TableName& table,
                                            const CreateTableRequest& create) override;
  /// Error codes: ABORTED for 409 (a requirement failed: reload and retry), UNKNOWN when the
  /// outcome is unknown (5xx, timeouts, connection lost after sending), NOT_FOUND, and
  /// INVALID_ARGUMENT / FAILED_PRECONDITION / PERMISSION_DENIED for requests that cannot work.
  Result<LoadTableResult> CommitTable(const TableName& table,
                                      const CommitTableRequest& request) override;

  /// The merged catalog properties (defaults overridden by overrides).
  const std::map<std::string, std::string>& properties() const { return properties_; }

 private:
  RestCatalog(RestTransport& transport, std::map<std::string, std::string> properties);
  std::string NamespacePath(const std::vector<std::string>& levels) const;
  std::string TablePath(const TableName& table) const;

  RestTransport& transport_;
  std::map<std::string, std::string> properties_;
  std::string prefix_path_;  // "" or "<encoded prefix>/"
  std::string separator_;
  std::string access_delegation_;
  std::vector<storage::http::Header> TableHeaders() const;
};

/// The Status for a non-2xx catalog answer: the error body's type and message, mapped by HTTP
/// status (409 ABORTED, 404 NOT_FOUND, 401/403 PERMISSION_DENIED, 400/422 INVALID_ARGUMENT,
/// 5xx UNAVAILABLE).
Status CatalogError(std::string_view what, const RestResponse& response);

}  // namespace o2p::iceberg::rest
