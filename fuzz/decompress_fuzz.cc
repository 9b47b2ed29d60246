// Capped decompression: every coding on the raw bytes, and a Content-Encoding header (the
// first line) applied to the rest. The output may never pass the cap, whatever the input says.
#include "fuzz_check.h"
#include "o2p/otlp/decompress.h"

namespace {
// Small enough that bombs hit it quickly, big enough for real bodies in the seeds.
constexpr size_t kCap = size_t{1} << 20;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace o2p;
  const std::string_view input = fuzz::AsText(data, size);
  for (otlp::Compression codec : {otlp::Compression::kNone, otlp::Compression::kGzip,
                                  otlp::Compression::kDeflate, otlp::Compression::kZstd}) {
    Result<std::string> out = otlp::Decompress(input, codec, kCap);
    if (out.ok()) fuzz::Check(out->size() <= kCap, "Decompress went past its cap");
    if (codec == otlp::Compression::kNone) {
      fuzz::Check(out.ok() == (input.size() <= kCap), "identity must copy within the cap");
    }
  }
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  Result<std::vector<otlp::Compression>> codings =
      otlp::ParseContentEncoding(input.substr(0, newline));
  if (!codings.ok()) return 0;
  Result<std::string> out = otlp::DecompressAll(input.substr(newline + 1), *codings, kCap);
  if (out.ok()) fuzz::Check(out->size() <= kCap, "DecompressAll went past its cap");
  return 0;
}
