// Lambda HTTP events (payload 1.0 and 2.0): parsing, route matching and the response document
// written back in the event's format.
#include <array>

#include "fuzz_check.h"
#include "o2p/lambda/http_event.h"

namespace {
constexpr size_t kMaxBody = size_t{64} << 10;
constexpr std::array<std::string_view, 4> kRoutes = {"/v1/logs", "/v1/traces", "/v1/metrics",
                                                     "/health"};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2p;
  Result<lambda::HttpEvent> event = lambda::ParseHttpEvent(fuzz::AsText(data, size), kMaxBody);
  if (!event.ok()) {
    fuzz::Check(!event.status().message().empty(), "a refused event has no reason");
    return 0;
  }
  if (event->body_status.ok()) {
    fuzz::Check(event->body.size() <= kMaxBody, "a body over the cap was taken");
  }
  for (const auto& [name, value] : event->headers) {
    for (char c : name) fuzz::Check(!(c >= 'A' && c <= 'Z'), "a header name is not lower case");
  }
  const std::string_view route = lambda::MatchRoute(event->path, kRoutes);
  fuzz::Check(route.empty() || event->path.find(route) != std::string::npos,
              "MatchRoute answered a route the path does not hold");
  lambda::HttpResult result;
  result.status = 200;
  result.headers = event->headers;
  result.body = event->body;
  result.binary = (size % 2) == 0;
  const std::string response = lambda::HttpResponseJson(event->format, result);
  fuzz::Check(!response.empty() && response.front() == '{', "the response is not a JSON object");
  return 0;
}
