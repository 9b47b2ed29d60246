// Iceberg v2 manifest files and manifest lists in Avro (Iceberg spec, "Manifests", "Manifest
// Lists"): writing them for a new snapshot, and reading them back, in particular the parent
// snapshot's manifest list, which another engine may have written.
//
// Appending data files to a table:
//   1. O2P_ASSIGN_OR_RETURN(std::string manifest, WriteManifest(options, entries));
//      entries are ADDED with null snapshot id and sequence numbers, so they inherit both from
//      the manifest-list entry and the manifest can be reused by a retried commit;
//   2. O2P_ASSIGN_OR_RETURN(auto summaries, SummarizePartitions(options.spec, entries));
//      and fill a ManifestFile for it (path, length, counts, summaries);
//   3. O2P_ASSIGN_OR_RETURN(auto parent, ReadManifestList(parent_list_bytes));
//   4. WriteManifestList(snapshot_id, parent_id, sequence_number, parent + {new manifest}).
// Only partition specs of day/hour/month/year transforms (int values) are supported.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/iceberg/avro/ocf_writer.h"
#include "o2p/iceberg/model.h"

namespace o2p::iceberg::avro {

struct ManifestWriteOptions {
  /// The table schema as Iceberg JSON (the "schema" metadata entry), and its id.
  std::string schema_json;
  int32_t schema_id = 0;
  PartitionSpec spec;
  /// The "partition-spec" metadata entry: a JSON array of partition fields. Empty: built from
  /// `spec`. A full spec object ({"spec-id", "fields"}) is reduced to its fields.
  std::string partition_spec_json;
  /// Only format version 2 and content "data" are written.
  int format_version = 2;
  std::string content = "data";
  OcfWriterOptions ocf;
};

/// A manifest (a container file of manifest_entry records) listing `entries`.
Result<std::string> WriteManifest(const ManifestWriteOptions& options,
                                  const std::vector<ManifestEntry>& entries);

/// One field_summary per partition field of `spec`, over all `entries`: whether a null was
/// seen, and the lower/upper bound in single-value binary (int: 4-byte little-endian).
Result<std::vector<PartitionFieldSummary>> SummarizePartitions(
    const PartitionSpec& spec, const std::vector<ManifestEntry>& entries);

/// A manifest list for snapshot `snapshot_id`. "parent-snapshot-id" metadata is the string
/// "null" when there is no parent, as Java and PyIceberg write it.
Result<std::string> WriteManifestList(int64_t snapshot_id,
                                      std::optional<int64_t> parent_snapshot_id,
                                      int64_t sequence_number,
                                      const std::vector<ManifestFile>& manifests,
                                      const OcfWriterOptions& ocf = {});

/// Reads a v1 or v2 manifest list, resolving fields by field id, then by name. v1 lists lack
/// content and sequence numbers (read as 0) and name the counts added_data_files_count etc.
Result<std::vector<ManifestFile>> ReadManifestList(std::string_view bytes);

/// Reads a data manifest. Partition values must be ints (time transforms); delete files are
/// Unimplemented.
Result<std::vector<ManifestEntry>> ReadManifest(std::string_view bytes);

}  // namespace o2p::iceberg::avro
