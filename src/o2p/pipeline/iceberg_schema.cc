#include "o2p/pipeline/iceberg_schema.h"

#include <cassert>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "o2p/base/macros.h"

namespace o2p::pipeline {
namespace {

using columnar::DataType;
using columnar::DataTypePtr;
using columnar::Field;
using columnar::TypeId;

iceberg::Type::Kind NestedKind(TypeId id) {
  switch (id) {
    case TypeId::kList: return iceberg::Type::Kind::kList;
    case TypeId::kMap: return iceberg::Type::Kind::kMap;
    default: return iceberg::Type::Kind::kStruct;
  }
}

iceberg::NestedField ToNestedField(const Field& field, std::string name);

iceberg::TypePtr ToIcebergType(const DataType& type) {
  auto out = std::make_shared<iceberg::Type>();
  if (!type.is_nested()) {
    // columnar names its primitives as Iceberg does ("long", "timestamptz", …).
    out->primitive = std::string(columnar::TypeIdName(type.id()));
    return out;
  }
  out->kind = NestedKind(type.id());
  const std::vector<Field>& children = type.children();
  for (size_t i = 0; i < children.size(); ++i) {
    // The model names list and map children by role, whatever the columnar side calls them.
    std::string name = children[i].name;
    if (type.id() == TypeId::kList) name = "element";
    if (type.id() == TypeId::kMap) name = i == 0 ? "key" : "value";
    out->children.push_back(ToNestedField(children[i], std::move(name)));
  }
  return out;
}

iceberg::NestedField ToNestedField(const Field& field, std::string name) {
  iceberg::NestedField out;
  out.id = field.field_id;
  out.name = std::move(name);
  out.required = !field.nullable;
  out.type = ToIcebergType(*field.type);
  return out;
}

Result<Field> RenumberField(const Field& field, const std::map<int32_t, int32_t>& ids);

Result<DataTypePtr> RenumberType(const DataTypePtr& type, const std::map<int32_t, int32_t>& ids) {
  if (!type->is_nested()) return type;  // primitives carry no ids and are shared
  std::vector<Field> children;
  children.reserve(type->children().size());
  for (const Field& child : type->children()) {
    O2P_ASSIGN_OR_RETURN(Field renumbered, RenumberField(child, ids));
    children.push_back(std::move(renumbered));
  }
  return DataTypePtr(std::make_shared<const DataType>(type->id(), std::move(children)));
}

Result<Field> RenumberField(const Field& field, const std::map<int32_t, int32_t>& ids) {
  auto it = ids.find(field.field_id);
  if (it == ids.end()) {
    return Status::InvalidArgument("schema mapping has no table id for field '{}' (id {})",
                                   field.name, field.field_id);
  }
  O2P_ASSIGN_OR_RETURN(DataTypePtr type, RenumberType(field.type, ids));
  return Field{field.name, std::move(type), field.nullable, it->second};
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

/// The id of the top-level column `name`: exact match first, then any case.
int32_t TopLevelId(const iceberg::Schema& schema, std::string_view name) {
  for (const iceberg::NestedField& field : schema.fields) {
    if (field.name == name) return field.id;
  }
  for (const iceberg::NestedField& field : schema.fields) {
    if (EqualsIgnoringAsciiCase(field.name, name)) return field.id;
  }
  assert(false && "column missing from the table schema");
  return 0;
}

}  // namespace

iceberg::Schema ToIcebergSchema(const columnar::Schema& schema) {
  iceberg::Schema out;
  out.fields.reserve(schema.num_fields());
  for (const Field& field : schema.fields()) out.fields.push_back(ToNestedField(field, field.name));
  return out;
}

Result<columnar::SchemaPtr> WithFieldIds(const columnar::Schema& ours,
                                         const std::map<int32_t, int32_t>& our_to_table_ids) {
  std::vector<Field> fields;
  fields.reserve(ours.num_fields());
  for (const Field& field : ours.fields()) {
    O2P_ASSIGN_OR_RETURN(Field renumbered, RenumberField(field, our_to_table_ids));
    fields.push_back(std::move(renumbered));
  }
  return columnar::SchemaPtr(
      std::make_shared<const columnar::Schema>(std::move(fields), ours.metadata()));
}

iceberg::PartitionSpec DayPartitionSpec(const iceberg::Schema& schema) {
  iceberg::PartitionSpec spec;
  spec.spec_id = 0;
  // Partition field ids start at 1000 (spec, "Partition Specs"); the name follows Java's
  // default "<source>_<transform>".
  spec.fields.push_back(iceberg::PartitionField{
      .source_id = TopLevelId(schema, "Timestamp"),
      .field_id = 1000,
      .name = "Timestamp_day",
      .transform = "day",
  });
  return spec;
}

iceberg::SortOrder DefaultSortOrder(const iceberg::Schema& schema) {
  iceberg::SortOrder order;
  // Order id 0 is reserved for "unsorted" (spec, "Sort Orders").
  order.order_id = 1;
  for (std::string_view column : {"ServiceName", "Timestamp"}) {
    order.fields.push_back(iceberg::SortField{
        .source_id = TopLevelId(schema, column),
        .transform = "identity",
        .ascending = true,
        .nulls_first = true,
    });
  }
  return order;
}

std::map<std::string, std::string> DefaultTableProperties() {
  return {
      // v2 is what S3 Tables, Glue, Athena and Trino all read and write; v3 would allow
      // nanosecond timestamps but many engines cannot read it yet (spec/schema.md principle 4).
      {"format-version", "2"},
      // Our files are Parquet; engines that rewrite the table (compaction) should keep it.
      {"write.format.default", "parquet"},
      // The same codec and level as our writer (spec/schema.md, "Writer defaults"), so files
      // compacted by Spark or S3 Tables compress like ours.
      {"write.parquet.compression-codec", "zstd"},
      {"write.parquet.compression-level", "3"},
      // Row group and page sizes of our writer (parquet/writer_options.h).
      {"write.parquet.row-group-size-bytes", "134217728"},
      {"write.parquet.page-size-bytes", "1048576"},
      // MakeDataFile writes exactly these metrics: counts for every column, bounds truncated
      // to 16 characters for strings (Java's default mode). Long bodies and attribute text
      // would otherwise bloat every manifest.
      {"write.metadata.metrics.default", "truncate(16)"},
      // We commit once per flush, i.e. often; without cleanup every commit leaves one more
      // metadata.json behind for good. Keep the last 100, as Java's default count does.
      {"write.metadata.delete-after-commit.enabled", "true"},
      {"write.metadata.previous-versions-max", "100"},
  };
}

}  // namespace o2p::pipeline
