// Raw bytes as they would arrive on an OTLP/HTTP connection: one or more pipelined requests
// parsed with Beast under the server's limits, routed by the server's Router and answered by
// the OTLP routes (decode, convert, batch). At the end of each input the batcher writes its
// Parquet files to a store that checks every key, so service names and other untrusted strings
// that reach object keys are covered too.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include "fuzz_check.h"
#include "o2p/base/metrics.h"
#include "o2p/pipeline/batcher.h"
#include "o2p/server/http/internal/messages.h"
#include "o2p/server/http/internal/router.h"
#include "o2p/server/ingest_service.h"
#include "o2p/server/otlp_http_routes.h"
#include "o2p/storage/object_store.h"

namespace {

using namespace o2p;
namespace bhttp = boost::beast::http;
namespace shttp = server::http;

constexpr size_t kMaxHeaderBytes = 64 * 1024;  // as the server's connection
constexpr size_t kMaxBodyBytes = 256 * 1024;

// Takes every file after checking its key; keeps nothing.
class CheckingStore final : public storage::ObjectStore {
 public:
  Status Put(std::string_view key, std::string_view) override {
    fuzz::Check(storage::ValidateKey(key).ok(), "the batcher built an invalid object key");
    fuzz::Check(key.find("/../") == std::string_view::npos && !key.starts_with("../"),
                "an object key climbs out of its prefix");
    return Status::Ok();
  }
  Result<std::string> Get(std::string_view key) override {
    return Status::NotFound("no object {}", key);
  }
  Result<std::vector<storage::ObjectInfo>> List(std::string_view) override {
    return std::vector<storage::ObjectInfo>{};
  }
  Status Delete(std::string_view) override { return Status::Ok(); }
  Status CheckAvailable() override { return Status::Ok(); }
  std::string Describe(std::string_view key) const override { return std::string(key); }
};

// Parses one request from `*input` (advanced past it). False when no complete request is left.
bool ParseRequest(std::string_view* input, shttp::HttpRequest* request, int* refusal) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
  parser.body_limit(kMaxBodyBytes);
  parser.eager(true);
  boost::beast::error_code ec;
  while (!input->empty() && !parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(input->data(), input->size()), ec);
    input->remove_prefix(used);
    if (ec == bhttp::error::need_more) {
      if (used == 0) break;
      ec = {};
    } else if (ec) {
      break;
    }
  }
  if (!parser.is_done()) {
    if (!ec || ec == bhttp::error::need_more) parser.put_eof(ec);
    if (ec == bhttp::error::body_limit) *refusal = 413;
    input->remove_prefix(input->size());  // the connection would be closed
    if (!parser.is_done()) return false;
  }
  *request = shttp::internal::RequestFromHead(parser.get());
  request->body = std::move(parser.get().body());
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static CheckingStore store;
  static MetricsRegistry metrics;
  static shttp::HttpServerOptions http_options;

  pipeline::BatcherOptions batcher_options;
  batcher_options.timer_interval = std::chrono::milliseconds(0);
  batcher_options.max_rows = 64;
  batcher_options.max_buffered_bytes = size_t{32} << 20;
  batcher_options.shutdown_attempts = 1;
  pipeline::Batcher batcher(batcher_options, store, &metrics);
  batcher.Start();
  server::IngestOptions ingest_options;
  ingest_options.max_decompressed_bytes = size_t{1} << 20;
  server::IngestService service(ingest_options, batcher, metrics);
  Result<shttp::internal::Router> router = shttp::internal::Router::Make(
      server::OtlpHttpRoutes(service, metrics, [] { return std::string(); }));
  fuzz::Check(router.ok(), "the OTLP routes do not make a router");

  std::string_view input = fuzz::AsText(data, size);
  for (int requests = 0; requests < 8 && !input.empty(); ++requests) {
    shttp::HttpRequest request;
    int refusal = 0;
    if (!ParseRequest(&input, &request, &refusal)) break;
    const shttp::internal::Router::Match match = router->Find(request.method, request.path);
    shttp::HttpResponse response;
    if (match.handler == nullptr) {
      response = server::RenderHttpServerError(request, match.path_known ? 405 : 404, "refused");
    } else {
      response = shttp::internal::CallHandler(http_options, *match.handler, request);
    }
    fuzz::Check(response.status != 500, "a request was answered 500");
    fuzz::Check(response.status >= 200 && response.status < 600, "an impossible status");
  }
  fuzz::Check(batcher.Shutdown() == 0, "rows were lost writing the files");
  return 0;
}
