#include "unit/parquet/test_reader.h"

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

namespace o2p::parquet::testing {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  throw std::runtime_error("test_reader: " + what);
}

class Cursor {
 public:
  Cursor(std::string_view data, size_t pos) : data_(data), pos_(pos) {}
  uint8_t Byte() {
    if (pos_ >= data_.size()) Fail("read past the end");
    return static_cast<uint8_t>(data_[pos_++]);
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t b = Byte();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    Fail("varint too long");
  }
  int64_t ZigZag() {
    const uint64_t v = Varint();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  std::string Bytes(size_t n) {
    if (pos_ + n > data_.size()) Fail("binary past the end");
    std::string out(data_.substr(pos_, n));
    pos_ += n;
    return out;
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_;
};

TValue ReadValue(Cursor& c, int type, bool in_list);

TStruct ReadStruct(Cursor& c) {
  TStruct out;
  int16_t last = 0;
  while (true) {
    const uint8_t header = c.Byte();
    if (header == 0) return out;
    const int type = header & 0x0f;
    const int delta = header >> 4;
    const auto id = static_cast<int16_t>(delta != 0 ? last + delta : c.ZigZag());
    last = id;
    if (type == 1 || type == 2) {
      TValue v;
      v.kind = TValue::Kind::kBool;
      v.b = type == 1;
      out[id] = v;
    } else {
      out[id] = ReadValue(c, type, false);
    }
  }
}

TValue ReadValue(Cursor& c, int type, bool in_list) {
  TValue v;
  switch (type) {
    case 1:
    case 2:  // only reached inside lists: one byte per element, 1 = true
      v.kind = TValue::Kind::kBool;
      v.b = c.Byte() == 1;
      (void)in_list;
      return v;
    case 3: v.i = static_cast<int8_t>(c.Byte()); return v;
    case 4:
    case 5:
    case 6: v.i = c.ZigZag(); return v;
    case 7: {
      const std::string bytes = c.Bytes(8);
      v.kind = TValue::Kind::kDouble;
      std::memcpy(&v.d, bytes.data(), 8);
      return v;
    }
    case 8:
      v.kind = TValue::Kind::kBinary;
      v.bin = c.Bytes(c.Varint());
      return v;
    case 9:
    case 10: {
      const uint8_t header = c.Byte();
      uint64_t size = header >> 4;
      if (size == 15) size = c.Varint();
      v.kind = TValue::Kind::kList;
      for (uint64_t i = 0; i < size; ++i) v.list.push_back(ReadValue(c, header & 0x0f, true));
      return v;
    }
    case 12:
      v.kind = TValue::Kind::kStruct;
      v.st = std::make_shared<TStruct>(ReadStruct(c));
      return v;
    default: Fail(fmt::format("unsupported thrift type {}", type));
  }
}

uint32_t LoadU32(std::string_view data, size_t pos) {
  if (pos + 4 > data.size()) Fail("u32 past the end");
  uint32_t v;
  std::memcpy(&v, data.data() + pos, 4);
  return v;
}

std::string Decompress(int64_t codec, std::string_view in, size_t size) {
  std::string out(size, '\0');
  switch (codec) {
    case 0:
      if (in.size() != size) Fail("uncompressed size mismatch");
      return std::string(in);
    case 1:
      if (!snappy::RawUncompress(in.data(), in.size(), out.data())) Fail("snappy");
      return out;
    case 2: {
      z_stream z{};
      if (inflateInit2(&z, 15 + 16) != Z_OK) Fail("inflateInit2");
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      z.avail_in = static_cast<uInt>(in.size());
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      const int rc = inflate(&z, Z_FINISH);
      inflateEnd(&z);
      if (rc != Z_STREAM_END || z.avail_out != 0) Fail("gzip");
      return out;
    }
    case 6: {
      const size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
      if (ZSTD_isError(n) || n != size) Fail("zstd");
      return out;
    }
    case 7: {
      const int n = LZ4_decompress_safe(in.data(), out.data(), static_cast<int>(in.size()),
                                        static_cast<int>(size));
      if (n != static_cast<int>(size)) Fail("lz4");
      return out;
    }
    default: Fail(fmt::format("codec {}", codec));
  }
}

int BitWidthOf(int64_t max_level) {
  int bits = 0;
  while ((int64_t{1} << bits) <= max_level) ++bits;
  return bits;
}

// Walks the flattened schema depth-first, collecting leaves with their max levels.
void CollectLeaves(const std::vector<TValue>& schema, size_t* index, std::vector<std::string> path,
                   int16_t def, int16_t rep, std::vector<LeafInfo>* out) {
  const TStruct& e = schema.at(*index).S();
  ++*index;
  const int64_t repetition = Has(e, 3) ? GetInt(e, 3) : 0;
  if (repetition == 1) ++def;
  if (repetition == 2) {
    ++def;
    ++rep;
  }
  path.push_back(GetBin(e, 4));
  if (!Has(e, 5)) {
    out->push_back({path, def, rep, static_cast<int32_t>(GetInt(e, 1))});
    return;
  }
  for (int64_t child = 0; child < GetInt(e, 5); ++child)
    CollectLeaves(schema, index, path, def, rep, out);
}

std::vector<std::string> DecodePlain(std::string_view body, size_t pos, size_t count,
                                     int32_t type) {
  std::vector<std::string> out;
  if (type == 0) {  // BOOLEAN: bit-packed, LSB first
    for (size_t i = 0; i < count; ++i) {
      const auto byte = static_cast<uint8_t>(body.at(pos + i / 8));
      out.emplace_back(((byte >> (i % 8)) & 1) != 0 ? "true" : "false");
    }
    return out;
  }
  for (size_t i = 0; i < count; ++i) {
    size_t width = type == 1 ? 4 : 8;
    size_t start = pos;
    if (type == 6) {
      width = LoadU32(body, pos);
      start = pos + 4;
      pos += 4;
    }
    if (start + width > body.size()) Fail("plain value past the page end");
    out.push_back(RenderPlain(body.substr(start, width), type));
    pos += width;
  }
  return out;
}

}  // namespace

TStruct ReadThriftStruct(std::string_view data, size_t* pos) {
  Cursor c(data, *pos);
  TStruct out = ReadStruct(c);
  *pos = c.pos();
  return out;
}

bool Has(const TStruct& s, int16_t id) { return s.count(id) != 0; }
const TValue& Get(const TStruct& s, int16_t id) {
  auto it = s.find(id);
  if (it == s.end()) Fail(fmt::format("field {} missing", id));
  return it->second;
}
int64_t GetInt(const TStruct& s, int16_t id) { return Get(s, id).i; }
const std::string& GetBin(const TStruct& s, int16_t id) { return Get(s, id).bin; }
const std::vector<TValue>& GetList(const TStruct& s, int16_t id) { return Get(s, id).list; }
const TStruct& GetStruct(const TStruct& s, int16_t id) { return Get(s, id).S(); }

std::vector<uint32_t> DecodeRleBitPacked(std::string_view data, int bit_width, size_t count) {
  std::vector<uint32_t> out;
  Cursor c(data, 0);
  const int value_bytes = (bit_width + 7) / 8;
  while (out.size() < count) {
    const uint64_t header = c.Varint();
    if ((header & 1) == 0) {  // RLE run
      uint32_t value = 0;
      for (int i = 0; i < value_bytes; ++i) value |= static_cast<uint32_t>(c.Byte()) << (8 * i);
      for (uint64_t i = 0; i < (header >> 1) && out.size() < count; ++i) out.push_back(value);
      continue;
    }
    const uint64_t values = (header >> 1) * 8;
    uint64_t acc = 0;
    int bits = 0;
    for (uint64_t i = 0; i < values; ++i) {
      while (bits < bit_width) {
        acc |= static_cast<uint64_t>(c.Byte()) << bits;
        bits += 8;
      }
      const uint32_t v =
          bit_width == 0 ? 0 : static_cast<uint32_t>(acc & ((uint64_t{1} << bit_width) - 1));
      acc >>= bit_width;
      bits -= bit_width;
      if (out.size() < count) out.push_back(v);
    }
  }
  return out;
}

std::string RenderPlain(std::string_view bytes, int32_t type) {
  switch (type) {
    case 0: return bytes.at(0) != 0 ? "true" : "false";
    case 1: {
      int32_t v;
      std::memcpy(&v, bytes.data(), 4);
      return std::to_string(v);
    }
    case 2: {
      int64_t v;
      std::memcpy(&v, bytes.data(), 8);
      return std::to_string(v);
    }
    case 5: {
      double v;
      std::memcpy(&v, bytes.data(), 8);
      return fmt::format("{}", v);
    }
    default: return std::string(bytes);
  }
}

TestFile TestFile::Parse(std::string data) {
  if (data.size() < 12 || data.compare(0, 4, "PAR1") != 0 ||
      data.compare(data.size() - 4, 4, "PAR1") != 0) {
    Fail("missing PAR1 magic");
  }
  const uint32_t footer_len = LoadU32(data, data.size() - 8);
  if (footer_len > data.size() - 12) Fail("footer length out of range");
  TestFile file;
  size_t pos = data.size() - 8 - footer_len;
  file.meta_ = ReadThriftStruct(data, &pos);
  if (pos != data.size() - 8) Fail("footer length does not match the FileMetaData size");
  size_t index = 1;  // skip the root
  const std::vector<TValue>& schema = GetList(file.meta_, 2);
  while (index < schema.size()) CollectLeaves(schema, &index, {}, 0, 0, &file.leaves_);
  file.data_ = std::move(data);
  return file;
}

const TStruct& TestFile::chunk(size_t rg, size_t col) const {
  return GetList(row_group(rg), 1).at(col).S();
}

DecodedChunk TestFile::ReadChunk(size_t rg, size_t col) const {
  const TStruct& meta = column_meta(rg, col);
  const LeafInfo& leaf = leaves_.at(col);
  const int64_t codec = GetInt(meta, 4);
  const int64_t num_values = GetInt(meta, 5);
  size_t pos = static_cast<size_t>(Has(meta, 11) ? GetInt(meta, 11) : GetInt(meta, 9));
  DecodedChunk out;
  std::vector<std::string> dictionary;
  int64_t seen = 0;
  while (seen < num_values) {
    out.page_offsets.push_back(static_cast<int64_t>(pos));
    const TStruct header = ReadThriftStruct(data_, &pos);
    out.page_sizes.push_back(GetInt(header, 2));
    const auto compressed = static_cast<size_t>(GetInt(header, 3));
    const std::string body = Decompress(codec, std::string_view(data_).substr(pos, compressed),
                                        static_cast<size_t>(GetInt(header, 2)));
    pos += compressed;
    if (GetInt(header, 1) == 2) {  // dictionary page
      const TStruct& dict = GetStruct(header, 7);
      out.dictionary_size = static_cast<int32_t>(GetInt(dict, 1));
      dictionary =
          DecodePlain(body, 0, static_cast<size_t>(out.dictionary_size), leaf.physical_type);
      continue;
    }
    const TStruct& page = GetStruct(header, 5);
    const auto n = static_cast<size_t>(GetInt(page, 1));
    out.page_encodings.push_back(static_cast<int32_t>(GetInt(page, 2)));
    size_t p = 0;
    size_t non_null = n;
    for (int kind = 0; kind < 2; ++kind) {  // repetition levels first, then definition levels
      const int16_t max = kind == 0 ? leaf.max_rep : leaf.max_def;
      if (max == 0) continue;
      const uint32_t len = LoadU32(body, p);
      const auto levels =
          DecodeRleBitPacked(std::string_view(body).substr(p + 4, len), BitWidthOf(max), n);
      p += 4 + len;
      auto& dst = kind == 0 ? out.rep : out.def;
      for (uint32_t l : levels) dst.push_back(static_cast<int16_t>(l));
      if (kind == 1) {
        non_null = 0;
        for (uint32_t l : levels) non_null += l == static_cast<uint32_t>(max) ? 1 : 0;
      }
    }
    if (GetInt(page, 2) == 8) {  // RLE_DICTIONARY
      const int bit_width = static_cast<uint8_t>(body.at(p));
      for (uint32_t idx :
           DecodeRleBitPacked(std::string_view(body).substr(p + 1), bit_width, non_null)) {
        out.values.push_back(dictionary.at(idx));
      }
    } else {
      for (std::string& v : DecodePlain(body, p, non_null, leaf.physical_type))
        out.values.push_back(std::move(v));
    }
    seen += static_cast<int64_t>(n);
  }
  return out;
}

TStruct TestFile::ReadColumnIndex(size_t rg, size_t col) const {
  size_t pos = static_cast<size_t>(GetInt(chunk(rg, col), 6));
  const size_t start = pos;
  TStruct out = ReadThriftStruct(data_, &pos);
  if (pos - start != static_cast<size_t>(GetInt(chunk(rg, col), 7))) Fail("column index length");
  return out;
}

TStruct TestFile::ReadOffsetIndex(size_t rg, size_t col) const {
  size_t pos = static_cast<size_t>(GetInt(chunk(rg, col), 4));
  const size_t start = pos;
  TStruct out = ReadThriftStruct(data_, &pos);
  if (pos - start != static_cast<size_t>(GetInt(chunk(rg, col), 5))) Fail("offset index length");
  return out;
}

DecodedChunk TestFile::ReadColumn(size_t col) const {
  DecodedChunk all;
  for (size_t rg = 0; rg < num_row_groups(); ++rg) {
    DecodedChunk part = ReadChunk(rg, col);
    all.def.insert(all.def.end(), part.def.begin(), part.def.end());
    all.rep.insert(all.rep.end(), part.rep.begin(), part.rep.end());
    all.values.insert(all.values.end(), part.values.begin(), part.values.end());
    all.page_encodings.insert(all.page_encodings.end(), part.page_encodings.begin(),
                              part.page_encodings.end());
  }
  return all;
}

}  // namespace o2p::parquet::testing
