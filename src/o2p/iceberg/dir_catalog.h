// DirectoryCatalog: Iceberg tables without a catalog service, for people with no cloud catalog
// (OTLP2PARQUET_ICEBERG_CATALOG=dir:PATH). A table is a folder PATH/{namespace levels}/{name}
// holding the usual data/ and metadata/ folders; its metadata pointer is the file system itself:
//
//   metadata/v1.metadata.json, v2.metadata.json, ...   one file per commit, never rewritten
//   metadata/version-hint.text                          the current version number
//
// This is the layout Iceberg's "Hadoop" tables use, so engines that take a metadata file path
// read it (DuckDB: iceberg_scan('.../metadata/v3.metadata.json'), Spark's HadoopCatalog, …).
//
// A commit reads the current version N, checks the request's requirements against it (409-like
// ABORTED when one fails), applies the updates and publishes v{N+1} by hard-linking a complete
// temporary file to its final name, which fails when the name exists: of two writers racing for
// the same version exactly one wins, the other gets ABORTED and retries on the new version. The
// version hint is then replaced by rename. Readers that trust the hint may briefly see the
// previous version; we also look past the hint for newer versions on load.
//
// It serves ONE WRITER PROCESS well; several processes on one local file system are safe (the
// link is atomic) but contend; on network file systems without atomic link (some NFS setups,
// object-store mounts) it is not safe at all — use a REST catalog there.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "o2p/iceberg/catalog.h"

namespace o2p::iceberg {

class DirectoryCatalog final : public Catalog {
 public:
  /// `root` is a local directory (created when missing).
  static Result<std::unique_ptr<DirectoryCatalog>> Open(const std::string& root);

  Status EnsureNamespace(const std::vector<std::string>& levels) override;
  Result<LoadTableResult> LoadTable(const TableName& table) override;
  Result<LoadTableResult> LoadOrCreateTable(const TableName& table,
                                            const CreateTableRequest& create) override;
  Result<LoadTableResult> CommitTable(const TableName& table,
                                      const CommitTableRequest& request) override;

  /// PATH/{levels}/{name}.
  std::string TableDirectory(const TableName& table) const;

 private:
  explicit DirectoryCatalog(std::string root) : root_(std::move(root)) {}
  std::string root_;  // absolute
};

/// Applies `request` to `metadata` as a catalog would: ABORTED when a requirement fails,
/// INVALID_ARGUMENT for an update that cannot apply. Updates last-updated-ms to `now_ms`.
Result<TableMetadata> ApplyCommit(TableMetadata metadata, const CommitTableRequest& request,
                                  int64_t now_ms);

/// The metadata of a new table: ids as given (the caller assigns fresh ones), spec and order
/// as given or unpartitioned/unsorted, a random UUID, no snapshot.
TableMetadata NewTableMetadata(const CreateTableRequest& create, std::string location,
                               int64_t now_ms);

}  // namespace o2p::iceberg
