// The same data in every encoding gives the same rows.
//
// Each request is built once as a protobuf message, then sent through the protobuf decoder and
// through the OTLP/JSON decoder in every JSON variant the decoders must accept (camelCase or
// snake_case keys, 64-bit integers as strings or numbers, enums as numbers or names, ids as hex
// or base64), and as JSON Lines. All must give identical batches. The protobuf batches are also
// compared with reviewed golden files in tests/data/otlp/ (set O2P_UPDATE_GOLDEN=1 to rewrite
// them after a deliberate change, then review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "o2p/otlp/export_request.h"
#include "support/batch_text.h"
#include "support/matchers.h"
#include "support/otlp_json_writer.h"
#include "support/otlp_samples.h"

namespace o2p::otlp {
namespace {

using ::o2p::testing::OtlpJsonStyle;

constexpr uint64_t kReceiveTime = 1700000000000000000ULL;

struct Rendered {
  std::string text;
  ConvertStats stats;
};

Rendered DecodeRender(Signal signal, Encoding encoding, const std::string& body) {
  TableBatches batches;
  auto stats = DecodeAndConvert(signal, encoding, body, {kReceiveTime}, &batches);
  EXPECT_TRUE(stats.has_value()) << EncodingName(encoding) << ": " << stats.status().ToString();
  if (!stats.has_value()) return {};
  for (Table t : kAllTables) {
    if (const auto* b = batches.Find(t)) {
      EXPECT_TRUE(b->Validate().ok()) << TableName(t);
    }
  }
  return {::o2p::testing::RenderBatches(batches), *stats};
}

std::vector<std::pair<std::string, OtlpJsonStyle>> JsonStyles() {
  std::vector<std::pair<std::string, OtlpJsonStyle>> styles;
  styles.push_back({"otlp", {}});
  OtlpJsonStyle s;
  s.snake_case_keys = true;
  styles.push_back({"snake_case", s});
  s = {};
  s.int64_as_numbers = true;
  styles.push_back({"int64_numbers", s});
  s = {};
  s.enums_as_names = true;
  styles.push_back({"enum_names", s});
  s = {};
  s.ids_as_base64 = true;
  styles.push_back({"base64_ids", s});
  s = {};
  s.emit_defaults = true;
  s.snake_case_keys = true;
  s.int64_as_numbers = true;
  styles.push_back({"defaults_snake_numbers", s});
  return styles;
}

void ExpectAllEncodingsAgree(Signal signal, const google::protobuf::Message& request) {
  const Rendered proto = DecodeRender(signal, Encoding::kProtobuf, request.SerializeAsString());
  ASSERT_FALSE(proto.text.empty());
  for (const auto& [name, style] : JsonStyles()) {
    SCOPED_TRACE(name);
    const std::string json = ::o2p::testing::ToOtlpJson(request, style);
    const Rendered from_json = DecodeRender(signal, Encoding::kJson, json);
    EXPECT_EQ(from_json.text, proto.text);
    EXPECT_EQ(from_json.stats.accepted, proto.stats.accepted);
    EXPECT_EQ(from_json.stats.rejected, proto.stats.rejected);
  }
  // JSON Lines: the request twice, with a blank line and CRLF, equals two protobuf decodes.
  const std::string line = ::o2p::testing::ToOtlpJson(request);
  const Rendered lines = DecodeRender(signal, Encoding::kJsonLines, line + "\r\n\n" + line + "\n");
  TableBatches twice;
  const std::string bytes = request.SerializeAsString();
  ASSERT_TRUE(DecodeAndConvert(signal, Encoding::kProtobuf, bytes, {kReceiveTime}, &twice).has_value());
  ASSERT_TRUE(DecodeAndConvert(signal, Encoding::kProtobuf, bytes, {kReceiveTime}, &twice).has_value());
  EXPECT_EQ(lines.text, ::o2p::testing::RenderBatches(twice));
  EXPECT_EQ(lines.stats.accepted, 2 * proto.stats.accepted);
}

void ExpectGolden(Signal signal, const google::protobuf::Message& request, const std::string& name) {
  const char* source_dir = std::getenv("O2P_SOURCE_DIR");
  ASSERT_NE(source_dir, nullptr) << "ctest sets O2P_SOURCE_DIR";
  const std::string path = std::string(source_dir) + "/tests/data/otlp/" + name + ".expected.txt";
  const Rendered proto = DecodeRender(signal, Encoding::kProtobuf, request.SerializeAsString());
  const std::string actual = fmt::format("# accepted {} rejected {}: {}\n{}", proto.stats.accepted,
                                         proto.stats.rejected, proto.stats.first_rejection,
                                         proto.text);
  if (std::getenv("O2P_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "golden file " << path;
}

TEST(EncodingsTest, CoverageLogsAgreeAcrossEncodings) {
  ExpectAllEncodingsAgree(Signal::kLogs, ::o2p::testing::CoverageLogsRequest());
}
TEST(EncodingsTest, CoverageTracesAgreeAcrossEncodings) {
  ExpectAllEncodingsAgree(Signal::kTraces, ::o2p::testing::CoverageTracesRequest());
}
TEST(EncodingsTest, CoverageMetricsAgreeAcrossEncodings) {
  ExpectAllEncodingsAgree(Signal::kMetrics, ::o2p::testing::CoverageMetricsRequest());
}
TEST(EncodingsTest, SyntheticRequestsAgreeAcrossEncodings) {
  ExpectAllEncodingsAgree(Signal::kLogs, ::o2p::testing::SyntheticLogsRequest(1, 50));
  ExpectAllEncodingsAgree(Signal::kTraces, ::o2p::testing::SyntheticTracesRequest(2, 50));
  ExpectAllEncodingsAgree(Signal::kMetrics, ::o2p::testing::SyntheticMetricsRequest(3, 50));
}

TEST(EncodingsTest, CoverageLogsMatchGolden) {
  ExpectGolden(Signal::kLogs, ::o2p::testing::CoverageLogsRequest(), "coverage_logs");
}
TEST(EncodingsTest, CoverageTracesMatchGolden) {
  ExpectGolden(Signal::kTraces, ::o2p::testing::CoverageTracesRequest(), "coverage_traces");
}
TEST(EncodingsTest, CoverageMetricsMatchGolden) {
  ExpectGolden(Signal::kMetrics, ::o2p::testing::CoverageMetricsRequest(), "coverage_metrics");
}

}  // namespace
}  // namespace o2p::otlp
