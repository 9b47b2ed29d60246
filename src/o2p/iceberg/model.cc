#include "o2p/iceberg/model.h"

#include <algorithm>

#include "o2p/iceberg/catalog.h"

namespace o2p::iceberg {

int32_t HighestFieldId(const std::vector<NestedField>& fields) {
  int32_t highest = 0;
  for (const NestedField& field : fields) {
    highest = std::max(highest, field.id);
    if (field.type) highest = std::max(highest, HighestFieldId(field.type->children));
  }
  return highest;
}


std::string TableName::ToString() const {
  std::string out;
  for (const std::string& level : namespace_levels) out += level + ".";
  return out + name;
}
namespace {

template <typename T, typename Id>
const T* FindById(const std::vector<T>& items, Id id, Id T::*member) {
  for (const T& item : items) {
    if (item.*member == id) return &item;
  }
  return nullptr;
}

}  // namespace

const Schema* TableMetadata::CurrentSchema() const {
  return FindById(schemas, current_schema_id, &Schema::schema_id);
}

const PartitionSpec* TableMetadata::DefaultSpec() const {
  return FindById(partition_specs, default_spec_id, &PartitionSpec::spec_id);
}

const Snapshot* TableMetadata::CurrentSnapshot() const {
  return current_snapshot_id ? FindSnapshot(*current_snapshot_id) : nullptr;
}

const Snapshot* TableMetadata::FindSnapshot(int64_t id) const {
  return FindById(snapshots, id, &Snapshot::snapshot_id);
}

}  // namespace o2p::iceberg
