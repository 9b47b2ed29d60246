// Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from the test fixtures:
// the OTLP sample requests of tests/support in protobuf, JSON and JSON Lines, compressed
// bodies, raw HTTP requests and Lambda events carrying them, the Iceberg REST documents of
// tests/data, S3 answers and the printed default configuration. Run after a fixture changes:
//   build/ci/fuzz/fuzz_make_seeds fuzz/corpus
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "o2p/base/text_codec.h"
#include "o2p/config/config.h"
#include "o2p/config/settings.h"
#include "support/compress.h"
#include "support/otlp_json_writer.h"
#include "support/otlp_samples.h"

namespace {

namespace fs = std::filesystem;
using o2p::testing::ToOtlpJson;

fs::path g_out;

void Write(const std::string& target, const std::string& name, std::string_view bytes) {
  const fs::path dir = g_out / target;
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using o2p::testing::CompressDeflate;  // window bits 31: gzip; 15: zlib (HTTP "deflate")
using o2p::testing::CompressZstd;

std::string HttpPost(std::string_view path, std::string_view type, std::string_view encoding,
                     std::string_view body) {
  std::string head = "POST " + std::string(path) + " HTTP/1.1\r\nHost: localhost\r\n";
  head += "Content-Type: " + std::string(type) + "\r\n";
  if (!encoding.empty()) head += "Content-Encoding: " + std::string(encoding) + "\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return head + std::string(body);
}

std::string LambdaEventV2(std::string_view path, std::string_view type, std::string_view body,
                          bool base64) {
  const std::string text = base64 ? o2p::ToBase64(body) : std::string(body);
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return R"({"version":"2.0","rawPath":")" + std::string(path) +
         R"(","requestContext":{"http":{"method":"POST"}},"headers":{"content-type":")" +
         std::string(type) + R"("},"isBase64Encoded":)" + (base64 ? "true" : "false") +
         R"(,"body":")" + escaped + "\"}";
}

struct Sample {
  std::string name, path, proto, json;
};

std::vector<Sample> Samples() {
  using namespace o2p::testing;
  return {
      {"logs", "/v1/logs", CoverageLogsRequest().SerializeAsString(),
       ToOtlpJson(CoverageLogsRequest())},
      {"traces", "/v1/traces", CoverageTracesRequest().SerializeAsString(),
       ToOtlpJson(CoverageTracesRequest())},
      {"metrics", "/v1/metrics", CoverageMetricsRequest().SerializeAsString(),
       ToOtlpJson(CoverageMetricsRequest())},
      {"logs_synthetic", "/v1/logs", SyntheticLogsRequest(1, 3).SerializeAsString(),
       ToOtlpJson(SyntheticLogsRequest(1, 3), {.snake_case_keys = true})},
      {"traces_synthetic", "/v1/traces", SyntheticTracesRequest(2, 3).SerializeAsString(),
       ToOtlpJson(SyntheticTracesRequest(2, 3), {.enums_as_names = true})},
      {"metrics_synthetic", "/v1/metrics", SyntheticMetricsRequest(3, 3).SerializeAsString(),
       ToOtlpJson(SyntheticMetricsRequest(3, 3), {.int64_as_numbers = true})},
  };
}

void OtlpSeeds() {
  for (const Sample& s : Samples()) {
    Write("otlp_proto", s.name + ".pb", s.proto);
    Write("otlp_proto_diff", s.name + ".pb", s.proto);
    Write("otlp_json", s.name + ".json", s.json);
    Write("otlp_json", s.name + ".jsonl", s.json + "\n" + s.json + "\n");
    Write("decompress", s.name + ".gzip", "gzip\n" + CompressDeflate(s.proto, 31));
    Write("decompress", s.name + ".deflate", "deflate\n" + CompressDeflate(s.proto, 15));
    Write("decompress", s.name + ".zstd",
          "gzip, zstd\n" + CompressZstd(CompressDeflate(s.proto, 31)));
    Write("http_request", s.name + ".pb.http",
          HttpPost(s.path, "application/x-protobuf", "", s.proto));
    Write("http_request", s.name + ".json.gzip.http",
          HttpPost(s.path, "application/json", "gzip", CompressDeflate(s.json, 31)));
    Write("lambda_event", s.name + ".pb.json",
          LambdaEventV2(s.path, "application/x-protobuf", s.proto, true));
    Write("lambda_event", s.name + ".json.json",
          LambdaEventV2(s.path, "application/json", s.json, false));
  }
  Write("http_request", "health_pipelined.http",
        "GET /health HTTP/1.1\r\nHost: a\r\n\r\nGET /metrics HTTP/1.1\r\nHost: a\r\n\r\n");
  Write("http_request", "chunked.http",
        "POST /v1/logs HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  Write(
      "lambda_event", "v1_rest.json",
      R"({"httpMethod":"POST","path":"/prod/v1/logs","headers":{"Content-Type":"application/json"},)"
      R"("multiValueHeaders":{"X-A":["1","2"]},"isBase64Encoded":false,"body":"{}"})");
}

void TextSeeds(const fs::path& source) {
  for (const auto& entry : fs::directory_iterator(source / "tests/data/iceberg")) {
    Write("iceberg_rest", entry.path().filename().string(), ReadFile(entry.path()));
  }
  Write(
      "iceberg_rest", "config.json",
      R"({"defaults":{"warehouse":"w"},"overrides":{"prefix":"p"},"endpoints":["GET /v1/{prefix}/namespaces"],"idempotency-key-lifetime":"PT1H"})");
  Write(
      "iceberg_rest", "error.json",
      R"({"error":{"message":"Commit failed","type":"CommitFailedException","code":409,"stack":["a"]}})");
  Write("s3_xml", "list.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>bucket</Name>"
        "<Contents><Key>otel/logs/a&amp;b.parquet</Key><Size>123</Size></Contents>"
        "<IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken>"
        "</ListBucketResult>");
  Write("s3_xml", "error.xml",
        "<Error><Code>PermanentRedirect</Code><Message>Use &#x41; &#65; &lt;it&gt;</Message>"
        "<Region>eu-west-1</Region><RequestId>R1</RequestId></Error>");
  Write("s3_xml", "upload.xml",
        "<InitiateMultipartUploadResult><UploadId>u-1</UploadId></InitiateMultipartUploadResult>");
  Write("config_toml", "defaults.toml", o2p::config::FormatConfig(o2p::config::Config{}));
  Write("config_toml", "types.toml",
        "[server]\nlisten = \"127.0.0.1:4318\"\nmax_payload_bytes = \"8MiB\"\n"
        "[batch]\nmax_rows = 1000\nmax_age = \"5s\"\n[storage]\nbackend = \"s3\"\n"
        "[storage.s3]\nbucket = \"b\"\nendpoint = \"http://127.0.0.1:5000\"\n"
        "[iceberg]\nrest_uri = \"https://glue.eu-west-1.amazonaws.com/iceberg\"\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds OUT_DIR   (run from the source root)\n");
    return 2;
  }
  g_out = argv[1];
  OtlpSeeds();
  TextSeeds(fs::current_path());
  return 0;
}
