#include "o2p/iceberg/avro/encoding.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "support/matchers.h"

namespace o2p::iceberg::avro {
namespace {

using o2p::testing::HasValue;
using o2p::testing::IsError;
using o2p::testing::IsErrorWith;

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int value : values) out.push_back(static_cast<char>(value));
  return out;
}

TEST(AvroEncodingTest, LongIsZigzagVarint) {
  // Values from the Avro specification's "Binary Encoding" table, plus multi-byte cases.
  const std::pair<int64_t, std::string> cases[] = {
      {0, Bytes({0x00})},        {-1, Bytes({0x01})},
      {1, Bytes({0x02})},        {-2, Bytes({0x03})},
      {2, Bytes({0x04})},        {-64, Bytes({0x7f})},
      {64, Bytes({0x80, 0x01})}, {8192, Bytes({0x80, 0x80, 0x01})},
  };
  for (const auto& [value, encoded] : cases) {
    std::string out;
    PutLong(&out, value);
    EXPECT_EQ(out, encoded) << value;
    Decoder decoder(encoded);
    EXPECT_THAT(decoder.ReadLong(), HasValue(value));
    EXPECT_TRUE(decoder.at_end());
  }
}

TEST(AvroEncodingTest, LongExtremesRoundTrip) {
  for (int64_t value : {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                        int64_t{-123456789012}, int64_t{1} << 40}) {
    std::string out;
    PutLong(&out, value);
    Decoder decoder(out);
    EXPECT_THAT(decoder.ReadLong(), HasValue(value));
  }
}

TEST(AvroEncodingTest, VarintErrorsNameTheOffset) {
  const std::string truncated_bytes = Bytes({0x80, 0x80});
  Decoder truncated(truncated_bytes, 100);
  EXPECT_THAT(truncated.ReadLong(), IsErrorWith(StatusCode::kInvalidArgument, "at byte 102"));
  const std::string overlong_bytes = std::string(10, '\xff') + Bytes({0x01});
  Decoder overlong(overlong_bytes);
  EXPECT_THAT(overlong.ReadLong(), IsError(StatusCode::kInvalidArgument));
  std::string big;
  PutLong(&big, int64_t{1} << 31);
  Decoder too_big_for_int(big);
  EXPECT_THAT(too_big_for_int.ReadInt(), IsErrorWith(StatusCode::kInvalidArgument, "32-bit"));
}

TEST(AvroEncodingTest, FloatsAreLittleEndianIeee) {
  std::string out;
  PutFloat(&out, 1.0F);
  PutDouble(&out, -2.5);
  EXPECT_EQ(out, Bytes({0x00, 0x00, 0x80, 0x3f, 0, 0, 0, 0, 0, 0, 0x04, 0xc0}));
  Decoder decoder(out);
  EXPECT_THAT(decoder.ReadFloat(), HasValue(1.0F));
  EXPECT_THAT(decoder.ReadDouble(), HasValue(-2.5));
  EXPECT_THAT(decoder.ReadFloat(), IsError(StatusCode::kInvalidArgument));
}

TEST(AvroEncodingTest, BooleanAndBytes) {
  std::string out;
  PutBoolean(&out, true);
  PutString(&out, "foo");
  PutBytes(&out, "");
  EXPECT_EQ(out, Bytes({0x01, 0x06, 'f', 'o', 'o', 0x00}));
  Decoder decoder(out);
  EXPECT_THAT(decoder.ReadBoolean(), HasValue(true));
  EXPECT_THAT(decoder.ReadBytes(), HasValue(std::string_view("foo")));
  EXPECT_THAT(decoder.ReadBytes(), HasValue(std::string_view()));
  const std::string two = Bytes({0x02});
  Decoder bad_boolean(two);
  EXPECT_THAT(bad_boolean.ReadBoolean(), IsError(StatusCode::kInvalidArgument));
}

TEST(AvroEncodingTest, BytesLengthsAreChecked) {
  const std::string short_data = Bytes({0x08, 'a', 'b'});
  Decoder too_long(short_data);
  EXPECT_THAT(too_long.ReadBytes(), IsErrorWith(StatusCode::kInvalidArgument, "exceeds"));
  const std::string negative_length = Bytes({0x01});
  Decoder negative(negative_length);
  EXPECT_THAT(negative.ReadBytes(), IsErrorWith(StatusCode::kInvalidArgument, "negative"));
  std::string huge;
  PutLong(&huge, std::numeric_limits<int64_t>::max());
  Decoder huge_length(huge);
  EXPECT_THAT(huge_length.ReadBytes(), IsError(StatusCode::kInvalidArgument));
}

TEST(AvroEncodingTest, NegativeBlockCountCarriesByteSize) {
  std::string out;
  PutLong(&out, -2);  // two items follow, in 2 bytes
  PutLong(&out, 2);
  PutLong(&out, 5);
  PutLong(&out, 6);
  PutBlockEnd(&out);
  Decoder decoder(out);
  EXPECT_THAT(decoder.ReadBlockCount(), HasValue(2));
  EXPECT_THAT(decoder.ReadLong(), HasValue(5));
  EXPECT_THAT(decoder.ReadLong(), HasValue(6));
  EXPECT_THAT(decoder.ReadBlockCount(), HasValue(0));

  std::string bad_size;
  PutLong(&bad_size, -1);
  PutLong(&bad_size, 50);
  Decoder bad(bad_size);
  EXPECT_THAT(bad.ReadBlockCount(), IsErrorWith(StatusCode::kInvalidArgument, "byte size"));
  std::string min_count;
  PutLong(&min_count, std::numeric_limits<int64_t>::min());
  Decoder overflow(min_count);
  EXPECT_THAT(overflow.ReadBlockCount(), IsError(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace o2p::iceberg::avro
