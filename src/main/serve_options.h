// Translation of the loaded configuration into the options of the modules `serve` wires.
#pragma once

#include <cstdint>
#include <string>

#include "o2p/config/config.h"
#include "o2p/pipeline/batcher.h"
#include "o2p/server/otlp_server.h"
#include "o2p/storage/object_store.h"

namespace o2p::cli {

/// server.worker_threads, with 0 meaning one per CPU.
int WorkerThreads(const config::Config& cfg);
parquet::WriterOptions WriterOptionsFrom(const config::Config& cfg);
pipeline::BatcherOptions BatcherOptionsFrom(const config::Config& cfg);
server::OtlpServerOptions OtlpServerOptionsFrom(const config::Config& cfg);

/// "" when files can be written; otherwise the reason (for GET /ready).
std::string StorageProblem(storage::ObjectStore& store, const pipeline::Batcher& batcher);

/// "HOST:PORT" with the port actually bound (differs from `listen` when it asked for port 0).
std::string ListenDescription(const std::string& listen, uint16_t bound_port);

}  // namespace o2p::cli
