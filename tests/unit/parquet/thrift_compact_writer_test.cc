#include "o2p/parquet/format/thrift_compact_writer.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/parquet/format/metadata.h"

namespace o2p::parquet::format {
namespace {

using ::testing::ElementsAreArray;

std::vector<uint8_t> Bytes(const std::string& s) { return {s.begin(), s.end()}; }

TEST(ThriftCompactWriter, ShortFieldHeaderAndZigzag) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.BeginStruct();
  w.FieldI32(1, 42);  // delta 1, type i32 (5); zigzag(42) = 84
  w.FieldI32(5, 1);   // delta 4
  w.EndStruct();
  EXPECT_THAT(Bytes(out), ElementsAreArray({0x15, 0x54, 0x45, 0x02, 0x00}));
}

TEST(ThriftCompactWriter, LongFieldHeaderForBigDeltaAndDescendingIds) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.BeginStruct();
  w.FieldI32(20, 1);  // delta 20 > 15: type byte, then zigzag(20) = 40
  w.FieldI32(3, 1);   // ids going down: long form as well
  w.EndStruct();
  EXPECT_THAT(Bytes(out), ElementsAreArray({0x05, 0x28, 0x02, 0x05, 0x06, 0x02, 0x00}));
}

TEST(ThriftCompactWriter, NegativeNumbersZigzag) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.BeginStruct();
  w.FieldI64(1, -1);                                   // 1
  w.FieldI32(2, -64);                                  // 127
  w.FieldI32(3, -65);                                  // 129 = 0x81 0x01
  w.FieldI64(4, std::numeric_limits<int64_t>::min());  // 2^64 - 1: ten bytes
  w.FieldI16(5, -2);                                   // 3
  w.FieldI8(6, -1);                                    // raw byte
  w.EndStruct();
  EXPECT_THAT(Bytes(out), ElementsAreArray({0x16, 0x01, 0x15, 0x7f, 0x15, 0x81, 0x01, 0x16,
                                            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                            0xff, 0x01, 0x14, 0x03, 0x13, 0xff, 0x00}));
}

TEST(ThriftCompactWriter, BoolLivesInTheFieldHeader) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.BeginStruct();
  w.FieldBool(1, true);
  w.FieldBool(2, false);
  w.EndStruct();
  EXPECT_THAT(Bytes(out), ElementsAreArray({0x11, 0x12, 0x00}));
}

TEST(ThriftCompactWriter, NestedStructRestoresFieldIds) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.BeginStruct();
  w.FieldI32(1, 1);
  w.FieldStructBegin(3);  // delta 2, type struct (12)
  w.FieldI32(1, 2);       // ids restart inside
  w.EndStruct();
  w.FieldI32(4, 3);  // delta 1 from the struct field
  w.EndStruct();
  EXPECT_THAT(Bytes(out), ElementsAreArray({0x15, 0x02, 0x2c, 0x15, 0x04, 0x00, 0x15, 0x06, 0x00}));
}

TEST(ThriftCompactWriter, ListHeaders) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.BeginStruct();
  w.FieldListBegin(1, ThriftType::kI32, 3);  // short form: size 3 << 4 | 5
  for (int v : {1, 2, 3}) w.ElementI32(v);
  w.FieldListBegin(2, ThriftType::kBinary, 15);  // long form from 15 on
  for (int i = 0; i < 15; ++i) w.ElementBinary("");
  w.EndStruct();
  std::vector<int> expected = {0x19, 0x35, 0x02, 0x04, 0x06, 0x19, 0xf8, 0x0f};
  expected.insert(expected.end(), 15, 0x00);  // 15 empty binaries
  expected.push_back(0x00);
  EXPECT_THAT(Bytes(out), ElementsAreArray(expected));
}

TEST(ThriftCompactWriter, BinaryAndBoolElements) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.BeginStruct();
  w.FieldBinary(1, "ab");
  w.FieldListBegin(2, ThriftType::kBoolTrue, 2);
  w.ElementBool(true);
  w.ElementBool(false);
  w.EndStruct();
  EXPECT_THAT(Bytes(out), ElementsAreArray({0x18, 0x02, 0x61, 0x62, 0x19, 0x21, 0x01, 0x02, 0x00}));
}

TEST(ThriftCompactWriter, ListOfStructs) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.BeginStruct();
  w.FieldListBegin(4, ThriftType::kStruct, 2);
  for (int v : {1, 2}) {
    w.BeginStruct();
    w.FieldI32(1, v);
    w.EndStruct();
  }
  w.FieldI32(5, 0);
  w.EndStruct();
  EXPECT_THAT(Bytes(out),
              ElementsAreArray({0x49, 0x2c, 0x15, 0x02, 0x00, 0x15, 0x04, 0x00, 0x15, 0x00, 0x00}));
}

TEST(Metadata, StatisticsBytes) {
  Statistics stats;
  stats.null_count = 3;
  stats.min_value = "a";
  stats.max_value = "b";
  stats.is_min_value_exact = true;
  // 3: i64 null_count, 5: max_value, 6: min_value, 8: is_min_value_exact (bool true)
  EXPECT_THAT(Bytes(SerializeToString(stats)),
              ElementsAreArray({0x36, 0x06, 0x28, 0x01, 0x62, 0x18, 0x01, 0x61, 0x21, 0x00}));
}

TEST(Metadata, TimestampSchemaElementBytes) {
  SchemaElement e;
  e.type = Type::kInt64;
  e.repetition_type = Repetition::kRequired;
  e.name = "t";
  e.converted_type = ConvertedType::kTimestampMicros;
  e.field_id = 1;
  e.logical_type.kind = LogicalType::Kind::kTimestamp;
  // type=2, repetition=0, name "t", converted_type=10, field_id=1,
  // logicalType { 8: TimestampType { 1: true, 2: TimeUnit { 2: MicroSeconds {} } } }
  EXPECT_THAT(Bytes(SerializeToString(e)),
              ElementsAreArray({0x15, 0x04, 0x25, 0x00, 0x18, 0x01, 0x74, 0x25, 0x14, 0x35, 0x02,
                                0x1c, 0x8c, 0x11, 0x1c, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x00}));
}

}  // namespace
}  // namespace o2p::parquet::format
