// InvocationHandler: one Lambda invocation, from the event document to the response document
// (docs/lambda.md, "Events" and "Behaviour").
//
// The event is an HTTP request from a Function URL or API Gateway (http_event.h). It is served
// by the same OTLP/HTTP handlers as the server (server/otlp_http_routes.h), so status codes and
// bodies are the same. An export gets a Batcher of its own without a WAL: after the request is
// decoded, every file is written (and committed) before the answer goes out, because a frozen
// or reclaimed sandbox cannot be trusted with buffered rows. Rows not stored by the deadline
// turn the answer into 503 with Retry-After: the client keeps the data and sends it again.
//
//   InvocationHandler handler(options, open_sink, metrics);
//   Result<HandledInvocation> answer = handler.Handle(invocation.event, invocation.deadline);
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/metrics.h"
#include "o2p/base/result.h"
#include "o2p/lambda/http_event.h"
#include "o2p/pipeline/batcher.h"
#include "o2p/pipeline/file_committer.h"
#include "o2p/server/http/http_server.h"
#include "o2p/server/ingest_service.h"
#include "o2p/storage/object_store.h"

namespace o2p::lambda {

/// Where an invocation's files go: the store, and the committer for Iceberg (null for plain
/// Parquet). Both are owned by whoever opened them and live for the whole process.
struct Sink {
  storage::ObjectStore* store = nullptr;
  pipeline::FileCommitter* committer = nullptr;
};

/// Opens the sink (catalog connection, table preparation, bucket check). Called on the first
/// export and again after a failure, so a passing problem does not poison the sandbox.
using SinkOpener = std::function<Result<Sink>()>;

struct HandlerOptions {
  pipeline::BatcherOptions batcher;
  server::IngestOptions ingest;
  /// Largest request body once base64 is undone: Lambda's own 6 MB invocation limit.
  size_t max_body_bytes = size_t{6} << 20;
  /// Time kept before the deadline to post the answer.
  std::chrono::milliseconds answer_margin{1000};
};

struct HandledInvocation {
  std::string response;  // the document for invocation/{id}/response
  int status = 0;        // the HTTP status inside it
  std::string route;     // the matched route, "" when none matched
  int64_t rows = 0;      // rows stored by this invocation
};

/// The response header that tells how many rows an export stored (lifecycle.sh `test` reads it).
inline constexpr std::string_view kRowsHeader = "x-otlp2parquet-rows";

class InvocationHandler {
 public:
  /// `metrics` must outlive the handler.
  InvocationHandler(HandlerOptions options, SinkOpener open_sink, MetricsRegistry& metrics);
  /// Waits for exports abandoned at their deadline to end.
  ~InvocationHandler();
  InvocationHandler(const InvocationHandler&) = delete;
  InvocationHandler& operator=(const InvocationHandler&) = delete;

  /// INVALID_ARGUMENT when `event` is not an HTTP event (the runtime then reports an
  /// invocation error); every HTTP event gets an HTTP answer, errors included.
  Result<HandledInvocation> Handle(std::string_view event,
                                   std::chrono::system_clock::time_point deadline);

 private:
  server::http::HttpResponse Dispatch(const HttpEvent& event, std::string_view route,
                                      std::chrono::system_clock::time_point deadline,
                                      int64_t* rows);
  server::http::HttpResponse Export(const server::http::HttpRequest& request,
                                    std::chrono::system_clock::time_point deadline, int64_t* rows);

  struct Abandoned;
  void Abandon(std::unique_ptr<Abandoned> export_state);

  HandlerOptions options_;
  SinkOpener open_sink_;
  MetricsRegistry& metrics_;
  std::optional<Sink> sink_;
  uint64_t exports_ = 0;  // numbers the commits of each export apart
  std::vector<std::unique_ptr<Abandoned>> abandoned_;
};

/// The Lambda answer for an HTTP response: header names lower-cased, protobuf bodies marked
/// binary (base64 in the document).
HttpResult ToHttpResult(const server::http::HttpResponse& response);

}  // namespace o2p::lambda
