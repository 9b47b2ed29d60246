#include "o2p/parquet/file_writer.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/matchers.h"
#include "unit/parquet/test_batches.h"
#include "unit/parquet/test_reader.h"

namespace o2p::parquet {
namespace {

using columnar::Field;
using o2p::testing::IsError;
using o2p::testing::IsOk;
using namespace testing;  // the fixtures of test_batches.h and test_reader.h
using ::testing::Each;
using ::testing::ElementsAre;

class AllKindsRoundTrip : public ::testing::TestWithParam<Codec> {};

TEST_P(AllKindsRoundTrip, EveryLeafDecodes) {
  constexpr int kRows = 1000;
  const TestFile file = TestFile::Parse(WriteAllKinds(SmallPages(GetParam()), kRows));
  ASSERT_EQ(file.leaves().size(), kLeafCount);
  EXPECT_EQ(GetInt(file.meta(), 3), kRows);
  const Expected e = ExpectedValues(kRows);

  EXPECT_EQ(file.ReadColumn(kTimestamp).values, e.timestamp);
  const DecodedChunk body = file.ReadColumn(kBody);
  EXPECT_EQ(body.values, e.body);
  EXPECT_EQ(body.def, e.body_def);
  EXPECT_EQ(file.ReadColumn(kFlags).values, e.flags);
  EXPECT_EQ(file.ReadColumn(kCount).values, e.count);
  EXPECT_EQ(file.ReadColumn(kSum).values, e.sum);
  EXPECT_EQ(file.ReadColumn(kIsMonotonic).values, e.monotonic);
  EXPECT_EQ(file.ReadColumn(kAttrKey).values, e.attr_key);
  const DecodedChunk attr_value = file.ReadColumn(kAttrValue);
  EXPECT_EQ(attr_value.values, e.attr_value);
  EXPECT_EQ(attr_value.def, e.attr_value_def);
  EXPECT_EQ(attr_value.rep, e.attr_value_rep);
  EXPECT_EQ(file.ReadColumn(kBucketCounts).values, e.buckets);
  const DecodedChunk event_name = file.ReadColumn(kEventName);
  EXPECT_EQ(event_name.values, e.event_name);
  EXPECT_EQ(event_name.def, e.event_name_def);
  EXPECT_EQ(file.ReadColumn(kScopeVersion).values, e.scope_version);
  EXPECT_THAT(file.ReadColumn(kServiceName).page_encodings, Each(8));  // 3 distinct values
  for (size_t col = 0; col < kLeafCount; ++col) {
    // Pages end close to data_page_bytes (256 here): slices are sized from the measured rate.
    const DecodedChunk chunk = file.ReadChunk(0, col);
    const size_t first_data_page = chunk.dictionary_size >= 0 ? 1 : 0;
    for (size_t p = first_data_page; p < chunk.page_sizes.size(); ++p) {
      EXPECT_LE(chunk.page_sizes[p], 2 * 256) << "leaf " << col << " page " << p;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, AllKindsRoundTrip,
                         ::testing::Values(Codec::kNone, Codec::kSnappy, Codec::kGzip, Codec::kZstd,
                                           Codec::kLz4Raw),
                         CodecTestName);

TEST(FileWriter, FooterMetadata) {
  const TestFile file = TestFile::Parse(WriteAllKinds(SmallPages(Codec::kZstd), 10));
  EXPECT_EQ(GetInt(file.meta(), 1), 1);  // version
  EXPECT_EQ(GetBin(file.meta(), 6), "otlp2parquet version test");
  std::vector<std::pair<std::string, std::string>> kvs;
  for (const auto& kv : GetList(file.meta(), 5))
    kvs.emplace_back(GetBin(kv.S(), 1), GetBin(kv.S(), 2));
  EXPECT_THAT(kvs,
              ElementsAre(std::pair<std::string, std::string>("otlp2parquet.table", "test"),
                          std::pair<std::string, std::string>("override.me", "options"),
                          std::pair<std::string, std::string>("otlp2parquet.version", "test")));
  const auto& orders = GetList(file.meta(), 7);
  ASSERT_EQ(orders.size(), kLeafCount);
  for (const auto& order : orders) EXPECT_TRUE(Has(order.S(), 1));  // TypeDefinedOrder
  const TStruct& chunk = file.column_meta(0, kAttrValue);
  EXPECT_EQ(GetInt(chunk, 4), 6);  // ZSTD
  std::vector<std::string> path;
  for (const auto& part : GetList(chunk, 3)) path.push_back(part.bin);
  EXPECT_THAT(path, ElementsAre("Attributes", "key_value", "value"));
}

TEST(FileWriter, SchemaElementsCarryIdsAndAnnotations) {
  const TestFile file = TestFile::Parse(WriteAllKinds(SmallPages(Codec::kNone), 3));
  const TStruct& root = file.schema()[0].S();
  EXPECT_FALSE(Has(root, 3));
  EXPECT_EQ(GetInt(root, 5), 11);

  const TStruct& ts = Element(file, "Timestamp");
  EXPECT_EQ(GetInt(ts, 1), 2);   // INT64
  EXPECT_EQ(GetInt(ts, 3), 0);   // REQUIRED
  EXPECT_EQ(GetInt(ts, 6), 10);  // TIMESTAMP_MICROS
  EXPECT_EQ(GetInt(ts, 9), 1);   // field id
  const TStruct& timestamp_type = GetStruct(GetStruct(ts, 10), 8);
  EXPECT_TRUE(testing::Get(timestamp_type, 1).b);     // isAdjustedToUTC
  EXPECT_TRUE(Has(GetStruct(timestamp_type, 2), 2));  // MICROS

  const TStruct& flags = Element(file, "Flags");
  EXPECT_EQ(GetInt(flags, 1), 1);   // INT32
  EXPECT_EQ(GetInt(flags, 6), 17);  // INT_32
  EXPECT_EQ(GetInt(GetStruct(GetStruct(flags, 10), 10), 1), 32);

  const TStruct& body = Element(file, "Body");
  EXPECT_EQ(GetInt(body, 1), 6);             // BYTE_ARRAY
  EXPECT_EQ(GetInt(body, 3), 1);             // OPTIONAL
  EXPECT_EQ(GetInt(body, 6), 0);             // UTF8
  EXPECT_TRUE(Has(GetStruct(body, 10), 1));  // STRING

  const TStruct& attributes = Element(file, "Attributes");
  EXPECT_EQ(GetInt(attributes, 6), 1);  // MAP
  EXPECT_TRUE(Has(GetStruct(attributes, 10), 2));
  EXPECT_EQ(GetInt(attributes, 9), 8);
  const TStruct& key_value = Element(file, "key_value");
  EXPECT_EQ(GetInt(key_value, 3), 2);  // REPEATED
  EXPECT_FALSE(Has(key_value, 6));
  EXPECT_FALSE(Has(key_value, 9));  // no Iceberg id on the synthetic group
  const TStruct& key = Element(file, "key");
  EXPECT_EQ(GetInt(key, 3), 0);
  EXPECT_TRUE(Has(key, 9));
  EXPECT_EQ(GetInt(Element(file, "value"), 3), 1);

  const TStruct& buckets = Element(file, "BucketCounts");
  EXPECT_EQ(GetInt(buckets, 6), 3);  // LIST
  const TStruct& list = Element(file, "list");
  EXPECT_EQ(GetInt(list, 3), 2);
  EXPECT_FALSE(Has(list, 9));
  EXPECT_EQ(GetInt(Element(file, "element"), 6), 18);  // INT_64
  EXPECT_FALSE(Has(Element(file, "Scope"), 6));        // plain group

  // Every id is distinct and every non-synthetic element has one.
  std::vector<int64_t> ids;
  for (const auto& e : file.schema()) {
    if (Has(e.S(), 9)) ids.push_back(GetInt(e.S(), 9));
  }
  // Without ids: the root, two `key_value` groups and two `list` groups.
  EXPECT_EQ(ids.size(), file.schema().size() - 5);
}

TEST(FileWriter, RowGroupsAreCutByRows) {
  WriterOptions options = SmallPages(Codec::kSnappy);
  options.row_group_rows = 100;
  const columnar::SchemaPtr schema = AllKindsSchema();
  StringSink sink;
  auto writer = FileWriter::Make(schema, options, &sink);
  ASSERT_THAT(writer, IsOk());
  for (int begin = 0; begin < 250; begin += 70) {
    ASSERT_THAT((*writer)->Write(*MakeBatch(schema, begin, std::min(250, begin + 70))), IsOk());
  }
  auto summary = (*writer)->Close();
  ASSERT_THAT(summary, IsOk());
  const TestFile file = TestFile::Parse(sink.data());
  ASSERT_EQ(file.num_row_groups(), 3u);
  EXPECT_EQ(GetInt(file.row_group(0), 3), 100);
  EXPECT_EQ(GetInt(file.row_group(1), 3), 100);
  EXPECT_EQ(GetInt(file.row_group(2), 3), 50);
  EXPECT_EQ(summary->num_row_groups, 3);
  EXPECT_EQ(summary->num_rows, 250);
  EXPECT_EQ(summary->file_bytes, static_cast<int64_t>(sink.data().size()));
  int64_t compressed = 0;
  for (size_t rg = 0; rg < 3; ++rg) {
    EXPECT_EQ(GetInt(file.row_group(rg), 7), static_cast<int64_t>(rg));  // ordinal
    // file_offset: the first page of the first column chunk.
    const TStruct& first = file.column_meta(rg, 0);
    EXPECT_EQ(GetInt(file.row_group(rg), 5), Has(first, 11) ? GetInt(first, 11) : GetInt(first, 9));
    EXPECT_EQ(summary->row_group_offsets[rg], GetInt(file.row_group(rg), 5));
    int64_t rg_compressed = 0;
    for (size_t col = 0; col < kLeafCount; ++col)
      rg_compressed += GetInt(file.column_meta(rg, col), 7);
    EXPECT_EQ(GetInt(file.row_group(rg), 6), rg_compressed);
    compressed += rg_compressed;
  }
  const Expected e = ExpectedValues(250);
  EXPECT_EQ(file.ReadColumn(kTimestamp).values, e.timestamp);
  EXPECT_EQ(file.ReadColumn(kAttrValue).values, e.attr_value);
  EXPECT_EQ(file.ReadColumn(kEventName).values, e.event_name);
  int64_t summary_compressed = 0;
  for (const auto& c : summary->columns) summary_compressed += c.compressed_bytes;
  EXPECT_EQ(summary_compressed, compressed);
}

TEST(FileWriter, RowGroupsAreCutByBytes) {
  WriterOptions options = SmallPages(Codec::kNone);
  options.row_group_bytes = 8 * 1024;
  const TestFile file = TestFile::Parse(WriteAllKinds(options, 2000, 500));
  EXPECT_GT(file.num_row_groups(), 3u);
  for (size_t rg = 0; rg < file.num_row_groups(); ++rg) {
    EXPECT_LT(GetInt(file.row_group(rg), 2), 3 * options.row_group_bytes);
  }
  EXPECT_EQ(file.ReadColumn(kBody).values, ExpectedValues(2000).body);
}

TEST(FileWriter, SummaryForIceberg) {
  const columnar::SchemaPtr schema = AllKindsSchema();
  StringSink sink;
  auto writer = FileWriter::Make(schema, SmallPages(Codec::kZstd), &sink);
  ASSERT_THAT(writer, IsOk());
  ASSERT_THAT((*writer)->Write(*MakeBatch(schema, 0, 100)), IsOk());
  auto summary = (*writer)->Close();
  ASSERT_THAT(summary, IsOk());
  ASSERT_EQ(summary->columns.size(), kLeafCount);
  const LeafColumnSummary& ts = summary->columns[kTimestamp];
  EXPECT_EQ(ts.field_id, 1);
  EXPECT_EQ(ts.path, "Timestamp");
  EXPECT_EQ(ts.value_count, 100);
  EXPECT_EQ(ts.null_count, 0);
  EXPECT_EQ(testing::RenderPlain(ts.lower_bound, 2), std::to_string(kBaseTime));
  EXPECT_EQ(testing::RenderPlain(ts.upper_bound, 2), std::to_string(kBaseTime + 99));
  const LeafColumnSummary& sum = summary->columns[kSum];
  EXPECT_EQ(sum.nan_count, 14);
  EXPECT_EQ(sum.null_count, 15);
  const LeafColumnSummary& value = summary->columns[kAttrValue];
  EXPECT_EQ(value.path, "Attributes.key_value.value");
  EXPECT_EQ(value.value_count, 133);  // 34 empty maps + 33 one-entry + 33 two-entry maps
  EXPECT_EQ(value.null_count, 67);    // 34 empty maps + 33 null values
  EXPECT_EQ(value.lower_bound, "v1");
  EXPECT_EQ(value.upper_bound, "v98");
  const TestFile file = TestFile::Parse(sink.data());
  EXPECT_EQ(summary->columns[kBody].compressed_bytes, GetInt(file.column_meta(0, kBody), 7));
  EXPECT_EQ(summary->columns[kBody].uncompressed_bytes, GetInt(file.column_meta(0, kBody), 6));
  EXPECT_EQ(value.field_id, GetInt(Element(file, "value"), 9));
}

TEST(FileWriter, EmptyFileIsValid) {
  StringSink sink;
  auto writer = FileWriter::Make(AllKindsSchema(), WriterOptions{}, &sink);
  ASSERT_THAT(writer, IsOk());
  auto summary = (*writer)->Close();
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->num_rows, 0);
  const TestFile file = TestFile::Parse(sink.data());
  EXPECT_EQ(GetInt(file.meta(), 3), 0);
  EXPECT_EQ(file.num_row_groups(), 0u);
  EXPECT_EQ(summary->columns.size(), kLeafCount);
  EXPECT_FALSE(summary->columns[0].has_bounds);
}

TEST(FileWriter, RejectsSchemasWithoutIds) {
  std::vector<Field> fields = {Req("A", columnar::Int32())};
  StringSink sink;
  EXPECT_THAT(FileWriter::Make(std::make_shared<columnar::Schema>(fields), {}, &sink),
              IsError(StatusCode::kInvalidArgument));
  fields[0].field_id = 1;
  fields.push_back(Req("B", columnar::Int32()));
  fields[1].field_id = 1;
  EXPECT_THAT(FileWriter::Make(std::make_shared<columnar::Schema>(fields), {}, &sink),
              IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(FileWriter::Make(std::make_shared<columnar::Schema>(std::vector<Field>{}), {}, &sink),
              IsError(StatusCode::kInvalidArgument));
  WriterOptions zero_pages;
  zero_pages.data_page_bytes = 0;
  EXPECT_THAT(FileWriter::Make(AllKindsSchema(), zero_pages, &sink),
              IsError(StatusCode::kInvalidArgument));
}

TEST(FileWriter, RejectsMismatchedBatchesAndUseAfterClose) {
  StringSink sink;
  auto writer = FileWriter::Make(OneStringColumn(), {}, &sink);
  ASSERT_THAT(writer, IsOk());
  EXPECT_THAT((*writer)->Write(*MakeBatch(AllKindsSchema(), 0, 1)),
              IsError(StatusCode::kInvalidArgument));
  ASSERT_THAT((*writer)->Write(*StringBatch(OneStringColumn(), {"a"})), IsOk());
  ASSERT_THAT((*writer)->Close(), IsOk());
  EXPECT_THAT((*writer)->Write(*StringBatch(OneStringColumn(), {"a"})),
              IsError(StatusCode::kFailedPrecondition));
  EXPECT_THAT((*writer)->Close(), IsError(StatusCode::kFailedPrecondition));
}

// Writes sample files for external readers when O2P_PARQUET_SAMPLE_DIR is set, e.g.
//   O2P_PARQUET_SAMPLE_DIR=/tmp/pq build/.../o2p_parquet_test --gtest_filter='*Sample*'
// and then `SELECT * FROM read_parquet('/tmp/pq/*.parquet')` in DuckDB.
TEST(FileWriter, SampleFilesForExternalReaders) {
  const char* dir = std::getenv("O2P_PARQUET_SAMPLE_DIR");
  if (dir == nullptr) GTEST_SKIP() << "O2P_PARQUET_SAMPLE_DIR not set";
  for (Codec codec : {Codec::kNone, Codec::kSnappy, Codec::kGzip, Codec::kZstd, Codec::kLz4Raw}) {
    WriterOptions options = SmallPages(codec);
    options.row_group_rows = 400;
    std::ofstream(fmt::format("{}/all_kinds_{}.parquet", dir, CodecName(codec)), std::ios::binary)
        << WriteAllKinds(options, 1000);
  }
  // One chunk that starts dictionary-encoded and falls back to PLAIN.
  std::vector<std::string> values;
  for (int i = 0; i < 20000; ++i) {
    values.push_back(i < 5000 ? fmt::format("repeated-{}", i % 10)
                              : fmt::format("unique-{:08}", i));
  }
  WriterOptions options;
  options.data_page_bytes = 4096;
  options.dictionary_max_bytes = 16 * 1024;
  auto fallback = WriteToString(*StringBatch(OneStringColumn(), values), options);
  ASSERT_THAT(fallback, IsOk());
  std::ofstream(fmt::format("{}/dictionary_fallback.parquet", dir), std::ios::binary) << *fallback;
}

}  // namespace
}  // namespace o2p::parquet
