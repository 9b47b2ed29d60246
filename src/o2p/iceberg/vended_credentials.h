// Storage credentials a catalog hands out with a table ("vended credentials", Iceberg REST
// LoadTableResult): the S3 keys in `storage-credentials` (the entry whose prefix is the longest
// one the location starts with) or, from older catalogs, in the table `config`:
//   s3.access-key-id, s3.secret-access-key, s3.session-token, s3.session-token-expires-at-ms
// plus the bucket's connection settings that may come with them (s3.endpoint, client.region,
// s3.path-style-access).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "o2p/iceberg/catalog.h"
#include "o2p/storage/aws/credentials.h"

namespace o2p::iceberg {

/// The storage properties that apply to `location`: table config, overlaid with the best
/// matching storage-credentials entry.
std::map<std::string, std::string> StorageProperties(const LoadTableResult& table,
                                                     std::string_view location);

/// The S3 credentials in `properties`, if an access key and secret are there.
std::optional<storage::aws::Credentials> S3CredentialsFrom(
    const std::map<std::string, std::string>& properties);

/// Returns the vended credentials; from 5 minutes before they expire, loads the table again for
/// fresh ones (keeping the old ones while they still work if that fails). `catalog` must outlive
/// the provider.
std::unique_ptr<storage::aws::CredentialsProvider> MakeVendedCredentialsProvider(
    Catalog& catalog, TableName table, std::string location, storage::aws::Credentials initial);

}  // namespace o2p::iceberg
