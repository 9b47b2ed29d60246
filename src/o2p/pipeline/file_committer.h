// FileCommitter: what makes a finished epoch's files visible, when storing them is not enough.
//
// Plain Parquet output needs none: a stored file is visible. An Iceberg table needs a commit
// (one snapshot per table per epoch, pipeline/iceberg_committer.h), and the files must be
// written the table's way (its field ids, its schema in the footer). The Batcher asks the
// committer how to write each table's files, and once every file of a sealed epoch is stored it
// calls Commit() — before the epoch's WAL segment is deleted, so a crash or a catalog outage
// before the commit is confirmed replays the segment and commits again. Commit must therefore
// be idempotent per epoch: the same epoch's files are offered again after an error or a
// restart, under the same names.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "o2p/base/status.h"
#include "o2p/columnar/data_type.h"
#include "o2p/pipeline/partition_file.h"

namespace o2p::pipeline {

/// How the files of one table are written.
struct FileLayout {
  /// The schema given to the Parquet writer; null = the batch's own. It must describe the same
  /// fields as the batches (only field ids and metadata may differ).
  columnar::SchemaPtr schema;
  /// Extra Parquet key-value metadata (e.g. "iceberg.schema").
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
};

class FileCommitter {
 public:
  virtual ~FileCommitter() = default;
  /// The layout of `table`'s files. Thread-safe.
  virtual FileLayout LayoutFor(std::string_view table) const = 0;
  /// Makes `files` — every file of epoch `epoch` — visible. An error means "try again later";
  /// the call is repeated with the same arguments. Called from one thread at a time.
  virtual Status Commit(uint64_t epoch, std::span<const WrittenFile> files) = 0;
  /// As Commit, but sends nothing more once `stop` reads true (UNAVAILABLE then): for files
  /// whose client was already told they failed. The default checks `stop` only up front.
  virtual Status CommitUnless(uint64_t epoch, std::span<const WrittenFile> files,
                              const std::atomic<bool>& stop) {
    if (stop) return Status::Unavailable("the commit of epoch {} was abandoned", epoch);
    return Commit(epoch, files);
  }
};

}  // namespace o2p::pipeline
