// GrpcServer: the OTLP/gRPC front door (port 4317) on Debian's grpc++.
//
// It serves the three Export methods through grpc++'s generic callback service, so request
// messages arrive as the raw protobuf bytes our own decoder reads (no generated C++ message
// classes in the server path); grpc++ itself undoes gzip message compression. Any other method
// is answered UNIMPLEMENTED.
//
//   GrpcServerOptions options;
//   options.listen = "127.0.0.1:0";
//   auto server = GrpcServer::Start(options, [](const GrpcCall& call) -> GrpcReply { ... });
//   (*server)->port(); (*server)->Stop();
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "o2p/base/result.h"
#include "o2p/base/status.h"
#include "o2p/otlp/signal.h"

namespace o2p::server::grpc {

/// One unary Export call. `body` is the request message after grpc message decompression.
struct GrpcCall {
  otlp::Signal signal;
  std::string_view body;
  std::string_view authorization;  // value of the "authorization" metadata; "" when absent
};

/// The answer. When `code` is kOk, `response` is the serialized Export*ServiceResponse.
/// Otherwise `message` is the status message and `details` (may be empty) the serialized
/// google.rpc.Status carried in the grpc-status-details-bin trailer (e.g. with RetryInfo).
struct GrpcReply {
  StatusCode code = StatusCode::kOk;
  std::string message;
  std::string response;
  std::string details;
};

using GrpcHandler = std::function<GrpcReply(const GrpcCall&)>;

struct GrpcServerOptions {
  /// "HOST:PORT"; port 0 picks a free port.
  std::string listen = "0.0.0.0:4317";
  /// Largest request message (after decompression): RESOURCE_EXHAUSTED above.
  size_t max_message_bytes = size_t{8} << 20;
};

class GrpcServer {
 public:
  /// INVALID_ARGUMENT for a malformed `listen`; UNAVAILABLE when it cannot be bound.
  static Result<std::unique_ptr<GrpcServer>> Start(const GrpcServerOptions& options,
                                                   GrpcHandler handler);
  virtual ~GrpcServer() = default;
  virtual uint16_t port() const = 0;
  /// Stops accepting calls; calls in progress may finish until `grace` has passed.
  virtual void Stop(std::chrono::milliseconds grace = std::chrono::seconds(10)) = 0;
};

}  // namespace o2p::server::grpc
