// OtlpServer: the running front doors — OTLP/HTTP with the operational endpoints, and
// OTLP/gRPC — wired to one IngestService.
//
//   HTTP routes  POST /v1/logs, /v1/traces, /v1/metrics   OTLP export (protobuf, JSON, JSON Lines)
//                GET  /health                             200 "Healthy"
//                GET  /ready                              200 "Ready" or 503 with the reason
//                GET  /metrics                            Prometheus text
//   gRPC         the three collector Export methods
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "o2p/base/metrics.h"
#include "o2p/base/result.h"
#include "o2p/server/grpc/grpc_server.h"
#include "o2p/server/http/http_server.h"
#include "o2p/server/ingest_service.h"
#include "o2p/server/otlp_http_routes.h"

namespace o2p::server {

struct OtlpServerOptions {
  http::HttpServerOptions http;
  std::optional<grpc::GrpcServerOptions> grpc;  // nullopt: no gRPC listener
  IngestOptions ingest;
};

class OtlpServer {
 public:
  /// Starts both listeners; fails (and starts nothing) when either cannot bind.
  static Result<std::unique_ptr<OtlpServer>> Start(const OtlpServerOptions& options,
                                                   pipeline::Batcher& batcher,
                                                   MetricsRegistry& metrics, ReadinessCheck ready);
  ~OtlpServer();

  uint16_t http_port() const { return http_->port(); }
  /// 0 when gRPC is off.
  uint16_t grpc_port() const { return grpc_ ? grpc_->port() : 0; }
  /// Stops both listeners; requests in progress finish first (at most `grace`).
  void Stop(std::chrono::milliseconds grace);

 private:
  OtlpServer() = default;

  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<http::HttpServer> http_;
  std::unique_ptr<grpc::GrpcServer> grpc_;
};

}  // namespace o2p::server
