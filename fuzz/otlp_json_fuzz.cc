// OTLP/JSON and JSON Lines export requests: the same bytes decoded and converted as each
// signal in both encodings, plus the signal sniffing `convert` uses on files.
#include "fuzz_check.h"
#include "o2p/otlp/export_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2p;
  const std::string_view body = fuzz::AsText(data, size);
  (void)otlp::SniffJsonSignal(body);
  for (otlp::Encoding encoding : {otlp::Encoding::kJson, otlp::Encoding::kJsonLines}) {
    for (otlp::Signal signal :
         {otlp::Signal::kLogs, otlp::Signal::kTraces, otlp::Signal::kMetrics}) {
      otlp::TableBatches batches;
      Result<otlp::ConvertStats> stats =
          otlp::DecodeAndConvert(signal, encoding, body, {}, &batches);
      fuzz::CheckConversion(stats.ok(), stats.ok() ? stats->accepted : 0, batches);
    }
  }
  return 0;
}
