#include "o2p/iceberg/file_io.h"

#include <filesystem>

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

}  // namespace

std::unique_ptr<FileIO> MakeLocalFileIO() { return std::make_unique<LocalFileIO>(); }

}  // namespace o2p::iceberg
