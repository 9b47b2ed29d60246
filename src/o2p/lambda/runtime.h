// The invocation loop of the custom runtime: next event, handle, answer, forever.
//
//   RuntimeApi api = *RuntimeApi::Open(getenv("AWS_LAMBDA_RUNTIME_API"), http);
//   return RunInvocationLoop(api, handler);
#pragma once

#include "o2p/lambda/handler.h"
#include "o2p/lambda/runtime_api.h"

namespace o2p::lambda {

/// Serves invocations until the Runtime API stays unreachable (a few attempts over some
/// seconds: the sandbox is gone). An event that is not an HTTP request is answered with an
/// invocation error of type Runtime.InvalidEvent. Returns the process exit code.
int RunInvocationLoop(RuntimeApi& api, InvocationHandler& handler);

}  // namespace o2p::lambda
