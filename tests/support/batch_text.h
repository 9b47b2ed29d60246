// Test support: renders table batches as reviewable text, one line per cell.
//
//   logs[0].TraceId = "5b8efff798038103d269b633813fc60c"
// Used for golden files and for comparing the batches that different encodings produce.
#pragma once

#include <string>

#include "o2p/otlp/convert.h"

namespace o2p::testing {

/// Every table with rows, every row, every column, in table and column order.
std::string RenderBatches(const otlp::TableBatches& batches);

}  // namespace o2p::testing
