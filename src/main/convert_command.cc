#include "convert_command.h"

#include <chrono>
#include <map>

#include <fmt/format.h>
#include <unistd.h>

#include "input_files.h"
#include "o2p/base/macros.h"
#include "o2p/base/random_id.h"
#include "o2p/otlp/export_request.h"
#include "o2p/parquet/writer_options.h"
#include "o2p/pipeline/partition_buffers.h"
#include "o2p/pipeline/partition_file.h"
#include "o2p/storage/local_store.h"

namespace o2p::cli {
namespace {

constexpr const char* kHelp = R"(usage: otlp2parquet convert [options] INPUT...

Converts OTLP files to Parquet files, one per table, service and hour, under
  OUTPUT/{table}/service_name={service}/year=YYYY/month=MM/day=DD/hour=HH/{start-ns}-{id}.parquet

INPUT is a file or a directory (searched recursively). Files are recognised by name:
  .pb .binpb .protobuf   OTLP protobuf (ExportLogs/Trace/MetricsServiceRequest)
  .json                  OTLP/JSON, one export request
  .jsonl .ndjson         OTLP/JSON, one export request per line
optionally followed by .gz or .zst. The signal comes from --signal, else a JSON document's
first key (resourceLogs / resourceSpans / resourceMetrics), else the file name, which must
then contain logs, traces or metrics.

options:
  -o, --output DIR            output root (default ./data)
  -s, --signal SIGNAL         logs, traces or metrics, for every input
      --compression CODEC     zstd (default), snappy, gzip, lz4_raw or none
      --compression-level N   zstd 1-22 (default 3), gzip 1-9 (default 6)
      --max-file-rows N       start another file for a partition past N rows (default 1048576)
  -q, --quiet                 print errors only
  -h, --help                  show this help

exit status: 0 everything converted; 1 an input or some of its records were rejected (each is
named with its reason; nothing is written for a rejected input); 2 usage error.
)";

struct ConvertArgs {
  std::string output = "./data";
  std::optional<otlp::Signal> signal;
  parquet::WriterOptions writer;
  size_t max_file_rows = size_t{1} << 20;
  bool quiet = false;
  std::vector<std::string> inputs;
};

// Parses the command line; a usage error is returned as a message.
Result<ConvertArgs> ParseArgs(const std::vector<std::string>& args) {
  ConvertArgs out;
  out.writer.created_by = fmt::format("otlp2parquet version {}", O2P_VERSION);
  out.writer.key_value_metadata = {{"otlp2parquet.version", O2P_VERSION}};
  bool level_set = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&]() -> Result<std::string> {
      if (i + 1 >= args.size()) return Status::InvalidArgument("{} needs a value", arg);
      return args[++i];
    };
    if (arg == "-o" || arg == "--output") {
      O2P_ASSIGN_OR_RETURN(out.output, value());
    } else if (arg == "-s" || arg == "--signal") {
      O2P_ASSIGN_OR_RETURN(std::string v, value());
      out.signal = otlp::ParseSignal(v);
      if (!out.signal)
        return Status::InvalidArgument("--signal takes logs, traces or metrics, not '{}'", v);
    } else if (arg == "--compression") {
      O2P_ASSIGN_OR_RETURN(std::string v, value());
      auto codec = parquet::ParseCodec(v);
      if (!codec) {
        return Status::InvalidArgument(
            "--compression takes zstd, snappy, gzip, lz4_raw or none, not '{}'", v);
      }
      out.writer.codec = *codec;
    } else if (arg == "--compression-level") {
      O2P_ASSIGN_OR_RETURN(std::string v, value());
      char* end = nullptr;
      const long level = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || level < 1 || level > 22) {
        return Status::InvalidArgument("--compression-level takes a number from 1 to 22, not '{}'",
                                       v);
      }
      out.writer.compression_level = static_cast<int>(level);
      level_set = true;
    } else if (arg == "--max-file-rows") {
      O2P_ASSIGN_OR_RETURN(std::string v, value());
      char* end = nullptr;
      const unsigned long long rows = std::strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || rows == 0) {
        return Status::InvalidArgument("--max-file-rows takes a positive number, not '{}'", v);
      }
      out.max_file_rows = rows;
    } else if (arg == "-q" || arg == "--quiet") {
      out.quiet = true;
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      return Status::InvalidArgument("unknown option {}", arg);
    } else {
      out.inputs.push_back(arg);
    }
  }
  if (out.writer.codec == parquet::Codec::kGzip && !level_set) out.writer.compression_level = 6;
  if (out.writer.codec == parquet::Codec::kGzip && out.writer.compression_level > 9) {
    return Status::InvalidArgument("--compression-level for gzip is 1 to 9");
  }
  if (out.inputs.empty()) return Status::InvalidArgument("no INPUT given");
  return out;
}

struct Totals {
  std::map<std::string, int64_t> rows_per_table;
  int64_t inputs_ok = 0;
  int64_t inputs_failed = 0;
  int64_t records_rejected = 0;
  int64_t files = 0;
  int64_t bytes_in = 0;
  int64_t bytes_out = 0;
};

class Converter {
 public:
  Converter(const ConvertArgs& args, storage::ObjectStore& store)
      : args_(args),
        store_(store),
        start_(std::chrono::steady_clock::now()),
        progress_(!args.quiet && ::isatty(STDERR_FILENO)) {}

  // Converts one input; its rows are buffered and written when buffers fill or at Finish().
  bool ConvertOne(const std::string& path) {
    auto input = LoadInput(path, args_.signal);
    if (!input) return Fail(input.error().message());
    otlp::TableBatches batches;
    auto stats = otlp::DecodeAndConvert(input->signal, input->format.encoding, input->body,
                                        {NowNanos()}, &batches);
    if (!stats) return Fail(fmt::format("{}: {}", path, stats.error().message()));
    totals_.bytes_in += static_cast<int64_t>(input->raw_bytes);
    if (stats->rejected > 0) {
      totals_.records_rejected += stats->rejected;
      fmt::print(stderr, "{}: {} records rejected (first: {})\n", path, stats->rejected,
                 stats->first_rejection);
    }
    for (otlp::Table table : otlp::kAllTables) {
      const columnar::RecordBatch* batch = batches.Find(table);
      if (batch == nullptr) continue;
      totals_.rows_per_table[std::string(otlp::TableName(table))] +=
          static_cast<int64_t>(batch->num_rows());
      if (auto added = buffers_.Add(*batch); !added) return Fail(added.error().ToString());
    }
    ++totals_.inputs_ok;
    if (!WriteAll(buffers_.TakeFull(args_.max_file_rows, kMaxBufferBytes))) return false;
    // Bound memory over many partitions too: past the total, write everything buffered.
    if (buffers_.MemoryUsage() > kMaxTotalBufferBytes) return WriteAll(buffers_.TakeAll());
    return true;
  }

  bool Finish() { return WriteAll(buffers_.TakeAll()); }

  void PrintProgress(size_t done, size_t total) {
    if (!progress_) return;
    fmt::print(stderr, "\r  {}/{} inputs, {} records, {:.1f} MB/s   ", done, total, Records(),
               MegabytesPerSecond());
    if (done == total) fmt::print(stderr, "\n");
  }

  void PrintSummary() const {
    if (args_.quiet) return;
    for (const auto& [table, rows] : totals_.rows_per_table) {
      fmt::print("  {:<31} {:>12} records\n", table, rows);
    }
    fmt::print("{} inputs converted, {} failed, {} records rejected; {} files written to {}\n",
               totals_.inputs_ok, totals_.inputs_failed, totals_.records_rejected, totals_.files,
               args_.output);
    fmt::print("{:.1f} MB in, {:.1f} MB out, {:.2f} s, {:.1f} MB/s, {:.0f} records/s\n",
               static_cast<double>(totals_.bytes_in) / 1e6,
               static_cast<double>(totals_.bytes_out) / 1e6, Seconds(), MegabytesPerSecond(),
               static_cast<double>(Records()) / std::max(Seconds(), 1e-9));
  }

  bool ok() const { return totals_.inputs_failed == 0 && totals_.records_rejected == 0; }

 private:
  // One partition's buffer, and all of them together; a file is written when either is passed.
  static constexpr size_t kMaxBufferBytes = size_t{256} << 20;
  static constexpr size_t kMaxTotalBufferBytes = size_t{512} << 20;

  static uint64_t NowNanos() {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  }
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double MegabytesPerSecond() const {
    return static_cast<double>(totals_.bytes_in) / 1e6 / std::max(Seconds(), 1e-9);
  }
  int64_t Records() const {
    int64_t n = 0;
    for (const auto& [table, rows] : totals_.rows_per_table) n += rows;
    return n;
  }

  bool Fail(const std::string& message) {
    ++totals_.inputs_failed;
    fmt::print(stderr, "{}error: {}\n", progress_ ? "\n" : "", message);
    return false;
  }

  bool WriteAll(std::vector<pipeline::BufferedPartition> partitions) {
    for (const auto& partition : partitions) {
      auto file = pipeline::WritePartitionFile(partition, args_.writer, store_, RandomHexId());
      if (!file) {
        fmt::print(stderr, "error: writing {} rows of {}: {}\n", partition.batch->num_rows(),
                   partition.table, file.error().message());
        ++totals_.inputs_failed;
        return false;
      }
      ++totals_.files;
      totals_.bytes_out += file->bytes;
    }
    return true;
  }

  const ConvertArgs& args_;
  storage::ObjectStore& store_;
  std::chrono::steady_clock::time_point start_;
  bool progress_;
  pipeline::PartitionBuffers buffers_;
  Totals totals_;
};

}  // namespace

int RunConvert(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "-h" || arg == "--help") {
      fmt::print("{}", kHelp);
      return 0;
    }
  }
  auto parsed = ParseArgs(args);
  if (!parsed) {
    fmt::print(stderr, "convert: {}\n(see otlp2parquet convert --help)\n",
               parsed.error().message());
    return 2;
  }
  auto files = ExpandInputs(parsed->inputs);
  if (!files) {
    fmt::print(stderr, "convert: {}\n", files.error().message());
    return 2;
  }
  storage::LocalStore store(parsed->output);
  Converter converter(*parsed, store);
  for (size_t i = 0; i < files->size(); ++i) {
    converter.ConvertOne((*files)[i]);
    converter.PrintProgress(i + 1, files->size());
  }
  const bool written = converter.Finish();
  converter.PrintSummary();
  return written && converter.ok() ? 0 : 1;
}

}  // namespace o2p::cli
