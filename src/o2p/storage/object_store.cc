#include "o2p/storage/object_store.h"

#include <algorithm>

namespace o2p::storage {

Status ValidateKey(std::string_view key) {
  if (key.empty() || key.front() == '/') {
    return Status::InvalidArgument("object key '{}' must be a non-empty relative path", key);
  }
  size_t start = 0;
  while (start <= key.size()) {
    const size_t end = std::min(key.find('/', start), key.size());
    const std::string_view segment = key.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return Status::InvalidArgument("object key '{}' has an empty, '.' or '..' segment", key);
    }
    start = end + 1;
  }
  return Status::Ok();
}

}  // namespace o2p::storage
