// Retry timing shared by every client of a remote service (S3 now, the Iceberg catalog later):
// exponential backoff with full jitter, bounded by a number of attempts and by a deadline.
//
//   Backoff backoff(policy);
//   for (;;) {
//     auto outcome = Attempt(backoff.AttemptTimeout(per_attempt));
//     if (!Retryable(outcome) || !backoff.WaitBeforeRetry()) return outcome;
//   }
//
// Full jitter (sleep a uniform time in [0, min(cap, base * 2^n)]) spreads the retries of many
// writers hitting the same throttled service, which fixed or "equal" jitter does not.
#pragma once

#include <chrono>
#include <functional>

namespace o2p::storage {

struct RetryPolicy {
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(5)};
  /// No attempt starts after this much time since the first one. Callers that keep data
  /// (the batcher) retry again later, so this bounds one try, not the data's fate.
  std::chrono::milliseconds deadline{std::chrono::seconds(20)};
  int max_attempts = 8;
  /// Injected by tests; std::this_thread::sleep_for otherwise.
  std::function<void(std::chrono::milliseconds)> sleep;
};

class Backoff {
 public:
  explicit Backoff(RetryPolicy policy);

  /// Sleeps before the next attempt and returns true, or returns false without sleeping when
  /// the attempts or the deadline are used up. `at_least` raises the sleep (a server's
  /// Retry-After), still within the deadline.
  bool WaitBeforeRetry(std::chrono::milliseconds at_least = std::chrono::milliseconds(0));
  /// `per_attempt`, shortened so that an attempt does not run past the deadline (never below
  /// one second, so a last attempt still has a chance).
  std::chrono::milliseconds AttemptTimeout(std::chrono::milliseconds per_attempt) const;
  /// Attempts started so far, counting the first.
  int attempts() const { return attempts_; }
  std::chrono::milliseconds elapsed() const;

 private:
  RetryPolicy policy_;
  std::chrono::steady_clock::time_point start_;
  int attempts_ = 1;
};

}  // namespace o2p::storage
