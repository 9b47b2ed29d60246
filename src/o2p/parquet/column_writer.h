// ColumnWriter: one leaf column of the file. It holds the current column chunk in memory
// (pages compressed as they are cut) until the file writer flushes the row group, and keeps the
// leaf's file-wide summary across row groups.
//
// Per row group:
//   1. Write(top, begin, end) for each range of rows (any number of times, any batches);
//   2. FinishChunk() cuts the last page, builds the dictionary page, and returns the chunk;
//   3. the file writer copies chunk.dictionary_page then chunk.data_pages to the sink;
//   4. ResetChunk() before the next row group's Write.
// Summary() may be called at any time after a FinishChunk().
//
// Encoding: RLE_DICTIONARY while the chunk's dictionary stays under
// options.dictionary_max_bytes and pays for itself on the first page; otherwise PLAIN for the
// rest of the chunk (pages already written keep their dictionary indices, as Arrow does).
// Booleans are always PLAIN.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/columnar/column.h"
#include "o2p/parquet/compression/codec.h"
#include "o2p/parquet/file_writer.h"
#include "o2p/parquet/format/metadata.h"
#include "o2p/parquet/schema.h"
#include "o2p/parquet/writer_options.h"

namespace o2p::parquet {

/// A finished column chunk. Views point into the writer and are valid until ResetChunk().
struct ColumnChunkData {
  /// Offsets in `meta` (data_page_offset, dictionary_page_offset) are relative to the chunk's
  /// first byte; the file writer adds the chunk's file offset.
  format::ColumnMetaData meta;
  std::string_view dictionary_page;  // empty when no page used the dictionary
  std::string_view data_pages;
  /// Offsets relative to the first data page (i.e. after the dictionary page).
  std::vector<format::PageLocation> page_locations;
  std::optional<format::ColumnIndex> column_index;
};

class ColumnWriter {
 public:
  virtual ~ColumnWriter() = default;

  /// Encodes rows [row_begin, row_end) of `top`, the batch column the leaf belongs to.
  virtual Status Write(const columnar::Column& top, size_t row_begin, size_t row_end) = 0;
  virtual Result<ColumnChunkData> FinishChunk() = 0;
  virtual void ResetChunk() = 0;
  /// Uncompressed bytes the current chunk will take (pages so far + the open page +
  /// dictionary): what row_group_bytes is compared against.
  virtual size_t EstimatedChunkBytes() const = 0;
  /// Totals over every finished chunk (LeafColumnSummary of file_writer.h).
  virtual LeafColumnSummary Summary() const = 0;
};

/// REQUIRES: `leaf`, `options` and `compressor` outlive the writer.
std::unique_ptr<ColumnWriter> MakeColumnWriter(const LeafColumn& leaf, const WriterOptions& options,
                                               Compressor* compressor);

}  // namespace o2p::parquet
