// `otlp2parquet serve`: load the configuration, wire storage -> batcher -> front doors, run
// until SIGTERM or SIGINT, then stop receiving and write every buffered row.
#include "serve_command.h"

#include <thread>

#include <fmt/format.h>
#include <signal.h>

#include "o2p/base/log.h"
#include "o2p/base/random_id.h"
#include "o2p/config/load.h"
#include "o2p/config/validate.h"
#include "o2p/pipeline/batcher.h"
#include "o2p/server/otlp_server.h"
#include "o2p/server/wal_replay.h"
#include "iceberg_setup.h"
#include "serve_options.h"
#include "storage_setup.h"

namespace o2p::cli {
namespace {

constexpr const char* kServeUsage =
    "usage: otlp2parquet serve [--config FILE] [flags...]\n\n"
    "Receives OTLP over HTTP (POST /v1/logs, /v1/traces, /v1/metrics) and gRPC, and writes\n"
    "Parquet files per table, service and hour. Settings come from flags > OTLP2PARQUET_*\n"
    "environment > TOML file > defaults. Stops on SIGTERM or SIGINT after writing every\n"
    "buffered row.\n\n";

// Blocks the stop signals in every thread (threads inherit the mask) so sigwait gets them.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Writes what an earlier run left in the WAL before any new request is taken.
bool ReplayLeftovers(pipeline::WriteAheadLog& wal, pipeline::Batcher& batcher,
                     MetricsRegistry& metrics) {
  if (wal.RecoveredSegments().empty()) return true;
  LogInfo("replaying the write-ahead log",
          {{"segments", static_cast<uint64_t>(wal.RecoveredSegments().size())}});
  auto replayed = server::ReplayWal(wal, batcher);
  if (!replayed) {
    LogError("replaying the write-ahead log failed", {{"error", replayed.error().message()}});
    return false;
  }
  metrics
      .GetCounter("otlp2parquet_wal_replayed_records_total",
                  "Requests replayed from the WAL at start")
      .Add(replayed->records);
  metrics.GetCounter("otlp2parquet_wal_replayed_rows_total", "Rows replayed from the WAL at start")
      .Add(replayed->rows);
  LogInfo("write-ahead log replayed", {{"segments", replayed->segments},
                                       {"records", replayed->records},
                                       {"rows", replayed->rows},
                                       {"corrupt_segments", replayed->corrupt_segments}});
  return true;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  auto loaded = config::LoadConfig(args, config::ProcessEnvironment());
  if (!loaded) {
    fmt::print(stderr, "serve: {}\n", loaded.error().message());
    return 2;
  }
  if (loaded->help_requested) {
    fmt::print("{}{}", kServeUsage, config::SettingsHelp());
    return 0;
  }
  const config::Config& cfg = loaded->config;
  if (Status s = config::ValidateConfig(cfg); !s.ok()) {
    fmt::print(stderr, "serve: {}\n", s.message());
    return 2;
  }
  if (!loaded->positional.empty()) {
    fmt::print(stderr, "serve: unexpected argument '{}'\n", loaded->positional[0]);
    return 2;
  }
  InitLogging(cfg.log.level, cfg.log.format);
  for (const std::string& warning : loaded->warnings) LogWarn(warning);

  const sigset_t stop_signals = BlockStopSignals();
  MetricsRegistry metrics;
  pipeline::BatcherOptions batcher_options = BatcherOptionsFrom(cfg);
  const std::string wal_dir = WalDirectory(cfg);
  std::unique_ptr<pipeline::WriteAheadLog> wal;
  if (!wal_dir.empty()) {
    auto opened = OpenWal(cfg, wal_dir, &batcher_options.wal_instance_id);
    if (!opened) {
      LogError("cannot open the write-ahead log",
               {{"dir", wal_dir}, {"error", opened.error().message()}});
      return 1;
    }
    wal = std::move(*opened);
  }
  StorageStack storage_stack;
  IcebergStack iceberg_stack;
  if (cfg.iceberg.enabled()) {
    // Commit ids must survive a restart with the WAL (its replay commits the same epochs).
    const std::string instance_id =
        wal ? batcher_options.wal_instance_id : RandomHexId();
    auto opened = OpenIceberg(cfg, instance_id, &metrics);
    if (!opened) {
      LogError("cannot use the Iceberg catalog", {{"error", opened.error().message()}});
      return 1;
    }
    iceberg_stack = std::move(*opened);
  } else {
    auto opened = OpenStorage(cfg, &metrics);
    if (!opened) {
      LogError("cannot use the configured storage", {{"error", opened.error().message()}});
      return 1;
    }
    storage_stack = std::move(*opened);
  }
  storage::ObjectStore& store =
      cfg.iceberg.enabled() ? *iceberg_stack.data_store : *storage_stack.store;
  pipeline::Batcher batcher(batcher_options, store, &metrics, wal.get(),
                            iceberg_stack.committer.get());
  batcher.Start();
  if (wal && !ReplayLeftovers(*wal, batcher, metrics)) return 1;
  auto server = server::OtlpServer::Start(OtlpServerOptionsFrom(cfg, wal != nullptr), batcher,
                                          metrics, [&] { return StorageProblem(store, batcher); });
  if (!server) {
    LogError("cannot start", {{"error", server.error().message()}});
    batcher.Shutdown();
    return 1;
  }
  LogInfo("otlp2parquet serving",
          {{"version", O2P_VERSION},
           {"http", ListenDescription(cfg.server.listen, (*server)->http_port())},
           {"grpc", cfg.server.grpc_listen.empty()
                        ? std::string("off")
                        : ListenDescription(cfg.server.grpc_listen, (*server)->grpc_port())},
           {"output", cfg.iceberg.enabled() ? "iceberg " + cfg.iceberg.namespace_name
                                            : store.Describe("")},
           {"wal", wal_dir.empty() ? std::string("off") : wal_dir}});

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  LogInfo("stopping: no new requests; writing buffered rows",
          {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"},
           {"buffered_bytes", static_cast<uint64_t>(batcher.held_bytes())}});
  (*server)->Stop(std::chrono::seconds(10));
  const int64_t lost = batcher.Shutdown();
  if (lost > 0) {
    LogError("stopped with rows that could not be written", {{"rows", lost}});
    return 1;
  }
  LogInfo("stopped; every buffered row was written");
  return 0;
}

}  // namespace o2p::cli
