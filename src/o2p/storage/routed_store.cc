#include "o2p/storage/routed_store.h"

#include <algorithm>

#include "o2p/base/macros.h"

namespace o2p::storage {

Result<RoutedStore::Resolved> RoutedStore::Resolve(std::string_view key) const {
  O2P_RETURN_IF_ERROR(ValidateKey(key));
  const size_t slash = key.find('/');
  const std::string_view first = key.substr(0, slash);
  const std::string_view rest = slash == std::string_view::npos ? "" : key.substr(slash + 1);
  for (const StoreRoute& route : routes_) {
    if (route.name == first) return Resolved{&route, route.key_prefix + std::string(rest)};
  }
  return Status::NotFound("no storage is configured for '{}' (key '{}')", first, key);
}

Status RoutedStore::Put(std::string_view key, std::string_view data) {
  auto resolved = Resolve(key);
  if (!resolved) return Status::InvalidArgument("{}", resolved.error().message());
  return resolved->route->store->Put(resolved->inner_key, data);
}

Result<std::string> RoutedStore::Get(std::string_view key) {
  O2P_ASSIGN_OR_RETURN(Resolved resolved, Resolve(key));
  return resolved.route->store->Get(resolved.inner_key);
}

Status RoutedStore::Delete(std::string_view key) {
  auto resolved = Resolve(key);
  if (!resolved)
    return resolved.error().code() == StatusCode::kNotFound ? Status::Ok() : resolved.status();
  return resolved->route->store->Delete(resolved->inner_key);
}

Result<std::vector<ObjectInfo>> RoutedStore::List(std::string_view prefix) {
  std::vector<ObjectInfo> all;
  for (const StoreRoute& route : routes_) {
    const std::string route_root = route.name + "/";
    std::string inner_prefix;
    if (prefix.starts_with(route_root)) {
      inner_prefix = route.key_prefix + std::string(prefix.substr(route_root.size()));
    } else if (route_root.starts_with(prefix)) {
      inner_prefix = route.key_prefix;
    } else {
      continue;
    }
    O2P_ASSIGN_OR_RETURN(std::vector<ObjectInfo> listed, route.store->List(inner_prefix));
    for (ObjectInfo& info : listed) {
      all.push_back({route_root + info.key.substr(route.key_prefix.size()), info.size});
    }
  }
  std::sort(all.begin(), all.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return all;
}

Status RoutedStore::CheckAvailable() {
  std::vector<const ObjectStore*> checked;
  for (const StoreRoute& route : routes_) {
    if (std::find(checked.begin(), checked.end(), route.store) != checked.end()) continue;
    checked.push_back(route.store);
    O2P_RETURN_IF_ERROR(route.store->CheckAvailable());
  }
  return Status::Ok();
}

std::string RoutedStore::Describe(std::string_view key) const {
  if (key.empty()) {
    std::string all;
    for (const StoreRoute& route : routes_) {
      if (!all.empty()) all += ", ";
      all += route.uri_prefix;
    }
    return all;
  }
  auto resolved = Resolve(key);
  if (!resolved) return std::string(key);
  return resolved->route->uri_prefix +
         resolved->inner_key.substr(resolved->route->key_prefix.size());
}

}  // namespace o2p::storage
