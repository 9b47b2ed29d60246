// OTLP/protobuf export requests: the same bytes decoded and converted as logs, traces and
// metrics (decode_proto.h via DecodeAndConvert, as every front door calls it).
#include "fuzz_check.h"
#include "o2p/otlp/export_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2p;
  const std::string_view body = fuzz::AsText(data, size);
  for (otlp::Signal signal : {otlp::Signal::kLogs, otlp::Signal::kTraces, otlp::Signal::kMetrics}) {
    otlp::TableBatches batches;
    Result<otlp::ConvertStats> stats =
        otlp::DecodeAndConvert(signal, otlp::Encoding::kProtobuf, body, {}, &batches);
    fuzz::CheckConversion(stats.ok(), stats.ok() ? stats->accepted : 0, batches);
  }
  return 0;
}
