#include "o2p/config/settings.h"

#include "o2p/config/internal/setting_types.h"

namespace o2p::config {
namespace {

using internal::Address;
using internal::Count;
using internal::Duration;
using internal::Enum;
using internal::Field;
using internal::MakeSetting;
using internal::Size;
using internal::Text;
using internal::Url;
using std::chrono::milliseconds;

// A few bytes is never what someone means by a body or batch limit ("8" for 8 MiB); refusing
// sizes under 1 KiB turns that slip into a start-up error.
constexpr uint64_t kMinLimit = kKiB;

std::vector<Setting> ServerSettings() {
  return {
      MakeSetting({.key = "server.listen",
                   .env = "OTLP2PARQUET_LISTEN_ADDR",
                   .flag = "--listen",
                   .help = "OTLP/HTTP listen address; IPv6 as [::]:4318."},
                  Field(&Config::server, &ServerOptions::listen), Address()),
      MakeSetting({.key = "server.grpc_listen",
                   .env = "OTLP2PARQUET_GRPC_LISTEN_ADDR",
                   .flag = "--grpc-listen",
                   .help = "OTLP/gRPC listen address; off (or empty) turns gRPC off."},
                  Field(&Config::server, &ServerOptions::grpc_listen), Address(true)),
      MakeSetting({.key = "server.max_payload_bytes",
                   .env = "OTLP2PARQUET_MAX_PAYLOAD_BYTES",
                   .flag = "--max-payload-bytes",
                   .help = "Largest request body as received, before decompression; larger "
                           "requests are answered 413."},
                  Field(&Config::server, &ServerOptions::max_payload_bytes), Size(kMinLimit)),
      MakeSetting({.key = "server.max_decompressed_bytes",
                   .env = "OTLP2PARQUET_MAX_DECOMPRESSED_BYTES",
                   .flag = "--max-decompressed-bytes",
                   .help = "Largest request body after decompression; decompression stops "
                           "there and the request is answered 413."},
                  Field(&Config::server, &ServerOptions::max_decompressed_bytes), Size(kMinLimit)),
      MakeSetting({.key = "server.worker_threads",
                   .env = "OTLP2PARQUET_WORKER_THREADS",
                   .flag = "--worker-threads",
                   .help = "Threads serving requests and writing files; 0 means one per CPU."},
                  Field(&Config::server, &ServerOptions::worker_threads), Count<int>(0, 1024)),
  };
}

std::vector<Setting> BatchSettings() {
  return {
      MakeSetting({.key = "batch.max_rows",
                   .env = "OTLP2PARQUET_BATCH_MAX_ROWS",
                   .flag = "--batch-max-rows",
                   .help = "A batch (one per table and service) is written once it has this "
                           "many rows."},
                  Field(&Config::batch, &BatchOptions::max_rows), Count<size_t>(1)),
      MakeSetting({.key = "batch.max_bytes",
                   .env = "OTLP2PARQUET_BATCH_MAX_BYTES",
                   .flag = "--batch-max-bytes",
                   .help = "A batch is also written once its in-memory size reaches this."},
                  Field(&Config::batch, &BatchOptions::max_bytes), Size(kMinLimit)),
      MakeSetting({.key = "batch.max_age",
                   .env = "OTLP2PARQUET_BATCH_MAX_AGE_SECS",
                   .flag = "--batch-max-age",
                   .help = "A batch is also written once its oldest row has waited this long "
                           "(a bare number is seconds)."},
                  Field(&Config::batch, &BatchOptions::max_age), Duration(milliseconds(1))),
      MakeSetting({.key = "batch.max_buffered_bytes",
                   .env = "OTLP2PARQUET_MAX_BUFFERED_BYTES",
                   .flag = "--max-buffered-bytes",
                   .help = "Memory all waiting batches may use together; past it, requests are "
                           "answered \"retry later\" (HTTP 503, gRPC UNAVAILABLE)."},
                  Field(&Config::batch, &BatchOptions::max_buffered_bytes), Size(kMinLimit)),
  };
}

std::vector<Setting> StorageSettings() {
  return {
      MakeSetting({.key = "storage.backend",
                   .env = "OTLP2PARQUET_STORAGE_BACKEND",
                   .flag = "--storage",
                   .help = "Where files go: a local directory or an S3 bucket."},
                  Field(&Config::storage, &StorageOptions::backend),
                  Enum<StorageBackend>({StorageBackend::kLocal, StorageBackend::kS3},
                                       StorageBackendName, ParseStorageBackend)),
      MakeSetting({.key = "storage.path",
                   .env = "OTLP2PARQUET_STORAGE_PATH",
                   .flag = "--output",
                   .hint = "DIR",
                   .help = "Root directory of the local backend."},
                  Field(&Config::storage, &StorageOptions::path), Text(false)),
      MakeSetting({.key = "storage.s3.bucket",
                   .env = "OTLP2PARQUET_S3_BUCKET",
                   .flag = "--s3-bucket",
                   .hint = "BUCKET",
                   .help = "S3 bucket; required by the s3 backend."},
                  Field(&Config::storage, &StorageOptions::s3, &S3Options::bucket), Text()),
      MakeSetting({.key = "storage.s3.region",
                   .env = "OTLP2PARQUET_S3_REGION",
                   .flag = "--s3-region",
                   .hint = "REGION",
                   .help = "S3 region, e.g. us-west-2. When unset: AWS_REGION, "
                           "AWS_DEFAULT_REGION, then the AWS profile's region; us-east-1 for "
                           "a custom endpoint.",
                   .fallback_env = "AWS_REGION AWS_DEFAULT_REGION"},
                  Field(&Config::storage, &StorageOptions::s3, &S3Options::region), Text()),
      MakeSetting({.key = "storage.s3.endpoint",
                   .env = "OTLP2PARQUET_S3_ENDPOINT",
                   .flag = "--s3-endpoint",
                   .help = "S3-compatible endpoint URL (e.g. MinIO); empty means AWS."},
                  Field(&Config::storage, &StorageOptions::s3, &S3Options::endpoint), Url()),
      MakeSetting({.key = "storage.s3.prefix",
                   .env = "OTLP2PARQUET_S3_PREFIX",
                   .flag = "--s3-prefix",
                   .hint = "PREFIX",
                   .help = "Key prefix for every file written, e.g. otel/."},
                  Field(&Config::storage, &StorageOptions::s3, &S3Options::prefix), Text()),
      MakeSetting({.key = "storage.s3.addressing",
                   .env = "OTLP2PARQUET_S3_ADDRESSING",
                   .flag = "--s3-addressing",
                   .help = "Bucket in the host name (virtual) or in the path (path); auto is "
                           "virtual on AWS and path for a custom endpoint."},
                  Field(&Config::storage, &StorageOptions::s3, &S3Options::addressing),
                  Enum<S3Addressing>({S3Addressing::kAuto, S3Addressing::kPath,
                                      S3Addressing::kVirtual},
                                     S3AddressingName, ParseS3Addressing)),
      MakeSetting({.key = "storage.s3.request_timeout",
                   .env = "OTLP2PARQUET_S3_REQUEST_TIMEOUT",
                   .flag = "--s3-request-timeout",
                   .help = "Time limit of one S3 request (plus 1s per MiB of body); failed "
                           "requests are retried with backoff."},
                  Field(&Config::storage, &StorageOptions::s3, &S3Options::request_timeout),
                  Duration(milliseconds(100))),
      MakeSetting({.key = "storage.s3.multipart_threshold",
                   .env = "OTLP2PARQUET_S3_MULTIPART_THRESHOLD",
                   .flag = "--s3-multipart-threshold",
                   .help = "Files of this size or more are sent as multipart uploads."},
                  Field(&Config::storage, &StorageOptions::s3, &S3Options::multipart_threshold),
                  Size(5 * kMiB)),
      MakeSetting({.key = "storage.s3.part_size",
                   .env = "OTLP2PARQUET_S3_PART_SIZE",
                   .flag = "--s3-part-size",
                   .help = "Size of each multipart part (S3's minimum is 5MiB)."},
                  Field(&Config::storage, &StorageOptions::s3, &S3Options::part_size),
                  Size(5 * kMiB)),
      MakeSetting({.key = "storage.s3.upload_concurrency",
                   .env = "OTLP2PARQUET_S3_UPLOAD_CONCURRENCY",
                   .flag = "--s3-upload-concurrency",
                   .help = "Parts of one file uploaded in parallel."},
                  Field(&Config::storage, &StorageOptions::s3, &S3Options::upload_concurrency),
                  Count<int>(1, 64)),
  };
}

std::vector<Setting> ParquetSettings() {
  using parquet::Codec;
  return {
      MakeSetting(
          {.key = "parquet.compression",
           .env = "OTLP2PARQUET_PARQUET_COMPRESSION",
           .flag = "--compression",
           .help = "Page compression codec."},
          Field(&Config::parquet, &ParquetOptions::codec),
          Enum<Codec>({Codec::kZstd, Codec::kSnappy, Codec::kGzip, Codec::kLz4Raw, Codec::kNone},
                      parquet::CodecName, parquet::ParseCodec)),
      MakeSetting({.key = "parquet.compression_level",
                   .env = "OTLP2PARQUET_PARQUET_COMPRESSION_LEVEL",
                   .flag = "--compression-level",
                   .help = "zstd 1-22, gzip 1-9; 0 means the codec's default (zstd 3, gzip 6). "
                           "Other codecs ignore it."},
                  Field(&Config::parquet, &ParquetOptions::compression_level), Count<int>(0, 22)),
      MakeSetting({.key = "parquet.row_group_rows",
                   .env = "OTLP2PARQUET_PARQUET_ROW_GROUP_SIZE",
                   .flag = "--row-group-rows",
                   .help = "A row group is cut past this many rows."},
                  Field(&Config::parquet, &ParquetOptions::row_group_rows), Count<size_t>(1)),
  };
}

std::vector<Setting> IcebergSettings() {
  auto iceberg = [](auto member) { return Field(&Config::iceberg, member); };
  return {
      MakeSetting({.key = "iceberg.rest_uri",
                   .env = "OTLP2PARQUET_ICEBERG_REST_URI",
                   .flag = "--iceberg-rest-uri",
                   .help = "Iceberg REST catalog URL, e.g. "
                           "https://glue.us-west-2.amazonaws.com/iceberg. Iceberg is on exactly "
                           "when this is set."},
                  iceberg(&IcebergOptions::rest_uri), Url()),
      MakeSetting({.key = "iceberg.catalog",
                   .env = "OTLP2PARQUET_ICEBERG_CATALOG",
                   .flag = "--iceberg-catalog",
                   .hint = "dir:PATH",
                   .help = "Iceberg tables without a catalog service: metadata files in PATH "
                           "(one writer; docs/iceberg.md). Iceberg is also on when this is set."},
                  iceberg(&IcebergOptions::catalog), Text()),
      MakeSetting({.key = "iceberg.warehouse",
                   .env = "OTLP2PARQUET_ICEBERG_WAREHOUSE",
                   .flag = "--iceberg-warehouse",
                   .hint = "WAREHOUSE",
                   .help = "Warehouse passed to the catalog (for Glue: the AWS account id)."},
                  iceberg(&IcebergOptions::warehouse), Text()),
      MakeSetting({.key = "iceberg.namespace",
                   .env = "OTLP2PARQUET_ICEBERG_NAMESPACE",
                   .flag = "--iceberg-namespace",
                   .hint = "NAMESPACE",
                   .help = "Namespace of the tables; dots separate levels (prod.otel)."},
                  iceberg(&IcebergOptions::namespace_name), Text(false)),
      MakeSetting({.key = "iceberg.data_location",
                   .env = "OTLP2PARQUET_ICEBERG_DATA_LOCATION",
                   .flag = "--iceberg-data-location",
                   .hint = "LOCATION",
                   .help = "Base location of created tables, e.g. s3://bucket/warehouse; empty "
                           "lets the catalog choose."},
                  iceberg(&IcebergOptions::data_location), Text()),
      MakeSetting({.key = "iceberg.signing_name",
                   .env = "OTLP2PARQUET_ICEBERG_SIGNING_NAME",
                   .flag = "--iceberg-signing-name",
                   .hint = "SERVICE",
                   .help = "Sign catalog requests with AWS SigV4 for this service (glue, "
                           "s3tables); empty sends them unsigned."},
                  iceberg(&IcebergOptions::signing_name), Text()),
      MakeSetting({.key = "iceberg.signing_region",
                   .env = "OTLP2PARQUET_ICEBERG_SIGNING_REGION",
                   .flag = "--iceberg-signing-region",
                   .hint = "REGION",
                   .help = "SigV4 region for catalog requests; empty means storage.s3.region."},
                  iceberg(&IcebergOptions::signing_region), Text()),
      MakeSetting({.key = "iceberg.token",
                   .env = "OTLP2PARQUET_ICEBERG_TOKEN",
                   .help = "Bearer token sent to the catalog.",
                   .secret = true},
                  iceberg(&IcebergOptions::token), Text()),
      MakeSetting({.key = "iceberg.credential",
                   .env = "OTLP2PARQUET_ICEBERG_CREDENTIAL",
                   .help = "OAuth2 client credentials for the catalog, client_id:client_secret.",
                   .secret = true},
                  iceberg(&IcebergOptions::credential), Text()),
      MakeSetting({.key = "iceberg.oauth2_uri",
                   .env = "OTLP2PARQUET_ICEBERG_OAUTH2_URI",
                   .flag = "--iceberg-oauth2-uri",
                   .hint = "URL",
                   .help = "OAuth2 token endpoint for iceberg.credential; empty means the "
                           "catalog's {rest_uri}/v1/oauth/tokens."},
                  iceberg(&IcebergOptions::oauth2_uri), Url()),
      MakeSetting({.key = "iceberg.access_delegation",
                   .env = "OTLP2PARQUET_ICEBERG_ACCESS_DELEGATION",
                   .flag = "--iceberg-access-delegation",
                   .hint = "vended-credentials",
                   .help = "Ask the catalog for storage credentials with each table "
                           "(X-Iceberg-Access-Delegation); empty asks for none."},
                  iceberg(&IcebergOptions::access_delegation), Text()),
  };
}

std::vector<Setting> IcebergTableSettings() {
  auto table = [](auto member) { return Field(&Config::iceberg, &IcebergOptions::tables, member); };
  const char* const help = "Iceberg table name for this table of schema.md.";
  return {
      MakeSetting({.key = "iceberg.tables.logs",
                   .env = "OTLP2PARQUET_ICEBERG_TABLE_LOGS",
                   .flag = "--iceberg-table-logs",
                   .hint = "NAME",
                   .help = help},
                  table(&IcebergTableNames::logs), Text(false)),
      MakeSetting({.key = "iceberg.tables.traces",
                   .env = "OTLP2PARQUET_ICEBERG_TABLE_TRACES",
                   .flag = "--iceberg-table-traces",
                   .hint = "NAME",
                   .help = help},
                  table(&IcebergTableNames::traces), Text(false)),
      MakeSetting({.key = "iceberg.tables.metrics_gauge",
                   .env = "OTLP2PARQUET_ICEBERG_TABLE_METRICS_GAUGE",
                   .flag = "--iceberg-table-metrics-gauge",
                   .hint = "NAME",
                   .help = help},
                  table(&IcebergTableNames::metrics_gauge), Text(false)),
      MakeSetting({.key = "iceberg.tables.metrics_sum",
                   .env = "OTLP2PARQUET_ICEBERG_TABLE_METRICS_SUM",
                   .flag = "--iceberg-table-metrics-sum",
                   .hint = "NAME",
                   .help = help},
                  table(&IcebergTableNames::metrics_sum), Text(false)),
      MakeSetting({.key = "iceberg.tables.metrics_histogram",
                   .env = "OTLP2PARQUET_ICEBERG_TABLE_METRICS_HISTOGRAM",
                   .flag = "--iceberg-table-metrics-histogram",
                   .hint = "NAME",
                   .help = help},
                  table(&IcebergTableNames::metrics_histogram), Text(false)),
      MakeSetting({.key = "iceberg.tables.metrics_exponential_histogram",
                   .env = "OTLP2PARQUET_ICEBERG_TABLE_METRICS_EXPONENTIAL_HISTOGRAM",
                   .flag = "--iceberg-table-metrics-exponential-histogram",
                   .hint = "NAME",
                   .help = help},
                  table(&IcebergTableNames::metrics_exponential_histogram), Text(false)),
      MakeSetting({.key = "iceberg.tables.metrics_summary",
                   .env = "OTLP2PARQUET_ICEBERG_TABLE_METRICS_SUMMARY",
                   .flag = "--iceberg-table-metrics-summary",
                   .hint = "NAME",
                   .help = help},
                  table(&IcebergTableNames::metrics_summary), Text(false)),
  };
}

std::vector<Setting> OtherSettings() {
  return {
      MakeSetting({.key = "log.level",
                   .env = "OTLP2PARQUET_LOG_LEVEL",
                   .flag = "--log-level",
                   .help = "Least severe log level written."},
                  Field(&Config::log, &LogOptions::level),
                  Enum<LogLevel>({LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo,
                                  LogLevel::kWarn, LogLevel::kError},
                                 LogLevelName, ParseLogLevel)),
      MakeSetting(
          {.key = "log.format",
           .env = "OTLP2PARQUET_LOG_FORMAT",
           .flag = "--log-format",
           .help = "Log lines as text or as one JSON object each."},
          Field(&Config::log, &LogOptions::format),
          Enum<LogFormat>({LogFormat::kText, LogFormat::kJson}, LogFormatName, ParseLogFormat)),
      MakeSetting({.key = "auth.token",
                   .env = "OTLP2PARQUET_AUTH_TOKEN",
                   .help = "When set, requests must carry \"Authorization: Bearer <token>\" "
                           "(401 otherwise).",
                   .secret = true},
                  Field(&Config::auth, &AuthOptions::token), Text()),
      MakeSetting({.key = "wal.dir",
                   .env = "OTLP2PARQUET_WAL_DIR",
                   .flag = "--wal-dir",
                   .hint = "DIR",
                   .help = "Write-ahead log directory: a request is acknowledged once it is "
                           "logged there. Empty means beside the output (OUTPUT.wal); off "
                           "turns the WAL off (buffered rows are lost in a crash)."},
                  Field(&Config::wal, &WalOptions::dir), Text()),
      MakeSetting({.key = "wal.fsync",
                   .env = "OTLP2PARQUET_WAL_FSYNC",
                   .flag = "--wal-fsync",
                   .help = "always: fsync before acknowledging (survives power loss); never: "
                           "leave it to the OS (survives a crash of the process)."},
                  Field(&Config::wal, &WalOptions::fsync),
                  Enum<FsyncPolicy>({FsyncPolicy::kAlways, FsyncPolicy::kNever}, FsyncPolicyName,
                                    ParseFsyncPolicy)),
  };
}

std::vector<Setting> BuildTable() {
  std::vector<Setting> all;
  for (auto* group : {ServerSettings, BatchSettings, StorageSettings, ParquetSettings,
                      IcebergSettings, IcebergTableSettings, OtherSettings}) {
    for (Setting& setting : group()) all.push_back(std::move(setting));
  }
  return all;
}

template <typename Member>
const Setting* FindBy(Member member, std::string_view name) {
  if (name.empty()) return nullptr;
  for (const Setting& setting : Settings()) {
    if (setting.*member == name) return &setting;
  }
  return nullptr;
}

}  // namespace

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> table = BuildTable();
  return table;
}

const Setting* FindSettingByKey(std::string_view key) { return FindBy(&Setting::key, key); }
const Setting* FindSettingByEnv(std::string_view env) { return FindBy(&Setting::env, env); }
const Setting* FindSettingByFlag(std::string_view flag) { return FindBy(&Setting::flag, flag); }

}  // namespace o2p::config
