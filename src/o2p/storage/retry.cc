#include "o2p/storage/retry.h"

#include <algorithm>
#include <random>
#include <thread>

namespace o2p::storage {
namespace {

using std::chrono::milliseconds;

milliseconds JitteredSleep(const RetryPolicy& policy, int retry_number) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  const int doublings = std::min(retry_number - 1, 20);
  const milliseconds ceiling =
      std::min(policy.max_backoff, policy.initial_backoff * (int64_t{1} << doublings));
  std::uniform_int_distribution<int64_t> pick(0, std::max<int64_t>(ceiling.count(), 0));
  return milliseconds(pick(rng));
}

}  // namespace

Backoff::Backoff(RetryPolicy policy)
    : policy_(std::move(policy)), start_(std::chrono::steady_clock::now()) {
  if (!policy_.sleep) policy_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
}

milliseconds Backoff::elapsed() const {
  return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start_);
}

bool Backoff::WaitBeforeRetry(milliseconds at_least) {
  if (attempts_ >= policy_.max_attempts) return false;
  const milliseconds left = policy_.deadline - elapsed();
  milliseconds sleep = std::max(JitteredSleep(policy_, attempts_), at_least);
  if (sleep >= left) return false;
  policy_.sleep(sleep);
  ++attempts_;
  return true;
}

milliseconds Backoff::AttemptTimeout(milliseconds per_attempt) const {
  const milliseconds left = policy_.deadline - elapsed();
  return std::clamp(left, milliseconds(std::chrono::seconds(1)),
                    std::max(per_attempt, milliseconds(std::chrono::seconds(1))));
}

}  // namespace o2p::storage
