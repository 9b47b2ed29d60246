// S3Store::PutMultipart: the three-step multipart upload described in s3_store.h.
#include <fmt/format.h>

#include <atomic>
#include <thread>

#include "o2p/base/macros.h"
#include "o2p/storage/s3/s3_store.h"
#include "o2p/storage/s3/s3_xml.h"

namespace o2p::storage::s3 {
namespace {

// Uploads the parts of `data` with `threads` workers; fills `etags` (index = part - 1).
Status UploadParts(S3Client& client, const std::string& key, const std::string& upload_id,
                   std::string_view data, size_t part_size, int threads,
                   std::vector<std::string>& etags) {
  const size_t parts = (data.size() + part_size - 1) / part_size;
  etags.assign(parts, "");
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mu;
  Status first_error;
  auto worker = [&] {
    for (size_t i = next++; i < parts && !failed; i = next++) {
      S3Call call{.method = "PUT",
                  .key = key,
                  .query = fmt::format("partNumber={}&uploadId={}", i + 1,
                                       http::UriEncode(upload_id, false)),
                  .body = data.substr(i * part_size, part_size)};
      Result<http::Response> response = client.Send(call);
      if (response.ok()) {
        etags[i] = std::string(response->HeaderValue("ETag"));
        if (!etags[i].empty()) continue;
        response = Status::Internal("S3 UploadPart {} of {} returned no ETag", i + 1, key);
      }
      std::lock_guard lock(error_mu);
      if (!failed.exchange(true)) first_error = response.status();
    }
  };
  std::vector<std::thread> helpers;
  const size_t extra = std::min<size_t>(parts, static_cast<size_t>(threads)) - 1;
  for (size_t t = 0; t < extra; ++t) helpers.emplace_back(worker);
  worker();
  for (std::thread& t : helpers) t.join();
  return first_error;
}

std::string CompleteBody(const std::vector<std::string>& etags) {
  std::string body = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    body += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", i + 1,
                        XmlEscape(etags[i]));
  }
  body += "</CompleteMultipartUpload>";
  return body;
}

}  // namespace

Status S3Store::PutMultipart(const std::string& full_key, std::string_view data) {
  S3Call create{.method = "POST", .key = full_key, .query = "uploads="};
  create.headers.push_back({"Content-Type", "application/octet-stream"});
  O2P_ASSIGN_OR_RETURN(http::Response created, client_->Send(create));
  const std::string upload_id = XmlText(created.body, "UploadId").value_or("");
  if (upload_id.empty()) {
    return Status::Internal("S3 CreateMultipartUpload for {} returned no UploadId",
                            Describe(full_key));
  }
  const std::string upload_query = "uploadId=" + http::UriEncode(upload_id, false);
  std::vector<std::string> etags;
  Status status = UploadParts(*client_, full_key, upload_id, data, options_.part_size,
                              options_.upload_concurrency, etags);
  if (status.ok()) {
    const std::string body = CompleteBody(etags);
    S3Call complete{.method = "POST", .key = full_key, .query = upload_query, .body = body,
                    .ok_may_hold_error = true};
    status = client_->Send(complete).status();
    // A retried Complete whose first attempt did land finds the upload gone; the object
    // is then there with our size.
    if (status.code() == StatusCode::kNotFound) {
      Result<http::Response> head = client_->Send(S3Call{.method = "HEAD", .key = full_key});
      if (head.ok() && head->HeaderValue("Content-Length") == std::to_string(data.size())) {
        status = Status::Ok();
      }
    }
  }
  if (!status.ok()) {
    // Best effort: an upload left open keeps its parts (and their cost) until a lifecycle
    // rule removes them.
    (void)client_->Send(S3Call{.method = "DELETE", .key = full_key, .query = upload_query});
  }
  return status;
}

}  // namespace o2p::storage::s3
