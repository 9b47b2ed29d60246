#include "o2p/storage/aws/sigv4.h"

#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/base/text_codec.h"

namespace o2p::storage::aws {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kDocSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

constexpr std::chrono::system_clock::time_point At(int64_t unix_seconds) {
  return std::chrono::system_clock::time_point{std::chrono::seconds(unix_seconds)};
}

// 2015-08-30T12:36:00Z, the time of the AWS documentation's examples.
constexpr auto kDocTime = At(1440938160);

Credentials DocCredentials() { return {"AKIDEXAMPLE", std::string(kDocSecret), "", {}}; }

// The canonical request's lines (it has no trailing newline).
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  lines.push_back(text.substr(start));
  return lines;
}

std::string CanonicalUriOf(std::string target, bool s3_rules) {
  http::Request request;
  request.target = std::move(target);
  const Signature signature =
      SignV4(request, "h", DocCredentials(),
             {.service = "svc", .region = "r", .s3_rules = s3_rules}, kDocTime);
  return Lines(signature.canonical_request)[1];
}

std::string CanonicalQueryOf(std::string target) {
  http::Request request;
  request.target = std::move(target);
  const Signature signature =
      SignV4(request, "h", DocCredentials(), {.service = "s3", .region = "r"}, kDocTime);
  return Lines(signature.canonical_request)[2];
}

TEST(Sha256HexTest, KnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
TEST(SigV4Test, SigningKeyMatchesAwsDocumentation) {
  EXPECT_EQ(ToHex(DeriveSigningKey(kDocSecret, "20120215", "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

// The IAM ListUsers request of the AWS SigV4 documentation and its published signature.
TEST(SigV4Test, IamListUsersMatchesAwsDocumentation) {
  http::Request request;
  request.target = "/?Action=ListUsers&Version=2010-05-08";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  const Signature signature = SignV4(request, "iam.amazonaws.com", DocCredentials(),
                                     {.service = "iam", .region = "us-east-1"}, kDocTime);
  EXPECT_EQ(signature.canonical_request,
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "content-type;host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(signature.signature,
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4Test, AddsHeadersInDocumentedOrder) {
  http::Request request;
  request.method = "PUT";
  request.target = "/bucket/key";
  request.body = "hello";
  Credentials credentials = DocCredentials();
  credentials.session_token = "session-token";
  const Signature signature =
      SignV4(request, "s3.amazonaws.com", credentials,
             {.service = "s3", .region = "eu-west-1", .s3_rules = true}, kDocTime);
  ASSERT_EQ(signature.headers_to_add.size(), 4u);
  EXPECT_EQ(signature.headers_to_add[0], (http::Header{"X-Amz-Date", "20150830T123600Z"}));
  EXPECT_EQ(signature.headers_to_add[1], (http::Header{"X-Amz-Security-Token", "session-token"}));
  EXPECT_EQ(signature.headers_to_add[2],
            (http::Header{"X-Amz-Content-SHA256", Sha256Hex("hello")}));
  EXPECT_EQ(signature.headers_to_add[3].name, "Authorization");
  EXPECT_EQ(signature.headers_to_add[3].value,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/s3/aws4_request, "
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
            "Signature=" +
                signature.signature);
  EXPECT_EQ(signature.signature.size(), 64u);
}

TEST(SigV4Test, NonS3WithoutTokenAddsOnlyDateAndAuthorization) {
  http::Request request;
  const Signature signature = SignV4(request, "glue.us-east-1.amazonaws.com", DocCredentials(),
                                     {.service = "glue", .region = "us-east-1"}, kDocTime);
  ASSERT_EQ(signature.headers_to_add.size(), 2u);
  EXPECT_EQ(signature.headers_to_add[0].name, "X-Amz-Date");
  EXPECT_EQ(signature.headers_to_add[1].name, "Authorization");
  EXPECT_THAT(signature.headers_to_add[1].value, HasSubstr("SignedHeaders=host;x-amz-date,"));
}

TEST(SigV4Test, UnsignedPayloadIsSignedInsteadOfTheBodyHash) {
  http::Request request;
  request.method = "PUT";
  request.body = "body";
  const Signature signature = SignV4(
      request, "h", DocCredentials(),
      {.service = "s3", .region = "r", .s3_rules = true, .unsigned_payload = true}, kDocTime);
  EXPECT_EQ(Lines(signature.canonical_request).back(), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(signature.headers_to_add[1],
            (http::Header{"X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"}));
}

TEST(SigV4Test, S3PathIsSignedAsSent) {
  EXPECT_EQ(CanonicalUriOf("/b//a/./c/../my%20key+%2B=~", true), "/b//a/./c/../my%20key+%2B=~");
  EXPECT_EQ(CanonicalUriOf("?x=1", true), "/");
}

TEST(SigV4Test, OtherServicesNormaliseAndEncodeThePathAgain) {
  EXPECT_EQ(CanonicalUriOf("/a//b/./c/../d", false), "/a/b/d");
  EXPECT_EQ(CanonicalUriOf("/a/b/", false), "/a/b/");
  EXPECT_EQ(CanonicalUriOf("/a/..", false), "/");
  EXPECT_EQ(CanonicalUriOf("/my%20item/a+b=c~d", false), "/my%2520item/a%2Bb%3Dc~d");
  EXPECT_EQ(CanonicalUriOf("/arn%3Aaws%2Fx", false), "/arn%253Aaws%252Fx");
}

TEST(SigV4Test, QueryIsDecodedReencodedAndSorted) {
  EXPECT_EQ(CanonicalQueryOf("/?b=2&a=3&a=1&a="), "a=&a=1&a=3&b=2");
  EXPECT_EQ(CanonicalQueryOf("/?uploads"), "uploads=");
  EXPECT_EQ(CanonicalQueryOf("/?k=a:b,c*&t=%7e&p=a+b&s=a/b"), "k=a%3Ab%2Cc%2A&p=a%2Bb&s=a%2Fb&t=~");
  EXPECT_EQ(CanonicalQueryOf("/?e=%c3%A9&bad=%zz"), "bad=%25zz&e=%C3%A9");
  EXPECT_EQ(CanonicalQueryOf("/path"), "");
}

TEST(SigV4Test, HeadersAreLowerCasedTrimmedFoldedAndJoined) {
  http::Request request;
  request.headers = {{"X-Amz-Meta-B", "  a   b \t c  "},
                     {"x-amz-meta-a", "one"},
                     {"X-AMZ-META-A", " two "},
                     {"Content-Type", "text/plain"}};
  const Signature signature =
      SignV4(request, "example.com", DocCredentials(), {.service = "s3", .region = "r"}, kDocTime);
  const std::vector<std::string> lines = Lines(signature.canonical_request);
  EXPECT_THAT(
      std::vector<std::string>(lines.begin() + 3, lines.begin() + 10),
      ElementsAre("content-type:text/plain", "host:example.com", "x-amz-date:20150830T123600Z",
                  "x-amz-meta-a:one,two", "x-amz-meta-b:a b c", "",
                  "content-type;host;x-amz-date;x-amz-meta-a;x-amz-meta-b"));
}

TEST(SigV4Test, HostHeaderOfTheRequestIsUsedOnce) {
  http::Request request;
  request.headers = {{"Host", "Example.com:8443"}};
  const Signature signature =
      SignV4(request, "ignored", DocCredentials(), {.service = "s3", .region = "r"}, kDocTime);
  EXPECT_THAT(signature.canonical_request, HasSubstr("\nhost:Example.com:8443\nx-amz-date:"));
  EXPECT_THAT(signature.canonical_request, Not(HasSubstr("ignored")));
}

TEST(SigV4Test, DateIsUtcAndChangesTheScope) {
  http::Request request;
  // 2024-02-29T23:59:59.999Z: a leap day, and sub-second parts are dropped.
  const auto now = At(1709251199) + std::chrono::milliseconds(999);
  const Signature signature =
      SignV4(request, "h", DocCredentials(), {.service = "s3", .region = "r"}, now);
  EXPECT_EQ(signature.headers_to_add[0].value, "20240229T235959Z");
  EXPECT_THAT(signature.string_to_sign, HasSubstr("\n20240229/r/s3/aws4_request\n"));
}

TEST(SigV4Test, SecretsAppearNowhereButTheTokenHeader) {
  http::Request request;
  Credentials credentials = DocCredentials();
  credentials.session_token = "TOKEN-VALUE";
  const Signature signature =
      SignV4(request, "h", credentials, {.service = "s3", .region = "r"}, kDocTime);
  EXPECT_THAT(signature.canonical_request + signature.string_to_sign,
              Not(HasSubstr(std::string(kDocSecret))));
  EXPECT_THAT(signature.headers_to_add.back().value, Not(HasSubstr(std::string(kDocSecret))));
  EXPECT_THAT(signature.headers_to_add.back().value, Not(HasSubstr("TOKEN-VALUE")));
}

}  // namespace
}  // namespace o2p::storage::aws
