// Writes the input of the end-to-end load benchmark (bench/load/convert_vs_duckdb.sh): a seeded
// stream of synthetic application logs (o2p::testing::BenchmarkLogsRequest), in two encodings of
// the same records:
//   DIR/logs-0000.pb, logs-0001.pb, ...  one ExportLogsServiceRequest of K records each
//   DIR/logs.jsonl                       the same requests as OTLP/JSON, one per line
// and prints one JSON line with the record count and the total bytes of each encoding.
//
//   o2p_gen_otlp_logs --records 1000000 --per-request 10000 --seed 42 --out-dir /tmp/x
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/otlp_json_writer.h"
#include "support/otlp_samples.h"

namespace {

constexpr const char* kUsage =
    "usage: o2p_gen_otlp_logs [--records N] [--per-request K] [--seed S] --out-dir DIR\n"
    "  defaults: N=1000000, K=10000, S=42\n";

struct Args {
  uint64_t records = 1000000;
  uint64_t per_request = 10000;
  uint32_t seed = 42;
  std::string out_dir;
};

bool ParseNumber(const std::string& text, uint64_t max, uint64_t* out) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || *end != '\0' || errno != 0 || v > max) return false;
  *out = v;
  return true;
}

bool ParseArgs(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    uint64_t n = 0;
    if (arg == "--records" && ParseNumber(value, uint64_t{1} << 40, &n) && n > 0) {
      args->records = n;
    } else if (arg == "--per-request" && ParseNumber(value, 1u << 24, &n) && n > 0) {
      args->per_request = n;
    } else if (arg == "--seed" && ParseNumber(value, UINT32_MAX, &n)) {
      args->seed = static_cast<uint32_t>(n);
    } else if (arg == "--out-dir") {
      args->out_dir = value;
    } else {
      return false;
    }
  }
  return !args->out_dir.empty();
}

bool WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    fmt::print(stderr, "{}", kUsage);
    return 2;
  }
  const std::filesystem::path dir(args.out_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    fmt::print(stderr, "cannot create {}: {}\n", dir.string(), ec.message());
    return 1;
  }
  std::ofstream jsonl(dir / "logs.jsonl", std::ios::binary | std::ios::trunc);
  uint64_t pb_bytes = 0;
  uint64_t json_bytes = 0;
  uint64_t files = 0;
  for (uint64_t first = 0; first < args.records; first += args.per_request, ++files) {
    const int n = static_cast<int>(std::min(args.per_request, args.records - first));
    const auto request = o2p::testing::BenchmarkLogsRequest(args.seed, first, n);
    const std::string pb = request.SerializeAsString();
    const auto pb_path = dir / fmt::format("logs-{:04d}.pb", files);
    if (!WriteFile(pb_path, pb)) {
      fmt::print(stderr, "cannot write {}: {}\n", pb_path.string(), std::strerror(errno));
      return 1;
    }
    std::string json = o2p::testing::ToOtlpJson(request);
    json.push_back('\n');
    jsonl.write(json.data(), static_cast<std::streamsize>(json.size()));
    pb_bytes += pb.size();
    json_bytes += json.size();
  }
  jsonl.close();
  if (!jsonl) {
    fmt::print(stderr, "cannot write {}\n", (dir / "logs.jsonl").string());
    return 1;
  }
  fmt::print(R"({{"records":{},"requests":{},"seed":{},"pb_bytes":{},"jsonl_bytes":{},)"
             R"("pb_bytes_per_record":{:.1f},"jsonl_bytes_per_record":{:.1f}}})"
             "\n",
             args.records, files, args.seed, pb_bytes, json_bytes,
             static_cast<double>(pb_bytes) / static_cast<double>(args.records),
             static_cast<double>(json_bytes) / static_cast<double>(args.records));
  return 0;
}
