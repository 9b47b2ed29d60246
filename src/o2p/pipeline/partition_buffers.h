// PartitionBuffers: rows gathered per (table, service, hour) until they are written as one
// Parquet file each.
//
//   PartitionBuffers buffers;
//   buffers.Add(batch);                        // split by partition, rows copied into buffers
//   for (auto& p : buffers.TakeFull(limits))   // buffers that reached their size limits
//     WritePartitionFile(p, ...);
//   for (auto& p : buffers.TakeAll()) ...      // at the end
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
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
  /// When the first rows arrived (the `now` passed to Add), for age-based flushing.
  std::chrono::steady_clock::time_point created{};
};

class PartitionBuffers {
 public:
  /// Splits `batch` by partition and appends each part to the buffer of its partition; a new
  /// buffer records `now` as its creation time. Returns by how many bytes MemoryUsage() grew.
  Result<size_t> Add(const columnar::RecordBatch& batch,
                     std::chrono::steady_clock::time_point now = {});

  /// Removes and returns the buffers holding at least `max_rows` rows or `max_bytes` bytes.
  std::vector<BufferedPartition> TakeFull(size_t max_rows, size_t max_bytes);
  /// Removes and returns the buffers created at or before `cutoff`.
  std::vector<BufferedPartition> TakeCreatedBefore(std::chrono::steady_clock::time_point cutoff);
  /// Removes and returns the largest buffer; nullopt when there is none.
  std::optional<BufferedPartition> TakeLargest();
  /// Removes and returns every buffer, in (table, service, hour) order.
  std::vector<BufferedPartition> TakeAll();

  bool empty() const { return buffers_.empty(); }
  size_t MemoryUsage() const;

 private:
  using Key = std::tuple<std::string, std::string, int64_t>;  // table, service, hour
  std::map<Key, BufferedPartition> buffers_;
};

}  // namespace o2p::pipeline
