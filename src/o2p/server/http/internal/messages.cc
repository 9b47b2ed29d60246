#include "o2p/server/http/internal/messages.h"

#include <exception>
#include <utility>

#include <boost/beast/core/string.hpp>

namespace o2p::server::http::internal {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

bool HasHeaderNamed(const std::vector<HttpHeader>& headers, std::string_view name) {
  for (const HttpHeader& h : headers) {
    if (beast::iequals(h.name, name)) return true;
  }
  return false;
}

// Headers whose value would contradict the framing the server writes itself.
bool IsFramingHeader(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection");
}

}  // namespace

HttpRequest RequestFromHead(const BeastRequestHead& head) {
  HttpRequest request;
  request.method = std::string(head.method_string());
  std::string_view target = head.target();
  size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.headers.reserve(static_cast<size_t>(std::distance(head.begin(), head.end())));
  for (const auto& field : head) {
    request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  return request;
}

HttpResponse RenderError(const HttpServerOptions& options, const HttpRequest& head, int status,
                         std::string_view message) {
  HttpResponse response;
  bool rendered = false;
  if (options.error_renderer) {
    try {
      response = options.error_renderer(head, status, message);
      rendered = true;
    } catch (const std::exception&) {
      // A throwing renderer must not take the connection down: fall back to plain text.
    }
  }
  if (!rendered) response = {status, "text/plain; charset=utf-8", std::string(message), {}};
  // The status is the server's decision, whatever the renderer put there.
  response.status = status;
  if (status == 503 && options.retry_after_seconds > 0 &&
      !HasHeaderNamed(response.headers, "retry-after")) {
    response.headers.push_back({"Retry-After", std::to_string(options.retry_after_seconds)});
  }
  return response;
}

HttpResponse CallHandler(const HttpServerOptions& options, const HttpHandler& handler,
                         const HttpRequest& request) {
  HttpResponse response;
  try {
    response = handler(request);
  } catch (const std::exception& e) {
    return RenderError(options, request, 500, std::string("handler failed: ") + e.what());
  } catch (...) {
    return RenderError(options, request, 500, "handler failed");
  }
  // 1xx would announce a second response that never comes; past 599 is no HTTP status.
  if (response.status < 200 || response.status > 599) {
    return RenderError(options, request, 500, "handler returned an unsupported status");
  }
  return response;
}

BeastResponse ToBeastResponse(HttpResponse response, unsigned version, bool keep_alive) {
  BeastResponse message;
  message.version(version == 10 ? 10 : 11);
  message.result(static_cast<unsigned>(response.status));
  for (HttpHeader& header : response.headers) {
    if (header.name.empty() || IsFramingHeader(header.name)) continue;
    message.insert(header.name, header.value);
  }
  if (!response.content_type.empty()) {
    message.set(bhttp::field::content_type, response.content_type);
  }
  if (response.status == 204 || response.status == 304) {
    // These never carry a body, so they get no Content-Length either (RFC 9110 8.6).
    message.body().clear();
  } else {
    message.body() = std::move(response.body);
    message.prepare_payload();
  }
  if (keep_alive) {
    message.keep_alive(true);
  } else {
    message.set(bhttp::field::connection, "close");
  }
  return message;
}

}  // namespace o2p::server::http::internal
