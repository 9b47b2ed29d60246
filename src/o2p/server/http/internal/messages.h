// Conversions between Beast messages and the server's HttpRequest / HttpResponse, and the
// responses the server writes on its own (errors, with the options' renderer).
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "o2p/server/http/http_server.h"

namespace o2p::server::http::internal {

using BeastRequestHead = boost::beast::http::request_header<>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

/// Method, path, query and headers of `head`; the body is left empty.
HttpRequest RequestFromHead(const BeastRequestHead& head);

/// The answer for an error the server detected: options.error_renderer's, or text/plain. For 503
/// a `Retry-After: retry_after_seconds` header is added (when > 0) unless the renderer set one.
HttpResponse RenderError(const HttpServerOptions& options, const HttpRequest& head, int status,
                         std::string_view message);

/// Runs the handler; an exception or an unusable status becomes a rendered 500.
HttpResponse CallHandler(const HttpServerOptions& options, const HttpHandler& handler,
                         const HttpRequest& request);

/// The message to write: with Content-Length (none for 204 and 304, which have no body), and
/// `Connection: close` unless `keep_alive`. `version` is the request's (10 or 11). Framing headers
/// from `response` are dropped, since the server owns framing.
BeastResponse ToBeastResponse(HttpResponse response, unsigned version, bool keep_alive);

}  // namespace o2p::server::http::internal
