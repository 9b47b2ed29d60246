// Translation of the loaded configuration into the options of the modules `serve` wires.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "o2p/config/config.h"
#include "o2p/pipeline/batcher.h"
#include "o2p/pipeline/wal.h"
#include "o2p/server/otlp_server.h"
#include "o2p/storage/object_store.h"

namespace o2p::cli {

/// server.worker_threads, with 0 meaning one per CPU.
int WorkerThreads(const config::Config& cfg);
parquet::WriterOptions WriterOptionsFrom(const config::Config& cfg);
pipeline::BatcherOptions BatcherOptionsFrom(const config::Config& cfg);
/// The ingest limits and token shared by every front door (server and Lambda).
server::IngestOptions IngestOptionsFrom(const config::Config& cfg);
/// `wal`: a write-ahead log is on (handlers then wait for its group commit).
server::OtlpServerOptions OtlpServerOptionsFrom(const config::Config& cfg, bool wal);

/// The write-ahead log directory: wal.dir, "{storage.path}.wal" when empty, "" when "off".
std::string WalDirectory(const config::Config& cfg);

/// Opens the WAL in `dir` and reads (or creates) its instance id, the name part that keeps
/// file names of a new WAL directory apart from those of an earlier one.
Result<std::unique_ptr<pipeline::WriteAheadLog>> OpenWal(const config::Config& cfg,
                                                         const std::string& dir,
                                                         std::string* instance_id);

/// "" when files can be written; otherwise the reason (for GET /ready).
std::string StorageProblem(storage::ObjectStore& store, const pipeline::Batcher& batcher);

/// "HOST:PORT" with the port actually bound (differs from `listen` when it asked for port 0).
std::string ListenDescription(const std::string& listen, uint16_t bound_port);

}  // namespace o2p::cli
