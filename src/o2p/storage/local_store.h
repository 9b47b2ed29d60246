// LocalStore: an ObjectStore on a local directory tree (the default `./data`).
//
// Put writes `<root>/<key>.tmp-<random>` in the target directory, flushes it to disk
// (fdatasync), then renames it over `<root>/<key>`: rename within one directory is atomic on
// POSIX file systems, so readers never see a partial file and a crash leaves at most a
// temporary file behind.
#pragma once

#include <string>

#include "o2p/storage/object_store.h"

namespace o2p::storage {

class LocalStore final : public ObjectStore {
 public:
  /// `root` is created on first Put if missing.
  explicit LocalStore(std::string root) : root_(std::move(root)) {}

  Status Put(std::string_view key, std::string_view data) override;
  Result<std::string> Get(std::string_view key) override;
  /// Hidden files (names starting with '.', which includes Put's temporaries) are skipped.
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view key) override;
  Status CheckAvailable() override;
  std::string Describe(std::string_view key) const override;
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

}  // namespace o2p::storage
