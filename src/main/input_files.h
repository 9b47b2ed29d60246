// Reading OTLP input files for the offline commands (inspect, convert): expanding directories,
// reading, undoing the compression their name says, and telling the signal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "o2p/base/result.h"
#include "o2p/otlp/input_format.h"
#include "o2p/otlp/signal.h"

namespace o2p::cli {

/// Decompressed size cap for files: far above the network default (files may hold millions of
/// records) but still a bound, so a hostile file cannot exhaust memory.
inline constexpr size_t kMaxFileBodyBytes = size_t{16} << 30;

/// One input: the file's path, its format and its decompressed body.
struct InputFile {
  std::string path;
  otlp::InputFormat format;
  otlp::Signal signal = otlp::Signal::kLogs;
  size_t raw_bytes = 0;  // size on disk
  std::string body;      // decompressed
};

/// Expands directories (recursively, files with a known extension only, sorted) and keeps
/// files as given. A missing path is an error naming it.
Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& args);

/// Reads and decompresses `path` and determines its signal: `forced` if set, else the JSON
/// document's first key, else the file name. Errors name the path and say what to do.
Result<InputFile> LoadInput(const std::string& path, std::optional<otlp::Signal> forced);

}  // namespace o2p::cli
