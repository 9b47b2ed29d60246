#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "o2p/iceberg/avro/encoding.h"
#include "o2p/iceberg/avro/ocf_reader.h"
#include "o2p/iceberg/avro/ocf_writer.h"
#include "support/matchers.h"

namespace o2p::iceberg::avro {
namespace {

using o2p::testing::IsError;
using o2p::testing::IsErrorWith;
using o2p::testing::IsOk;

// One field of every Avro type the reader decodes.
constexpr std::string_view kAllTypesSchema = R"({
  "type": "record", "name": "all", "namespace": "test",
  "fields": [
    {"name": "n", "type": "null"},
    {"name": "b", "type": "boolean", "field-id": 1},
    {"name": "i", "type": {"type": "int", "logicalType": "date"}},
    {"name": "l", "type": "long"},
    {"name": "f", "type": "float"},
    {"name": "d", "type": "double"},
    {"name": "by", "type": "bytes"},
    {"name": "s", "type": "string"},
    {"name": "a", "type": {"type": "array", "items": "long", "element-id": 7}},
    {"name": "m", "type": {"type": "map", "values": "string"}},
    {"name": "u", "type": ["null", "string"], "default": null},
    {"name": "fx", "type": {"type": "fixed", "name": "sixteen", "size": 4}},
    {"name": "e", "type": {"type": "enum", "name": "color", "symbols": ["RED", "GREEN"]}},
    {"name": "again", "type": "test.sixteen"}
  ]})";

std::string EncodeAllTypes(int64_t seed) {
  std::string out;
  PutBoolean(&out, seed % 2 == 0);
  PutInt(&out, static_cast<int32_t>(seed));
  PutLong(&out, -seed * 1000000007);
  PutFloat(&out, 1.5F);
  PutDouble(&out, 0.25 * static_cast<double>(seed));
  PutBytes(&out, std::string("\x00\x01", 2));
  PutString(&out, "row " + std::to_string(seed));
  PutBlockHeader(&out, 2);
  PutLong(&out, seed);
  PutLong(&out, seed + 1);
  PutBlockEnd(&out);
  PutBlockHeader(&out, 1);
  PutString(&out, "k");
  PutString(&out, "v");
  PutBlockEnd(&out);
  PutUnionBranch(&out, seed % 2 == 0 ? 0 : 1);
  if (seed % 2 != 0) PutString(&out, "odd");
  out.append("abcd");
  PutInt(&out, 1);
  out.append("wxyz");
  return out;
}

std::string WriteAllTypes(Codec codec, int records, uint64_t block_bytes = 1 << 20) {
  OcfWriterOptions options;
  options.codec = codec;
  options.block_bytes = block_bytes;
  OcfWriter writer(std::string(kAllTypesSchema), {{"owner", "test"}}, options);
  for (int i = 0; i < records; ++i) EXPECT_THAT(writer.Append(EncodeAllTypes(i)), IsOk());
  Result<std::string> file = std::move(writer).Finish();
  EXPECT_THAT(file, IsOk());
  return file.value_or(std::string());
}

class OcfRoundTripTest : public ::testing::TestWithParam<Codec> {};

TEST_P(OcfRoundTripTest, EveryTypeRoundTripsAcrossBlocks) {
  const std::string file = WriteAllTypes(GetParam(), 50, /*block_bytes=*/200);
  Result<OcfFile> read = ReadOcf(file);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->codec, GetParam());
  EXPECT_EQ(read->metadata.at("owner"), "test");
  EXPECT_EQ(read->metadata.at("avro.codec"), CodecName(GetParam()));
  ASSERT_EQ(read->records.size(), 50u);
  const Value& odd = read->records[3];
  EXPECT_FALSE(odd.Field("b")->boolean);
  EXPECT_EQ(odd.Field("i")->integer, 3);
  EXPECT_EQ(odd.Field("i")->schema->logical_type, "date");
  EXPECT_EQ(odd.Field("l")->integer, -3000000021);
  EXPECT_EQ(odd.Field("f")->real, 1.5);
  EXPECT_EQ(odd.Field("d")->real, 0.75);
  EXPECT_EQ(odd.Field("by")->bytes, std::string("\x00\x01", 2));
  EXPECT_EQ(odd.Field("s")->bytes, "row 3");
  ASSERT_EQ(odd.Field("a")->items.size(), 2u);
  EXPECT_EQ(odd.Field("a")->items[1].integer, 4);
  EXPECT_EQ(odd.Field("a")->schema->element_id, 7);
  EXPECT_EQ(odd.Field("m")->keys, std::vector<std::string>{"k"});
  EXPECT_EQ(odd.Field("m")->items[0].bytes, "v");
  EXPECT_EQ(odd.Field("u")->bytes, "odd");
  EXPECT_EQ(odd.Field("u")->union_branch, 1);
  EXPECT_TRUE(read->records[4].Field("u")->is_null());
  EXPECT_EQ(odd.Field("fx")->bytes, "abcd");
  EXPECT_EQ(odd.Field("e")->bytes, "GREEN");
  EXPECT_EQ(odd.Field("again")->bytes, "wxyz");
  EXPECT_EQ(odd.FieldById(1), odd.Field("b"));
  EXPECT_EQ(odd.Field("missing"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Codecs, OcfRoundTripTest,
                         ::testing::Values(Codec::kNull, Codec::kDeflate, Codec::kSnappy));

TEST(OcfTest, CodecNameIsInTheHeader) {
  // That deflate blocks are raw (no zlib header) is checked by avro_python_check.py, whose
  // reader inflates them with zlib.decompress(data, -15).
  const std::string file = WriteAllTypes(Codec::kDeflate, 1);
  EXPECT_EQ(file.find("deflate"), file.find("avro.codec") + 11);  // key, length byte, value
}

TEST(OcfTest, ReservedMetadataKeysAreRejected) {
  OcfWriter writer(std::string(kAllTypesSchema), {{"avro.mine", "x"}});
  EXPECT_THAT(std::move(writer).Finish(), IsError(StatusCode::kInvalidArgument));
}

TEST(OcfTest, MapBlocksWithNegativeCountsAreRead) {
  OcfWriterOptions options;
  options.codec = Codec::kNull;
  OcfWriter writer(R"({"type": "map", "values": "long"})", {}, options);
  std::string datum;
  PutLong(&datum, -2);
  std::string items;
  PutString(&items, "a");
  PutLong(&items, 1);
  PutString(&items, "b");
  PutLong(&items, 2);
  PutLong(&datum, static_cast<int64_t>(items.size()));
  datum += items;
  PutBlockEnd(&datum);
  ASSERT_THAT(writer.Append(datum), IsOk());
  Result<std::string> file = std::move(writer).Finish();
  ASSERT_THAT(file, IsOk());
  Result<OcfFile> read = ReadOcf(*file);
  ASSERT_THAT(read, IsOk());
  ASSERT_EQ(read->records.size(), 1u);
  EXPECT_EQ(read->records[0].keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(read->records[0].items[1].integer, 2);
}

// --- hostile input -------------------------------------------------------------------------

TEST(OcfHostileTest, EveryTruncationFailsCleanly) {
  for (Codec codec : {Codec::kNull, Codec::kDeflate, Codec::kSnappy}) {
    const std::string file = WriteAllTypes(codec, 3);
    // The file is one header and one block; the header ends with the first sync marker,
    // which is also the file's last 16 bytes.
    const size_t header_size = file.find(file.substr(file.size() - 16)) + 16;
    for (size_t length = 0; length < file.size(); ++length) {
      Result<OcfFile> read = ReadOcf(std::string_view(file).substr(0, length));
      if (length == header_size) {
        // A header alone is a valid file with no blocks.
        EXPECT_THAT(read, IsOk());
        continue;
      }
      EXPECT_FALSE(read.ok()) << "codec " << CodecName(codec) << " prefix " << length;
    }
  }
}

std::string Header(std::string_view schema_json, std::string_view codec = "null") {
  std::string out("Obj\x01", 4);
  PutBlockHeader(&out, 2);
  PutString(&out, "avro.schema");
  PutString(&out, schema_json);
  PutString(&out, "avro.codec");
  PutString(&out, codec);
  PutBlockEnd(&out);
  out.append(16, 'S');
  return out;
}

std::string Block(int64_t count, std::string_view data) {
  std::string out;
  PutLong(&out, count);
  PutLong(&out, static_cast<int64_t>(data.size()));
  out.append(data);
  out.append(16, 'S');
  return out;
}

std::string NestedArraySchema(int depth) {
  std::string schema = "\"long\"";
  for (int i = 0; i < depth; ++i) schema = R"({"type":"array","items":)" + schema + "}";
  return schema;
}

TEST(OcfHostileTest, MalformedFilesAreErrors) {
  std::string huge_length("Obj\x01", 4);
  PutBlockHeader(&huge_length, 1);
  PutLong(&huge_length, int64_t{1} << 62);  // key length far beyond the file

  std::string recursive_data;
  for (int i = 0; i < 10000; ++i) PutUnionBranch(&recursive_data, 1);
  PutUnionBranch(&recursive_data, 0);
  const std::string recursive_schema =
      R"({"type":"record","name":"node","fields":[{"name":"next","type":["null","node"]}]})";

  std::string many_nulls;
  PutLong(&many_nulls, int64_t{1} << 60);  // an array of 2^60 nulls encoded in a few bytes

  struct Case {
    std::string name;
    std::string bytes;
    StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"empty", "", StatusCode::kInvalidArgument, "truncated"},
      {"bad magic", "Obj\x02" + Header("\"long\"").substr(4), StatusCode::kInvalidArgument,
       "not an object container"},
      {"huge metadata length", huge_length, StatusCode::kInvalidArgument, "exceeds"},
      {"schema not JSON", Header("{nope"), StatusCode::kInvalidArgument, "JSON"},
      {"unknown type", Header("\"whatever\""), StatusCode::kInvalidArgument, "unknown type"},
      {"deep schema", Header(NestedArraySchema(500)), StatusCode::kInvalidArgument, ""},
      {"unknown codec", Header("\"long\"", "zstandard"), StatusCode::kUnimplemented, "codec"},
      {"block size beyond file", Header("\"long\"") + "\x02\x7f", StatusCode::kInvalidArgument,
       "bad block header"},
      {"negative count", Header("\"long\"") + Block(-1, "\x02"), StatusCode::kInvalidArgument,
       "bad block header"},
      {"leftover bytes", Header("\"long\"") + Block(1, "\x02\x02"), StatusCode::kInvalidArgument,
       "left over"},
      {"sync mismatch", Header("\"long\"") + Block(1, "\x02").replace(3, 1, "X"),
       StatusCode::kInvalidArgument, "sync"},
      {"recursion", Header(recursive_schema) + Block(1, recursive_data),
       StatusCode::kInvalidArgument, "too deep"},
      {"huge array", Header(R"({"type":"array","items":"null"})") + Block(1, many_nulls),
       StatusCode::kResourceExhausted, "budget"},
      {"huge record count", Header("\"null\"") + Block(int64_t{1} << 60, ""),
       StatusCode::kResourceExhausted, "budget"},
      {"bad union branch", Header(R"(["null","long"])") + Block(1, "\x04"),
       StatusCode::kInvalidArgument, "union branch"},
      {"bad enum index", Header(R"({"type":"enum","name":"e","symbols":["A"]})") + Block(1, "\x02"),
       StatusCode::kInvalidArgument, "enum index"},
      {"corrupt deflate", Header("\"long\"", "deflate") + Block(1, "\xff\xff\xff"),
       StatusCode::kInvalidArgument, "deflate"},
      {"corrupt snappy",
       Header("\"long\"", "snappy") + Block(1, std::string("\x01\x00\x02\0\0\0\0", 7)),
       StatusCode::kInvalidArgument, "snappy"},
  };
  OcfReadOptions options;
  options.max_decoded_bytes = 1 << 20;  // keeps the budget cases small and fast
  for (const Case& c : cases) {
    EXPECT_THAT(ReadOcf(c.bytes, options), IsErrorWith(c.code, c.message)) << c.name;
  }
}

TEST(OcfHostileTest, DeflateBombHitsTheBudget) {
  OcfWriterOptions options;
  options.codec = Codec::kDeflate;
  OcfWriter writer(R"({"type":"fixed","name":"f","size":1048576})", {}, options);
  ASSERT_THAT(writer.Append(std::string(1 << 20, '\0')), IsOk());
  Result<std::string> file = std::move(writer).Finish();
  ASSERT_THAT(file, IsOk());
  OcfReadOptions read_options;
  read_options.max_decoded_bytes = 64 * 1024;
  EXPECT_THAT(ReadOcf(*file, read_options), IsError(StatusCode::kResourceExhausted));
  EXPECT_THAT(ReadOcf(*file), IsOk());
}

TEST(OcfHostileTest, RandomCorruptionNeverCrashes) {
  const std::string file = WriteAllTypes(Codec::kNull, 5);
  std::mt19937 random(20240601);
  for (int round = 0; round < 3000; ++round) {
    std::string mutated = file;
    for (int flip = 0; flip < 3; ++flip) {
      mutated[random() % mutated.size()] = static_cast<char>(random());
    }
    // Any outcome but a crash or sanitizer report is fine; most are errors.
    (void)ReadOcf(mutated).ok();
  }
}

}  // namespace
}  // namespace o2p::iceberg::avro
