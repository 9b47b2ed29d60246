#include "o2p/otlp/signal.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace o2p::otlp {
namespace {

std::string TrimLower(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string out(text.substr(begin, end - begin));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string_view SignalName(Signal signal) {
  switch (signal) {
    case Signal::kLogs: return "logs";
    case Signal::kTraces: return "traces";
    case Signal::kMetrics: return "metrics";
  }
  return "unknown";
}

std::optional<Signal> ParseSignal(std::string_view name) {
  for (Signal s : {Signal::kLogs, Signal::kTraces, Signal::kMetrics}) {
    if (SignalName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kProtobuf: return "protobuf";
    case Encoding::kJson: return "json";
    case Encoding::kJsonLines: return "jsonl";
  }
  return "unknown";
}

std::string_view TableName(Table table) {
  switch (table) {
    case Table::kLogs: return "logs";
    case Table::kTraces: return "traces";
    case Table::kMetricsGauge: return "metrics_gauge";
    case Table::kMetricsSum: return "metrics_sum";
    case Table::kMetricsHistogram: return "metrics_histogram";
    case Table::kMetricsExponentialHistogram: return "metrics_exponential_histogram";
    case Table::kMetricsSummary: return "metrics_summary";
  }
  return "unknown";
}

std::optional<Table> ParseTable(std::string_view name) {
  for (Table t : kAllTables) {
    if (TableName(t) == name) return t;
  }
  return std::nullopt;
}

Signal SignalOfTable(Table table) {
  switch (table) {
    case Table::kLogs: return Signal::kLogs;
    case Table::kTraces: return Signal::kTraces;
    default: return Signal::kMetrics;
  }
}

std::optional<Encoding> EncodingFromContentType(std::string_view content_type) {
  const std::string media = TrimLower(content_type.substr(0, content_type.find(';')));
  if (media.empty() || media == "application/x-protobuf" || media == "application/protobuf") {
    return Encoding::kProtobuf;
  }
  if (media == "application/json") return Encoding::kJson;
  if (media == "application/x-ndjson" || media == "application/jsonl" ||
      media == "application/x-jsonlines" || media == "application/jsonlines") {
    return Encoding::kJsonLines;
  }
  return std::nullopt;
}

std::optional<Compression> CompressionFromToken(std::string_view token) {
  const std::string t = TrimLower(token);
  if (t.empty() || t == "identity") return Compression::kNone;
  if (t == "gzip" || t == "x-gzip") return Compression::kGzip;
  if (t == "deflate") return Compression::kDeflate;
  if (t == "zstd") return Compression::kZstd;
  return std::nullopt;
}

}  // namespace o2p::otlp
