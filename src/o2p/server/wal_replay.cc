#include "o2p/server/wal_replay.h"

#include "o2p/base/log.h"
#include "o2p/otlp/export_request.h"
#include "o2p/server/ingest_service.h"
#include "o2p/server/wal_record.h"

namespace o2p::server {
namespace {

// Converts one logged request and hands its rows to the segment's epoch.
Status ReplayRecord(uint64_t segment, std::string_view bytes, pipeline::Batcher& batcher,
                    ReplayStats& stats) {
  Result<WalRecord> record = DecodeWalRecord(bytes);
  if (!record) return record.error();
  otlp::TableBatches batches;
  Result<otlp::ConvertStats> converted = otlp::DecodeAndConvert(
      record->signal, record->encoding, record->body, {record->receive_time_unix_nano}, &batches);
  if (!converted) return converted.error();
  ++stats.records;
  stats.rows += static_cast<uint64_t>(converted->accepted);
  return batcher.AddRecovered(segment, NonEmptyTables(batches));
}

}  // namespace

Result<ReplayStats> ReplayWal(pipeline::WriteAheadLog& wal, pipeline::Batcher& batcher) {
  ReplayStats stats;
  for (const uint64_t segment : wal.RecoveredSegments()) {
    const std::string path = wal.SegmentPath(segment);
    auto report = pipeline::WriteAheadLog::ReadSegment(path, [&](std::string_view bytes) {
      if (Status s = ReplayRecord(segment, bytes, batcher, stats); !s.ok()) {
        LogWarn("skipping a WAL record that cannot be replayed",
                {{"segment", path}, {"error", s.message()}});
      }
      return Status::Ok();
    });
    if (!report) {
      LogWarn("cannot read a WAL segment; it is kept",
              {{"segment", path}, {"error", report.error().message()}});
      continue;
    }
    if (report->truncated) {
      ++stats.corrupt_segments;
      LogWarn("WAL segment ends in a torn or corrupt record; the records before it are replayed",
              {{"segment", path}, {"records", report->records}, {"problem", report->problem}});
    }
    batcher.SealRecovered(segment);
    ++stats.segments;
  }
  if (!batcher.FlushAll(std::chrono::minutes(10))) {
    return Status::Unavailable("replayed rows could not all be written within 10 minutes");
  }
  return stats;
}

}  // namespace o2p::server
