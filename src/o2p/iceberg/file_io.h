// FileIO: reading and writing the files a table's metadata points at, by absolute URI
// ("file:///warehouse/otel/logs/metadata/x.avro", "s3://bucket/otel/logs/metadata/x.avro").
// Manifests and manifest lists are written through it; the parent snapshot's manifest list is
// read through it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/storage/object_store.h"

namespace o2p::iceberg {

class FileIO {
 public:
  virtual ~FileIO() = default;
  /// Replaces any file at `uri`; a reader sees the whole file or none.
  virtual Status Write(std::string_view uri, std::string_view data) = 0;
  /// NOT_FOUND when there is no file.
  virtual Result<std::string> Read(std::string_view uri) = 0;
};

/// file:// URIs on the local file system (the directory catalog, tests).
std::unique_ptr<FileIO> MakeLocalFileIO();

/// URIs under known locations, each served by an ObjectStore rooted there: a URI
/// "{location}/{key}" is `key` in that location's store (the longest matching location wins).
/// Other file:// URIs fall back to the local file system; anything else is INVALID_ARGUMENT.
/// The stores are not owned and must outlive the FileIO.
struct FileIORoot {
  std::string location;  // e.g. "s3://bucket/wh/otel/logs", no trailing '/'
  storage::ObjectStore* store = nullptr;
};
std::unique_ptr<FileIO> MakeStoreFileIO(std::vector<FileIORoot> roots);

}  // namespace o2p::iceberg
