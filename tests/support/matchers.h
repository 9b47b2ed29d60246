// GoogleTest matchers for Status and Result<T>, as iceberg-cpp's test/matchers.h has them.
//
//   EXPECT_THAT(DoThing(), IsOk());
//   EXPECT_THAT(Parse("x"), IsError(StatusCode::kInvalidArgument));
//   EXPECT_THAT(Parse("1"), HasValue(1));
#pragma once

#include <gmock/gmock.h>

#include "o2p/base/result.h"

namespace o2p::testing {

inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

MATCHER(IsOk, "is OK") {
  const Status s = StatusOf(arg);
  if (!s.ok()) *result_listener << "status is " << s.ToString();
  return s.ok();
}

MATCHER_P(IsError, code, "fails with " + std::string(StatusCodeName(code))) {
  const Status s = StatusOf(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code;
}

MATCHER_P2(IsErrorWith, code, substring,
           "fails with " + std::string(StatusCodeName(code)) + " mentioning '" +
               std::string(substring) + "'") {
  const Status s = StatusOf(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code && s.message().find(substring) != std::string::npos;
}

MATCHER_P(HasValue, matcher, "holds a value that " + ::testing::DescribeMatcher<decltype(matcher)>(matcher)) {
  if (!arg.has_value()) {
    *result_listener << "holds error " << arg.error().ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, arg.value(), result_listener);
}

}  // namespace o2p::testing
