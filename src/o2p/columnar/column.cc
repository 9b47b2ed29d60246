#include "o2p/columnar/column.h"

namespace o2p::columnar {

void Column::Clear() {
  size_ = 0;
  null_count_ = 0;
  validity_.clear();
}

StringColumn::StringColumn(DataTypePtr type, bool nullable) : Column(std::move(type), nullable) {
  offsets_.push_back(0);
}

size_t StringColumn::MemoryUsage() const {
  return offsets_.capacity() * sizeof(int64_t) + data_.capacity() + ValidityBytes();
}

void StringColumn::Clear() {
  Column::Clear();
  offsets_.assign(1, 0);
  data_.clear();
}

ListColumn::ListColumn(DataTypePtr type, bool nullable) : Column(type, nullable) {
  const Field& element = type->children().at(0);
  values_ = MakeColumn(element.type, element.nullable);
  offsets_.push_back(0);
}

size_t ListColumn::MemoryUsage() const {
  return offsets_.capacity() * sizeof(int64_t) + values_->MemoryUsage() + ValidityBytes();
}

void ListColumn::Clear() {
  Column::Clear();
  offsets_.assign(1, 0);
  values_->Clear();
}

MapColumn::MapColumn(DataTypePtr type, bool nullable) : Column(type, nullable) {
  const Field& key = type->children().at(0);
  const Field& value = type->children().at(1);
  keys_ = std::make_unique<StringColumn>(key.type, false);
  items_ = MakeColumn(value.type, value.nullable);
  offsets_.push_back(0);
}

size_t MapColumn::MemoryUsage() const {
  return offsets_.capacity() * sizeof(int64_t) + keys_->MemoryUsage() + items_->MemoryUsage() +
         ValidityBytes();
}

void MapColumn::Clear() {
  Column::Clear();
  offsets_.assign(1, 0);
  keys_->Clear();
  items_->Clear();
}

StructColumn::StructColumn(DataTypePtr type, bool nullable) : Column(type, nullable) {
  for (const Field& f : type->children()) children_.push_back(MakeColumn(f.type, f.nullable));
}

void StructColumn::AppendNull() {
  for (auto& c : children_) {
    if (c->nullable()) {
      c->AppendNull();
    } else {
      AppendZero(c.get());
    }
  }
  MarkNull();
}

size_t StructColumn::MemoryUsage() const {
  size_t total = ValidityBytes();
  for (const auto& c : children_) total += c->MemoryUsage();
  return total;
}

void StructColumn::Clear() {
  Column::Clear();
  for (auto& c : children_) c->Clear();
}

void StructColumn::Reserve(size_t rows) {
  for (auto& c : children_) c->Reserve(rows);
}

std::unique_ptr<Column> MakeColumn(const DataTypePtr& type, bool nullable) {
  switch (type->id()) {
    case TypeId::kBoolean: return std::make_unique<BooleanColumn>(type, nullable);
    case TypeId::kInt32: return std::make_unique<Int32Column>(type, nullable);
    case TypeId::kInt64:
    case TypeId::kTimestamp: return std::make_unique<Int64Column>(type, nullable);
    case TypeId::kDouble: return std::make_unique<DoubleColumn>(type, nullable);
    case TypeId::kString: return std::make_unique<StringColumn>(type, nullable);
    case TypeId::kList: return std::make_unique<ListColumn>(type, nullable);
    case TypeId::kMap: return std::make_unique<MapColumn>(type, nullable);
    case TypeId::kStruct: return std::make_unique<StructColumn>(type, nullable);
  }
  return nullptr;
}

void AppendZero(Column* column) {
  switch (column->type_id()) {
    case TypeId::kBoolean: static_cast<BooleanColumn*>(column)->Append(0); break;
    case TypeId::kInt32: static_cast<Int32Column*>(column)->Append(0); break;
    case TypeId::kInt64:
    case TypeId::kTimestamp: static_cast<Int64Column*>(column)->Append(0); break;
    case TypeId::kDouble: static_cast<DoubleColumn*>(column)->Append(0); break;
    case TypeId::kString: static_cast<StringColumn*>(column)->Append({}); break;
    case TypeId::kList: static_cast<ListColumn*>(column)->FinishRow(); break;
    case TypeId::kMap: static_cast<MapColumn*>(column)->FinishRow(); break;
    case TypeId::kStruct: {
      auto* s = static_cast<StructColumn*>(column);
      for (size_t i = 0; i < s->num_children(); ++i) AppendZero(s->child(i));
      s->FinishRow();
      break;
    }
  }
}

}  // namespace o2p::columnar
