#include "o2p/otlp/decompress.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <zlib.h>
#include <zstd.h>

#include "o2p/otlp/signal.h"
#include "support/matchers.h"

namespace o2p::otlp {
namespace {

using ::o2p::testing::HasValue;
using ::o2p::testing::IsError;
using ::o2p::testing::IsErrorWith;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int kGzipWindowBits = 16 + MAX_WBITS;
constexpr int kZlibWindowBits = MAX_WBITS;
constexpr int kRawWindowBits = -MAX_WBITS;

// Deterministic, moderately compressible text, like a batch of log lines.
std::string SampleText(size_t size) {
  std::string text;
  text.reserve(size);
  uint32_t state = 12345;
  while (text.size() < size) {
    state = state * 1103515245 + 12345;
    text += "severity=INFO service=checkout span=" + std::to_string(state % 100000) + "\n";
  }
  text.resize(size);
  return text;
}

// Deflates `total` bytes made of `chunk` repeated (the last copy cut short), streaming, so a
// 100 MB input never exists in memory.
std::string DeflateRepeated(std::string_view chunk, size_t total, int window_bits, int level = 6) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out;
  char buffer[64 * 1024];
  size_t fed = 0;
  int flush = Z_NO_FLUSH;
  do {
    const size_t n = std::min(chunk.size(), total - fed);
    fed += n;
    flush = fed == total ? Z_FINISH : Z_NO_FLUSH;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
    stream.avail_in = static_cast<uInt>(n);
    do {
      stream.next_out = reinterpret_cast<Bytef*>(buffer);
      stream.avail_out = sizeof(buffer);
      const int code = deflate(&stream, flush);
      EXPECT_NE(code, Z_STREAM_ERROR);
      out.append(buffer, sizeof(buffer) - stream.avail_out);
    } while (stream.avail_out == 0);
  } while (flush != Z_FINISH);
  deflateEnd(&stream);
  return out;
}

std::string Deflate(std::string_view data, int window_bits, int level = 6) {
  return DeflateRepeated(data, data.size(), window_bits, level);
}

std::string Gzip(std::string_view data, int level = 6) {
  return Deflate(data, kGzipWindowBits, level);
}

std::string Zstd(std::string_view data, int level = 3) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  EXPECT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  out.resize(n);
  return out;
}

// One zstd frame of `total` zero bytes, compressed in 1 MiB pieces without a content size.
std::string ZstdZeros(size_t total) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
  const std::string zeros(size_t{1} << 20, '\0');
  std::string out;
  std::string buffer(ZSTD_CStreamOutSize(), '\0');
  for (size_t fed = 0; fed < total;) {
    const size_t n = std::min(zeros.size(), total - fed);
    fed += n;
    const ZSTD_EndDirective mode = fed == total ? ZSTD_e_end : ZSTD_e_continue;
    ZSTD_inBuffer in{zeros.data(), n, 0};
    size_t remaining = 0;
    do {
      ZSTD_outBuffer chunk{buffer.data(), buffer.size(), 0};
      remaining = ZSTD_compressStream2(cctx, &chunk, &in, mode);
      EXPECT_FALSE(ZSTD_isError(remaining)) << ZSTD_getErrorName(remaining);
      out.append(buffer.data(), chunk.pos);
    } while (mode == ZSTD_e_end ? remaining != 0 : in.pos != in.size);
  }
  ZSTD_freeCCtx(cctx);
  return out;
}

// A zstd frame by hand (RFC 8878 section 3.1.1): no content size, no checksum, the given window
// log, then one last raw block holding `payload`.
std::string ZstdFrameWithWindowLog(int window_log, std::string_view payload) {
  std::string frame("\x28\xb5\x2f\xfd", 4);
  frame += '\0';                                       // Frame_Header_Descriptor
  frame += static_cast<char>((window_log - 10) << 3);  // Window_Descriptor, mantissa 0
  const uint32_t block = 1 | (static_cast<uint32_t>(payload.size()) << 3);  // last, raw
  frame += static_cast<char>(block & 0xff);
  frame += static_cast<char>((block >> 8) & 0xff);
  frame += static_cast<char>((block >> 16) & 0xff);
  frame += payload;
  return frame;
}

// The parsed header; a parse error fails the test and yields no codings.
std::vector<Compression> Codings(std::string_view header) {
  auto result = ParseContentEncoding(header);
  EXPECT_TRUE(result.ok()) << "'" << header << "': " << result.status().ToString();
  return result.ok() ? *result : std::vector<Compression>{};
}

long PeakRssKiB() {  // NOLINT(google-runtime-int): rusage's type
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// ---------------------------------------------------------------------------------------------
// ParseContentEncoding

TEST(ContentEncodingTest, EmptyHeaderIsNoCoding) {
  EXPECT_THAT(Codings(""), IsEmpty());
  EXPECT_THAT(Codings("  "), IsEmpty());
}

TEST(ContentEncodingTest, IdentityIsDropped) {
  EXPECT_THAT(Codings("identity"), IsEmpty());
  EXPECT_THAT(Codings("identity, gzip, IDENTITY"), ElementsAre(Compression::kGzip));
}

TEST(ContentEncodingTest, SingleTokens) {
  EXPECT_THAT(Codings("gzip"), ElementsAre(Compression::kGzip));
  EXPECT_THAT(Codings("x-gzip"), ElementsAre(Compression::kGzip));
  EXPECT_THAT(Codings("deflate"), ElementsAre(Compression::kDeflate));
  EXPECT_THAT(Codings("zstd"), ElementsAre(Compression::kZstd));
}

TEST(ContentEncodingTest, CaseAndWhitespaceAreIgnored) {
  EXPECT_THAT(Codings("  GZip\t"), ElementsAre(Compression::kGzip));
  EXPECT_THAT(Codings("X-GZIP"), ElementsAre(Compression::kGzip));
  EXPECT_THAT(Codings("deflate ,ZSTD"), ElementsAre(Compression::kDeflate, Compression::kZstd));
}

TEST(ContentEncodingTest, KeepsTheOrderCodingsWereApplied) {
  EXPECT_THAT(Codings("gzip, zstd"), ElementsAre(Compression::kGzip, Compression::kZstd));
  EXPECT_THAT(Codings("zstd,gzip,gzip"),
              ElementsAre(Compression::kZstd, Compression::kGzip, Compression::kGzip));
}

TEST(ContentEncodingTest, EmptyListElementsAreIgnored) {  // RFC 9110 section 5.6.1
  EXPECT_THAT(Codings(",gzip,, zstd ,"), ElementsAre(Compression::kGzip, Compression::kZstd));
}

TEST(ContentEncodingTest, UnknownTokenIsUnimplemented) {
  const auto result = ParseContentEncoding("br");
  ASSERT_THAT(result, IsError(StatusCode::kUnimplemented));
  EXPECT_EQ(result.error().message(), "unsupported Content-Encoding 'br'");
  EXPECT_THAT(ParseContentEncoding("gzip,  Compress "),
              IsErrorWith(StatusCode::kUnimplemented, "'Compress'"));
  EXPECT_THAT(ParseContentEncoding("gzip;q=1"), IsError(StatusCode::kUnimplemented));
}

TEST(ContentEncodingTest, LongUnknownTokenIsShortenedInTheMessage) {
  const auto result = ParseContentEncoding(std::string(1000, 'a'));
  ASSERT_THAT(result, IsError(StatusCode::kUnimplemented));
  EXPECT_LT(result.error().message().size(), 200u);
  EXPECT_THAT(result.error().message(), ::testing::HasSubstr("...'"));
}

// ---------------------------------------------------------------------------------------------
// Decompress: identity

TEST(DecompressTest, IdentityCopiesWithinTheCap) {
  EXPECT_THAT(Decompress("hello", Compression::kNone), HasValue(std::string("hello")));
  EXPECT_THAT(Decompress("", Compression::kNone), HasValue(std::string()));
  EXPECT_THAT(Decompress("hello", Compression::kNone, 5), HasValue(std::string("hello")));
  EXPECT_THAT(Decompress("hello", Compression::kNone, 4),
              IsErrorWith(StatusCode::kResourceExhausted, "decompressed body exceeds 4 bytes"));
}

// ---------------------------------------------------------------------------------------------
// Decompress: gzip

TEST(DecompressTest, GzipRoundTrips) {
  for (const size_t size : {size_t{0}, size_t{1}, size_t{1000}, size_t{3} << 20}) {
    const std::string text = SampleText(size);
    EXPECT_THAT(Decompress(Gzip(text), Compression::kGzip), HasValue(text)) << size;
  }
}

TEST(DecompressTest, GzipIncompressibleInputRoundTrips) {
  std::string noise(200000, '\0');
  uint32_t state = 7;
  for (char& c : noise) {
    state = state * 1664525 + 1013904223;
    c = static_cast<char>(state >> 24);
  }
  EXPECT_THAT(Decompress(Gzip(noise, 0), Compression::kGzip), HasValue(noise));
  EXPECT_THAT(Decompress(Gzip(noise, 9), Compression::kGzip), HasValue(noise));
}

TEST(DecompressTest, GzipConcatenatedMembersAreJoined) {  // RFC 1952 section 2.2
  const std::string body = Gzip("first,") + Gzip("") + Gzip("second,") + Gzip(SampleText(70000));
  EXPECT_THAT(Decompress(body, Compression::kGzip), HasValue("first,second," + SampleText(70000)));
}

TEST(DecompressTest, GzipTrailingZeroPaddingIsIgnored) {
  const std::string body = Gzip("payload") + std::string(16, '\0');
  EXPECT_THAT(Decompress(body, Compression::kGzip), HasValue(std::string("payload")));
}

TEST(DecompressTest, GzipTrailingGarbageIsRejected) {
  const std::string member = Gzip("payload");
  EXPECT_THAT(Decompress(member + "junk", Compression::kGzip),
              IsErrorWith(StatusCode::kInvalidArgument, "gzip: trailing garbage"));
  EXPECT_THAT(Decompress(member + std::string(4, '\0') + "x", Compression::kGzip),
              IsError(StatusCode::kInvalidArgument));
  // A lone 0x1f is not the start of another member.
  EXPECT_THAT(Decompress(member + "\x1f", Compression::kGzip),
              IsError(StatusCode::kInvalidArgument));
}

TEST(DecompressTest, GzipEmptyBodyIsRejected) {
  EXPECT_THAT(Decompress("", Compression::kGzip),
              IsErrorWith(StatusCode::kInvalidArgument, "gzip: empty body"));
}

TEST(DecompressTest, GzipGarbageIsRejectedWithZlibsReason) {
  const auto result = Decompress("this is not gzip at all", Compression::kGzip);
  ASSERT_THAT(result, IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(result.error().message(), ::testing::StartsWith("gzip: incorrect header check"));
  EXPECT_THAT(result.error().message(), ::testing::HasSubstr("at input byte"));
}

TEST(DecompressTest, GzipCorruptCrcIsRejected) {
  std::string body = Gzip(SampleText(5000));
  body[body.size() - 6] ^= 0x55;  // inside the CRC-32 of the trailer
  EXPECT_THAT(Decompress(body, Compression::kGzip),
              IsErrorWith(StatusCode::kInvalidArgument, "incorrect data check"));
}

TEST(DecompressTest, GzipTruncatedAnywhereIsRejected) {
  const std::string body = Gzip(SampleText(20000));
  for (size_t keep = 1; keep < body.size(); ++keep) {
    EXPECT_THAT(Decompress(std::string_view(body).substr(0, keep), Compression::kGzip),
                IsError(StatusCode::kInvalidArgument))
        << "kept " << keep << " of " << body.size();
  }
  EXPECT_THAT(Decompress(std::string_view(body).substr(0, body.size() / 2), Compression::kGzip),
              IsErrorWith(StatusCode::kInvalidArgument, "gzip: truncated stream"));
}

TEST(DecompressTest, GzipTruncatedSecondMemberIsRejected) {
  const std::string second = Gzip("second");
  const std::string body = Gzip("first") + second.substr(0, second.size() - 3);
  EXPECT_THAT(Decompress(body, Compression::kGzip), IsError(StatusCode::kInvalidArgument));
}

// ---------------------------------------------------------------------------------------------
// Decompress: deflate

TEST(DecompressTest, DeflateAcceptsZlibWrappedStreams) {  // RFC 1950: what HTTP means
  const std::string text = SampleText(100000);
  for (const int level : {0, 1, 6, 9}) {
    const std::string body = Deflate(text, kZlibWindowBits, level);
    EXPECT_THAT(Decompress(body, Compression::kDeflate), HasValue(text)) << level;
  }
}

TEST(DecompressTest, DeflateAcceptsRawStreams) {  // RFC 1951: what some clients send
  const std::string text = SampleText(100000);
  for (const int level : {0, 1, 6, 9}) {
    const std::string body = Deflate(text, kRawWindowBits, level);
    EXPECT_THAT(Decompress(body, Compression::kDeflate), HasValue(text)) << level;
  }
  EXPECT_THAT(Decompress(Deflate("", kRawWindowBits), Compression::kDeflate),
              HasValue(std::string()));
}

TEST(DecompressTest, DeflateSmallerWindowsRoundTrip) {
  const std::string text = SampleText(50000);
  for (const int bits : {9, 12}) {
    EXPECT_THAT(Decompress(Deflate(text, bits), Compression::kDeflate), HasValue(text)) << bits;
    EXPECT_THAT(Decompress(Deflate(text, -bits), Compression::kDeflate), HasValue(text)) << bits;
  }
}

TEST(DecompressTest, DeflateZlibChecksumIsVerified) {
  std::string body = Deflate(SampleText(5000), kZlibWindowBits);
  body.back() ^= 0x01;  // Adler-32 trailer
  EXPECT_THAT(Decompress(body, Compression::kDeflate),
              IsErrorWith(StatusCode::kInvalidArgument, "deflate: incorrect data check"));
}

TEST(DecompressTest, DeflateTruncatedAnywhereIsRejected) {
  for (const int bits : {kZlibWindowBits, kRawWindowBits}) {
    const std::string body = Deflate(SampleText(20000), bits);
    for (size_t keep = 0; keep < body.size(); ++keep) {
      EXPECT_THAT(Decompress(std::string_view(body).substr(0, keep), Compression::kDeflate),
                  IsError(StatusCode::kInvalidArgument))
          << "bits " << bits << ", kept " << keep << " of " << body.size();
    }
  }
}

TEST(DecompressTest, DeflateTrailingGarbageIsRejected) {
  const std::string body = Deflate("payload", kZlibWindowBits);
  EXPECT_THAT(Decompress(body + "xyz", Compression::kDeflate),
              IsErrorWith(StatusCode::kInvalidArgument, "deflate: trailing garbage"));
  EXPECT_THAT(Decompress(body + std::string(3, '\0'), Compression::kDeflate),
              HasValue(std::string("payload")));
}

TEST(DecompressTest, DeflateGzipBodyIsNotAccepted) {
  // A gzip member is neither zlib-wrapped nor a valid raw stream.
  EXPECT_THAT(Decompress(Gzip("payload"), Compression::kDeflate),
              IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(Decompress("", Compression::kDeflate),
              IsErrorWith(StatusCode::kInvalidArgument, "deflate: empty body"));
}

// ---------------------------------------------------------------------------------------------
// Decompress: zstd

TEST(DecompressTest, ZstdRoundTrips) {
  for (const size_t size : {size_t{0}, size_t{1}, size_t{1000}, size_t{3} << 20}) {
    const std::string text = SampleText(size);
    EXPECT_THAT(Decompress(Zstd(text), Compression::kZstd), HasValue(text)) << size;
  }
}

TEST(DecompressTest, ZstdStreamedFramesWithoutContentSizeRoundTrip) {
  // Streaming encoders (most HTTP clients) leave the frame content size out.
  const std::string body = ZstdZeros(size_t{5} << 20);
  const auto result = Decompress(body, Compression::kZstd);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->size(), size_t{5} << 20);
  EXPECT_EQ(result->find_first_not_of('\0'), std::string::npos);
}

TEST(DecompressTest, ZstdConcatenatedFramesAreJoined) {
  const std::string body = Zstd("first,") + Zstd("") + Zstd("second,") + Zstd(SampleText(70000));
  EXPECT_THAT(Decompress(body, Compression::kZstd), HasValue("first,second," + SampleText(70000)));
}

TEST(DecompressTest, ZstdSkippableFramesAreSkipped) {
  // RFC 8878 section 3.1.2: magic 0x184D2A5?, a 4-byte little-endian size, then user data.
  const std::string skippable = std::string("\x50\x2a\x4d\x18\x03\x00\x00\x00", 8) + "abc";
  const std::string body = skippable + Zstd("payload") + skippable;
  EXPECT_THAT(Decompress(body, Compression::kZstd), HasValue(std::string("payload")));
}

TEST(DecompressTest, ZstdEmptyBodyAndGarbageAreRejected) {
  EXPECT_THAT(Decompress("", Compression::kZstd),
              IsErrorWith(StatusCode::kInvalidArgument, "zstd: empty body"));
  const auto result = Decompress("definitely not zstd", Compression::kZstd);
  ASSERT_THAT(result, IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(result.error().message(), ::testing::StartsWith("zstd: "));
  EXPECT_THAT(result.error().message(), ::testing::HasSubstr("at input byte"));
}

TEST(DecompressTest, ZstdTrailingGarbageIsRejected) {
  EXPECT_THAT(Decompress(Zstd("payload") + "junk", Compression::kZstd),
              IsError(StatusCode::kInvalidArgument));
}

TEST(DecompressTest, ZstdCorruptChecksumIsRejected) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  const std::string text = SampleText(5000);
  std::string body(ZSTD_compressBound(text.size()), '\0');
  body.resize(ZSTD_compress2(cctx, body.data(), body.size(), text.data(), text.size()));
  ZSTD_freeCCtx(cctx);
  ASSERT_THAT(Decompress(body, Compression::kZstd), HasValue(text));
  body.back() ^= 0x01;
  EXPECT_THAT(Decompress(body, Compression::kZstd), IsError(StatusCode::kInvalidArgument));
}

TEST(DecompressTest, ZstdTruncatedAnywhereIsRejected) {
  const std::string body = Zstd(SampleText(20000)) + Zstd(SampleText(300));
  const size_t first_frame = Zstd(SampleText(20000)).size();
  for (size_t keep = 1; keep < body.size(); ++keep) {
    if (keep == first_frame) continue;  // a whole first frame is a complete body
    EXPECT_THAT(Decompress(std::string_view(body).substr(0, keep), Compression::kZstd),
                IsError(StatusCode::kInvalidArgument))
        << "kept " << keep << " of " << body.size();
  }
  EXPECT_THAT(Decompress(std::string_view(body).substr(0, first_frame / 2), Compression::kZstd),
              IsErrorWith(StatusCode::kInvalidArgument, "zstd: truncated frame"));
}

TEST(DecompressTest, GzipFalseDeclaredSizeIsRejected) {
  std::string body = Gzip("payload");
  body[body.size() - 1] = '\x7f';  // ISIZE claims ~2 GiB
  EXPECT_THAT(Decompress(body, Compression::kGzip),
              IsErrorWith(StatusCode::kInvalidArgument, "incorrect length check"));
}

// A single-segment zstd frame (its window is its content) declaring `declared` bytes of content
// in an 8-byte Frame_Content_Size, holding one last raw block of `payload`.
std::string ZstdSingleSegmentFrame(uint64_t declared, std::string_view payload) {
  std::string frame("\x28\xb5\x2f\xfd\xe0", 5);
  for (int i = 0; i < 8; ++i) frame += static_cast<char>((declared >> (8 * i)) & 0xff);
  const uint32_t block = 1 | (static_cast<uint32_t>(payload.size()) << 3);
  frame += static_cast<char>(block & 0xff);
  frame += static_cast<char>((block >> 8) & 0xff);
  frame += static_cast<char>((block >> 16) & 0xff);
  return frame + std::string(payload);
}

TEST(DecompressTest, ZstdFalseDeclaredSizeIsRejected) {
  ASSERT_THAT(Decompress(ZstdSingleSegmentFrame(7, "payload"), Compression::kZstd),
              HasValue(std::string("payload")));
  EXPECT_THAT(Decompress(ZstdSingleSegmentFrame(1000, "payload"), Compression::kZstd),
              IsError(StatusCode::kInvalidArgument));
  EXPECT_THAT(Decompress(ZstdSingleSegmentFrame(3, "payload"), Compression::kZstd),
              IsError(StatusCode::kInvalidArgument));
}

TEST(DecompressTest, ZstdWindowUpTo128MiBIsAccepted) {
  EXPECT_THAT(Decompress(ZstdFrameWithWindowLog(27, "payload"), Compression::kZstd),
              HasValue(std::string("payload")));
}

TEST(DecompressTest, ZstdHugeWindowHeaderIsRejected) {
  // A few bytes of header must not make the decoder reserve a 256 MiB .. 2 GiB window.
  for (const int window_log : {28, 31}) {
    EXPECT_THAT(Decompress(ZstdFrameWithWindowLog(window_log, "payload"), Compression::kZstd),
                IsErrorWith(StatusCode::kInvalidArgument, "zstd: frame window larger than 2^27"))
        << window_log;
  }
}

TEST(DecompressTest, ZstdWindowLimitFollowsALargerCap) {
  // Content that fits the cap must be accepted even when it needs a window over 128 MiB.
  const std::string frame = ZstdFrameWithWindowLog(29, "payload");
  EXPECT_THAT(Decompress(frame, Compression::kZstd, size_t{512} << 20),
              HasValue(std::string("payload")));
  EXPECT_THAT(Decompress(frame, Compression::kZstd, size_t{256} << 20),
              IsErrorWith(StatusCode::kInvalidArgument, "larger than 2^28"));
  // A single-segment frame declaring 1 GiB needs a 1 GiB window: over the default limit.
  EXPECT_THAT(Decompress(ZstdSingleSegmentFrame(uint64_t{1} << 30, "payload"), Compression::kZstd),
              IsErrorWith(StatusCode::kInvalidArgument, "larger than 2^27"));
}

// ---------------------------------------------------------------------------------------------
// The cap

struct Codec {
  Compression compression;
  std::string (*compress)(std::string_view);
};

constexpr Codec kCodecs[] = {
    {Compression::kNone, [](std::string_view s) { return std::string(s); }},
    {Compression::kGzip, [](std::string_view s) { return Gzip(s); }},
    {Compression::kDeflate, [](std::string_view s) { return Deflate(s, kZlibWindowBits); }},
    {Compression::kDeflate, [](std::string_view s) { return Deflate(s, kRawWindowBits); }},
    {Compression::kZstd, [](std::string_view s) { return Zstd(s); }},
};

TEST(DecompressTest, OutputExactlyAtTheCapIsAccepted) {
  for (const size_t size : {size_t{0}, size_t{1}, size_t{16} << 10, size_t{100000}}) {
    const std::string text = SampleText(size);
    for (const Codec& codec : kCodecs) {
      EXPECT_THAT(Decompress(codec.compress(text), codec.compression, size), HasValue(text))
          << static_cast<int>(codec.compression) << " size " << size;
    }
  }
}

TEST(DecompressTest, OutputOneByteOverTheCapIsRejected) {
  for (const size_t size : {size_t{1}, size_t{16} << 10, size_t{100000}}) {
    const std::string text = SampleText(size);
    const std::string expected = "decompressed body exceeds " + std::to_string(size - 1) + " bytes";
    for (const Codec& codec : kCodecs) {
      const auto result = Decompress(codec.compress(text), codec.compression, size - 1);
      ASSERT_THAT(result, IsError(StatusCode::kResourceExhausted))
          << static_cast<int>(codec.compression) << " size " << size;
      EXPECT_EQ(result.error().message(), expected);
    }
  }
}

TEST(DecompressTest, CapCountsAllGzipMembersAndZstdFrames) {
  const std::string gzip = Gzip(SampleText(600)) + Gzip(SampleText(600));
  EXPECT_THAT(Decompress(gzip, Compression::kGzip, 1200),
              HasValue(SampleText(600) + SampleText(600)));
  EXPECT_THAT(Decompress(gzip, Compression::kGzip, 1000), IsError(StatusCode::kResourceExhausted));
  const std::string zstd = Zstd(SampleText(600)) + Zstd(SampleText(600));
  EXPECT_THAT(Decompress(zstd, Compression::kZstd, 1200),
              HasValue(SampleText(600) + SampleText(600)));
  EXPECT_THAT(Decompress(zstd, Compression::kZstd, 1000), IsError(StatusCode::kResourceExhausted));
}

TEST(DecompressTest, GzipBombStopsAtTheDefaultCapQuickly) {
  // ~100 KB of gzip that would inflate to 100 MB.
  const std::string bomb =
      DeflateRepeated(std::string(1 << 20, '\0'), 100'000'000, kGzipWindowBits, 9);
  ASSERT_LT(bomb.size(), 200'000u);
  const long rss_before = PeakRssKiB();  // NOLINT(google-runtime-int)
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(Decompress(bomb, Compression::kGzip),
              IsErrorWith(StatusCode::kResourceExhausted, "exceeds 67108864 bytes"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  // The cap's 64 MiB plus slack; growing by reallocation (old + new buffer) would exceed it.
  EXPECT_LT(PeakRssKiB() - rss_before, 96 * 1024);
}

TEST(DecompressTest, OneKibiByteNestedGzipBombIsCapped) {
  // gzip(gzip(100 MB of zeros)): under 1 KiB on the wire, "Content-Encoding: gzip, gzip".
  const std::string inner =
      DeflateRepeated(std::string(1 << 20, '\0'), 100'000'000, kGzipWindowBits, 9);
  const std::string bomb = Gzip(inner, 9);
  ASSERT_LT(bomb.size(), 1024u);
  const auto codings = ParseContentEncoding("gzip, gzip");
  ASSERT_TRUE(codings.ok());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(DecompressAll(bomb, *codings), IsError(StatusCode::kResourceExhausted));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_THAT(DecompressAll(bomb, *codings, size_t{1} << 20),
              IsErrorWith(StatusCode::kResourceExhausted, "exceeds 1048576 bytes"));
}

TEST(DecompressTest, GibibyteOfZstdZerosStopsAtTheCapWithoutTheMemory) {
  const std::string bomb = ZstdZeros(size_t{1} << 30);
  ASSERT_LT(bomb.size(), 1u << 20);
  const long rss_before = PeakRssKiB();  // NOLINT(google-runtime-int)
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(Decompress(bomb, Compression::kZstd, size_t{1} << 20),
              IsErrorWith(StatusCode::kResourceExhausted, "exceeds 1048576 bytes"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // Peak RSS is a high-water mark: growing by 1 GiB would show; a few MiB of buffers do not.
  EXPECT_LT(PeakRssKiB() - rss_before, 64 * 1024);
}

// ---------------------------------------------------------------------------------------------
// DecompressAll

TEST(DecompressAllTest, NoCodingsCopiesWithinTheCap) {
  EXPECT_THAT(DecompressAll("body", {}), HasValue(std::string("body")));
  EXPECT_THAT(DecompressAll("body", {Compression::kNone}), HasValue(std::string("body")));
  EXPECT_THAT(DecompressAll("body", {}, 3), IsError(StatusCode::kResourceExhausted));
}

TEST(DecompressAllTest, UndoesCodingsInReverseOrder) {
  const std::string text = SampleText(50000);
  // "Content-Encoding: gzip, zstd": gzip was applied first, zstd last.
  const std::string body = Zstd(Gzip(text));
  const auto codings = ParseContentEncoding("gzip, zstd");
  ASSERT_TRUE(codings.ok());
  EXPECT_THAT(DecompressAll(body, *codings), HasValue(text));
  EXPECT_THAT(DecompressAll(body, {Compression::kZstd, Compression::kGzip}),
              IsError(StatusCode::kInvalidArgument));
}

TEST(DecompressAllTest, ThreeCodingsWithIdentityInBetween) {
  const std::string text = SampleText(10000);
  const std::string body = Gzip(Zstd(Deflate(text, kRawWindowBits)));
  EXPECT_THAT(DecompressAll(body, {Compression::kDeflate, Compression::kNone, Compression::kZstd,
                                   Compression::kGzip}),
              HasValue(text));
}

TEST(DecompressAllTest, CapAppliesToIntermediateStages) {
  // Stored (level 0) gzip is larger than its content: the intermediate stage is over the cap
  // even though the final output is not.
  const std::string text = SampleText(1000);
  const std::string stored = Gzip(text, 0);
  ASSERT_GT(stored.size(), text.size());
  const std::string body = Zstd(stored);
  const std::vector<Compression> codings = {Compression::kGzip, Compression::kZstd};
  EXPECT_THAT(DecompressAll(body, codings, stored.size()), HasValue(text));
  EXPECT_THAT(DecompressAll(body, codings, stored.size() - 1),
              IsError(StatusCode::kResourceExhausted));
}

}  // namespace
}  // namespace o2p::otlp
