// The typed column writer. One template serves every physical type; a Traits struct says how
// to read a value from the columnar column, how to PLAIN-encode it and which dictionary and
// statistics classes to use, so the per-value loops are inlined and free of virtual calls.
#include "o2p/parquet/column_writer.h"

#include <algorithm>
#include <string>

#include "o2p/base/macros.h"
#include "o2p/parquet/encoding/dictionary.h"
#include "o2p/parquet/encoding/plain.h"
#include "o2p/parquet/encoding/rle_bit_packed.h"
#include "o2p/parquet/levels.h"
#include "o2p/parquet/page_index.h"
#include "o2p/parquet/page_writer.h"
#include "o2p/parquet/statistics.h"

namespace o2p::parquet {
namespace {

using columnar::Column;

/// Booleans are never dictionary-encoded (one bit per value is already small).
struct NoDictionary {
  size_t size() const { return 0; }
  size_t plain_bytes() const { return 0; }
  void AppendPlain(std::string* /*out*/) const {}
  void Clear() {}
};

template <typename ColumnT, typename T>
struct FixedTraits {
  using ColumnType = ColumnT;
  using Stats = FixedStatistics<T>;
  using Dictionary = FixedDictionary<T>;
  static constexpr bool kDictionary = true;
  static T Get(const ColumnType& column, size_t i) { return column.values()[i]; }
  static size_t PlainSize(T /*value*/) { return sizeof(T); }
  static void AppendPlain(const ColumnType& column, const ValueSelection& values,
                          std::string* out) {
    AppendPlainFixed(column.values(), values, out);
  }
};

using Int32Traits = FixedTraits<columnar::Int32Column, int32_t>;
using Int64Traits = FixedTraits<columnar::Int64Column, int64_t>;  // long and timestamp
using DoubleTraits = FixedTraits<columnar::DoubleColumn, double>;

struct BooleanTraits {
  using ColumnType = columnar::BooleanColumn;
  using Stats = FixedStatistics<uint8_t>;
  using Dictionary = NoDictionary;
  static constexpr bool kDictionary = false;
  static uint8_t Get(const ColumnType& column, size_t i) { return column.values()[i] != 0; }
};

struct ByteArrayTraits {
  using ColumnType = columnar::StringColumn;
  using Stats = ByteArrayStatistics;
  using Dictionary = ByteArrayDictionary;
  static constexpr bool kDictionary = true;
  static std::string_view Get(const ColumnType& column, size_t i) { return column.Value(i); }
  static size_t PlainSize(std::string_view value) { return 4 + value.size(); }
  static void AppendPlain(const ColumnType& column, const ValueSelection& values,
                          std::string* out) {
    AppendPlainByteArrays(column, values, out);
  }
};

// Slices of rows are encoded between page-size checks. The first slice of a writer is small;
// later ones are sized from the bytes per row seen so far so that a page (and a dictionary)
// ends close to its limit, without checking after every row.
constexpr size_t kFirstSliceRows = 8;
constexpr size_t kMaxSliceRows = 4096;
// Values hashed before deciding that a near-unique column (ids, timestamps, free text) gains
// nothing from a dictionary: more than 3 in 4 of them distinct.
constexpr size_t kDictionaryProbeValues = 4096;

template <typename Traits>
class TypedColumnWriter final : public ColumnWriter {
 public:
  using ColumnType = typename Traits::ColumnType;

  TypedColumnWriter(const LeafColumn& leaf, const WriterOptions& options, Compressor* compressor)
      : leaf_(leaf),
        options_(options),
        compressor_(compressor),
        levels_(leaf.path),
        pages_(leaf.path.max_def_level, leaf.path.max_rep_level, compressor),
        column_index_(leaf.physical_type),
        dictionary_enabled_(Traits::kDictionary && options.dictionary),
        use_dictionary_(dictionary_enabled_) {
    summary_.field_id = leaf.field_id;
    summary_.path = leaf.dotted_path;
  }

  Status Write(const Column& top, size_t row_begin, size_t row_end) override;
  Result<ColumnChunkData> FinishChunk() override;
  void ResetChunk() override;
  size_t EstimatedChunkBytes() const override;
  LeafColumnSummary Summary() const override;

 private:
  size_t NextSliceRows() const;
  void EncodeValues(const ColumnType& column, const ValueSelection& values);
  /// Bits per dictionary index: enough for the largest index, at least 1 (as Arrow writes).
  int IndexBitWidth() const {
    return dictionary_.size() <= 1 ? 1 : BitWidth(dictionary_.size() - 1);
  }
  size_t EstimatedPageBytes() const;
  Status MaybeCutPage();
  Status CutPage();
  void AfterDictionaryPage();
  /// PLAIN for the rest of the chunk. PLAIN pages grow much faster per row than pages of
  /// indices, so slice sizing starts over.
  void StopDictionary() {
    use_dictionary_ = false;
    last_page_rows_ = 0;
    last_page_bytes_ = 0;
  }
  format::ColumnMetaData BuildMetaData() const;
  bool write_page_index() const { return options_.statistics && options_.page_index; }

  const LeafColumn& leaf_;
  const WriterOptions& options_;
  Compressor* compressor_;
  LevelBuilder levels_;
  PageWriter pages_;
  ColumnIndexBuilder column_index_;

  const bool dictionary_enabled_;
  bool use_dictionary_;  // for the rest of the current chunk
  bool first_page_written_ = false;
  typename Traits::Dictionary dictionary_;
  std::vector<uint32_t> indices_;  // dictionary indices of the open page
  size_t page_plain_bytes_ = 0;    // what the open page's values would take PLAIN
  std::string values_;             // PLAIN values of the open page; page body scratch
  std::vector<uint8_t> booleans_;  // boolean values of the open page
  size_t last_page_rows_ = 0;      // size of the last page, for slice sizing
  size_t last_page_bytes_ = 0;

  typename Traits::Stats page_stats_;
  typename Traits::Stats chunk_stats_;
  typename Traits::Stats file_stats_;
  LeafColumnSummary summary_;
};

template <typename Traits>
Status TypedColumnWriter<Traits>::Write(const Column& top, size_t row_begin, size_t row_end) {
  size_t row = row_begin;
  while (row < row_end) {
    const size_t slice_end = std::min(row_end, row + NextSliceRows());
    const auto& column = static_cast<const ColumnType&>(levels_.Build(top, row, slice_end));
    const ValueSelection& values = levels_.values();
    pages_.AddLevels(levels_.def_levels(), levels_.rep_levels(), levels_.num_entries(),
                     slice_end - row);
    page_stats_.AddNulls(static_cast<int64_t>(levels_.num_entries() - values.size()));
    EncodeValues(column, values);
    O2P_RETURN_IF_ERROR(MaybeCutPage());
    row = slice_end;
  }
  return Status::Ok();
}

template <typename Traits>
size_t TypedColumnWriter<Traits>::NextSliceRows() const {
  // Rows that fit in the room left on the page, at the rows-per-byte rate of the open page,
  // or of the last page while the open one has nothing measurable yet.
  const size_t rows = pages_.buffered_rows();
  const size_t page_bytes = EstimatedPageBytes();
  size_t rate_rows = rows;
  size_t rate_bytes = page_bytes;
  if (rate_rows == 0 || rate_bytes == 0) {
    rate_rows = last_page_rows_;
    rate_bytes = last_page_bytes_;
  }
  size_t slice = 0;
  if (rate_rows == 0 || rate_bytes == 0) {
    slice = rows == 0 ? kFirstSliceRows : 2 * rows;
  } else {
    const size_t room =
        options_.data_page_bytes > page_bytes ? options_.data_page_bytes - page_bytes : 0;
    slice = room * rate_rows / rate_bytes + 1;
  }
  // While dictionary-encoding, the dictionary grows too: stop about where it would pass its
  // limit, at the rate it grew over the chunk so far.
  const size_t chunk_rows = static_cast<size_t>(pages_.num_rows()) + rows;
  if (use_dictionary_ && dictionary_.plain_bytes() > 0 && chunk_rows > 0) {
    const size_t dictionary_bytes = dictionary_.plain_bytes();
    const size_t room = options_.dictionary_max_bytes > dictionary_bytes
                            ? options_.dictionary_max_bytes - dictionary_bytes
                            : 0;
    slice = std::min(slice, room * chunk_rows / dictionary_bytes + 1);
  }
  return std::clamp<size_t>(slice, 1, kMaxSliceRows);
}

template <typename Traits>
void TypedColumnWriter<Traits>::EncodeValues(const ColumnType& column,
                                             const ValueSelection& values) {
  if constexpr (!Traits::kDictionary) {
    values.ForEach([&](size_t i) {
      const auto v = Traits::Get(column, i);
      booleans_.push_back(v);
      page_stats_.Update(v);
    });
  } else {
    if (use_dictionary_) {
      values.ForEach([&](size_t i) {
        const auto v = Traits::Get(column, i);
        indices_.push_back(dictionary_.GetOrInsert(v));
        page_stats_.Update(v);
        page_plain_bytes_ += Traits::PlainSize(v);
      });
      return;
    }
    Traits::AppendPlain(column, values, &values_);
    values.ForEach([&](size_t i) { page_stats_.Update(Traits::Get(column, i)); });
  }
}

template <typename Traits>
size_t TypedColumnWriter<Traits>::EstimatedPageBytes() const {
  size_t bytes = pages_.EstimatedLevelBytes();
  if constexpr (!Traits::kDictionary) {
    bytes += booleans_.size() / 8;
  } else if (use_dictionary_) {
    bytes += indices_.size() * static_cast<size_t>(IndexBitWidth()) / 8;
  } else {
    bytes += values_.size();
  }
  return bytes;
}

template <typename Traits>
Status TypedColumnWriter<Traits>::MaybeCutPage() {
  // Decide early for near-unique columns instead of hashing a whole first page (parquet-java
  // only decides after it): the sampled values keep their dictionary page, the rest is PLAIN.
  if (use_dictionary_ && !first_page_written_ && indices_.size() >= kDictionaryProbeValues &&
      dictionary_.size() * 4 > indices_.size() * 3) {
    O2P_RETURN_IF_ERROR(CutPage());
    StopDictionary();
    return Status::Ok();
  }
  if (use_dictionary_ && dictionary_.plain_bytes() > options_.dictionary_max_bytes) {
    // Fallback: this page keeps its indices (the dictionary page will hold every entry so
    // far); the rest of the chunk is PLAIN.
    O2P_RETURN_IF_ERROR(CutPage());
    StopDictionary();
    return Status::Ok();
  }
  if (EstimatedPageBytes() >= options_.data_page_bytes) return CutPage();
  return Status::Ok();
}

template <typename Traits>
Status TypedColumnWriter<Traits>::CutPage() {
  const size_t entries = pages_.buffered_entries();
  if (entries == 0) return Status::Ok();
  last_page_rows_ = pages_.buffered_rows();
  last_page_bytes_ = EstimatedPageBytes();
  std::optional<format::Statistics> header_stats;
  // Page-header statistics only without a page index: readers that know the column index
  // ignore them (PageIndex.md), and parquet-java stopped writing both.
  if (options_.statistics && !options_.page_index) {
    header_stats = ToThrift(page_stats_, leaf_.physical_type);
  }
  format::Encoding encoding = format::Encoding::kPlain;
  if constexpr (!Traits::kDictionary) {
    AppendPlainBooleans(booleans_, &values_);
    booleans_.clear();
  } else if (use_dictionary_) {
    // Encodings.md, dictionary data page: one byte of bit width, then the RLE hybrid.
    const int bit_width = IndexBitWidth();
    values_.push_back(static_cast<char>(bit_width));
    EncodeRleBitPacked(indices_, bit_width, &values_);
    encoding = format::Encoding::kRleDictionary;
  }
  O2P_RETURN_IF_ERROR(pages_.WriteDataPage(values_, encoding, std::move(header_stats)));
  if (encoding == format::Encoding::kRleDictionary) AfterDictionaryPage();
  values_.clear();
  if (write_page_index()) column_index_.AddPage(page_stats_, static_cast<int64_t>(entries));
  chunk_stats_.Merge(page_stats_);
  page_stats_.Reset();
  first_page_written_ = true;
  return Status::Ok();
}

template <typename Traits>
void TypedColumnWriter<Traits>::AfterDictionaryPage() {
  // parquet-java's check: when the first page shows that dictionary + indices are no smaller
  // than PLAIN (ids, timestamps), stop hashing for the rest of the chunk.
  if (!first_page_written_ && dictionary_.plain_bytes() + values_.size() >= page_plain_bytes_) {
    StopDictionary();
  }
  indices_.clear();
  page_plain_bytes_ = 0;
}

template <typename Traits>
Result<ColumnChunkData> TypedColumnWriter<Traits>::FinishChunk() {
  O2P_RETURN_IF_ERROR(CutPage());
  if (pages_.dictionary_data_pages() > 0) {
    values_.clear();
    dictionary_.AppendPlain(&values_);
    O2P_RETURN_IF_ERROR(
        pages_.WriteDictionaryPage(values_, static_cast<int32_t>(dictionary_.size())));
    values_.clear();
  }
  ColumnChunkData out;
  out.meta = BuildMetaData();
  out.dictionary_page = pages_.dictionary_page();
  out.data_pages = pages_.data_pages();
  out.page_locations = pages_.page_locations();
  if (write_page_index()) out.column_index = column_index_.Finish();

  summary_.value_count += pages_.num_values();
  summary_.compressed_bytes += pages_.total_compressed_size();
  summary_.uncompressed_bytes += pages_.total_uncompressed_size();
  file_stats_.Merge(chunk_stats_);
  return out;
}

template <typename Traits>
format::ColumnMetaData TypedColumnWriter<Traits>::BuildMetaData() const {
  format::ColumnMetaData meta;
  meta.type = leaf_.physical_type;
  meta.path_in_schema = leaf_.path_in_schema;
  meta.codec = compressor_->codec();
  meta.num_values = pages_.num_values();
  meta.total_uncompressed_size = pages_.total_uncompressed_size();
  meta.total_compressed_size = pages_.total_compressed_size();
  const bool has_dictionary = !pages_.dictionary_page().empty();
  if (has_dictionary) meta.dictionary_page_offset = 0;
  meta.data_page_offset = static_cast<int64_t>(pages_.dictionary_page().size());

  // ColumnMetaData.encodings, ascending: PLAIN (dictionary page and/or plain pages), RLE
  // (the level encoding every v1 header names), RLE_DICTIONARY.
  if (has_dictionary || pages_.plain_data_pages() > 0)
    meta.encodings.push_back(format::Encoding::kPlain);
  meta.encodings.push_back(format::Encoding::kRle);
  if (has_dictionary) meta.encodings.push_back(format::Encoding::kRleDictionary);
  // encoding_stats tell readers whether every data page is dictionary-encoded (parquet-java
  // uses that for dictionary filtering).
  using format::PageEncodingStats;
  if (has_dictionary) {
    meta.encoding_stats.push_back({format::PageType::kDictionaryPage, format::Encoding::kPlain, 1});
    meta.encoding_stats.push_back({format::PageType::kDataPage, format::Encoding::kRleDictionary,
                                   pages_.dictionary_data_pages()});
  }
  if (pages_.plain_data_pages() > 0) {
    meta.encoding_stats.push_back(
        {format::PageType::kDataPage, format::Encoding::kPlain, pages_.plain_data_pages()});
  }
  if (options_.statistics) meta.statistics = ToThrift(chunk_stats_, leaf_.physical_type);
  return meta;
}

template <typename Traits>
void TypedColumnWriter<Traits>::ResetChunk() {
  pages_.Reset();
  dictionary_.Clear();
  use_dictionary_ = dictionary_enabled_;
  first_page_written_ = false;
  indices_.clear();
  page_plain_bytes_ = 0;
  values_.clear();
  booleans_.clear();
  page_stats_.Reset();
  chunk_stats_.Reset();
}

template <typename Traits>
size_t TypedColumnWriter<Traits>::EstimatedChunkBytes() const {
  return static_cast<size_t>(pages_.total_uncompressed_size()) + EstimatedPageBytes() +
         dictionary_.plain_bytes();
}

template <typename Traits>
LeafColumnSummary TypedColumnWriter<Traits>::Summary() const {
  LeafColumnSummary out = summary_;
  out.null_count = file_stats_.null_count();
  out.nan_count = file_stats_.nan_count();
  out.has_bounds = file_stats_.has_bounds();
  if (out.has_bounds) {
    // Exact PLAIN single values: Iceberg applies its own truncation to what it stores.
    out.lower_bound = file_stats_.EncodedMin();
    out.upper_bound = file_stats_.EncodedMax();
  }
  return out;
}

}  // namespace

std::unique_ptr<ColumnWriter> MakeColumnWriter(const LeafColumn& leaf, const WriterOptions& options,
                                               Compressor* compressor) {
  switch (leaf.type_id) {
    case columnar::TypeId::kBoolean:
      return std::make_unique<TypedColumnWriter<BooleanTraits>>(leaf, options, compressor);
    case columnar::TypeId::kInt32:
      return std::make_unique<TypedColumnWriter<Int32Traits>>(leaf, options, compressor);
    case columnar::TypeId::kInt64:
    case columnar::TypeId::kTimestamp:
      return std::make_unique<TypedColumnWriter<Int64Traits>>(leaf, options, compressor);
    case columnar::TypeId::kDouble:
      return std::make_unique<TypedColumnWriter<DoubleTraits>>(leaf, options, compressor);
    case columnar::TypeId::kString:
      return std::make_unique<TypedColumnWriter<ByteArrayTraits>>(leaf, options, compressor);
    default:
      return nullptr;  // nested types have no leaf writer; BuildParquetSchema never yields one
  }
}

}  // namespace o2p::parquet
