#include "o2p/pipeline/data_file.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/base/coding.h"
#include "o2p/base/macros.h"
#include "o2p/otlp/export_request.h"
#include "o2p/otlp/table_schemas.h"
#include "o2p/parquet/file_writer.h"
#include "o2p/pipeline/iceberg_schema.h"
#include "support/matchers.h"

namespace o2p::pipeline {
namespace {

using o2p::testing::IsError;
using o2p::testing::IsOk;
using ::testing::ElementsAre;

constexpr int64_t kMicrosPerSecond = 1000 * 1000;
constexpr int64_t k20241125T13 = 1732539600LL * kMicrosPerSecond;  // 2024-11-25T13:00:00Z
constexpr int32_t k20241125 = 20052;                               // days since 1970-01-01

struct LogRecord {
  int64_t time_micros = 0;
  std::string body;
};

std::string LogsRequestBytes(const std::vector<LogRecord>& records) {
  opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest request;
  auto* resource_logs = request.add_resource_logs();
  auto* service = resource_logs->mutable_resource()->add_attributes();
  service->set_key("service.name");
  service->mutable_value()->set_string_value("checkout");
  auto* scope_logs = resource_logs->add_scope_logs();
  for (const LogRecord& record : records) {
    auto* log = scope_logs->add_log_records();
    log->set_time_unix_nano(static_cast<uint64_t>(record.time_micros) * 1000);
    log->mutable_body()->set_string_value(record.body);
    auto* attribute = log->add_attributes();
    attribute->set_key("http.method");
    attribute->mutable_value()->set_string_value("GET");
  }
  return request.SerializeAsString();
}

/// A logs file as the pipeline writes one: our schema renumbered to the table's ids (here every
/// id + 100, as a catalog might), written by the real Parquet writer.
struct WrittenFile {
  iceberg::Schema table_schema;
  parquet::FileSummary summary;
};

Result<WrittenFile> WriteLogs(const std::vector<LogRecord>& records, size_t row_group_rows) {
  otlp::TableBatches batches;
  O2P_ASSIGN_OR_RETURN(otlp::ConvertStats stats,
                       otlp::DecodeAndConvert(otlp::Signal::kLogs, otlp::Encoding::kProtobuf,
                                              LogsRequestBytes(records), {}, &batches));
  if (stats.rejected > 0) return Status::Internal("rejected: {}", stats.first_rejection);
  const columnar::SchemaPtr& ours = otlp::TableSchema(otlp::Table::kLogs);
  std::map<int32_t, int32_t> ids;
  for (int32_t id = 1; id <= 26; ++id) ids[id] = id + 100;  // 20 columns + 3 maps' key/value
  O2P_ASSIGN_OR_RETURN(columnar::SchemaPtr file_schema, WithFieldIds(*ours, ids));
  parquet::WriterOptions options;
  options.row_group_rows = row_group_rows;
  parquet::StringSink sink;
  O2P_ASSIGN_OR_RETURN(auto writer, parquet::FileWriter::Make(file_schema, options, &sink));
  O2P_RETURN_IF_ERROR(writer->Write(*batches.Find(otlp::Table::kLogs)));
  O2P_ASSIGN_OR_RETURN(parquet::FileSummary summary, writer->Close());
  return WrittenFile{ToIcebergSchema(*file_schema), std::move(summary)};
}

Result<iceberg::DataFile> LogsDataFile(const std::vector<LogRecord>& records,
                                       size_t row_group_rows = size_t{1} << 20) {
  O2P_ASSIGN_OR_RETURN(WrittenFile file, WriteLogs(records, row_group_rows));
  return MakeDataFile(file.summary, "s3://bucket/logs/data/x.parquet",
                      DayPartitionSpec(file.table_schema), file.table_schema);
}

int32_t TopLevelId(const iceberg::Schema& schema, const std::string& name) {
  for (const auto& field : schema.fields) {
    if (field.name == name) return field.id;
  }
  return -1;
}

void CollectLeafIds(const std::vector<iceberg::NestedField>& fields, std::set<int32_t>* out) {
  for (const auto& field : fields) {
    if (field.type->kind == iceberg::Type::Kind::kPrimitive) out->insert(field.id);
    CollectLeafIds(field.type->children, out);
  }
}

template <typename Map>
std::set<int32_t> KeysOf(const Map& map) {
  std::set<int32_t> keys;
  for (const auto& entry : map) keys.insert(entry.first);
  return keys;
}

std::string Int64Bytes(int64_t value) {
  std::string out;
  PutFixed64(&out, static_cast<uint64_t>(value));
  return out;
}

std::string Repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

// Timestamp 101, ServiceName 102, Body 117, ResourceAttributes 105 with key/value 121/122.
constexpr int32_t kTimestampId = 101;
constexpr int32_t kServiceNameId = 102;
constexpr int32_t kBodyId = 117;
constexpr int32_t kResourceKeyId = 121;
constexpr int32_t kResourceValueId = 122;

TEST(MakeDataFileTest, CountsSizesAndSplitsOfARealFile) {
  std::vector<LogRecord> records;
  for (int i = 0; i < 5; ++i) records.push_back({k20241125T13 + i * kMicrosPerSecond, "body"});
  Result<WrittenFile> written = WriteLogs(records, /*row_group_rows=*/2);
  ASSERT_THAT(written, IsOk());
  const iceberg::Schema& schema = written->table_schema;
  ASSERT_EQ(TopLevelId(schema, "Timestamp"), kTimestampId);
  ASSERT_EQ(TopLevelId(schema, "Body"), kBodyId);
  Result<iceberg::DataFile> file =
      MakeDataFile(written->summary, "s3://b/x.parquet", DayPartitionSpec(schema), schema);
  ASSERT_THAT(file, IsOk());

  EXPECT_EQ(file->file_path, "s3://b/x.parquet");
  EXPECT_EQ(file->file_format, "PARQUET");
  EXPECT_EQ(file->record_count, 5);
  EXPECT_EQ(file->file_size_in_bytes, written->summary.file_bytes);
  // Three row groups (2 + 2 + 1 rows); the first starts right after the "PAR1" magic.
  ASSERT_EQ(file->split_offsets.size(), 3U);
  EXPECT_EQ(file->split_offsets[0], 4);
  EXPECT_TRUE(std::is_sorted(file->split_offsets.begin(), file->split_offsets.end()));
  EXPECT_LT(file->split_offsets.back(), file->file_size_in_bytes);

  // Counts and sizes for every leaf, nested ones included, keyed by the table's ids.
  std::set<int32_t> leaves;
  CollectLeafIds(schema.fields, &leaves);
  EXPECT_EQ(KeysOf(file->column_sizes), leaves);
  EXPECT_EQ(KeysOf(file->value_counts), leaves);
  EXPECT_EQ(KeysOf(file->null_value_counts), leaves);
  EXPECT_TRUE(file->nan_value_counts.empty());  // logs have no double column
  int64_t column_bytes = 0;
  for (const auto& [id, bytes] : file->column_sizes) column_bytes += bytes;
  EXPECT_GT(column_bytes, 0);
  EXPECT_LT(column_bytes, file->file_size_in_bytes);
  EXPECT_EQ(file->value_counts.at(kTimestampId), 5);
  EXPECT_EQ(file->null_value_counts.at(kTimestampId), 0);
  EXPECT_EQ(file->null_value_counts.at(TopLevelId(schema, "ObservedTimestamp")), 5);
  EXPECT_EQ(file->value_counts.at(kResourceKeyId), 5);  // one service.name entry per row

  // Bounds: top-level primitives only; none for map keys/values or all-null columns.
  EXPECT_EQ(file->lower_bounds.at(kTimestampId), Int64Bytes(k20241125T13));
  EXPECT_EQ(file->upper_bounds.at(kTimestampId), Int64Bytes(k20241125T13 + 4 * kMicrosPerSecond));
  EXPECT_EQ(file->lower_bounds.at(kServiceNameId), "checkout");
  EXPECT_EQ(file->upper_bounds.at(kServiceNameId), "checkout");
  EXPECT_EQ(file->lower_bounds.count(kResourceKeyId), 0U);
  EXPECT_EQ(file->upper_bounds.count(kResourceValueId), 0U);
  EXPECT_EQ(file->lower_bounds.count(TopLevelId(schema, "ObservedTimestamp")), 0U);
  EXPECT_EQ(KeysOf(file->lower_bounds), KeysOf(file->upper_bounds));

  EXPECT_THAT(file->partition, ElementsAre(k20241125));
  EXPECT_FALSE(file->sort_order_id.has_value());
}

TEST(MakeDataFileTest, TruncatesAsciiStringBoundsTo16Characters) {
  Result<iceberg::DataFile> file = LogsDataFile(
      {{k20241125T13, "alpha-0123456789-long-tail"}, {k20241125T13, "zulu-0123456789-long-tail"}});
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->lower_bounds.at(kBodyId), "alpha-0123456789");
  EXPECT_EQ(file->upper_bounds.at(kBodyId), "zulu-0123456789.");  // '-' + 1
}

TEST(MakeDataFileTest, TruncatesMultiByteStringsAtCodePoints) {
  // The lower value's 16th byte falls inside an 'ä' (2 bytes); the upper one is 3-byte CJK.
  const std::string lower = "a" + Repeat("\u00e4", 20);
  const std::string upper =
      "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u306f\u3053\u3053"
      "\u3067\u5341\u516d\u6587\u5b57\u3092\u8d85\u3048\u307e\u3059";
  Result<iceberg::DataFile> file = LogsDataFile({{k20241125T13, lower}, {k20241125T13, upper}});
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->lower_bounds.at(kBodyId), "a" + Repeat("\u00e4", 15));
  // 16 code points, the last (U+5B57) incremented to U+5B58.
  EXPECT_EQ(file->upper_bounds.at(kBodyId),
            "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u306f\u3053\u3053\u3067\u5341\u516d"
            "\u6587\u5b58");
}

TEST(MakeDataFileTest, DropsTheUpperBoundWhenNoCodePointCanBeIncremented) {
  const std::string max_chars = Repeat("\U0010FFFF", 20);
  Result<iceberg::DataFile> file = LogsDataFile({{k20241125T13, max_chars}});
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->lower_bounds.at(kBodyId), Repeat("\U0010FFFF", 16));
  EXPECT_EQ(file->upper_bounds.count(kBodyId), 0U);
  EXPECT_EQ(file->upper_bounds.count(kServiceNameId), 1U);  // other columns keep theirs
}

TEST(MakeDataFileTest, RejectsAFileThatSpansTwoDays) {
  const int64_t midnight = (int64_t{k20241125} + 1) * 86400 * kMicrosPerSecond;
  EXPECT_THAT(LogsDataFile({{midnight - 1, "late"}, {midnight, "early"}}),
              IsError(StatusCode::kFailedPrecondition));
  EXPECT_THAT(LogsDataFile({{midnight - 1, "late"}, {midnight - 86400 * kMicrosPerSecond, "x"}}),
              IsOk());
}

TEST(MakeDataFileTest, PartitionEdgeCases) {
  Result<WrittenFile> written = WriteLogs({{k20241125T13, "x"}}, size_t{1} << 20);
  ASSERT_THAT(written, IsOk());
  const iceberg::Schema& schema = written->table_schema;
  const auto make = [&](iceberg::PartitionSpec spec) {
    return MakeDataFile(written->summary, "s3://b/x.parquet", spec, schema);
  };
  // Unpartitioned: an empty tuple.
  Result<iceberg::DataFile> unpartitioned = make({});
  ASSERT_THAT(unpartitioned, IsOk());
  EXPECT_TRUE(unpartitioned->partition.empty());
  // A source column whose values are all null gives a null partition value.
  iceberg::PartitionSpec observed{0, {{TopLevelId(schema, "ObservedTimestamp"), 1000, "o", "day"}}};
  Result<iceberg::DataFile> null_partition = make(observed);
  ASSERT_THAT(null_partition, IsOk());
  EXPECT_THAT(null_partition->partition, ElementsAre(std::nullopt));
  // hour(Timestamp) works too; other transforms and non-timestamp sources do not.
  Result<iceberg::DataFile> hourly = make({0, {{kTimestampId, 1000, "h", "hour"}}});
  ASSERT_THAT(hourly, IsOk());
  EXPECT_THAT(hourly->partition, ElementsAre(k20241125T13 / (3600 * kMicrosPerSecond)));
  EXPECT_THAT(make({0, {{kTimestampId, 1000, "b", "bucket[16]"}}}),
              IsError(StatusCode::kUnimplemented));
  EXPECT_THAT(make({0, {{kServiceNameId, 1000, "s", "day"}}}),
              IsError(StatusCode::kFailedPrecondition));
}

TEST(MakeDataFileTest, RejectsLeafIdsTheTableSchemaLacks) {
  Result<WrittenFile> written = WriteLogs({{k20241125T13, "x"}}, size_t{1} << 20);
  ASSERT_THAT(written, IsOk());
  iceberg::Schema narrower = written->table_schema;
  narrower.fields.pop_back();
  EXPECT_THAT(MakeDataFile(written->summary, "s3://b/x.parquet", {}, narrower),
              IsError(StatusCode::kFailedPrecondition));
}

// --- Bounds of other types, from a hand-made summary -------------------------------------------

iceberg::NestedField Primitive(int32_t id, std::string name, std::string type) {
  auto t = std::make_shared<iceberg::Type>();
  t->primitive = std::move(type);
  return {id, std::move(name), false, t, ""};
}

TEST(MakeDataFileTest, WidensIntBoundsForLongColumnsAndCountsNaNs) {
  // Table: Count long (we write int: an allowed promotion), Value double, Samples list<double>.
  iceberg::Schema table;
  table.fields = {Primitive(1, "Count", "long"), Primitive(2, "Value", "double")};
  auto list = std::make_shared<iceberg::Type>();
  list->kind = iceberg::Type::Kind::kList;
  list->children = {Primitive(4, "element", "double")};
  table.fields.push_back({3, "Samples", true, list, ""});

  parquet::FileSummary summary;
  summary.num_rows = 3;
  std::string minus_two;
  std::string seven;
  PutFixed32(&minus_two, static_cast<uint32_t>(-2));
  PutFixed32(&seven, 7);
  summary.columns.push_back({1, "Count", 3, 0, 0, 10, 10, true, minus_two, seven});
  summary.columns.push_back({2, "Value", 3, 1, 1, 10, 10, true, "12345678", "23456789"});
  summary.columns.push_back({4, "Samples.list.element", 6, 0, 2, 10, 10, true, "12345678", "2"});
  Result<iceberg::DataFile> file = MakeDataFile(summary, "f", {}, table);
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->lower_bounds.at(1), Int64Bytes(-2));
  EXPECT_EQ(file->upper_bounds.at(1), Int64Bytes(7));
  EXPECT_EQ(file->nan_value_counts, (std::map<int32_t, int64_t>{{2, 1}, {4, 2}}));
  EXPECT_EQ(file->lower_bounds.count(4), 0U);  // inside a list
  EXPECT_EQ(file->value_counts.at(4), 6);

  summary.columns[1].lower_bound = "1234";  // a double bound must have 8 bytes
  EXPECT_THAT(MakeDataFile(summary, "f", {}, table), IsError(StatusCode::kFailedPrecondition));
}

// --- Truncation helpers -----------------------------------------------------------------------

TEST(TruncateBoundTest, ShortValuesStayExact) {
  EXPECT_EQ(TruncateLowerBound("", 16), "");
  EXPECT_EQ(TruncateUpperBound("", 16), "");
  EXPECT_EQ(TruncateLowerBound("0123456789abcdef", 16), "0123456789abcdef");
  EXPECT_EQ(TruncateUpperBound("0123456789abcdef", 16), "0123456789abcdef");
  // 16 code points in 48 bytes need no cut either.
  EXPECT_EQ(TruncateUpperBound(Repeat("\u20ac", 16), 16), Repeat("\u20ac", 16));
}

TEST(TruncateBoundTest, UpperBoundIncrementsTheLastCodePointThatCan) {
  EXPECT_EQ(TruncateUpperBound("abcz-and-more", 4), "abc{");
  EXPECT_EQ(TruncateUpperBound("ab\u00ff-and-more", 3), "ab\u0100");    // 2-byte grows past 0xFF
  EXPECT_EQ(TruncateUpperBound("a\u07ff-and-more", 2), "a\u0800");      // 2 bytes -> 3 bytes
  EXPECT_EQ(TruncateUpperBound("a\uffff-and-more", 2), "a\U00010000");  // 3 bytes -> 4 bytes
  EXPECT_EQ(TruncateUpperBound("a\ud7ff-and-more", 2), "a\ue000");      // skips the surrogates
  // As Java's UnicodeUtil.truncateStringMax: U+10FFFF cannot grow, so the one before it does.
  EXPECT_EQ(TruncateUpperBound("a" + Repeat("\U0010FFFF", 20), 16), "b");
  EXPECT_EQ(TruncateUpperBound(Repeat("\U0010FFFF", 17), 16), std::nullopt);
}

TEST(TruncateBoundTest, InvalidUtf8IsNeverSplitIntoABadUpperBound) {
  const std::string broken = "abc\xff" + Repeat("z", 20);
  EXPECT_EQ(TruncateLowerBound(broken, 16), "abc");
  EXPECT_EQ(TruncateUpperBound(broken, 16), std::nullopt);
}

}  // namespace
}  // namespace o2p::pipeline
