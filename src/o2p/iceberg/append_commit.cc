#include "o2p/iceberg/append_commit.h"

#include <random>

#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/iceberg/avro/manifest.h"
#include "o2p/iceberg/json.h"

namespace o2p::iceberg {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool AlreadyCommitted(const TableMetadata& metadata, const std::string& commit_id,
                      AppendResult* result) {
  for (const Snapshot& snapshot : metadata.snapshots) {
    auto it = snapshot.summary.find(std::string(kCommitIdProperty));
    if (it == snapshot.summary.end() || it->second != commit_id) continue;
    result->snapshot_id = snapshot.snapshot_id;
    result->sequence_number = snapshot.sequence_number;
    result->already_committed = true;
    return true;
  }
  return false;
}

int64_t SummaryNumber(const Snapshot* parent, const std::string& key) {
  if (parent == nullptr) return 0;
  auto it = parent->summary.find(key);
  if (it == parent->summary.end()) return 0;
  try {
    return std::stoll(it->second);
  } catch (...) {
    return 0;  // a summary another engine wrote oddly must not block our commit
  }
}

// What the new manifest adds, and the summary of the snapshot that adds it.
struct Added {
  int64_t files = 0;
  int64_t records = 0;
  int64_t bytes = 0;
};

Added Count(const std::vector<DataFile>& files) {
  Added added;
  for (const DataFile& file : files) {
    ++added.files;
    added.records += file.record_count;
    added.bytes += file.file_size_in_bytes;
  }
  return added;
}

std::map<std::string, std::string> SnapshotSummary(const Snapshot* parent, const Added& added,
                                                   const std::string& commit_id,
                                                   const AppendOptions& options) {
  auto total = [&](const char* key, int64_t delta) {
    return std::to_string(SummaryNumber(parent, key) + delta);
  };
  return {{"operation", "append"},
          {"added-data-files", std::to_string(added.files)},
          {"added-records", std::to_string(added.records)},
          {"added-files-size", std::to_string(added.bytes)},
          {"total-data-files", total("total-data-files", added.files)},
          {"total-records", total("total-records", added.records)},
          {"total-files-size", total("total-files-size", added.bytes)},
          {"total-delete-files", total("total-delete-files", 0)},
          {"total-position-deletes", total("total-position-deletes", 0)},
          {"total-equality-deletes", total("total-equality-deletes", 0)},
          {"engine-name", options.engine_name},
          {std::string(kCommitIdProperty), commit_id}};
}

// Step 2: the manifest, written once per AppendFiles call and reused by every attempt.
Result<ManifestFile> WriteOurManifest(FileIO& io, const TableMetadata& metadata,
                                      const AppendRequest& request) {
  const Schema* schema = metadata.CurrentSchema();
  const PartitionSpec* spec = metadata.DefaultSpec();
  if (schema == nullptr || spec == nullptr) {
    return Status::Internal("table {} has no current schema or default spec",
                            request.table.ToString());
  }
  std::vector<ManifestEntry> entries;
  for (const DataFile& file : request.files) {
    ManifestEntry entry;
    entry.data_file = file;  // ADDED; snapshot id and sequence numbers inherited
    entries.push_back(std::move(entry));
  }
  avro::ManifestWriteOptions options;
  options.schema_json = SchemaToJson(*schema);
  options.schema_id = schema->schema_id;
  options.spec = *spec;
  O2P_ASSIGN_OR_RETURN(std::string bytes, avro::WriteManifest(options, entries));
  O2P_ASSIGN_OR_RETURN(auto partitions, avro::SummarizePartitions(*spec, entries));
  ManifestFile manifest;
  manifest.manifest_path = metadata.location + "/metadata/" + request.commit_id + "-m0.avro";
  manifest.manifest_length = static_cast<int64_t>(bytes.size());
  manifest.partition_spec_id = spec->spec_id;
  const Added added = Count(request.files);
  manifest.added_files_count = static_cast<int32_t>(added.files);
  manifest.added_rows_count = added.records;
  manifest.partitions = std::move(partitions);
  O2P_RETURN_IF_ERROR(io.Write(manifest.manifest_path, bytes));
  return manifest;
}

// Step 3: the manifest list and the commit request for one attempt.
Result<CommitTableRequest> PrepareAttempt(FileIO& io, const TableMetadata& metadata,
                                          ManifestFile manifest, const AppendRequest& request,
                                          int attempt, const AppendOptions& options) {
  const Snapshot* parent = metadata.CurrentSnapshot();
  std::vector<ManifestFile> manifests;
  if (parent != nullptr && !parent->manifest_list.empty()) {
    O2P_ASSIGN_OR_RETURN(std::string parent_list, io.Read(parent->manifest_list));
    O2P_ASSIGN_OR_RETURN(manifests, avro::ReadManifestList(parent_list));
  }
  Snapshot snapshot;
  snapshot.snapshot_id = NewSnapshotId();
  snapshot.parent_snapshot_id = metadata.current_snapshot_id;
  snapshot.sequence_number = metadata.last_sequence_number + 1;
  snapshot.timestamp_ms = std::max(NowMs(), metadata.last_updated_ms);
  snapshot.schema_id = metadata.current_schema_id;
  snapshot.summary = SnapshotSummary(parent, Count(request.files), request.commit_id, options);
  snapshot.manifest_list = fmt::format("{}/metadata/snap-{}-{}-{}.avro", metadata.location,
                                       snapshot.snapshot_id, attempt, request.commit_id);
  manifest.sequence_number = snapshot.sequence_number;
  manifest.min_sequence_number = snapshot.sequence_number;
  manifest.added_snapshot_id = snapshot.snapshot_id;
  manifests.push_back(std::move(manifest));
  O2P_ASSIGN_OR_RETURN(std::string list,
                       avro::WriteManifestList(snapshot.snapshot_id, snapshot.parent_snapshot_id,
                                               snapshot.sequence_number, manifests));
  O2P_RETURN_IF_ERROR(io.Write(snapshot.manifest_list, list));
  CommitTableRequest commit;
  commit.requirements = {AssertTableUuid{metadata.table_uuid},
                         AssertRefSnapshotId{"main", metadata.current_snapshot_id}};
  const int64_t id = snapshot.snapshot_id;
  commit.updates = {AddSnapshot{std::move(snapshot)}, SetSnapshotRef{"main", {id, "branch"}}};
  return commit;
}

}  // namespace

int64_t NewSnapshotId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  int64_t id = 0;
  while (id == 0) id = static_cast<int64_t>(rng() >> 1);
  return id;
}

Result<AppendResult> AppendFiles(Catalog& catalog, FileIO& io, const AppendRequest& request,
                                 const AppendOptions& options) {
  storage::Backoff backoff(options.retry);
  AppendResult result;
  O2P_ASSIGN_OR_RETURN(LoadTableResult table, catalog.LoadTable(request.table));
  if (AlreadyCommitted(table.metadata, request.commit_id, &result)) return result;
  O2P_ASSIGN_OR_RETURN(ManifestFile manifest, WriteOurManifest(io, table.metadata, request));
  for (;;) {
    if (request.stop != nullptr && request.stop->load()) {
      return Status::Unavailable("commit {} was abandoned before attempt {}", request.commit_id,
                                 result.attempts + 1);
    }
    ++result.attempts;
    O2P_ASSIGN_OR_RETURN(
        CommitTableRequest commit,
        PrepareAttempt(io, table.metadata, manifest, request, result.attempts, options));
    Result<LoadTableResult> committed = catalog.CommitTable(request.table, commit);
    if (committed.ok()) {
      const Snapshot* current = committed->metadata.CurrentSnapshot();
      result.snapshot_id = current ? current->snapshot_id : 0;
      result.sequence_number = current ? current->sequence_number : 0;
      return result;
    }
    const StatusCode code = committed.status().code();
    if (code != StatusCode::kAborted && code != StatusCode::kUnknown) return committed.status();
    if (!backoff.WaitBeforeRetry()) {
      return Status(StatusCode::kUnavailable,
                    fmt::format("{} (gave up after {} attempts)", committed.status().message(),
                                result.attempts));
    }
    O2P_ASSIGN_OR_RETURN(table, catalog.LoadTable(request.table));
    if (AlreadyCommitted(table.metadata, request.commit_id, &result)) return result;
  }
}

}  // namespace o2p::iceberg
