#include "o2p/parquet/page_writer.h"

#include <limits>

#include "o2p/base/macros.h"
#include "o2p/parquet/encoding/rle_bit_packed.h"
#include "o2p/parquet/format/thrift_compact_writer.h"

namespace o2p::parquet {
namespace {

// Page sizes and value counts are i32 in PageHeader / DataPageHeader.
constexpr size_t kMaxPageBytes = std::numeric_limits<int32_t>::max();

}  // namespace

PageWriter::PageWriter(int16_t max_def_level, int16_t max_rep_level, Compressor* compressor)
    : max_def_level_(max_def_level),
      max_rep_level_(max_rep_level),
      level_bits_(static_cast<size_t>(BitWidth(static_cast<uint64_t>(max_def_level)) +
                                      BitWidth(static_cast<uint64_t>(max_rep_level)))),
      compressor_(compressor) {}

void PageWriter::AddLevels(std::span<const int16_t> def, std::span<const int16_t> rep,
                           size_t num_entries, size_t num_rows) {
  if (max_def_level_ > 0) def_.insert(def_.end(), def.begin(), def.end());
  if (max_rep_level_ > 0) rep_.insert(rep_.end(), rep.begin(), rep.end());
  page_entries_ += num_entries;
  page_rows_ += num_rows;
}

Status PageWriter::WriteDataPage(std::string_view values, format::Encoding encoding,
                                 std::optional<format::Statistics> statistics) {
  body_.clear();
  if (max_rep_level_ > 0) AppendLevels(rep_, max_rep_level_, &body_);
  if (max_def_level_ > 0) AppendLevels(def_, max_def_level_, &body_);
  body_.append(values);
  if (page_entries_ > kMaxPageBytes) {
    return Status::InvalidArgument("parquet: data page of {} values is too large", page_entries_);
  }

  format::PageHeader header;
  header.type = format::PageType::kDataPage;
  format::DataPageHeader& data = header.data_page_header.emplace();
  data.num_values = static_cast<int32_t>(page_entries_);
  data.encoding = encoding;
  data.statistics = std::move(statistics);

  // The offset index wants the page's first row (relative to the row group) and its span.
  format::PageLocation location;
  location.offset = static_cast<int64_t>(data_pages_.size());
  location.first_row_index = num_rows_;
  O2P_RETURN_IF_ERROR(WritePage(&header, &data_pages_));
  location.compressed_page_size =
      static_cast<int32_t>(static_cast<int64_t>(data_pages_.size()) - location.offset);
  locations_.push_back(location);

  (encoding == format::Encoding::kRleDictionary ? dictionary_pages_ : plain_pages_) += 1;
  num_values_ += static_cast<int64_t>(page_entries_);
  num_rows_ += static_cast<int64_t>(page_rows_);
  def_.clear();
  rep_.clear();
  page_entries_ = 0;
  page_rows_ = 0;
  return Status::Ok();
}

Status PageWriter::WriteDictionaryPage(std::string_view entries, int32_t num_entries) {
  body_.assign(entries);
  format::PageHeader header;
  header.type = format::PageType::kDictionaryPage;
  format::DictionaryPageHeader& dict = header.dictionary_page_header.emplace();
  dict.num_values = num_entries;
  dict.encoding = format::Encoding::kPlain;  // Encodings.md: PLAIN in dictionary pages
  dictionary_page_.clear();
  return WritePage(&header, &dictionary_page_);
}

Status PageWriter::WritePage(format::PageHeader* header, std::string* destination) {
  if (body_.size() > kMaxPageBytes) {
    return Status::InvalidArgument("parquet: page of {} bytes is too large", body_.size());
  }
  O2P_ASSIGN_OR_RETURN(std::string_view compressed, compressor_->Compress(body_));
  if (compressed.size() > kMaxPageBytes) {
    return Status::InvalidArgument("parquet: page of {} bytes is too large", compressed.size());
  }
  header->uncompressed_page_size = static_cast<int32_t>(body_.size());
  header->compressed_page_size = static_cast<int32_t>(compressed.size());
  header_.clear();
  format::ThriftCompactWriter writer(&header_);
  format::Serialize(*header, &writer);

  destination->append(header_);
  destination->append(compressed);
  total_uncompressed_ += static_cast<int64_t>(header_.size() + body_.size());
  total_compressed_ += static_cast<int64_t>(header_.size() + compressed.size());
  return Status::Ok();
}

void PageWriter::Reset() {
  def_.clear();
  rep_.clear();
  page_entries_ = 0;
  page_rows_ = 0;
  data_pages_.clear();
  dictionary_page_.clear();
  locations_.clear();
  num_values_ = 0;
  num_rows_ = 0;
  total_uncompressed_ = 0;
  total_compressed_ = 0;
  plain_pages_ = 0;
  dictionary_pages_ = 0;
}

}  // namespace o2p::parquet
