#include "o2p/server/otlp_server.h"

#include <array>
#include <chrono>
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

http::HttpResponse PlainText(int status, std::string body) {
  return http::HttpResponse{status, "text/plain; charset=utf-8", std::move(body), {}};
}

// JSON error bodies for JSON requests; protobuf otherwise (also for an unsupported type).
otlp::Encoding ErrorEncodingFor(std::string_view content_type) {
  const std::optional<otlp::Encoding> encoding = otlp::EncodingFromContentType(content_type);
  return encoding.value_or(otlp::Encoding::kProtobuf);
}

http::HttpResponse HandleExport(IngestService& service, otlp::Signal signal,
                                const http::HttpRequest& request) {
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
  return ToHttpResponse(signal, *encoding, service.Export(export_request));
}

// Latency per route (unknown paths share one label so a scan cannot create series) and answers
// per status code.
http::RequestObserver HttpRequestMetrics(MetricsRegistry& metrics) {
  return
      [&metrics](const http::HttpRequest& request, int status, std::chrono::nanoseconds latency) {
        static constexpr std::array<std::string_view, 6> kKnown = {
            "/v1/logs", "/v1/traces", "/v1/metrics", "/health", "/ready", "/metrics"};
        std::string route = "other";
        for (std::string_view known : kKnown) {
          if (request.path == known) route = std::string(known);
        }
        metrics
            .GetHistogram("otlp2parquet_http_request_duration_seconds",
                          "HTTP request latency, from request head to response", {{"route", route}},
                          Histogram::LatencyBuckets())
            .Observe(std::chrono::duration<double>(latency).count());
        metrics
            .GetCounter("otlp2parquet_http_responses_total", "HTTP responses, by status code",
                        {{"route", route}, {"code", std::to_string(status)}})
            .Add();
      };
}

}  // namespace

std::vector<http::HttpRoute> OtlpHttpRoutes(IngestService& service, MetricsRegistry& metrics,
                                            ReadinessCheck ready) {
  std::vector<http::HttpRoute> routes;
  for (const auto& [path, signal] : kExportPaths) {
    routes.push_back(
        {"POST", std::string(path), [&service, signal = signal](const http::HttpRequest& request) {
           return HandleExport(service, signal, request);
         }});
  }
  routes.push_back(
      {"GET", "/health", [](const http::HttpRequest&) { return PlainText(200, "Healthy"); }});
  routes.push_back({"GET", "/ready", [ready = std::move(ready)](const http::HttpRequest&) {
                      const std::string problem = ready ? ready() : std::string();
                      return problem.empty() ? PlainText(200, "Ready")
                                             : PlainText(503, "Not ready: " + problem);
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
  return PlainText(status, std::string(message));
}

Result<std::unique_ptr<OtlpServer>> OtlpServer::Start(const OtlpServerOptions& options,
                                                      pipeline::Batcher& batcher,
                                                      MetricsRegistry& metrics,
                                                      ReadinessCheck ready) {
  std::unique_ptr<OtlpServer> server(new OtlpServer());
  server->ingest_ = std::make_unique<IngestService>(options.ingest, batcher, metrics);
  IngestService& service = *server->ingest_;
  if (options.grpc) {
    Result<std::unique_ptr<grpc::GrpcServer>> grpc =
        grpc::GrpcServer::Start(*options.grpc, [&service, &metrics](const grpc::GrpcCall& call) {
          const auto start = std::chrono::steady_clock::now();
          ExportRequest request;
          request.signal = call.signal;
          request.body = call.body;
          request.authorization = call.authorization;
          request.transport = "grpc";
          grpc::GrpcReply reply = ToGrpcReply(call.signal, service.Export(request));
          metrics
              .GetHistogram("otlp2parquet_grpc_request_duration_seconds",
                            "gRPC Export latency, from message to answer",
                            {{"signal", std::string(otlp::SignalName(call.signal))}},
                            Histogram::LatencyBuckets())
              .Observe(
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
          return reply;
        });
    if (!grpc) return grpc.error();
    server->grpc_ = std::move(*grpc);
  }
  http::HttpServerOptions http_options = options.http;
  if (!http_options.error_renderer) http_options.error_renderer = RenderHttpServerError;
  if (!http_options.request_observer) http_options.request_observer = HttpRequestMetrics(metrics);
  Result<std::unique_ptr<http::HttpServer>> http = http::HttpServer::Start(
      std::move(http_options), OtlpHttpRoutes(service, metrics, std::move(ready)));
  if (!http) return http.error();
  server->http_ = std::move(*http);
  return server;
}

OtlpServer::~OtlpServer() { Stop(std::chrono::seconds(10)); }

void OtlpServer::Stop(std::chrono::milliseconds grace) {
  if (http_) http_->Stop(grace);
  if (grpc_) grpc_->Stop(grace);
}

}  // namespace o2p::server
