// HttpClient: one HTTP/1.1 client (plain TCP or TLS) for everything that talks to a web service:
// S3, the Iceberg REST catalog, AWS credential endpoints and the Lambda Runtime API.
//
// It is built on Boost.Beast/Asio and OpenSSL because the Lambda package is one fully static
// binary and libcurl cannot be linked statically on Debian 12 (../shared/reference/toolchain.md).
// Beast stays out of this header: callers see plain structs.
//
// Protocol of one Send:
//   1. take an idle keep-alive connection to (tls, host, port) from the pool, or connect
//      (resolve, TCP connect, TLS handshake with SNI and certificate + host name verification);
//   2. write the request (Host, Content-Length and User-Agent are added unless given), read
//      the whole response (interim 1xx responses are skipped);
//   3. return the connection to the pool when the response allows keep-alive.
// A request written on a reused connection that fails before any response byte arrives is
// retried once on a fresh connection (the server may have closed an idle connection), since
// that says nothing about the server's health. Any other transport failure is returned.
//
// Thread safety: Send may be called from many threads at once; each call uses its own
// connection and runs that connection's I/O on the calling thread (no background threads,
// except that a DNS lookup with a deadline runs on a short-lived thread of its own).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"

namespace o2p::storage::http {

/// Where requests go: scheme, host and port, plus a base path that request targets may start
/// with (e.g. "/iceberg" of "https://glue.us-east-1.amazonaws.com/iceberg").
struct Endpoint {
  bool tls = false;
  std::string host;  // a DNS name, an IPv4 address, or an IPv6 address without brackets
  uint16_t port = 0;
  std::string base_path;  // "" or "/..." without a trailing '/'

  /// The Host header value: host, plus ":port" when the port is not the scheme's default.
  std::string HostHeader() const;
  /// "https://host[:port]" + base_path, for messages.
  std::string ToString() const;
  bool operator==(const Endpoint&) const = default;
};

/// Parses "http://host[:port][/base/path]" or "https://…". The default ports are 80 and 443.
/// Rejects other schemes, user info, a query or fragment, and an empty host.
Result<Endpoint> ParseEndpoint(std::string_view url);

struct Header {
  std::string name;
  std::string value;
  bool operator==(const Header&) const = default;
};

struct Request {
  std::string method = "GET";
  /// origin-form, already percent-encoded: "/path" or "/path?query".
  std::string target = "/";
  /// Sent as given. Host, Content-Length and User-Agent are added by the client unless present.
  std::vector<Header> headers;
  /// Must stay valid during Send.
  std::string_view body;
};

struct Response {
  int status = 0;
  std::vector<Header> headers;
  std::string body;

  /// The first header with this name (case-insensitive), or "" when absent.
  std::string_view HeaderValue(std::string_view name) const;
};

struct HttpClientOptions {
  /// Bounds resolve + TCP connect + TLS handshake of a new connection (zero: no limit). When
  /// it alone expires the host is unreachable: UNAVAILABLE, not DEADLINE_EXCEEDED.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  /// Responses with a larger body fail with RESOURCE_EXHAUSTED.
  size_t max_response_body_bytes = size_t{64} << 20;
  /// Idle keep-alive connections kept per (tls, host, port).
  size_t max_idle_per_host = 32;
  /// PEM bundle of trusted CAs. Empty: $SSL_CERT_FILE, else the first existing of the Debian,
  /// Amazon Linux / RHEL and other well-known bundle paths, else OpenSSL's default paths.
  std::string ca_file;
  /// Off only in tests that use a self-signed server without a CA file.
  bool verify_peer = true;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Sends `request` to `endpoint` and reads the whole response within `timeout` (zero means
  /// no limit: the Lambda Runtime API's long poll). Any HTTP status is a successful Result.
  /// Errors: UNAVAILABLE for resolve/connect/TLS/reset failures, DEADLINE_EXCEEDED when the
  /// timeout expired, RESOURCE_EXHAUSTED for an oversized response, INVALID_ARGUMENT for a
  /// request that cannot be sent (bad header characters). The message names the endpoint
  /// and never contains header values (they may carry secrets).
  virtual Result<Response> Send(const Endpoint& endpoint, const Request& request,
                                std::chrono::milliseconds timeout) = 0;
};

/// The Beast + OpenSSL implementation. Fails when a configured CA file cannot be loaded.
Result<std::unique_ptr<HttpClient>> MakeHttpClient(const HttpClientOptions& options = {});

/// RFC 3986 percent-encoding of every byte except unreserved characters (A-Z a-z 0-9 - _ . ~);
/// with `keep_slash`, '/' is kept too (object keys in paths).
std::string UriEncode(std::string_view text, bool keep_slash);

}  // namespace o2p::storage::http
