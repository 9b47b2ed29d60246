#include "o2p/storage/local_store.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace o2p::storage {
namespace {

Status Errno(std::string_view what, const std::string& path) {
  return Status::IoError("{} {}: {}", what, path, std::strerror(errno));
}

// Writes all of `data` to `fd`, retrying short writes and EINTR.
Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

std::string TempSuffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format(".tmp-{:016x}", rng());
}

// The rename is durable only once the directory entry is: without this a power loss after
// Put returned could leave no file at all.
Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open directory", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno("cannot flush directory", dir);
  return Status::Ok();
}

}  // namespace

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

Status LocalStore::Put(std::string_view key, std::string_view data) {
  if (Status s = ValidateKey(key); !s.ok()) return s;
  const std::filesystem::path target = std::filesystem::path(root_) / key;
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) {
    return Status::IoError("cannot create directory {}: {}", target.parent_path().string(),
                           ec.message());
  }
  // Hidden while being written: DuckDB, Spark and Hive skip names starting with '.', so a
  // reader globbing the directory never sees a partial file.
  const std::string temp =
      (target.parent_path() / ("." + target.filename().string() + TempSuffix())).string();
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", temp);
  Status status = WriteAll(fd, data, temp);
  if (status.ok() && ::fdatasync(fd) != 0) status = Errno("cannot flush", temp);
  if (::close(fd) != 0 && status.ok()) status = Errno("cannot close", temp);
  if (status.ok() && ::rename(temp.c_str(), target.c_str()) != 0) {
    status = Errno("cannot rename to " + target.string() + ":", temp);
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  return SyncDirectory(target.parent_path().string());
}

Status LocalStore::CheckAvailable() {
  std::error_code ec;
  std::filesystem::create_directories(root_, ec);
  if (ec) return Status::IoError("cannot create directory {}: {}", root_, ec.message());
  if (::access(root_.c_str(), W_OK | X_OK) != 0) return Errno("cannot write to", root_);
  return Status::Ok();
}

std::string LocalStore::Describe(std::string_view key) const {
  return (std::filesystem::path(root_) / key).string();
}

}  // namespace o2p::storage
