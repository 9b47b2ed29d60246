// Partitioning of table rows into files (schema.md, "Files and paths"):
//
//   {table}/service_name={service}/year={YYYY}/month={MM}/day={DD}/hour={HH}/{start-unix-ns}-{id}.parquet
//
// A file holds the rows of one service and one UTC hour, so Hive partition pruning is always
// right. The table name is read from the batch schema's `otlp2parquet.table` metadata and the
// key from its `Timestamp` and `ServiceName` columns, so this module needs no OTLP knowledge.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/columnar/record_batch.h"

namespace o2p::pipeline {

inline constexpr int64_t kMicrosPerHour = int64_t{3600} * 1000 * 1000;

struct PartitionKey {
  std::string service;  // ServiceName as stored (unescaped)
  int64_t hour = 0;     // floor(Timestamp micros / kMicrosPerHour)

  friend bool operator==(const PartitionKey&, const PartitionKey&) = default;
  friend auto operator<=>(const PartitionKey&, const PartitionKey&) = default;
};

/// The rows of one partition, in batch order, and their smallest Timestamp.
struct PartitionRows {
  PartitionKey key;
  std::vector<uint32_t> rows;
  int64_t min_timestamp_micros = 0;
};

/// Groups the rows of `batch` by (ServiceName, hour of Timestamp), in order of first appearance.
/// INVALID_ARGUMENT when the batch lacks a required Timestamp or ServiceName column.
Result<std::vector<PartitionRows>> SplitByPartition(const columnar::RecordBatch& batch);

/// The table name recorded in the schema metadata (`otlp2parquet.table`), or "" if absent.
std::string_view TableNameOf(const columnar::Schema& schema);

/// ServiceName made safe as one path segment: bytes outside [A-Za-z0-9._-] become %XX (upper
/// case hex), so distinct names never collide and nothing can escape the root; "" -> "unknown".
/// "." and ".." are escaped too.
std::string EscapeServiceName(std::string_view service);

/// The file path relative to the storage root, for rows whose smallest Timestamp is
/// `min_timestamp_micros`. `file_id` is 32 hex digits.
std::string PartitionFilePath(std::string_view table, const PartitionKey& key,
                              int64_t min_timestamp_micros, std::string_view file_id);

}  // namespace o2p::pipeline
