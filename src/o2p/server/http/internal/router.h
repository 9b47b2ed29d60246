// Router: exact (method, path) lookup, plus what 405 needs (the methods a known path accepts).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/server/http/http_server.h"

namespace o2p::server::http::internal {

class Router {
 public:
  struct Match {
    const HttpHandler* handler = nullptr;  // null: 404 or 405
    bool path_known = false;               // true with a null handler: 405
    std::string allow;                     // "GET, POST" when path_known
  };

  /// INVALID_ARGUMENT for an empty method or path, a null handler, or a duplicate route.
  static Result<Router> Make(std::vector<HttpRoute> routes);

  Match Find(std::string_view method, std::string_view path) const;

 private:
  std::vector<HttpRoute> routes_;
  // path -> indexes into routes_, in registration order (which is the order of `Allow`).
  std::unordered_map<std::string, std::vector<size_t>> by_path_;
};

}  // namespace o2p::server::http::internal
