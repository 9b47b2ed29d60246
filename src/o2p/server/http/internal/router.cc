#include "o2p/server/http/internal/router.h"

#include <utility>

namespace o2p::server::http::internal {

Result<Router> Router::Make(std::vector<HttpRoute> routes) {
  Router router;
  for (size_t i = 0; i < routes.size(); ++i) {
    const HttpRoute& route = routes[i];
    if (route.method.empty() || route.path.empty() || !route.handler) {
      return Status::InvalidArgument("http route {} {}: method, path and handler are required",
                                     route.method, route.path);
    }
    std::vector<size_t>& same_path = router.by_path_[route.path];
    for (size_t j : same_path) {
      if (routes[j].method == route.method) {
        return Status::InvalidArgument("http route {} {} is registered twice", route.method,
                                       route.path);
      }
    }
    same_path.push_back(i);
  }
  router.routes_ = std::move(routes);
  return router;
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  auto it = by_path_.find(std::string(path));
  if (it == by_path_.end()) return match;
  match.path_known = true;
  for (size_t i : it->second) {
    const HttpRoute& route = routes_[i];
    if (route.method == method) {
      match.handler = &route.handler;
      return match;
    }
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += route.method;
  }
  // No method matched: `allow` now lists every method of the path.
  return match;
}

}  // namespace o2p::server::http::internal
