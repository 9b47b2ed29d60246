#include "o2p/config/internal/text.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace o2p::config::internal {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Levenshtein distance, case-insensitive; two rows of the DP table.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t col = 0; col <= b.size(); ++col) previous[col] = col;
  for (size_t row = 1; row <= a.size(); ++row) {
    current[0] = row;
    for (size_t col = 1; col <= b.size(); ++col) {
      const size_t substitute =
          previous[col - 1] + (Lower(a[row - 1]) == Lower(b[col - 1]) ? 0 : 1);
      current[col] = std::min({previous[col] + 1, current[col - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

std::string_view ClosestMatch(std::string_view word,
                              const std::vector<std::string_view>& candidates) {
  // A typo is a few edits, and at most a third of the word: "lissten" -> "listen", but "log"
  // is not a typo of "wal".
  const size_t limit = std::min<size_t>(3, std::max<size_t>(1, word.size() / 3));
  std::string_view best;
  size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    const size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (!best.empty() || word.size() < 4) return best;
  // A name cut short or overlong: "LISTEN" for "LISTEN_ADDR"; the shortest such candidate.
  for (std::string_view candidate : candidates) {
    const bool related = candidate.find(word) != std::string_view::npos ||
                         word.find(candidate) != std::string_view::npos;
    if (related && (best.empty() || candidate.size() < best.size())) best = candidate;
  }
  return best;
}

std::string TomlQuote(std::string_view word) {
  std::string out = "\"";
  for (const char c : word) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string JoinNames(const std::vector<std::string_view>& items) {
  return fmt::format("{}", fmt::join(items, ", "));
}

}  // namespace o2p::config::internal
