// GrpcServer, exercised in process over 127.0.0.1 with grpc++'s own clients: the generic stub
// for raw bytes and the stub generated from logs_service.proto for one real round trip.
#include "o2p/server/grpc/grpc_server.h"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include <gmock/gmock.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

namespace o2p::server::grpc {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr char kLogs[] = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
constexpr char kTraces[] = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
constexpr char kMetrics[] = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

// Generous: only a broken server makes a call wait this long.
constexpr auto kCallTimeout = 5s;

struct SeenCall {
  otlp::Signal signal;
  std::string body;
  std::string authorization;
};

struct ClientResult {
  ::grpc::Status status;
  std::string response;
};

struct CallOptions {
  std::string authorization = {};  // not sent when empty
  bool gzip = false;
};

std::string ToString(const ::grpc::ByteBuffer& buffer) {
  std::vector<::grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const auto& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

std::shared_ptr<::grpc::Channel> Connect(uint16_t port) {
  return ::grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                               ::grpc::InsecureChannelCredentials());
}

// One unary call with raw bytes through the generic stub; blocks until it completes.
ClientResult CallRaw(::grpc::GenericStub& stub, const std::string& method, const std::string& body,
                     const CallOptions& options = {}) {
  ::grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  if (!options.authorization.empty()) ctx.AddMetadata("authorization", options.authorization);
  if (options.gzip) ctx.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  const ::grpc::Slice slice(body);
  const ::grpc::ByteBuffer request(&slice, 1);
  ::grpc::ByteBuffer response;
  // Shared so that the callback's set_value never touches a promise this frame already freed.
  auto done = std::make_shared<std::promise<::grpc::Status>>();
  std::future<::grpc::Status> finished = done->get_future();
  stub.UnaryCall(&ctx, method, ::grpc::StubOptions(), &request, &response,
                 [done](::grpc::Status status) { done->set_value(std::move(status)); });
  ClientResult result;
  result.status = finished.get();
  if (result.status.ok()) result.response = ToString(response);
  return result;
}

// A streaming client that sends `messages` and then half-closes, unless `half_close` is false
// (then the call stays open until cancelled). It lets tests do what a unary stub cannot.
class StreamClient final
    : public ::grpc::ClientBidiReactor<::grpc::ByteBuffer, ::grpc::ByteBuffer> {
 public:
  StreamClient(::grpc::GenericStub& stub, const std::string& method,
               std::vector<std::string> messages, bool half_close)
      : half_close_(half_close) {
    for (const std::string& message : messages) {
      const ::grpc::Slice slice(message);
      outgoing_.emplace_back(&slice, 1);
    }
    ctx_.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    stub.PrepareBidiStreamingCall(&ctx_, method, ::grpc::StubOptions(), this);
    StartRead(&incoming_);
    WriteNextOrClose();
    StartCall();
  }

  void OnWriteDone(bool ok) override {
    if (ok) WriteNextOrClose();
  }
  void OnDone(const ::grpc::Status& status) override {
    const auto done = done_;  // keeps the promise alive even if the test frees this reactor
    done->set_value(status);
  }

  void Cancel() { ctx_.TryCancel(); }
  ::grpc::Status Wait() { return finished_.get(); }

 private:
  void WriteNextOrClose() {
    if (next_ < outgoing_.size()) {
      StartWrite(&outgoing_[next_++]);
    } else if (half_close_) {
      StartWritesDone();
    }
  }

  const bool half_close_;
  ::grpc::ClientContext ctx_;
  std::vector<::grpc::ByteBuffer> outgoing_;
  size_t next_ = 0;
  ::grpc::ByteBuffer incoming_;
  std::shared_ptr<std::promise<::grpc::Status>> done_ =
      std::make_shared<std::promise<::grpc::Status>>();
  std::future<::grpc::Status> finished_ = done_->get_future();
};

class GrpcServerTest : public ::testing::Test {
 protected:
  // Starts a server whose handler records each call and answers with `reply_`.
  void StartServer(GrpcServerOptions options = {}) {
    options.listen = "127.0.0.1:0";
    auto server = GrpcServer::Start(options, [this](const GrpcCall& call) { return Handle(call); });
    ASSERT_TRUE(server.ok()) << server.error().ToString();
    server_ = std::move(*server);
    ASSERT_NE(server_->port(), 0);
    stub_ = std::make_unique<::grpc::GenericStub>(Connect(server_->port()));
  }

  GrpcReply Handle(const GrpcCall& call) {
    std::function<GrpcReply(const GrpcCall&)> reply;
    {
      std::lock_guard lock(mu_);
      seen_.push_back({call.signal, std::string(call.body), std::string(call.authorization)});
      reply = reply_;
    }
    if (reply) return reply(call);
    return GrpcReply{StatusCode::kOk, "", "response:" + std::string(call.body), ""};
  }

  std::vector<SeenCall> Seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

  void SetReply(std::function<GrpcReply(const GrpcCall&)> reply) {
    std::lock_guard lock(mu_);
    reply_ = std::move(reply);
  }

  std::mutex mu_;
  std::vector<SeenCall> seen_;
  std::function<GrpcReply(const GrpcCall&)> reply_;
  // The stub is destroyed before the server (declaration order is reversed on destruction).
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<::grpc::GenericStub> stub_;
};

TEST_F(GrpcServerTest, RoutesEachExportMethodToItsSignal) {
  StartServer();
  const std::pair<const char*, otlp::Signal> cases[] = {
      {kLogs, otlp::Signal::kLogs},
      {kTraces, otlp::Signal::kTraces},
      {kMetrics, otlp::Signal::kMetrics},
  };
  for (const auto& [method, signal] : cases) {
    const std::string body = std::string("body-\0-", 7) + method;
    const ClientResult result = CallRaw(*stub_, method, body, {.authorization = "Bearer s3cret"});
    ASSERT_TRUE(result.status.ok()) << method << ": " << result.status.error_message();
    EXPECT_EQ(result.response, "response:" + body);
    const std::vector<SeenCall> seen = Seen();
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().signal, signal) << method;
    EXPECT_EQ(seen.back().body, body);
    EXPECT_EQ(seen.back().authorization, "Bearer s3cret");
  }
  EXPECT_EQ(Seen().size(), 3u);
}

TEST_F(GrpcServerTest, AuthorizationIsEmptyWhenAbsentAndEmptyBodyIsPassedOn) {
  StartServer();
  const ClientResult result = CallRaw(*stub_, kTraces, "");
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.response, "response:");
  ASSERT_EQ(Seen().size(), 1u);
  EXPECT_EQ(Seen()[0].authorization, "");
  EXPECT_EQ(Seen()[0].body, "");
}

TEST_F(GrpcServerTest, UnknownMethodIsUnimplemented) {
  StartServer();
  for (const char* method : {"/opentelemetry.proto.collector.logs.v1.LogsService/Other",
                             "/grpc.health.v1.Health/Check", "/x"}) {
    const ClientResult result = CallRaw(*stub_, method, "abc");
    EXPECT_EQ(result.status.error_code(), ::grpc::StatusCode::UNIMPLEMENTED) << method;
  }
  EXPECT_TRUE(Seen().empty());
}

TEST_F(GrpcServerTest, HandlerErrorCarriesCodeMessageAndDetails) {
  StartServer();
  // A google.rpc.Status as the handler would serialize it: code 14 and a message.
  const std::string details = std::string("\x08\x0e\x12\x09try later", 13) + std::string(1, '\0');
  SetReply([&](const GrpcCall&) {
    return GrpcReply{StatusCode::kUnavailable, "pipeline full", "ignored", details};
  });
  const ClientResult result = CallRaw(*stub_, kMetrics, "m");
  EXPECT_EQ(result.status.error_code(), ::grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(result.status.error_message(), "pipeline full");
  EXPECT_EQ(result.status.error_details(), details);
}

TEST_F(GrpcServerTest, HandlerExceptionBecomesInternal) {
  StartServer();
  SetReply([](const GrpcCall&) -> GrpcReply { throw std::runtime_error("boom"); });
  const ClientResult result = CallRaw(*stub_, kLogs, "x");
  EXPECT_EQ(result.status.error_code(), ::grpc::StatusCode::INTERNAL);
  EXPECT_THAT(result.status.error_message(), HasSubstr("boom"));
}

TEST_F(GrpcServerTest, OversizedMessageIsResourceExhausted) {
  StartServer({.max_message_bytes = 1024});
  EXPECT_TRUE(CallRaw(*stub_, kLogs, std::string(1024, 'a')).status.ok());
  const ClientResult result = CallRaw(*stub_, kLogs, std::string(1025, 'a'));
  EXPECT_EQ(result.status.error_code(), ::grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Seen().size(), 1u);
}

TEST_F(GrpcServerTest, GzipMessageArrivesDecompressed) {
  StartServer();
  std::string body;
  for (int i = 0; i < 4000; ++i) body += "log line " + std::to_string(i) + "\n";
  const ClientResult result = CallRaw(*stub_, kLogs, body, {.gzip = true});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  ASSERT_EQ(Seen().size(), 1u);
  EXPECT_EQ(Seen()[0].body, body);
}

TEST_F(GrpcServerTest, SizeLimitAppliesAfterDecompression) {
  // 64 KiB of zeros compresses to well under the 1 KiB limit; it must still be refused.
  StartServer({.max_message_bytes = 1024});
  const ClientResult result = CallRaw(*stub_, kLogs, std::string(64 << 10, '\0'), {.gzip = true});
  EXPECT_EQ(result.status.error_code(), ::grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Seen().empty());
}

TEST_F(GrpcServerTest, CallWithoutMessageIsInvalidArgument) {
  StartServer();
  StreamClient client(*stub_, kLogs, {}, /*half_close=*/true);
  const ::grpc::Status status = client.Wait();
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Seen().empty());
}

TEST_F(GrpcServerTest, StreamingClientGetsOneAnswerForItsFirstMessage) {
  StartServer();
  StreamClient client(*stub_, kTraces, {"first", "second"}, /*half_close=*/true);
  EXPECT_TRUE(client.Wait().ok());
  ASSERT_EQ(Seen().size(), 1u);
  EXPECT_EQ(Seen()[0].body, "first");
}

TEST_F(GrpcServerTest, ClientCancelWhileWaitingForMessage) {
  StartServer();
  {
    StreamClient client(*stub_, kLogs, {}, /*half_close=*/false);
    std::this_thread::sleep_for(20ms);  // usually lets the server create its reactor first
    client.Cancel();
    EXPECT_EQ(client.Wait().error_code(), ::grpc::StatusCode::CANCELLED);
  }
  // Stop waits for every reactor to be done; a leaked or stuck one would hang here.
  server_->Stop(0ms);
  EXPECT_TRUE(Seen().empty());
}

TEST_F(GrpcServerTest, ClientCancelWhileHandlerRuns) {
  StartServer();
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  SetReply([&](const GrpcCall& call) {
    entered.set_value();
    released.wait_for(kCallTimeout);
    return GrpcReply{StatusCode::kOk, "", std::string(call.body), ""};
  });
  {
    StreamClient client(*stub_, kLogs, {"payload"}, /*half_close=*/false);
    entered.get_future().wait();
    client.Cancel();
    EXPECT_EQ(client.Wait().error_code(), ::grpc::StatusCode::CANCELLED);
  }
  release.set_value();  // the server now answers a call nobody listens to any more
  server_->Stop(1s);
  EXPECT_EQ(Seen().size(), 1u);
}

TEST_F(GrpcServerTest, ConcurrentCallsFromSeveralThreads) {
  StartServer();
  constexpr int kThreads = 4;
  constexpr int kCallsPerThread = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // One channel per thread: several connections as well as several streams.
      ::grpc::GenericStub stub(Connect(server_->port()));
      for (int i = 0; i < kCallsPerThread; ++i) {
        const std::string body = "t" + std::to_string(t) + "-" + std::to_string(i);
        const ClientResult result = CallRaw(i % 2 == 0 ? stub : *stub_, kMetrics, body);
        if (result.status.ok() && result.response == "response:" + body) ok.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kThreads * kCallsPerThread);
  EXPECT_EQ(Seen().size(), static_cast<size_t>(kThreads * kCallsPerThread));
}

TEST_F(GrpcServerTest, StopLetsACallInProgressFinish) {
  StartServer();
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  SetReply([&](const GrpcCall& call) {
    entered.set_value();
    released.wait_for(kCallTimeout);
    return GrpcReply{StatusCode::kOk, "", "done:" + std::string(call.body), ""};
  });
  auto call = std::async(std::launch::async, [&] { return CallRaw(*stub_, kLogs, "late"); });
  entered.get_future().wait();
  auto stop = std::async(std::launch::async, [&] { server_->Stop(5s); });
  std::this_thread::sleep_for(20ms);
  release.set_value();
  stop.get();
  const ClientResult result = call.get();
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.response, "done:late");
  // Once stopped, new calls fail instead of reaching the handler.
  EXPECT_FALSE(CallRaw(*stub_, kLogs, "after").status.ok());
  EXPECT_EQ(Seen().size(), 1u);
}

TEST_F(GrpcServerTest, StopWhileIdleIsQuickAndIdempotent) {
  StartServer();
  ASSERT_TRUE(CallRaw(*stub_, kLogs, "x").status.ok());
  const auto start = std::chrono::steady_clock::now();
  server_->Stop(5s);
  server_->Stop(5s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  server_.reset();  // the destructor stops again: still a no-op
}

TEST(GrpcServerStartTest, MalformedListenIsInvalidArgument) {
  for (const char* listen :
       {"", "4317", "localhost", "localhost:", ":4317", "host:43a7", "host:65536", "host:123456",
        "::1:4317", "[::1:4317", "[]:4317", "unix:/tmp/o2p.sock", "dns:///localhost:4317"}) {
    auto server =
        GrpcServer::Start({.listen = listen}, [](const GrpcCall&) { return GrpcReply{}; });
    ASSERT_FALSE(server.ok()) << listen;
    EXPECT_EQ(server.error().code(), StatusCode::kInvalidArgument) << listen;
  }
}

TEST(GrpcServerStartTest, NeedsHandlerAndPositiveMessageLimit) {
  auto no_handler = GrpcServer::Start({.listen = "127.0.0.1:0"}, nullptr);
  ASSERT_FALSE(no_handler.ok());
  EXPECT_EQ(no_handler.error().code(), StatusCode::kInvalidArgument);
  auto zero_limit = GrpcServer::Start({.listen = "127.0.0.1:0", .max_message_bytes = 0},
                                      [](const GrpcCall&) { return GrpcReply{}; });
  ASSERT_FALSE(zero_limit.ok());
  EXPECT_EQ(zero_limit.error().code(), StatusCode::kInvalidArgument);
}

TEST(GrpcServerStartTest, BusyPortIsUnavailable) {
  const auto handler = [](const GrpcCall&) { return GrpcReply{}; };
  auto first = GrpcServer::Start({.listen = "127.0.0.1:0"}, handler);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  const std::string listen = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = GrpcServer::Start({.listen = listen}, handler);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), StatusCode::kUnavailable);
  EXPECT_THAT(second.error().message(), HasSubstr(listen));
}

TEST(GrpcServerStartTest, ListensOnIpv6Loopback) {
  auto server =
      GrpcServer::Start({.listen = "[::1]:0"}, [](const GrpcCall&) { return GrpcReply{}; });
  if (!server.ok() && server.error().code() == StatusCode::kUnavailable) {
    GTEST_SKIP() << "no IPv6 loopback here: " << server.error().ToString();
  }
  ASSERT_TRUE(server.ok()) << server.error().ToString();
  EXPECT_NE((*server)->port(), 0);
}

// The generated stub uses the method path from the .proto itself, so this pins our constant
// to what real OTLP clients send, and checks that protobuf messages survive the trip.
TEST_F(GrpcServerTest, GeneratedLogsStubRoundTrip) {
  namespace collector = ::opentelemetry::proto::collector::logs::v1;
  StartServer();
  SetReply([](const GrpcCall& call) {
    collector::ExportLogsServiceRequest request;
    if (!request.ParseFromArray(call.body.data(), static_cast<int>(call.body.size()))) {
      return GrpcReply{StatusCode::kInvalidArgument, "unparsable", "", ""};
    }
    collector::ExportLogsServiceResponse response;
    response.mutable_partial_success()->set_rejected_log_records(request.resource_logs_size());
    response.mutable_partial_success()->set_error_message("saw " + std::string(call.authorization));
    return GrpcReply{StatusCode::kOk, "", response.SerializeAsString(), ""};
  });
  auto stub = collector::LogsService::NewStub(Connect(server_->port()));
  collector::ExportLogsServiceRequest request;
  request.add_resource_logs()->add_scope_logs()->add_log_records()->set_time_unix_nano(42);
  request.add_resource_logs();
  collector::ExportLogsServiceResponse response;
  ::grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  ctx.AddMetadata("authorization", "Basic dTpw");
  ctx.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  const ::grpc::Status status = stub->Export(&ctx, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.partial_success().rejected_log_records(), 2);
  EXPECT_EQ(response.partial_success().error_message(), "saw Basic dTpw");
  ASSERT_EQ(Seen().size(), 1u);
  EXPECT_EQ(Seen()[0].signal, otlp::Signal::kLogs);
  EXPECT_EQ(Seen()[0].body, request.SerializeAsString());
}

}  // namespace
}  // namespace o2p::server::grpc
