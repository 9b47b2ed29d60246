// HttpServer: a small HTTP/1.1 server on Boost.Beast/Asio for the OTLP/HTTP front door and the
// operational endpoints (/health, /ready, /metrics).
//
// It knows nothing of OTLP: routes map (method, path) to handlers that turn a complete request
// into a complete response. What it does own is everything that protects the process from its
// peers: body limits (checked on Content-Length before the body is read, and while a chunked
// body streams in), a budget for bodies held in memory at once, a connection cap, timeouts for
// slow or idle peers, `Expect: 100-continue`, keep-alive, and 404 / 405 (with `Allow`).
//
//   HttpServer::Options options;
//   options.listen = "127.0.0.1:0";                      // port 0: pick a free port
//   std::vector<HttpRoute> routes = {{"GET", "/health", [](const HttpRequest&) {
//     return HttpResponse{200, "text/plain; charset=utf-8", "Healthy"};
//   }}};
//   auto server = HttpServer::Start(options, std::move(routes));
//   ... (*server)->port() ...
//   (*server)->Stop();                                   // graceful: in-flight requests finish
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "o2p/base/result.h"

namespace o2p::server::http {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method;  // as sent, e.g. "POST"
  std::string path;    // target without the query string, e.g. "/v1/logs"
  std::string query;   // after '?', without it; "" when absent
  std::vector<HttpHeader> headers;
  std::string body;  // de-chunked, still Content-Encoded

  /// Value of the first header named `name` (case-insensitive); "" when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // omitted when empty
  std::string body;
  std::vector<HttpHeader> headers;  // extra headers, e.g. Retry-After, Allow
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpRoute {
  std::string method;  // exact, e.g. "POST"
  std::string path;    // exact, e.g. "/v1/logs"
  HttpHandler handler;
};

/// Builds the response for an error the server itself detects (404, 405, 413, 503 when the body
/// budget or connection cap is exhausted, 400 for an unparsable request). `request` carries the
/// head only (body empty). `retry_after_seconds` > 0 means a Retry-After header is added by the
/// server. The default answers text/plain with `message`.
using ErrorRenderer =
    std::function<HttpResponse(const HttpRequest& request, int status, std::string_view message)>;

/// Called once per answered request, from a server thread: for the latency histogram and counts.
/// Runs after the response is written (or its write failed) and the request's body budget is
/// released. `latency` runs from the first byte of the request to the response written. The
/// server's own answers are observed too: with the request head (body empty), or with an empty
/// request for an unparsable head (400, 431) and for the 503 of a connection over the cap.
using RequestObserver =
    std::function<void(const HttpRequest& request, int status, std::chrono::nanoseconds latency)>;

struct HttpServerOptions {
  /// "HOST:PORT"; IPv6 as "[::1]:4318"; port 0 picks a free port (see HttpServer::port()).
  std::string listen = "0.0.0.0:4318";
  /// Threads running the I/O loop; handlers run on them too, so this is also the number of
  /// requests decoded at once.
  int threads = 1;
  /// Largest body as received (after de-chunking, before Content-Encoding is undone): 413 above.
  size_t max_body_bytes = size_t{8} << 20;
  /// Bodies of all connections held in memory at once (being read or handled). A request whose
  /// declared body does not fit is answered 503 with Retry-After before its body is read; a
  /// chunked body reserves chunk by chunk, and gets the 503 when a chunk does not fit. A body's
  /// bytes are held until its response has been written.
  size_t max_inflight_body_bytes = size_t{256} << 20;
  /// Open connections; past this, new connections get 503 with Retry-After and are closed.
  size_t max_connections = 4096;
  /// How long a keep-alive connection may sit idle between requests. (A new connection gets
  /// io_timeout to send its first byte.)
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  /// How long reading one request's head and body (from its first byte), or writing a response,
  /// may take. A peer over it is disconnected without an answer.
  std::chrono::milliseconds io_timeout{std::chrono::seconds(30)};
  /// Retry-After value (seconds) on the server's own 503 answers.
  int retry_after_seconds = 1;
  ErrorRenderer error_renderer;      // null: text/plain
  RequestObserver request_observer;  // null: none
};

class HttpServer {
 public:
  /// Binds, listens and starts the I/O threads. INVALID_ARGUMENT for a malformed `listen`,
  /// UNAVAILABLE when the address cannot be bound (message names it and the OS reason).
  static Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                   std::vector<HttpRoute> routes);

  virtual ~HttpServer() = default;

  /// The bound port (useful after listening on port 0).
  virtual uint16_t port() const = 0;
  /// Stops accepting, lets requests being handled finish and answer (with Connection: close),
  /// closes idle connections, joins the threads. Waits at most `grace`, then closes the rest.
  /// Safe to call more than once and from any thread except the server's own (i.e. not from a
  /// handler or observer): it joins them. A handler cannot be interrupted, so one still running
  /// after `grace` is waited for.
  virtual void Stop(std::chrono::milliseconds grace = std::chrono::seconds(10)) = 0;
};

}  // namespace o2p::server::http
