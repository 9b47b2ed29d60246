// The loopback test server: blocking Asio sockets, one thread per connection, Beast only to
// parse requests. Stopping shuts every socket down so that blocked threads return.
#include "unit/storage/http_test_server.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/format.h>
#include <sys/socket.h>

#include "o2p/base/text_codec.h"

namespace o2p::storage::http::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

// What the server and its connection threads share.
struct ServerState {
  mutable std::mutex mu;
  std::vector<ReceivedRequest> requests;
};

template <typename Stream>
std::optional<ReceivedRequest> ReadRequestFrom(Stream& stream, beast::flat_buffer& buffer) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(64 << 20);
  beast::error_code ec;
  bhttp::read(stream, buffer, parser, ec);
  if (ec) return std::nullopt;
  const auto& message = parser.get();
  ReceivedRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  request.body = message.body();
  return request;
}

class ConnectionImpl final : public ServerConnection {
 public:
  ConnectionImpl(int index, tcp::socket& socket, ssl::context* tls, ServerState& state)
      : index_(index), socket_(socket), state_(state) {
    if (tls != nullptr) tls_.emplace(socket, *tls);
  }

  bool Handshake() {
    if (!tls_) return true;
    beast::error_code ec;
    tls_->handshake(ssl::stream_base::server, ec);
    return !ec;
  }

  int index() const override { return index_; }

  std::optional<ReceivedRequest> ReadRequest() override {
    std::optional<ReceivedRequest> request =
        tls_ ? ReadRequestFrom(*tls_, buffer_) : ReadRequestFrom(socket_, buffer_);
    if (request) {
      std::lock_guard lock(state_.mu);
      state_.requests.push_back(*request);
    }
    return request;
  }

  bool Write(std::string_view bytes) override {
    beast::error_code ec;
    if (tls_) {
      asio::write(*tls_, asio::buffer(bytes.data(), bytes.size()), ec);
    } else {
      asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
    }
    return !ec;
  }

  void Close() override {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
  }

  void WaitForClose() override {
    char scratch[512];
    beast::error_code ec;
    while (!ec) socket_.read_some(asio::buffer(scratch), ec);
  }

 private:
  const int index_;
  tcp::socket& socket_;
  std::optional<ssl::stream<tcp::socket&>> tls_;
  beast::flat_buffer buffer_;
  ServerState& state_;
};

class ServerImpl final : public LoopbackServer {
 public:
  ServerImpl(ConnectionHandler handler, const Options& options)
      : handler_(std::move(handler)), ipv6_(options.ipv6), acceptor_(io_) {
    if (!options.cert_file.empty()) {
      tls_.emplace(ssl::context::tls_server);
      tls_->use_certificate_chain_file(options.cert_file);
      tls_->use_private_key_file(options.key_file, ssl::context::pem);
    }
  }

  ~ServerImpl() override { Stop(); }

  bool Listen() {
    beast::error_code ec;
    const tcp::endpoint address(asio::ip::make_address(ipv6_ ? "::1" : "127.0.0.1"), 0);
    acceptor_.open(address.protocol(), ec);
    if (!ec) acceptor_.bind(address, ec);
    if (!ec) acceptor_.listen(64, ec);
    if (ec) return false;
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
    return true;
  }

  uint16_t port() const override { return port_; }
  Endpoint endpoint() const override {
    return Endpoint{tls_.has_value(), ipv6_ ? "::1" : "127.0.0.1", port_, ""};
  }
  int accepted() const override { return accepted_.load(); }
  std::vector<ReceivedRequest> requests() const override {
    std::lock_guard lock(state_.mu);
    return state_.requests;
  }

 private:
  void AcceptLoop() {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(io_);
      beast::error_code ec;
      acceptor_.accept(*socket, ec);
      if (stopping_.load()) return;
      if (ec) continue;
      const int index = accepted_.fetch_add(1);
      std::lock_guard lock(mu_);
      sockets_.push_back(socket);
      threads_.emplace_back([this, socket, index] { Serve(*socket, index); });
    }
  }

  void Serve(tcp::socket& socket, int index) {
    ConnectionImpl connection(index, socket, tls_ ? &*tls_ : nullptr, state_);
    if (connection.Handshake()) handler_(connection);
    connection.Close();
  }

  void Stop() {
    if (!accept_thread_.joinable()) return;
    stopping_.store(true);
    // Wakes the blocked accept() (Linux returns EINVAL for a shut-down listening socket).
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    accept_thread_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      for (const auto& socket : sockets_) ::shutdown(socket->native_handle(), SHUT_RDWR);
      threads = std::move(threads_);
    }
    for (std::thread& thread : threads) thread.join();
  }

  ConnectionHandler handler_;
  const bool ipv6_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::optional<ssl::context> tls_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread accept_thread_;
  std::mutex mu_;
  // Sockets stay open until the server is destroyed so that Stop never touches a reused fd.
  std::vector<std::shared_ptr<tcp::socket>> sockets_;
  std::vector<std::thread> threads_;
  ServerState state_;
};

}  // namespace

std::optional<std::string> ReceivedRequest::Find(std::string_view name) const {
  for (const Header& header : headers) {
    if (EqualsIgnoreCase(header.name, name)) return header.value;
  }
  return std::nullopt;
}

int ReceivedRequest::Count(std::string_view name) const {
  int count = 0;
  for (const Header& header : headers) count += EqualsIgnoreCase(header.name, name) ? 1 : 0;
  return count;
}

std::string EchoResponse(const ReceivedRequest& request) {
  const bool head = request.method == "HEAD";
  return fmt::format(
      "HTTP/1.1 200 OK\r\nX-Method: {}\r\nX-Target: {}\r\nContent-Length: {}\r\n\r\n{}",
      request.method, request.target, head ? size_t{42} : request.body.size(),
      head ? std::string_view() : std::string_view(request.body));
}

void ServeEcho(ServerConnection& connection) {
  while (std::optional<ReceivedRequest> request = connection.ReadRequest()) {
    if (!connection.Write(EchoResponse(*request))) return;
  }
}

std::unique_ptr<LoopbackServer> LoopbackServer::Start(ConnectionHandler handler,
                                                      const Options& options) {
  auto server = std::make_unique<ServerImpl>(std::move(handler), options);
  if (!server->Listen()) return nullptr;
  return server;
}

uint16_t UnusedPort() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace o2p::storage::http::testing
