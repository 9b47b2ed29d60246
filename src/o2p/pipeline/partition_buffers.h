// PartitionBuffers: rows gathered per (table, service, hour) until they are written as one
// Parquet file each.
//
//   PartitionBuffers buffers;
//   buffers.Add(batch);                        // split by partition, rows copied into buffers
//   for (auto& p : buffers.TakeFull(limits))   // buffers that reached their size limits
//     WritePartitionFile(p, ...);
//   for (auto& p : buffers.TakeAll()) ...      // at the end
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/columnar/record_batch.h"
#include "o2p/pipeline/partition.h"

namespace o2p::pipeline {

/// The rows of one future file.
struct BufferedPartition {
  std::string table;
  PartitionKey key;
  std::unique_ptr<columnar::RecordBatch> batch;
  int64_t min_timestamp_micros = 0;
};

class PartitionBuffers {
 public:
  /// Splits `batch` by partition and appends each part to the buffer of its partition.
  /// Returns by how many bytes MemoryUsage() grew.
  Result<size_t> Add(const columnar::RecordBatch& batch);

  /// Removes and returns the buffers holding at least `max_rows` rows or `max_bytes` bytes.
  std::vector<BufferedPartition> TakeFull(size_t max_rows, size_t max_bytes);
  /// Removes and returns every buffer, in (table, service, hour) order.
  std::vector<BufferedPartition> TakeAll();

  bool empty() const { return buffers_.empty(); }
  size_t MemoryUsage() const;

 private:
  using Key = std::tuple<std::string, std::string, int64_t>;  // table, service, hour
  std::map<Key, BufferedPartition> buffers_;
};

}  // namespace o2p::pipeline
