#include "o2p/lambda/handler.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "o2p/base/log.h"
#include "o2p/base/text_codec.h"
#include "o2p/server/otlp_http_routes.h"

namespace o2p::lambda {
namespace {

namespace http = server::http;

constexpr std::string_view kHealthRoute = "/health";
constexpr std::array<std::string_view, 4> kRoutes = {"/v1/logs", "/v1/traces", "/v1/metrics",
                                                     kHealthRoute};

http::HttpRequest ToHttpRequest(const HttpEvent& event, std::string_view route) {
  http::HttpRequest request;
  request.method = event.method;
  request.path = route.empty() ? event.path : std::string(route);
  for (const auto& [name, value] : event.headers) request.headers.push_back({name, value});
  request.body = event.body;
  return request;
}

http::HttpResponse WithHeader(http::HttpResponse response, std::string name, std::string value) {
  response.headers.push_back({std::move(name), std::move(value)});
  return response;
}

http::HttpResponse MethodNotAllowed(const http::HttpRequest& request, std::string_view allowed) {
  return WithHeader(
      server::RenderHttpServerError(request, 405,
                                    fmt::format("method {} is not allowed on {}; use {}",
                                                request.method, request.path, allowed)),
      "Allow", std::string(allowed));
}

// What is left of the invocation's time for storing, keeping `margin` for the answer; never
// less than a moment, so a late invocation still tries once.
std::chrono::milliseconds TimeLeft(std::chrono::system_clock::time_point deadline,
                                   std::chrono::milliseconds margin) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::system_clock::now() - margin);
  return std::max(left, std::chrono::milliseconds(100));
}

// Each invocation's Batcher numbers its epochs from the start, but a commit is identified by
// (instance, epoch, table) and a repeated id counts as already committed (exactly once). So the
// epochs of invocation n are offered to the committer as n * kEpochsPerInvocation + epoch.
// Once an export is answered 503 it is revoked: nothing of it may become visible afterwards,
// or the client's resend would duplicate it. `revoked` is shared by its store and committer.
class InvocationCommitter final : public pipeline::FileCommitter {
 public:
  static constexpr uint64_t kEpochsPerInvocation = uint64_t{1} << 20;

  InvocationCommitter(pipeline::FileCommitter& inner, uint64_t invocation,
                      const std::atomic<bool>& revoked)
      : inner_(inner), base_(invocation * kEpochsPerInvocation), revoked_(revoked) {}

  pipeline::FileLayout LayoutFor(std::string_view table) const override {
    return inner_.LayoutFor(table);
  }
  Status Commit(uint64_t epoch, std::span<const pipeline::WrittenFile> files) override {
    return inner_.CommitUnless(base_ + epoch, files, revoked_);
  }

 private:
  pipeline::FileCommitter& inner_;
  uint64_t base_;
  const std::atomic<bool>& revoked_;
};

// The store of one export: after revocation no Put starts, and a Put that was under way is
// deleted again when it completes (plain Parquet has no commit to withhold).
class InvocationStore final : public storage::ObjectStore {
 public:
  InvocationStore(storage::ObjectStore& inner, const std::atomic<bool>& revoked)
      : inner_(inner), revoked_(revoked) {}

  Status Put(std::string_view key, std::string_view data) override {
    if (revoked_) return Status::Unavailable("the export was answered 503; not stored");
    Status stored = inner_.Put(key, data);
    if (stored.ok() && revoked_) {
      if (Status removed = inner_.Delete(key); !removed.ok()) {
        LogError("cannot remove a file stored after its export was answered 503",
                 {{"path", inner_.Describe(key)}, {"error", removed.message()}});
      }
      return Status::Unavailable("the export was answered 503; removed again");
    }
    return stored;
  }
  Result<std::string> Get(std::string_view key) override { return inner_.Get(key); }
  Result<std::vector<storage::ObjectInfo>> List(std::string_view prefix) override {
    return inner_.List(prefix);
  }
  Status Delete(std::string_view key) override { return inner_.Delete(key); }
  Status CheckAvailable() override { return inner_.CheckAvailable(); }
  std::string Describe(std::string_view key) const override { return inner_.Describe(key); }

 private:
  storage::ObjectStore& inner_;
  const std::atomic<bool>& revoked_;
};

}  // namespace

HttpResult ToHttpResult(const http::HttpResponse& response) {
  HttpResult result;
  result.status = response.status;
  if (!response.content_type.empty()) {
    result.headers.emplace_back("content-type", response.content_type);
  }
  for (const http::HttpHeader& header : response.headers) {
    result.headers.emplace_back(AsciiLower(header.name), header.value);
  }
  result.body = response.body;
  // Protobuf answers are bytes; everything else we send is text (JSON or plain).
  result.binary = response.content_type.find("protobuf") != std::string::npos;
  return result;
}

// One export's Batcher (and its committer view); kept alive on a thread of its own when the
// export is abandoned at the deadline.
struct InvocationHandler::Abandoned {
  std::atomic<bool> revoked{false};
  std::unique_ptr<InvocationStore> store;
  std::unique_ptr<InvocationCommitter> committer;
  std::unique_ptr<pipeline::Batcher> batcher;
  std::thread thread;
  std::atomic<bool> done{false};
};

InvocationHandler::InvocationHandler(HandlerOptions options, SinkOpener open_sink,
                                     MetricsRegistry& metrics)
    : options_(std::move(options)), open_sink_(std::move(open_sink)), metrics_(metrics) {}

InvocationHandler::~InvocationHandler() {
  for (auto& abandoned : abandoned_) abandoned->thread.join();
}

void InvocationHandler::Abandon(std::unique_ptr<Abandoned> export_state) {
  std::erase_if(abandoned_, [](std::unique_ptr<Abandoned>& old) {
    if (!old->done) return false;
    old->thread.join();
    return true;
  });
  Abandoned& state = *export_state;
  state.revoked = true;
  state.thread = std::thread([&state] {
    if (const int64_t lost = state.batcher->Shutdown(); lost > 0) {
      LogWarn("rows of an export answered 503 were dropped", {{"rows", lost}});
    }
    state.done = true;
  });
  abandoned_.push_back(std::move(export_state));
}

Result<HandledInvocation> InvocationHandler::Handle(
    std::string_view event_text, std::chrono::system_clock::time_point deadline) {
  Result<HttpEvent> event = ParseHttpEvent(event_text, options_.max_body_bytes);
  if (!event) return event.error();
  HandledInvocation handled;
  handled.route = std::string(MatchRoute(event->path, kRoutes));
  const http::HttpResponse response = Dispatch(*event, handled.route, deadline, &handled.rows);
  handled.status = response.status;
  handled.response = HttpResponseJson(event->format, ToHttpResult(response));
  return handled;
}

http::HttpResponse InvocationHandler::Dispatch(const HttpEvent& event, std::string_view route,
                                               std::chrono::system_clock::time_point deadline,
                                               int64_t* rows) {
  const http::HttpRequest request = ToHttpRequest(event, route);
  if (route.empty()) {
    return server::RenderHttpServerError(request, 404, fmt::format("no route for {}", event.path));
  }
  if (route == kHealthRoute) {
    if (request.method != "GET" && request.method != "HEAD") {
      return MethodNotAllowed(request, "GET");
    }
    return server::PlainTextResponse(200, "Healthy");
  }
  if (request.method != "POST") return MethodNotAllowed(request, "POST");
  if (!event.body_status.ok()) {
    const int status = event.body_status.code() == StatusCode::kResourceExhausted ? 413 : 400;
    return server::RenderHttpServerError(request, status, event.body_status.message());
  }
  return Export(request, deadline, rows);
}

http::HttpResponse InvocationHandler::Export(const http::HttpRequest& request,
                                             std::chrono::system_clock::time_point deadline,
                                             int64_t* rows) {
  const int retry_after = std::max(1, options_.ingest.retry_after_seconds);
  auto unavailable = [&](std::string message) {
    return WithHeader(server::RenderHttpServerError(request, 503, message), "Retry-After",
                      std::to_string(retry_after));
  };
  if (!sink_) {
    Result<Sink> opened = open_sink_();
    if (!opened) {
      LogError("the output is not ready", {{"error", opened.error().message()}});
      return unavailable("the output is not ready: " + opened.error().message());
    }
    sink_ = *opened;
  }
  auto export_state = std::make_unique<Abandoned>();
  export_state->store = std::make_unique<InvocationStore>(*sink_->store, export_state->revoked);
  if (sink_->committer != nullptr) {
    export_state->committer =
        std::make_unique<InvocationCommitter>(*sink_->committer, ++exports_, export_state->revoked);
  }
  export_state->batcher = std::make_unique<pipeline::Batcher>(
      options_.batcher, *export_state->store, &metrics_, nullptr, export_state->committer.get());
  pipeline::Batcher& batcher = *export_state->batcher;
  batcher.Start();
  server::IngestService service(options_.ingest, batcher, metrics_);
  server::ExportOutcome outcome;
  http::HttpResponse response = server::HandleHttpExport(
      service, *server::SignalForExportPath(request.path), request, &outcome);
  if (!batcher.FlushAll(TimeLeft(deadline, options_.answer_margin))) {
    // Not everything is stored, and an attempt may still be under way: answer now, and let
    // that attempt end (the Batcher then gives up) on a thread of its own.
    Abandon(std::move(export_state));
    LogError("rows could not be stored within the invocation", {{"route", request.path}});
    return unavailable("the rows could not be stored in time; nothing was acknowledged");
  }
  if (const int64_t lost = batcher.Shutdown(); lost > 0) {
    LogError("rows could not be stored within the invocation",
             {{"rows", lost}, {"route", request.path}});
    return unavailable(
        fmt::format("{} rows could not be stored in time; nothing was acknowledged", lost));
  }
  if (response.status == 200) {
    *rows = outcome.stats.accepted;
    response.headers.push_back({std::string(kRowsHeader), std::to_string(*rows)});
  }
  return response;
}

}  // namespace o2p::lambda
