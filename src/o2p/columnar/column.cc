#include "o2p/columnar/column.h"

namespace o2p::columnar {

void Column::Clear() {
  size_ = 0;
  null_count_ = 0;
  validity_.clear();
}

void Column::AppendValidityRange(const Column& src, size_t begin, size_t end) {
  const size_t rows = end - begin;
  if (nullable_) {
    if (src.validity_.empty()) {
      validity_.insert(validity_.end(), rows, 1);
    } else {
      const auto first = src.validity_.begin() + static_cast<std::ptrdiff_t>(begin);
      validity_.insert(validity_.end(), first, first + static_cast<std::ptrdiff_t>(rows));
      for (size_t row = begin; row < end; ++row) null_count_ += src.validity_[row] == 0;
    }
  }
  size_ += rows;
}

namespace {

// Appends src_offsets[begin+1 .. end], rebased from src_offsets[begin] onto dst->back().
void AppendRebasedOffsets(const std::vector<int64_t>& src_offsets, size_t begin, size_t end,
                          std::vector<int64_t>* dst) {
  const int64_t shift = dst->back() - src_offsets[begin];
  for (size_t row = begin + 1; row <= end; ++row) dst->push_back(src_offsets[row] + shift);
}

}  // namespace

StringColumn::StringColumn(DataTypePtr type, bool nullable) : Column(std::move(type), nullable) {
  offsets_.push_back(0);
}

size_t StringColumn::MemoryUsage() const {
  return offsets_.capacity() * sizeof(int64_t) + data_.capacity() + ValidityBytes();
}

void StringColumn::AppendRange(const StringColumn& src, size_t begin, size_t end) {
  const auto first = static_cast<size_t>(src.offsets_[begin]);
  const auto last = static_cast<size_t>(src.offsets_[end]);
  AppendRebasedOffsets(src.offsets_, begin, end, &offsets_);
  data_.append(src.data_, first, last - first);
  AppendValidityRange(src, begin, end);
}

void StringColumn::Clear() {
  Column::Clear();
  offsets_.assign(1, 0);
  data_.clear();
}

ListColumn::ListColumn(DataTypePtr type, bool nullable) : OffsetsColumn(type, nullable) {
  const Field& element = type->children().at(0);
  values_ = MakeColumn(element.type, element.nullable);
}

void OffsetsColumn::AppendOffsetRange(const OffsetsColumn& src, size_t begin, size_t end) {
  AppendRebasedOffsets(src.offsets_, begin, end, &offsets_);
  AppendValidityRange(src, begin, end);
}

void ListColumn::AppendRange(const ListColumn& src, size_t begin, size_t end) {
  AppendColumnRange(*src.values_, static_cast<size_t>(src.offsets()[begin]),
                    static_cast<size_t>(src.offsets()[end]), values_.get());
  AppendOffsetRange(src, begin, end);
}

void ListColumn::Clear() {
  ClearOffsets();
  values_->Clear();
}

MapColumn::MapColumn(DataTypePtr type, bool nullable) : OffsetsColumn(type, nullable) {
  const Field& key = type->children().at(0);
  const Field& value = type->children().at(1);
  keys_ = std::make_unique<StringColumn>(key.type, false);
  items_ = MakeColumn(value.type, value.nullable);
}

void MapColumn::AppendRange(const MapColumn& src, size_t begin, size_t end) {
  const auto first = static_cast<size_t>(src.offsets()[begin]);
  const auto last = static_cast<size_t>(src.offsets()[end]);
  keys_->AppendRange(*src.keys_, first, last);
  AppendColumnRange(*src.items_, first, last, items_.get());
  AppendOffsetRange(src, begin, end);
}

void MapColumn::Clear() {
  ClearOffsets();
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

void StructColumn::AppendRange(const StructColumn& src, size_t begin, size_t end) {
  for (size_t i = 0; i < children_.size(); ++i) {
    AppendColumnRange(*src.children_[i], begin, end, children_[i].get());
  }
  AppendValidityRange(src, begin, end);
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

void AppendColumnRange(const Column& src, size_t begin, size_t end, Column* dst) {
  if (begin == end) return;
  switch (src.type_id()) {
    case TypeId::kBoolean:
      static_cast<BooleanColumn*>(dst)->AppendRange(static_cast<const BooleanColumn&>(src), begin, end);
      return;
    case TypeId::kInt32:
      static_cast<Int32Column*>(dst)->AppendRange(static_cast<const Int32Column&>(src), begin, end);
      return;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      static_cast<Int64Column*>(dst)->AppendRange(static_cast<const Int64Column&>(src), begin, end);
      return;
    case TypeId::kDouble:
      static_cast<DoubleColumn*>(dst)->AppendRange(static_cast<const DoubleColumn&>(src), begin, end);
      return;
    case TypeId::kString:
      static_cast<StringColumn*>(dst)->AppendRange(static_cast<const StringColumn&>(src), begin, end);
      return;
    case TypeId::kList:
      static_cast<ListColumn*>(dst)->AppendRange(static_cast<const ListColumn&>(src), begin, end);
      return;
    case TypeId::kMap:
      static_cast<MapColumn*>(dst)->AppendRange(static_cast<const MapColumn&>(src), begin, end);
      return;
    case TypeId::kStruct:
      static_cast<StructColumn*>(dst)->AppendRange(static_cast<const StructColumn&>(src), begin, end);
      return;
  }
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
