#include "o2p/pipeline/partition_buffers.h"

#include <algorithm>

#include "o2p/base/macros.h"
#include "o2p/columnar/append_rows.h"

namespace o2p::pipeline {

Result<size_t> PartitionBuffers::Add(const columnar::RecordBatch& batch) {
  O2P_ASSIGN_OR_RETURN(std::vector<PartitionRows> parts, SplitByPartition(batch));
  const std::string table(TableNameOf(*batch.schema()));
  size_t growth = 0;
  for (PartitionRows& part : parts) {
    Key key{table, part.key.service, part.key.hour};
    auto [it, inserted] = buffers_.try_emplace(std::move(key));
    BufferedPartition& buffer = it->second;
    if (inserted) {
      buffer.table = table;
      buffer.key = std::move(part.key);
      buffer.batch = columnar::RecordBatch::Make(batch.schema());
      buffer.min_timestamp_micros = part.min_timestamp_micros;
    }
    const size_t before = inserted ? 0 : buffer.batch->MemoryUsage();
    buffer.min_timestamp_micros = std::min(buffer.min_timestamp_micros, part.min_timestamp_micros);
    if (part.rows.size() == batch.num_rows()) {
      columnar::AppendRowRange(batch, 0, batch.num_rows(), buffer.batch.get());
    } else {
      columnar::AppendRows(batch, part.rows, buffer.batch.get());
    }
    growth += buffer.batch->MemoryUsage() - before;
  }
  return growth;
}

std::vector<BufferedPartition> PartitionBuffers::TakeFull(size_t max_rows, size_t max_bytes) {
  std::vector<BufferedPartition> full;
  for (auto it = buffers_.begin(); it != buffers_.end();) {
    const columnar::RecordBatch& batch = *it->second.batch;
    if (batch.num_rows() >= max_rows || batch.MemoryUsage() >= max_bytes) {
      full.push_back(std::move(it->second));
      it = buffers_.erase(it);
    } else {
      ++it;
    }
  }
  return full;
}

std::vector<BufferedPartition> PartitionBuffers::TakeAll() {
  std::vector<BufferedPartition> all;
  all.reserve(buffers_.size());
  for (auto& [key, buffer] : buffers_) all.push_back(std::move(buffer));
  buffers_.clear();
  return all;
}

size_t PartitionBuffers::MemoryUsage() const {
  size_t total = 0;
  for (const auto& [key, buffer] : buffers_) total += buffer.batch->MemoryUsage();
  return total;
}

}  // namespace o2p::pipeline
