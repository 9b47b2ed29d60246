// GrpcServer on grpc++'s callback generic service.
//
// Message flow: grpc core accepts a call, undoes message compression and enforces the receive
// size limit (RESOURCE_EXHAUSTED, also for a gzip body that inflates past it); CreateReactor
// picks a reactor by method name. An ExportReactor reads exactly one message, hands its bytes
// to the handler and answers with StartWriteAndFinish (OK) or Finish (error with details).
//
// Threading: reactions run on grpc's own callback threads, so the handler is called from those
// threads, possibly several at once, and synchronously inside OnReadDone. A handler that blocks
// holds a grpc thread for that long; it is expected to decode and enqueue, and to answer
// overload with an error code rather than by waiting.
//
// Lifetime: every reactor deletes itself in OnDone and is counted by the service; Stop() shuts
// the grpc server down, waits for it, then waits until the count is zero, so once Stop returns
// the handler is never called again and no reactor refers to the service.
#include "o2p/server/grpc/grpc_server.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <grpc/grpc.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>
#include <grpcpp/support/status.h>

#include "o2p/base/macros.h"

namespace o2p::server::grpc {
namespace {

constexpr std::string_view kLogsMethod =
    "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
constexpr std::string_view kTracesMethod =
    "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
constexpr std::string_view kMetricsMethod =
    "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

// HTTP/2 streams one connection may have open at once (grpc's default is unlimited). Each open
// stream can hold up to one request message, so this bounds what a single peer can make us
// buffer.
constexpr int kMaxConcurrentStreams = 100;

// Memory grpc core may use for transport buffers across all connections (grpc's default quota
// is unbounded). Under pressure core shrinks the HTTP/2 flow-control windows, so peers send
// more slowly, and when the quota is used up it cancels streams (RESOURCE_EXHAUSTED): a flood
// of large requests is refused instead of growing the heap. The floor leaves room for many ordinary
// requests; the multiple of the message limit lets a few maximal requests be in flight at once.
constexpr size_t kMinMemoryQuotaBytes = size_t{256} << 20;
constexpr size_t kMaxMessagesInQuota = 4;

std::optional<otlp::Signal> SignalOfMethod(std::string_view method) {
  if (method == kLogsMethod) return otlp::Signal::kLogs;
  if (method == kTracesMethod) return otlp::Signal::kTraces;
  if (method == kMetricsMethod) return otlp::Signal::kMetrics;
  return std::nullopt;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Accepts "HOST:PORT" with a bracketed IPv6 host ("[::1]:4317"); grpc's own syntax (e.g.
// "unix:" or "dns:" targets) is refused so that the setting means one thing only.
Status ValidateListen(std::string_view listen) {
  const auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("grpc listen address '{}': {}", listen, why);
  };
  const size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) return bad("expected HOST:PORT");
  const std::string_view host = listen.substr(0, colon);
  const std::string_view port = listen.substr(colon + 1);
  if (!IsDigits(port) || port.size() > 5 || std::stoul(std::string(port)) > 65535) {
    return bad("port must be a number from 0 to 65535");
  }
  if (host.empty()) return bad("host is empty");
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad("unterminated '[' in IPv6 host");
    if (host.substr(1, host.size() - 2).find_first_of("[]/ ") != std::string_view::npos) {
      return bad("malformed IPv6 host");
    }
    return Status::Ok();
  }
  if (host.find_first_of(":[]/ ") != std::string_view::npos) {
    return bad("IPv6 hosts must be written in brackets, e.g. [::1]:4317");
  }
  return Status::Ok();
}

std::string Flatten(const ::grpc::ByteBuffer& buffer) {
  std::string out;
  std::vector<::grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const ::grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

std::string AuthorizationOf(const ::grpc::GenericCallbackServerContext& ctx) {
  const auto& metadata = ctx.client_metadata();
  const auto it = metadata.find("authorization");
  if (it == metadata.end()) return {};
  return std::string(it->second.data(), it->second.size());
}

class ExportService;

// Base of our reactors: deletes itself when grpc is done with the call and tells the service,
// which counts live reactors so that Stop() can wait for the last one.
class CountedReactor : public ::grpc::ServerGenericBidiReactor {
 public:
  explicit CountedReactor(ExportService* service) : service_(service) {}
  void OnDone() override;

 protected:
  ExportService* service() const { return service_; }

 private:
  ExportService* const service_;
};

// A method we do not serve.
class UnimplementedReactor final : public CountedReactor {
 public:
  UnimplementedReactor(ExportService* service, const std::string& method)
      : CountedReactor(service) {
    Finish(::grpc::Status(::grpc::StatusCode::UNIMPLEMENTED, "unknown method " + method));
  }
};

// One unary Export call: one message in, one answer out.
class ExportReactor final : public CountedReactor {
 public:
  ExportReactor(ExportService* service, otlp::Signal signal, std::string authorization)
      : CountedReactor(service), signal_(signal), authorization_(std::move(authorization)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override;
  void OnCancel() override { cancelled_.store(true, std::memory_order_relaxed); }

 private:
  void Answer(GrpcReply reply);

  const otlp::Signal signal_;
  const std::string authorization_;
  ::grpc::ByteBuffer request_;
  ::grpc::ByteBuffer response_;  // must outlive the write: freed with the reactor in OnDone
  // Set from OnCancel, which may run concurrently with OnReadDone.
  std::atomic<bool> cancelled_{false};
};

class ExportService final : public ::grpc::CallbackGenericService {
 public:
  explicit ExportService(GrpcHandler handler) : handler_(std::move(handler)) {}

  ::grpc::ServerGenericBidiReactor* CreateReactor(
      ::grpc::GenericCallbackServerContext* ctx) override {
    {
      std::lock_guard lock(mu_);
      ++live_reactors_;
    }
    const std::optional<otlp::Signal> signal = SignalOfMethod(ctx->method());
    if (!signal) return new UnimplementedReactor(this, ctx->method());
    return new ExportReactor(this, *signal, AuthorizationOf(*ctx));
  }

  // Runs the handler; an exception escaping it must not unwind through grpc's threads.
  GrpcReply Handle(const GrpcCall& call) {
    try {
      return handler_(call);
    } catch (const std::exception& e) {
      return GrpcReply{
          StatusCode::kInternal, std::string("export handler failed: ") + e.what(), {}, {}};
    } catch (...) {
      return GrpcReply{StatusCode::kInternal, "export handler failed", {}, {}};
    }
  }

  void ReactorDone() {
    std::lock_guard lock(mu_);
    // Notifying under the lock: WaitIdle's caller may destroy the service as soon as it can
    // take the lock again, so nothing here may touch the service after unlocking.
    if (--live_reactors_ == 0) idle_.notify_all();
  }

  void WaitIdle() {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [this] { return live_reactors_ == 0; });
  }

 private:
  const GrpcHandler handler_;
  std::mutex mu_;
  std::condition_variable idle_;
  size_t live_reactors_ = 0;
};

void CountedReactor::OnDone() {
  ExportService* const service = service_;
  delete this;
  service->ReactorDone();
}

void ExportReactor::OnReadDone(bool ok) {
  if (!ok) {
    // No message: the client half-closed without sending one, or the call was cancelled.
    if (cancelled_.load(std::memory_order_relaxed)) {
      Finish(::grpc::Status::CANCELLED);
    } else {
      Finish(::grpc::Status(::grpc::StatusCode::INVALID_ARGUMENT,
                            "an Export call carries exactly one request message"));
    }
    return;
  }
  if (cancelled_.load(std::memory_order_relaxed)) {
    // The client gave up (deadline, cancel) before we started: it will not see an answer, and
    // it may retry, so doing the work now would only risk a duplicate.
    Finish(::grpc::Status::CANCELLED);
    return;
  }
  const std::string body = Flatten(request_);
  request_.Clear();
  Answer(service()->Handle(GrpcCall{signal_, body, authorization_}));
}

void ExportReactor::Answer(GrpcReply reply) {
  if (reply.code != StatusCode::kOk) {
    Finish(
        ::grpc::Status(static_cast<::grpc::StatusCode>(reply.code), reply.message, reply.details));
    return;
  }
  // Export responses are a few bytes, so copying into a grpc-owned slice is cheapest to
  // reason about: the transport may hold the slice after the write completes.
  const ::grpc::Slice slice(reply.response);
  response_ = ::grpc::ByteBuffer(&slice, 1);
  StartWriteAndFinish(&response_, ::grpc::WriteOptions(), ::grpc::Status::OK);
}

int ClampToInt(size_t value) { return static_cast<int>(std::min<size_t>(value, INT_MAX)); }

class GrpcServerImpl final : public GrpcServer {
 public:
  explicit GrpcServerImpl(GrpcHandler handler) : service_(std::move(handler)) {}
  ~GrpcServerImpl() override { Stop(std::chrono::seconds(10)); }

  GrpcServerImpl(const GrpcServerImpl&) = delete;
  GrpcServerImpl& operator=(const GrpcServerImpl&) = delete;

  Status Listen(const GrpcServerOptions& options);

  uint16_t port() const override { return port_; }
  void Stop(std::chrono::milliseconds grace) override;

 private:
  // Declared before server_: grpc's server must be gone before the service it calls into.
  ExportService service_;
  std::unique_ptr<::grpc::Server> server_;
  uint16_t port_ = 0;
  std::mutex stop_mu_;
  bool stopped_ = false;
};

Status GrpcServerImpl::Listen(const GrpcServerOptions& options) {
  ::grpc::ServerBuilder builder;
  int selected_port = 0;
  builder.AddListeningPort(options.listen, ::grpc::InsecureServerCredentials(), &selected_port);
  builder.RegisterCallbackGenericService(&service_);
  builder.SetMaxReceiveMessageSize(ClampToInt(options.max_message_bytes));
  ::grpc::ResourceQuota quota("o2p-grpc-server");
  quota.Resize(std::max(kMinMemoryQuotaBytes, kMaxMessagesInQuota * options.max_message_bytes));
  builder.SetResourceQuota(quota);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams);
  // grpc sets SO_REUSEPORT by default, which would let a second process "bind" a port that is
  // already serving and silently split the traffic; a busy port must be an error instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || selected_port <= 0 || selected_port > 65535) {
    if (server_ != nullptr) {
      server_->Shutdown(std::chrono::system_clock::now());
      server_->Wait();
      server_.reset();
    }
    return Status::Unavailable("grpc: cannot listen on {}", options.listen);
  }
  port_ = static_cast<uint16_t>(selected_port);
  return Status::Ok();
}

void GrpcServerImpl::Stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(stop_mu_);
  if (stopped_) return;
  stopped_ = true;
  if (server_ != nullptr) {
    // New calls are refused at once; calls in progress are cancelled at the deadline.
    server_->Shutdown(std::chrono::system_clock::now() + std::max(grace, grace.zero()));
    server_->Wait();
  }
  service_.WaitIdle();
}

}  // namespace

Result<std::unique_ptr<GrpcServer>> GrpcServer::Start(const GrpcServerOptions& options,
                                                      GrpcHandler handler) {
  O2P_RETURN_IF_ERROR(ValidateListen(options.listen));
  if (options.max_message_bytes == 0) {
    return Status::InvalidArgument("grpc max_message_bytes must be positive");
  }
  if (!handler) return Status::InvalidArgument("grpc server needs a handler");
  auto server = std::make_unique<GrpcServerImpl>(std::move(handler));
  O2P_RETURN_IF_ERROR(server->Listen(options));
  return std::unique_ptr<GrpcServer>(std::move(server));
}

}  // namespace o2p::server::grpc
