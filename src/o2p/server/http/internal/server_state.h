// ServerState: what every connection of one HttpServer shares — options, routes, the body
// budget, the stop flag — and the registry of open connections that Stop() walks.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "o2p/server/http/http_server.h"
#include "o2p/server/http/internal/body_budget.h"
#include "o2p/server/http/internal/router.h"

namespace o2p::server::http::internal {

class Connection;

/// What a newly accepted connection may do.
enum class Admission {
  kServe,   // under max_connections: serve requests
  kReject,  // over the cap: answer one 503 and close
  kDrop,    // stopping, or too many rejections pending already: close at once
};

class ServerState {
 public:
  ServerState(HttpServerOptions options, Router router);
  ServerState(const ServerState&) = delete;
  ServerState& operator=(const ServerState&) = delete;

  const HttpServerOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  BodyBudget& budget() { return budget_; }
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  /// Decides the admission of `connection` and, unless kDrop, tracks it until Unregister.
  Admission Register(const std::shared_ptr<Connection>& connection);
  /// Called by the connection's destructor with what Register returned.
  void Unregister(const Connection* connection, Admission admission);

  void SetAccepting(bool accepting);

  /// Sets the stop flag and returns the connections open at that moment. Connections registered
  /// later are dropped, so the snapshot is complete.
  std::vector<std::shared_ptr<Connection>> BeginStop();
  std::vector<std::shared_ptr<Connection>> Snapshot();
  /// Waits until no connection is open and the accept loop has ended; false at `deadline`.
  bool WaitDrained(std::chrono::steady_clock::time_point deadline);

 private:
  // Bounds the lingering 503 answers to a connection flood; past it new ones are just closed.
  static constexpr size_t kMaxRejecting = 256;

  const HttpServerOptions options_;
  const Router router_;
  BodyBudget budget_;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::condition_variable drained_;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections_;
  size_t serving_ = 0;
  size_t rejecting_ = 0;
  bool accepting_ = false;
};

}  // namespace o2p::server::http::internal
