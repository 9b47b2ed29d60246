#include "o2p/config/settings.h"

#include <fstream>
#include <iterator>
#include <set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/matchers.h"

namespace o2p::config {
namespace {

using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

TEST(SettingsTableTest, NamesAreUniqueAndFollowTheRules) {
  std::set<std::string_view> keys;
  std::set<std::string_view> envs;
  std::set<std::string_view> flags;
  for (const Setting& s : Settings()) {
    SCOPED_TRACE(s.key);
    EXPECT_TRUE(keys.insert(s.key).second);
    EXPECT_TRUE(envs.insert(s.env).second);
    EXPECT_NE(s.key.find('.'), std::string_view::npos);
    EXPECT_THAT(std::string(s.env), StartsWith("OTLP2PARQUET_"));
    EXPECT_FALSE(s.help.empty());
    EXPECT_FALSE(s.value_hint.empty());
    EXPECT_TRUE(s.parse && s.print);
    // Secrets have no flag (they would show in `ps`); everything else has one.
    EXPECT_EQ(s.flag.empty(), s.secret);
    if (!s.flag.empty()) {
      EXPECT_THAT(std::string(s.flag), StartsWith("--"));
      EXPECT_TRUE(flags.insert(s.flag).second);
    }
  }
  EXPECT_FALSE(flags.count(kConfigFileFlag));
  EXPECT_FALSE(envs.count(kConfigFileEnv));
}

TEST(SettingsTableTest, TheNamesScriptsRelyOn) {
  struct Names {
    std::string_view key, env, flag;
  };
  for (const Names& n : std::initializer_list<Names>{
           {"server.listen", "OTLP2PARQUET_LISTEN_ADDR", "--listen"},
           {"server.grpc_listen", "OTLP2PARQUET_GRPC_LISTEN_ADDR", "--grpc-listen"},
           {"storage.path", "OTLP2PARQUET_STORAGE_PATH", "--output"},
           {"batch.max_age", "OTLP2PARQUET_BATCH_MAX_AGE_SECS", "--batch-max-age"}}) {
    const Setting* by_key = FindSettingByKey(n.key);
    ASSERT_NE(by_key, nullptr) << n.key;
    EXPECT_EQ(FindSettingByEnv(n.env), by_key);
    EXPECT_EQ(FindSettingByFlag(n.flag), by_key);
  }
  EXPECT_EQ(FindSettingByKey("server.nope"), nullptr);
  EXPECT_EQ(FindSettingByFlag(""), nullptr);
}

TEST(SettingsTableTest, KeepsTheOriginalProjectsVariableNames) {
  for (const char* env : {"LISTEN_ADDR",
                          "STORAGE_BACKEND",
                          "STORAGE_PATH",
                          "BATCH_MAX_ROWS",
                          "BATCH_MAX_BYTES",
                          "BATCH_MAX_AGE_SECS",
                          "MAX_PAYLOAD_BYTES",
                          "LOG_LEVEL",
                          "LOG_FORMAT",
                          "S3_BUCKET",
                          "S3_REGION",
                          "S3_ENDPOINT",
                          "PARQUET_ROW_GROUP_SIZE",
                          "ICEBERG_REST_URI",
                          "ICEBERG_WAREHOUSE",
                          "ICEBERG_NAMESPACE",
                          "ICEBERG_DATA_LOCATION",
                          "ICEBERG_TABLE_LOGS",
                          "ICEBERG_TABLE_TRACES",
                          "ICEBERG_TABLE_METRICS_GAUGE",
                          "ICEBERG_TABLE_METRICS_SUM",
                          "ICEBERG_TABLE_METRICS_HISTOGRAM",
                          "ICEBERG_TABLE_METRICS_EXPONENTIAL_HISTOGRAM",
                          "ICEBERG_TABLE_METRICS_SUMMARY",
                          "GRPC_LISTEN_ADDR",
                          "MAX_BUFFERED_BYTES",
                          "AUTH_TOKEN"}) {
    EXPECT_NE(FindSettingByEnv(std::string("OTLP2PARQUET_") + env), nullptr) << env;
  }
}

TEST(SettingsTableTest, Defaults) {
  const Config c;
  EXPECT_EQ(c.server.listen, "0.0.0.0:4318");
  EXPECT_EQ(c.server.grpc_listen, "0.0.0.0:4317");
  EXPECT_EQ(c.server.max_payload_bytes, 8u << 20);
  EXPECT_EQ(c.server.max_decompressed_bytes, 64u << 20);
  EXPECT_EQ(c.batch.max_rows, 200000u);
  EXPECT_EQ(c.batch.max_bytes, 64u << 20);
  EXPECT_EQ(c.batch.max_age, std::chrono::seconds(10));
  EXPECT_EQ(c.batch.max_buffered_bytes, 512u << 20);
  EXPECT_EQ(c.storage.backend, StorageBackend::kLocal);
  EXPECT_EQ(c.storage.path, "./data");
  EXPECT_EQ(c.parquet.codec, parquet::Codec::kZstd);
  EXPECT_EQ(c.iceberg.namespace_name, "otel");
  EXPECT_EQ(c.iceberg.tables.metrics_exponential_histogram, "metrics_exponential_histogram");
  EXPECT_FALSE(c.iceberg.enabled());
  EXPECT_EQ(c.log.level, LogLevel::kInfo);
  EXPECT_EQ(c.log.format, LogFormat::kText);
}

// The printed default parses back to the default: `--help` and `config` show real values.
TEST(SettingsTableTest, EveryDefaultRoundTrips) {
  for (const Setting& s : Settings()) {
    Config config;
    EXPECT_THAT(s.parse(s.print(config), config), IsOk()) << s.key;
    EXPECT_EQ(config, Config{}) << s.key;
  }
}

TEST(SettingsTableTest, EveryTypedSettingRejectsGarbageQuotingIt) {
  // Free text: names, paths, prefixes, secrets.
  const std::set<std::string_view> text = {"storage.path",
                                           "storage.s3.bucket",
                                           "storage.s3.region",
                                           "storage.s3.prefix",
                                           "iceberg.warehouse",
                                           "iceberg.namespace",
                                           "iceberg.data_location",
                                           "iceberg.catalog",
                                           "iceberg.access_delegation",
                                           "iceberg.signing_name",
                                           "iceberg.signing_region",
                                           "iceberg.token",
                                           "iceberg.credential",
                                           "iceberg.tables.logs",
                                           "iceberg.tables.traces",
                                           "iceberg.tables.metrics_gauge",
                                           "iceberg.tables.metrics_sum",
                                           "iceberg.tables.metrics_histogram",
                                           "iceberg.tables.metrics_exponential_histogram",
                                           "iceberg.tables.metrics_summary",
                                           "auth.token",
                                           "wal.dir"};
  for (const Setting& s : Settings()) {
    Config config;
    const Status status = s.parse("!!bad", config);
    if (text.count(s.key)) {
      EXPECT_THAT(status, IsOk()) << s.key;
      continue;
    }
    EXPECT_THAT(status, IsErrorWith(StatusCode::kInvalidArgument, "'!!bad'")) << s.key;
    EXPECT_EQ(config, Config{}) << s.key;
  }
}

TEST(SettingsTableTest, EveryValueTypeSetsItsMember) {
  Config config;
  auto set = [&](std::string_view key, std::string_view text) {
    const Setting* s = FindSettingByKey(key);
    ASSERT_NE(s, nullptr) << key;
    ASSERT_THAT(s->parse(text, config), IsOk()) << key << "=" << text;
    EXPECT_FALSE(s->print(config).empty());
  };
  set("server.listen", "[::]:9000");
  set("server.grpc_listen", "OFF");
  set("server.max_payload_bytes", "4MiB");
  set("server.worker_threads", "8");
  set("batch.max_age", "500ms");
  set("storage.backend", "S3");
  set("storage.s3.endpoint", "http://127.0.0.1:9000");
  set("parquet.compression", "lz4");
  set("log.level", "warning");
  set("log.format", "JSON");
  set("wal.fsync", "never");
  set("iceberg.namespace", "prod.otel");
  EXPECT_EQ(config.server.listen, "[::]:9000");
  EXPECT_EQ(config.server.grpc_listen, "");
  EXPECT_EQ(FindSettingByKey("server.grpc_listen")->print(config), "off");
  EXPECT_EQ(config.server.max_payload_bytes, 4u << 20);
  EXPECT_EQ(config.server.worker_threads, 8);
  EXPECT_EQ(config.batch.max_age, std::chrono::milliseconds(500));
  EXPECT_EQ(config.storage.backend, StorageBackend::kS3);
  EXPECT_EQ(config.parquet.codec, parquet::Codec::kLz4Raw);
  EXPECT_EQ(FindSettingByKey("parquet.compression")->print(config), "lz4_raw");
  EXPECT_EQ(config.log.level, LogLevel::kWarn);
  EXPECT_EQ(config.log.format, LogFormat::kJson);
  EXPECT_EQ(config.wal.fsync, FsyncPolicy::kNever);
  EXPECT_EQ(config.iceberg.namespace_name, "prod.otel");
}

TEST(SettingsTableTest, MessagesListTheAcceptedValues) {
  Config config;
  auto parse = [&](std::string_view key, std::string_view text) {
    return FindSettingByKey(key)->parse(text, config);
  };
  EXPECT_THAT(parse("log.format", "xml"),
              IsErrorWith(StatusCode::kInvalidArgument, "'xml' is not one of text, json"));
  EXPECT_THAT(parse("log.level", "verbose"),
              IsErrorWith(StatusCode::kInvalidArgument,
                          "'verbose' is not one of trace, debug, info, warn, error"));
  EXPECT_THAT(parse("storage.backend", "r2"),
              IsErrorWith(StatusCode::kInvalidArgument, "'r2' is not one of local, s3"));
  EXPECT_THAT(parse("parquet.compression", "brotli"),
              IsErrorWith(StatusCode::kInvalidArgument,
                          "'brotli' is not one of zstd, snappy, gzip, lz4_raw, none"));
  EXPECT_THAT(parse("wal.fsync", "sometimes"),
              IsErrorWith(StatusCode::kInvalidArgument, "'sometimes' is not one of always, never"));
  EXPECT_THAT(parse("parquet.compression_level", "23"),
              IsErrorWith(StatusCode::kInvalidArgument, "'23' is not a whole number from 0 to 22"));
  EXPECT_THAT(parse("server.worker_threads", "-1"),
              IsErrorWith(StatusCode::kInvalidArgument, "from 0 to 1024"));
  EXPECT_THAT(parse("batch.max_rows", "0"),
              IsErrorWith(StatusCode::kInvalidArgument, "'0' is not a whole number of at least 1"));
  EXPECT_THAT(parse("batch.max_bytes", "8"),
              IsErrorWith(StatusCode::kInvalidArgument, "'8' is less than the minimum, 1KiB"));
  EXPECT_THAT(parse("batch.max_age", "0"),
              IsErrorWith(StatusCode::kInvalidArgument, "'0' is shorter than the minimum, 1ms"));
  EXPECT_THAT(parse("server.grpc_listen", "nope"),
              IsErrorWith(StatusCode::kInvalidArgument, "is not HOST:PORT"));
  EXPECT_THAT(parse("server.grpc_listen", "nope"),
              IsErrorWith(StatusCode::kInvalidArgument, "or off"));
  EXPECT_THAT(parse("iceberg.rest_uri", "glue.amazonaws.com"),
              IsErrorWith(StatusCode::kInvalidArgument, "is not an http:// or https:// URL"));
  EXPECT_THAT(parse("storage.path", ""),
              IsErrorWith(StatusCode::kInvalidArgument, "must not be empty"));
  EXPECT_THAT(parse("iceberg.rest_uri", ""), IsOk());
  EXPECT_EQ(config, Config{});
}

TEST(SettingsHelpTest, ListsEverySettingWithItsNamesAndDefault) {
  const std::string help = SettingsHelp();
  EXPECT_THAT(help, HasSubstr("--config FILE  OTLP2PARQUET_CONFIG"));
  EXPECT_THAT(help, HasSubstr("flags, OTLP2PARQUET_* environment variables"));
  for (const Setting& s : Settings()) {
    SCOPED_TRACE(s.key);
    EXPECT_THAT(help, HasSubstr(std::string(s.key) + "  "));
    EXPECT_THAT(help, HasSubstr(std::string(s.env)));
    if (!s.flag.empty()) {
      EXPECT_THAT(help, HasSubstr(std::string(s.flag) + " " + s.value_hint));
    }
  }
  EXPECT_THAT(help, HasSubstr("server.listen  --listen HOST:PORT  OTLP2PARQUET_LISTEN_ADDR\n"));
  EXPECT_THAT(help, HasSubstr("Default: 0.0.0.0:4318."));
  EXPECT_THAT(help, HasSubstr("--log-format text|json  OTLP2PARQUET_LOG_FORMAT"));
  EXPECT_THAT(help, HasSubstr("auth.token  OTLP2PARQUET_AUTH_TOKEN  (secret)"));
  EXPECT_THAT(help, HasSubstr("OTLP2PARQUET_S3_REGION (else AWS_REGION,AWS_DEFAULT_REGION)"));
  EXPECT_THAT(help, HasSubstr("Default: 64MiB."));
  EXPECT_THAT(help, HasSubstr("Default: 10s."));
  EXPECT_THAT(help, HasSubstr("\n[iceberg.tables]\n"));
  for (size_t start = 0, end = 0; start < help.size(); start = end + 1) {
    end = help.find('\n', start);
    if (end == std::string::npos) end = help.size();
    EXPECT_LE(end - start, 100u) << help.substr(start, end - start);
  }
}

// docs/configuration.md has a row per setting; this keeps it from drifting.
TEST(SettingsTableTest, DocumentationListsEverySetting) {
  std::ifstream in(std::string(O2P_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md";
  const std::string doc{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  for (const Setting& s : Settings()) {
    std::string row = fmt::format("| `{}` | `{}`", s.key, s.env);
    EXPECT_THAT(doc, HasSubstr(row)) << s.key;
    if (!s.flag.empty()) {
      EXPECT_THAT(doc, HasSubstr(fmt::format("`{} ", s.flag))) << s.key;
    }
  }
}

TEST(FormatConfigTest, DefaultsAsTomlSections) {
  const std::string text = FormatConfig(Config{});
  EXPECT_THAT(text, HasSubstr("\n[server]\nlisten = \"0.0.0.0:4318\"\n"));
  EXPECT_THAT(text, HasSubstr("\n[batch]\nmax_rows = 200000\nmax_bytes = \"64MiB\"\n"
                              "max_age = \"10s\"\n"));
  EXPECT_THAT(text, HasSubstr("\n[storage.s3]\nbucket = \"\"\n"));
  EXPECT_THAT(text, HasSubstr("compression = \"zstd\"\ncompression_level = 0\n"));
  EXPECT_THAT(text, HasSubstr("\n[iceberg.tables]\nlogs = \"logs\"\n"));
  EXPECT_THAT(text, HasSubstr("\n[auth]\ntoken = \"\"\n"));
  // Each section once, so the text is valid TOML (load_test reads it back).
  for (const char* section : {"[server]", "[batch]", "[storage]", "[storage.s3]", "[parquet]",
                              "[iceberg]", "[iceberg.tables]", "[log]", "[auth]", "[wal]"}) {
    const size_t first = text.find(std::string("\n") + section + "\n");
    ASSERT_NE(first, std::string::npos) << section;
    EXPECT_EQ(text.find(std::string("\n") + section + "\n", first + 1), std::string::npos);
  }
}

TEST(FormatConfigTest, MasksSecrets) {
  Config config;
  config.auth.token = "tok-SECRET-1";
  config.iceberg.credential = "client:SECRET-2";
  config.iceberg.token = "";
  const std::string text = FormatConfig(config);
  EXPECT_THAT(text, Not(HasSubstr("SECRET")));
  EXPECT_THAT(text, HasSubstr("\n[auth]\n# token = \"****\"\n"));
  EXPECT_THAT(text, HasSubstr("\n# credential = \"****\"\n"));
  EXPECT_THAT(text, HasSubstr("\ntoken = \"\"\n"));  // iceberg.token: unset, nothing to hide
}

// The first line of `text` that starts with `prefix`.
std::string LineStartingWith(const std::string& text, const std::string& prefix) {
  const size_t start = text.find("\n" + prefix);
  if (start == std::string::npos) return "";
  return text.substr(start + 1, text.find('\n', start + 1) - start - 1);
}

TEST(FormatConfigTest, QuotesTextAndNamesOrigins) {
  Config config;
  config.storage.path = "/data/\"quoted\"\\dir";
  config.auth.token = "x";
  const Origins origins = {{"storage.path", "env OTLP2PARQUET_STORAGE_PATH"},
                           {"server.listen", "default"},
                           {"auth.token", "file /etc/o2p.toml"}};
  const std::string text = FormatConfig(config, origins);
  EXPECT_THAT(
      LineStartingWith(text, "path = "),
      MatchesRegex(R"(path = "/data/\\"quoted\\"\\\\dir" +# env OTLP2PARQUET_STORAGE_PATH)"));
  EXPECT_THAT(LineStartingWith(text, "listen = "),
              MatchesRegex(R"(listen = "0\.0\.0\.0:4318" +# default)"));
  EXPECT_THAT(LineStartingWith(text, "# token = "),
              MatchesRegex(R"(# token = "\*\*\*\*" +# file /etc/o2p\.toml)"));
  EXPECT_EQ(LineStartingWith(text, "max_rows = "), "max_rows = 200000");  // no origin: no comment
}

}  // namespace
}  // namespace o2p::config
