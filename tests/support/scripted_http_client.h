// ScriptedHttpClient: an HttpClient that records every request and answers from a script, for
// tests of the clients built on HTTP (S3, the Iceberg catalog). When the script runs out it
// answers 200 with an ETag header (and an UploadId body for CreateMultipartUpload), which is
// what the S3 tests need by default.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "o2p/base/text_codec.h"
#include "o2p/storage/http/http_client.h"

namespace o2p::testing {

struct SentRequest {
  storage::http::Endpoint endpoint;
  std::string method;
  std::string target;
  std::vector<storage::http::Header> headers;
  std::string body;
  std::chrono::milliseconds timeout{0};

  std::string Header(std::string_view name) const {
    for (const auto& h : headers) {
      if (EqualsIgnoreCase(h.name, name)) return h.value;
    }
    return "";
  }
};

class ScriptedHttpClient final : public storage::http::HttpClient {
 public:
  Result<storage::http::Response> Send(const storage::http::Endpoint& endpoint,
                                       const storage::http::Request& request,
                                       std::chrono::milliseconds timeout) override {
    std::lock_guard lock(mu_);
    sent_.push_back({endpoint, request.method, request.target, request.headers,
                     std::string(request.body), timeout});
    if (!script_.empty()) {
      Result<storage::http::Response> next = std::move(script_.front());
      script_.pop_front();
      return next;
    }
    storage::http::Response ok;
    ok.status = 200;
    ok.headers.push_back({"ETag", "\"etag-" + std::to_string(sent_.size()) + "\""});
    if (request.method == "POST" && request.target.find("uploads") != std::string::npos) {
      ok.body = "<InitiateMultipartUploadResult><UploadId>up/1+x</UploadId>"
                "</InitiateMultipartUploadResult>";
    }
    return ok;
  }

  void Then(Result<storage::http::Response> response) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(response));
  }
  void ThenStatus(int status, std::string body = "",
                  std::vector<storage::http::Header> headers = {}) {
    storage::http::Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    Then(std::move(r));
  }
  std::vector<SentRequest> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::deque<Result<storage::http::Response>> script_;
  std::vector<SentRequest> sent_;
};

}  // namespace o2p::testing
