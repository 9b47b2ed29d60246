// BodyBudget: how many request-body bytes all connections of one server may hold at once.
//
// A connection reserves before it reads: the whole Content-Length up front, or chunk by chunk
// for chunked bodies (so a small chunked body costs only its size, not max_body_bytes). The
// reservation is released once the response has been written, i.e. after the handler has let go
// of the body too.
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

namespace o2p::server::http::internal {

class BodyBudget {
 public:
  explicit BodyBudget(size_t limit) : limit_(limit) {}
  BodyBudget(const BodyBudget&) = delete;
  BodyBudget& operator=(const BodyBudget&) = delete;

  /// Takes `n` bytes if they fit under the limit; never blocks.
  bool TryReserve(size_t n) {
    size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (n > limit_ || used > limit_ - n) return false;
    } while (!used_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
    return true;
  }
  void Release(size_t n) { used_.fetch_sub(n, std::memory_order_relaxed); }
  size_t used() const { return used_.load(std::memory_order_relaxed); }

 private:
  const size_t limit_;
  std::atomic<size_t> used_{0};
};

/// The bytes one request holds; gives them back when reset or destroyed (including when a
/// connection's coroutine is torn down at shutdown).
class BodyReservation {
 public:
  explicit BodyReservation(BodyBudget& budget) : budget_(&budget) {}
  BodyReservation(const BodyReservation&) = delete;
  BodyReservation& operator=(const BodyReservation&) = delete;
  ~BodyReservation() { Reset(); }

  /// Reserves `n` more bytes; false (and nothing taken) when the budget cannot cover them.
  bool Grow(size_t n) {
    if (n == 0) return true;
    if (!budget_->TryReserve(n)) return false;
    bytes_ += n;
    return true;
  }
  void Reset() { budget_->Release(std::exchange(bytes_, 0)); }
  size_t bytes() const { return bytes_; }

 private:
  BodyBudget* budget_;
  size_t bytes_ = 0;
};

}  // namespace o2p::server::http::internal
