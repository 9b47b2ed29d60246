// Parquet writing throughput on real table shapes: synthetic OTLP requests (seeded, from
// tests/support/otlp_samples.h) are decoded and converted once; each iteration writes every
// resulting table batch to an in-memory file. Reported per codec:
//   items/s  rows written
//   bytes/s  OTLP protobuf request bytes those rows came from (the pipeline's input unit),
//            so the number compares directly with the decode benchmarks
//   file_bytes, ratio (protobuf bytes / Parquet bytes)
// LoadLogs_* use one request of the end-to-end load benchmark (bench/load: 10000 records of about
// 344 protobuf bytes and 10 attributes), its logs batch written as one file, unpartitioned.
//
//   build/release/bench/o2p_parquet_bench --benchmark_min_time=1
#include <string>

#include <benchmark/benchmark.h>

#include "o2p/otlp/export_request.h"
#include "o2p/parquet/file_writer.h"
#include "support/otlp_samples.h"

namespace o2p::parquet {
namespace {

constexpr int kRecords = 20000;

std::string MakeBody(otlp::Signal signal, bool load) {
  if (load) return ::o2p::testing::BenchmarkLogsRequest(42, 0, 10000).SerializeAsString();
  switch (signal) {
    case otlp::Signal::kLogs:
      return ::o2p::testing::SyntheticLogsRequest(42, kRecords).SerializeAsString();
    case otlp::Signal::kTraces:
      return ::o2p::testing::SyntheticTracesRequest(42, kRecords).SerializeAsString();
    case otlp::Signal::kMetrics:
      return ::o2p::testing::SyntheticMetricsRequest(42, kRecords).SerializeAsString();
  }
  return {};
}

void BM_WriteParquet(benchmark::State& state, otlp::Signal signal, Codec codec, bool load = false) {
  const std::string body = MakeBody(signal, load);
  otlp::TableBatches batches;
  auto stats = otlp::DecodeAndConvert(signal, otlp::Encoding::kProtobuf, body, {}, &batches);
  if (!stats.has_value()) {
    state.SkipWithError(stats.error().message().c_str());
    return;
  }
  WriterOptions options;
  options.codec = codec;
  options.created_by = "otlp2parquet bench";
  int64_t file_bytes = 0;
  for (auto _ : state) {
    file_bytes = 0;
    for (otlp::Table table : otlp::kAllTables) {
      const columnar::RecordBatch* batch = batches.Find(table);
      if (batch == nullptr) continue;
      auto file = WriteToString(*batch, options);
      if (!file.has_value()) {
        state.SkipWithError(file.error().message().c_str());
        return;
      }
      file_bytes += static_cast<int64_t>(file->size());
      benchmark::DoNotOptimize(file->data());
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.SetItemsProcessed(state.iterations() * stats->accepted);
  state.counters["file_bytes"] = static_cast<double>(file_bytes);
  state.counters["ratio"] = static_cast<double>(body.size()) / static_cast<double>(file_bytes);
}

#define O2P_PARQUET_BENCH(signal, codec)                                                         \
  BENCHMARK_CAPTURE(BM_WriteParquet, signal##_##codec, otlp::Signal::k##signal, Codec::k##codec) \
      ->Unit(benchmark::kMillisecond)

O2P_PARQUET_BENCH(Logs, Zstd);
O2P_PARQUET_BENCH(Logs, Snappy);
O2P_PARQUET_BENCH(Logs, None);
O2P_PARQUET_BENCH(Traces, Zstd);
O2P_PARQUET_BENCH(Metrics, Zstd);
BENCHMARK_CAPTURE(BM_WriteParquet, LoadLogs_Zstd, otlp::Signal::kLogs, Codec::kZstd, true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WriteParquet, LoadLogs_None, otlp::Signal::kLogs, Codec::kNone, true)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace o2p::parquet

BENCHMARK_MAIN();
