// Shared by the OTLP/JSON decoder tests (decode_json_test.cc, decode_json_signals_test.cc):
// request envelopes, error paths and a fixture that decodes into fresh requests.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "o2p/base/arena.h"
#include "o2p/otlp/decode_json.h"

namespace o2p::otlp::json_test {

inline constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();
inline constexpr int64_t kMinI64 = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kMaxI64 = std::numeric_limits<int64_t>::max();
inline const std::string kFffd = "\xEF\xBF\xBD";

// Wraps log records in the request envelope.
inline std::string Logs(std::string_view records) {
  return R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[)" + std::string(records) + "]}]}]}";
}
inline std::string Spans(std::string_view spans) {
  return R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + std::string(spans) + "]}]}]}";
}
inline std::string Metrics(std::string_view metrics) {
  return R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[)" + std::string(metrics) + "]}]}]}";
}
inline constexpr std::string_view kLogPath = "$.resourceLogs[0].scopeLogs[0].logRecords[0]";
inline constexpr std::string_view kSpanPath = "$.resourceSpans[0].scopeSpans[0].spans[0]";
inline constexpr std::string_view kMetricPath = "$.resourceMetrics[0].scopeMetrics[0].metrics[0]";

class DecodeJsonTest : public ::testing::Test {
 protected:
  // Each decodes a copy of `json` (decoded views point into it) into a fresh request (the
  // decoders append).
  Status DecodeLogs(std::string_view json) {
    body_ = json;
    logs_ = {};
    return DecodeLogsJson(body_, arena_, &logs_);
  }
  Status DecodeSpans(std::string_view json) {
    body_ = json;
    traces_ = {};
    return DecodeTracesJson(body_, arena_, &traces_);
  }
  Status DecodeMetrics(std::string_view json) {
    body_ = json;
    metrics_ = {};
    return DecodeMetricsJson(body_, arena_, &metrics_);
  }
  // The only log record / span / metric of a request built by Logs() / Spans() / Metrics().
  const LogRecord& Record(size_t i = 0) const {
    return logs_.resource_logs.at(0).scope_logs.at(0).log_records.at(i);
  }
  const Span& SpanAt(size_t i = 0) const {
    return traces_.resource_spans.at(0).scope_spans.at(0).spans.at(i);
  }
  const Metric& MetricAt(size_t i = 0) const {
    return metrics_.resource_metrics.at(0).scope_metrics.at(0).metrics.at(i);
  }
  // The message a decode error must carry.
  static std::string At(std::string_view what, std::string_view base, std::string_view rest) {
    return "json: " + std::string(what) + " at " + std::string(base) + std::string(rest);
  }

  std::string body_;
  Arena arena_;
  LogsRequest logs_;
  TracesRequest traces_;
  MetricsRequest metrics_;
};

}  // namespace o2p::otlp::json_test
