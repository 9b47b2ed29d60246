// ObjectStore: where finished files go. Keys are '/'-separated relative paths
// ("logs/service_name=a/.../x.parquet"); implementations map them to local files or S3 objects.
//
// Put is atomic: a reader sees either no object or the whole object, never a part (local:
// write a temporary file, then rename; S3: one PUT or a completed multipart upload).
// Every implementation passes the one conformance suite in
// tests/unit/storage/object_store_conformance.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/base/status.h"

namespace o2p::storage {

struct ObjectInfo {
  /// Relative to the store's root, as given to Put.
  std::string key;
  uint64_t size = 0;
  bool operator==(const ObjectInfo&) const = default;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  /// Stores `data` under `key`, replacing any object already there. Thread-safe.
  virtual Status Put(std::string_view key, std::string_view data) = 0;
  /// The whole object; NOT_FOUND when there is none.
  virtual Result<std::string> Get(std::string_view key) = 0;
  /// Every object whose key starts with `prefix` (a plain string prefix, not a directory),
  /// sorted by key. Objects still being written are not listed.
  virtual Result<std::vector<ObjectInfo>> List(std::string_view prefix) = 0;
  /// Removes the object; OK when there was none.
  virtual Status Delete(std::string_view key) = 0;
  /// OK when Put can be expected to work (local: the root exists or was created, and is a
  /// writable directory; S3: the bucket answers); otherwise why not, for readiness checks.
  virtual Status CheckAvailable() = 0;
  /// A user-facing location for `key`, e.g. "./data/logs/..." or "s3://bucket/prefix/logs/...".
  virtual std::string Describe(std::string_view key) const = 0;
};

/// REQUIRES of every key: relative, no empty, "." or ".." segments. Checked by implementations
/// with this function; callers build keys from escaped parts (pipeline/partition.h).
Status ValidateKey(std::string_view key);

}  // namespace o2p::storage
