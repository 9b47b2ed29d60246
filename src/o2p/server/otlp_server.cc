#include "o2p/server/otlp_server.h"

#include <array>
#include <chrono>
#include <utility>

#include "o2p/server/otlp_response.h"

namespace o2p::server {
namespace {

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
