#include "support/batch_text.h"

#include <fmt/format.h>

namespace o2p::testing {

std::string RenderBatches(const otlp::TableBatches& batches) {
  std::string out;
  for (otlp::Table table : otlp::kAllTables) {
    const columnar::RecordBatch* batch = batches.Find(table);
    if (batch == nullptr) continue;
    const auto& fields = batch->schema()->fields();
    for (size_t row = 0; row < batch->num_rows(); ++row) {
      for (size_t col = 0; col < fields.size(); ++col) {
        out += fmt::format("{}[{}].{} = {}\n", otlp::TableName(table), row, fields[col].name,
                           columnar::FormatValue(batch->column(col), row));
      }
    }
  }
  return out;
}

}  // namespace o2p::testing
