// IcebergCommitter: the FileCommitter of Iceberg mode (docs/iceberg.md, "Serve wiring").
//
// At start, PrepareIcebergTable makes each of our tables ready to take files:
//   1. load the table, or create it (our schema, day(Timestamp), sort order, properties) —
//      never dropped or re-created;
//   2. map our schema onto the table's current one; columns the table lacks are added (optional,
//      fresh ids) with add-schema + set-current-schema, guarded by assert-current-schema-id and
//      assert-last-assigned-field-id (a 409 reloads and maps again);
//   3. remember the schema and spec files are written against: our columns under the table's
//      field ids, the table schema's JSON as "iceberg.schema" in every footer.
// Then, for every epoch the Batcher finishes, Commit appends each table's files as one
// snapshot with commit id "{instance}-{epoch}-{table}" (AppendFiles, exactly once: a retry or a
// replay after a crash finds its snapshot and does nothing).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "o2p/base/metrics.h"
#include "o2p/base/result.h"
#include "o2p/columnar/data_type.h"
#include "o2p/iceberg/append_commit.h"
#include "o2p/iceberg/catalog.h"
#include "o2p/iceberg/file_io.h"
#include "o2p/iceberg/model.h"
#include "o2p/pipeline/file_committer.h"

namespace o2p::pipeline {

/// One of our tables as it exists in the catalog.
struct IcebergTable {
  iceberg::TableName name;
  /// The table's location URI; data files go under {location}/data/.
  std::string location;
  /// The current schema (with any columns we added) and the default spec.
  iceberg::Schema schema;
  iceberg::PartitionSpec spec;
  /// Our columnar schema under the table's field ids: what the Parquet writer gets.
  columnar::SchemaPtr file_schema;
  /// Columns this process added to the table (none: empty), for the start-up log.
  std::vector<std::string> added_columns;
  /// What the catalog said about the table's storage (iceberg/vended_credentials.h): vended
  /// S3 credentials, endpoint, region.
  std::map<std::string, std::string> storage_properties;
};

struct PrepareOptions {
  /// Base location for a table we create ("{base}/{namespace levels}/{name}"); empty lets the
  /// catalog choose.
  std::string data_location;
  /// Attempts at the schema update when other writers change the table meanwhile.
  int schema_update_attempts = 5;
};

/// Steps 1-3 for one table. `ours` is the columnar schema we write (with our field ids).
/// FAILED_PRECONDITION when our columns cannot be written into the existing table (type
/// conflict, a required column we lack) or its default spec uses a transform we cannot compute.
Result<IcebergTable> PrepareIcebergTable(iceberg::Catalog& catalog, const iceberg::TableName& name,
                                         const columnar::Schema& ours,
                                         const PrepareOptions& options = {});

class IcebergCommitter final : public FileCommitter {
 public:
  /// `tables` is keyed by our table name ("logs", ...); `instance_id` must be a safe path
  /// segment, stable across restarts with a WAL (its instance id) and unique per process
  /// without one. `catalog`, `io` and `metrics` (may be null) must outlive the committer.
  IcebergCommitter(iceberg::Catalog& catalog, iceberg::FileIO& io,
                   std::map<std::string, IcebergTable, std::less<>> tables, std::string instance_id,
                   MetricsRegistry* metrics, iceberg::AppendOptions append_options = {});

  FileLayout LayoutFor(std::string_view table) const override;
  /// One AppendFiles per table with files in this epoch, in table order; tables already
  /// committed by an earlier call for the same epoch are found by their commit id.
  Status Commit(uint64_t epoch, std::span<const WrittenFile> files) override;
  Status CommitUnless(uint64_t epoch, std::span<const WrittenFile> files,
                      const std::atomic<bool>& stop) override;

  /// "{instance}-{epoch}-{table}".
  std::string CommitId(uint64_t epoch, std::string_view table) const;

 private:
  Status CommitTable(uint64_t epoch, const IcebergTable& table, const std::atomic<bool>& stop,
                     std::span<const WrittenFile* const> files);

  iceberg::Catalog& catalog_;
  iceberg::FileIO& io_;
  std::map<std::string, IcebergTable, std::less<>> tables_;
  std::map<std::string, std::string, std::less<>> schema_json_;  // per table, for footers
  std::string instance_id_;
  MetricsRegistry* metrics_;
  iceberg::AppendOptions append_options_;
};

}  // namespace o2p::pipeline
