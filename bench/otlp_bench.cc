// Decode + convert throughput for each signal and encoding: bytes/s of request body and
// items/s (records, spans or data points). Inputs are synthetic, seeded requests from
// tests/support/otlp_samples.h, so runs are comparable. The logs_load cases use the records of
// the end-to-end load benchmark (bench/load: about 344 protobuf bytes and 10 attributes each).
//
//   build/release/bench/o2p_otlp_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include "o2p/base/arena.h"
#include "o2p/otlp/decode_json.h"
#include "o2p/otlp/decode_proto.h"
#include "o2p/otlp/export_request.h"
#include "support/otlp_json_writer.h"
#include "support/otlp_samples.h"

namespace o2p::otlp {
namespace {

constexpr int kRecords = 2000;
constexpr int kLoadRecords = 10000;  // one request of bench/load/convert_vs_duckdb.sh

std::string MakeBody(Signal signal, Encoding encoding, bool load) {
  auto render = [&](const google::protobuf::Message& m) {
    return encoding == Encoding::kProtobuf ? m.SerializeAsString() : ::o2p::testing::ToOtlpJson(m);
  };
  if (load) return render(::o2p::testing::BenchmarkLogsRequest(42, 0, kLoadRecords));
  switch (signal) {
    case Signal::kLogs: return render(::o2p::testing::SyntheticLogsRequest(42, kRecords));
    case Signal::kTraces: return render(::o2p::testing::SyntheticTracesRequest(42, kRecords));
    case Signal::kMetrics: return render(::o2p::testing::SyntheticMetricsRequest(42, kRecords));
  }
  return {};
}

void BM_DecodeAndConvert(benchmark::State& state, Signal signal, Encoding encoding,
                         bool load = false) {
  const std::string body = MakeBody(signal, encoding, load);
  int64_t rows = 0;
  for (auto _ : state) {
    TableBatches batches;
    auto stats = DecodeAndConvert(signal, encoding, body, {}, &batches);
    if (!stats.has_value()) {
      state.SkipWithError(stats.error().message().c_str());
      return;
    }
    rows = stats->accepted;
    benchmark::DoNotOptimize(batches);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.SetItemsProcessed(state.iterations() * rows);
  state.counters["body_bytes"] = static_cast<double>(body.size());
}

// Decoding alone, to see how the time splits between decoder and converter.
template <typename R>
void BM_DecodeOnly(benchmark::State& state, Signal signal, Encoding encoding,
                   Status (*decode)(std::string_view, Arena&, R*), bool load = false) {
  const std::string body = MakeBody(signal, encoding, load);
  for (auto _ : state) {
    Arena arena;
    R request;
    Status s = decode(body, arena, &request);
    if (!s.ok()) {
      state.SkipWithError(s.message().c_str());
      return;
    }
    benchmark::DoNotOptimize(request);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.SetItemsProcessed(state.iterations() * (load ? kLoadRecords : kRecords));
}

BENCHMARK_CAPTURE(BM_DecodeAndConvert, logs_protobuf, Signal::kLogs, Encoding::kProtobuf);
BENCHMARK_CAPTURE(BM_DecodeAndConvert, logs_json, Signal::kLogs, Encoding::kJson);
BENCHMARK_CAPTURE(BM_DecodeAndConvert, traces_protobuf, Signal::kTraces, Encoding::kProtobuf);
BENCHMARK_CAPTURE(BM_DecodeAndConvert, traces_json, Signal::kTraces, Encoding::kJson);
BENCHMARK_CAPTURE(BM_DecodeAndConvert, metrics_protobuf, Signal::kMetrics, Encoding::kProtobuf);
BENCHMARK_CAPTURE(BM_DecodeAndConvert, metrics_json, Signal::kMetrics, Encoding::kJson);
BENCHMARK_CAPTURE(BM_DecodeOnly, logs_protobuf, Signal::kLogs, Encoding::kProtobuf, DecodeLogsProto);
BENCHMARK_CAPTURE(BM_DecodeOnly, logs_json, Signal::kLogs, Encoding::kJson, DecodeLogsJson);
BENCHMARK_CAPTURE(BM_DecodeOnly, traces_protobuf, Signal::kTraces, Encoding::kProtobuf, DecodeTracesProto);
BENCHMARK_CAPTURE(BM_DecodeOnly, traces_json, Signal::kTraces, Encoding::kJson, DecodeTracesJson);
BENCHMARK_CAPTURE(BM_DecodeOnly, metrics_protobuf, Signal::kMetrics, Encoding::kProtobuf, DecodeMetricsProto);
BENCHMARK_CAPTURE(BM_DecodeOnly, metrics_json, Signal::kMetrics, Encoding::kJson, DecodeMetricsJson);
BENCHMARK_CAPTURE(BM_DecodeAndConvert, logs_load_protobuf, Signal::kLogs, Encoding::kProtobuf,
                  true);
BENCHMARK_CAPTURE(BM_DecodeAndConvert, logs_load_json, Signal::kLogs, Encoding::kJson, true);
BENCHMARK_CAPTURE(BM_DecodeOnly, logs_load_protobuf, Signal::kLogs, Encoding::kProtobuf,
                  DecodeLogsProto, true);

}  // namespace
}  // namespace o2p::otlp

BENCHMARK_MAIN();
