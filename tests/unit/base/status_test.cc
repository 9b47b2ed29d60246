#include "o2p/base/status.h"

#include <gtest/gtest.h>

#include "o2p/base/macros.h"
#include "o2p/base/result.h"
#include "support/matchers.h"

namespace o2p {
namespace {

using ::o2p::testing::HasValue;
using ::o2p::testing::IsError;
using ::o2p::testing::IsOk;

Result<int> ParsePositive(int v) {
  if (v <= 0) return Status::InvalidArgument("{} is not positive", v);
  return v;
}

Result<int> Twice(int v) {
  O2P_ASSIGN_OR_RETURN(int n, ParsePositive(v));
  return 2 * n;
}

Status Check(int v) {
  O2P_RETURN_IF_ERROR(ParsePositive(v));
  return Status::Ok();
}

TEST(StatusTest, OkHasNoMessage) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorFormatsCodeAndMessage) {
  Status s = Status::InvalidArgument("bad id at {}", "$.x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "INVALID_ARGUMENT: bad id at $.x");
  EXPECT_EQ(s.WithPrefix("line 3").message(), "line 3: bad id at $.x");
  EXPECT_EQ(fmt::format("{}", s), "INVALID_ARGUMENT: bad id at $.x");
}

TEST(StatusTest, CodesMatchGoogleRpc) {
  EXPECT_EQ(static_cast<int>(StatusCode::kResourceExhausted), 8);
  EXPECT_EQ(static_cast<int>(StatusCode::kUnavailable), 14);
  EXPECT_EQ(StatusCodeName(StatusCode::kUnauthenticated), "UNAUTHENTICATED");
}

TEST(ResultTest, ValueAndErrorPropagate) {
  EXPECT_THAT(Twice(4), HasValue(8));
  EXPECT_THAT(Twice(-1), IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(Check(1), IsOk());
  EXPECT_EQ(Check(0).message(), "0 is not positive");
  Result<std::string> r = std::string("x");
  EXPECT_EQ(*r, "x");
  EXPECT_EQ(r->size(), 1U);
  EXPECT_EQ(Result<int>(Status::NotFound("n")).value_or(7), 7);
}

}  // namespace
}  // namespace o2p
