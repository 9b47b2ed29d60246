// The OTLP/HTTP routes, apart from any listener: the HTTP server serves them, and the Lambda
// runtime answers its HTTP events with the same handlers, so both front doors give the same
// status codes and bodies.
//
//   POST /v1/logs, /v1/traces, /v1/metrics   OTLP export (protobuf, JSON, JSON Lines)
//   GET  /health                             200 "Healthy"
//   GET  /ready                              200 "Ready" or 503 with the reason
//   GET  /metrics                            Prometheus text
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/metrics.h"
#include "o2p/otlp/signal.h"
#include "o2p/server/http/http_server.h"
#include "o2p/server/ingest_service.h"

namespace o2p::server {

/// "" when the process can take data; otherwise why not (answered by /ready with 503).
using ReadinessCheck = std::function<std::string()>;

/// The signal exported on `path` ("/v1/logs" …), nullopt for any other path.
std::optional<otlp::Signal> SignalForExportPath(std::string_view path);

/// One OTLP/HTTP export: 415 for an unsupported Content-Type, else the service's outcome as
/// an HTTP answer. `outcome` (may be null) receives that outcome, e.g. for the rows accepted.
http::HttpResponse HandleHttpExport(IngestService& service, otlp::Signal signal,
                                    const http::HttpRequest& request,
                                    ExportOutcome* outcome = nullptr);

http::HttpResponse PlainTextResponse(int status, std::string body);

/// The routes above, for `service`.
std::vector<http::HttpRoute> OtlpHttpRoutes(IngestService& service, MetricsRegistry& metrics,
                                            ReadinessCheck ready);
/// Renders errors found before a route runs (404, 405, 413, 503): google.rpc.Status on /v1/*
/// (in the encoding the Content-Type asks for), text/plain elsewhere.
http::HttpResponse RenderHttpServerError(const http::HttpRequest& request, int status,
                                         std::string_view message);

}  // namespace o2p::server
