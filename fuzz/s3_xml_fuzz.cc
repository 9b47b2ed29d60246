// S3's XML answers, read through S3Store as a hostile or broken server would send them: the
// input is the body of every response (status 200 for a listing, 403 for an object write, so
// the error parser runs without retries). Also entity decoding, with escaping as its inverse.
#include "fuzz_check.h"
#include "o2p/storage/aws/credentials.h"
#include "o2p/storage/http/http_client.h"
#include "o2p/storage/s3/s3_store.h"
#include "o2p/storage/s3/s3_xml.h"

namespace {

using namespace o2p;

class AnsweringClient final : public storage::http::HttpClient {
 public:
  Result<storage::http::Response> Send(const storage::http::Endpoint&,
                                       const storage::http::Request& request,
                                       std::chrono::milliseconds) override {
    storage::http::Response response;
    response.status = request.method == "GET" ? 200 : 403;
    response.body = std::string(body);
    return response;
  }
  std::string_view body;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace s3 = storage::s3;
  static AnsweringClient client;
  static std::unique_ptr<storage::aws::CredentialsProvider> credentials =
      storage::aws::MakeStaticCredentials({.access_key_id = "AKIDEXAMPLE",
                                           .secret_access_key = "secret",
                                           .session_token = "",
                                           .expiration = std::nullopt});
  static std::unique_ptr<s3::S3Store> store = [] {
    s3::S3StoreOptions options;
    options.client.bucket = "bucket";
    options.client.region = "eu-west-1";
    options.client.retry.sleep = [](std::chrono::milliseconds) {};
    options.prefix = "otel";
    return std::move(*s3::S3Store::Make(options, client, *credentials));
  }();

  const std::string_view xml = fuzz::AsText(data, size);
  client.body = xml;
  (void)store->List("logs/");
  Status put = store->Put("logs/a.parquet", "x");
  fuzz::Check(!put.ok() && !put.message().empty(), "a 403 answer was taken as success");
  (void)s3::ParseS3Error(xml);
  fuzz::Check(s3::XmlDecode(s3::XmlEscape(xml)) == xml, "XmlDecode does not undo XmlEscape");
  return 0;
}
