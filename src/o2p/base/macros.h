// The project's two error macros, for functions that return Status or Result<T>.
//
//   O2P_RETURN_IF_ERROR(WriteHeader(out));        // returns the error Status, if any
//   O2P_ASSIGN_OR_RETURN(auto n, ParseCount(s));  // declares n, or returns the error
#pragma once

#include "o2p/base/result.h"

#define O2P_CONCAT_INNER(a, b) a##b
#define O2P_CONCAT(a, b) O2P_CONCAT_INNER(a, b)

/// Returns the Status from the enclosing function when `expr` (a Status or Result) failed.
#define O2P_RETURN_IF_ERROR(expr)                                      \
  do {                                                                 \
    auto&& o2p_status_or_ = (expr);                                    \
    if (!o2p_status_or_.ok()) return ::o2p::internal::ToStatus(o2p_status_or_); \
  } while (false)

/// `O2P_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from the Result or returns its error.
#define O2P_ASSIGN_OR_RETURN(lhs, rexpr) \
  O2P_ASSIGN_OR_RETURN_IMPL(O2P_CONCAT(o2p_result_, __LINE__), lhs, rexpr)

#define O2P_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                              \
  if (!tmp.has_value()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
