#include "serve_options.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "o2p/base/macros.h"
#include "o2p/base/random_id.h"

namespace o2p::cli {
namespace {

constexpr int kHttpThreadsPerWorkerWithWal = 4;

}  // namespace

int WorkerThreads(const config::Config& cfg) {
  if (cfg.server.worker_threads > 0) return cfg.server.worker_threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

parquet::WriterOptions WriterOptionsFrom(const config::Config& cfg) {
  parquet::WriterOptions writer;
  writer.codec = cfg.parquet.codec;
  writer.compression_level = cfg.parquet.compression_level;
  writer.row_group_rows = cfg.parquet.row_group_rows;
  writer.created_by = fmt::format("otlp2parquet version {}", O2P_VERSION);
  writer.key_value_metadata = {{"otlp2parquet.version", O2P_VERSION}};
  return writer;
}

pipeline::BatcherOptions BatcherOptionsFrom(const config::Config& cfg) {
  pipeline::BatcherOptions options;
  options.max_rows = cfg.batch.max_rows;
  options.max_bytes = cfg.batch.max_bytes;
  options.max_age = cfg.batch.max_age;
  options.max_buffered_bytes = cfg.batch.max_buffered_bytes;
  options.flush_threads = WorkerThreads(cfg);
  options.writer = WriterOptionsFrom(cfg);
  return options;
}

server::OtlpServerOptions OtlpServerOptionsFrom(const config::Config& cfg, bool wal) {
  server::OtlpServerOptions options;
  options.http.listen = cfg.server.listen;
  // A handler waits for its WAL group commit (an fdatasync) on its I/O thread; more threads
  // than CPUs keep the CPUs decoding meanwhile and let one sync cover more requests.
  options.http.threads = WorkerThreads(cfg) * (wal ? kHttpThreadsPerWorkerWithWal : 1);
  options.http.max_body_bytes = cfg.server.max_payload_bytes;
  if (!cfg.server.grpc_listen.empty()) {
    server::grpc::GrpcServerOptions grpc;
    grpc.listen = cfg.server.grpc_listen;
    grpc.max_message_bytes = cfg.server.max_payload_bytes;
    options.grpc = grpc;
  }
  options.ingest = IngestOptionsFrom(cfg);
  return options;
}

server::IngestOptions IngestOptionsFrom(const config::Config& cfg) {
  server::IngestOptions ingest;
  ingest.max_decompressed_bytes = cfg.server.max_decompressed_bytes;
  ingest.auth_token = cfg.auth.token;
  return ingest;
}

std::string StorageProblem(storage::ObjectStore& store, const pipeline::Batcher& batcher) {
  if (Status s = store.CheckAvailable(); !s.ok()) return s.message();
  return batcher.problem();
}

std::string WalDirectory(const config::Config& cfg) {
  if (cfg.wal.dir == "off" || cfg.wal.dir == "none") return "";
  if (!cfg.wal.dir.empty()) return cfg.wal.dir;
  std::string output = cfg.storage.path;
  while (output.size() > 1 && output.back() == '/') output.pop_back();
  return output + ".wal";
}

namespace {

// The id lives in the WAL directory; a lost directory gets a new id, so new file names can
// never coincide with (and overwrite) files written under the old one.
Result<std::string> LoadOrCreateInstanceId(const std::string& dir) {
  const std::string path = dir + "/instance-id";
  if (std::ifstream in(path); in) {
    std::string id;
    std::getline(in, id);
    if (id.size() == 32) return id;
  }
  const std::string id = RandomHexId();
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << id << "\n";
    if (!out.flush()) return Status::IoError("cannot write {}", temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0)
    return Status::IoError("cannot create {}", path);
  return id;
}

}  // namespace

Result<std::unique_ptr<pipeline::WriteAheadLog>> OpenWal(const config::Config& cfg,
                                                         const std::string& dir,
                                                         std::string* instance_id) {
  pipeline::WalOptions options;
  options.dir = dir;
  options.fsync = cfg.wal.fsync == config::FsyncPolicy::kAlways;
  O2P_ASSIGN_OR_RETURN(std::unique_ptr<pipeline::WriteAheadLog> wal,
                       pipeline::WriteAheadLog::Open(options));
  O2P_ASSIGN_OR_RETURN(*instance_id, LoadOrCreateInstanceId(dir));
  return wal;
}

std::string ListenDescription(const std::string& listen, uint16_t bound_port) {
  const size_t colon = listen.rfind(':');
  return fmt::format("{}:{}", listen.substr(0, colon), bound_port);
}

}  // namespace o2p::cli
