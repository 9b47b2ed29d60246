// Streamed, capped decompression of request bodies (otlp-protocol.md, "Request decoding").
//
// Every codec writes into one CappedOutput, which allocates blocks of geometrically growing
// size but never more than cap + 1 bytes in all: producing that extra byte is how "the body is
// over the cap" is detected. A gzip bomb therefore costs at most the cap, however small its
// input; only a body that fits the cap may need one final copy to join its blocks.
//
// Decisions worth knowing:
// - An empty body with a real coding (gzip, deflate, zstd) is INVALID_ARGUMENT: zero bytes are
//   not a valid stream in any of the three formats, and a silent "empty request" would hide a
//   client bug.
// - A stream without its end marker (truncated body) is INVALID_ARGUMENT, never a short success.
// - After a gzip member, another member (1f 8b) continues the body (RFC 1952 section 2.2), zero
//   padding is ignored (as gzip(1) does), anything else is trailing garbage. deflate has no
//   members; only zero padding may follow it.

#include "o2p/otlp/decompress.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "o2p/base/macros.h"

namespace o2p::otlp {
namespace {

// Without a declared size, the first block is sized from the input (OTLP payloads usually
// compress 4-10x), but never below 16 KiB so tiny bodies do not need a dozen blocks.
constexpr size_t kMinFirstBlock = size_t{16} << 10;
constexpr size_t kExpectedRatio = 4;

// A declared size (gzip ISIZE, zstd Frame_Content_Size) is trusted for the first block only up
// to this ratio: deflate cannot expand more than ~1032:1, and it keeps a 20-byte body from
// reserving the whole cap with a made-up header.
constexpr size_t kMaxPlausibleRatio = 1032;

// zstd's own default decoding limit (128 MiB windows). RFC 9659 says HTTP encoders must stay at
// or below 8 MiB, so this is generous while still refusing a frame header that asks for a
// multi-GiB window buffer. A cap above 128 MiB raises it: a single-segment frame's window is
// its whole content, and content that fits the cap must be accepted.
constexpr int kZstdMinWindowLogMax = 27;

// Longest Content-Encoding token echoed back in an error message.
constexpr size_t kMaxEchoedToken = 64;

Status OverCap(size_t cap) {
  return Status::ResourceExhausted("decompressed body exceeds {} bytes", cap);
}

// Collects decompressed bytes in blocks whose sizes add up to at most cap + 1: producing that
// extra byte is how "over the cap" is detected, so a bomb never costs more than the cap. Blocks
// are never reallocated (no transient copy while growing); each new block is as large as all
// previous ones, so the count stays logarithmic. When the first block was big enough (the usual
// case with a declared size) Finish() moves it out without copying.
class CappedOutput {
 public:
  /// `declared_size`: what the stream says it inflates to, 0 if unknown. Only a hint.
  CappedOutput(size_t cap, size_t input_size, uint64_t declared_size)
      : cap_(cap), limit_(cap == SIZE_MAX ? cap : cap + 1) {
    const size_t plausible =
        input_size < SIZE_MAX / kMaxPlausibleRatio ? input_size * kMaxPlausibleRatio : SIZE_MAX;
    if (declared_size > 0 && declared_size < plausible) {
      first_block_ = static_cast<size_t>(declared_size) + 1;  // + 1: room to see the end
    } else if (input_size < SIZE_MAX / kExpectedRatio) {
      first_block_ = std::max(kMinFirstBlock, input_size * kExpectedRatio);
    } else {
      first_block_ = SIZE_MAX;
    }
  }

  /// Makes at least one byte writable at next(). RESOURCE_EXHAUSTED once the cap is exceeded.
  Status EnsureSpace() {
    if (written_ > cap_) return OverCap(cap_);
    if (!blocks_.empty() && used_in_last_ < blocks_.back().size()) return Status::Ok();
    const size_t wanted = blocks_.empty() ? first_block_ : allocated_;
    return AddBlock(std::min(wanted, limit_ - allocated_));
  }

  char* next() { return blocks_.back().data() + used_in_last_; }
  size_t available() const { return blocks_.back().size() - used_in_last_; }
  void Commit(size_t n) {
    used_in_last_ += n;
    written_ += n;
  }

  /// The output as one string. RESOURCE_EXHAUSTED if it is over the cap.
  Result<std::string> Finish() && {
    if (written_ > cap_) return OverCap(cap_);
    if (blocks_.empty()) return std::string();
    if (blocks_.size() == 1) {
      std::string out = std::move(blocks_.front());
      out.resize(written_);
      // A declared size that lied high would otherwise pin its whole block.
      if (out.capacity() / 2 > written_) out.shrink_to_fit();
      return out;
    }
    try {
      std::string out;
      out.reserve(written_);
      for (std::string& block : blocks_) {
        out.append(block.data(), std::min(block.size(), written_ - out.size()));
        std::string().swap(block);  // release as we go
      }
      return out;
    } catch (const std::bad_alloc&) {
      return OutOfMemory(written_);
    }
  }

 private:
  static Status OutOfMemory(size_t size) {
    return Status::ResourceExhausted("out of memory holding a {}-byte decompressed body", size);
  }

  Status AddBlock(size_t size) {
    try {
      std::string block;
      block.reserve(size);  // a fresh string allocates exactly `size`
      block.resize(size);
      blocks_.push_back(std::move(block));
    } catch (const std::bad_alloc&) {
      return OutOfMemory(allocated_ + size);
    }
    allocated_ += size;
    used_in_last_ = 0;
    return Status::Ok();
  }

  const size_t cap_;
  const size_t limit_;  // cap_ + 1
  size_t first_block_ = 0;
  std::vector<std::string> blocks_;  // all full except the last
  size_t used_in_last_ = 0;
  size_t written_ = 0;
  size_t allocated_ = 0;  // sum of block sizes, <= limit_
};

// ---------------------------------------------------------------------------------------------
// gzip and deflate (zlib)

// Owns a z_stream set up for inflating; ok() is false if zlib could not initialise it.
class Inflater {
 public:
  explicit Inflater(int window_bits) { ok_ = inflateInit2(&stream_, window_bits) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  bool ok() const { return ok_; }
  z_stream* stream() { return &stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

// RFC 1950 section 2.2: CM = 8 (deflate), CINFO <= 7, and CMF*256 + FLG a multiple of 31.
// That is what HTTP's "deflate" means; some clients send raw RFC 1951 data instead. Raw data
// practically never passes this check: CM = 8 would mean a non-final stored block with a
// non-zero padding bit, which encoders do not write.
bool HasZlibHeader(std::string_view input) {
  if (input.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(input[0]);
  const auto flg = static_cast<unsigned char>(input[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

bool AllZero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

bool StartsGzipMember(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Status ZlibError(std::string_view codec, int code, const z_stream& stream, size_t offset) {
  if (code == Z_MEM_ERROR) return Status::Internal("{}: out of memory", codec);
  if (code == Z_NEED_DICT) {
    return Status::InvalidArgument("{}: stream needs a preset dictionary at input byte {}", codec,
                                   offset);
  }
  const char* what = stream.msg != nullptr ? stream.msg : "corrupt stream";
  return Status::InvalidArgument("{}: {} at input byte {}", codec, what, offset);
}

// Called at the end of a gzip member or deflate stream. Returns true when the body goes on
// with another gzip member (the stream has been reset for it), false when the body is done.
Result<bool> AfterStreamEnd(std::string_view codec, bool gzip, z_stream* stream,
                            std::string_view rest, size_t offset) {
  if (gzip && StartsGzipMember(rest)) {
    if (inflateReset(stream) != Z_OK) return Status::Internal("{}: inflateReset failed", codec);
    return true;
  }
  if (!AllZero(rest)) {
    return Status::InvalidArgument("{}: trailing garbage after the stream at input byte {}", codec,
                                   offset);
  }
  return false;
}

// RFC 1952 section 2.3.1: the last 4 bytes are ISIZE, the (last) member's size mod 2^32.
uint64_t GzipDeclaredSize(std::string_view input) {
  constexpr size_t kSmallestMember = 20;  // 10-byte header, empty deflate block, 8-byte trailer
  if (input.size() < kSmallestMember) return 0;
  const auto* end = reinterpret_cast<const unsigned char*>(input.data() + input.size());
  return uint64_t{end[-4]} | uint64_t{end[-3]} << 8 | uint64_t{end[-2]} << 16 |
         uint64_t{end[-1]} << 24;
}

Result<std::string> Inflate(std::string_view input, std::string_view codec, int window_bits,
                            size_t cap) {
  if (input.empty()) return Status::InvalidArgument("{}: empty body", codec);
  Inflater inflater(window_bits);
  if (!inflater.ok()) return Status::Internal("{}: inflateInit2 failed", codec);
  z_stream* stream = inflater.stream();
  const bool gzip = window_bits > MAX_WBITS;
  CappedOutput out(cap, input.size(), gzip ? GzipDeclaredSize(input) : 0);
  size_t consumed = 0;
  for (;;) {
    O2P_RETURN_IF_ERROR(out.EnsureSpace());
    // avail_in / avail_out are 32-bit: feed at most UINT_MAX bytes per call.
    const size_t in_chunk = std::min<size_t>(input.size() - consumed, UINT_MAX);
    const size_t out_chunk = std::min<size_t>(out.available(), UINT_MAX);
    stream->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + consumed));
    stream->avail_in = static_cast<uInt>(in_chunk);
    stream->next_out = reinterpret_cast<Bytef*>(out.next());
    stream->avail_out = static_cast<uInt>(out_chunk);
    const int code = inflate(stream, Z_NO_FLUSH);
    consumed += in_chunk - stream->avail_in;
    out.Commit(out_chunk - stream->avail_out);
    if (code == Z_STREAM_END) {
      O2P_ASSIGN_OR_RETURN(bool more,
                           AfterStreamEnd(codec, gzip, stream, input.substr(consumed), consumed));
      if (!more) return std::move(out).Finish();
    } else if (code == Z_BUF_ERROR && consumed == input.size()) {
      // No progress with output space available: the stream needs bytes the body lacks.
      return Status::InvalidArgument("{}: truncated stream (unexpected end at input byte {})",
                                     codec, consumed);
    } else if (code != Z_OK && code != Z_BUF_ERROR) {
      return ZlibError(codec, code, *stream, consumed);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// zstd

struct DCtxDeleter {
  void operator()(ZSTD_DCtx* dctx) const { ZSTD_freeDCtx(dctx); }
};
using DCtxPtr = std::unique_ptr<ZSTD_DCtx, DCtxDeleter>;

// The smallest window log >= kZstdMinWindowLogMax whose window holds `cap` bytes.
int ZstdWindowLogMax(size_t cap) {
  const int upper = ZSTD_dParam_getBounds(ZSTD_d_windowLogMax).upperBound;
  int log = kZstdMinWindowLogMax;
  while (log < upper && log < 63 && (size_t{1} << log) < cap) ++log;
  return log;
}

Status ZstdError(size_t code, int window_log_max, size_t offset) {
  if (ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge) {
    return Status::InvalidArgument(
        "zstd: frame window larger than 2^{} bytes is not accepted at input byte {}",
        window_log_max, offset);
  }
  return Status::InvalidArgument("zstd: {} at input byte {}", ZSTD_getErrorName(code), offset);
}

Result<std::string> Unzstd(std::string_view input, size_t cap) {
  if (input.empty()) return Status::InvalidArgument("zstd: empty body");
  DCtxPtr dctx(ZSTD_createDCtx());
  if (dctx == nullptr) return Status::Internal("zstd: ZSTD_createDCtx failed");
  // Bounds the window buffer a frame header can make the decoder allocate.
  const int window_log_max = ZstdWindowLogMax(cap);
  const size_t set = ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, window_log_max);
  if (ZSTD_isError(set)) return Status::Internal("zstd: {}", ZSTD_getErrorName(set));
  // The first frame's Frame_Content_Size, when the encoder wrote it (one-shot encoders do).
  const unsigned long long declared = ZSTD_getFrameContentSize(input.data(), input.size());
  const bool known = declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR;
  CappedOutput out(cap, input.size(), known ? declared : 0);
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  for (;;) {
    O2P_RETURN_IF_ERROR(out.EnsureSpace());
    ZSTD_outBuffer chunk{out.next(), out.available(), 0};
    const size_t hint = ZSTD_decompressStream(dctx.get(), &chunk, &in);
    out.Commit(chunk.pos);
    if (ZSTD_isError(hint)) return ZstdError(hint, window_log_max, in.pos);
    const bool input_done = in.pos == in.size;
    // hint == 0: a frame ended and is fully flushed; more input means another frame.
    if (hint == 0 && input_done) return std::move(out).Finish();
    // Output space left over and no input left: the frame is cut short.
    if (hint != 0 && input_done && chunk.pos < chunk.size) {
      return Status::InvalidArgument("zstd: truncated frame (unexpected end at input byte {})",
                                     in.pos);
    }
  }
}

}  // namespace

Result<std::vector<Compression>> ParseContentEncoding(std::string_view header) {
  std::vector<Compression> codings;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view token = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const std::optional<Compression> coding = CompressionFromToken(token);
    if (!coding.has_value()) {
      constexpr std::string_view kSpace = " \t\r\n\v\f";  // what CompressionFromToken trims
      token = token.substr(token.find_first_not_of(kSpace));
      token = token.substr(0, token.find_last_not_of(kSpace) + 1);
      const std::string_view shown = token.substr(0, kMaxEchoedToken);
      return Status::Unimplemented("unsupported Content-Encoding '{}{}'", shown,
                                   shown.size() < token.size() ? "..." : "");
    }
    // "identity" and empty list elements (RFC 9110 section 5.6.1) change nothing.
    if (*coding != Compression::kNone) codings.push_back(*coding);
  }
  return codings;
}

Result<std::string> Decompress(std::string_view input, Compression compression,
                               size_t max_output_bytes) {
  switch (compression) {
    case Compression::kNone:
      if (input.size() > max_output_bytes) return OverCap(max_output_bytes);
      return std::string(input);
    case Compression::kGzip: return Inflate(input, "gzip", 16 + MAX_WBITS, max_output_bytes);
    case Compression::kDeflate: {
      const int window_bits = HasZlibHeader(input) ? MAX_WBITS : -MAX_WBITS;
      return Inflate(input, "deflate", window_bits, max_output_bytes);
    }
    case Compression::kZstd: return Unzstd(input, max_output_bytes);
  }
  return Status::Internal("unknown compression {}", static_cast<int>(compression));
}

Result<std::string> DecompressAll(std::string_view input, const std::vector<Compression>& codings,
                                  size_t max_output_bytes) {
  // Codings are listed in the order they were applied, so they are undone last to first. At most
  // two stages (the one being read and the one being written) are alive at once.
  std::string current;
  std::string_view view = input;
  bool decoded = false;
  for (size_t i = codings.size(); i-- > 0;) {
    const Compression coding = codings[i];
    if (coding == Compression::kNone) continue;
    O2P_ASSIGN_OR_RETURN(std::string next, Decompress(view, coding, max_output_bytes));
    current = std::move(next);
    view = current;
    decoded = true;
  }
  if (!decoded) return Decompress(input, Compression::kNone, max_output_bytes);
  return current;
}

}  // namespace o2p::otlp
