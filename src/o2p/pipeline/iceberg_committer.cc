#include "o2p/pipeline/iceberg_committer.h"

#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "o2p/base/log.h"
#include "o2p/base/macros.h"
#include "o2p/iceberg/json.h"
#include "o2p/iceberg/schema_evolution.h"
#include "o2p/iceberg/vended_credentials.h"
#include "o2p/pipeline/data_file.h"
#include "o2p/pipeline/iceberg_schema.h"

namespace o2p::pipeline {
namespace {

using iceberg::TableName;

iceberg::CreateTableRequest CreateRequest(const TableName& name, const iceberg::Schema& schema,
                                          const PrepareOptions& options) {
  iceberg::CreateTableRequest create;
  create.name = name.name;
  create.schema = schema;
  if (!options.data_location.empty()) {
    std::string location = options.data_location;
    while (!location.empty() && location.back() == '/') location.pop_back();
    for (const std::string& level : name.namespace_levels) location += "/" + level;
    create.location = location + "/" + name.name;
  }
  create.partition_spec = DayPartitionSpec(schema);
  create.write_order = DefaultSortOrder(schema);
  create.properties = DefaultTableProperties();
  return create;
}

// MakeDataFile computes day and hour partition values; a table partitioned any other way
// (by someone else) cannot take our files.
Status CheckSpecSupported(const TableName& name, const iceberg::PartitionSpec& spec) {
  for (const iceberg::PartitionField& field : spec.fields) {
    if (field.transform != "day" && field.transform != "hour") {
      return Status(StatusCode::kFailedPrecondition,
                    fmt::format("table {} is partitioned by {} ({}) and we can only write day "
                                "or hour partitions of a timestamp; configure another table "
                                "name (OTLP2PARQUET_ICEBERG_TABLE_*)",
                                name.ToString(), field.transform, field.name));
    }
  }
  return Status::Ok();
}

Result<IcebergTable> TableFromMetadata(const TableName& name,
                                       const iceberg::TableMetadata& metadata,
                                       const columnar::Schema& ours,
                                       const iceberg::SchemaMapping& mapping) {
  const iceberg::Schema* schema = metadata.CurrentSchema();
  const iceberg::PartitionSpec* spec = metadata.DefaultSpec();
  if (schema == nullptr || spec == nullptr) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("table {} has no current schema or default spec", name.ToString()));
  }
  O2P_RETURN_IF_ERROR(CheckSpecSupported(name, *spec));
  IcebergTable table;
  table.name = name;
  table.location = metadata.location;
  while (!table.location.empty() && table.location.back() == '/') table.location.pop_back();
  table.schema = *schema;
  table.spec = *spec;
  O2P_ASSIGN_OR_RETURN(table.file_schema, WithFieldIds(ours, mapping.field_ids));
  return table;
}

Result<iceberg::SchemaMapping> MapOnto(const TableName& name,
                                       const iceberg::TableMetadata& metadata,
                                       const iceberg::Schema& wanted) {
  auto mapping = iceberg::MapSchemaForTable(metadata, wanted);
  if (!mapping) {
    return Status(mapping.error().code(),
                  fmt::format("our columns cannot be written into table {}: {}", name.ToString(),
                              mapping.error().message()));
  }
  return mapping;
}

}  // namespace

Result<IcebergTable> PrepareIcebergTable(iceberg::Catalog& catalog, const TableName& name,
                                         const columnar::Schema& ours,
                                         const PrepareOptions& options) {
  const iceberg::Schema wanted = ToIcebergSchema(ours);
  O2P_ASSIGN_OR_RETURN(iceberg::LoadTableResult loaded,
                       catalog.LoadOrCreateTable(name, CreateRequest(name, wanted, options)));
  std::vector<std::string> added;
  for (int attempt = 1;; ++attempt) {
    const iceberg::TableMetadata& metadata = loaded.metadata;
    O2P_ASSIGN_OR_RETURN(iceberg::SchemaMapping mapping, MapOnto(name, metadata, wanted));
    if (!mapping.schema_changed()) {
      O2P_ASSIGN_OR_RETURN(IcebergTable table, TableFromMetadata(name, metadata, ours, mapping));
      table.added_columns = std::move(added);
      table.storage_properties = iceberg::StorageProperties(loaded, table.location);
      return table;
    }
    iceberg::CommitTableRequest request;
    request.requirements = {iceberg::AssertTableUuid{metadata.table_uuid},
                            iceberg::AssertCurrentSchemaId{metadata.current_schema_id},
                            iceberg::AssertLastAssignedFieldId{metadata.last_column_id}};
    request.updates = {iceberg::AddSchema{mapping.schema, mapping.last_column_id},
                       iceberg::SetCurrentSchema{-1}};
    auto committed = catalog.CommitTable(name, request);
    if (committed) {
      added = mapping.added_columns;
      // Loaded rather than taken from the answer, which carries no table config.
      O2P_ASSIGN_OR_RETURN(loaded, catalog.LoadTable(name));
      continue;  // mapped again: the new schema has every column
    }
    const StatusCode code = committed.error().code();
    if ((code != StatusCode::kAborted && code != StatusCode::kUnknown) ||
        attempt >= options.schema_update_attempts) {
      return Status(code, fmt::format("adding columns to table {} failed: {}", name.ToString(),
                                      committed.error().message()));
    }
    // Someone else changed the table, or the outcome is unknown: map onto what is there now.
    O2P_ASSIGN_OR_RETURN(loaded, catalog.LoadTable(name));
  }
}

IcebergCommitter::IcebergCommitter(iceberg::Catalog& catalog, iceberg::FileIO& io,
                                   std::map<std::string, IcebergTable, std::less<>> tables,
                                   std::string instance_id, MetricsRegistry* metrics,
                                   iceberg::AppendOptions append_options)
    : catalog_(catalog),
      io_(io),
      tables_(std::move(tables)),
      instance_id_(std::move(instance_id)),
      metrics_(metrics),
      append_options_(std::move(append_options)) {
  for (const auto& [ours, table] : tables_)
    schema_json_[ours] = iceberg::SchemaToJson(table.schema);
}

FileLayout IcebergCommitter::LayoutFor(std::string_view table) const {
  auto it = tables_.find(table);
  if (it == tables_.end()) return {};
  return FileLayout{it->second.file_schema, {{"iceberg.schema", schema_json_.find(table)->second}}};
}

std::string IcebergCommitter::CommitId(uint64_t epoch, std::string_view table) const {
  return fmt::format("{}-{}-{}", instance_id_, epoch, table);
}

Status IcebergCommitter::Commit(uint64_t epoch, std::span<const WrittenFile> files) {
  static const std::atomic<bool> kNever{false};
  return CommitUnless(epoch, files, kNever);
}

Status IcebergCommitter::CommitUnless(uint64_t epoch, std::span<const WrittenFile> files,
                                      const std::atomic<bool>& stop) {
  std::map<std::string_view, std::vector<const WrittenFile*>> by_table;
  for (const WrittenFile& file : files) by_table[file.table].push_back(&file);
  for (const auto& [table_name, table_files] : by_table) {
    auto table = tables_.find(table_name);
    if (table == tables_.end()) {
      return Status::Internal("files of table '{}', which has no Iceberg table", table_name);
    }
    O2P_RETURN_IF_ERROR(CommitTable(epoch, table->second, stop, table_files));
  }
  return Status::Ok();
}

Status IcebergCommitter::CommitTable(uint64_t epoch, const IcebergTable& table,
                                     const std::atomic<bool>& stop,
                                     std::span<const WrittenFile* const> files) {
  const std::string ours(files.front()->table);
  iceberg::AppendRequest request;
  request.table = table.name;
  request.commit_id = CommitId(epoch, ours);
  request.stop = &stop;
  int64_t rows = 0;
  for (const WrittenFile* file : files) {
    O2P_ASSIGN_OR_RETURN(iceberg::DataFile data_file,
                         MakeDataFile(file->summary, file->location, table.spec, table.schema));
    request.files.push_back(std::move(data_file));
    rows += file->rows;
  }
  const auto start = std::chrono::steady_clock::now();
  Result<iceberg::AppendResult> appended =
      iceberg::AppendFiles(catalog_, io_, request, append_options_);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const MetricLabels labels = {{"table", ours}};
  if (metrics_ != nullptr) {
    metrics_
        ->GetCounter("otlp2parquet_iceberg_commits_total",
                     "Iceberg append commits by table and result",
                     {{"table", ours}, {"result", appended ? "ok" : "error"}})
        .Add(1);
  }
  if (!appended) {
    return Status(appended.error().code(),
                  fmt::format("committing {} files to {}: {}", files.size(), table.name.ToString(),
                              appended.error().message()));
  }
  if (metrics_ != nullptr) {
    metrics_
        ->GetHistogram("otlp2parquet_iceberg_commit_duration_seconds",
                       "Time to commit one epoch's files to one table, retries included", labels,
                       Histogram::LatencyBuckets())
        .Observe(seconds);
    metrics_
        ->GetCounter("otlp2parquet_iceberg_commit_conflicts_total",
                     "Commit attempts answered 409 or with an unknown outcome, then retried",
                     labels)
        .Add(static_cast<uint64_t>(std::max(0, appended->attempts - 1)));
    metrics_
        ->GetCounter("otlp2parquet_iceberg_committed_rows_total",
                     "Rows made visible by Iceberg commits", labels)
        .Add(static_cast<uint64_t>(rows));
  }
  LogInfo("committed to Iceberg", {{"table", table.name.ToString()},
                                   {"snapshot", appended->snapshot_id},
                                   {"sequence", appended->sequence_number},
                                   {"files", static_cast<uint64_t>(files.size())},
                                   {"rows", rows},
                                   {"attempts", appended->attempts},
                                   {"already_committed", appended->already_committed},
                                   {"ms", static_cast<int64_t>(seconds * 1000)}});
  return Status::Ok();
}

}  // namespace o2p::pipeline
