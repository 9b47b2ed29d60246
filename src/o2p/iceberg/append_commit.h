// AppendFiles: adds data files to an Iceberg table as one "append" snapshot, exactly once
// (docs/iceberg.md, "The commit protocol").
//
//   1. Load the table. A snapshot whose summary carries our commit id means an earlier attempt
//      (or an earlier process, before a crash) already landed: done.
//   2. Write one manifest listing the files as ADDED with inherited snapshot id and sequence
//      numbers, at a name derived from the commit id, so every attempt reuses it.
//   3. Write a manifest list = the parent snapshot's manifests + ours, then commit with
//      assert-table-uuid and assert-ref-snapshot-id(main, parent).
//   4. 409 (someone else committed first): reload, back off, go to 1 (only the list is
//      rewritten). Unknown outcome (5xx, timeout): reload and look for the commit id before
//      anything else. Other errors are returned.
// The data files must already be stored, and their field ids and partition values must follow
// the table's current schema and default spec.
#pragma once

#include <atomic>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/iceberg/catalog.h"
#include "o2p/iceberg/file_io.h"
#include "o2p/iceberg/model.h"
#include "o2p/storage/retry.h"

namespace o2p::iceberg {

/// The snapshot summary key that holds the commit id.
inline constexpr std::string_view kCommitIdProperty = "otlp2parquet.commit-id";

struct AppendRequest {
  TableName table;
  /// Stable across retries and replays of the same files, unique otherwise; it becomes part
  /// of file names, so it must be a safe path segment ([A-Za-z0-9._-]).
  std::string commit_id;
  std::vector<DataFile> files;
  /// When set, no further commit is sent once it reads true (UNAVAILABLE): the caller gave up
  /// on these files, e.g. their client was already told they failed.
  const std::atomic<bool>* stop = nullptr;
};

struct AppendResult {
  int64_t snapshot_id = 0;
  int64_t sequence_number = 0;
  /// Commits sent (1 without conflicts).
  int attempts = 0;
  /// True when the commit id was found already committed.
  bool already_committed = false;
};

struct AppendOptions {
  /// Backoff between attempts after conflicts and unknown outcomes, and the overall deadline.
  storage::RetryPolicy retry{.initial_backoff = std::chrono::milliseconds(50),
                             .max_backoff = std::chrono::seconds(2),
                             .deadline = std::chrono::seconds(60),
                             .max_attempts = 30,
                             .sleep = nullptr};
  std::string engine_name = "otlp2parquet";
};

Result<AppendResult> AppendFiles(Catalog& catalog, FileIO& io, const AppendRequest& request,
                                 const AppendOptions& options = {});

/// A random positive 63-bit snapshot id.
int64_t NewSnapshotId();

}  // namespace o2p::iceberg
