#include "o2p/iceberg/dir_catalog.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "o2p/base/macros.h"
#include "o2p/base/random_id.h"

namespace o2p::iceberg {
namespace {

namespace fs = std::filesystem;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string UuidFromHex(const std::string& hex) {  // 32 hex digits -> a version-4 UUID
  std::string h = hex;
  h[12] = '4';
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) % 4];
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4),
                     h.substr(16, 4), h.substr(20));
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read {}", path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `data` to a temporary file, flushes it to disk, and links it to `target`, which fails
// with ABORTED when `target` exists (another writer published that version first).
Status PublishNew(const fs::path& target, std::string_view data) {
  const fs::path temp = target.string() + ".tmp-" + RandomHexId();
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot create {}: {}", temp.string(), std::strerror(errno));
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(temp.c_str());
      return Status::IoError("cannot write {}", temp.string());
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    ::unlink(temp.c_str());
    return Status::IoError("cannot flush {}", temp.string());
  }
  const int linked = ::link(temp.c_str(), target.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) {
      return Status(StatusCode::kAborted,
                    fmt::format("{} was written by another writer", target.filename().string()));
    }
    return Status::IoError("cannot publish {}: {}", target.string(), std::strerror(link_errno));
  }
  return Status::Ok();
}

// Replaces `target` atomically (temporary file + rename).
Status ReplaceFile(const fs::path& target, std::string_view data) {
  const fs::path temp = target.string() + ".tmp-" + RandomHexId();
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << data;
    if (!out.flush()) return Status::IoError("cannot write {}", temp.string());
  }
  std::error_code error;
  fs::rename(temp, target, error);
  if (error) {
    fs::remove(temp, error);
    return Status::IoError("cannot replace {}", target.string());
  }
  return Status::Ok();
}

fs::path MetadataFile(const fs::path& table_dir, int64_t version) {
  return table_dir / "metadata" / fmt::format("v{}.metadata.json", version);
}

// The current version: the hint, then any newer file a writer published before updating it.
Result<int64_t> CurrentVersion(const fs::path& table_dir) {
  auto hint = ReadFile(table_dir / "metadata" / "version-hint.text");
  if (!hint) return Status::NotFound("no Iceberg table at {}", table_dir.string());
  int64_t version = 0;
  try {
    version = std::stoll(*hint);
  } catch (const std::exception&) {
    return Status::Internal("{}: version-hint.text holds '{}'", table_dir.string(), *hint);
  }
  while (fs::exists(MetadataFile(table_dir, version + 1))) ++version;
  return version;
}

Status CheckRequirement(const TableMetadata& metadata, const TableRequirement& requirement) {
  auto conflict = [](std::string message) {
    return Status(StatusCode::kAborted, std::move(message));
  };
  if (std::holds_alternative<AssertCreate>(requirement)) return conflict("the table exists");
  if (const auto* uuid = std::get_if<AssertTableUuid>(&requirement)) {
    if (uuid->uuid != metadata.table_uuid) return conflict("the table UUID changed");
  } else if (const auto* branch = std::get_if<AssertRefSnapshotId>(&requirement)) {
    auto ref = metadata.refs.find(branch->ref);
    const std::optional<int64_t> current =
        ref == metadata.refs.end() ? std::nullopt : std::optional(ref->second.snapshot_id);
    if (current != branch->snapshot_id) {
      return conflict(fmt::format("branch {} moved to snapshot {}", branch->ref,
                                  current ? std::to_string(*current) : "none"));
    }
  } else if (const auto* schema = std::get_if<AssertCurrentSchemaId>(&requirement)) {
    if (schema->current_schema_id != metadata.current_schema_id)
      return conflict("the schema changed");
  } else if (const auto* field = std::get_if<AssertLastAssignedFieldId>(&requirement)) {
    if (field->last_assigned_field_id != metadata.last_column_id) {
      return conflict("last-column-id changed");
    }
  } else if (const auto* spec = std::get_if<AssertDefaultSpecId>(&requirement)) {
    if (spec->default_spec_id != metadata.default_spec_id)
      return conflict("the default spec changed");
  }
  return Status::Ok();
}

Status ApplyUpdate(TableMetadata& metadata, const TableUpdate& update, int32_t& last_added_schema) {
  if (const auto* add = std::get_if<AddSnapshot>(&update)) {
    if (add->snapshot.sequence_number <= metadata.last_sequence_number) {
      return Status::InvalidArgument("snapshot sequence number {} is not above {}",
                                     add->snapshot.sequence_number, metadata.last_sequence_number);
    }
    metadata.last_sequence_number = add->snapshot.sequence_number;
    metadata.snapshots.push_back(add->snapshot);
  } else if (const auto* set_ref = std::get_if<SetSnapshotRef>(&update)) {
    if (metadata.FindSnapshot(set_ref->ref.snapshot_id) == nullptr) {
      return Status::InvalidArgument("ref {} names unknown snapshot {}", set_ref->ref_name,
                                     set_ref->ref.snapshot_id);
    }
    metadata.refs[set_ref->ref_name] = set_ref->ref;
    if (set_ref->ref_name == "main") metadata.current_snapshot_id = set_ref->ref.snapshot_id;
  } else if (const auto* add_schema = std::get_if<AddSchema>(&update)) {
    Schema schema = add_schema->schema;
    int32_t next_id = 0;
    for (const Schema& existing : metadata.schemas)
      next_id = std::max(next_id, existing.schema_id + 1);
    schema.schema_id = next_id;
    metadata.last_column_id = std::max(
        {metadata.last_column_id, add_schema->last_column_id, HighestFieldId(schema.fields)});
    metadata.schemas.push_back(std::move(schema));
    last_added_schema = next_id;
  } else if (const auto* set_schema = std::get_if<SetCurrentSchema>(&update)) {
    const int32_t id = set_schema->schema_id == -1 ? last_added_schema : set_schema->schema_id;
    const bool known = std::any_of(metadata.schemas.begin(), metadata.schemas.end(),
                                   [&](const Schema& s) { return s.schema_id == id; });
    if (!known) return Status::InvalidArgument("set-current-schema: no schema {}", id);
    metadata.current_schema_id = id;
  } else if (const auto* properties = std::get_if<SetProperties>(&update)) {
    for (const auto& [key, value] : properties->updates) metadata.properties[key] = value;
  }
  return Status::Ok();
}

}  // namespace

TableMetadata NewTableMetadata(const CreateTableRequest& create, std::string location,
                               int64_t now_ms) {
  TableMetadata metadata;
  metadata.table_uuid = UuidFromHex(RandomHexId());
  metadata.location = std::move(location);
  metadata.last_updated_ms = now_ms;
  metadata.schemas = {create.schema};
  metadata.schemas[0].schema_id = 0;
  metadata.current_schema_id = 0;
  metadata.last_column_id = HighestFieldId(create.schema.fields);
  metadata.partition_specs = {create.partition_spec.value_or(PartitionSpec{})};
  metadata.partition_specs[0].spec_id = 0;
  metadata.default_spec_id = 0;
  metadata.last_partition_id = 999;
  for (const PartitionField& field : metadata.partition_specs[0].fields) {
    metadata.last_partition_id = std::max(metadata.last_partition_id, field.field_id);
  }
  const SortOrder order = create.write_order.value_or(SortOrder{});
  metadata.sort_orders = {order};
  metadata.default_sort_order_id = order.order_id;
  if (order.order_id != 0) metadata.sort_orders.insert(metadata.sort_orders.begin(), SortOrder{});
  metadata.properties = create.properties;
  return metadata;
}

Result<TableMetadata> ApplyCommit(TableMetadata metadata, const CommitTableRequest& request,
                                  int64_t now_ms) {
  for (const TableRequirement& requirement : request.requirements) {
    O2P_RETURN_IF_ERROR(CheckRequirement(metadata, requirement));
  }
  int32_t last_added_schema = -1;
  for (const TableUpdate& update : request.updates) {
    O2P_RETURN_IF_ERROR(ApplyUpdate(metadata, update, last_added_schema));
  }
  metadata.last_updated_ms = now_ms;
  return metadata;
}

Result<std::unique_ptr<DirectoryCatalog>> DirectoryCatalog::Open(const std::string& root) {
  std::error_code error;
  const fs::path absolute = fs::absolute(root, error);
  if (error) return Status::InvalidArgument("bad catalog directory '{}'", root);
  fs::create_directories(absolute, error);
  if (error || !fs::is_directory(absolute)) {
    return Status::IoError("cannot create the catalog directory {}", absolute.string());
  }
  return std::unique_ptr<DirectoryCatalog>(
      new DirectoryCatalog(absolute.lexically_normal().string()));
}

std::string DirectoryCatalog::TableDirectory(const TableName& table) const {
  fs::path dir(root_);
  for (const std::string& level : table.namespace_levels) dir /= level;
  return (dir / table.name).string();
}

Status DirectoryCatalog::EnsureNamespace(const std::vector<std::string>& levels) {
  fs::path dir(root_);
  for (const std::string& level : levels) {
    if (level.empty() || level == "." || level == ".." || level.find('/') != std::string::npos) {
      return Status::InvalidArgument("namespace level '{}' cannot be a directory name", level);
    }
    dir /= level;
  }
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return Status::IoError("cannot create {}", dir.string());
  return Status::Ok();
}

Result<LoadTableResult> DirectoryCatalog::LoadTable(const TableName& table) {
  const fs::path dir = TableDirectory(table);
  O2P_ASSIGN_OR_RETURN(int64_t version, CurrentVersion(dir));
  const fs::path file = MetadataFile(dir, version);
  O2P_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  LoadTableResult result;
  O2P_ASSIGN_OR_RETURN(result.metadata, TableMetadataFromJson(text));
  result.metadata_location = "file://" + file.string();
  return result;
}

Result<LoadTableResult> DirectoryCatalog::LoadOrCreateTable(const TableName& table,
                                                            const CreateTableRequest& create) {
  auto loaded = LoadTable(table);
  if (loaded || loaded.error().code() != StatusCode::kNotFound) return loaded;
  if (table.name.empty() || table.name == "." || table.name == ".." ||
      table.name.find('/') != std::string::npos) {
    return Status::InvalidArgument("table name '{}' cannot be a directory name", table.name);
  }
  const fs::path dir = TableDirectory(table);
  std::error_code error;
  fs::create_directories(dir / "metadata", error);
  if (error) return Status::IoError("cannot create {}", (dir / "metadata").string());
  // Our tables live where the catalog keeps them; a requested location elsewhere is ignored.
  const TableMetadata metadata = NewTableMetadata(create, "file://" + dir.string(), NowMs());
  const Status published = PublishNew(MetadataFile(dir, 1), TableMetadataToJson(metadata));
  if (!published.ok() && published.code() != StatusCode::kAborted) return published;
  if (published.ok()) O2P_RETURN_IF_ERROR(ReplaceFile(dir / "metadata" / "version-hint.text", "1"));
  return LoadTable(table);  // ours, or the one another writer created first
}

Result<LoadTableResult> DirectoryCatalog::CommitTable(const TableName& table,
                                                      const CommitTableRequest& request) {
  const fs::path dir = TableDirectory(table);
  O2P_ASSIGN_OR_RETURN(int64_t version, CurrentVersion(dir));
  O2P_ASSIGN_OR_RETURN(std::string text, ReadFile(MetadataFile(dir, version)));
  O2P_ASSIGN_OR_RETURN(TableMetadata current, TableMetadataFromJson(text));
  O2P_ASSIGN_OR_RETURN(TableMetadata next, ApplyCommit(std::move(current), request, NowMs()));
  const fs::path file = MetadataFile(dir, version + 1);
  O2P_RETURN_IF_ERROR(PublishNew(file, TableMetadataToJson(next)));
  // The new version is committed; the hint only speeds up readers (CurrentVersion looks past it).
  (void)ReplaceFile(dir / "metadata" / "version-hint.text", std::to_string(version + 1));
  LoadTableResult result;
  result.metadata = std::move(next);
  result.metadata_location = "file://" + file.string();
  return result;
}

}  // namespace o2p::iceberg
