// Writing one buffered partition as one Parquet file into an ObjectStore.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "o2p/base/result.h"
#include "o2p/parquet/file_writer.h"
#include "o2p/parquet/writer_options.h"
#include "o2p/pipeline/partition_buffers.h"
#include "o2p/storage/object_store.h"

namespace o2p::pipeline {

struct WrittenFile {
  std::string table;     // of schema.md, e.g. "logs"
  std::string key;       // path under the store's root
  std::string location;  // as the store describes it, for users
  int64_t rows = 0;
  int64_t bytes = 0;
  parquet::FileSummary summary;
};

/// Encodes `partition` with `options` and stores it under PartitionFilePath(..., file_id).
/// `schema` (null = the batch's) and `extra_metadata` shape the file (FileLayout).
/// The store publishes atomically, so a failure leaves no partial file under the key.
Result<WrittenFile> WritePartitionFile(
    const BufferedPartition& partition, const parquet::WriterOptions& options,
    storage::ObjectStore& store, std::string_view file_id,
    const columnar::SchemaPtr& schema = nullptr,
    std::span<const std::pair<std::string, std::string>> extra_metadata = {});

}  // namespace o2p::pipeline
