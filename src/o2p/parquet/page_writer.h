// PageWriter: turns buffered levels plus encoded values into compressed pages of one column
// chunk, in memory, and keeps what the chunk's metadata needs (sizes, page locations for the
// offset index, encodings used). It knows nothing about value types; the typed column writer
// (column_writer.cc) encodes values and decides when to cut a page.
//
// Page layout (data page v1, parquet.thrift DataPageHeader):
//   PageHeader (thrift compact) | compressed( [rep levels] [def levels] values )
// where each level block is a 4-byte length plus the RLE/bit-packed hybrid, present only when
// the column's max level is above 0 (Encodings.md; levels are never written for a required
// top-level column).
//
// Per chunk:
//   1. AddLevels(...) for every slice of rows; WriteDataPage(values, encoding, stats) to cut.
//   2. WriteDictionaryPage(entries) once, at the end, if any page used the dictionary: it is
//      stored apart and the file writer puts it first in the chunk, as the format requires.
//   3. The file writer copies dictionary_page() then data_pages() to the sink, then Reset().
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/status.h"
#include "o2p/parquet/compression/codec.h"
#include "o2p/parquet/format/metadata.h"

namespace o2p::parquet {

class PageWriter {
 public:
  PageWriter(int16_t max_def_level, int16_t max_rep_level, Compressor* compressor);

  /// Buffers the levels of the next `num_rows` rows (`num_entries` level entries). `def` and
  /// `rep` are empty when the corresponding max level is 0.
  void AddLevels(std::span<const int16_t> def, std::span<const int16_t> rep, size_t num_entries,
                 size_t num_rows);

  size_t buffered_entries() const { return page_entries_; }
  size_t buffered_rows() const { return page_rows_; }
  /// About how many bytes the buffered levels will take encoded.
  size_t EstimatedLevelBytes() const { return page_entries_ * level_bits_ / 8; }

  /// Writes one data page from the buffered levels and the encoded `values`, and clears the
  /// levels. REQUIRES: buffered_entries() > 0.
  Status WriteDataPage(std::string_view values, format::Encoding encoding,
                       std::optional<format::Statistics> statistics);
  /// Writes the dictionary page (PLAIN entries).
  Status WriteDictionaryPage(std::string_view entries, int32_t num_entries);

  std::string_view dictionary_page() const { return dictionary_page_; }
  std::string_view data_pages() const { return data_pages_; }
  /// Offsets are relative to the start of data_pages().
  const std::vector<format::PageLocation>& page_locations() const { return locations_; }
  int64_t num_values() const { return num_values_; }
  int64_t num_rows() const { return num_rows_; }
  /// Headers included, dictionary page included (ColumnMetaData fields 6 and 7).
  int64_t total_uncompressed_size() const { return total_uncompressed_; }
  int64_t total_compressed_size() const { return total_compressed_; }
  int32_t plain_data_pages() const { return plain_pages_; }
  int32_t dictionary_data_pages() const { return dictionary_pages_; }

  /// Forgets the chunk (buffers keep their capacity).
  void Reset();

 private:
  Status WritePage(format::PageHeader* header, std::string* destination);

  int16_t max_def_level_;
  int16_t max_rep_level_;
  size_t level_bits_;
  Compressor* compressor_;

  std::vector<int16_t> def_;
  std::vector<int16_t> rep_;
  size_t page_entries_ = 0;
  size_t page_rows_ = 0;

  std::string body_;    // scratch: uncompressed page body
  std::string header_;  // scratch: serialized PageHeader
  std::string data_pages_;
  std::string dictionary_page_;
  std::vector<format::PageLocation> locations_;
  int64_t num_values_ = 0;
  int64_t num_rows_ = 0;
  int64_t total_uncompressed_ = 0;
  int64_t total_compressed_ = 0;
  int32_t plain_pages_ = 0;
  int32_t dictionary_pages_ = 0;
};

}  // namespace o2p::parquet
