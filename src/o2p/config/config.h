// Config: every setting of the server, as plain aggregates grouped by area.
//
// Defaults live in the member initializers and nowhere else: `--help` and `otlp2parquet config`
// print them by formatting a default-constructed Config. The loader (load.h) fills a Config from
// the TOML file, the environment and the flags; nothing here reads the environment.
//
// The option structs stand in for the `*_options.h` headers the server, pipeline, storage,
// iceberg and WAL modules will own; when such a header appears, its struct moves there and
// Config keeps a member of that type. Settings are described once, in settings.cc.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "o2p/base/log.h"
#include "o2p/parquet/writer_options.h"

namespace o2p::config {

inline constexpr size_t kKiB = size_t{1} << 10;
inline constexpr size_t kMiB = size_t{1} << 20;

enum class StorageBackend : uint8_t { kLocal, kS3 };
/// How bucket and key go into S3 URLs: auto = virtual-hosted on AWS (path style for bucket
/// names with dots), path style for custom endpoints.
enum class S3Addressing : uint8_t { kAuto, kPath, kVirtual };
using o2p::LogFormat;  // base/log.h
using o2p::LogLevel;
/// When the write-ahead log calls fsync.
enum class FsyncPolicy : uint8_t {
  kAlways,  // before a request is acknowledged (concurrent requests share one fsync)
  kNever,   // never: survives a crash of the process, not of the machine
};

/// Canonical lower-case names ("local", "s3"; "trace" … "error"; "text", "json"; "always",
/// "never") and their parsers. Parsing ignores case and accepts a few aliases: "fs" and
/// "filesystem" for local, "aws" for s3, "warning" for warn.
std::string_view StorageBackendName(StorageBackend backend);
std::optional<StorageBackend> ParseStorageBackend(std::string_view name);
std::string_view S3AddressingName(S3Addressing addressing);
std::optional<S3Addressing> ParseS3Addressing(std::string_view name);
std::string_view LogLevelName(LogLevel level);
std::optional<LogLevel> ParseLogLevel(std::string_view name);
std::string_view LogFormatName(LogFormat format);
std::optional<LogFormat> ParseLogFormat(std::string_view name);
std::string_view FsyncPolicyName(FsyncPolicy policy);
std::optional<FsyncPolicy> ParseFsyncPolicy(std::string_view name);

/// The front doors and the limits they apply to each request.
struct ServerOptions {
  /// OTLP/HTTP, "HOST:PORT" (IPv6 as "[::]:4318").
  std::string listen = "0.0.0.0:4318";
  /// OTLP/gRPC; empty means gRPC is off (the loader turns "off" into "").
  std::string grpc_listen = "0.0.0.0:4317";
  /// Largest request body as received, before Content-Encoding is undone (413 above).
  size_t max_payload_bytes = 8 * kMiB;
  /// Largest body after decompression; the OTLP specification recommends 64 MiB (413 above).
  size_t max_decompressed_bytes = 64 * kMiB;
  /// Threads serving requests and encoding files; 0 means one per CPU.
  int worker_threads = 0;

  bool operator==(const ServerOptions&) const = default;
};

/// When a batch (one per table and service) becomes a file, and how much may wait in memory.
struct BatchOptions {
  size_t max_rows = 200000;
  /// Estimated in-memory size of one batch.
  size_t max_bytes = 64 * kMiB;
  std::chrono::milliseconds max_age{std::chrono::seconds(10)};
  /// All batches together; past this, requests are answered "retry later" (503/UNAVAILABLE).
  size_t max_buffered_bytes = 512 * kMiB;

  bool operator==(const BatchOptions&) const = default;
};

struct S3Options {
  std::string bucket;
  std::string region;
  /// Empty means AWS; set for MinIO and other S3-compatible stores.
  std::string endpoint;
  /// Key prefix under which files are written, e.g. "otel/".
  std::string prefix;
  S3Addressing addressing = S3Addressing::kAuto;
  /// One request's time limit (a large upload gets one more second per MiB).
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
  /// Files of this size or more go up as multipart uploads.
  size_t multipart_threshold = 16 * kMiB;
  size_t part_size = 8 * kMiB;
  /// Parts of one file uploaded at the same time.
  int upload_concurrency = 4;

  bool operator==(const S3Options&) const = default;
};

struct StorageOptions {
  StorageBackend backend = StorageBackend::kLocal;
  /// Root directory of the local backend.
  std::string path = "./data";
  S3Options s3;

  bool operator==(const StorageOptions&) const = default;
};

struct ParquetOptions {
  parquet::Codec codec = parquet::Codec::kZstd;
  /// 0 means the codec's default (zstd 3, gzip 6); ignored by snappy, lz4_raw and none.
  int compression_level = 0;
  /// A row group is cut past this many rows.
  size_t row_group_rows = size_t{1} << 20;

  bool operator==(const ParquetOptions&) const = default;
};

/// The table name used for each of the seven tables of schema.md.
struct IcebergTableNames {
  std::string logs = "logs";
  std::string traces = "traces";
  std::string metrics_gauge = "metrics_gauge";
  std::string metrics_sum = "metrics_sum";
  std::string metrics_histogram = "metrics_histogram";
  std::string metrics_exponential_histogram = "metrics_exponential_histogram";
  std::string metrics_summary = "metrics_summary";

  /// (table of schema.md, Iceberg table name) for all seven, in schema.md order.
  std::vector<std::pair<std::string_view, std::string>> All() const {
    return {{"logs", logs},
            {"traces", traces},
            {"metrics_gauge", metrics_gauge},
            {"metrics_sum", metrics_sum},
            {"metrics_histogram", metrics_histogram},
            {"metrics_exponential_histogram", metrics_exponential_histogram},
            {"metrics_summary", metrics_summary}};
  }
  bool operator==(const IcebergTableNames&) const = default;
};

/// Iceberg REST catalog. Iceberg is on exactly when rest_uri is set (as in the original).
struct IcebergOptions {
  std::string rest_uri;
  /// Sent as the `warehouse` parameter of GET /v1/config (for Glue: the account id).
  std::string warehouse;
  /// Dot-separated levels, e.g. "otel" or "prod.otel".
  std::string namespace_name = "otel";
  /// Base location for created tables, e.g. "s3://bucket/warehouse"; empty lets the catalog pick.
  std::string data_location;
  IcebergTableNames tables;
  /// SigV4 service name for catalog requests ("glue", "s3tables"); empty means unsigned.
  std::string signing_name;
  /// SigV4 region; empty means storage.s3.region.
  std::string signing_region;
  /// Secret: a bearer token sent to the catalog.
  std::string token;
  /// Secret: OAuth2 client credentials, "client_id:client_secret".
  std::string credential;
  /// OAuth2 token endpoint; empty means the catalog's {rest_uri}/v1/oauth/tokens.
  std::string oauth2_uri;
  /// Sent as X-Iceberg-Access-Delegation ("vended-credentials"); empty sends nothing.
  std::string access_delegation;

  /// "dir:PATH": the directory catalog (iceberg/dir_catalog.h) instead of a REST catalog.
  std::string catalog;

  bool enabled() const { return !rest_uri.empty() || !catalog.empty(); }
  /// The PATH of catalog = "dir:PATH", else "".
  std::string directory() const {
    return catalog.starts_with("dir:") ? catalog.substr(4) : std::string();
  }
  bool operator==(const IcebergOptions&) const = default;
};

struct LogOptions {
  LogLevel level = LogLevel::kInfo;
  LogFormat format = LogFormat::kText;

  bool operator==(const LogOptions&) const = default;
};

struct AuthOptions {
  /// Secret: when set, requests must carry "Authorization: Bearer <token>" (401 otherwise).
  std::string token;

  bool operator==(const AuthOptions&) const = default;
};

/// Values only for now: the write-ahead log is a later issue.
struct WalOptions {
  /// Empty means "{storage.path}.wal"; "off" means no WAL (a crash loses buffered rows).
  std::string dir;
  FsyncPolicy fsync = FsyncPolicy::kAlways;

  bool operator==(const WalOptions&) const = default;
};

struct Config {
  ServerOptions server;
  BatchOptions batch;
  StorageOptions storage;
  ParquetOptions parquet;
  IcebergOptions iceberg;
  LogOptions log;
  AuthOptions auth;
  WalOptions wal;

  bool operator==(const Config&) const = default;
};

}  // namespace o2p::config
