#include "o2p/lambda/runtime_api.h"

#include <charconv>

#include <boost/json.hpp>

namespace o2p::lambda {
namespace {

constexpr std::string_view kBase = "/2018-06-01/runtime";
// Posting an answer is a local call; a sandbox that does not take it within this is broken.
constexpr std::chrono::seconds kPostTimeout{30};

std::chrono::system_clock::time_point DeadlineFrom(std::string_view millis_text) {
  int64_t millis = 0;
  const auto [end, error] =
      std::from_chars(millis_text.data(), millis_text.data() + millis_text.size(), millis);
  if (error != std::errc() || end != millis_text.data() + millis_text.size() || millis <= 0) {
    // No usable deadline: assume Lambda's longest timeout rather than none at all.
    return std::chrono::system_clock::now() + std::chrono::minutes(15);
  }
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(millis));
}

}  // namespace

std::string ErrorDocument(std::string_view error_type, std::string_view message) {
  boost::json::object document;
  document["errorMessage"] = message;
  document["errorType"] = error_type;
  return boost::json::serialize(document);
}

Result<RuntimeApi> RuntimeApi::Open(std::string_view address, storage::http::HttpClient& http) {
  if (address.empty()) return Status::InvalidArgument("AWS_LAMBDA_RUNTIME_API is not set");
  auto endpoint = storage::http::ParseEndpoint("http://" + std::string(address));
  if (!endpoint) {
    return Status::InvalidArgument("AWS_LAMBDA_RUNTIME_API '{}' is not host:port: {}", address,
                                   endpoint.error().message());
  }
  return RuntimeApi(std::move(*endpoint), http);
}

Result<Invocation> RuntimeApi::Next() {
  storage::http::Request request;
  request.method = "GET";
  request.target = std::string(kBase) + "/invocation/next";
  auto response = http_->Send(endpoint_, request, std::chrono::milliseconds::zero());
  if (!response) return response.error();
  if (response->status != 200) {
    return Status::Internal("the Runtime API answered {} to invocation/next", response->status);
  }
  Invocation invocation;
  invocation.request_id = std::string(response->HeaderValue("Lambda-Runtime-Aws-Request-Id"));
  if (invocation.request_id.empty()) {
    return Status::Internal("the Runtime API sent an invocation without a request id");
  }
  invocation.deadline = DeadlineFrom(response->HeaderValue("Lambda-Runtime-Deadline-Ms"));
  invocation.trace_id = std::string(response->HeaderValue("Lambda-Runtime-Trace-Id"));
  invocation.function_arn =
      std::string(response->HeaderValue("Lambda-Runtime-Invoked-Function-Arn"));
  invocation.event = std::move(response->body);
  return invocation;
}

Status RuntimeApi::Post(const std::string& target, std::string_view body,
                        std::string_view error_type) {
  storage::http::Request request;
  request.method = "POST";
  request.target = target;
  request.body = body;
  request.headers.push_back({"Content-Type", "application/json"});
  if (!error_type.empty()) {
    request.headers.push_back({"Lambda-Runtime-Function-Error-Type", std::string(error_type)});
  }
  auto response = http_->Send(endpoint_, request, kPostTimeout);
  if (!response) return response.error();
  if (response->status / 100 != 2) {
    return Status::Internal("the Runtime API answered {} to {}: {}", response->status, target,
                            response->body.substr(0, 200));
  }
  return Status::Ok();
}

Status RuntimeApi::PostResponse(const std::string& request_id, std::string_view payload) {
  return Post(std::string(kBase) + "/invocation/" + storage::http::UriEncode(request_id, false) +
                  "/response",
              payload, {});
}

Status RuntimeApi::PostError(const std::string& request_id, std::string_view error_type,
                             std::string_view message) {
  return Post(
      std::string(kBase) + "/invocation/" + storage::http::UriEncode(request_id, false) + "/error",
      ErrorDocument(error_type, message), error_type);
}

Status RuntimeApi::PostInitError(std::string_view error_type, std::string_view message) {
  return Post(std::string(kBase) + "/init/error", ErrorDocument(error_type, message), error_type);
}

}  // namespace o2p::lambda
