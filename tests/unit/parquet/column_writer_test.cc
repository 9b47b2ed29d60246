#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/parquet/file_writer.h"
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
using ::testing::IsEmpty;

// Column-chunk behaviour seen through whole files: dictionary and fallback, statistics,
// page index.

TEST(FileWriter, DictionaryFallsBackToPlainWhenItGrowsTooLarge) {
  // The first 600 rows repeat ten values (the dictionary pays off on the first page); then
  // every value is new until the dictionary passes 4 KiB and the chunk switches to PLAIN.
  std::vector<std::string> values;
  for (int i = 0; i < 600; ++i) values.push_back(fmt::format("repeated-{}", i % 10));
  for (int i = 0; i < 1000; ++i) values.push_back(fmt::format("distinct-value-number-{:06}", i));
  WriterOptions options;
  options.data_page_bytes = 512;
  options.dictionary_max_bytes = 4096;
  auto bytes = WriteToString(*StringBatch(OneStringColumn(), values), options);
  ASSERT_THAT(bytes, IsOk());
  const TestFile file = TestFile::Parse(*bytes);
  const DecodedChunk chunk = file.ReadChunk(0, 0);
  EXPECT_EQ(chunk.values, values);
  ASSERT_GE(chunk.page_encodings.size(), 3u);
  EXPECT_EQ(chunk.page_encodings.front(), 8);  // RLE_DICTIONARY
  EXPECT_EQ(chunk.page_encodings.back(), 0);   // PLAIN
  EXPECT_TRUE(std::is_sorted(chunk.page_encodings.rbegin(), chunk.page_encodings.rend()));
  EXPECT_GT(chunk.dictionary_size, 10);

  const TStruct& meta = file.column_meta(0, 0);
  std::vector<int64_t> encodings;
  for (const auto& e : GetList(meta, 2)) encodings.push_back(e.i);
  EXPECT_THAT(encodings, ElementsAre(0, 3, 8));
  const auto& stats = GetList(meta, 13);  // encoding_stats
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(GetInt(stats[0].S(), 1), 2);  // DICTIONARY_PAGE, PLAIN, 1
  EXPECT_EQ(GetInt(stats[0].S(), 3), 1);
  const auto dict_pages = std::count(chunk.page_encodings.begin(), chunk.page_encodings.end(), 8);
  EXPECT_EQ(GetInt(stats[1].S(), 3), dict_pages);
  EXPECT_EQ(GetInt(stats[2].S(), 2), 0);
  EXPECT_EQ(GetInt(stats[2].S(), 3),
            static_cast<int64_t>(chunk.page_encodings.size()) - dict_pages);
  EXPECT_EQ(GetInt(meta, 11), 4);  // dictionary page right after the magic
}

TEST(FileWriter, UniqueValuesAbandonTheDictionaryAfterTheFirstPage) {
  std::vector<std::string> values;
  for (int i = 0; i < 20000; ++i) values.push_back(fmt::format("{:032x}", i * 7919));
  WriterOptions options;
  options.data_page_bytes = 4096;
  auto bytes = WriteToString(*StringBatch(OneStringColumn(), values), options);
  ASSERT_THAT(bytes, IsOk());
  const DecodedChunk chunk = TestFile::Parse(*bytes).ReadChunk(0, 0);
  EXPECT_EQ(chunk.values, values);
  ASSERT_GT(chunk.page_encodings.size(), 2u);
  EXPECT_EQ(chunk.page_encodings[0], 8);
  EXPECT_THAT(std::vector<int32_t>(chunk.page_encodings.begin() + 1, chunk.page_encodings.end()),
              Each(0));
}

TEST(FileWriter, PagesAndDictionaryStayNearTheirLimits) {
  // Unique 1000-byte values: the dictionary grows by a kilobyte per row while the pages (of
  // indices) stay tiny, so the slices must follow the dictionary's growth.
  std::vector<std::string> values;
  for (int i = 0; i < 3000; ++i) values.push_back(fmt::format("{:06}", i) + std::string(994, 'x'));
  WriterOptions options;
  options.codec = Codec::kNone;
  options.data_page_bytes = 16 * 1024;
  options.dictionary_max_bytes = 64 * 1024;
  auto bytes = WriteToString(*StringBatch(OneStringColumn(), values), options);
  ASSERT_THAT(bytes, IsOk());
  const DecodedChunk chunk = TestFile::Parse(*bytes).ReadChunk(0, 0);
  EXPECT_EQ(chunk.values, values);
  ASSERT_GE(chunk.dictionary_size, 0);
  EXPECT_LE(chunk.page_sizes.front(), 2 * 64 * 1024);  // the dictionary page
  EXPECT_GE(chunk.page_sizes.front(), 64 * 1024);      // ... which did reach its limit
  for (size_t p = 1; p < chunk.page_sizes.size(); ++p) {
    EXPECT_LE(chunk.page_sizes[p], 2 * 16 * 1024) << p;
  }
}

TEST(FileWriter, DictionaryCanBeDisabled) {
  WriterOptions options = SmallPages(Codec::kNone);
  options.dictionary = false;
  const TestFile file = TestFile::Parse(WriteAllKinds(options, 300));
  for (size_t col = 0; col < kLeafCount; ++col) {
    const DecodedChunk chunk = file.ReadChunk(0, col);
    EXPECT_EQ(chunk.dictionary_size, -1);
    EXPECT_THAT(chunk.page_encodings, Each(0));
    EXPECT_FALSE(Has(file.column_meta(0, col), 11));
  }
  EXPECT_EQ(file.ReadColumn(kAttrKey).values, ExpectedValues(300).attr_key);
}

// fuzz/regressions/parquet_roundtrip/plain-no-values-empty-lists: PLAIN-encoding a leaf with
// no values at all (every list empty) memcpy'd from the empty value vector's null data().
TEST(FileWriter, PlainLeafOfOnlyEmptyLists) {
  std::vector<Field> fields = {Req("Values", columnar::List(Req("element", columnar::Int64())))};
  columnar::AssignFreshFieldIds(&fields);
  auto batch = columnar::RecordBatch::Make(std::make_shared<columnar::Schema>(fields));
  for (int row = 0; row < 3; ++row) {
    batch->column_as<columnar::ListColumn>(0)->FinishRow();
    batch->FinishRow();
  }
  WriterOptions options;
  options.dictionary = false;
  auto bytes = WriteToString(*batch, options);
  ASSERT_THAT(bytes, IsOk());
  const DecodedChunk chunk = TestFile::Parse(*bytes).ReadColumn(0);
  EXPECT_THAT(chunk.def, ElementsAre(0, 0, 0));
  EXPECT_THAT(chunk.rep, ElementsAre(0, 0, 0));
  EXPECT_THAT(chunk.values, IsEmpty());
}

TEST(FileWriter, ChunkStatistics) {
  const TestFile file = TestFile::Parse(WriteAllKinds(SmallPages(Codec::kNone), 100));
  auto stats = [&](Leaf leaf) { return GetStruct(file.column_meta(0, leaf), 12); };
  const auto render = [&](Leaf leaf, int16_t id) {
    return testing::RenderPlain(GetBin(stats(leaf), id), file.leaves()[leaf].physical_type);
  };
  EXPECT_EQ(render(kTimestamp, 6), std::to_string(kBaseTime));
  EXPECT_EQ(render(kTimestamp, 5), std::to_string(kBaseTime + 99));
  EXPECT_EQ(GetInt(stats(kTimestamp), 3), 0);
  EXPECT_EQ(render(kFlags, 6), "-98");
  EXPECT_EQ(render(kFlags, 5), "99");
  EXPECT_EQ(GetInt(stats(kBody), 3), 25);
  EXPECT_EQ(render(kBody, 6), "body 1");
  EXPECT_EQ(render(kBody, 5), "body 99");
  EXPECT_EQ(render(kSum, 6), "0.5");
  EXPECT_EQ(render(kSum, 5), "49.5");
  EXPECT_EQ(GetInt(stats(kSum), 9), 14);  // nan_count: i % 6 == 0 and i % 7 != 0
  EXPECT_EQ(GetInt(stats(kSum), 3), 15);  // null_count: i % 7 == 0
  EXPECT_FALSE(Has(stats(kBody), 9));     // nan_count only for doubles
  EXPECT_EQ(render(kIsMonotonic, 6), "false");
  EXPECT_EQ(render(kIsMonotonic, 5), "true");
  // Nested leaf: null_count counts every level entry without a value.
  EXPECT_EQ(GetInt(stats(kEventName), 3), 50);
  EXPECT_TRUE(testing::Get(stats(kEventName), 7).b);  // is_max_value_exact
}

TEST(FileWriter, PageIndexDescribesEveryPage) {
  WriterOptions options = SmallPages(Codec::kZstd);
  const TestFile file = TestFile::Parse(WriteAllKinds(options, 1000));
  for (size_t col = 0; col < kLeafCount; ++col) {
    const DecodedChunk chunk = file.ReadChunk(0, col);
    const TStruct offset_index = file.ReadOffsetIndex(0, col);
    const auto& locations = GetList(offset_index, 1);
    ASSERT_EQ(locations.size(), chunk.page_encodings.size()) << col;
    const size_t first_data_page = chunk.dictionary_size >= 0 ? 1 : 0;
    int64_t previous_row = -1;
    for (size_t p = 0; p < locations.size(); ++p) {
      EXPECT_EQ(GetInt(locations[p].S(), 1), chunk.page_offsets[p + first_data_page]);
      EXPECT_GT(GetInt(locations[p].S(), 3), previous_row);
      previous_row = GetInt(locations[p].S(), 3);
    }
    EXPECT_EQ(GetInt(locations[0].S(), 3), 0);
    // Pages start at row boundaries: the last page's first row is below the row count.
    EXPECT_LT(previous_row, 1000);
  }
  // Sorted timestamps: ascending boundary order, page bounds partition the range.
  const TStruct ts_index = file.ReadColumnIndex(0, kTimestamp);
  EXPECT_EQ(GetInt(ts_index, 4), 1);  // ASCENDING
  EXPECT_GT(GetList(ts_index, 2).size(), 3u);
  EXPECT_EQ(testing::RenderPlain(GetList(ts_index, 2)[0].bin, 2), std::to_string(kBaseTime));
  EXPECT_EQ(testing::RenderPlain(GetList(ts_index, 3).back().bin, 2),
            std::to_string(kBaseTime + 999));
  for (const auto& null_page : GetList(ts_index, 1)) EXPECT_FALSE(null_page.b);
  const TStruct body_index = file.ReadColumnIndex(0, kBody);
  int64_t nulls = 0;
  for (const auto& n : GetList(body_index, 5)) nulls += n.i;
  EXPECT_EQ(nulls, 250);
  // Page-level statistics are not repeated in the page headers when a page index exists.
  size_t pos = static_cast<size_t>(GetInt(file.column_meta(0, kTimestamp), 9));
  const TStruct header = testing::ReadThriftStruct(file.data(), &pos);
  EXPECT_FALSE(Has(GetStruct(header, 5), 5));
}

TEST(FileWriter, NullPagesAndAllNaNPages) {
  std::vector<Field> fields = {Opt("Body", columnar::String()), Req("Value", columnar::Float64())};
  columnar::AssignFreshFieldIds(&fields);
  auto schema = std::make_shared<columnar::Schema>(fields);
  auto batch = columnar::RecordBatch::Make(schema);
  for (int i = 0; i < 1200; ++i) {
    if (i < 1000) {
      batch->column(0)->AppendNull();
    } else {
      batch->column_as<columnar::StringColumn>(0)->Append("x");
    }
    batch->column_as<columnar::DoubleColumn>(1)->Append(i < 1000 ? std::nan("") : 1.0);
    batch->FinishRow();
  }
  WriterOptions options;
  options.data_page_bytes = 64;
  auto bytes = WriteToString(*batch, options);
  ASSERT_THAT(bytes, IsOk());
  const TestFile file = TestFile::Parse(*bytes);
  const TStruct body_index = file.ReadColumnIndex(0, 0);
  EXPECT_TRUE(GetList(body_index, 1).front().b);  // a null page
  EXPECT_TRUE(GetList(body_index, 2).front().bin.empty());
  EXPECT_FALSE(GetList(body_index, 1).back().b);
  // A page whose values are all NaN cannot be bounded: no column index for that chunk, but
  // the offset index stays.
  EXPECT_FALSE(Has(file.chunk(0, 1), 6));
  EXPECT_TRUE(Has(file.chunk(0, 1), 4));
  const TStruct& value_stats = GetStruct(file.column_meta(0, 1), 12);
  EXPECT_EQ(GetInt(value_stats, 9), 1000);
  EXPECT_EQ(testing::RenderPlain(GetBin(value_stats, 6), 5), "1");
}

TEST(FileWriter, WithoutPageIndexPagesCarryStatistics) {
  WriterOptions options = SmallPages(Codec::kNone);
  options.page_index = false;
  const TestFile file = TestFile::Parse(WriteAllKinds(options, 200));
  EXPECT_FALSE(Has(file.chunk(0, kTimestamp), 4));
  EXPECT_FALSE(Has(file.chunk(0, kTimestamp), 6));
  size_t pos = static_cast<size_t>(GetInt(file.column_meta(0, kTimestamp), 9));
  const TStruct header = testing::ReadThriftStruct(file.data(), &pos);
  const TStruct& page_stats = GetStruct(GetStruct(header, 5), 5);
  EXPECT_EQ(testing::RenderPlain(GetBin(page_stats, 6), 2), std::to_string(kBaseTime));
  EXPECT_EQ(file.ReadColumn(kTimestamp).values, ExpectedValues(200).timestamp);
}

TEST(FileWriter, StatisticsCanBeDisabled) {
  WriterOptions options = SmallPages(Codec::kNone);
  options.statistics = false;
  const TestFile file = TestFile::Parse(WriteAllKinds(options, 50));
  EXPECT_FALSE(Has(file.column_meta(0, kTimestamp), 12));
  EXPECT_FALSE(Has(file.chunk(0, kTimestamp), 6));  // no column index either
  EXPECT_TRUE(Has(file.chunk(0, kTimestamp), 4));   // the offset index stays
}

}  // namespace
}  // namespace o2p::parquet
