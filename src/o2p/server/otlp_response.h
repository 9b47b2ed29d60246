// The one place where an ExportOutcome becomes what a client receives (docs/errors.md):
//
//   OK                  HTTP 200 + Export*ServiceResponse (partial_success when records were
//                       rejected), in the request's encoding        gRPC OK + the same message
//   INVALID_ARGUMENT    400 + google.rpc.Status                     INVALID_ARGUMENT
//   RESOURCE_EXHAUSTED  413 + google.rpc.Status                     RESOURCE_EXHAUSTED
//   UNIMPLEMENTED       415 + google.rpc.Status                     UNIMPLEMENTED
//   UNAUTHENTICATED     401 + google.rpc.Status                     UNAUTHENTICATED
//   UNAVAILABLE         503 + Retry-After + google.rpc.Status       UNAVAILABLE + RetryInfo
//   anything else       500 + google.rpc.Status                     INTERNAL
//
// Bodies are protobuf for protobuf requests and JSON for JSON / JSON Lines requests.
#pragma once

#include <string>
#include <string_view>

#include "o2p/base/status.h"
#include "o2p/otlp/signal.h"
#include "o2p/server/grpc/grpc_server.h"
#include "o2p/server/http/http_server.h"
#include "o2p/server/ingest_service.h"

namespace o2p::server {

/// The HTTP status for an outcome code.
int HttpStatusFor(StatusCode code);

/// Export{Logs,Trace,Metrics}ServiceResponse: empty when nothing was rejected, else with
/// partial_success {rejected_<records> = stats.rejected, error_message = first reason}.
std::string EncodeExportResponse(otlp::Signal signal, const otlp::ConvertStats& stats,
                                 otlp::Encoding encoding);

/// google.rpc.Status {code, message, details}; with retry_after_seconds > 0 the details carry
/// one google.rpc.RetryInfo (protobuf only; JSON gets "details": []).
std::string EncodeRpcStatus(StatusCode code, std::string_view message, otlp::Encoding encoding,
                            int retry_after_seconds = 0);

http::HttpResponse ToHttpResponse(otlp::Signal signal, otlp::Encoding encoding,
                                  const ExportOutcome& outcome);
/// An error answer with a google.rpc.Status body (for errors found before decoding: 415, or the
/// HTTP server's own 413 / 503 on an OTLP route).
http::HttpResponse HttpErrorResponse(int http_status, std::string_view message,
                                     otlp::Encoding encoding, int retry_after_seconds = 0);
grpc::GrpcReply ToGrpcReply(otlp::Signal signal, const ExportOutcome& outcome);

}  // namespace o2p::server
