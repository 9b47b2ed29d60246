// FileWriter: columnar batches in, one Parquet file out.
//
// Call sequence:
//   1. auto writer = FileWriter::Make(schema, options, &sink);   // writes the "PAR1" magic
//   2. writer->Write(batch) any number of times; batches must have `schema`. Row groups are cut
//      by options.row_group_bytes / row_group_rows; pages by options.data_page_bytes.
//   3. writer->Close() flushes the last row group, writes the page index and the footer
//      (FileMetaData, Thrift compact protocol) and returns a summary of what was written.
// After an error the writer is unusable and the sink holds a partial file (callers write to a
// temporary name and publish only after Close() succeeded).
//
// Encoding (see docs/parquet-writer.md): data page v1, RLE/bit-packed levels, RLE_DICTIONARY
// with PLAIN fallback, statistics with TypeDefinedOrder, field_id on every schema element.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/columnar/data_type.h"
#include "o2p/columnar/record_batch.h"
#include "o2p/parquet/writer_options.h"

namespace o2p::parquet {

/// Where file bytes go, in order. Implementations: StringSink here; files and object-store
/// uploads in pipeline/storage code.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status Write(std::string_view bytes) = 0;
};

class StringSink final : public Sink {
 public:
  Status Write(std::string_view bytes) override {
    data_.append(bytes);
    return Status::Ok();
  }
  const std::string& data() const { return data_; }
  std::string Release() { return std::move(data_); }

 private:
  std::string data_;
};

/// Per leaf column, over the whole file: what Iceberg's DataFile needs (value counts, null
/// counts, sizes, bounds). Bounds are in Iceberg's single-value binary form, which for our types
/// equals Parquet's PLAIN encoding of one value (int32/int64/double little-endian, boolean one
/// byte, string the UTF-8 bytes without length prefix).
struct LeafColumnSummary {
  int32_t field_id = -1;
  std::string path;  // dotted: "ResourceAttributes.key_value.key"
  int64_t value_count = 0;  // values including nulls (= number of level entries)
  int64_t null_count = 0;
  int64_t nan_count = 0;  // doubles only
  int64_t compressed_bytes = 0;
  int64_t uncompressed_bytes = 0;
  bool has_bounds = false;  // false when every value was null (or NaN)
  std::string lower_bound;
  std::string upper_bound;
};

struct FileSummary {
  int64_t num_rows = 0;
  int64_t file_bytes = 0;
  int32_t num_row_groups = 0;
  std::vector<int64_t> row_group_offsets;  // file offset of each row group's first page
  std::vector<LeafColumnSummary> columns;
};

class FileWriter {
 public:
  /// Validates the schema (field ids, supported types) and writes the leading magic.
  static Result<std::unique_ptr<FileWriter>> Make(columnar::SchemaPtr schema,
                                                  WriterOptions options, Sink* sink);
  virtual ~FileWriter() = default;

  /// REQUIRES: batch.schema() describes the same fields as the writer's schema.
  virtual Status Write(const columnar::RecordBatch& batch) = 0;
  virtual Result<FileSummary> Close() = 0;
};

/// Convenience: one batch to an in-memory file.
Result<std::string> WriteToString(const columnar::RecordBatch& batch, const WriterOptions& options);

}  // namespace o2p::parquet
