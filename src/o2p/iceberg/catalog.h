// Catalog: the four operations a writer needs from an Iceberg catalog, whatever keeps the
// table's metadata pointer — a REST catalog (rest/catalog.h) or a directory of metadata files
// (dir_catalog.h). AppendFiles and the pipeline's table setup use only this interface.
#pragma once

#include <string>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/iceberg/commit.h"
#include "o2p/iceberg/json.h"

namespace o2p::iceberg {

struct TableName {
  std::vector<std::string> namespace_levels;
  std::string name;
  /// "otel.logs" for messages.
  std::string ToString() const;
};

class Catalog {
 public:
  virtual ~Catalog() = default;
  /// Creates the namespace when it is missing; OK when it exists.
  virtual Status EnsureNamespace(const std::vector<std::string>& levels) = 0;
  /// NOT_FOUND when the table does not exist.
  virtual Result<LoadTableResult> LoadTable(const TableName& table) = 0;
  /// Loads the table, or creates it with `create` when it does not exist (someone creating it
  /// meanwhile is fine). Never drops or replaces a table.
  virtual Result<LoadTableResult> LoadOrCreateTable(const TableName& table,
                                                    const CreateTableRequest& create) = 0;
  /// One attempt. ABORTED when a requirement failed (reload and retry), UNKNOWN when the outcome
  /// is unknown (reload and look before retrying); other codes for requests that cannot work.
  virtual Result<LoadTableResult> CommitTable(const TableName& table,
                                              const CommitTableRequest& request) = 0;
};

}  // namespace o2p::iceberg
