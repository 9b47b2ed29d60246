#include "o2p/server/http/http_server.h"

#include <charconv>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>

#include "o2p/base/macros.h"
#include "o2p/server/http/internal/connection.h"
#include "o2p/server/http/internal/router.h"
#include "o2p/server/http/internal/server_state.h"

namespace o2p::server::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

// After a forced close, how long Stop() lets connections unwind (release their budget, call the
// observer) before the io_context is stopped under them.
constexpr std::chrono::milliseconds kForcedCloseUnwind{1000};
// Pause after a failed accept (e.g. out of file descriptors) so the loop does not spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

Result<uint16_t> ParsePort(std::string_view listen, std::string_view text) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || text.size() > 5 || ec != std::errc() || ptr != end || value > 65535) {
    return Status::InvalidArgument("listen address \"{}\": bad port \"{}\"", listen, text);
  }
  return static_cast<uint16_t>(value);
}

// "HOST:PORT" with an IPv4 literal or "localhost", or "[IPv6]:PORT".
Result<tcp::endpoint> ParseListen(std::string_view listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument("listen address \"{}\" is not HOST:PORT", listen);
  }
  std::string_view host = listen.substr(0, colon);
  O2P_ASSIGN_OR_RETURN(uint16_t port, ParsePort(listen, listen.substr(colon + 1)));
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  if (beast::iequals(host, "localhost")) host = "127.0.0.1";
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(std::string(host), ec);
  // IPv6 must be bracketed, so that "::1:80" cannot be read two ways.
  if (ec || address.is_v6() != bracketed) {
    return Status::InvalidArgument("listen address \"{}\": \"{}\" is not an IP address{}", listen,
                                   host, bracketed ? "" : " (write IPv6 as [addr]:port)");
  }
  return tcp::endpoint(address, port);
}

class HttpServerImpl final : public HttpServer {
 public:
  HttpServerImpl(HttpServerOptions options, internal::Router router)
      : state_(std::move(options), std::move(router)),
        io_(state_.options().threads),
        work_(asio::make_work_guard(io_)),
        acceptor_(asio::make_strand(io_)) {}

  ~HttpServerImpl() override { Stop(std::chrono::seconds(10)); }

  Status Listen(const tcp::endpoint& endpoint);
  void Run();

  uint16_t port() const override { return port_; }
  void Stop(std::chrono::milliseconds grace) override;

 private:
  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> AcceptConnections();

  // Declared first so that it outlives io_: destroying io_ destroys suspended connection
  // coroutines, whose connections unregister from state_.
  internal::ServerState state_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  tcp::acceptor acceptor_;  // on its own strand; closed there by Stop()
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;

  std::mutex stop_mu_;  // makes concurrent Stop() calls wait for the first one
  bool stopped_ = false;
};

Status HttpServerImpl::Listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  // reuse_address only lets a restarted server bind over TIME_WAIT sockets; it does not allow
  // two listeners on one port.
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  tcp::endpoint bound;
  if (!ec) bound = acceptor_.local_endpoint(ec);
  if (ec) {
    return Status::Unavailable("cannot listen on {}: {}", state_.options().listen, ec.message());
  }
  port_ = bound.port();
  return Status::Ok();
}

void HttpServerImpl::Run() {
  state_.SetAccepting(true);
  asio::co_spawn(acceptor_.get_executor(), AcceptLoop(), asio::detached);
  const int threads = state_.options().threads;
  threads_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      for (;;) {
        try {
          io_.run();
          return;
        } catch (const std::exception&) {
          // Connections catch their own exceptions; keep the thread serving regardless.
        }
      }
    });
  }
}

asio::awaitable<void> HttpServerImpl::AcceptLoop() {
  try {
    co_await AcceptConnections();
  } catch (const std::exception&) {
    // Only allocation failures get here; the server stops accepting rather than crashing.
  }
  state_.SetAccepting(false);
}

asio::awaitable<void> HttpServerImpl::AcceptConnections() {
  constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
  for (;;) {
    // Each connection gets its own strand: its coroutine and Stop()'s posts never overlap.
    tcp::socket socket(asio::make_strand(io_));
    auto [ec] = co_await acceptor_.async_accept(socket, kUseTuple);
    if (!acceptor_.is_open() || state_.stopping()) co_return;
    if (ec) {
      asio::steady_timer delay(acceptor_.get_executor(), kAcceptRetryDelay);
      co_await delay.async_wait(kUseTuple);
      continue;
    }
    internal::Connection::Start(std::make_shared<internal::Connection>(state_, std::move(socket)));
  }
}

void HttpServerImpl::Stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(stop_mu_);
  if (stopped_) return;
  stopped_ = true;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  for (auto& connection : state_.BeginStop()) {
    internal::Connection::PostStop(std::move(connection), /*force=*/false);
  }
  if (!state_.WaitDrained(deadline)) {
    for (auto& connection : state_.Snapshot()) {
      internal::Connection::PostStop(std::move(connection), /*force=*/true);
    }
    // A handler still running cannot be interrupted; joining below waits for it.
    (void)state_.WaitDrained(std::chrono::steady_clock::now() + kForcedCloseUnwind);
  }
  work_.reset();
  io_.stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                      std::vector<HttpRoute> routes) {
  if (options.threads < 1) {
    return Status::InvalidArgument("http server needs at least one thread, got {}",
                                   options.threads);
  }
  O2P_ASSIGN_OR_RETURN(tcp::endpoint endpoint, ParseListen(options.listen));
  O2P_ASSIGN_OR_RETURN(internal::Router router, internal::Router::Make(std::move(routes)));
  auto server = std::make_unique<HttpServerImpl>(std::move(options), std::move(router));
  O2P_RETURN_IF_ERROR(server->Listen(endpoint));
  server->Run();
  return std::unique_ptr<HttpServer>(std::move(server));
}

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const HttpHeader& header : headers) {
    if (beast::iequals(header.name, name)) return header.value;
  }
  return {};
}

bool HttpRequest::HasHeader(std::string_view name) const {
  for (const HttpHeader& header : headers) {
    if (beast::iequals(header.name, name)) return true;
  }
  return false;
}

}  // namespace o2p::server::http
