// Test support: OTLP export requests built as protobuf messages.
//
// Coverage*Request(): hand-written requests that touch every field the tables read: every
// AnyValue kind (nested), every metric kind, exemplars, events, links, empty and omitted
// fields, unicode, duplicate attribute keys, and int64/uint64 extremes.
// Synthetic*Request(seed, n): realistic, seeded requests with n records for benchmarks.
// BenchmarkLogsRequest(seed, first, n): records first..first+n-1 of a large, seeded log stream
// (about 300 protobuf bytes and 10 attributes per record) for the end-to-end load benchmark.
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

/// Records [first_record, first_record + records) of a seeded stream of application logs: five
/// services (one ResourceLogs each, present only if the slice has a record for it), bodies of
/// about 40-60 characters, 10 attributes (strings, ints, a double, a bool), trace/span ids on
/// most records, mostly INFO. Timestamps advance 3.6 ms per record (a million records span one
/// hour, from 13:20 UTC). Each record depends only on (seed, its index), so any split of a stream
/// into requests holds the same records.
collector::logs::v1::ExportLogsServiceRequest BenchmarkLogsRequest(uint32_t seed,
                                                                   uint64_t first_record,
                                                                   int records);

}  // namespace o2p::testing
