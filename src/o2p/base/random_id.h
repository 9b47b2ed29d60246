// Random identifiers for files and uploads: 128 bits as 32 lower-case hex digits.
#pragma once

#include <string>

namespace o2p {

/// 32 hex digits from a per-thread generator seeded by std::random_device. Unique enough for
/// file names (2^-64 collision odds across billions of files); not for secrets.
std::string RandomHexId();

}  // namespace o2p
