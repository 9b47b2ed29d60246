#include "inspect_command.h"

#include <chrono>

#include <fmt/format.h>

#include "input_files.h"
#include "o2p/base/macros.h"
#include "o2p/otlp/export_request.h"

namespace o2p::cli {
namespace {

using otlp::Signal;

void PrintBatch(otlp::Table table, const columnar::RecordBatch& batch, size_t max_rows) {
  fmt::print("  table {} : {} rows\n", otlp::TableName(table), batch.num_rows());
  const auto& fields = batch.schema()->fields();
  for (size_t row = 0; row < std::min(batch.num_rows(), max_rows); ++row) {
    fmt::print("    row {}\n", row);
    for (size_t col = 0; col < fields.size(); ++col) {
      fmt::print("      {:<26} {}\n", fields[col].name,
                 columnar::FormatValue(batch.column(col), row));
    }
  }
  if (batch.num_rows() > max_rows)
    fmt::print("    ... {} more rows\n", batch.num_rows() - max_rows);
}

Status InspectFile(const std::string& path, std::optional<Signal> forced, size_t max_rows) {
  O2P_ASSIGN_OR_RETURN(InputFile input, LoadInput(path, forced));
  otlp::ConvertOptions options;
  options.receive_time_unix_nano =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  otlp::TableBatches batches;
  auto stats =
      otlp::DecodeAndConvert(input.signal, input.format.encoding, input.body, options, &batches);
  if (!stats) return stats.error().WithPrefix(path);
  fmt::print("{}: {} {} request, {} bytes -> {} rows, {} rejected{}{}\n", path,
             otlp::SignalName(input.signal), otlp::EncodingName(input.format.encoding),
             input.body.size(), stats->accepted, stats->rejected,
             stats->rejected ? " (first: " : "",
             stats->rejected ? stats->first_rejection + ")" : "");
  for (otlp::Table table : otlp::kAllTables) {
    if (const auto* batch = batches.Find(table)) PrintBatch(table, *batch, max_rows);
  }
  return Status::Ok();
}

}  // namespace

int RunInspect(const std::vector<std::string>& args) {
  std::optional<Signal> forced;
  size_t max_rows = 3;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--signal" && i + 1 < args.size()) {
      forced = otlp::ParseSignal(args[++i]);
      if (!forced) {
        fmt::print(stderr, "inspect: --signal takes logs, traces or metrics\n");
        return 2;
      }
    } else if (args[i] == "--rows" && i + 1 < args.size()) {
      max_rows = std::stoul(args[++i]);
    } else if (!args[i].empty() && args[i][0] == '-') {
      fmt::print(stderr, "inspect: unknown option {}\n", args[i]);
      return 2;
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.empty()) {
    fmt::print(stderr, "usage: otlp2parquet inspect [--signal S] [--rows N] FILE...\n");
    return 2;
  }
  int exit_code = 0;
  for (const std::string& file : files) {
    Status s = InspectFile(file, forced, max_rows);
    if (!s.ok()) {
      fmt::print(stderr, "error: {}\n", s.message());
      exit_code = 1;
    }
  }
  return exit_code;
}

}  // namespace o2p::cli
