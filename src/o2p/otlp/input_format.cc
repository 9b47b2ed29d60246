#include "o2p/otlp/input_format.h"

#include <algorithm>
#include <string>

namespace o2p::otlp {
namespace {

bool ConsumeSuffix(std::string* name, std::string_view suffix) {
  if (name->size() < suffix.size() || name->compare(name->size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  name->resize(name->size() - suffix.size());
  return true;
}

}  // namespace

Result<InputFormat> InputFormatFromPath(std::string_view path) {
  std::string name(path.substr(path.find_last_of('/') == std::string_view::npos
                                   ? 0
                                   : path.find_last_of('/') + 1));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  InputFormat format;
  if (ConsumeSuffix(&name, ".gz")) {
    format.compression = Compression::kGzip;
  } else if (ConsumeSuffix(&name, ".zst")) {
    format.compression = Compression::kZstd;
  }
  if (ConsumeSuffix(&name, ".pb") || ConsumeSuffix(&name, ".binpb") ||
      ConsumeSuffix(&name, ".protobuf")) {
    format.encoding = Encoding::kProtobuf;
  } else if (ConsumeSuffix(&name, ".jsonl") || ConsumeSuffix(&name, ".ndjson")) {
    format.encoding = Encoding::kJsonLines;
  } else if (ConsumeSuffix(&name, ".json")) {
    format.encoding = Encoding::kJson;
  } else {
    return Status::InvalidArgument(
        "{}: unknown file type; expected .pb, .binpb, .json, .jsonl or .ndjson, optionally "
        "followed by .gz or .zst",
        path);
  }
  if (name.find("logs") != std::string::npos) {
    format.signal = Signal::kLogs;
  } else if (name.find("traces") != std::string::npos || name.find("spans") != std::string::npos) {
    format.signal = Signal::kTraces;
  } else if (name.find("metrics") != std::string::npos) {
    format.signal = Signal::kMetrics;
  }
  return format;
}

}  // namespace o2p::otlp
