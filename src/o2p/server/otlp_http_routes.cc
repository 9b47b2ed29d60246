#include "o2p/server/otlp_http_routes.h"

#include <array>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "o2p/server/otlp_response.h"

namespace o2p::server {
namespace {

constexpr std::array<std::pair<std::string_view, otlp::Signal>, 3> kExportPaths = {{
    {"/v1/logs", otlp::Signal::kLogs},
    {"/v1/traces", otlp::Signal::kTraces},
    {"/v1/metrics", otlp::Signal::kMetrics},
}};

// JSON error bodies for JSON requests; protobuf otherwise (also for an unsupported type).
otlp::Encoding ErrorEncodingFor(std::string_view content_type) {
  const std::optional<otlp::Encoding> encoding = otlp::EncodingFromContentType(content_type);
  return encoding.value_or(otlp::Encoding::kProtobuf);
}

}  // namespace

http::HttpResponse PlainTextResponse(int status, std::string body) {
  return http::HttpResponse{status, "text/plain; charset=utf-8", std::move(body), {}};
}

std::optional<otlp::Signal> SignalForExportPath(std::string_view path) {
  for (const auto& [export_path, signal] : kExportPaths) {
    if (path == export_path) return signal;
  }
  return std::nullopt;
}

http::HttpResponse HandleHttpExport(IngestService& service, otlp::Signal signal,
                                    const http::HttpRequest& request, ExportOutcome* outcome) {
  const std::string_view content_type = request.Header("Content-Type");
  const std::optional<otlp::Encoding> encoding = otlp::EncodingFromContentType(content_type);
  if (!encoding) {
    return HttpErrorResponse(
        415,
        fmt::format("unsupported Content-Type '{}'; use application/x-protobuf, "
                    "application/json or application/x-ndjson",
                    content_type),
        otlp::Encoding::kProtobuf);
  }
  ExportRequest export_request;
  export_request.signal = signal;
  export_request.encoding = *encoding;
  export_request.content_encoding = request.Header("Content-Encoding");
  export_request.body = request.body;
  export_request.authorization = request.Header("Authorization");
  export_request.transport = "http";
  ExportOutcome result = service.Export(export_request);
  if (outcome != nullptr) *outcome = result;
  return ToHttpResponse(signal, *encoding, result);
}

std::vector<http::HttpRoute> OtlpHttpRoutes(IngestService& service, MetricsRegistry& metrics,
                                            ReadinessCheck ready) {
  std::vector<http::HttpRoute> routes;
  for (const auto& [path, signal] : kExportPaths) {
    routes.push_back(
        {"POST", std::string(path), [&service, signal = signal](const http::HttpRequest& request) {
           return HandleHttpExport(service, signal, request);
         }});
  }
  routes.push_back({"GET", "/health",
                    [](const http::HttpRequest&) { return PlainTextResponse(200, "Healthy"); }});
  routes.push_back({"GET", "/ready", [ready = std::move(ready)](const http::HttpRequest&) {
                      const std::string problem = ready ? ready() : std::string();
                      return problem.empty() ? PlainTextResponse(200, "Ready")
                                             : PlainTextResponse(503, "Not ready: " + problem);
                    }});
  routes.push_back(
      {"GET", "/metrics", [&metrics](const http::HttpRequest&) {
         return http::HttpResponse{
             200, "text/plain; version=0.0.4; charset=utf-8", metrics.RenderPrometheus(), {}};
       }});
  return routes;
}

http::HttpResponse RenderHttpServerError(const http::HttpRequest& request, int status,
                                         std::string_view message) {
  for (const auto& [path, signal] : kExportPaths) {
    if (request.path == path) {
      return HttpErrorResponse(status, message, ErrorEncodingFor(request.Header("Content-Type")));
    }
  }
  return PlainTextResponse(status, std::string(message));
}

}  // namespace o2p::server
