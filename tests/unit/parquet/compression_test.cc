#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include "o2p/parquet/compression/codec.h"
#include "support/matchers.h"

namespace o2p::parquet {
namespace {

std::string CodecTestName(const ::testing::TestParamInfo<Codec>& p) {
  return std::string(CodecName(p.param));
}

using o2p::testing::IsError;
using o2p::testing::IsOk;

std::string Decompress(Codec codec, std::string_view in, size_t size) {
  std::string out(size, '\0');
  switch (codec) {
    case Codec::kNone: return std::string(in);
    case Codec::kSnappy: {
      size_t length = 0;
      EXPECT_TRUE(snappy::GetUncompressedLength(in.data(), in.size(), &length));
      EXPECT_EQ(length, size);
      EXPECT_TRUE(snappy::RawUncompress(in.data(), in.size(), out.data()));
      return out;
    }
    case Codec::kGzip: {
      uLongf length = static_cast<uLongf>(size);
      z_stream z{};
      EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);  // gzip wrapper required, not zlib
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      z.avail_in = static_cast<uInt>(in.size());
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(length);
      EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
      inflateEnd(&z);
      return out;
    }
    case Codec::kZstd: {
      EXPECT_EQ(ZSTD_getFrameContentSize(in.data(), in.size()), size);
      EXPECT_EQ(ZSTD_decompress(out.data(), out.size(), in.data(), in.size()), size);
      return out;
    }
    case Codec::kLz4Raw: {
      EXPECT_EQ(LZ4_decompress_safe(in.data(), out.data(), static_cast<int>(in.size()),
                                    static_cast<int>(size)),
                static_cast<int>(size));
      return out;
    }
  }
  return {};
}

class CodecRoundTrip : public ::testing::TestWithParam<Codec> {};

TEST_P(CodecRoundTrip, CompressesPagesTheLibraryCanInflate) {
  auto compressor = MakeCompressor(GetParam(), 0);
  ASSERT_THAT(compressor, IsOk());
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += "{\"severity\":\"INFO\",\"body\":\"request " + std::to_string(i) + "\"}\n";
  // Reuse across pages of different sizes, including an empty page.
  for (const std::string& page : {text, std::string(), text.substr(0, 1000), text}) {
    auto compressed = (*compressor)->Compress(page);
    ASSERT_THAT(compressed, IsOk());
    if (GetParam() != Codec::kNone && !page.empty()) {
      EXPECT_LT(compressed->size(), page.size());
    }
    EXPECT_EQ(Decompress(GetParam(), *compressed, page.size()), page);
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecRoundTrip,
                         ::testing::Values(Codec::kNone, Codec::kSnappy, Codec::kGzip, Codec::kZstd,
                                           Codec::kLz4Raw),
                         CodecTestName);

TEST(Codec, ThriftCodecNumbers) {
  EXPECT_EQ((*MakeCompressor(Codec::kNone, 0))->codec(), format::CompressionCodec::kUncompressed);
  EXPECT_EQ(static_cast<int>((*MakeCompressor(Codec::kSnappy, 0))->codec()), 1);
  EXPECT_EQ(static_cast<int>((*MakeCompressor(Codec::kGzip, 0))->codec()), 2);
  EXPECT_EQ(static_cast<int>((*MakeCompressor(Codec::kZstd, 0))->codec()), 6);
  EXPECT_EQ(static_cast<int>((*MakeCompressor(Codec::kLz4Raw, 0))->codec()), 7);
}

TEST(Codec, LevelsAreValidated) {
  EXPECT_THAT(MakeCompressor(Codec::kZstd, 19), IsOk());
  EXPECT_THAT(MakeCompressor(Codec::kZstd, 99), IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(MakeCompressor(Codec::kGzip, 9), IsOk());
  EXPECT_THAT(MakeCompressor(Codec::kGzip, 10), IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(MakeCompressor(Codec::kSnappy, 99), IsOk());  // level ignored
}

TEST(Codec, Names) {
  EXPECT_EQ(ParseCodec("ZSTD"), Codec::kZstd);
  EXPECT_EQ(ParseCodec("uncompressed"), Codec::kNone);
  EXPECT_EQ(ParseCodec("lz4"), Codec::kLz4Raw);
  EXPECT_EQ(ParseCodec("brotli"), std::nullopt);
  for (Codec c : {Codec::kNone, Codec::kSnappy, Codec::kGzip, Codec::kZstd, Codec::kLz4Raw}) {
    EXPECT_EQ(ParseCodec(CodecName(c)), c);
  }
}

}  // namespace
}  // namespace o2p::parquet
