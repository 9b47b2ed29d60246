// Test support: OTLP export requests built as protobuf messages.
//
// Coverage*Request(): hand-written requests that touch every field the tables read: every
// AnyValue kind (nested), every metric kind, exemplars, events, links, empty and omitted
// fields, unicode, duplicate attribute keys, and int64/uint64 extremes.
// Synthetic*Request(seed, n): realistic, seeded requests with n records for benchmarks.
#pragma once

#include <cstdint>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace o2p::testing {

namespace collector = opentelemetry::proto::collector;

collector::logs::v1::ExportLogsServiceRequest CoverageLogsRequest();
collector::trace::v1::ExportTraceServiceRequest CoverageTracesRequest();
collector::metrics::v1::ExportMetricsServiceRequest CoverageMetricsRequest();

collector::logs::v1::ExportLogsServiceRequest SyntheticLogsRequest(uint32_t seed, int records);
collector::trace::v1::ExportTraceServiceRequest SyntheticTracesRequest(uint32_t seed, int spans);
collector::metrics::v1::ExportMetricsServiceRequest SyntheticMetricsRequest(uint32_t seed,
                                                                            int points);

}  // namespace o2p::testing
