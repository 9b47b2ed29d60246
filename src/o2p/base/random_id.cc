#include "o2p/base/random_id.h"

#include <fmt/format.h>

#include <random>

namespace o2p {

std::string RandomHexId() {
  static thread_local std::mt19937_64 rng{[] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }()};
  return fmt::format("{:016x}{:016x}", rng(), rng());
}

}  // namespace o2p
