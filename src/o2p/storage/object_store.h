// ObjectStore: where finished files go. Keys are '/'-separated relative paths
// ("logs/service_name=a/.../x.parquet"); implementations map them to local files or S3 objects.
//
// Put is atomic: a reader sees either no object or the whole object, never a part (local:
// write a temporary file, then rename; S3: one PUT or a completed multipart upload).
#pragma once

#include <string>
#include <string_view>

#include "o2p/base/status.h"

namespace o2p::storage {

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  /// Stores `data` under `key`, replacing any object already there.
  virtual Status Put(std::string_view key, std::string_view data) = 0;
  /// OK when Put can be expected to work (local: the root exists or was created, and is a
  /// writable directory); otherwise why not, for readiness checks.
  virtual Status CheckAvailable() = 0;
  /// A user-facing location for `key`, e.g. "./data/logs/..." or "s3://bucket/prefix/logs/...".
  virtual std::string Describe(std::string_view key) const = 0;
};

/// REQUIRES of every key: relative, no empty, "." or ".." segments. Checked by implementations
/// with this function; callers build keys from escaped parts (pipeline/partition.h).
Status ValidateKey(std::string_view key);

}  // namespace o2p::storage
