#include "o2p/config/values.h"

#include <limits>

#include <gtest/gtest.h>

#include "support/matchers.h"

namespace o2p::config {
namespace {

using ::o2p::testing::HasValue;
using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;
using std::chrono::milliseconds;

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TEST(ParseUnsignedTest, AcceptsWholeNumbersInRange) {
  EXPECT_THAT(ParseUnsigned("200000", 1, kMax), HasValue(200000u));
  EXPECT_THAT(ParseUnsigned(" 7 ", 0, 10), HasValue(7u));
  EXPECT_THAT(ParseUnsigned("18446744073709551615", 0, kMax), HasValue(kMax));
}

TEST(ParseUnsignedTest, RejectsWithTheAcceptedRange) {
  EXPECT_THAT(ParseUnsigned("0", 1, kMax),
              IsErrorWith(StatusCode::kInvalidArgument, "'0' is not a whole number of at least 1"));
  EXPECT_THAT(ParseUnsigned("23", 0, 22),
              IsErrorWith(StatusCode::kInvalidArgument, "'23' is not a whole number from 0 to 22"));
  for (const char* bad : {"", "-1", "+1", "1.5", "1e3", "12abc", "abc", "18446744073709551616"}) {
    EXPECT_THAT(ParseUnsigned(bad, 0, kMax),
                IsErrorWith(StatusCode::kInvalidArgument, "is not a whole number"))
        << bad;
  }
}

TEST(ParseSizeTest, BinaryAndDecimalUnits) {
  EXPECT_THAT(ParseSize("65536"), HasValue(65536u));
  EXPECT_THAT(ParseSize("0"), HasValue(0u));
  EXPECT_THAT(ParseSize("12B"), HasValue(12u));
  EXPECT_THAT(ParseSize("1KiB"), HasValue(1024u));
  EXPECT_THAT(ParseSize("64MiB"), HasValue(64u << 20));
  EXPECT_THAT(ParseSize("2GiB"), HasValue(uint64_t{2} << 30));
  EXPECT_THAT(ParseSize("1TiB"), HasValue(uint64_t{1} << 40));
  EXPECT_THAT(ParseSize("64Mi"), HasValue(64u << 20));
  EXPECT_THAT(ParseSize("1KB"), HasValue(1000u));
  EXPECT_THAT(ParseSize("500MB"), HasValue(500'000'000u));
  EXPECT_THAT(ParseSize("3GB"), HasValue(3'000'000'000u));
  EXPECT_THAT(ParseSize("2TB"), HasValue(2'000'000'000'000u));
}

TEST(ParseSizeTest, IgnoresCaseAndSpaces) {
  EXPECT_THAT(ParseSize("64 mib"), HasValue(64u << 20));
  EXPECT_THAT(ParseSize(" 8MIB "), HasValue(8u << 20));
  EXPECT_THAT(ParseSize("10kb"), HasValue(10'000u));
}

TEST(ParseSizeTest, RejectsOtherTextWithTheAcceptedUnits) {
  for (const char* bad : {"", "MiB", "-1MiB", "1.5GiB", "64M", "64k", "12XB", "64 MiB s", "0x10"}) {
    EXPECT_THAT(ParseSize(bad), IsErrorWith(StatusCode::kInvalidArgument,
                                            "is not a size: give bytes, or a whole number with "
                                            "KiB, MiB, GiB, TiB (powers of 1024) or KB, MB, GB, "
                                            "TB (powers of 1000)"))
        << bad;
  }
  EXPECT_THAT(ParseSize("20000000TiB"), IsErrorWith(StatusCode::kInvalidArgument, "too large"));
}

TEST(FormatSizeTest, LargestExactUnitAndRoundTrip) {
  EXPECT_EQ(FormatSize(0), "0");
  EXPECT_EQ(FormatSize(1000), "1KB");
  EXPECT_EQ(FormatSize(1023), "1023");
  EXPECT_EQ(FormatSize(1024), "1KiB");
  EXPECT_EQ(FormatSize(64u << 20), "64MiB");
  EXPECT_EQ(FormatSize(512u << 20), "512MiB");
  EXPECT_EQ(FormatSize(uint64_t{1} << 30), "1GiB");
  EXPECT_EQ(FormatSize(64'000'000), "64MB");
  EXPECT_EQ(FormatSize(1536), "1536");
  for (const uint64_t bytes : {uint64_t{0}, uint64_t{1}, uint64_t{1536}, uint64_t{64'000'000},
                               uint64_t{3} << 30, uint64_t{1'024'000}, kMax}) {
    EXPECT_THAT(ParseSize(FormatSize(bytes)), HasValue(bytes)) << bytes;
  }
}

TEST(ParseDurationTest, BareNumberIsSeconds) {
  EXPECT_THAT(ParseDuration("10"), HasValue(milliseconds(10'000)));
  EXPECT_THAT(ParseDuration(" 0 "), HasValue(milliseconds(0)));
}

TEST(ParseDurationTest, UnitsAndChains) {
  EXPECT_THAT(ParseDuration("500ms"), HasValue(milliseconds(500)));
  EXPECT_THAT(ParseDuration("10s"), HasValue(milliseconds(10'000)));
  EXPECT_THAT(ParseDuration("2m"), HasValue(milliseconds(120'000)));
  EXPECT_THAT(ParseDuration("1h"), HasValue(milliseconds(3'600'000)));
  EXPECT_THAT(ParseDuration("1m30s"), HasValue(milliseconds(90'000)));
  EXPECT_THAT(ParseDuration("1h2m3s4ms"), HasValue(milliseconds(3'723'004)));
  EXPECT_THAT(ParseDuration("10S"), HasValue(milliseconds(10'000)));
}

TEST(ParseDurationTest, RejectsOtherTextWithTheAcceptedUnits) {
  for (const char* bad : {"", "s", "10x", "1.5s", "-1s", "10s5", "10 s", "1d", "ten"}) {
    EXPECT_THAT(ParseDuration(bad),
                IsErrorWith(StatusCode::kInvalidArgument,
                            "is not a duration: give seconds, or whole numbers with ms, s, m, h"))
        << bad;
  }
  EXPECT_THAT(ParseDuration("99999999999999999h"),
              IsErrorWith(StatusCode::kInvalidArgument, "too long"));
}

TEST(FormatDurationTest, ComponentsAndRoundTrip) {
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(500)), "500ms");
  EXPECT_EQ(FormatDuration(milliseconds(10'000)), "10s");
  EXPECT_EQ(FormatDuration(milliseconds(120'000)), "2m");
  EXPECT_EQ(FormatDuration(milliseconds(90'000)), "1m30s");
  EXPECT_EQ(FormatDuration(milliseconds(3'723'004)), "1h2m3s4ms");
  for (const int64_t ms : {0, 1, 999, 1000, 61'001, 7'200'000}) {
    EXPECT_THAT(ParseDuration(FormatDuration(milliseconds(ms))), HasValue(milliseconds(ms)));
  }
}

TEST(ParseHostPortTest, NamesIpv4AndBracketedIpv6) {
  Result<HostPort> any = ParseHostPort("0.0.0.0:4318");
  ASSERT_THAT(any, IsOk());
  EXPECT_EQ(any->host, "0.0.0.0");
  EXPECT_EQ(any->port, 4318);
  Result<HostPort> v6 = ParseHostPort("[::]:4317");
  ASSERT_THAT(v6, IsOk());
  EXPECT_EQ(v6->host, "::");
  EXPECT_EQ(v6->port, 4317);
  EXPECT_THAT(ParseHostPort("localhost:1"), IsOk());
  EXPECT_THAT(ParseHostPort("otel-collector.internal:65535"), IsOk());
  EXPECT_THAT(ParseHostPort("[::1]:4318"), IsOk());
  EXPECT_THAT(ParseHostPort("[fe80::1%eth0]:4318"), IsOk());
  EXPECT_THAT(ParseHostPort("[::ffff:127.0.0.1]:4318"), IsOk());
}

TEST(ParseHostPortTest, RejectsWithAnExample) {
  for (const char* bad : {"", "4318", ":4318", "localhost", "[::]", "[]:4318"}) {
    EXPECT_THAT(ParseHostPort(bad),
                IsErrorWith(StatusCode::kInvalidArgument,
                            "is not HOST:PORT, e.g. 0.0.0.0:4318, localhost:4318 or [::]:4318"))
        << bad;
  }
  EXPECT_THAT(ParseHostPort("::1:4318"),
              IsErrorWith(StatusCode::kInvalidArgument, "put an IPv6 address in brackets"));
  EXPECT_THAT(ParseHostPort("[zz::1]:4318"),
              IsErrorWith(StatusCode::kInvalidArgument, "'zz::1' is not an IPv6 address"));
  EXPECT_THAT(ParseHostPort("my host:4318"),
              IsErrorWith(StatusCode::kInvalidArgument, "is not a host name or address"));
  for (const char* bad : {"localhost:", "0.0.0.0:65536", "0.0.0.0:http", "0.0.0.0:-1",
                          "0.0.0.0:99999999999999999999999"}) {
    EXPECT_THAT(ParseHostPort(bad),
                IsErrorWith(StatusCode::kInvalidArgument,
                            "the port must be a number from 0 (any free port) to 65535"))
        << bad;
  }
  // Port 0 asks the system for any free port (tests and ephemeral servers use it).
  EXPECT_THAT(ParseHostPort("127.0.0.1:0"), IsOk());
}

TEST(CheckHttpUrlTest, HttpAndHttpsOnly) {
  EXPECT_THAT(CheckHttpUrl("https://glue.us-west-2.amazonaws.com/iceberg"), IsOk());
  EXPECT_THAT(CheckHttpUrl("http://127.0.0.1:9000"), IsOk());
  EXPECT_THAT(CheckHttpUrl("HTTP://minio:9000"), IsOk());
  for (const char* bad :
       {"", "glue.amazonaws.com", "ftp://x", "http://", "http:///x", "https://a b"}) {
    EXPECT_THAT(CheckHttpUrl(bad),
                IsErrorWith(StatusCode::kInvalidArgument, "is not an http:// or https:// URL"))
        << bad;
  }
}

}  // namespace
}  // namespace o2p::config
