// Conversion of decoded OTLP requests (model.h) into the columnar batches of the seven tables.
//
// One row per log record, span or data point, in the table schema.md names. The resource and
// scope columns come from one shared flattener (convert_common.h). Records that break a rule of
// schema.md (an id of the wrong length, a metric without data, a number point without a value)
// are rejected: nothing of them is appended, they are counted, and the first reason is kept for
// the OTLP partial_success message. Conversion itself never fails.
//
//   TableBatches batches;
//   ConvertStats stats = ConvertLogs(request, options, &batches);
//   columnar::RecordBatch* logs = batches.Find(Table::kLogs);   // null when no rows
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "o2p/columnar/record_batch.h"
#include "o2p/otlp/model.h"
#include "o2p/otlp/signal.h"

namespace o2p::otlp {

struct ConvertOptions {
  /// Used as a log's Timestamp when both time_unix_nano and observed_time_unix_nano are 0.
  uint64_t receive_time_unix_nano = 0;
};

struct ConvertStats {
  int64_t accepted = 0;  // rows appended
  int64_t rejected = 0;  // records / spans / data points rejected
  std::string first_rejection;  // reason of the first rejection, with its location

  void Reject(std::string reason) {
    if (rejected++ == 0) first_rejection = std::move(reason);
  }
};

/// One RecordBatch per table, created on first use with TableSchema(table).
class TableBatches {
 public:
  columnar::RecordBatch* Get(Table table);
  /// The batch of `table`, or null if nothing was appended to it.
  columnar::RecordBatch* Find(Table table) const {
    return batches_[static_cast<size_t>(table)].get();
  }
  size_t MemoryUsage() const;

 private:
  std::array<std::unique_ptr<columnar::RecordBatch>, kTableCount> batches_;
};

ConvertStats ConvertLogs(const LogsRequest& request, const ConvertOptions& options,
                         TableBatches* out);
ConvertStats ConvertTraces(const TracesRequest& request, const ConvertOptions& options,
                           TableBatches* out);
ConvertStats ConvertMetrics(const MetricsRequest& request, const ConvertOptions& options,
                            TableBatches* out);

}  // namespace o2p::otlp
