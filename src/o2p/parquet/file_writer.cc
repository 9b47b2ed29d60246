// FileWriter: row groups, page index and footer. File layout (parquet-format README, "File
// Format"; PageIndex.md):
//
//   "PAR1"
//   row group 0: column chunk 0 ([dictionary page] data pages...), column chunk 1, ...
//   row group 1: ...
//   ColumnIndex of every chunk (row group major), then OffsetIndex of every chunk
//   FileMetaData (thrift compact) | 4-byte LE footer length | "PAR1"
//
// A row group is buffered in memory (each column writer holds its compressed pages) and
// written to the sink in one go when it reaches options.row_group_rows or
// options.row_group_bytes, or at Close(). Rows are fed to the column writers in windows so
// the byte limit is checked every few thousand rows even when one batch is large.
#include "o2p/parquet/file_writer.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "o2p/base/coding.h"
#include "o2p/base/macros.h"
#include "o2p/parquet/column_writer.h"
#include "o2p/parquet/compression/codec.h"
#include "o2p/parquet/format/metadata.h"
#include "o2p/parquet/format/thrift_compact_writer.h"
#include "o2p/parquet/schema.h"

namespace o2p::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr std::string_view kDefaultCreatedBy = "otlp2parquet";
constexpr size_t kFirstWindowRows = 64;
constexpr size_t kMaxWindowRows = 65536;

bool SameType(const columnar::DataType& a, const columnar::DataType& b) {
  if (&a == &b) return true;
  if (a.id() != b.id() || a.children().size() != b.children().size()) return false;
  for (size_t i = 0; i < a.children().size(); ++i) {
    const columnar::Field& fa = a.children()[i];
    const columnar::Field& fb = b.children()[i];
    if (fa.nullable != fb.nullable || !SameType(*fa.type, *fb.type)) return false;
  }
  return true;
}

/// FileMetaData.key_value_metadata: the schema's pairs, then the options' pairs; a repeated
/// key replaces the earlier value in place.
std::vector<format::KeyValue> MergeKeyValues(
    const std::vector<std::pair<std::string, std::string>>& first,
    const std::vector<std::pair<std::string, std::string>>& second) {
  std::vector<format::KeyValue> out;
  for (const auto* list : {&first, &second}) {
    for (const auto& pair : *list) {
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const format::KeyValue& kv) { return kv.key == pair.first; });
      if (it != out.end()) {
        it->value = pair.second;
      } else {
        out.push_back({pair.first, pair.second});
      }
    }
  }
  return out;
}

Status ValidateOptions(const WriterOptions& options) {
  if (options.data_page_bytes == 0 || options.row_group_bytes == 0 || options.row_group_rows == 0) {
    return Status::InvalidArgument(
        "parquet: data_page_bytes, row_group_bytes and row_group_rows must be positive");
  }
  return Status::Ok();
}

class FileWriterImpl final : public FileWriter {
 public:
  FileWriterImpl(columnar::SchemaPtr schema, WriterOptions options, Sink* sink,
                 ParquetSchema parquet_schema, std::unique_ptr<Compressor> compressor)
      : schema_(std::move(schema)),
        options_(std::move(options)),
        sink_(sink),
        parquet_schema_(std::move(parquet_schema)),
        compressor_(std::move(compressor)) {
    for (const LeafColumn& leaf : parquet_schema_.leaves) {
      columns_.push_back(MakeColumnWriter(leaf, options_, compressor_.get()));
    }
  }

  Status Start() { return Append(kMagic); }
  Status Write(const columnar::RecordBatch& batch) override;
  Result<FileSummary> Close() override;

 private:
  /// The serialized page index of one column chunk, written after the last row group.
  struct PendingIndex {
    std::optional<std::string> column_index;
    std::string offset_index;
  };

  Status CheckUsable() const;
  Status CheckBatch(const columnar::RecordBatch& batch) const;
  Status WriteBatch(const columnar::RecordBatch& batch);
  size_t NextWindowRows() const;
  size_t BufferedBytes() const;
  Status FlushRowGroup();
  Status WriteColumnChunk(ColumnWriter* writer, format::RowGroup* row_group,
                          std::vector<PendingIndex>* indexes);
  Status WritePageIndexes();
  Status WriteFooter();
  FileSummary MakeSummary() const;
  Status Append(std::string_view bytes);

  columnar::SchemaPtr schema_;
  WriterOptions options_;
  Sink* sink_;
  ParquetSchema parquet_schema_;
  std::unique_ptr<Compressor> compressor_;
  std::vector<std::unique_ptr<ColumnWriter>> columns_;

  int64_t offset_ = 0;         // bytes written to the sink so far
  size_t row_group_rows_ = 0;  // rows buffered in the open row group
  int64_t total_rows_ = 0;
  std::vector<format::RowGroup> row_groups_;
  std::vector<std::vector<PendingIndex>> page_indexes_;  // [row group][leaf]
  bool failed_ = false;
  bool closed_ = false;
};

Status FileWriterImpl::Append(std::string_view bytes) {
  O2P_RETURN_IF_ERROR(sink_->Write(bytes));
  offset_ += static_cast<int64_t>(bytes.size());
  return Status::Ok();
}

Status FileWriterImpl::CheckUsable() const {
  if (closed_) return {StatusCode::kFailedPrecondition, "parquet: the writer is closed"};
  if (failed_) {
    return {StatusCode::kFailedPrecondition, "parquet: the writer failed earlier and is unusable"};
  }
  return Status::Ok();
}

Status FileWriterImpl::CheckBatch(const columnar::RecordBatch& batch) const {
  const columnar::Schema& expected = *schema_;
  if (batch.num_columns() != expected.num_fields()) {
    return Status::InvalidArgument("parquet: batch has {} columns, the file {}",
                                   batch.num_columns(), expected.num_fields());
  }
  for (size_t i = 0; i < batch.num_columns(); ++i) {
    const columnar::Column& column = batch.column(i);
    const columnar::Field& field = expected.field(i);
    if (column.nullable() != field.nullable || !SameType(*column.type(), *field.type)) {
      return Status::InvalidArgument("parquet: batch column {} ('{}') does not match the schema", i,
                                     field.name);
    }
    if (column.size() != batch.num_rows()) {
      return Status::InvalidArgument("parquet: batch column '{}' has {} rows, the batch {}",
                                     field.name, column.size(), batch.num_rows());
    }
  }
  return Status::Ok();
}

Status FileWriterImpl::Write(const columnar::RecordBatch& batch) {
  O2P_RETURN_IF_ERROR(CheckUsable());
  O2P_RETURN_IF_ERROR(CheckBatch(batch));
  Status status = WriteBatch(batch);
  if (!status.ok()) failed_ = true;
  return status;
}

Status FileWriterImpl::WriteBatch(const columnar::RecordBatch& batch) {
  size_t row = 0;
  while (row < batch.num_rows()) {
    const size_t end = std::min(batch.num_rows(), row + NextWindowRows());
    for (size_t i = 0; i < columns_.size(); ++i) {
      const columnar::Column& top = batch.column(parquet_schema_.leaves[i].path.top_level_index);
      O2P_RETURN_IF_ERROR(columns_[i]->Write(top, row, end));
    }
    row_group_rows_ += end - row;
    row = end;
    if (row_group_rows_ >= options_.row_group_rows || BufferedBytes() >= options_.row_group_bytes) {
      O2P_RETURN_IF_ERROR(FlushRowGroup());
    }
  }
  return Status::Ok();
}

size_t FileWriterImpl::BufferedBytes() const {
  size_t total = 0;
  for (const auto& column : columns_) total += column->EstimatedChunkBytes();
  return total;
}

size_t FileWriterImpl::NextWindowRows() const {
  const size_t rows_left = options_.row_group_rows - row_group_rows_;
  size_t window = kFirstWindowRows;
  if (row_group_rows_ > 0) {
    const size_t buffered = BufferedBytes();
    const size_t per_row = std::max<size_t>(1, buffered / row_group_rows_);
    const size_t room =
        options_.row_group_bytes > buffered ? options_.row_group_bytes - buffered : 0;
    window = room / per_row + 1;
  }
  return std::clamp<size_t>(std::min(window, rows_left), 1, kMaxWindowRows);
}

Status FileWriterImpl::WriteColumnChunk(ColumnWriter* writer, format::RowGroup* row_group,
                                        std::vector<PendingIndex>* indexes) {
  O2P_ASSIGN_OR_RETURN(ColumnChunkData chunk, writer->FinishChunk());
  const int64_t chunk_start = offset_;
  O2P_RETURN_IF_ERROR(Append(chunk.dictionary_page));
  O2P_RETURN_IF_ERROR(Append(chunk.data_pages));

  format::ColumnChunk& column = row_group->columns.emplace_back();
  column.meta_data = std::move(chunk.meta);
  column.meta_data.data_page_offset += chunk_start;
  if (column.meta_data.dictionary_page_offset) {
    *column.meta_data.dictionary_page_offset += chunk_start;
  }
  row_group->total_byte_size += column.meta_data.total_uncompressed_size;
  row_group->total_compressed_size += column.meta_data.total_compressed_size;

  PendingIndex& index = indexes->emplace_back();
  format::OffsetIndex offset_index;
  offset_index.page_locations = std::move(chunk.page_locations);
  for (format::PageLocation& location : offset_index.page_locations) {
    location.offset += column.meta_data.data_page_offset;
  }
  if (options_.page_index) index.offset_index = format::SerializeToString(offset_index);
  if (chunk.column_index) index.column_index = format::SerializeToString(*chunk.column_index);
  writer->ResetChunk();
  return Status::Ok();
}

Status FileWriterImpl::FlushRowGroup() {
  if (row_group_rows_ == 0) return Status::Ok();
  format::RowGroup& row_group = row_groups_.emplace_back();
  row_group.num_rows = static_cast<int64_t>(row_group_rows_);
  row_group.file_offset = offset_;
  if (row_groups_.size() <= 32768) row_group.ordinal = static_cast<int16_t>(row_groups_.size() - 1);
  std::vector<PendingIndex>& indexes = page_indexes_.emplace_back();
  for (auto& column : columns_) {
    O2P_RETURN_IF_ERROR(WriteColumnChunk(column.get(), &row_group, &indexes));
  }
  total_rows_ += static_cast<int64_t>(row_group_rows_);
  row_group_rows_ = 0;
  return Status::Ok();
}

Status FileWriterImpl::WritePageIndexes() {
  if (!options_.page_index) return Status::Ok();
  // PageIndex.md: column indexes of all chunks first, then all offset indexes, so that a
  // reader fetches each kind with one read.
  for (size_t rg = 0; rg < row_groups_.size(); ++rg) {
    for (size_t col = 0; col < page_indexes_[rg].size(); ++col) {
      const std::optional<std::string>& column_index = page_indexes_[rg][col].column_index;
      if (!column_index) continue;
      format::ColumnChunk& chunk = row_groups_[rg].columns[col];
      chunk.column_index_offset = offset_;
      chunk.column_index_length = static_cast<int32_t>(column_index->size());
      O2P_RETURN_IF_ERROR(Append(*column_index));
    }
  }
  for (size_t rg = 0; rg < row_groups_.size(); ++rg) {
    for (size_t col = 0; col < page_indexes_[rg].size(); ++col) {
      const std::string& offset_index = page_indexes_[rg][col].offset_index;
      format::ColumnChunk& chunk = row_groups_[rg].columns[col];
      chunk.offset_index_offset = offset_;
      chunk.offset_index_length = static_cast<int32_t>(offset_index.size());
      O2P_RETURN_IF_ERROR(Append(offset_index));
    }
  }
  return Status::Ok();
}

Status FileWriterImpl::WriteFooter() {
  format::FileMetaData file;
  file.version = 1;  // parquet.thrift FileMetaData.version: "writers should always populate 1"
  file.schema = parquet_schema_.elements;
  file.num_rows = total_rows_;
  file.row_groups = row_groups_;
  file.key_value_metadata = MergeKeyValues(schema_->metadata(), options_.key_value_metadata);
  file.created_by =
      options_.created_by.empty() ? std::string(kDefaultCreatedBy) : options_.created_by;
  // Without column_orders min_value/max_value are undefined (parquet.thrift FileMetaData.7).
  file.num_type_defined_orders = static_cast<int32_t>(parquet_schema_.leaves.size());

  std::string footer;
  format::ThriftCompactWriter writer(&footer);
  format::Serialize(file, &writer);
  PutFixed32(&footer, static_cast<uint32_t>(footer.size()));
  footer.append(kMagic);
  return Append(footer);
}

FileSummary FileWriterImpl::MakeSummary() const {
  FileSummary summary;
  summary.num_rows = total_rows_;
  summary.file_bytes = offset_;
  summary.num_row_groups = static_cast<int32_t>(row_groups_.size());
  for (const format::RowGroup& row_group : row_groups_) {
    summary.row_group_offsets.push_back(row_group.file_offset);
  }
  for (const auto& column : columns_) summary.columns.push_back(column->Summary());
  return summary;
}

Result<FileSummary> FileWriterImpl::Close() {
  O2P_RETURN_IF_ERROR(CheckUsable());
  Status status = FlushRowGroup();
  if (status.ok()) status = WritePageIndexes();
  if (status.ok()) status = WriteFooter();
  if (!status.ok()) {
    failed_ = true;
    return status;
  }
  closed_ = true;
  return MakeSummary();
}

}  // namespace

Result<std::unique_ptr<FileWriter>> FileWriter::Make(columnar::SchemaPtr schema,
                                                     WriterOptions options, Sink* sink) {
  if (schema == nullptr || sink == nullptr) {
    return Status::InvalidArgument("parquet: FileWriter needs a schema and a sink");
  }
  O2P_RETURN_IF_ERROR(ValidateOptions(options));
  O2P_ASSIGN_OR_RETURN(ParquetSchema parquet_schema, BuildParquetSchema(*schema));
  O2P_ASSIGN_OR_RETURN(std::unique_ptr<Compressor> compressor,
                       MakeCompressor(options.codec, options.compression_level));
  auto writer = std::make_unique<FileWriterImpl>(std::move(schema), std::move(options), sink,
                                                 std::move(parquet_schema), std::move(compressor));
  O2P_RETURN_IF_ERROR(writer->Start());
  return std::unique_ptr<FileWriter>(std::move(writer));
}

Result<std::string> WriteToString(const columnar::RecordBatch& batch,
                                  const WriterOptions& options) {
  StringSink sink;
  O2P_ASSIGN_OR_RETURN(std::unique_ptr<FileWriter> writer,
                       FileWriter::Make(batch.schema(), options, &sink));
  O2P_RETURN_IF_ERROR(writer->Write(batch));
  O2P_RETURN_IF_ERROR(writer->Close());
  return sink.Release();
}

}  // namespace o2p::parquet
