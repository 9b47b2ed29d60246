// The object store `serve` writes to: a local directory, or an S3 bucket with the HTTP client
// and AWS credentials it needs (owned together, since the store refers to both).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "o2p/base/metrics.h"
#include "o2p/base/result.h"
#include "o2p/config/config.h"
#include "o2p/storage/aws/credentials.h"
#include "o2p/storage/http/http_client.h"
#include "o2p/storage/object_store.h"

namespace o2p::cli {

struct StorageStack {
  std::unique_ptr<storage::http::HttpClient> http;
  std::unique_ptr<storage::aws::CredentialsProvider> credentials;
  std::unique_ptr<storage::ObjectStore> store;
};

/// Builds the configured store. For S3 it also checks that credentials are found and the
/// bucket answers: no credentials, a missing bucket, a wrong region or denied access fail here
/// with what to fix; an unreachable endpoint is only
/// logged (the write-ahead log holds data until S3 answers, and /ready reports it).
/// S3 requests are counted in `metrics` (may be null).
Result<StorageStack> OpenStorage(const config::Config& cfg, MetricsRegistry* metrics);

/// A store rooted at a location URI: "file:///abs/dir" (a local directory) or
/// "s3://bucket/prefix" (also s3a://, s3n://) with the bucket's settings taken from
/// storage.s3 (endpoint, region, addressing, sizes), overridden by what the catalog said about
/// the table's storage (`properties`: s3.endpoint, client.region or s3.region,
/// s3.path-style-access). `http` and `credentials` are used for S3 and must outlive the store.
/// INVALID_ARGUMENT for other schemes.
Result<std::unique_ptr<storage::ObjectStore>> OpenLocationStore(
    std::string_view location, const config::Config& cfg,
    const std::map<std::string, std::string>& properties, storage::http::HttpClient& http,
    storage::aws::CredentialsProvider& credentials, MetricsRegistry* metrics);

}  // namespace o2p::cli
