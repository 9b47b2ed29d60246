// The Beast + OpenSSL HttpClient. All Beast/Asio code of the client lives in this one file
// because those headers are slow to compile.
//
// Every connection owns a single-threaded io_context. A Send takes a connection (from the pool
// or freshly connected) and runs its io_context on the calling thread, one async operation at
// a time, each bounded by the stream's expiry (beast::tcp_stream::expires_at). That gives
// synchronous calls whose deadlines cover connect, TLS handshake, write and read, and lets
// any number of threads call Send at once without a shared event loop.
#include "o2p/storage/http/http_client.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include "o2p/base/macros.h"
#include "o2p/storage/http/internal/message.h"
#include "o2p/storage/http/internal/tls_context.h"

namespace o2p::storage::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
/// When an operation must be over; no value means no limit.
using Deadline = std::optional<Clock::time_point>;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using RequestMessage = bhttp::request<bhttp::span_body<const char>>;
using ResponseParser = bhttp::response_parser<bhttp::string_body>;

// Interim (1xx) responses skipped before the final one; more is a broken server.
constexpr int kMaxInterimResponses = 8;

std::string HostPort(const Endpoint& endpoint) {
  if (endpoint.host.find(':') != std::string::npos) {
    return fmt::format("[{}]:{}", endpoint.host, endpoint.port);
  }
  return fmt::format("{}:{}", endpoint.host, endpoint.port);
}

bool IsIpLiteral(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

bool Expired(const Deadline& deadline) { return deadline && Clock::now() >= *deadline; }

Deadline Earlier(const Deadline& a, const Deadline& b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

Deadline DeadlineAfter(std::chrono::milliseconds timeout) {
  if (timeout.count() <= 0) return std::nullopt;
  return Clock::now() + timeout;
}

// `what` says which step failed ("connect", "TLS handshake", "read response", ...). A timeout
// is DEADLINE_EXCEEDED only when the caller's deadline passed; the connect timeout alone means
// the host is unreachable, which is UNAVAILABLE like a refused connection.
Status TransportError(const beast::error_code& ec, std::string_view what, const Endpoint& endpoint,
                      const Deadline& overall) {
  if (ec == beast::error::timeout) {
    if (Expired(overall)) {
      return {StatusCode::kDeadlineExceeded,
              fmt::format("HTTP {} {}: deadline exceeded", what, HostPort(endpoint))};
    }
    return Status::Unavailable("HTTP {} {}: connect timeout expired", what, HostPort(endpoint));
  }
  return Status::Unavailable("HTTP {} {}: {}", what, HostPort(endpoint), ec.message());
}

// One connection and the io_context its operations run on. It is used by one thread at a time
// (the Send that took it), which runs the io_context itself.
class Connection {
 public:
  Connection(bool tls, ssl::context& tls_context) {
    if (tls) {
      tls_stream_.emplace(io_, tls_context);
    } else {
      plain_stream_.emplace(io_);
    }
  }

  beast::tcp_stream& Tcp() {
    return tls_stream_ ? beast::get_lowest_layer(*tls_stream_) : *plain_stream_;
  }
  TlsStream* Tls() { return tls_stream_ ? &*tls_stream_ : nullptr; }
  beast::flat_buffer& Buffer() { return buffer_; }

  /// Calls `fn` with the stream requests are written to: TLS or plain TCP.
  template <typename Fn>
  auto WithStream(Fn&& fn) {
    return tls_stream_ ? fn(*tls_stream_) : fn(*plain_stream_);
  }

  /// Bounds every operation started from now on; beast closes the socket when it passes.
  void SetDeadline(const Deadline& deadline) {
    if (deadline) {
      Tcp().expires_at(*deadline);
    } else {
      Tcp().expires_never();
    }
  }

  /// Runs the operations started on this connection, on this thread, until all completed.
  void RunPending() {
    io_.restart();
    io_.run();
  }

  /// True when the idle peer has neither closed nor sent anything. A peer that closed an idle
  /// keep-alive connection has sent a FIN (or a TLS close_notify) that is waiting to be read.
  bool LooksReusable() {
    char byte = 0;
    const ssize_t n = ::recv(Tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

 private:
  // Declared first so that it outlives the streams bound to it.
  asio::io_context io_{1};
  std::optional<beast::tcp_stream> plain_stream_;
  std::optional<TlsStream> tls_stream_;
  beast::flat_buffer buffer_;
};

// Idle keep-alive connections per (tls, host, port), at most max_idle each.
class ConnectionPool {
 public:
  using Key = std::tuple<bool, std::string, uint16_t>;

  explicit ConnectionPool(size_t max_idle) : max_idle_(max_idle) {}

  /// The most recently used idle connection that still looks open, or null.
  std::unique_ptr<Connection> Take(const Key& key) {
    for (;;) {
      std::unique_ptr<Connection> connection;
      {
        std::lock_guard lock(mu_);
        auto it = idle_.find(key);
        if (it == idle_.end() || it->second.empty()) return nullptr;
        connection = std::move(it->second.back());
        it->second.pop_back();
      }
      // Checked (and a dead one closed) outside the lock: it is a system call.
      if (connection->LooksReusable()) return connection;
    }
  }

  void Put(const Key& key, std::unique_ptr<Connection> connection) {
    std::unique_lock lock(mu_);
    std::vector<std::unique_ptr<Connection>>& list = idle_[key];
    if (list.size() >= max_idle_) {
      lock.unlock();
      return;  // `connection` closes here, outside the lock.
    }
    list.push_back(std::move(connection));
  }

 private:
  const size_t max_idle_;
  std::mutex mu_;
  std::map<Key, std::vector<std::unique_ptr<Connection>>> idle_;
};

// getaddrinfo cannot be cancelled, so with a deadline it runs on a detached thread that the
// caller stops waiting for; the thread finishes on its own (its state is shared).
struct ResolveState {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  beast::error_code ec;
  std::vector<tcp::endpoint> addresses;
};

void ResolveInto(const std::shared_ptr<ResolveState>& state, const std::string& host,
                 const std::string& port) {
  asio::io_context io;
  tcp::resolver resolver(io);
  beast::error_code ec;
  const tcp::resolver::results_type results = resolver.resolve(host, port, ec);
  std::vector<tcp::endpoint> addresses;
  for (const auto& entry : results) addresses.push_back(entry.endpoint());
  std::lock_guard lock(state->mu);
  state->ec = ec;
  state->addresses = std::move(addresses);
  state->done = true;
  state->done_cv.notify_all();
}

Result<std::vector<tcp::endpoint>> Resolve(const Endpoint& endpoint, const Deadline& deadline,
                                           const Deadline& overall) {
  if (IsIpLiteral(endpoint.host)) {
    return std::vector<tcp::endpoint>{
        tcp::endpoint(asio::ip::make_address(endpoint.host), endpoint.port)};
  }

  auto state = std::make_shared<ResolveState>();
  const std::string port = std::to_string(endpoint.port);
  if (!deadline) {
    ResolveInto(state, endpoint.host, port);
  } else {
    std::thread([state, host = endpoint.host, port] { ResolveInto(state, host, port); }).detach();
  }
  std::unique_lock lock(state->mu);
  if (deadline && !state->done_cv.wait_until(lock, *deadline, [&] { return state->done; })) {
    return TransportError(beast::error::timeout, "resolve", endpoint, overall);
  }
  if (state->ec) return TransportError(state->ec, "resolve", endpoint, overall);
  if (state->addresses.empty()) {
    return Status::Unavailable("HTTP resolve {}: no addresses", HostPort(endpoint));
  }
  return std::move(state->addresses);
}

RequestMessage BuildMessage(const Request& request, const std::vector<Header>& headers) {
  RequestMessage message;
  message.method_string(request.method);
  message.target(request.target);
  message.version(11);
  for (const Header& header : headers) message.insert(header.name, header.value);
  message.body() = RequestMessage::body_type::value_type(request.body.data(), request.body.size());
  return message;
}

Response ToResponse(bhttp::response<bhttp::string_body>&& message) {
  Response response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  response.body = std::move(message.body());
  return response;
}

// The outcome of writing one request and reading its response on one connection.
struct Attempt {
  Result<Response> result = Status(StatusCode::kInternal, "HTTP exchange not run");
  /// The connection may carry the next request.
  bool keep_alive = false;
  /// It failed before any response byte arrived (so a reused connection may be retried).
  bool nothing_received = false;
};

class BeastHttpClient final : public HttpClient {
 public:
  BeastHttpClient(const HttpClientOptions& options, internal::SslCtxPtr ssl_context)
      : options_(options),
        tls_context_(ssl_context.release()),  // asio takes ownership of the SSL_CTX
        pool_(options.max_idle_per_host) {}

  Result<Response> Send(const Endpoint& endpoint, const Request& request,
                        std::chrono::milliseconds timeout) override {
    try {
      return SendOrThrow(endpoint, request, DeadlineAfter(timeout));
    } catch (const std::exception& e) {
      // Only allocation failures and the like get here: Asio reports I/O errors as codes.
      return Status::Internal("HTTP {} {}: {}", request.method, HostPort(endpoint), e.what());
    }
  }

 private:
  Result<Response> SendOrThrow(const Endpoint& endpoint, const Request& request,
                               const Deadline& deadline);
  Result<std::unique_ptr<Connection>> Connect(const Endpoint& endpoint, const Deadline& overall);
  Status Handshake(Connection& connection, const Endpoint& endpoint, const Deadline& deadline,
                   const Deadline& overall);
  Attempt Exchange(Connection& connection, RequestMessage& message, const Endpoint& endpoint,
                   const Deadline& deadline);
  Status ReadResponse(Connection& connection, std::optional<ResponseParser>& parser, bool head,
                      const Endpoint& endpoint, const Deadline& deadline, Attempt& attempt);
  Result<Response> Finish(const ConnectionPool::Key& key, std::unique_ptr<Connection> connection,
                          Attempt attempt);

  const HttpClientOptions options_;
  ssl::context tls_context_;
  ConnectionPool pool_;
};

Result<Response> BeastHttpClient::SendOrThrow(const Endpoint& endpoint, const Request& request,
                                              const Deadline& deadline) {
  if (Status invalid = internal::ValidateRequest(request); !invalid.ok()) {
    return invalid.WithPrefix(fmt::format("HTTP request to {}", HostPort(endpoint)));
  }
  RequestMessage message = BuildMessage(request, internal::HeadersToSend(endpoint, request));
  const ConnectionPool::Key key{endpoint.tls, endpoint.host, endpoint.port};
  if (std::unique_ptr<Connection> reused = pool_.Take(key)) {
    Attempt attempt = Exchange(*reused, message, endpoint, deadline);
    const bool stale = !attempt.result.has_value() && attempt.nothing_received &&
                       attempt.result.error().code() == StatusCode::kUnavailable;
    if (!stale) return Finish(key, std::move(reused), std::move(attempt));
    // The server closed the idle connection while we reused it: nothing was processed
    // (RFC 9112 section 9.3.1), so the request goes once more on a new connection.
  }
  O2P_ASSIGN_OR_RETURN(std::unique_ptr<Connection> fresh, Connect(endpoint, deadline));
  Attempt attempt = Exchange(*fresh, message, endpoint, deadline);
  return Finish(key, std::move(fresh), std::move(attempt));
}

Result<Response> BeastHttpClient::Finish(const ConnectionPool::Key& key,
                                         std::unique_ptr<Connection> connection, Attempt attempt) {
  if (attempt.result.has_value() && attempt.keep_alive) pool_.Put(key, std::move(connection));
  return std::move(attempt.result);
}

Result<std::unique_ptr<Connection>> BeastHttpClient::Connect(const Endpoint& endpoint,
                                                             const Deadline& overall) {
  const Deadline deadline = Earlier(overall, DeadlineAfter(options_.connect_timeout));
  O2P_ASSIGN_OR_RETURN(std::vector<tcp::endpoint> addresses, Resolve(endpoint, deadline, overall));
  auto connection = std::make_unique<Connection>(endpoint.tls, tls_context_);
  connection->SetDeadline(deadline);
  beast::error_code ec;
  connection->Tcp().async_connect(
      addresses, [&ec](const beast::error_code& result, const tcp::endpoint&) { ec = result; });
  connection->RunPending();
  if (ec) return TransportError(ec, "connect", endpoint, overall);
  // Requests are written whole; Nagle would only delay a body that follows its header.
  connection->Tcp().socket().set_option(tcp::no_delay(true), ec);
  if (endpoint.tls) O2P_RETURN_IF_ERROR(Handshake(*connection, endpoint, deadline, overall));
  return connection;
}

Status BeastHttpClient::Handshake(Connection& connection, const Endpoint& endpoint,
                                  const Deadline& deadline, const Deadline& overall) {
  SSL* ssl_handle = connection.Tls()->native_handle();
  if (!IsIpLiteral(endpoint.host)) {
    // SNI (RFC 6066 section 3) carries DNS names only. SSL_set_tlsext_host_name is a macro
    // with an old-style cast, hence SSL_ctrl.
    SSL_ctrl(ssl_handle, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(endpoint.host.c_str()));
  }
  // OpenSSL 3 checks an IP literal against the certificate's IP addresses, a name against
  // its DNS names (RFC 6125).
  if (options_.verify_peer && SSL_set1_host(ssl_handle, endpoint.host.c_str()) != 1) {
    return Status::Internal("HTTP TLS handshake {}: cannot set the expected host name",
                            HostPort(endpoint));
  }
  connection.SetDeadline(deadline);
  beast::error_code ec;
  connection.Tls()->async_handshake(ssl::stream_base::client,
                                    [&ec](const beast::error_code& result) { ec = result; });
  connection.RunPending();
  if (!ec) return Status::Ok();
  const long verify_result = SSL_get_verify_result(ssl_handle);
  if (verify_result != X509_V_OK) {
    return Status::Unavailable("HTTP TLS handshake {}: certificate verification failed: {}",
                               HostPort(endpoint), X509_verify_cert_error_string(verify_result));
  }
  return TransportError(ec, "TLS handshake", endpoint, overall);
}

Attempt BeastHttpClient::Exchange(Connection& connection, RequestMessage& message,
                                  const Endpoint& endpoint, const Deadline& deadline) {
  Attempt attempt;
  const std::string what = std::string(message.method_string());
  connection.SetDeadline(deadline);
  beast::error_code ec;
  connection.WithStream([&](auto& stream) {
    bhttp::async_write(stream, message,
                       [&ec](const beast::error_code& result, size_t) { ec = result; });
  });
  connection.RunPending();
  if (ec) {
    attempt.nothing_received = true;
    attempt.result = TransportError(ec, what + " write request to", endpoint, deadline);
    return attempt;
  }
  std::optional<ResponseParser> parser;
  const bool head = internal::IsHead(message.method_string());
  if (Status s = ReadResponse(connection, parser, head, endpoint, deadline, attempt); !s.ok()) {
    attempt.result = std::move(s);
    return attempt;
  }
  // A close-delimited body, or bytes past the response, leave nothing to reuse.
  attempt.keep_alive =
      parser->get().keep_alive() && !parser->need_eof() && connection.Buffer().size() == 0;
  attempt.result = ToResponse(parser->release());
  return attempt;
}

// Reads the final response into `parser`, skipping interim 1xx responses (RFC 9110 section
// 15.2). Sets attempt.nothing_received when it fails before any response byte.
Status BeastHttpClient::ReadResponse(Connection& connection, std::optional<ResponseParser>& parser,
                                     bool head, const Endpoint& endpoint, const Deadline& deadline,
                                     Attempt& attempt) {
  for (int interim = 0;; ++interim) {
    parser.emplace();
    parser->body_limit(options_.max_response_body_bytes);
    // A HEAD response has the headers of a GET but never a body (RFC 9110 section 9.3.2).
    parser->skip(head);
    beast::error_code ec;
    connection.WithStream([&](auto& stream) {
      bhttp::async_read(stream, connection.Buffer(), *parser,
                        [&ec](const beast::error_code& result, size_t) { ec = result; });
    });
    connection.RunPending();
    if (ec == ssl::error::stream_truncated && parser->is_header_done() && parser->need_eof()) {
      // A TLS peer that ends a close-delimited body without close_notify; the body is as
      // complete as it would be over plain TCP.
      parser->put_eof(ec);
    }
    if (ec == bhttp::error::body_limit) {
      return Status::ResourceExhausted("HTTP read response from {}: body larger than {} bytes",
                                       HostPort(endpoint), options_.max_response_body_bytes);
    }
    if (ec) {
      attempt.nothing_received =
          interim == 0 && !parser->got_some() && connection.Buffer().size() == 0;
      return TransportError(ec, "read response from", endpoint, deadline);
    }
    const unsigned status = parser->get().result_int();
    if (status < 100 || status > 199 || status == 101) return Status::Ok();
    if (interim + 1 >= kMaxInterimResponses) {
      return Status::Unavailable("HTTP read response from {}: too many 1xx responses",
                                 HostPort(endpoint));
    }
  }
}

}  // namespace

Result<std::unique_ptr<HttpClient>> MakeHttpClient(const HttpClientOptions& options) {
  O2P_ASSIGN_OR_RETURN(internal::SslCtxPtr ssl_context, internal::MakeClientSslContext(options));
  return std::unique_ptr<HttpClient>(
      std::make_unique<BeastHttpClient>(options, std::move(ssl_context)));
}

}  // namespace o2p::storage::http
