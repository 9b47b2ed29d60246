#include "input_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "o2p/base/macros.h"
#include "o2p/otlp/decompress.h"
#include "o2p/otlp/export_request.h"

namespace o2p::cli {
namespace {

Result<std::string> ReadWholeFile(const std::string& path) {
  // Sized up front and read in one go: files may be hundreds of MB, and a stringstream would
  // copy them twice.
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::NotFound("{}: cannot open", path);
  const std::streamoff size = in.tellg();
  if (size < 0) return Status::IoError("{}: cannot tell its size", path);
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return Status::IoError("{}: read failed", path);
  return bytes;
}

}  // namespace

Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg, ec)) {
        if (entry.is_regular_file() &&
            otlp::InputFormatFromPath(entry.path().string()).has_value()) {
          found.push_back(entry.path().string());
        }
      }
      if (ec) return Status::IoError("{}: {}", arg, ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(arg, ec)) {
      files.push_back(arg);
    } else {
      return Status::NotFound("{}: no such file or directory", arg);
    }
  }
  return files;
}

Result<InputFile> LoadInput(const std::string& path, std::optional<otlp::Signal> forced) {
  InputFile input;
  input.path = path;
  O2P_ASSIGN_OR_RETURN(input.format, otlp::InputFormatFromPath(path));
  O2P_ASSIGN_OR_RETURN(std::string raw, ReadWholeFile(path));
  input.raw_bytes = raw.size();
  if (input.format.compression == otlp::Compression::kNone) {
    input.body = std::move(raw);
  } else {
    auto body = otlp::Decompress(raw, input.format.compression, kMaxFileBodyBytes);
    if (!body) return body.error().WithPrefix(path);
    input.body = std::move(*body);
  }
  std::optional<otlp::Signal> signal = forced;
  if (!signal && input.format.encoding != otlp::Encoding::kProtobuf) {
    signal = otlp::SniffJsonSignal(input.body);
  }
  if (!signal) signal = input.format.signal;
  if (!signal) {
    return Status::InvalidArgument(
        "{}: cannot tell the signal: the file name must contain logs, traces or metrics (or the "
        "JSON must start with resourceLogs, resourceSpans or resourceMetrics); or pass --signal",
        path);
  }
  input.signal = *signal;
  return input;
}

}  // namespace o2p::cli
