// Small text helpers shared by the config module (case-insensitive compare is in
// base/text_codec.h): trimming, "did you
// mean" suggestions, and TOML string quoting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/text_codec.h"

namespace o2p::config::internal {

/// `text` without leading and trailing spaces and tabs.
std::string_view Trim(std::string_view text);

/// The candidate closest to `word` by edit distance (ignoring case), or "" when none is close
/// enough to be a plausible typo.
std::string_view ClosestMatch(std::string_view word,
                              const std::vector<std::string_view>& candidates);

/// `word` as a TOML basic string, quotes included ("a\"b").
std::string TomlQuote(std::string_view word);

/// `items` joined with ", ".
std::string JoinNames(const std::vector<std::string_view>& items);

}  // namespace o2p::config::internal
