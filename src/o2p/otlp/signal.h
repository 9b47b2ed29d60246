// The vocabulary of what arrives: signal, body encoding, content coding, and the tables fed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace o2p::otlp {

enum class Signal : uint8_t { kLogs, kTraces, kMetrics };

/// How the (decompressed) body is encoded.
enum class Encoding : uint8_t {
  kProtobuf,  // application/x-protobuf
  kJson,      // application/json: one OTLP/JSON export request
  kJsonLines, // application/x-ndjson, application/jsonl: one request per line
};

/// A Content-Encoding we can undo.
enum class Compression : uint8_t { kNone, kGzip, kDeflate, kZstd };

/// The seven tables, in the order schema.md lists them.
enum class Table : uint8_t {
  kLogs,
  kTraces,
  kMetricsGauge,
  kMetricsSum,
  kMetricsHistogram,
  kMetricsExponentialHistogram,
  kMetricsSummary,
};
inline constexpr int kTableCount = 7;
inline constexpr std::array<Table, kTableCount> kAllTables = {
    Table::kLogs,         Table::kTraces,           Table::kMetricsGauge,
    Table::kMetricsSum,   Table::kMetricsHistogram, Table::kMetricsExponentialHistogram,
    Table::kMetricsSummary};

std::string_view SignalName(Signal signal);  // "logs", "traces", "metrics"
std::optional<Signal> ParseSignal(std::string_view name);
std::string_view EncodingName(Encoding encoding);  // "protobuf", "json", "jsonl"
std::string_view TableName(Table table);           // "logs", ..., "metrics_summary"
std::optional<Table> ParseTable(std::string_view name);
Signal SignalOfTable(Table table);

/// Maps a Content-Type header value to an encoding: parameters (";charset=...") and case are
/// ignored; an empty value means protobuf. nullopt = unsupported (HTTP 415).
std::optional<Encoding> EncodingFromContentType(std::string_view content_type);

/// Maps one Content-Encoding token ("gzip", "x-gzip", "deflate", "zstd", "identity") to a
/// compression. nullopt = unsupported (HTTP 415).
std::optional<Compression> CompressionFromToken(std::string_view token);

}  // namespace o2p::otlp
