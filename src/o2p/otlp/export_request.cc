#include "o2p/otlp/export_request.h"

#include "o2p/base/arena.h"
#include "o2p/otlp/decode_json.h"
#include "o2p/otlp/decode_proto.h"

namespace o2p::otlp {
namespace {

// Decodes into a request struct of type R with the decoder chosen by `encoding`, then converts.
// A decode error appends nothing, since conversion only starts after decoding succeeded.
template <typename R, typename ConvertFn>
Result<ConvertStats> Run(Encoding encoding, std::string_view body,
                         Status (*proto)(std::string_view, Arena&, R*),
                         Status (*json)(std::string_view, Arena&, R*),
                         Status (*jsonl)(std::string_view, Arena&, R*), ConvertFn convert,
                         const ConvertOptions& options, TableBatches* out) {
  Arena arena;
  R request;
  Status status;
  switch (encoding) {
    case Encoding::kProtobuf: status = proto(body, arena, &request); break;
    case Encoding::kJson: status = json(body, arena, &request); break;
    case Encoding::kJsonLines: status = jsonl(body, arena, &request); break;
  }
  if (!status.ok()) return status;
  return convert(request, options, out);
}

}  // namespace

Result<ConvertStats> DecodeAndConvert(Signal signal, Encoding encoding, std::string_view body,
                                      const ConvertOptions& options, TableBatches* out) {
  switch (signal) {
    case Signal::kLogs:
      return Run<LogsRequest>(encoding, body, DecodeLogsProto, DecodeLogsJson,
                              DecodeLogsJsonLines, ConvertLogs, options, out);
    case Signal::kTraces:
      return Run<TracesRequest>(encoding, body, DecodeTracesProto, DecodeTracesJson,
                                DecodeTracesJsonLines, ConvertTraces, options, out);
    case Signal::kMetrics:
      return Run<MetricsRequest>(encoding, body, DecodeMetricsProto, DecodeMetricsJson,
                                 DecodeMetricsJsonLines, ConvertMetrics, options, out);
  }
  return Status::Internal("unknown signal");
}

std::optional<Signal> SniffJsonSignal(std::string_view body) {
  // Look at the first key only: an export request is one object with one array member.
  const size_t quote = body.find('"');
  if (quote == std::string_view::npos || quote > 256) return std::nullopt;
  const size_t end = body.find('"', quote + 1);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view key = body.substr(quote + 1, end - quote - 1);
  if (key == "resourceLogs" || key == "resource_logs") return Signal::kLogs;
  if (key == "resourceSpans" || key == "resource_spans") return Signal::kTraces;
  if (key == "resourceMetrics" || key == "resource_metrics") return Signal::kMetrics;
  return std::nullopt;
}

}  // namespace o2p::otlp
