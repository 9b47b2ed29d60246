#include "o2p/lambda/runtime.h"

#include <cstdlib>
#include <thread>

#include "o2p/base/log.h"

namespace o2p::lambda {
namespace {

constexpr int kNextAttempts = 5;

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

void Serve(RuntimeApi& api, InvocationHandler& handler, const Invocation& invocation) {
  const auto start = std::chrono::steady_clock::now();
  // The X-Ray SDK convention: the current trace travels in this variable.
  if (!invocation.trace_id.empty()) {
    setenv("_X_AMZN_TRACE_ID", invocation.trace_id.c_str(), 1);
  } else {
    unsetenv("_X_AMZN_TRACE_ID");
  }
  Result<HandledInvocation> handled = handler.Handle(invocation.event, invocation.deadline);
  if (!handled) {
    LogWarn("the event is not an HTTP request",
            {{"request_id", invocation.request_id}, {"error", handled.error().message()}});
    if (Status s =
            api.PostError(invocation.request_id, "Runtime.InvalidEvent", handled.error().message());
        !s.ok()) {
      LogError("cannot post the invocation error", {{"error", s.message()}});
    }
    return;
  }
  const Status posted = api.PostResponse(invocation.request_id, handled->response);
  LogInfo("invocation", {{"request_id", invocation.request_id},
                         {"route", handled->route.empty() ? std::string("none") : handled->route},
                         {"status", static_cast<int64_t>(handled->status)},
                         {"rows", handled->rows},
                         {"duration_ms", MillisSince(start)}});
  if (!posted.ok()) LogError("cannot post the response", {{"error", posted.message()}});
}

}  // namespace

int RunInvocationLoop(RuntimeApi& api, InvocationHandler& handler) {
  int failures = 0;
  while (true) {
    Result<Invocation> invocation = api.Next();
    if (!invocation) {
      if (++failures >= kNextAttempts) {
        LogError("the Runtime API cannot be reached; stopping",
                 {{"error", invocation.error().message()}});
        return 1;
      }
      LogWarn("invocation/next failed; retrying", {{"error", invocation.error().message()}});
      std::this_thread::sleep_for(std::chrono::milliseconds(200) * failures);
      continue;
    }
    failures = 0;
    Serve(api, handler, *invocation);
  }
}

}  // namespace o2p::lambda
