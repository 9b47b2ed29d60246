#include "o2p/storage/retry.h"

#include <gtest/gtest.h>

#include <vector>

namespace o2p::storage {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, SleepsGrowWithJitterAndStopAtTheAttemptLimit) {
  std::vector<milliseconds> sleeps;
  RetryPolicy policy{.initial_backoff = milliseconds(100),
                     .max_backoff = milliseconds(800),
                     .deadline = std::chrono::seconds(60),
                     .max_attempts = 6,
                     .sleep = [&](milliseconds d) { sleeps.push_back(d); }};
  Backoff backoff(policy);
  while (backoff.WaitBeforeRetry()) {
  }
  EXPECT_EQ(backoff.attempts(), 6);
  ASSERT_EQ(sleeps.size(), 5U);
  const int64_t caps[] = {100, 200, 400, 800, 800};
  for (size_t i = 0; i < sleeps.size(); ++i) {
    EXPECT_GE(sleeps[i].count(), 0);
    EXPECT_LE(sleeps[i].count(), caps[i]) << i;
  }
}

TEST(BackoffTest, RetryAfterRaisesTheSleepButNotPastTheDeadline) {
  std::vector<milliseconds> sleeps;
  RetryPolicy policy{.initial_backoff = milliseconds(1),
                     .max_backoff = milliseconds(1),
                     .deadline = std::chrono::seconds(10),
                     .max_attempts = 10,
                     .sleep = [&](milliseconds d) { sleeps.push_back(d); }};
  Backoff backoff(policy);
  EXPECT_TRUE(backoff.WaitBeforeRetry(milliseconds(3000)));
  EXPECT_EQ(sleeps.at(0), milliseconds(3000));
  EXPECT_FALSE(backoff.WaitBeforeRetry(milliseconds(20000)));
  EXPECT_EQ(sleeps.size(), 1U);
}

TEST(BackoffTest, AttemptTimeoutIsBoundedByTheDeadline) {
  Backoff backoff(RetryPolicy{.initial_backoff = milliseconds(1),
                              .max_backoff = milliseconds(1),
                              .deadline = std::chrono::seconds(5),
                              .max_attempts = 3,
                              .sleep = nullptr});
  EXPECT_LE(backoff.AttemptTimeout(std::chrono::seconds(30)), std::chrono::seconds(5));
  EXPECT_EQ(backoff.AttemptTimeout(std::chrono::seconds(2)), std::chrono::seconds(2));
}

}  // namespace
}  // namespace o2p::storage
