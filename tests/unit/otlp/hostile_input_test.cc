// Hostile and broken bodies through the whole decode + convert path: every outcome is either
// success or a clear INVALID_ARGUMENT / RESOURCE_EXHAUSTED error; never a crash, a hang or an
// unbounded allocation (this suite also runs under ASan + UBSan in CI).
#include <gtest/gtest.h>

#include <zlib.h>

#include <random>

#include "o2p/otlp/decompress.h"
#include "o2p/otlp/export_request.h"
#include "support/matchers.h"
#include "support/otlp_json_writer.h"
#include "support/otlp_samples.h"

namespace o2p::otlp {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsErrorWith;

// Decodes `body`; returns the status, and checks that a failure appended no rows.
Status Decode(Signal signal, Encoding encoding, std::string_view body) {
  TableBatches batches;
  auto stats = DecodeAndConvert(signal, encoding, body, {}, &batches);
  if (!stats.has_value()) {
    EXPECT_EQ(stats.error().code(), StatusCode::kInvalidArgument) << stats.error().ToString();
    EXPECT_FALSE(stats.error().message().empty());
    for (Table t : kAllTables) EXPECT_EQ(batches.Find(t), nullptr);
    return stats.error();
  }
  for (Table t : kAllTables) {
    if (const auto* b = batches.Find(t)) {
      EXPECT_TRUE(b->Validate().ok());
    }
  }
  return Status::Ok();
}

std::vector<std::pair<Signal, std::string>> SampleBodies(Encoding encoding) {
  auto render = [&](const google::protobuf::Message& m) {
    return encoding == Encoding::kProtobuf ? m.SerializeAsString() : ::o2p::testing::ToOtlpJson(m);
  };
  return {{Signal::kLogs, render(::o2p::testing::CoverageLogsRequest())},
          {Signal::kTraces, render(::o2p::testing::CoverageTracesRequest())},
          {Signal::kMetrics, render(::o2p::testing::CoverageMetricsRequest())}};
}

TEST(HostileInputTest, EveryTruncationOfProtobufIsHandled) {
  for (const auto& [signal, body] : SampleBodies(Encoding::kProtobuf)) {
    for (size_t len = 0; len < body.size(); ++len) {
      (void)Decode(signal, Encoding::kProtobuf, std::string_view(body).substr(0, len));
    }
  }
}

TEST(HostileInputTest, EveryTruncationOfJsonIsAnError) {
  for (const auto& [signal, body] : SampleBodies(Encoding::kJson)) {
    for (size_t len = 0; len + 1 < body.size(); len += 7) {
      EXPECT_FALSE(Decode(signal, Encoding::kJson, std::string_view(body).substr(0, len)).ok());
    }
  }
}

TEST(HostileInputTest, RandomByteMutationsAreHandled) {
  std::mt19937 rng(12345);
  for (Encoding encoding : {Encoding::kProtobuf, Encoding::kJson}) {
    for (const auto& [signal, body] : SampleBodies(encoding)) {
      for (int round = 0; round < 400; ++round) {
        std::string mutated = body;
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
          mutated[rng() % mutated.size()] = static_cast<char>(rng() & 0xFF);
        }
        (void)Decode(signal, encoding, mutated);
      }
    }
  }
}

TEST(HostileInputTest, GarbageIsAnError) {
  const std::string garbage = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";
  EXPECT_FALSE(Decode(Signal::kLogs, Encoding::kProtobuf, garbage).ok());
  EXPECT_FALSE(Decode(Signal::kLogs, Encoding::kJson, "not json").ok());
  EXPECT_FALSE(Decode(Signal::kLogs, Encoding::kJsonLines, "{}\n{oops}\n").ok());
}

TEST(HostileInputTest, DeeplyNestedKvlistsAreRejectedNotRecursed) {
  namespace common = opentelemetry::proto::common::v1;
  auto request = ::o2p::testing::SyntheticLogsRequest(1, 1);
  common::AnyValue* value = request.mutable_resource_logs(0)
                                ->mutable_scope_logs(0)
                                ->mutable_log_records(0)
                                ->mutable_body();
  for (int depth = 0; depth < 2000; ++depth) {
    auto* kv = value->mutable_kvlist_value()->add_values();
    kv->set_key("k");
    value = kv->mutable_value();
  }
  value->set_string_value("bottom");
  const Status proto = Decode(Signal::kLogs, Encoding::kProtobuf, request.SerializeAsString());
  EXPECT_THAT(proto, IsError(StatusCode::kInvalidArgument));
  const Status json = Decode(Signal::kLogs, Encoding::kJson, ::o2p::testing::ToOtlpJson(request));
  EXPECT_THAT(json, IsError(StatusCode::kInvalidArgument));
  EXPECT_FALSE(Decode(Signal::kLogs, Encoding::kJson, std::string(1 << 20, '[')).ok());
}

TEST(HostileInputTest, WrongJsonTypesNameThePath) {
  EXPECT_THAT(Decode(Signal::kTraces, Encoding::kJson,
                     R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]})"),
              IsErrorWith(StatusCode::kInvalidArgument, "resourceSpans[0].scopeSpans[0].spans[0]"));
  EXPECT_THAT(Decode(Signal::kLogs, Encoding::kJson, R"({"resourceLogs":{}})"),
              IsErrorWith(StatusCode::kInvalidArgument, "resourceLogs"));
  EXPECT_THAT(Decode(Signal::kTraces, Encoding::kJson,
                     R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_NOPE"}]}]}]})"),
              IsErrorWith(StatusCode::kInvalidArgument, "kind"));
  EXPECT_THAT(Decode(Signal::kMetrics, Encoding::kJson,
                     R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"sum":{"aggregationTemporality":1.5}}]}]}]})"),
              IsErrorWith(StatusCode::kInvalidArgument, "aggregationTemporality"));
}

TEST(HostileInputTest, BadHexIdsRejectTheRecordOnly) {
  const std::string body = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
      {"traceId":"not-hex-at-all!!","body":{"stringValue":"bad"}},
      {"traceId":"5b8efff798038103d269b633813fc60c","body":{"stringValue":"good"}},
      {"spanId":"abc","body":{"stringValue":"odd length"}}]}]}]})";
  TableBatches batches;
  auto stats = DecodeAndConvert(Signal::kLogs, Encoding::kJson, body, {}, &batches);
  ASSERT_TRUE(stats.has_value()) << stats.error().ToString();
  EXPECT_EQ(stats->accepted, 1);
  EXPECT_EQ(stats->rejected, 2);
  EXPECT_NE(stats->first_rejection.find("logRecords[0]"), std::string::npos)
      << stats->first_rejection;
  ASSERT_NE(batches.Find(Table::kLogs), nullptr);
  EXPECT_EQ(batches.Find(Table::kLogs)->num_rows(), 1U);
}

TEST(HostileInputTest, GzipBombStopsAtTheCap) {
  // 64 MiB + 1 of zeros, gzip-compressed, must fail without producing more than the cap.
  auto request = ::o2p::testing::SyntheticLogsRequest(1, 1);
  const std::string zeros(kDefaultMaxDecompressedBytes + 1, '\0');
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string gz(deflateBound(&z, zeros.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
  z.avail_in = static_cast<uInt>(zeros.size());
  z.next_out = reinterpret_cast<Bytef*>(gz.data());
  z.avail_out = static_cast<uInt>(gz.size());
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  gz.resize(z.total_out);
  deflateEnd(&z);
  EXPECT_LT(gz.size(), 100U * 1024);
  EXPECT_THAT(Decompress(gz, Compression::kGzip),
              IsErrorWith(StatusCode::kResourceExhausted, "exceeds"));
}

}  // namespace
}  // namespace o2p::otlp

namespace o2p::otlp {
namespace {

TEST(HostileInputTest, TinyRecordsCannotBlowUpMemory) {
  // 2M empty log records: 4 MiB of protobuf, but ~0.5 GB of decoded structs.
  std::string records;
  for (int i = 0; i < 2'000'000; ++i) records += std::string("\x12\x00", 2);
  auto len = [](size_t n) {
    std::string varint;
    while (n >= 0x80) {
      varint.push_back(static_cast<char>((n & 0x7F) | 0x80));
      n >>= 7;
    }
    varint.push_back(static_cast<char>(n));
    return varint;
  };
  const std::string scope_logs = "\x12" + len(records.size()) + records;
  const std::string body = "\x0a" + len(scope_logs.size()) + scope_logs;
  TableBatches batches;
  EXPECT_THAT(DecodeAndConvert(Signal::kLogs, Encoding::kProtobuf, body, {}, &batches),
              IsErrorWith(StatusCode::kResourceExhausted, "send smaller requests"));

  std::string json = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{})";
  for (int i = 0; i < 1'000'000; ++i) json += ",{}";
  json += "]}]}]}";
  EXPECT_THAT(DecodeAndConvert(Signal::kLogs, Encoding::kJson, json, {}, &batches),
              IsErrorWith(StatusCode::kResourceExhausted, "send smaller requests"));
  // A normal request of the same size is far inside the budget.
  const std::string normal = ::o2p::testing::SyntheticLogsRequest(7, 10000).SerializeAsString();
  EXPECT_TRUE(DecodeAndConvert(Signal::kLogs, Encoding::kProtobuf, normal, {}, &batches).has_value());
}

}  // namespace
}  // namespace o2p::otlp
