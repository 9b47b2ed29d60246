// The metrics a Batcher reports; shared by batcher.cc and batcher_flush.cc.
#pragma once

#include <string>

#include "o2p/base/metrics.h"
#include "o2p/pipeline/batcher.h"
#include "o2p/pipeline/partition_file.h"
#include "o2p/pipeline/wal.h"

namespace o2p::pipeline {

// Metrics the batcher reports; families are registered once, series per table on first use.
struct Batcher::Metrics {
  explicit Metrics(MetricsRegistry* r) : registry(r) {
    if (registry == nullptr) return;
    held_bytes =
        &registry->GetGauge("otlp2parquet_buffered_bytes",
                            "Bytes of rows held in memory: buffered or waiting to be written");
    flush_latency = &registry->GetHistogram("otlp2parquet_flush_duration_seconds",
                                            "Time to encode and store one Parquet file", {},
                                            Histogram::LatencyBuckets());
  }
  void Flushed(FlushReason reason) {
    if (registry == nullptr) return;
    registry
        ->GetCounter("otlp2parquet_flushes_total", "Buffers turned into files, by reason",
                     {{"reason", std::string(FlushReasonName(reason))}})
        .Add();
  }
  void Written(const std::string& table, const WrittenFile& file, double seconds) {
    if (registry == nullptr) return;
    const MetricLabels labels = {{"table", table}};
    registry->GetCounter("otlp2parquet_files_written_total", "Parquet files stored", labels).Add();
    registry
        ->GetCounter("otlp2parquet_file_bytes_written_total", "Bytes of Parquet files stored",
                     labels)
        .Add(static_cast<uint64_t>(file.bytes));
    registry->GetCounter("otlp2parquet_rows_written_total", "Rows stored in Parquet files", labels)
        .Add(static_cast<uint64_t>(file.rows));
    flush_latency->Observe(seconds);
  }
  void WriteFailed(const std::string& table) {
    if (registry == nullptr) return;
    registry
        ->GetCounter("otlp2parquet_write_errors_total", "Failed attempts to store a file",
                     {{"table", table}})
        .Add();
  }
  // After a WAL wait: its latency (one group commit, fsync included) and the WAL's totals.
  void WalWaited(double seconds, const WriteAheadLog::Stats& stats, size_t segments) {
    if (registry == nullptr) return;
    registry
        ->GetHistogram("otlp2parquet_wal_commit_duration_seconds",
                       "Time from writing a WAL record to its being durable (group commit)", {},
                       Histogram::LatencyBuckets())
        .Observe(seconds);
    registry->GetGauge("otlp2parquet_wal_bytes", "Bytes made durable in the WAL since start")
        .Set(static_cast<int64_t>(stats.bytes));
    registry->GetGauge("otlp2parquet_wal_records", "Records made durable in the WAL since start")
        .Set(static_cast<int64_t>(stats.records));
    registry->GetGauge("otlp2parquet_wal_syncs", "fdatasync calls of WAL group commits")
        .Set(static_cast<int64_t>(stats.syncs));
    registry->GetGauge("otlp2parquet_wal_failed_commits", "WAL group commits that failed")
        .Set(static_cast<int64_t>(stats.failed_groups));
    registry->GetGauge("otlp2parquet_wal_segments", "WAL segments not yet deleted")
        .Set(static_cast<int64_t>(segments));
  }
  void Held(size_t bytes) {
    if (held_bytes != nullptr) held_bytes->Set(static_cast<int64_t>(bytes));
  }

  MetricsRegistry* registry;
  Gauge* held_bytes = nullptr;
  Histogram* flush_latency = nullptr;
};

}  // namespace o2p::pipeline
