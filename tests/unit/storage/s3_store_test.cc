// S3Store and S3Client against a scripted HTTP client: addressing, signing headers, retry
// rules, multipart steps and the start-up error messages. The same store runs against moto
// in object_store_conformance_test.cc and tests/integration/s3_store_test.sh.
#include "o2p/storage/s3/s3_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/storage/s3/s3_xml.h"
#include "support/matchers.h"
#include "support/scripted_http_client.h"

namespace o2p::storage::s3 {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using ::o2p::testing::ScriptedHttpClient;
using ::o2p::testing::SentRequest;

std::string ErrorXml(std::string_view code, std::string_view message = "msg") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + std::string(code) +
         "</Code><Message>" + std::string(message) +
         "</Message><RequestId>req-42</RequestId></Error>";
}

class S3StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<S3Store> MakeStore(S3StoreOptions options) {
    if (options.client.bucket.empty()) options.client.bucket = "bucket";
    if (options.client.region.empty()) options.client.region = "eu-west-1";
    options.client.retry.sleep = [](std::chrono::milliseconds) {};
    auto store = S3Store::Make(options, http_, *credentials_);
    EXPECT_THAT(store, IsOk());
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::unique_ptr<S3Store> MakeStore() { return MakeStore(S3StoreOptions{}); }

  ScriptedHttpClient http_;
  std::unique_ptr<aws::CredentialsProvider> credentials_ = aws::MakeStaticCredentials(
      {.access_key_id = "AKIDEXAMPLE", .secret_access_key = "secret", .session_token = "tok",
       .expiration = std::nullopt});
};

TEST_F(S3StoreTest, AwsUsesVirtualHostedAddressingOverTls) {
  auto store = MakeStore();
  ASSERT_THAT(store->Put("logs/a b/x.parquet", "data"), IsOk());
  const SentRequest r = http_.sent().at(0);
  EXPECT_TRUE(r.endpoint.tls);
  EXPECT_EQ(r.endpoint.host, "bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.target, "/logs/a%20b/x.parquet");
  EXPECT_EQ(r.body, "data");
  EXPECT_THAT(r.Header("Authorization"),
              StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
  EXPECT_THAT(r.Header("Authorization"), HasSubstr("/eu-west-1/s3/aws4_request"));
  EXPECT_EQ(r.Header("x-amz-security-token"), "tok");
  EXPECT_EQ(r.Header("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(store->Describe("k"), "s3://bucket/k");
}

TEST_F(S3StoreTest, DottedBucketsAndCustomEndpointsUsePathStyle) {
  S3StoreOptions dotted;
  dotted.client.bucket = "my.bucket";
  ASSERT_THAT(MakeStore(dotted)->Put("k", "v"), IsOk());
  S3StoreOptions custom;
  custom.client.endpoint = "http://127.0.0.1:9000/base";
  custom.prefix = "/otel";
  ASSERT_THAT(MakeStore(custom)->Put("k", "v"), IsOk());
  const auto sent = http_.sent();
  EXPECT_EQ(sent[0].endpoint.host, "s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(sent[0].target, "/my.bucket/k");
  EXPECT_FALSE(sent[1].endpoint.tls);
  EXPECT_EQ(sent[1].target, "/base/bucket/otel/k");
  // Plain HTTP: the body's hash is signed.
  EXPECT_EQ(sent[1].Header("x-amz-content-sha256"),
            "4c94485e0c21ae6c41ce1dfe7b6bfaceea5ab68e40a2476f50208e526f506080");
}

TEST_F(S3StoreTest, RetriesServerErrorsThrottlingAndTransportFailures) {
  auto store = MakeStore();
  http_.ThenStatus(500, ErrorXml("InternalError"));
  http_.ThenStatus(503, ErrorXml("SlowDown"));
  http_.Then(Status::Unavailable("connection reset"));
  http_.Then(Status(StatusCode::kDeadlineExceeded, "timed out"));
  http_.ThenStatus(400, ErrorXml("RequestTimeout"));
  ASSERT_THAT(store->Put("k", "v"), IsOk());
  EXPECT_EQ(http_.sent().size(), 6U);
  EXPECT_EQ(store->client().retries(), 5U);
}

TEST_F(S3StoreTest, DoesNotRetryClientErrors) {
  auto store = MakeStore();
  http_.ThenStatus(403, ErrorXml("AccessDenied", "Access Denied"));
  EXPECT_THAT(store->Put("k", "v"), IsErrorWith(StatusCode::kPermissionDenied,
                                                "HTTP 403 AccessDenied: Access Denied (request id req-42)"));
  EXPECT_EQ(http_.sent().size(), 1U);
}

TEST_F(S3StoreTest, GivesUpAfterTheAttemptLimit) {
  S3StoreOptions options;
  options.client.retry.max_attempts = 3;
  auto store = MakeStore(options);
  for (int i = 0; i < 5; ++i) http_.ThenStatus(503, ErrorXml("SlowDown"));
  EXPECT_THAT(store->Put("k", "v"), IsErrorWith(StatusCode::kUnavailable, "gave up after 3 attempts"));
  EXPECT_EQ(http_.sent().size(), 3U);
}

TEST_F(S3StoreTest, MultipartUploadSendsPartsThenCompletesInOrder) {
  S3StoreOptions options;
  options.multipart_threshold = size_t{5} << 20;
  options.part_size = size_t{5} << 20;
  auto store = MakeStore(options);
  const std::string data((size_t{11} << 20) + 7, 'x');
  ASSERT_THAT(store->Put("big", data), IsOk());
  const auto sent = http_.sent();
  ASSERT_EQ(sent.size(), 5U);  // create, 3 parts, complete
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].target, "/big?uploads=");
  size_t part_bytes = 0;
  for (size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(sent[i].method, "PUT");
    EXPECT_THAT(sent[i].target, HasSubstr("uploadId=up%2F1%2Bx"));
    part_bytes += sent[i].body.size();
  }
  EXPECT_EQ(part_bytes, data.size());
  EXPECT_EQ(sent[4].method, "POST");
  EXPECT_EQ(sent[4].target, "/big?uploadId=up%2F1%2Bx");
  const auto parts = XmlElements(sent[4].body, "PartNumber");
  EXPECT_EQ(parts, (std::vector<std::string_view>{"1", "2", "3"}));
  EXPECT_EQ(XmlElements(sent[4].body, "ETag").size(), 3U);
}

TEST_F(S3StoreTest, MultipartFailureAbortsTheUpload) {
  S3StoreOptions options;
  options.multipart_threshold = size_t{5} << 20;
  options.part_size = size_t{5} << 20;
  options.upload_concurrency = 1;
  auto store = MakeStore(options);
  http_.ThenStatus(200, "<InitiateMultipartUploadResult><UploadId>u1</UploadId>"
                        "</InitiateMultipartUploadResult>");
  http_.ThenStatus(403, ErrorXml("AccessDenied"));
  EXPECT_THAT(store->Put("big", std::string(size_t{6} << 20, 'x')),
              IsError(StatusCode::kPermissionDenied));
  const auto sent = http_.sent();
  ASSERT_EQ(sent.size(), 3U);
  EXPECT_EQ(sent[2].method, "DELETE");
  EXPECT_EQ(sent[2].target, "/big?uploadId=u1");
}

TEST_F(S3StoreTest, CompleteWithAnErrorInsideA200IsRetried) {
  S3StoreOptions options;
  options.multipart_threshold = size_t{5} << 20;
  options.part_size = size_t{5} << 20;
  auto store = MakeStore(options);
  http_.ThenStatus(200, "<InitiateMultipartUploadResult><UploadId>u1</UploadId>"
                        "</InitiateMultipartUploadResult>");
  http_.ThenStatus(200, "", {{"ETag", "\"e1\""}});
  http_.ThenStatus(200, ErrorXml("InternalError"));
  http_.ThenStatus(200, "<CompleteMultipartUploadResult/>");
  ASSERT_THAT(store->Put("big", std::string(size_t{5} << 20, 'x')), IsOk());
  EXPECT_EQ(http_.sent().size(), 4U);
}

TEST_F(S3StoreTest, RetriedCompleteThatAlreadyLandedIsAccepted) {
  S3StoreOptions options;
  options.multipart_threshold = size_t{5} << 20;
  options.part_size = size_t{5} << 20;
  auto store = MakeStore(options);
  const std::string data(size_t{5} << 20, 'x');
  http_.ThenStatus(200, "<InitiateMultipartUploadResult><UploadId>u1</UploadId>"
                        "</InitiateMultipartUploadResult>");
  http_.ThenStatus(200, "", {{"ETag", "\"e1\""}});
  http_.Then(Status::Unavailable("connection closed before the response"));
  http_.ThenStatus(404, ErrorXml("NoSuchUpload"));
  http_.ThenStatus(200, "", {{"Content-Length", std::to_string(data.size())}});
  ASSERT_THAT(store->Put("big", data), IsOk());
  EXPECT_EQ(http_.sent().back().method, "HEAD");
}

TEST_F(S3StoreTest, ListPagesThroughContinuationTokensAndStripsThePrefix) {
  S3StoreOptions options;
  options.prefix = "p";
  auto store = MakeStore(options);
  http_.ThenStatus(200,
                   "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>p/a&amp;b</Key>"
                   "<Size>3</Size></Contents><NextContinuationToken>t/1=</NextContinuationToken>"
                   "</ListBucketResult>");
  http_.ThenStatus(200,
                   "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>p/c</Key>"
                   "<Size>10</Size></Contents></ListBucketResult>");
  auto listed = store->List("");
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(*listed, (std::vector<ObjectInfo>{{"a&b", 3}, {"c", 10}}));
  const auto sent = http_.sent();
  EXPECT_EQ(sent[0].target, "/?list-type=2&prefix=p%2F");
  EXPECT_EQ(sent[1].target, "/?continuation-token=t%2F1%3D&list-type=2&prefix=p%2F");
}

// Found by fuzz/s3_xml: a server that repeats a continuation token kept List looping forever.
TEST_F(S3StoreTest, ListGivesUpWhenAContinuationTokenRepeats) {
  auto store = MakeStore();
  const std::string page =
      "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>t1"
      "</NextContinuationToken></ListBucketResult>";
  http_.ThenStatus(200, page);
  http_.ThenStatus(200, page);
  EXPECT_THAT(store->List(""), IsErrorWith(StatusCode::kUnavailable, "repeats continuation token"));
  EXPECT_EQ(http_.sent().size(), 2u);
}

TEST_F(S3StoreTest, VerifyBucketExplainsWhatToFix) {
  auto store = MakeStore();
  http_.ThenStatus(404, "");
  EXPECT_THAT(store->VerifyBucket(), IsErrorWith(StatusCode::kNotFound, "bucket bucket does not exist"));
  http_.ThenStatus(403, "");
  EXPECT_THAT(store->VerifyBucket(), IsErrorWith(StatusCode::kPermissionDenied, "s3:PutObject"));
  http_.ThenStatus(301, "", {{"x-amz-bucket-region", "us-west-2"}});
  EXPECT_THAT(store->VerifyBucket(),
              IsErrorWith(StatusCode::kFailedPrecondition, "set OTLP2PARQUET_S3_REGION=us-west-2"));
  EXPECT_THAT(store->VerifyBucket(), IsOk());
}

TEST_F(S3StoreTest, RejectsBadOptions) {
  S3StoreOptions options;
  options.client.bucket = "b";
  options.part_size = 1 << 20;
  EXPECT_THAT(S3Store::Make(options, http_, *credentials_), IsError(StatusCode::kInvalidArgument));
  S3StoreOptions no_region;
  no_region.client.bucket = "b";
  EXPECT_THAT(S3Store::Make(no_region, http_, *credentials_),
              IsErrorWith(StatusCode::kInvalidArgument, "region"));
}

TEST(S3XmlTest, ElementsTextAndEntities) {
  const std::string xml =
      "<R><KeyCount>2</KeyCount><Key>a&lt;&#x263A;&#65;&bogus;</Key><Key/><Key>b</Key></R>";
  EXPECT_EQ(XmlElements(xml, "Key"), (std::vector<std::string_view>{"a&lt;&#x263A;&#65;&bogus;", "", "b"}));
  EXPECT_EQ(XmlText(xml, "Key"), "a<\xE2\x98\xBA" "A&bogus;");
  EXPECT_EQ(XmlText(xml, "Missing"), std::nullopt);
  EXPECT_EQ(XmlEscape("<a & 'b'>"), "&lt;a &amp; &apos;b&apos;&gt;");
  const S3ErrorBody error = ParseS3Error(ErrorXml("NoSuchKey", "The key &quot;k&quot;"));
  EXPECT_EQ(error.code, "NoSuchKey");
  EXPECT_EQ(error.message, "The key \"k\"");
  EXPECT_EQ(error.request_id, "req-42");
  EXPECT_EQ(ParseS3Error("not xml").code, "");
}

TEST(S3RetryRulesTest, WhatIsRetried) {
  EXPECT_TRUE(IsRetryableS3Answer(500, ""));
  EXPECT_TRUE(IsRetryableS3Answer(503, "SlowDown"));
  EXPECT_TRUE(IsRetryableS3Answer(429, ""));
  EXPECT_TRUE(IsRetryableS3Answer(408, ""));
  EXPECT_TRUE(IsRetryableS3Answer(400, "RequestTimeout"));
  EXPECT_TRUE(IsRetryableS3Answer(200, "InternalError"));
  EXPECT_FALSE(IsRetryableS3Answer(403, "AccessDenied"));
  EXPECT_FALSE(IsRetryableS3Answer(404, "NoSuchBucket"));
  EXPECT_FALSE(IsRetryableS3Answer(400, "InvalidArgument"));
}

}  // namespace
}  // namespace o2p::storage::s3
