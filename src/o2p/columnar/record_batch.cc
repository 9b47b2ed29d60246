#include "o2p/columnar/record_batch.h"

#include <fmt/format.h>

namespace o2p::columnar {

RecordBatch::RecordBatch(SchemaPtr schema) : schema_(std::move(schema)) {
  for (const Field& f : schema_->fields()) columns_.push_back(MakeColumn(f.type, f.nullable));
}

std::unique_ptr<RecordBatch> RecordBatch::Make(SchemaPtr schema) {
  return std::unique_ptr<RecordBatch>(new RecordBatch(std::move(schema)));
}

size_t RecordBatch::MemoryUsage() const {
  size_t total = 0;
  for (const auto& c : columns_) total += c->MemoryUsage();
  return total;
}

void RecordBatch::Clear() {
  for (auto& c : columns_) c->Clear();
  num_rows_ = 0;
}

namespace {

Status ValidateColumn(const Column& column, size_t rows, const std::string& path) {
  if (column.size() != rows) {
    return Status::Internal("column {} has {} rows, expected {}", path, column.size(), rows);
  }
  switch (column.type_id()) {
    case TypeId::kList: {
      const auto& list = static_cast<const ListColumn&>(column);
      return ValidateColumn(list.values(), static_cast<size_t>(list.offsets().back()),
                            path + ".element");
    }
    case TypeId::kMap: {
      const auto& map = static_cast<const MapColumn&>(column);
      const auto entries = static_cast<size_t>(map.offsets().back());
      Status s = ValidateColumn(map.keys(), entries, path + ".key");
      if (!s.ok()) return s;
      return ValidateColumn(map.items(), entries, path + ".value");
    }
    case TypeId::kStruct: {
      const auto& st = static_cast<const StructColumn&>(column);
      for (size_t i = 0; i < st.num_children(); ++i) {
        Status s = ValidateColumn(st.child(i), rows, path + "." + st.type()->children()[i].name);
        if (!s.ok()) return s;
      }
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

void FormatInto(const Column& column, size_t row, std::string* out) {
  if (!column.IsValid(row)) {
    out->append("null");
    return;
  }
  switch (column.type_id()) {
    case TypeId::kBoolean:
      out->append(static_cast<const BooleanColumn&>(column).Value(row) ? "true" : "false");
      return;
    case TypeId::kInt32:
      out->append(fmt::format("{}", static_cast<const Int32Column&>(column).Value(row)));
      return;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      out->append(fmt::format("{}", static_cast<const Int64Column&>(column).Value(row)));
      return;
    case TypeId::kDouble:
      out->append(fmt::format("{}", static_cast<const DoubleColumn&>(column).Value(row)));
      return;
    case TypeId::kString:
      AppendQuoted(static_cast<const StringColumn&>(column).Value(row), out);
      return;
    case TypeId::kList: {
      const auto& list = static_cast<const ListColumn&>(column);
      out->push_back('[');
      for (auto i = list.offsets()[row]; i < list.offsets()[row + 1]; ++i) {
        if (i > list.offsets()[row]) out->append(", ");
        FormatInto(list.values(), static_cast<size_t>(i), out);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kMap: {
      const auto& map = static_cast<const MapColumn&>(column);
      out->push_back('{');
      for (auto i = map.offsets()[row]; i < map.offsets()[row + 1]; ++i) {
        if (i > map.offsets()[row]) out->append(", ");
        FormatInto(map.keys(), static_cast<size_t>(i), out);
        out->append(": ");
        FormatInto(map.items(), static_cast<size_t>(i), out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kStruct: {
      const auto& st = static_cast<const StructColumn&>(column);
      out->push_back('{');
      for (size_t i = 0; i < st.num_children(); ++i) {
        if (i > 0) out->append(", ");
        out->append(st.type()->children()[i].name);
        out->append("=");
        FormatInto(st.child(i), row, out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

Status RecordBatch::Validate() const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    Status s = ValidateColumn(*columns_[i], num_rows_, schema_->field(i).name);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

std::string FormatValue(const Column& column, size_t row) {
  std::string out;
  FormatInto(column, row, &out);
  return out;
}

}  // namespace o2p::columnar
