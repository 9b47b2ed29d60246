#include "o2p/storage/local_store.h"

#include <cerrno>
#include <cstring>
#include <algorithm>
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

Result<std::string> LocalStore::Get(std::string_view key) {
  if (Status s = ValidateKey(key); !s.ok()) return s;
  const std::string path = (std::filesystem::path(root_) / key).string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::NotFound("no object {}", path);
    return Errno("cannot open", path);
  }
  std::string data;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status error = Errno("cannot read", path);
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    data.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

Result<std::vector<ObjectInfo>> LocalStore::List(std::string_view prefix) {
  std::vector<ObjectInfo> objects;
  std::error_code ec;
  if (!std::filesystem::exists(root_, ec)) return objects;
  namespace fs = std::filesystem;
  for (fs::recursive_directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().starts_with('.')) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::string key = fs::relative(it->path(), root_).generic_string();
    if (!key.starts_with(prefix)) continue;
    objects.push_back({std::move(key), static_cast<uint64_t>(it->file_size())});
  }
  if (ec) return Status::IoError("cannot list {}: {}", root_, ec.message());
  std::sort(objects.begin(), objects.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return objects;
}

Status LocalStore::Delete(std::string_view key) {
  if (Status s = ValidateKey(key); !s.ok()) return s;
  const std::string path = (std::filesystem::path(root_) / key).string();
  if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
    return Errno("cannot delete", path);
  }
  return Status::Ok();
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
