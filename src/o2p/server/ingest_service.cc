#include "o2p/server/ingest_service.h"

#include <chrono>
#include <vector>

#include "o2p/base/macros.h"
#include "o2p/base/text_codec.h"
#include "o2p/otlp/decompress.h"
#include "o2p/otlp/export_request.h"
#include "o2p/server/wal_record.h"

namespace o2p::server {
namespace {

uint64_t NowUnixNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// The body with its Content-Encoding undone, at most `cap` bytes. An identity body is the
// request's own bytes; a decompressed one is kept in `owned`.
Result<std::string_view> UndoContentEncoding(std::string_view content_encoding,
                                             std::string_view body, size_t cap,
                                             std::string* owned) {
  O2P_ASSIGN_OR_RETURN(std::vector<otlp::Compression> codings,
                       otlp::ParseContentEncoding(content_encoding));
  std::erase(codings, otlp::Compression::kNone);
  if (codings.empty()) {
    if (body.size() > cap) {
      return Status::ResourceExhausted("body of {} bytes exceeds the limit of {} bytes",
                                       body.size(), cap);
    }
    return body;
  }
  O2P_ASSIGN_OR_RETURN(*owned, otlp::DecompressAll(body, codings, cap));
  return std::string_view(*owned);
}

}  // namespace

bool BearerTokenMatches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() < kScheme.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  const std::string_view given = authorization.substr(kScheme.size());
  // Every byte of the configured token is looked at whatever the given value is, so the time
  // taken reveals neither a matching prefix nor (beyond the token's own length) anything else.
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (size_t i = 0; i < token.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    diff = static_cast<unsigned char>(diff | (g ^ token[i]));
  }
  return diff == 0;
}

IngestService::IngestService(IngestOptions options, pipeline::Batcher& batcher,
                             MetricsRegistry& metrics)
    : options_(std::move(options)), batcher_(batcher), metrics_(metrics) {}

ExportOutcome IngestService::Export(const ExportRequest& request) {
  ExportOutcome outcome;
  if (!options_.auth_token.empty() &&
      !BearerTokenMatches(request.authorization, options_.auth_token)) {
    outcome.status =
        Status(StatusCode::kUnauthenticated,
               request.authorization.empty() ? "missing bearer token" : "wrong bearer token");
  } else {
    std::string decompressed;
    Result<std::string_view> body = UndoContentEncoding(
        request.content_encoding, request.body, options_.max_decompressed_bytes, &decompressed);
    outcome = body ? Decode(request, *body) : ExportOutcome{body.error(), {}, 0};
  }
  if (outcome.status.code() == StatusCode::kUnavailable) {
    outcome.retry_after_seconds = options_.retry_after_seconds;
  }
  Count(request, outcome);
  return outcome;
}

std::vector<const columnar::RecordBatch*> NonEmptyTables(const otlp::TableBatches& batches) {
  std::vector<const columnar::RecordBatch*> tables;
  for (otlp::Table table : otlp::kAllTables) {
    if (const columnar::RecordBatch* batch = batches.Find(table)) tables.push_back(batch);
  }
  return tables;
}

ExportOutcome IngestService::Decode(const ExportRequest& request, std::string_view body) {
  ExportOutcome outcome;
  otlp::TableBatches batches;
  const uint64_t received = NowUnixNanos();
  Result<otlp::ConvertStats> stats =
      otlp::DecodeAndConvert(request.signal, request.encoding, body, {received}, &batches);
  if (!stats) {
    outcome.status = stats.error();
    return outcome;
  }
  outcome.stats = std::move(*stats);
  if (outcome.stats.accepted == 0 && outcome.stats.rejected > 0) {
    outcome.status = Status::InvalidArgument("every record was rejected; the first: {}",
                                             outcome.stats.first_rejection);
    return outcome;
  }
  const std::vector<const columnar::RecordBatch*> tables = NonEmptyTables(batches);
  if (tables.empty()) return outcome;
  // With a WAL the validated body is logged, so a replay rebuilds exactly these rows.
  const std::string record =
      batcher_.has_wal() ? EncodeWalRecord({request.signal, request.encoding, received, body})
                         : std::string();
  outcome.status = batcher_.Add(tables, record);
  return outcome;
}

void IngestService::Count(const ExportRequest& request, const ExportOutcome& outcome) {
  const std::string signal(otlp::SignalName(request.signal));
  const std::string transport(request.transport);
  metrics_
      .GetCounter("otlp2parquet_requests_total", "OTLP export requests, by outcome",
                  {{"signal", signal},
                   {"transport", transport},
                   {"code", std::string(StatusCodeName(outcome.status.code()))}})
      .Add();
  metrics_
      .GetCounter("otlp2parquet_request_bytes_total", "Request bytes as received (compressed)",
                  {{"signal", signal}, {"transport", transport}})
      .Add(request.body.size());
  if (outcome.status.ok()) {
    metrics_
        .GetCounter("otlp2parquet_records_total", "Records accepted (rows buffered)",
                    {{"signal", signal}})
        .Add(static_cast<uint64_t>(outcome.stats.accepted));
  }
  if (outcome.stats.rejected > 0) {
    metrics_
        .GetCounter("otlp2parquet_rejected_records_total",
                    "Records rejected by validation (partial_success or 400)", {{"signal", signal}})
        .Add(static_cast<uint64_t>(outcome.stats.rejected));
  }
}

}  // namespace o2p::server
