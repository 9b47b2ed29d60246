// Upload throughput of the S3 store: FILES objects of SIZE bytes, THREADS uploads at a time,
// against any S3 endpoint (bench/load/s3_upload.sh runs it against moto with multipart on and
// off). Prints files/s, MB/s and the per-file latency.
//
//   o2p_s3_upload ENDPOINT BUCKET SIZE_MIB FILES THREADS MULTIPART_THRESHOLD_MIB [PART_MIB]
// Credentials come from the usual AWS environment variables.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "o2p/storage/aws/credentials.h"
#include "o2p/storage/s3/s3_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  using namespace o2p::storage;  // NOLINT(google-build-using-namespace): a small tool
  if (argc < 7) {
    fmt::print(stderr, "usage: {} ENDPOINT BUCKET SIZE_MIB FILES THREADS THRESHOLD_MIB [PART_MIB]\n",
               argv[0]);
    return 2;
  }
  const size_t size = std::stoul(argv[3]) << 20;
  const int files = std::stoi(argv[4]);
  const int threads = std::stoi(argv[5]);
  s3::S3StoreOptions options;
  options.client.endpoint = argv[1];
  options.client.bucket = argv[2];
  options.client.region = "us-east-1";
  options.multipart_threshold = std::stoul(argv[6]) << 20;
  options.part_size = (argc > 7 ? std::stoul(argv[7]) : 8) << 20;
  auto http = http::MakeHttpClient();
  if (!http.ok()) return fmt::print(stderr, "{}\n", http.status().message()), 1;
  auto credentials = aws::MakeDefaultCredentialsChain(
      {.env = aws::ProcessEnvironment(), .http = http->get(), .now = nullptr});
  auto store = s3::S3Store::Make(options, **http, *credentials);
  if (!store.ok()) return fmt::print(stderr, "{}\n", store.status().message()), 1;

  std::string data(size, '\0');
  std::mt19937_64 rng(1);
  for (char& c : data) c = static_cast<char>(rng());  // incompressible, like Parquet pages
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::vector<double> latencies(static_cast<size_t>(files));
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < files; i = next++) {
        const auto t0 = Clock::now();
        if (!(*store)->Put(fmt::format("bench/file-{:05d}.bin", i), data).ok()) ++failures;
        latencies[static_cast<size_t>(i)] = Seconds(Clock::now() - t0);
      }
    });
  }
  for (auto& w : workers) w.join();
  const double elapsed = Seconds(Clock::now() - start);
  std::sort(latencies.begin(), latencies.end());
  fmt::print("s3_upload: {} files x {} MiB, {} threads, multipart {} (parts {} MiB): "
             "{:.1f} files/s, {:.1f} MB/s, latency p50 {:.0f} ms p99 {:.0f} ms, {} failures, "
             "{} retries\n",
             files, size >> 20, threads,
             size >= options.multipart_threshold ? "on" : "off", options.part_size >> 20,
             files / elapsed, static_cast<double>(size) * files / elapsed / 1e6,
             latencies[latencies.size() / 2] * 1000,
             latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)] * 1000,
             failures.load(), (*store)->client().retries());
  return failures == 0 ? 0 : 1;
}
