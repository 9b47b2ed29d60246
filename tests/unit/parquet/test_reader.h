// A small Parquet *reader* for tests: a generic Thrift compact-protocol decoder (into a tree
// keyed by field id) and a page decoder for what our writer emits (data page v1, PLAIN,
// RLE_DICTIONARY, RLE levels, every codec). It checks the writer against an independent
// reading of the format, so it shares no code with src/o2p/parquet except the public API.
//
//   TestFile file = TestFile::Parse(bytes);           // footer, schema, leaves
//   DecodedChunk chunk = file.ReadChunk(row_group, leaf);
//   chunk.def, chunk.rep, chunk.values (rendered as text), chunk.encodings
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace o2p::parquet::testing {

struct TValue;
using TStruct = std::map<int16_t, TValue>;

/// One decoded Thrift value. Integers of every width land in `i`.
struct TValue {
  enum class Kind { kBool, kInt, kDouble, kBinary, kList, kStruct };
  Kind kind = Kind::kInt;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string bin;
  std::vector<TValue> list;
  std::shared_ptr<TStruct> st;

  const TStruct& S() const { return *st; }
};

/// Decodes one struct starting at `*pos`; advances `*pos` past its stop byte. Throws
/// std::runtime_error on malformed input (tests fail loudly).
TStruct ReadThriftStruct(std::string_view data, size_t* pos);

bool Has(const TStruct& s, int16_t id);
const TValue& Get(const TStruct& s, int16_t id);  // throws when absent
int64_t GetInt(const TStruct& s, int16_t id);
const std::string& GetBin(const TStruct& s, int16_t id);
const std::vector<TValue>& GetList(const TStruct& s, int16_t id);
const TStruct& GetStruct(const TStruct& s, int16_t id);

/// The decoder's side of the RLE/bit-packed hybrid: `count` values at `bit_width`.
std::vector<uint32_t> DecodeRleBitPacked(std::string_view data, int bit_width, size_t count);

struct LeafInfo {
  std::vector<std::string> path;
  int16_t max_def = 0;
  int16_t max_rep = 0;
  int32_t physical_type = 0;
};

struct DecodedChunk {
  std::vector<int16_t> def;  // empty when max_def == 0
  std::vector<int16_t> rep;  // empty when max_rep == 0
  /// Non-null values rendered as text: integers in decimal, doubles with fmt's "{}", booleans
  /// "true"/"false", strings as their bytes.
  std::vector<std::string> values;
  std::vector<int32_t> page_encodings;  // DataPageHeader.encoding of each data page, in order
  int32_t dictionary_size = -1;         // entries in the dictionary page; -1 = none
  std::vector<int64_t> page_offsets;    // file offset of every page header (dictionary first)
  std::vector<int64_t> page_sizes;      // uncompressed_page_size of those pages
};

class TestFile {
 public:
  /// Checks both magics and decodes FileMetaData. Throws on malformed files.
  static TestFile Parse(std::string data);

  const TStruct& meta() const { return meta_; }
  const std::vector<LeafInfo>& leaves() const { return leaves_; }
  const std::vector<TValue>& schema() const { return GetList(meta_, 2); }
  size_t num_row_groups() const { return GetList(meta_, 4).size(); }
  const TStruct& row_group(size_t rg) const { return GetList(meta_, 4).at(rg).S(); }
  /// ColumnChunk (field 3's owner) of leaf `col` in row group `rg`.
  const TStruct& chunk(size_t rg, size_t col) const;
  const TStruct& column_meta(size_t rg, size_t col) const { return GetStruct(chunk(rg, col), 3); }
  /// Decodes every page of one column chunk.
  DecodedChunk ReadChunk(size_t rg, size_t col) const;
  /// The ColumnIndex / OffsetIndex structs the chunk points at (fields 6-7 / 4-5).
  TStruct ReadColumnIndex(size_t rg, size_t col) const;
  TStruct ReadOffsetIndex(size_t rg, size_t col) const;
  /// All values of a leaf over all row groups.
  DecodedChunk ReadColumn(size_t col) const;
  const std::string& data() const { return data_; }

 private:
  std::string data_;
  TStruct meta_;
  std::vector<LeafInfo> leaves_;
};

/// Renders a PLAIN-encoded single value of `physical_type` as DecodedChunk::values does.
std::string RenderPlain(std::string_view bytes, int32_t physical_type);

}  // namespace o2p::parquet::testing
