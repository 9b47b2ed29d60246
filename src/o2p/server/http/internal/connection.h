// Connection: one accepted TCP connection, served by one coroutine on its own strand.
//
// The coroutine loops: wait for the first byte of a request (idle_timeout between requests,
// io_timeout before the first), read the head, check it (route, Content-Length against
// max_body_bytes, body budget), send `100 Continue` if asked, read the body, call the handler,
// write the response. Everything of one connection runs on its strand, so Stop() reaches it by
// posting there. A refused request whose body was not read closes the connection after the
// answer; the close is "lingering" (shut down our side, drain what the peer still sends for a
// short while) so the peer reads the answer rather than a reset.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "o2p/server/http/http_server.h"
#include "o2p/server/http/internal/body_budget.h"
#include "o2p/server/http/internal/server_state.h"

namespace o2p::server::http::internal {

class Connection {
 public:
  /// `socket` must have been opened on a strand of the server's io_context.
  Connection(ServerState& state, boost::asio::ip::tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Registers the connection with `state` and spawns its coroutine (or closes it at once when
  /// the server is stopping or flooded).
  static void Start(std::shared_ptr<Connection> self);
  /// From any thread. Not forced: closes the connection only if it is waiting for a request; a
  /// request in progress is answered with `Connection: close`. Forced: closes it now.
  static void PostStop(std::shared_ptr<Connection> self, bool force);

 private:
  using Clock = std::chrono::steady_clock;
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  enum class Phase { kIdle, kBusy, kLingering };

  // One request from its first byte to its answer.
  struct Exchange {
    explicit Exchange(BodyBudget& budget) : reservation(budget) {}
    HttpRequest request;  // head only until the body is read
    unsigned version = 11;
    bool keep_alive = false;
    Clock::time_point start;
    BodyReservation reservation;
    bool over_budget = false;  // set when a chunk could not be reserved
  };

  // Why the head alone already decides the answer.
  struct Refusal {
    int status = 0;
    std::string message;
    std::string allow;  // for 405
  };

  static boost::asio::awaitable<void> Run(std::shared_ptr<Connection> self);
  boost::asio::awaitable<void> Serve();
  boost::asio::awaitable<bool> WaitForRequest();
  boost::asio::awaitable<bool> ServeOne();
  std::optional<Refusal> CheckHead(Exchange& exchange, const Parser& parser,
                                   const HttpHandler** handler);
  boost::asio::awaitable<bool> ReadBody(Exchange& exchange, Parser& parser);
  boost::asio::awaitable<void> AnswerUnreadable(Exchange& exchange,
                                                const boost::beast::error_code& ec);
  boost::asio::awaitable<bool> AnswerError(Exchange& exchange, const Refusal& refusal,
                                           bool keep_alive);
  boost::asio::awaitable<bool> Answer(Exchange& exchange, HttpResponse response, bool keep_alive);
  boost::asio::awaitable<void> LingerAndClose();
  void Observe(const HttpRequest& request, int status, Clock::duration latency) const;

  const HttpServerOptions& options() const { return state_.options(); }

  ServerState& state_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  Admission admission_ = Admission::kDrop;
  // The fields below are only touched on the connection's strand.
  Phase phase_ = Phase::kBusy;
  bool served_any_ = false;
  Clock::time_point request_start_;
};

}  // namespace o2p::server::http::internal
