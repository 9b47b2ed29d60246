#include "o2p/server/http/http_server.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/server/http/raw_http_client.h"

namespace o2p::server::http {
namespace {

using std::chrono::milliseconds;
using test_util::Gate;
using test_util::kWait;
using test_util::Lower;
using test_util::RawClient;
using test_util::RawResponse;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Records what the observer saw, so tests can wait for a response to be fully finished.
class Observations {
 public:
  RequestObserver Observer() {
    return [this](const HttpRequest& request, int status, std::chrono::nanoseconds latency) {
      std::lock_guard lock(mu_);
      seen_.push_back({request.path, status, latency});
      cv_.notify_all();
    };
  }
  struct Seen {
    std::string path;
    int status;
    std::chrono::nanoseconds latency;
  };
  /// Waits until an observation for (path, status) arrives; returns it.
  std::optional<Seen> WaitFor(const std::string& path, int status) {
    std::unique_lock lock(mu_);
    std::optional<Seen> found;
    cv_.wait_for(lock, kWait, [&] {
      for (const Seen& s : seen_) {
        if (s.path == path && s.status == status) found = s;
      }
      return found.has_value();
    });
    return found;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Seen> seen_;
};

HttpResponse Echo(const HttpRequest& request) {
  std::string text = request.method + " " + request.path;
  if (!request.query.empty()) text += "?" + request.query;
  text += " [" + request.body + "]";
  return {200, "text/plain", text, {{"X-Echo", "yes"}}};
}

HttpServerOptions TestOptions() {
  HttpServerOptions options;
  options.listen = "127.0.0.1:0";
  options.threads = 2;
  options.max_body_bytes = 1000;
  options.io_timeout = kWait;
  options.idle_timeout = kWait;
  return options;
}

std::vector<HttpRoute> EchoRoutes() {
  return {{"POST", "/echo", Echo},
          {"GET", "/echo", Echo},
          {"PUT", "/echo", Echo},
          {"GET", "/hello", [](const HttpRequest&) {
             return HttpResponse{200, "text/plain", "hello", {}};
           }}};
}

std::unique_ptr<HttpServer> StartServer(HttpServerOptions options,
                                        std::vector<HttpRoute> routes = EchoRoutes()) {
  auto server = HttpServer::Start(std::move(options), std::move(routes));
  if (!server.ok()) {
    ADD_FAILURE() << server.error().ToString();
    return nullptr;
  }
  EXPECT_NE((*server)->port(), 0);
  return std::move(*server);
}

std::string Post(std::string_view path, std::string_view body, std::string_view extra = "") {
  return "POST " + std::string(path) +
         " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         std::string(extra) + "\r\n" + std::string(body);
}

std::string Chunked(std::string_view path, const std::vector<std::string>& chunks) {
  std::string request =
      "POST " + std::string(path) + " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const std::string& chunk : chunks) {
    char size[32];
    std::snprintf(size, sizeof(size), "%zx\r\n", chunk.size());
    request += size + chunk + "\r\n";
  }
  return request + "0\r\n\r\n";
}

const std::string kGetHello = "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";

TEST(HttpServerTest, RoutesToHandler) {
  auto server = StartServer(TestOptions());
  RawClient client(server->port());
  ASSERT_TRUE(client.Send("GET /echo?x=1&y=2 HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "GET /echo?x=1&y=2 []");
  EXPECT_EQ(response->Header("content-type"), "text/plain");
  EXPECT_EQ(response->Header("x-echo"), "yes");
  EXPECT_EQ(response->Header("content-length"), std::to_string(response->body.size()));
}

TEST(HttpServerTest, UnknownPathIs404AndKeepsConnection) {
  auto server = StartServer(TestOptions());
  RawClient client(server->port());
  ASSERT_TRUE(client.Send("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->Header("content-type"), "text/plain; charset=utf-8");
  ASSERT_TRUE(client.Send(kGetHello));
  response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(HttpServerTest, WrongMethodIs405WithAllow) {
  auto server = StartServer(TestOptions());
  RawClient client(server->port());
  ASSERT_TRUE(client.Send("DELETE /echo HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->Header("allow"), "POST, GET, PUT");
}

TEST(HttpServerTest, ErrorRendererShapesServerErrors) {
  HttpServerOptions options = TestOptions();
  options.error_renderer = [](const HttpRequest& request, int status, std::string_view message) {
    return HttpResponse{
        status,
        "application/json",
        "{\"path\":\"" + request.path + "\",\"message\":\"" + std::string(message) + "\"}",
        {}};
  };
  auto server = StartServer(std::move(options));
  RawClient client(server->port());
  ASSERT_TRUE(client.Send("GET /missing HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->Header("content-type"), "application/json");
  EXPECT_THAT(response->body, StartsWith("{\"path\":\"/missing\""));
}

TEST(HttpServerTest, KeepAliveServesSequentialAndPipelinedRequests) {
  auto server = StartServer(TestOptions());
  RawClient client(server->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send(Post("/echo", "n" + std::to_string(i))));
    auto response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "POST /echo [n" + std::to_string(i) + "]");
    EXPECT_NE(Lower(response->Header("connection")), "close");
  }
  ASSERT_TRUE(client.Send(Post("/echo", "first") + Post("/echo", "second") + kGetHello));
  EXPECT_EQ(client.Read().value_or(RawResponse{}).body, "POST /echo [first]");
  EXPECT_EQ(client.Read().value_or(RawResponse{}).body, "POST /echo [second]");
  EXPECT_EQ(client.Read().value_or(RawResponse{}).body, "hello");
}

TEST(HttpServerTest, Http10AnswersAndCloses) {
  auto server = StartServer(TestOptions());
  RawClient client(server->port());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.0\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(Lower(response->Header("connection")), "close");
  EXPECT_TRUE(client.WaitForClose());
}

TEST(HttpServerTest, ChunkedBodyIsAssembled) {
  auto server = StartServer(TestOptions());
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(Chunked("/echo", {"hello ", "chunked ", std::string(300, 'x')})));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /echo [hello chunked " + std::string(300, 'x') + "]");
}

TEST(HttpServerTest, ExpectContinueSends100ThenTheAnswer) {
  auto server = StartServer(TestOptions());
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = client.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("body"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /echo [body]");
}

TEST(HttpServerTest, ExpectContinueWithTooLargeBodyGets413Only) {
  auto server = StartServer(TestOptions());
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(Lower(response->Header("connection")), "close");
  EXPECT_TRUE(client.WaitForClose());
}

TEST(HttpServerTest, ContentLengthOverLimitIs413BeforeTheBody) {
  HttpServerOptions options = TestOptions();
  options.error_renderer = [](const HttpRequest& request, int status, std::string_view message) {
    return HttpResponse{
        status,
        "text/plain",
        "rendered " + std::to_string(status) + " " + request.path + ": " + std::string(message),
        {}};
  };
  auto server = StartServer(std::move(options));
  RawClient client(server->port());
  // Only part of the declared body is sent: the answer must not wait for the rest.
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" +
                          std::string(100, 'x')));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_THAT(response->body, StartsWith("rendered 413 /echo: "));
  EXPECT_EQ(Lower(response->Header("connection")), "close");
  EXPECT_TRUE(client.WaitForClose());
}

TEST(HttpServerTest, ChunkedBodyGrowingOverLimitIs413) {
  auto server = StartServer(TestOptions());  // max_body_bytes = 1000
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(Chunked("/echo", {std::string(600, 'a'), std::string(600, 'b')})));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(Lower(response->Header("connection")), "close");
  EXPECT_TRUE(client.WaitForClose());
}

TEST(HttpServerTest, InflightBudgetExhaustionIs503WithRetryAfter) {
  Gate entered;
  Gate release;
  Observations observations;
  HttpServerOptions options = TestOptions();
  options.max_inflight_body_bytes = 100;
  options.retry_after_seconds = 7;
  options.request_observer = observations.Observer();
  std::vector<HttpRoute> routes = EchoRoutes();
  routes.push_back({"POST", "/block", [&](const HttpRequest& request) {
                      entered.Open();
                      release.Wait();
                      return Echo(request);
                    }});
  auto server = StartServer(std::move(options), std::move(routes));

  RawClient holder(server->port());
  ASSERT_TRUE(holder.Send(Post("/block", std::string(80, 'h'))));
  ASSERT_TRUE(entered.Wait());  // 80 of 100 bytes are now held

  RawClient by_length(server->port());
  ASSERT_TRUE(by_length.Send(Post("/echo", std::string(50, 'l'))));
  auto response = by_length.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->Header("retry-after"), "7");
  EXPECT_EQ(Lower(response->Header("connection")), "close");

  RawClient by_chunks(server->port());
  ASSERT_TRUE(by_chunks.Send(Chunked("/echo", {std::string(10, 'c'), std::string(40, 'c')})));
  response = by_chunks.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->Header("retry-after"), "7");

  release.Open();
  response = holder.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  // The observer runs after the reservation is released, so the budget is free again.
  ASSERT_TRUE(observations.WaitFor("/block", 200));
  RawClient after(server->port());
  ASSERT_TRUE(after.Send(Post("/echo", std::string(50, 'a'))));
  response = after.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(HttpServerTest, ConnectionsOverTheCapGet503) {
  Observations observations;
  HttpServerOptions options = TestOptions();
  options.max_connections = 1;
  options.retry_after_seconds = 3;
  options.request_observer = observations.Observer();
  auto server = StartServer(std::move(options));
  auto first = std::make_unique<RawClient>(server->port());
  ASSERT_TRUE(first->Send(kGetHello));
  ASSERT_EQ(first->Read().value_or(RawResponse{}).status, 200);  // surely accepted now

  RawClient second(server->port());
  ASSERT_TRUE(second.connected());
  auto response = second.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->Header("retry-after"), "3");
  EXPECT_EQ(Lower(response->Header("connection")), "close");
  EXPECT_TRUE(second.WaitForClose());
  EXPECT_TRUE(observations.WaitFor("", 503));

  // Once the first connection is gone its slot is free again (noticed asynchronously).
  first.reset();
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    RawClient next(server->port());
    next.Send(kGetHello);
    status = next.Read().value_or(RawResponse{}).status;
    if (status != 200) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(status, 200);
}

TEST(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  HttpServerOptions options = TestOptions();
  options.idle_timeout = milliseconds(200);
  auto server = StartServer(std::move(options));
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(kGetHello));
  ASSERT_TRUE(client.Read());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_LT(std::chrono::steady_clock::now() - start, kWait / 2);
}

TEST(HttpServerTest, SlowRequestIsDroppedAfterIoTimeout) {
  HttpServerOptions options = TestOptions();
  options.io_timeout = milliseconds(200);
  auto server = StartServer(std::move(options));
  RawClient slow_head(server->port());
  ASSERT_TRUE(slow_head.Send("POST /echo HTTP/1.1\r\nHost: t\r\n"));
  RawClient slow_body(server->port());
  ASSERT_TRUE(slow_body.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab"));
  EXPECT_TRUE(slow_head.WaitForClose());
  EXPECT_TRUE(slow_body.WaitForClose());
}

TEST(HttpServerTest, MalformedRequestIs400AndCloses) {
  auto server = StartServer(TestOptions());
  RawClient garbage(server->port());
  ASSERT_TRUE(garbage.Send("\x01\x02 nonsense\r\n\r\n"));
  auto response = garbage.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(Lower(response->Header("connection")), "close");
  EXPECT_TRUE(garbage.WaitForClose());

  RawClient bad_chunk(server->port());
  ASSERT_TRUE(bad_chunk.Send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n"));
  response = bad_chunk.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(bad_chunk.WaitForClose());
}

TEST(HttpServerTest, OversizedHeaderIs431) {
  auto server = StartServer(TestOptions());
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(
      "GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(70 * 1024, 'b') + "\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(client.WaitForClose());
}

TEST(HttpServerTest, SurvivesGarbage) {
  auto server = StartServer(TestOptions());
  std::mt19937 random(42);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 20; ++i) {
    // Half the cases start like a real request so that the garbage reaches headers and bodies.
    std::string junk = i % 2 ? "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" : "";
    for (int j = 0; j < 3000; ++j) junk += static_cast<char>(byte(random));
    RawClient client(server->port());
    client.Send(junk);
  }
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(kGetHello));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(HttpServerTest, HandlerExceptionIs500) {
  std::vector<HttpRoute> routes = {
      {"GET", "/throw", [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("x"); }}};
  auto server = StartServer(TestOptions(), std::move(routes));
  RawClient client(server->port());
  ASSERT_TRUE(client.Send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
}

TEST(HttpServerTest, ObserverSeesEveryAnswer) {
  Observations observations;
  HttpServerOptions options = TestOptions();
  options.request_observer = observations.Observer();
  auto server = StartServer(std::move(options));
  RawClient client(server->port());
  ASSERT_TRUE(client.Send(Post("/echo", "x") + "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(client.Read());
  ASSERT_TRUE(client.Read());
  auto ok = observations.WaitFor("/echo", 200);
  ASSERT_TRUE(ok);
  EXPECT_GT(ok->latency.count(), 0);
  EXPECT_TRUE(observations.WaitFor("/nowhere", 404));
}

TEST(HttpServerTest, StopLetsRunningHandlerAnswerAndClosesIdleConnections) {
  Gate entered;
  Gate release;
  std::vector<HttpRoute> routes = EchoRoutes();
  routes.push_back({"POST", "/block", [&](const HttpRequest& request) {
                      entered.Open();
                      release.Wait();
                      return Echo(request);
                    }});
  auto server = StartServer(TestOptions(), std::move(routes));
  RawClient idle(server->port());
  ASSERT_TRUE(idle.Send(kGetHello));
  ASSERT_TRUE(idle.Read());
  auto busy = std::make_unique<RawClient>(server->port());
  ASSERT_TRUE(busy->Send(Post("/block", "work")));
  ASSERT_TRUE(entered.Wait());

  std::thread stopper([&] { server->Stop(); });
  // The idle connection being closed shows that Stop() has begun.
  EXPECT_TRUE(idle.WaitForClose());
  release.Open();
  auto response = busy->Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /block [work]");
  EXPECT_EQ(Lower(response->Header("connection")), "close");
  EXPECT_TRUE(busy->WaitForClose());
  // Closing our side ends the server's lingering close, so Stop() returns at once.
  busy.reset();
  stopper.join();
  server->Stop();  // idempotent

  RawClient refused(server->port());
  EXPECT_FALSE(refused.connected());
}

TEST(HttpServerTest, StopForceClosesSlowPeersAfterGrace) {
  auto server = StartServer(TestOptions());  // io_timeout far beyond the grace
  RawClient slow(server->port());
  ASSERT_TRUE(slow.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab"));
  // Make sure the server is reading the body before stopping.
  RawClient probe(server->port());
  ASSERT_TRUE(probe.Send(kGetHello));
  ASSERT_TRUE(probe.Read());
  const auto start = std::chrono::steady_clock::now();
  server->Stop(milliseconds(100));
  EXPECT_LT(std::chrono::steady_clock::now() - start, kWait / 2);
  EXPECT_TRUE(slow.WaitForClose());
}

TEST(HttpServerTest, ListenErrors) {
  for (const char* listen : {"nonsense", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:4x",
                             "::1:4318", "[127.0.0.1]:80", "example.com:80"}) {
    HttpServerOptions options = TestOptions();
    options.listen = listen;
    auto server = HttpServer::Start(options, EchoRoutes());
    ASSERT_FALSE(server.ok()) << listen;
    EXPECT_EQ(server.error().code(), StatusCode::kInvalidArgument) << listen;
  }

  auto first = StartServer(TestOptions());
  HttpServerOptions taken = TestOptions();
  taken.listen = "127.0.0.1:" + std::to_string(first->port());
  auto second = HttpServer::Start(taken, EchoRoutes());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), StatusCode::kUnavailable);
  EXPECT_THAT(second.error().message(), HasSubstr(taken.listen));
}

TEST(HttpServerTest, RejectsBadRoutesAndThreads) {
  std::vector<HttpRoute> duplicate = {{"GET", "/a", Echo}, {"GET", "/a", Echo}};
  auto server = HttpServer::Start(TestOptions(), duplicate);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().code(), StatusCode::kInvalidArgument);

  HttpServerOptions options = TestOptions();
  options.threads = 0;
  server = HttpServer::Start(options, EchoRoutes());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().code(), StatusCode::kInvalidArgument);
}

TEST(HttpServerTest, ListensOnIpv6Loopback) {
  HttpServerOptions options = TestOptions();
  options.listen = "[::1]:0";
  auto server = HttpServer::Start(options, EchoRoutes());
  if (!server.ok() && server.error().code() == StatusCode::kUnavailable) {
    GTEST_SKIP() << "no IPv6 loopback here: " << server.error().ToString();
  }
  ASSERT_TRUE(server.ok()) << server.error().ToString();
  EXPECT_NE((*server)->port(), 0);
}

}  // namespace
}  // namespace o2p::server::http
