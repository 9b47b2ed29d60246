#include "o2p/server/http/internal/connection.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <string_view>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>

#include "o2p/server/http/internal/messages.h"

namespace o2p::server::http::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Request line plus header fields; past it the answer is 431.
constexpr size_t kMaxHeaderBytes = 64 * 1024;
// The read buffer only ever holds a head, a slice of body in transit or a pipelined request.
// Its bound is also what bounds a chunk-size line or trailer: Beast has no limit of its own.
constexpr size_t kMaxBufferBytes = kMaxHeaderBytes + 16 * 1024;
constexpr size_t kReadChunk = 16 * 1024;
// How long a lingering close waits for the peer to finish sending and close its side.
constexpr std::chrono::milliseconds kMaxLinger{2000};

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Note: refusals are built as named variables before being passed to a co_await'ed call. g++ 12
// destroys a brace-initialized aggregate temporary in a co_await expression twice (a double
// free of its strings), so `co_await AnswerError(x, {413, msg, ""}, ...)` must not be written.

// True for errors that mean the peer sent something that is not HTTP/1.x (answered 400),
// false for a peer that just went away (nobody left to answer).
bool IsMalformed(const beast::error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return false;
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

bool IsHeaderTooLarge(const beast::error_code& ec) {
  return ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow;
}

}  // namespace

Connection::Connection(ServerState& state, asio::ip::tcp::socket socket)
    : state_(state), stream_(std::move(socket)), buffer_(kMaxBufferBytes) {}

Connection::~Connection() { state_.Unregister(this, admission_); }

void Connection::Start(std::shared_ptr<Connection> self) {
  self->admission_ = self->state_.Register(self);
  if (self->admission_ == Admission::kDrop) return;  // the socket closes with `self`
  auto executor = self->stream_.get_executor();
  asio::co_spawn(executor, Run(std::move(self)), asio::detached);
}

void Connection::PostStop(std::shared_ptr<Connection> self, bool force) {
  auto executor = self->stream_.get_executor();
  asio::post(executor, [self = std::move(self), force] {
    // A busy connection notices the stop flag itself and answers with Connection: close.
    if (force || self->phase_ == Phase::kIdle) self->stream_.close();
  });
}

asio::awaitable<void> Connection::Run(std::shared_ptr<Connection> self) {
  try {
    co_await self->Serve();
  } catch (const std::exception&) {
    // E.g. bad_alloc while building a response: lose this connection, not the process.
  }
  self->stream_.close();
}

asio::awaitable<void> Connection::Serve() {
  if (admission_ == Admission::kReject) {
    Exchange exchange(state_.budget());
    exchange.start = Clock::now();
    const Refusal refusal{503, "too many connections, retry later", ""};
    co_await AnswerError(exchange, refusal, false);
    co_return;
  }
  while (co_await WaitForRequest()) {
    if (!co_await ServeOne()) break;
  }
}

asio::awaitable<bool> Connection::WaitForRequest() {
  if (state_.stopping()) co_return false;
  if (buffer_.size() == 0) {
    // Waiting for the first byte is idle time; from then on io_timeout runs for the request.
    phase_ = Phase::kIdle;
    stream_.expires_after(served_any_ ? options().idle_timeout : options().io_timeout);
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
    phase_ = Phase::kBusy;
    if (ec) co_return false;
    buffer_.commit(n);
  }
  request_start_ = Clock::now();
  co_return true;
}

asio::awaitable<bool> Connection::ServeOne() {
  Exchange exchange(state_.budget());
  exchange.start = request_start_;
  // Chunked bodies reserve budget chunk by chunk, as each chunk size is announced.
  auto on_chunk = [&exchange](std::uint64_t size, std::string_view, beast::error_code& ec) {
    if (!exchange.reservation.Grow(static_cast<size_t>(size))) {
      exchange.over_budget = true;
      ec = asio::error::no_buffer_space;
    }
  };
  Parser parser;
  parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
  // No limit while reading the head: Content-Length is checked by CheckHead, which can then
  // answer 413 with the request head in hand. ReadBody sets the limit for chunked bodies.
  parser.body_limit(boost::none);
  parser.on_chunk_header(on_chunk);

  stream_.expires_after(options().io_timeout);
  auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, kUseTuple);
  if (ec) {
    co_await AnswerUnreadable(exchange, ec);
    co_return false;
  }
  exchange.request = RequestFromHead(parser.get());
  exchange.version = parser.get().version();
  exchange.keep_alive = parser.get().keep_alive();

  const HttpHandler* handler = nullptr;
  if (auto refusal = CheckHead(exchange, parser, &handler)) {
    // Without a body in the way the connection can carry on; otherwise it closes unread.
    co_return co_await AnswerError(exchange, *refusal, exchange.keep_alive && parser.is_done());
  }
  if (!parser.is_done() && !co_await ReadBody(exchange, parser)) co_return false;

  exchange.request.body = std::move(parser.get().body());
  HttpResponse response = CallHandler(options(), *handler, exchange.request);
  co_return co_await Answer(exchange, std::move(response), exchange.keep_alive);
}

std::optional<Connection::Refusal> Connection::CheckHead(Exchange& exchange, const Parser& parser,
                                                         const HttpHandler** handler) {
  const HttpRequest& request = exchange.request;
  Router::Match match = state_.router().Find(request.method, request.path);
  if (!match.path_known) return Refusal{404, fmt::format("no such path: {}", request.path), ""};
  if (match.handler == nullptr) {
    return Refusal{405, fmt::format("{} is not allowed on {}", request.method, request.path),
                   std::move(match.allow)};
  }
  if (auto length = parser.content_length()) {
    if (*length > options().max_body_bytes) {
      return Refusal{413,
                     fmt::format("request body of {} bytes exceeds the limit of {} bytes", *length,
                                 options().max_body_bytes),
                     ""};
    }
    if (!exchange.reservation.Grow(static_cast<size_t>(*length))) {
      return Refusal{503, "too many request bodies in flight, retry later", ""};
    }
  }
  *handler = match.handler;
  return std::nullopt;
}

asio::awaitable<bool> Connection::ReadBody(Exchange& exchange, Parser& parser) {
  // 100 Continue only now that the head passed every check (RFC 9110 10.1.1); HTTP/1.0
  // clients do not know it.
  if (exchange.version >= 11 &&
      beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(kContinue), kUseTuple);
    if (ec) co_return false;
  }
  parser.body_limit(options().max_body_bytes);
  auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser, kUseTuple);
  if (!ec) co_return true;
  std::optional<Refusal> refusal;
  if (exchange.over_budget) {
    refusal = Refusal{503, "too many request bodies in flight, retry later", ""};
  } else if (ec == bhttp::error::body_limit) {
    refusal = Refusal{
        413, fmt::format("request body exceeds the limit of {} bytes", options().max_body_bytes),
        ""};
  } else if (IsMalformed(ec)) {
    refusal = Refusal{400, "malformed request body: " + ec.message(), ""};
  }
  if (refusal) co_await AnswerError(exchange, *refusal, false);
  co_return false;
}

asio::awaitable<void> Connection::AnswerUnreadable(Exchange& exchange,
                                                   const beast::error_code& ec) {
  // The head could not be parsed, so the answer goes with an empty request.
  std::optional<Refusal> refusal;
  if (IsHeaderTooLarge(ec)) {
    refusal =
        Refusal{431, fmt::format("request header fields exceed {} bytes", kMaxHeaderBytes), ""};
  } else if (IsMalformed(ec)) {
    refusal = Refusal{400, "malformed request: " + ec.message(), ""};
  }
  if (refusal) co_await AnswerError(exchange, *refusal, false);
}

asio::awaitable<bool> Connection::AnswerError(Exchange& exchange, const Refusal& refusal,
                                              bool keep_alive) {
  HttpResponse response = RenderError(options(), exchange.request, refusal.status, refusal.message);
  if (!refusal.allow.empty()) response.headers.push_back({"Allow", refusal.allow});
  co_return co_await Answer(exchange, std::move(response), keep_alive);
}

asio::awaitable<bool> Connection::Answer(Exchange& exchange, HttpResponse response,
                                         bool keep_alive) {
  keep_alive = keep_alive && !state_.stopping();
  const int status = response.status;
  BeastResponse message = ToBeastResponse(std::move(response), exchange.version, keep_alive);
  stream_.expires_after(options().io_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream_, message, kUseTuple);
  // Latency runs from the request's first byte to its response written.
  const Clock::duration latency = Clock::now() - exchange.start;
  exchange.reservation.Reset();
  Observe(exchange.request, status, latency);
  if (ec) co_return false;
  if (!keep_alive) {
    co_await LingerAndClose();
    co_return false;
  }
  served_any_ = true;
  co_return true;
}

asio::awaitable<void> Connection::LingerAndClose() {
  phase_ = Phase::kLingering;
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  // Closing with unread bytes would send a reset, which can make the peer drop our answer
  // before reading it; so read and discard until the peer closes, for a bounded time.
  stream_.expires_after(std::min<std::chrono::milliseconds>(options().io_timeout, kMaxLinger));
  buffer_.clear();
  for (;;) {
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
    if (ec) break;
  }
  stream_.close();
}

void Connection::Observe(const HttpRequest& request, int status, Clock::duration latency) const {
  if (!options().request_observer) return;
  try {
    options().request_observer(request, status,
                               std::chrono::duration_cast<std::chrono::nanoseconds>(latency));
  } catch (const std::exception&) {
    // Metrics must not take a connection down.
  }
}

}  // namespace o2p::server::http::internal
