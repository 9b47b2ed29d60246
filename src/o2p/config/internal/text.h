// Small text helpers shared by the config module: case-insensitive compare, trimming, "did you
// mean" suggestions, and TOML string quoting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace o2p::config::internal {

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

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
