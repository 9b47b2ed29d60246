#include "o2p/iceberg/file_io.h"

#include <filesystem>
#include <optional>
#include <utility>

#include "o2p/storage/local_store.h"

namespace o2p::iceberg {
namespace {

// Local files go through LocalStore (temporary file, fsync, rename), rooted at "/".
class LocalFileIO final : public FileIO {
 public:
  Status Write(std::string_view uri, std::string_view data) override {
    auto key = Key(uri);
    if (!key.ok()) return key.status();
    return root_.Put(*key, data);
  }
  Result<std::string> Read(std::string_view uri) override {
    auto key = Key(uri);
    if (!key.ok()) return key.status();
    return root_.Get(*key);
  }

 private:
  static Result<std::string> Key(std::string_view uri) {
    constexpr std::string_view kScheme = "file://";
    if (!uri.starts_with(kScheme)) {
      return Status::InvalidArgument("'{}' is not a file:// URI", uri);
    }
    std::string_view path = uri.substr(kScheme.size());
    if (!path.starts_with('/')) return Status::InvalidArgument("'{}' is not an absolute path", uri);
    return std::string(path.substr(1));
  }

  storage::LocalStore root_{"/"};
};

class StoreFileIO final : public FileIO {
 public:
  explicit StoreFileIO(std::vector<FileIORoot> roots) : roots_(std::move(roots)) {}

  Status Write(std::string_view uri, std::string_view data) override {
    if (auto found = Find(uri)) return found->first->Put(found->second, data);
    if (uri.starts_with("file://")) return local_.Write(uri, data);
    return Unknown(uri);
  }
  Result<std::string> Read(std::string_view uri) override {
    if (auto found = Find(uri)) return found->first->Get(found->second);
    if (uri.starts_with("file://")) return local_.Read(uri);
    return Unknown(uri);
  }

 private:
  std::optional<std::pair<storage::ObjectStore*, std::string>> Find(std::string_view uri) const {
    const FileIORoot* best = nullptr;
    for (const FileIORoot& root : roots_) {
      if (uri.size() > root.location.size() + 1 && uri.starts_with(root.location) &&
          uri[root.location.size()] == '/' &&
          (best == nullptr || root.location.size() > best->location.size())) {
        best = &root;
      }
    }
    if (best == nullptr) return std::nullopt;
    return std::make_pair(best->store, std::string(uri.substr(best->location.size() + 1)));
  }
  static Status Unknown(std::string_view uri) {
    return Status::InvalidArgument("'{}' is outside every table location we can write to", uri);
  }

  std::vector<FileIORoot> roots_;
  LocalFileIO local_;
};

}  // namespace

std::unique_ptr<FileIO> MakeLocalFileIO() { return std::make_unique<LocalFileIO>(); }

std::unique_ptr<FileIO> MakeStoreFileIO(std::vector<FileIORoot> roots) {
  return std::make_unique<StoreFileIO>(std::move(roots));
}

}  // namespace o2p::iceberg
