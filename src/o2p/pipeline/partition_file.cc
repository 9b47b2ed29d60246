#include "o2p/pipeline/partition_file.h"

#include "o2p/base/macros.h"

namespace o2p::pipeline {

Result<WrittenFile> WritePartitionFile(
    const BufferedPartition& partition, const parquet::WriterOptions& options,
    storage::ObjectStore& store, std::string_view file_id, const columnar::SchemaPtr& schema,
    std::span<const std::pair<std::string, std::string>> extra_metadata) {
  parquet::StringSink sink;
  parquet::WriterOptions file_options = options;
  file_options.key_value_metadata.insert(file_options.key_value_metadata.end(),
                                         extra_metadata.begin(), extra_metadata.end());
  O2P_ASSIGN_OR_RETURN(
      auto writer, parquet::FileWriter::Make(schema ? schema : partition.batch->schema(),
                                             std::move(file_options), &sink));
  O2P_RETURN_IF_ERROR(writer->Write(*partition.batch));
  O2P_ASSIGN_OR_RETURN(parquet::FileSummary summary, writer->Close());
  WrittenFile file;
  file.table = partition.table;
  file.key =
      PartitionFilePath(partition.table, partition.key, partition.min_timestamp_micros, file_id);
  O2P_RETURN_IF_ERROR(store.Put(file.key, sink.data()));
  file.location = store.Describe(file.key);
  file.rows = static_cast<int64_t>(partition.batch->num_rows());
  file.bytes = static_cast<int64_t>(sink.data().size());
  file.summary = std::move(summary);
  return file;
}

}  // namespace o2p::pipeline
