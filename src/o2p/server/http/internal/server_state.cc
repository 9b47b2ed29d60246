#include "o2p/server/http/internal/server_state.h"

#include <utility>

namespace o2p::server::http::internal {

ServerState::ServerState(HttpServerOptions options, Router router)
    : options_(std::move(options)),
      router_(std::move(router)),
      budget_(options_.max_inflight_body_bytes) {}

Admission ServerState::Register(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mu_);
  Admission admission = Admission::kDrop;
  if (stopping()) return admission;
  if (serving_ < options_.max_connections) {
    ++serving_;
    admission = Admission::kServe;
  } else if (rejecting_ < kMaxRejecting) {
    ++rejecting_;
    admission = Admission::kReject;
  } else {
    return admission;
  }
  connections_.emplace(connection.get(), connection);
  return admission;
}

void ServerState::Unregister(const Connection* connection, Admission admission) {
  std::lock_guard lock(mu_);
  if (admission == Admission::kDrop) return;
  connections_.erase(connection);
  if (admission == Admission::kServe) --serving_;
  if (admission == Admission::kReject) --rejecting_;
  if (connections_.empty()) drained_.notify_all();
}

void ServerState::SetAccepting(bool accepting) {
  std::lock_guard lock(mu_);
  accepting_ = accepting;
  if (!accepting_) drained_.notify_all();
}

std::vector<std::shared_ptr<Connection>> ServerState::BeginStop() {
  {
    std::lock_guard lock(mu_);
    stopping_.store(true, std::memory_order_release);
  }
  return Snapshot();
}

std::vector<std::shared_ptr<Connection>> ServerState::Snapshot() {
  std::vector<std::shared_ptr<Connection>> open;
  std::lock_guard lock(mu_);
  open.reserve(connections_.size());
  for (const auto& [key, weak] : connections_) {
    // A connection whose last owner is going away is already closing; skip it.
    if (auto connection = weak.lock()) open.push_back(std::move(connection));
  }
  return open;
}

bool ServerState::WaitDrained(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return drained_.wait_until(lock, deadline,
                             [this] { return connections_.empty() && !accepting_; });
}

}  // namespace o2p::server::http::internal
