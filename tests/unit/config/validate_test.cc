#include "o2p/config/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/matchers.h"

namespace o2p::config {
namespace {

using ::o2p::testing::IsErrorWith;
using ::o2p::testing::IsOk;
using ::testing::HasSubstr;

constexpr StatusCode kInvalid = StatusCode::kInvalidArgument;

TEST(ValidateConfigTest, DefaultsAreValid) { EXPECT_THAT(ValidateConfig(Config{}), IsOk()); }

TEST(ValidateConfigTest, ListenAddresses) {
  Config config;
  for (const char* good : {"127.0.0.1:1", "[::]:4318", "localhost:65535", "[::1]:8080", "127.0.0.1:0"}) {
    config.server.listen = good;
    EXPECT_THAT(ValidateConfig(config), IsOk()) << good;
  }
  config.server.listen = "0.0.0.0:65536";
  EXPECT_THAT(ValidateConfig(config),
              IsErrorWith(kInvalid,
                          "server.listen (OTLP2PARQUET_LISTEN_ADDR): '0.0.0.0:65536': "
                          "the port must be a number from 0 (any free port) to 65535"));
  config.server.listen = "::1:4318";
  EXPECT_THAT(ValidateConfig(config), IsErrorWith(kInvalid, "in brackets"));
  config = Config{};
  config.server.grpc_listen = "grpc";
  EXPECT_THAT(ValidateConfig(config),
              IsErrorWith(kInvalid,
                          "server.grpc_listen (OTLP2PARQUET_GRPC_LISTEN_ADDR): 'grpc' "
                          "is not HOST:PORT"));
  config.server.grpc_listen = "";  // off
  EXPECT_THAT(ValidateConfig(config), IsOk());
}

TEST(ValidateConfigTest, HttpAndGrpcNeedDifferentPorts) {
  Config config;
  config.server.grpc_listen = "127.0.0.1:4318";  // 0.0.0.0:4318 covers it
  EXPECT_THAT(ValidateConfig(config), IsErrorWith(kInvalid, "both listen on port 4318"));
  config.server.listen = "[::]:4317";
  config.server.grpc_listen = "0.0.0.0:4317";
  EXPECT_THAT(ValidateConfig(config), IsErrorWith(kInvalid, "both listen on port 4317"));
  config.server.listen = "127.0.0.1:4318";
  config.server.grpc_listen = "127.0.0.2:4318";  // different addresses, same port: fine
  EXPECT_THAT(ValidateConfig(config), IsOk());
}

TEST(ValidateConfigTest, SizesThatMustNest) {
  Config config;
  config.batch.max_bytes = 1024u << 20;
  EXPECT_THAT(ValidateConfig(config),
              IsErrorWith(kInvalid,
                          "batch.max_bytes (OTLP2PARQUET_BATCH_MAX_BYTES) (1GiB) is "
                          "larger than batch.max_buffered_bytes "
                          "(OTLP2PARQUET_MAX_BUFFERED_BYTES) (512MiB)"));
  config.batch.max_buffered_bytes = config.batch.max_bytes;
  EXPECT_THAT(ValidateConfig(config), IsOk());
  config.server.max_payload_bytes = 65u << 20;
  EXPECT_THAT(ValidateConfig(config),
              IsErrorWith(kInvalid,
                          "server.max_payload_bytes (OTLP2PARQUET_MAX_PAYLOAD_BYTES) "
                          "(65MiB) is larger than server.max_decompressed_bytes"));
}

TEST(ValidateConfigTest, StorageBackends) {
  Config config;
  config.storage.path = "";
  EXPECT_THAT(ValidateConfig(config), IsErrorWith(kInvalid, "is local, which needs storage.path"));
  config = Config{};
  config.storage.backend = StorageBackend::kS3;
  const Status status = ValidateConfig(config);
  EXPECT_THAT(status, IsErrorWith(kInvalid, "is s3, which needs storage.s3.bucket"));
  config.storage.s3.bucket = "b";
  config.storage.path = "";  // unused by s3
  EXPECT_THAT(ValidateConfig(config), IsOk());
}

TEST(ValidateConfigTest, CompressionLevelPerCodec) {
  Config config;
  config.parquet.compression_level = 22;
  EXPECT_THAT(ValidateConfig(config), IsOk());
  config.parquet.codec = parquet::Codec::kGzip;
  EXPECT_THAT(ValidateConfig(config),
              IsErrorWith(kInvalid,
                          "parquet.compression_level "
                          "(OTLP2PARQUET_PARQUET_COMPRESSION_LEVEL) is 22, but gzip "
                          "takes 1 to 9 (or 0 for its default)"));
  config.parquet.codec = parquet::Codec::kSnappy;  // ignored
  EXPECT_THAT(ValidateConfig(config), IsOk());
}

TEST(ValidateConfigTest, IcebergOnlyWhenEnabled) {
  Config config;
  config.iceberg.namespace_name = "";
  config.iceberg.token = "t";
  config.iceberg.credential = "c";
  EXPECT_THAT(ValidateConfig(config), IsOk());  // no rest_uri: Iceberg is off
  config.iceberg.rest_uri = "https://catalog";
  const Status status = ValidateConfig(config);
  EXPECT_THAT(status, IsErrorWith(kInvalid,
                                  "iceberg.namespace (OTLP2PARQUET_ICEBERG_NAMESPACE): "
                                  "'' is not a namespace"));
  EXPECT_THAT(status.message(), HasSubstr("set only one of iceberg.token"));
  for (const char* bad : {".a", "a.", "a..b"}) {
    config = Config{};
    config.iceberg.rest_uri = "https://catalog";
    config.iceberg.namespace_name = bad;
    EXPECT_THAT(ValidateConfig(config), IsErrorWith(kInvalid, "is not a namespace")) << bad;
  }
}

TEST(ValidateConfigTest, DirectoryCatalogTurnsIcebergOnAndExcludesARestUri) {
  Config config;
  config.iceberg.catalog = "dir:/var/lib/otel-tables";
  EXPECT_TRUE(config.iceberg.enabled());
  EXPECT_EQ(config.iceberg.directory(), "/var/lib/otel-tables");
  EXPECT_THAT(ValidateConfig(config), IsOk());
  config.iceberg.rest_uri = "https://catalog";
  EXPECT_THAT(ValidateConfig(config), IsErrorWith(kInvalid, "set only one of iceberg.rest_uri"));
  config.iceberg.rest_uri.clear();
  config.iceberg.catalog = "/var/lib/otel-tables";
  EXPECT_THAT(ValidateConfig(config), IsErrorWith(kInvalid, "is not dir:PATH"));
}

TEST(ValidateConfigTest, IcebergSigningNeedsARegion) {
  Config config;
  config.iceberg.rest_uri = "https://glue.us-west-2.amazonaws.com/iceberg";
  config.iceberg.signing_name = "glue";
  EXPECT_THAT(ValidateConfig(config),
              IsErrorWith(kInvalid,
                          "iceberg.signing_name (OTLP2PARQUET_ICEBERG_SIGNING_NAME) is "
                          "set, which needs iceberg.signing_region"));
  config.storage.s3.region = "us-west-2";
  EXPECT_THAT(ValidateConfig(config), IsOk());
}

TEST(ValidateConfigTest, IcebergTablesAreDistinct) {
  Config config;
  config.iceberg.rest_uri = "https://catalog";
  config.iceberg.tables.metrics_sum = "metrics_gauge";
  EXPECT_THAT(ValidateConfig(config),
              IsErrorWith(kInvalid,
                          "iceberg.tables.metrics_gauge "
                          "(OTLP2PARQUET_ICEBERG_TABLE_METRICS_GAUGE) and "
                          "iceberg.tables.metrics_sum "
                          "(OTLP2PARQUET_ICEBERG_TABLE_METRICS_SUM) are both "
                          "'metrics_gauge'"));
}

}  // namespace
}  // namespace o2p::config
