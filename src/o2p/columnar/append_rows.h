// Copying rows between columns of the same type: how batches are split by partition
// (service, hour) and how small batches are gathered into larger buffers.
//
//   AppendRows(src_batch, {3, 7, 8}, &dst_batch);   // dst gets rows 3, 7 and 8 of src, in order
//   AppendRowRange(src_batch, 0, src_batch.num_rows(), &dst_batch);
#pragma once

#include <cstdint>
#include <span>

#include "o2p/columnar/column.h"
#include "o2p/columnar/record_batch.h"

namespace o2p::columnar {

/// REQUIRES: dst has the same type tree as src; every index < src.size().
void AppendRows(const Column& src, std::span<const uint32_t> rows, Column* dst);
/// Rows [begin, end) of src, appended to dst.
void AppendRowRange(const Column& src, size_t begin, size_t end, Column* dst);

/// Batch versions: every column, then num_rows. REQUIRES: same schema.
void AppendRows(const RecordBatch& src, std::span<const uint32_t> rows, RecordBatch* dst);
void AppendRowRange(const RecordBatch& src, size_t begin, size_t end, RecordBatch* dst);

}  // namespace o2p::columnar
