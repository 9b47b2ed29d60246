// A loopback HTTP/1.1 server for the HttpClient tests: it listens on 127.0.0.1 (or ::1) on a
// free port, optionally speaks TLS, and runs a test-supplied handler on a thread per accepted
// connection, so each test scripts exactly what the server sends, including misbehaviour.
//
//   auto server = LoopbackServer::Start(ServeEcho);
//   client->Send(server->endpoint(), request, timeout);
//   EXPECT_EQ(server->accepted(), 1);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/storage/http/http_client.h"

namespace o2p::storage::http::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<Header> headers;  // as received, in order
  std::string body;

  /// The first value of header `name` (case-insensitive), or nullopt when absent.
  std::optional<std::string> Find(std::string_view name) const;
  /// How many times header `name` was sent.
  int Count(std::string_view name) const;
};

/// The server side of one accepted connection (after the TLS handshake, if any).
class ServerConnection {
 public:
  virtual ~ServerConnection() = default;
  /// 0 for the first connection the server accepted, then 1, 2, ...
  virtual int index() const = 0;
  /// The next request (also recorded in LoopbackServer::requests), or nullopt once the client
  /// closed the connection or sent garbage.
  virtual std::optional<ReceivedRequest> ReadRequest() = 0;
  /// Writes raw bytes; false when the peer is gone.
  virtual bool Write(std::string_view bytes) = 0;
  /// Shuts the TCP connection down in both directions (no TLS close_notify).
  virtual void Close() = 0;
  /// Blocks until the client closes the connection or the server stops.
  virtual void WaitForClose() = 0;
};

using ConnectionHandler = std::function<void(ServerConnection&)>;

/// Answers every request with 200, headers X-Method and X-Target, and the request body.
/// A HEAD response says "Content-Length: 42" and has no body.
void ServeEcho(ServerConnection& connection);

/// The bytes of an echo response to `request`.
std::string EchoResponse(const ReceivedRequest& request);

class LoopbackServer {
 public:
  struct Options {
    bool ipv6 = false;
    /// Both set: the server speaks TLS with this PEM certificate chain and key.
    std::string cert_file;
    std::string key_file;
  };

  /// Null when the address cannot be bound (no IPv6 on this host).
  static std::unique_ptr<LoopbackServer> Start(ConnectionHandler handler, const Options& options);
  static std::unique_ptr<LoopbackServer> Start(ConnectionHandler handler) {
    return Start(std::move(handler), Options{});
  }

  virtual ~LoopbackServer() = default;
  virtual uint16_t port() const = 0;
  /// http(s)://127.0.0.1:port or http(s)://[::1]:port.
  virtual Endpoint endpoint() const = 0;
  virtual int accepted() const = 0;
  virtual std::vector<ReceivedRequest> requests() const = 0;
};

/// A port on 127.0.0.1 with nothing listening (bound, then closed).
uint16_t UnusedPort();

}  // namespace o2p::storage::http::testing
