// RoutedStore: one ObjectStore over several, chosen by the key's first segment.
//
// Iceberg mode keeps the Batcher's keys ("logs/service_name=a/.../x.parquet") but each table's
// files must land under that table's own location, which the catalog chose and which may be in
// another bucket or on another file system. A route maps the first segment ("logs") to a
// store and a key prefix inside it ("data/"), and names the result for users and manifests
// (Describe gives "s3://bucket/wh/otel/logs/data/service_name=a/.../x.parquet").
//
//   RoutedStore store({{"logs", logs_store.get(), "data/", "s3://b/wh/otel/logs/data/"}});
//   store.Put("logs/service_name=a/x.parquet", bytes);
//   // -> logs_store.Put("data/service_name=a/x.parquet", bytes)
#pragma once

#include <string>
#include <vector>

#include "o2p/storage/object_store.h"

namespace o2p::storage {

struct StoreRoute {
  /// The first key segment this route takes, e.g. "logs".
  std::string name;
  /// Not owned; must outlive the RoutedStore.
  ObjectStore* store = nullptr;
  /// Prepended to the rest of the key inside `store`: "" or ending in '/'.
  std::string key_prefix;
  /// Prepended to the rest of the key by Describe: what the stored object is called outside.
  std::string uri_prefix;
};

class RoutedStore final : public ObjectStore {
 public:
  explicit RoutedStore(std::vector<StoreRoute> routes) : routes_(std::move(routes)) {}

  /// NOT_FOUND (Put: INVALID_ARGUMENT) when no route takes the key's first segment.
  Status Put(std::string_view key, std::string_view data) override;
  Result<std::string> Get(std::string_view key) override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view key) override;
  /// OK when every route's store is.
  Status CheckAvailable() override;
  /// uri_prefix + the rest of the key; for "" the routes' uri prefixes, comma-separated.
  std::string Describe(std::string_view key) const override;

 private:
  struct Resolved {
    const StoreRoute* route = nullptr;
    std::string inner_key;
  };
  Result<Resolved> Resolve(std::string_view key) const;

  std::vector<StoreRoute> routes_;
};

}  // namespace o2p::storage
