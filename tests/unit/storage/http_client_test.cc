// HttpClient against in-process loopback servers (plain and TLS, well-behaved and scripted to
// misbehave), plus tables for ParseEndpoint, UriEncode and Response::HeaderValue.
#include "o2p/storage/http/http_client.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include "support/matchers.h"
#include "unit/storage/http_test_server.h"

namespace o2p::storage::http {
namespace {

using ::o2p::storage::http::testing::EchoResponse;
using ::o2p::storage::http::testing::LoopbackServer;
using ::o2p::storage::http::testing::ReceivedRequest;
using ::o2p::storage::http::testing::ServeEcho;
using ::o2p::storage::http::testing::ServerConnection;
using ::o2p::testing::HasValue;
using ::o2p::testing::IsError;
using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;
using std::chrono::milliseconds;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr milliseconds kTimeout{5000};

std::unique_ptr<HttpClient> NewClient(const HttpClientOptions& options = {}) {
  Result<std::unique_ptr<HttpClient>> client = MakeHttpClient(options);
  EXPECT_THAT(client, IsOk());
  return client.has_value() ? std::move(*client) : nullptr;
}

Request MakeRequest(std::string method, std::string target, std::string_view body = {}) {
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = body;
  return request;
}

// ---------------------------------------------------------------------------------------------
// Pure functions.

TEST(ParseEndpointTest, AcceptsHostsPortsAndBasePaths) {
  struct Case {
    std::string_view url;
    Endpoint expected;
  };
  const Case cases[] = {
      {"http://example.com", {false, "example.com", 80, ""}},
      {"https://example.com", {true, "example.com", 443, ""}},
      {"HTTPS://s3.eu-west-1.amazonaws.com/", {true, "s3.eu-west-1.amazonaws.com", 443, ""}},
      {"http://127.0.0.1:9001", {false, "127.0.0.1", 9001, ""}},
      {"https://glue.us-east-1.amazonaws.com/iceberg",
       {true, "glue.us-east-1.amazonaws.com", 443, "/iceberg"}},
      {"http://h:8181/a/b/", {false, "h", 8181, "/a/b"}},
      {"http://[::1]:4318", {false, "::1", 4318, ""}},
      {"https://[2001:db8::1]/p", {true, "2001:db8::1", 443, "/p"}},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(ParseEndpoint(c.url), HasValue(c.expected)) << c.url;
  }
}

TEST(ParseEndpointTest, RejectsWhatItCannotUse) {
  for (std::string_view url :
       {"", "example.com", "ftp://example.com", "http://", "http://:80", "http://user:pw@host",
        "http://host?x=1", "http://host/p#frag", "http://host:0", "http://host:65536",
        "http://host:", "http://host:8x", "http://::1", "http://[::1", "http://[zz::1]",
        "http://[::1]x", "http://ho st", "http://host/a b"}) {
    EXPECT_THAT(ParseEndpoint(url), IsError(StatusCode::kInvalidArgument)) << url;
  }
  EXPECT_THAT(ParseEndpoint("http://user:secret@host"),
              Not(IsErrorWith(StatusCode::kInvalidArgument, "secret")));
}

TEST(EndpointTest, HostHeaderAndToString) {
  EXPECT_EQ((Endpoint{false, "h", 80, ""}).HostHeader(), "h");
  EXPECT_EQ((Endpoint{false, "h", 8080, ""}).HostHeader(), "h:8080");
  EXPECT_EQ((Endpoint{true, "h", 443, ""}).HostHeader(), "h");
  EXPECT_EQ((Endpoint{true, "h", 80, ""}).HostHeader(), "h:80");
  EXPECT_EQ((Endpoint{false, "::1", 4318, ""}).HostHeader(), "[::1]:4318");
  EXPECT_EQ((Endpoint{true, "::1", 443, ""}).HostHeader(), "[::1]");
  EXPECT_EQ((Endpoint{true, "h", 8443, "/base"}).ToString(), "https://h:8443/base");
}

TEST(UriEncodeTest, EncodesAllButUnreserved) {
  EXPECT_EQ(UriEncode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(UriEncode("a b/c", false), "a%20b%2Fc");
  EXPECT_EQ(UriEncode("a b/c", true), "a%20b/c");
  EXPECT_EQ(UriEncode("k=v&x+y*", false), "k%3Dv%26x%2By%2A");
  EXPECT_EQ(UriEncode("\xc3\xa9\xff", false), "%C3%A9%FF");
  EXPECT_EQ(UriEncode("", true), "");
}

TEST(ResponseTest, HeaderValueIsCaseInsensitiveAndFirstWins) {
  Response response;
  response.headers = {{"ETag", "\"a\""}, {"x-amz-id", "1"}, {"etag", "\"b\""}, {"Empty", ""}};
  EXPECT_EQ(response.HeaderValue("etag"), "\"a\"");
  EXPECT_EQ(response.HeaderValue("X-AMZ-ID"), "1");
  EXPECT_EQ(response.HeaderValue("Empty"), "");
  EXPECT_EQ(response.HeaderValue("missing"), "");
}

// ---------------------------------------------------------------------------------------------
// Plain HTTP.

TEST(HttpClientTest, MethodsWithBodies) {
  auto server = LoopbackServer::Start(ServeEcho);
  auto client = NewClient();
  for (const char* method : {"GET", "PUT", "POST", "DELETE", "PATCH"}) {
    const std::string body = std::string("body of ") + method;
    Result<Response> response =
        client->Send(server->endpoint(), MakeRequest(method, "/a/b?x=1", body), kTimeout);
    ASSERT_THAT(response, IsOk()) << method;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, body);
    EXPECT_EQ(response->HeaderValue("x-method"), method);
    EXPECT_EQ(response->HeaderValue("X-Target"), "/a/b?x=1");
  }
  EXPECT_EQ(server->accepted(), 1);
}

TEST(HttpClientTest, HeadHasNoBodyDespiteContentLength) {
  auto server = LoopbackServer::Start(ServeEcho);
  auto client = NewClient();
  for (int i = 0; i < 2; ++i) {  // the second HEAD proves the connection stayed in sync
    Result<Response> response =
        client->Send(server->endpoint(), MakeRequest("HEAD", "/k"), kTimeout);
    ASSERT_THAT(response, IsOk());
    EXPECT_EQ(response->HeaderValue("Content-Length"), "42");
    EXPECT_EQ(response->body, "");
  }
  EXPECT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/"), kTimeout), IsOk());
  EXPECT_EQ(server->accepted(), 1);
}

TEST(HttpClientTest, SendsHeadersAsGivenAndAddsDefaults) {
  auto server = LoopbackServer::Start(ServeEcho);
  auto client = NewClient();
  Request get = MakeRequest("GET", "/x");
  get.headers = {
      {"X-Amz-Date", "20240101T000000Z"}, {"x-lower", "v 1"}, {"X-Dup", "a"}, {"X-Dup", "b"}};
  ASSERT_THAT(client->Send(server->endpoint(), get, kTimeout), IsOk());
  Request put = MakeRequest("PUT", "/y");  // empty body
  put.headers = {{"host", "bucket.example"}, {"User-Agent", "custom"}};
  ASSERT_THAT(client->Send(server->endpoint(), put, kTimeout), IsOk());

  const std::vector<ReceivedRequest> seen = server->requests();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].Find("X-Amz-Date"), "20240101T000000Z");
  EXPECT_EQ(seen[0].Find("x-lower"), "v 1");
  EXPECT_EQ(seen[0].Count("X-Dup"), 2);
  EXPECT_EQ(seen[0].Find("Host"), "127.0.0.1:" + std::to_string(server->port()));
  EXPECT_EQ(seen[0].Find("User-Agent"), "otlp2parquet");
  EXPECT_EQ(seen[0].Find("Content-Length"), std::nullopt);  // GET without a body
  EXPECT_EQ(seen[1].Find("Host"), "bucket.example");
  EXPECT_EQ(seen[1].Count("Host"), 1);
  EXPECT_EQ(seen[1].Find("User-Agent"), "custom");
  EXPECT_EQ(seen[1].Find("Content-Length"), "0");
}

TEST(HttpClientTest, RejectsHeaderInjectionWithoutEchoingTheValue) {
  auto server = LoopbackServer::Start(ServeEcho);
  auto client = NewClient();
  Request bad_value = MakeRequest("GET", "/");
  bad_value.headers = {{"Authorization", "secret\r\nX-Evil: 1"}};
  Result<Response> response = client->Send(server->endpoint(), bad_value, kTimeout);
  EXPECT_THAT(response, IsErrorWith(StatusCode::kInvalidArgument, "Authorization"));
  EXPECT_THAT(response.status().message(), Not(HasSubstr("secret")));
  Request bad_name = MakeRequest("GET", "/");
  bad_name.headers = {{"X-Bad\n", "v"}};
  EXPECT_THAT(client->Send(server->endpoint(), bad_name, kTimeout),
              IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(client->Send(server->endpoint(), MakeRequest("G T", "/"), kTimeout),
              IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/a b"), kTimeout),
              IsError(StatusCode::kInvalidArgument));
  EXPECT_EQ(server->accepted(), 0);
}

TEST(HttpClientTest, KeepAliveReusesOneConnection) {
  auto server = LoopbackServer::Start(ServeEcho);
  auto client = NewClient();
  for (int i = 0; i < 20; ++i) {
    const std::string body = "request " + std::to_string(i);
    Result<Response> response =
        client->Send(server->endpoint(), MakeRequest("POST", "/", body), kTimeout);
    ASSERT_THAT(response, IsOk());
    EXPECT_EQ(response->body, body);
  }
  EXPECT_EQ(server->accepted(), 1);
}

TEST(HttpClientTest, ZeroIdleConnectionsMeansNoReuse) {
  auto server = LoopbackServer::Start(ServeEcho);
  HttpClientOptions options;
  options.max_idle_per_host = 0;
  auto client = NewClient(options);
  for (int i = 0; i < 3; ++i)
    ASSERT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/"), kTimeout), IsOk());
  EXPECT_EQ(server->accepted(), 3);
}

TEST(HttpClientTest, IdleConnectionClosedByServerIsReplaced) {
  auto server = LoopbackServer::Start([](ServerConnection& connection) {
    if (auto request = connection.ReadRequest()) connection.Write(EchoResponse(*request));
    connection.Close();  // an idle timeout, right after the response
  });
  auto client = NewClient();
  ASSERT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/1"), kTimeout), IsOk());
  std::this_thread::sleep_for(milliseconds(20));
  ASSERT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/2"), kTimeout), IsOk());
  EXPECT_EQ(server->accepted(), 2);
}

TEST(HttpClientTest, ReusedConnectionClosedBeforeAnswerIsRetriedOnce) {
  // The first connection answers one request, then reads the next and closes without a byte
  // (a keep-alive race); later connections answer normally.
  auto server = LoopbackServer::Start([](ServerConnection& connection) {
    if (connection.index() > 0) return ServeEcho(connection);
    if (auto request = connection.ReadRequest()) connection.Write(EchoResponse(*request));
    connection.ReadRequest();
  });
  auto client = NewClient();
  ASSERT_THAT(client->Send(server->endpoint(), MakeRequest("PUT", "/1", "one"), kTimeout), IsOk());
  Result<Response> second =
      client->Send(server->endpoint(), MakeRequest("PUT", "/2", "two"), kTimeout);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->body, "two");
  EXPECT_EQ(server->accepted(), 2);
  EXPECT_EQ(server->requests().size(), 3U);
}

TEST(HttpClientTest, FreshConnectionClosedBeforeAnswerIsNotRetried) {
  auto server =
      LoopbackServer::Start([](ServerConnection& connection) { connection.ReadRequest(); });
  auto client = NewClient();
  EXPECT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/"), kTimeout),
              IsErrorWith(StatusCode::kUnavailable, "127.0.0.1:"));
  EXPECT_EQ(server->accepted(), 1);
}

TEST(HttpClientTest, ServerClosingMidResponseIsUnavailableAndNotRetried) {
  auto server = LoopbackServer::Start([](ServerConnection& connection) {
    if (auto request = connection.ReadRequest()) connection.Write(EchoResponse(*request));
    if (connection.ReadRequest())
      connection.Write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
  });
  auto client = NewClient();
  ASSERT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/"), kTimeout), IsOk());
  EXPECT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/"), kTimeout),
              IsError(StatusCode::kUnavailable));
  EXPECT_EQ(server->accepted(), 1);
}

TEST(HttpClientTest, StalledServerHitsTheDeadline) {
  auto server = LoopbackServer::Start([](ServerConnection& connection) {
    connection.ReadRequest();
    connection.Write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\npart");
    connection.WaitForClose();
  });
  auto client = NewClient();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/"), milliseconds(300)),
              IsErrorWith(StatusCode::kDeadlineExceeded, "127.0.0.1:"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(290));
  EXPECT_LT(elapsed, milliseconds(1300));
}

TEST(HttpClientTest, StalledTlsHandshakeHonoursBothTimeouts) {
  // A plain server that never answers the ClientHello.
  auto server =
      LoopbackServer::Start([](ServerConnection& connection) { connection.WaitForClose(); });
  Endpoint endpoint = server->endpoint();
  endpoint.tls = true;
  HttpClientOptions options;
  options.connect_timeout = milliseconds(200);
  auto client = NewClient(options);
  const auto start = std::chrono::steady_clock::now();
  // The call's own deadline comes first: DEADLINE_EXCEEDED.
  EXPECT_THAT(client->Send(endpoint, MakeRequest("GET", "/"), milliseconds(100)),
              IsError(StatusCode::kDeadlineExceeded));
  // Only the connect timeout expires: the host is unusable, UNAVAILABLE.
  EXPECT_THAT(client->Send(endpoint, MakeRequest("GET", "/"), milliseconds(0)),
              IsErrorWith(StatusCode::kUnavailable, "TLS handshake"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1500));
}

TEST(HttpClientTest, ConnectionRefusedIsUnavailable) {
  auto client = NewClient();
  const Endpoint endpoint{false, "127.0.0.1", testing::UnusedPort(), ""};
  EXPECT_THAT(client->Send(endpoint, MakeRequest("GET", "/"), kTimeout),
              IsErrorWith(StatusCode::kUnavailable, "connect"));
}

TEST(HttpClientTest, UnknownHostIsUnavailable) {
  // The connect timeout bounds a slow DNS server too, and its expiry is also UNAVAILABLE.
  HttpClientOptions options;
  options.connect_timeout = milliseconds(1000);
  auto client = NewClient(options);
  const Endpoint endpoint{false, "no-such-host.invalid", 80, ""};  // RFC 6761: never resolves
  EXPECT_THAT(client->Send(endpoint, MakeRequest("GET", "/"), milliseconds(0)),
              IsErrorWith(StatusCode::kUnavailable, "resolve"));
}

TEST(HttpClientTest, OversizedBodiesAreResourceExhausted) {
  auto server = LoopbackServer::Start([](ServerConnection& connection) {
    while (auto request = connection.ReadRequest()) {
      if (request->target == "/length") {
        connection.Write("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" +
                         std::string(2000, 'x'));
      } else {
        connection.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 5; ++i) connection.Write("190\r\n" + std::string(400, 'y') + "\r\n");
        connection.Write("0\r\n\r\n");
      }
    }
  });
  HttpClientOptions options;
  options.max_response_body_bytes = 1000;
  auto client = NewClient(options);
  EXPECT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/length"), kTimeout),
              IsError(StatusCode::kResourceExhausted));
  EXPECT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/chunked"), kTimeout),
              IsError(StatusCode::kResourceExhausted));
}

TEST(HttpClientTest, ChunkedCloseDelimitedAndInterimResponses) {
  auto server = LoopbackServer::Start([](ServerConnection& connection) {
    while (auto request = connection.ReadRequest()) {
      if (request->target == "/chunked") {
        connection.Write(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
            "7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
      } else if (request->target == "/continue") {
        connection.Write(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
      } else {
        connection.Write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
        return;
      }
    }
  });
  auto client = NewClient();
  Result<Response> chunked =
      client->Send(server->endpoint(), MakeRequest("GET", "/chunked"), kTimeout);
  ASSERT_THAT(chunked, IsOk());
  EXPECT_EQ(chunked->body, "hello, world");
  Result<Response> interim =
      client->Send(server->endpoint(), MakeRequest("GET", "/continue"), kTimeout);
  ASSERT_THAT(interim, IsOk());
  EXPECT_EQ(interim->status, 201);
  EXPECT_EQ(interim->body, "ok");
  Result<Response> close = client->Send(server->endpoint(), MakeRequest("GET", "/close"), kTimeout);
  ASSERT_THAT(close, IsOk());
  EXPECT_EQ(close->body, "until the end");
  EXPECT_EQ(server->accepted(), 1);
  ASSERT_THAT(client->Send(server->endpoint(), MakeRequest("GET", "/chunked"), kTimeout), IsOk());
  EXPECT_EQ(server->accepted(), 2);  // the close-delimited response was not pooled
}

TEST(HttpClientTest, ConcurrentSendsFromEightThreads) {
  auto server = LoopbackServer::Start(ServeEcho);
  auto client = NewClient();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string body = fmt::format("thread {} request {}", t, i);
        Result<Response> response =
            client->Send(server->endpoint(), MakeRequest("PUT", "/p", body), kTimeout);
        if (!response.has_value() || response->body != body) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ::testing::Each(0));
  EXPECT_LE(server->accepted(), kThreads);
  EXPECT_EQ(server->requests().size(), size_t{kThreads * kPerThread});
}

TEST(HttpClientTest, Ipv6Loopback) {
  LoopbackServer::Options ipv6;
  ipv6.ipv6 = true;
  auto server = LoopbackServer::Start(ServeEcho, ipv6);
  if (server == nullptr) GTEST_SKIP() << "no IPv6 loopback on this host";
  auto client = NewClient();
  Result<Response> response =
      client->Send(server->endpoint(), MakeRequest("POST", "/v6", "six"), kTimeout);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->body, "six");
  EXPECT_EQ(server->requests().at(0).Find("Host"), "[::1]:" + std::to_string(server->port()));
}

}  // namespace
}  // namespace o2p::storage::http
