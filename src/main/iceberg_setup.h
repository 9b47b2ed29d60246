// Iceberg mode for `serve` (OTLP2PARQUET_ICEBERG_REST_URI set): the catalog client, the seven
// tables made ready (created, or their schema extended), a store that puts each table's data
// files under that table's location, and the committer the Batcher calls.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "o2p/base/metrics.h"
#include "o2p/base/result.h"
#include "o2p/config/config.h"
#include "o2p/iceberg/catalog.h"
#include "o2p/iceberg/file_io.h"
#include "o2p/iceberg/rest/catalog.h"
#include "o2p/iceberg/rest/rest_transport.h"
#include "o2p/pipeline/iceberg_committer.h"
#include "o2p/storage/aws/credentials.h"
#include "o2p/storage/http/http_client.h"
#include "o2p/storage/object_store.h"

namespace o2p::cli {

struct IcebergStack {
  std::unique_ptr<storage::http::HttpClient> http;
  std::unique_ptr<storage::aws::CredentialsProvider> credentials;
  std::unique_ptr<iceberg::rest::RestTransport> transport;  // null for dir:PATH
  std::unique_ptr<iceberg::Catalog> catalog;
  std::vector<std::unique_ptr<storage::aws::CredentialsProvider>> vended_credentials;
  std::vector<std::unique_ptr<storage::ObjectStore>> table_stores;
  /// The Batcher's store: "{table}/..." keys go to {table location}/data/...
  std::unique_ptr<storage::ObjectStore> data_store;
  std::unique_ptr<iceberg::FileIO> io;
  std::unique_ptr<pipeline::IcebergCommitter> committer;
};

/// Connects to the catalog, ensures the namespace and the seven tables, and wires the rest.
/// `instance_id` goes into commit ids (the WAL's instance id, or a random one without a WAL).
/// Fails with what to fix when the catalog cannot be reached or a table cannot take our rows.
Result<IcebergStack> OpenIceberg(const config::Config& cfg, const std::string& instance_id,
                                 MetricsRegistry* metrics);

}  // namespace o2p::cli
