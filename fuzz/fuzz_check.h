// What the fuzz targets assert besides "no crash": a broken invariant prints why and aborts,
// which libFuzzer reports as a crash and keeps the input.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "o2p/otlp/convert.h"

namespace o2p::fuzz {

[[noreturn]] inline void Fail(std::string_view what) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

inline void Check(bool condition, std::string_view what) {
  if (!condition) Fail(what);
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Rows appended to `batches`, after checking each batch is well formed.
inline int64_t CheckedRows(const otlp::TableBatches& batches) {
  int64_t rows = 0;
  for (otlp::Table table : otlp::kAllTables) {
    const columnar::RecordBatch* batch = batches.Find(table);
    if (batch == nullptr) continue;
    Check(batch->Validate().ok(), "a converted batch is malformed");
    rows += static_cast<int64_t>(batch->num_rows());
  }
  return rows;
}

/// The contract of DecodeAndConvert: an error appends nothing; success appends exactly the rows
/// it counts as accepted.
inline void CheckConversion(bool ok, int64_t accepted, const otlp::TableBatches& batches) {
  const int64_t rows = CheckedRows(batches);
  if (!ok) {
    Check(rows == 0, "a refused request appended rows");
  } else {
    Check(rows == accepted, "rows appended differ from ConvertStats::accepted");
  }
}

}  // namespace o2p::fuzz
