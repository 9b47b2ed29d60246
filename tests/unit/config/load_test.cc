#include "o2p/config/load.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "support/matchers.h"

namespace o2p::config {
namespace {

using ::o2p::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class LoadConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("o2p-config-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes `content` to a file in the test's directory and returns its path.
  std::string WriteFile(const std::string& content, const std::string& name = "config.toml") {
    const std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  // LoadConfig's error message, or "" when it succeeded.
  static std::string ErrorOf(const std::vector<std::string>& args, const Environment& env = {}) {
    Result<LoadedConfig> loaded = LoadConfig(args, env);
    return loaded.has_value() ? "" : loaded.error().message();
  }

  std::filesystem::path dir_;
};

TEST_F(LoadConfigTest, NothingGivenIsTheDefaults) {
  Result<LoadedConfig> loaded = LoadConfig({}, {});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config, Config{});
  EXPECT_THAT(loaded->warnings, IsEmpty());
  EXPECT_THAT(loaded->positional, IsEmpty());
  EXPECT_EQ(loaded->config_file, "");
  EXPECT_FALSE(loaded->help_requested);
  EXPECT_EQ(loaded->origins.size(), Settings().size());
  EXPECT_EQ(loaded->origins.at("server.listen"), "default");
}

// One setting from all four sources: the flag wins, then the environment, then the file.
TEST_F(LoadConfigTest, FlagsBeatEnvironmentBeatsFileBeatsDefaults) {
  const std::string file = WriteFile(
      "[server]\nlisten = \"10.0.0.1:1001\"\n"
      "[batch]\nmax_rows = 1001\nmax_age = \"1s\"\nmax_bytes = \"2MiB\"\n");
  const Environment env = {{"OTLP2PARQUET_CONFIG", file},
                           {"OTLP2PARQUET_LISTEN_ADDR", "10.0.0.2:1002"},
                           {"OTLP2PARQUET_BATCH_MAX_ROWS", "1002"}};
  Result<LoadedConfig> loaded = LoadConfig({"--listen", "10.0.0.3:1003"}, env);
  ASSERT_THAT(loaded, IsOk());
  const Config& c = loaded->config;
  EXPECT_EQ(c.server.listen, "10.0.0.3:1003");          // flag
  EXPECT_EQ(c.batch.max_rows, 1002u);                   // env over file
  EXPECT_EQ(c.batch.max_age, std::chrono::seconds(1));  // file
  EXPECT_EQ(c.batch.max_bytes, 2u << 20);               // file
  EXPECT_EQ(c.batch.max_buffered_bytes, 512u << 20);    // default
  EXPECT_EQ(loaded->config_file, file);
  EXPECT_EQ(loaded->origins.at("server.listen"), "flag --listen");
  EXPECT_EQ(loaded->origins.at("batch.max_rows"), "env OTLP2PARQUET_BATCH_MAX_ROWS");
  EXPECT_EQ(loaded->origins.at("batch.max_age"), "file " + file);
  EXPECT_EQ(loaded->origins.at("batch.max_buffered_bytes"), "default");

  // Take away the flag, then the variable, then the file.
  loaded = LoadConfig({}, env);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.server.listen, "10.0.0.2:1002");
  loaded = LoadConfig({}, {{"OTLP2PARQUET_CONFIG", file}});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.server.listen, "10.0.0.1:1001");
  EXPECT_EQ(loaded->config.batch.max_rows, 1001u);
  loaded = LoadConfig({}, {});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.server.listen, "0.0.0.0:4318");
}

TEST_F(LoadConfigTest, ConfigFlagBeatsConfigVariable) {
  const std::string a = WriteFile("[log]\nlevel = \"debug\"\n", "a.toml");
  const std::string b = WriteFile("[log]\nlevel = \"error\"\n", "b.toml");
  Result<LoadedConfig> loaded = LoadConfig({"--config=" + b}, {{"OTLP2PARQUET_CONFIG", a}});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.log.level, LogLevel::kError);
  EXPECT_EQ(loaded->config_file, b);
  // An empty OTLP2PARQUET_CONFIG means no file.
  EXPECT_THAT(LoadConfig({}, {{"OTLP2PARQUET_CONFIG", ""}}), IsOk());
}

TEST_F(LoadConfigTest, FlagsTakeSpaceOrEqualsAndTheLastOneWins) {
  Result<LoadedConfig> loaded =
      LoadConfig({"--output", "/srv/a", "--grpc-listen=off", "--output=/srv/b", "--batch-max-age",
                  "2m", "--log-format=json", "--compression", "gzip", "--compression-level=9"},
                 {});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.storage.path, "/srv/b");
  EXPECT_EQ(loaded->config.server.grpc_listen, "");
  EXPECT_EQ(loaded->config.batch.max_age, std::chrono::minutes(2));
  EXPECT_EQ(loaded->config.log.format, LogFormat::kJson);
  EXPECT_EQ(loaded->config.parquet.codec, parquet::Codec::kGzip);
  EXPECT_EQ(loaded->config.parquet.compression_level, 9);
  // A value may itself contain '=' or start with '-'.
  loaded = LoadConfig({"--s3-prefix=a=b", "--output", "-dir"}, {});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.storage.s3.prefix, "a=b");
  EXPECT_EQ(loaded->config.storage.path, "-dir");
}

TEST_F(LoadConfigTest, PositionalArgumentsAndDoubleDash) {
  Result<LoadedConfig> loaded = LoadConfig({"a", "--listen", "127.0.0.1:9", "-", "--", "--b"}, {});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_THAT(loaded->positional, ElementsAre("a", "-", "--b"));
}

TEST_F(LoadConfigTest, HelpStopsBeforeAnythingIsRead) {
  for (const char* help : {"--help", "-h"}) {
    Result<LoadedConfig> loaded = LoadConfig({"--bogus", help, "--config", "/does/not/exist"},
                                             {{"OTLP2PARQUET_LOG_LEVEL", "x"}});
    ASSERT_THAT(loaded, IsOk());
    EXPECT_TRUE(loaded->help_requested);
  }
}

TEST_F(LoadConfigTest, EnvironmentVariablesOfEveryType) {
  const Environment env = {
      {"OTLP2PARQUET_STORAGE_BACKEND", "s3"},
      {"OTLP2PARQUET_S3_BUCKET", "otel-data"},
      {"OTLP2PARQUET_S3_REGION", "us-west-2"},
      {"OTLP2PARQUET_S3_ENDPOINT", "http://127.0.0.1:9000"},
      {"OTLP2PARQUET_BATCH_MAX_AGE_SECS", "30"},
      {"OTLP2PARQUET_BATCH_MAX_BYTES", "32MiB"},
      {"OTLP2PARQUET_MAX_PAYLOAD_BYTES", "6291456"},
      {"OTLP2PARQUET_GRPC_LISTEN_ADDR", ""},
      {"OTLP2PARQUET_WORKER_THREADS", "4"},
      {"OTLP2PARQUET_ICEBERG_REST_URI", "https://glue.us-west-2.amazonaws.com/iceberg"},
      {"OTLP2PARQUET_ICEBERG_TABLE_LOGS", "otel_logs"},
      {"OTLP2PARQUET_AUTH_TOKEN", "t0ken"},
  };
  Result<LoadedConfig> loaded = LoadConfig({}, env);
  ASSERT_THAT(loaded, IsOk());
  const Config& c = loaded->config;
  EXPECT_EQ(c.storage.backend, StorageBackend::kS3);
  EXPECT_EQ(c.storage.s3.bucket, "otel-data");
  EXPECT_EQ(c.storage.s3.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(c.batch.max_age, std::chrono::seconds(30));
  EXPECT_EQ(c.batch.max_bytes, 32u << 20);
  EXPECT_EQ(c.server.max_payload_bytes, 6u << 20);
  EXPECT_EQ(c.server.grpc_listen, "");  // empty turns gRPC off
  EXPECT_EQ(c.server.worker_threads, 4);
  EXPECT_TRUE(c.iceberg.enabled());
  EXPECT_EQ(c.iceberg.tables.logs, "otel_logs");
  EXPECT_EQ(c.auth.token, "t0ken");
  EXPECT_THAT(loaded->warnings, IsEmpty());
}

TEST_F(LoadConfigTest, AwsRegionIsTheFallbackForTheS3Region) {
  const Environment env = {{"OTLP2PARQUET_STORAGE_BACKEND", "s3"},
                           {"OTLP2PARQUET_S3_BUCKET", "b"},
                           {"AWS_REGION", "eu-west-1"}};
  Result<LoadedConfig> loaded = LoadConfig({}, env);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.storage.s3.region, "eu-west-1");
  EXPECT_EQ(loaded->origins.at("storage.s3.region"), "env AWS_REGION");
  Environment both = env;
  both["OTLP2PARQUET_S3_REGION"] = "us-east-2";
  loaded = LoadConfig({}, both);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.storage.s3.region, "us-east-2");
  // AWS_DEFAULT_REGION comes after AWS_REGION, as in the AWS CLI.
  Environment default_only = {{"OTLP2PARQUET_STORAGE_BACKEND", "s3"},
                              {"OTLP2PARQUET_S3_BUCKET", "b"},
                              {"AWS_DEFAULT_REGION", "ap-south-1"}};
  loaded = LoadConfig({}, default_only);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.storage.s3.region, "ap-south-1");
  EXPECT_EQ(loaded->origins.at("storage.s3.region"), "env AWS_DEFAULT_REGION");
  default_only["AWS_REGION"] = "eu-west-1";
  loaded = LoadConfig({}, default_only);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.storage.s3.region, "eu-west-1");
}

TEST_F(LoadConfigTest, BadValuesNameTheirSourceAndTheAcceptedValues) {
  EXPECT_EQ(ErrorOf({}, {{"OTLP2PARQUET_LOG_FORMAT", "xml"}}),
            "OTLP2PARQUET_LOG_FORMAT: 'xml' is not one of text, json");
  EXPECT_EQ(ErrorOf({"--log-format", "xml"}), "--log-format: 'xml' is not one of text, json");
  EXPECT_EQ(ErrorOf({"--listen=4318"}),
            "--listen: '4318' is not HOST:PORT, e.g. 0.0.0.0:4318, localhost:4318 or [::]:4318");
  EXPECT_EQ(ErrorOf({}, {{"OTLP2PARQUET_BATCH_MAX_AGE_SECS", "ten"}}),
            "OTLP2PARQUET_BATCH_MAX_AGE_SECS: 'ten' is not a duration: give seconds, or whole "
            "numbers with ms, s, m, h, e.g. 500ms, 10s, 2m, 1m30s");
  const std::string file = WriteFile("[log]\nformat = \"xml\"\n");
  EXPECT_EQ(ErrorOf({"--config", file}),
            file + ":2:10: log.format: 'xml' is not one of text, json");
}

TEST_F(LoadConfigTest, EveryProblemIsReportedAtOnce) {
  const std::string file = WriteFile("[batch]\nmax_rows = 0\n");
  const std::string error = ErrorOf({"--config", file, "--log-level", "loud", "--nope"},
                                    {{"OTLP2PARQUET_STORAGE_BACKEND", "r2"}});
  EXPECT_THAT(error, HasSubstr("unknown flag --nope\n"));
  EXPECT_THAT(error, HasSubstr(file + ":2:12: batch.max_rows: '0' is not a whole number of at "
                                      "least 1\n"));
  EXPECT_THAT(error, HasSubstr("OTLP2PARQUET_STORAGE_BACKEND: 'r2' is not one of local, s3\n"));
  EXPECT_THAT(error,
              HasSubstr("--log-level: 'loud' is not one of trace, debug, info, warn, error"));
  EXPECT_EQ(std::count(error.begin(), error.end(), '\n'), 3);
}

TEST_F(LoadConfigTest, UnknownFlagsAreErrorsWithSuggestions) {
  EXPECT_EQ(ErrorOf({"--lisen", "0.0.0.0:1"}), "unknown flag --lisen (did you mean --listen?)");
  EXPECT_EQ(ErrorOf({"--grpc=off"}), "unknown flag --grpc (did you mean --grpc-listen?)");
  EXPECT_EQ(ErrorOf({"-x"}), "unknown flag -x");
  EXPECT_EQ(ErrorOf({"--confg", "f"}), "unknown flag --confg (did you mean --config?)");
  EXPECT_EQ(ErrorOf({"--listen"}), "--listen needs a value (HOST:PORT)");
  EXPECT_EQ(ErrorOf({"--config"}), "--config needs a value (FILE)");
  // Secrets have no flag.
  EXPECT_THAT(ErrorOf({"--auth-token", "x"}), HasSubstr("unknown flag --auth-token"));
}

TEST_F(LoadConfigTest, TomlSyntaxErrorsHaveLineAndColumn) {
  const std::string file = WriteFile("[server]\nlisten = \"0.0.0.0:4318\"\nmax_payload_bytes = \n");
  const std::string error = ErrorOf({"--config", file});
  EXPECT_THAT(error, HasSubstr(file + ":3:"));
  const std::string twice = WriteFile("[log]\nlevel = \"info\"\nlevel = \"debug\"\n", "twice.toml");
  EXPECT_THAT(ErrorOf({"--config", twice}), HasSubstr(twice + ":3:"));
  const std::string unterminated = WriteFile("[wal\n", "bad.toml");
  EXPECT_THAT(ErrorOf({"--config", unterminated}), HasSubstr(unterminated + ":1:"));
}

TEST_F(LoadConfigTest, UnknownTomlKeysAreErrorsWithSuggestions) {
  const std::string file = WriteFile(
      "[server]\nlissten = \"0.0.0.0:1\"\n\n[batch]\nmax_age_secs = 10\n[nope]\nx = 1\n"
      "[storage.s3]\n");
  const std::string error = ErrorOf({"--config", file});
  EXPECT_THAT(error, HasSubstr(file + ":2:11: unknown key server.lissten (did you mean "
                                      "server.listen?)"));
  EXPECT_THAT(error, HasSubstr(file + ":5:16: unknown key batch.max_age_secs (did you mean "
                                      "batch.max_age?)"));
  EXPECT_THAT(error, HasSubstr(file + ":7:5: unknown key nope.x\n"));
  EXPECT_THAT(error, Not(HasSubstr("storage.s3")));  // a known, empty section is fine
}

TEST_F(LoadConfigTest, TomlValueTypesAreChecked) {
  const std::string file = WriteFile(
      "server.listen = 4318\nbatch.max_rows = 1.5\nlog.level = true\nwal.dir = [\"a\"]\n"
      "storage.s3 = 1\nbatch.max_age = 1979-05-27\n");
  const std::string error = ErrorOf({"--config", file});
  EXPECT_THAT(error, HasSubstr(":1:17: server.listen: expected a string, not an integer"));
  EXPECT_THAT(error, HasSubstr(":2:18: batch.max_rows: expected a number or a string, not a "
                               "floating-point number"));
  EXPECT_THAT(error, HasSubstr(":3:13: log.level: expected a string, not a boolean"));
  EXPECT_THAT(error, HasSubstr(":4:11: wal.dir: expected a string, not an array"));
  EXPECT_THAT(error, HasSubstr(":5:14: unknown key storage.s3"));
  EXPECT_THAT(error, HasSubstr(":6:17: batch.max_age: expected a number or a string, not a date"));
}

TEST_F(LoadConfigTest, TomlNumbersAndStringsForNumericSettings) {
  const std::string file = WriteFile(
      "[batch]\nmax_rows = \"5000\"\nmax_bytes = 1048576\nmax_age = 30\n"
      "max_buffered_bytes = \"1 GiB\"\n[parquet]\ncompression_level = 5\n");
  Result<LoadedConfig> loaded = LoadConfig({"--config", file}, {});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.batch.max_rows, 5000u);
  EXPECT_EQ(loaded->config.batch.max_bytes, 1u << 20);
  EXPECT_EQ(loaded->config.batch.max_age, std::chrono::seconds(30));
  EXPECT_EQ(loaded->config.batch.max_buffered_bytes, 1u << 30);
  EXPECT_EQ(loaded->config.parquet.compression_level, 5);
  const std::string negative = WriteFile("[batch]\nmax_rows = -5\n", "negative.toml");
  EXPECT_THAT(ErrorOf({"--config", negative}),
              HasSubstr("batch.max_rows: '-5' is not a whole number of at least 1"));
}

TEST_F(LoadConfigTest, UnreadableFilesAreErrors) {
  EXPECT_EQ(ErrorOf({"--config", (dir_ / "missing.toml").string()}),
            "cannot read config file " + (dir_ / "missing.toml").string() +
                " (from --config): No such file or directory");
  EXPECT_THAT(ErrorOf({}, {{"OTLP2PARQUET_CONFIG", (dir_ / "missing.toml").string()}}),
              HasSubstr("(from OTLP2PARQUET_CONFIG)"));
  EXPECT_THAT(ErrorOf({"--config", dir_.string()}), HasSubstr("is not a regular file"));
}

TEST_F(LoadConfigTest, UnknownVariablesAreWarnings) {
  const Environment env = {{"OTLP2PARQUET_LISTEN", "x"},
                           {"OTLP2PARQUET_BATCH_MAX_ROW", "5"},
                           {"OTLP2PARQUET_ICEBERG_ENABLED", "true"},
                           {"OTLP2PARQUET_SOMETHING_ELSE", "1"},
                           {"HOME", "/root"},
                           {"OTLP2PARQUET_CONFIG", ""}};
  Result<LoadedConfig> loaded = LoadConfig({}, env);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_THAT(loaded->warnings,
              ElementsAre("unknown environment variable OTLP2PARQUET_BATCH_MAX_ROW (did you mean "
                          "OTLP2PARQUET_BATCH_MAX_ROWS?); ignored",
                          "OTLP2PARQUET_ICEBERG_ENABLED is not used (Iceberg is on exactly when "
                          "OTLP2PARQUET_ICEBERG_REST_URI (or "
                          "OTLP2PARQUET_ICEBERG_CATALOG=dir:PATH) is set); ignored",
                          "unknown environment variable OTLP2PARQUET_LISTEN (did you mean "
                          "OTLP2PARQUET_LISTEN_ADDR?); ignored",
                          "unknown environment variable OTLP2PARQUET_SOMETHING_ELSE; ignored"));
}

TEST_F(LoadConfigTest, ValidationRunsOnTheResult) {
  EXPECT_EQ(ErrorOf({"--storage", "s3", "--s3-region", "us-west-2"}),
            "storage.backend (OTLP2PARQUET_STORAGE_BACKEND) is s3, which needs storage.s3.bucket "
            "(OTLP2PARQUET_S3_BUCKET)");
  EXPECT_THAT(ErrorOf({"--grpc-listen", "0.0.0.0:4318"}), HasSubstr("both listen on port 4318"));
}

// `otlp2parquet config` output is a valid config file that gives back the same configuration.
TEST_F(LoadConfigTest, FormatConfigReadsBack) {
  Config config;
  config.server.listen = "[::1]:14318";
  config.server.grpc_listen = "";
  config.batch.max_age = std::chrono::milliseconds(1500);
  config.batch.max_bytes = 3'000'000;
  config.storage.path = "/var/lib/o2p \"data\"";
  config.parquet.codec = parquet::Codec::kSnappy;
  config.iceberg.rest_uri = "http://127.0.0.1:8181";
  config.iceberg.namespace_name = "a.b";
  config.log.level = LogLevel::kDebug;
  config.wal.dir = "/var/lib/o2p/wal";
  const std::string file = WriteFile(FormatConfig(config));
  Result<LoadedConfig> loaded = LoadConfig({"--config", file}, {});
  ASSERT_THAT(loaded, IsOk()) << FormatConfig(config);
  EXPECT_EQ(loaded->config, config);
  // With origins in the comments, too.
  const std::string annotated = WriteFile(FormatConfig(loaded->config, loaded->origins), "b.toml");
  loaded = LoadConfig({"--config", annotated}, {});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config, config);
}

// A secret in the output is a comment: fed back, the secret comes from the environment.
TEST_F(LoadConfigTest, FormatConfigLeavesSecretsOut) {
  Config config;
  config.auth.token = "secret-token";
  const std::string file = WriteFile(FormatConfig(config));
  Result<LoadedConfig> loaded = LoadConfig({"--config", file}, {});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config.auth.token, "");
  loaded = LoadConfig({"--config", file}, {{"OTLP2PARQUET_AUTH_TOKEN", "secret-token"}});
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->config, config);
}

// Found by fuzz/config_toml: toml++ 3.3.0 reaches __builtin_unreachable when it classifies a
// non-ASCII character (here U+00E9, U+FED7, U+FEBF), even while scanning past a syntax error.
// So it never sees one (toml_ascii.h): outside strings and comments it is an error with its
// position; inside strings the value is kept, whatever quotes surround it.
TEST_F(LoadConfigTest, NonAsciiOutsideStringsIsRefusedWithItsPosition) {
  const std::string bare = WriteFile("[log]\nlevel = 1\xC3\xA9\n", "bare.toml");
  EXPECT_THAT(ErrorOf({"--config", bare}),
              HasSubstr(bare + ":2:10: a non-ASCII character outside a string or comment"));
  const std::string key = WriteFile("\xEF\xBB\x97 = 1\n", "key.toml");
  EXPECT_THAT(ErrorOf({"--config", key}), HasSubstr(key + ":1:1: a non-ASCII"));
  const std::string after_run = WriteFile("a = \"\"\"x\"\"\"\"\xC3\xA9\n", "run.toml");
  EXPECT_THAT(ErrorOf({"--config", after_run}), HasSubstr(after_run + ":1:13: a non-ASCII"));
  const std::string broken = WriteFile("a = 2hh \"\"\"\xEF\xBA\xBF\"\"\"\n", "broken.toml");
  EXPECT_THAT(ErrorOf({"--config", broken}), HasSubstr(broken + ":1:"));
  const std::string bad_utf8 = WriteFile("a = \"\xC3\x28\"\n", "utf8.toml");
  EXPECT_THAT(ErrorOf({"--config", bad_utf8}), HasSubstr(bad_utf8 + ":1:6: invalid UTF-8"));
}

TEST_F(LoadConfigTest, NonAsciiInStringsAndCommentsKeepsItsValue) {
  const std::string basic = WriteFile(
      "\xEF\xBB\xBF# caf\xC3\xA9\n[storage]\npath = \"/data/caf\xC3\xA9 \xF0\x9F\x98\x80\" # "
      "\xC3\xA9\n",
      "basic.toml");
  Result<LoadedConfig> loaded = LoadConfig({"--config", basic}, {});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  EXPECT_EQ(loaded->config.storage.path, "/data/caf\xC3\xA9 \xF0\x9F\x98\x80");

  const std::string literal =
      WriteFile("[storage]\npath = '/caf\xC3\xA9\\x \"q\"'\n", "literal.toml");
  loaded = LoadConfig({"--config", literal}, {});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  EXPECT_EQ(loaded->config.storage.path, "/caf\xC3\xA9\\x \"q\"");

  const std::string multi = WriteFile(
      "[storage]\npath = '''\n\xC3\xA9\\\n\"x\"'''\n[log]\nlevel = \"debug\"\n", "multi.toml");
  loaded = LoadConfig({"--config", multi}, {});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  EXPECT_EQ(loaded->config.storage.path, "\xC3\xA9\\\n\"x\"");
}

TEST(ProcessEnvironmentTest, ReadsTheRealEnvironment) {
  ASSERT_EQ(::setenv("O2P_CONFIG_TEST_VARIABLE", "a=b", 1), 0);
  const Environment env = ProcessEnvironment();
  ASSERT_TRUE(env.count("O2P_CONFIG_TEST_VARIABLE"));
  EXPECT_EQ(env.at("O2P_CONFIG_TEST_VARIABLE"), "a=b");
  ::unsetenv("O2P_CONFIG_TEST_VARIABLE");
}

}  // namespace
}  // namespace o2p::config
