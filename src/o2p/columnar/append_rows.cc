#include "o2p/columnar/append_rows.h"

namespace o2p::columnar {
namespace {

template <typename T>
void AppendPrimitive(const PrimitiveColumn<T>& src, size_t row, PrimitiveColumn<T>* dst) {
  if (src.IsValid(row)) {
    dst->Append(src.Value(row));
  } else {
    dst->AppendNull();
  }
}

// Appends one row of src; nested children are copied as whole ranges.
void AppendOne(const Column& src, size_t row, Column* dst) {
  switch (src.type_id()) {
    case TypeId::kBoolean:
      AppendPrimitive(static_cast<const BooleanColumn&>(src), row, static_cast<BooleanColumn*>(dst));
      return;
    case TypeId::kInt32:
      AppendPrimitive(static_cast<const Int32Column&>(src), row, static_cast<Int32Column*>(dst));
      return;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      AppendPrimitive(static_cast<const Int64Column&>(src), row, static_cast<Int64Column*>(dst));
      return;
    case TypeId::kDouble:
      AppendPrimitive(static_cast<const DoubleColumn&>(src), row, static_cast<DoubleColumn*>(dst));
      return;
    case TypeId::kString: {
      const auto& s = static_cast<const StringColumn&>(src);
      auto* d = static_cast<StringColumn*>(dst);
      if (s.IsValid(row)) {
        d->Append(s.Value(row));
      } else {
        d->AppendNull();
      }
      return;
    }
    case TypeId::kList: {
      const auto& s = static_cast<const ListColumn&>(src);
      auto* d = static_cast<ListColumn*>(dst);
      if (!s.IsValid(row)) {
        d->AppendNull();
        return;
      }
      AppendRowRange(s.values(), static_cast<size_t>(s.offsets()[row]),
                     static_cast<size_t>(s.offsets()[row + 1]), d->values());
      d->FinishRow();
      return;
    }
    case TypeId::kMap: {
      const auto& s = static_cast<const MapColumn&>(src);
      auto* d = static_cast<MapColumn*>(dst);
      if (!s.IsValid(row)) {
        d->AppendNull();
        return;
      }
      const auto begin = static_cast<size_t>(s.offsets()[row]);
      const auto end = static_cast<size_t>(s.offsets()[row + 1]);
      AppendRowRange(s.keys(), begin, end, d->keys());
      AppendRowRange(s.items(), begin, end, d->items());
      d->FinishRow();
      return;
    }
    case TypeId::kStruct: {
      const auto& s = static_cast<const StructColumn&>(src);
      auto* d = static_cast<StructColumn*>(dst);
      if (!s.IsValid(row)) {
        d->AppendNull();
        return;
      }
      for (size_t i = 0; i < s.num_children(); ++i) AppendOne(s.child(i), row, d->child(i));
      d->FinishRow();
      return;
    }
  }
}

}  // namespace

void AppendRows(const Column& src, std::span<const uint32_t> rows, Column* dst) {
  for (uint32_t row : rows) AppendOne(src, row, dst);
}

void AppendRowRange(const Column& src, size_t begin, size_t end, Column* dst) {
  for (size_t row = begin; row < end; ++row) AppendOne(src, row, dst);
}

void AppendRows(const RecordBatch& src, std::span<const uint32_t> rows, RecordBatch* dst) {
  for (size_t col = 0; col < src.num_columns(); ++col) {
    AppendRows(src.column(col), rows, dst->column(col));
  }
  for (size_t i = 0; i < rows.size(); ++i) dst->FinishRow();
}

void AppendRowRange(const RecordBatch& src, size_t begin, size_t end, RecordBatch* dst) {
  for (size_t col = 0; col < src.num_columns(); ++col) {
    AppendRowRange(src.column(col), begin, end, dst->column(col));
  }
  for (size_t row = begin; row < end; ++row) dst->FinishRow();
}

}  // namespace o2p::columnar
