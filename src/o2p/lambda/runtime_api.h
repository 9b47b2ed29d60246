// The AWS Lambda Runtime API (version 2018-06-01) as a custom runtime sees it: the sandbox
// serves it over plain HTTP at $AWS_LAMBDA_RUNTIME_API ("host:port").
//
//   GET  /2018-06-01/runtime/invocation/next             long poll: the next event
//   POST /2018-06-01/runtime/invocation/{id}/response    the function's answer
//   POST /2018-06-01/runtime/invocation/{id}/error       the event could not be handled
//   POST /2018-06-01/runtime/init/error                  the function cannot start
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "o2p/base/result.h"
#include "o2p/base/status.h"
#include "o2p/storage/http/http_client.h"

namespace o2p::lambda {

struct Invocation {
  std::string request_id;
  /// When Lambda stops the invocation (Lambda-Runtime-Deadline-Ms).
  std::chrono::system_clock::time_point deadline;
  std::string trace_id;      // Lambda-Runtime-Trace-Id, "" when absent
  std::string function_arn;  // Lambda-Runtime-Invoked-Function-Arn
  std::string event;         // the body: the event document
};

class RuntimeApi {
 public:
  /// `address` is $AWS_LAMBDA_RUNTIME_API; `http` must outlive this object.
  static Result<RuntimeApi> Open(std::string_view address, storage::http::HttpClient& http);

  /// Waits (without a time limit) for the next invocation. UNAVAILABLE when the Runtime API
  /// cannot be reached, INTERNAL for an answer without a request id.
  Result<Invocation> Next();
  Status PostResponse(const std::string& request_id, std::string_view payload);
  /// `error_type` like "Runtime.InvalidEvent"; the body is {"errorMessage", "errorType"}.
  Status PostError(const std::string& request_id, std::string_view error_type,
                   std::string_view message);
  Status PostInitError(std::string_view error_type, std::string_view message);

 private:
  RuntimeApi(storage::http::Endpoint endpoint, storage::http::HttpClient& http)
      : endpoint_(std::move(endpoint)), http_(&http) {}
  Status Post(const std::string& target, std::string_view body, std::string_view error_type);

  storage::http::Endpoint endpoint_;
  storage::http::HttpClient* http_;
};

/// {"errorMessage": message, "errorType": type} as the Runtime API expects.
std::string ErrorDocument(std::string_view error_type, std::string_view message);

}  // namespace o2p::lambda
