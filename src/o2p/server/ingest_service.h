// IngestService: the one transport-neutral entry of every front door (HTTP, gRPC, later Lambda).
//
// It takes one export request as received — signal, body encoding, Content-Encoding, the bytes
// and the Authorization value — and returns an ExportOutcome: a Status whose code says what
// happened (docs/errors.md) plus the conversion counts for partial_success. It checks the
// token, undoes the Content-Encoding within the decompressed-size cap, decodes and converts,
// and hands the rows to the batcher. otlp_response.h turns the outcome into what each
// transport sends; nothing else maps codes to HTTP statuses.
//
//   IngestService service(options, batcher, metrics);
//   ExportOutcome outcome = service.Export({Signal::kLogs, Encoding::kProtobuf, "gzip", body,
//   auth});
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "o2p/base/metrics.h"
#include "o2p/base/status.h"
#include "o2p/otlp/convert.h"
#include "o2p/otlp/signal.h"
#include "o2p/pipeline/batcher.h"

namespace o2p::server {

struct IngestOptions {
  /// Largest body after Content-Encoding is undone (413 above).
  size_t max_decompressed_bytes = size_t{64} << 20;
  /// When not empty, requests must carry "Bearer <token>" (compared in constant time).
  std::string auth_token;
  /// Seconds a client is asked to wait when answered UNAVAILABLE.
  int retry_after_seconds = 1;
};

struct ExportRequest {
  otlp::Signal signal = otlp::Signal::kLogs;
  otlp::Encoding encoding = otlp::Encoding::kProtobuf;
  std::string_view content_encoding;  // header value as sent; "" = identity
  std::string_view body;
  std::string_view authorization;       // header / metadata value as sent; "" = none
  std::string_view transport = "http";  // metrics label
};

struct ExportOutcome {
  Status status;                // OK, or why the request as a whole was refused
  otlp::ConvertStats stats;     // rows accepted and records rejected (partial_success)
  int retry_after_seconds = 0;  // > 0 with UNAVAILABLE
};

/// True when `authorization` is "Bearer <token>" (scheme case-insensitive). The token bytes are
/// compared in time that does not depend on where they differ.
bool BearerTokenMatches(std::string_view authorization, std::string_view token);

/// The batches of `batches` that hold rows, in table order (what the batcher takes).
std::vector<const columnar::RecordBatch*> NonEmptyTables(const otlp::TableBatches& batches);

class IngestService {
 public:
  /// `batcher` and `metrics` must outlive the service.
  IngestService(IngestOptions options, pipeline::Batcher& batcher, MetricsRegistry& metrics);

  ExportOutcome Export(const ExportRequest& request);

 private:
  ExportOutcome Decode(const ExportRequest& request, std::string_view body);
  void Count(const ExportRequest& request, const ExportOutcome& outcome);

  IngestOptions options_;
  pipeline::Batcher& batcher_;
  MetricsRegistry& metrics_;
};

}  // namespace o2p::server
