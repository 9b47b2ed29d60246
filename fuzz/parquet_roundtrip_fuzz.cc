// Parquet round trip: random rows for a random schema.md table (otlp/table_schemas.h), written
// by our FileWriter with random options (every codec, tiny pages and row groups, dictionary on,
// off or overflowing, statistics and page index on/off, several batches), read back by the
// independent test reader (tests/unit/parquet/test_reader.h) and compared leaf by leaf with
// what this file computes from its own record of the rows: values, definition and repetition
// levels (Dremel striping of maps, lists, list<struct<map>>), row counts of the footer and
// its row groups, and the per-leaf summary Close() returns (value, null and NaN counts, exact
// bounds). Why: the writer is hand written and the unit tests cover fixed shapes; here nulls,
// empty and long strings of any bytes, extreme numbers, NaN and empty or long lists and maps
// land on arbitrary page, dictionary and row-group boundaries.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "fuzz_check.h"
#include "o2p/columnar/record_batch.h"
#include "o2p/otlp/table_schemas.h"
#include "o2p/parquet/file_writer.h"
#include "unit/parquet/test_reader.h"

namespace {

namespace col = o2p::columnar;
namespace pq = o2p::parquet;
namespace fuzz = o2p::fuzz;
using col::TypeId;

/// Nested entries (list elements, map entries) one input may create in all; with the
/// required columns of <= 36 rows this keeps one execution to a few thousand values.
constexpr size_t kMaxEntries = 600;
constexpr int kMaxBatches = 3;
constexpr int kMaxBatchRows = 12;

/// The input, consumed front to back; zeros once it is exhausted, so every input is a test.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  /// `bytes` bytes, little-endian.
  uint64_t Bits(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{Byte()} << (8 * i);
    return v;
  }
  /// Up to `n` raw bytes (fewer at the end of the input).
  std::string Bytes(size_t n) {
    n = std::min(n, size_ - std::min(pos_, size_));
    std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

/// One generated cell, the plain C++ record the expectations are computed from.
struct Value {
  bool null = false;
  int64_t i = 0;  // boolean (0/1), int, long, timestamp
  double d = 0;
  std::string s;
  std::vector<Value> items;  // list elements; map entries ({key, value}); struct members
};

class Generator {
 public:
  explicit Generator(ByteReader* in) : in_(in) {}

  Value Generate(const col::Field& field) {
    Value v;
    if (field.nullable && in_->Byte() % 4 == 0) {
      v.null = true;
      return v;
    }
    const std::vector<col::Field>& children = field.type->children();
    switch (field.type->id()) {
      case TypeId::kList:
        for (size_t n = Count(); n > 0; --n) v.items.push_back(Generate(children[0]));
        break;
      case TypeId::kMap:
        for (size_t n = Count(); n > 0; --n) {
          Value entry;
          entry.items.push_back(Generate(children[0]));
          entry.items.push_back(Generate(children[1]));
          v.items.push_back(std::move(entry));
        }
        break;
      case TypeId::kStruct:
        for (const col::Field& child : children) v.items.push_back(Generate(child));
        break;
      default: Primitive(field.type->id(), &v);
    }
    return v;
  }

 private:
  size_t Count() {
    const uint8_t b = in_->Byte();
    size_t n = b < 224 ? b % 4 : b % 32;
    n = std::min(n, entries_left_);
    entries_left_ -= n;
    return n;
  }

  void Primitive(TypeId id, Value* v) {
    switch (id) {
      case TypeId::kBoolean: v->i = in_->Byte() & 1; break;
      case TypeId::kInt32: v->i = static_cast<int32_t>(Integer(4)); break;
      case TypeId::kDouble: v->d = Double(); break;
      case TypeId::kString: v->s = String(); break;
      default: v->i = Integer(8);  // long, timestamp
    }
  }

  int64_t Integer(int bytes) {
    const int64_t max =
        bytes == 4 ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int64_t>::max();
    switch (in_->Byte() % 8) {
      case 0: return 0;
      case 1: return -1;
      case 2: return -max - 1;
      case 3: return max;
      case 4: return static_cast<int8_t>(in_->Byte());  // few distinct values: dictionary
      default: {
        const uint64_t raw = in_->Bits(bytes);
        return bytes == 4 ? int64_t{static_cast<int32_t>(raw)} : static_cast<int64_t>(raw);
      }
    }
  }

  double Double() {
    using Limits = std::numeric_limits<double>;
    switch (in_->Byte() % 12) {
      case 0: return 0.0;
      case 1: return -0.0;
      case 2: return Limits::quiet_NaN();
      case 3: return -Limits::quiet_NaN();
      case 4: return Limits::infinity();
      case 5: return -Limits::infinity();
      case 6: return Limits::max();
      case 7: return Limits::lowest();
      case 8: return Limits::denorm_min();
      case 9: return static_cast<int8_t>(in_->Byte()) / 4.0;
      default: {
        const uint64_t raw = in_->Bits(8);
        double d;
        std::memcpy(&d, &raw, sizeof d);
        return d;
      }
    }
  }

  /// Arbitrary bytes; repeats earlier strings often enough to build dictionaries.
  std::string String() {
    const uint8_t b = in_->Byte();
    if (b < 64 && !pool_.empty()) return pool_[b % pool_.size()];
    if (b < 80) return "";
    const size_t length = b < 240 ? b % 24 : 60 + in_->Byte();  // long: bounds past 64 bytes
    std::string s = in_->Bytes(length);
    if (pool_.size() < 16) pool_.push_back(s);
    return s;
  }

  ByteReader* in_;
  size_t entries_left_ = kMaxEntries;
  std::vector<std::string> pool_;
};

void AppendValue(const Value& v, col::Column* column) {
  if (v.null) {
    column->AppendNull();
    return;
  }
  switch (column->type_id()) {
    case TypeId::kBoolean:
      static_cast<col::BooleanColumn*>(column)->Append(static_cast<uint8_t>(v.i));
      break;
    case TypeId::kInt32:
      static_cast<col::Int32Column*>(column)->Append(static_cast<int32_t>(v.i));
      break;
    case TypeId::kInt64:
    case TypeId::kTimestamp: static_cast<col::Int64Column*>(column)->Append(v.i); break;
    case TypeId::kDouble: static_cast<col::DoubleColumn*>(column)->Append(v.d); break;
    case TypeId::kString: static_cast<col::StringColumn*>(column)->Append(v.s); break;
    case TypeId::kList: {
      auto* list = static_cast<col::ListColumn*>(column);
      for (const Value& item : v.items) AppendValue(item, list->values());
      list->FinishRow();
      break;
    }
    case TypeId::kMap: {
      auto* map = static_cast<col::MapColumn*>(column);
      for (const Value& entry : v.items) {
        map->keys()->Append(entry.items[0].s);
        AppendValue(entry.items[1], map->items());
      }
      map->FinishRow();
      break;
    }
    case TypeId::kStruct: {
      auto* st = static_cast<col::StructColumn*>(column);
      for (size_t i = 0; i < v.items.size(); ++i) AppendValue(v.items[i], st->child(i));
      st->FinishRow();
      break;
    }
  }
}

/// A leaf column as the writer must lay it out (schema.h): its path, levels, and the route of
/// child indices from its top-level field down to it.
struct Leaf {
  std::vector<std::string> path;
  std::vector<size_t> route;
  TypeId type = TypeId::kInt32;
  int16_t max_def = 0;
  int16_t max_rep = 0;
};

void CollectLeaves(const col::Field& field, Leaf leaf, std::vector<Leaf>* out) {
  leaf.path.push_back(field.name);
  if (field.nullable) ++leaf.max_def;
  const std::vector<col::Field>& children = field.type->children();
  const TypeId id = field.type->id();
  if (id == TypeId::kList || id == TypeId::kMap) {
    ++leaf.max_def;
    ++leaf.max_rep;
    leaf.path.emplace_back(id == TypeId::kList ? "list" : "key_value");
  }
  if (!field.type->is_nested()) {
    leaf.type = id;
    out->push_back(std::move(leaf));
    return;
  }
  for (size_t i = 0; i < children.size(); ++i) {
    Leaf child = leaf;
    child.route.push_back(i);
    CollectLeaves(children[i], std::move(child), out);
  }
}

/// What the reader must return for one leaf, and what the writer's summary must say.
struct Stream {
  std::vector<int16_t> def;
  std::vector<int16_t> rep;
  std::vector<std::string> values;
  int64_t nulls = 0;
  int64_t nans = 0;
  std::optional<Value> min;
  std::optional<Value> max;
};

bool Less(TypeId type, const Value& a, const Value& b) {
  switch (type) {
    case TypeId::kDouble: return a.d < b.d;
    case TypeId::kString: return a.s < b.s;  // char_traits<char>: unsigned bytes
    default: return a.i < b.i;
  }
}

std::string Render(TypeId type, const Value& v) {
  switch (type) {
    case TypeId::kBoolean: return v.i != 0 ? "true" : "false";
    case TypeId::kDouble: return fmt::format("{}", v.d);
    case TypeId::kString: return v.s;
    default: return std::to_string(v.i);
  }
}

/// Single-value PLAIN bytes, as LeafColumnSummary bounds are (a zero double bound is -0.0 as
/// min and +0.0 as max).
std::string Plain(TypeId type, const Value& v, bool is_min) {
  std::string out;
  auto put = [&out](const auto& x) {
    out.resize(sizeof x);
    std::memcpy(out.data(), &x, sizeof x);
  };
  switch (type) {
    case TypeId::kBoolean: put(static_cast<uint8_t>(v.i)); break;
    case TypeId::kInt32: put(static_cast<int32_t>(v.i)); break;
    case TypeId::kDouble: put(v.d == 0 ? (is_min ? -0.0 : 0.0) : v.d); break;
    case TypeId::kString: out = v.s; break;
    default: put(v.i);
  }
  return out;
}

void Push(const Leaf& leaf, int16_t rep, int16_t def, const Value* value, Stream* out) {
  out->def.push_back(def);
  out->rep.push_back(rep);
  if (value == nullptr) {
    ++out->nulls;
    return;
  }
  out->values.push_back(Render(leaf.type, *value));
  if (leaf.type == TypeId::kDouble && std::isnan(value->d)) {
    ++out->nans;
    return;
  }
  if (!out->min || Less(leaf.type, *value, *out->min)) out->min = *value;
  if (!out->max || Less(leaf.type, *out->max, *value)) out->max = *value;
}

/// Dremel striping of `v` (a value of `field`) into the leaf at the end of `route`: `rep` is
/// the repetition level of the first entry, `def` the definition level reached above `field`,
/// `depth` the number of repeated levels above it.
void Stripe(const col::Field& field, const Value& v, std::span<const size_t> route, int16_t rep,
            int16_t def, int16_t depth, const Leaf& leaf, Stream* out) {
  if (field.nullable) {
    if (v.null) return Push(leaf, rep, def, nullptr, out);
    ++def;
  }
  const std::vector<col::Field>& children = field.type->children();
  switch (field.type->id()) {
    case TypeId::kStruct:
      return Stripe(children[route[0]], v.items[route[0]], route.subspan(1), rep, def, depth, leaf,
                    out);
    case TypeId::kList:
    case TypeId::kMap: {
      const bool is_map = field.type->id() == TypeId::kMap;
      if (v.items.empty()) return Push(leaf, rep, def, nullptr, out);
      for (size_t i = 0; i < v.items.size(); ++i) {
        const Value& item = is_map ? v.items[i].items[route[0]] : v.items[i];
        Stripe(children[route[0]], item, route.subspan(1),
               i == 0 ? rep : static_cast<int16_t>(depth + 1), static_cast<int16_t>(def + 1),
               static_cast<int16_t>(depth + 1), leaf, out);
      }
      return;
    }
    default: return Push(leaf, rep, def, &v, out);
  }
}

pq::WriterOptions Options(ByteReader* in) {
  static constexpr size_t kPageBytes[] = {1, 7, 64, 256, 4096, size_t{1} << 20};
  static constexpr size_t kGroupRows[] = {1, 2, 5, 17, size_t{1} << 20};
  static constexpr size_t kGroupBytes[] = {1, 300, 4096, size_t{128} << 20};
  static constexpr size_t kDictionaryBytes[] = {0, 16, 256, size_t{1} << 20};
  pq::WriterOptions options;
  options.codec = static_cast<pq::Codec>(in->Byte() % 5);
  options.compression_level = 1 + in->Byte() % 3;
  options.data_page_bytes = kPageBytes[in->Byte() % std::size(kPageBytes)];
  options.row_group_rows = kGroupRows[in->Byte() % std::size(kGroupRows)];
  options.row_group_bytes = kGroupBytes[in->Byte() % std::size(kGroupBytes)];
  options.dictionary_max_bytes = kDictionaryBytes[in->Byte() % std::size(kDictionaryBytes)];
  const uint8_t flags = in->Byte();
  options.dictionary = (flags & 1) == 0;
  options.statistics = (flags & 2) == 0;
  options.page_index = (flags & 4) == 0;
  return options;
}

std::string Show(int16_t level) { return std::to_string(level); }
std::string Show(const std::string& value) {
  std::string out = "\"";
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    out += u >= 0x20 && u < 0x7f && c != '"' && c != '\\' ? std::string(1, c)
                                                          : fmt::format("\\x{:02x}", u);
  }
  return out + "\"";
}

/// Entries [begin, begin + 12) of `items`, for failure messages.
template <typename T>
std::string Window(const std::vector<T>& items, size_t begin) {
  std::string out;
  for (size_t i = begin; i < items.size() && i < begin + 12; ++i) out += Show(items[i]) + " ";
  return out;
}

template <typename T>
void CheckEqual(const std::vector<T>& got, const std::vector<T>& want, const std::string& what) {
  if (got == want) return;
  size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  const size_t from = i < 4 ? 0 : i - 4;
  fuzz::Fail(fmt::format(
      "{}: {} entries read, {} expected, first difference at {}\n"
      "  read [{}]: {}\n  want [{}]: {}",
      what, got.size(), want.size(), i, from, Window(got, from), from, Window(want, from)));
}

void CheckSummary(const pq::LeafColumnSummary& got, const Leaf& leaf, const Stream& want,
                  const std::string& name) {
  fuzz::Check(got.value_count == static_cast<int64_t>(want.def.size()),
              name + ": summary value_count");
  fuzz::Check(got.null_count == want.nulls, name + ": summary null_count");
  fuzz::Check(got.nan_count == want.nans, name + ": summary nan_count");
  fuzz::Check(got.has_bounds == want.min.has_value(), name + ": summary has_bounds");
  if (!want.min) return;
  fuzz::Check(got.lower_bound == Plain(leaf.type, *want.min, true), name + ": lower bound");
  fuzz::Check(got.upper_bound == Plain(leaf.type, *want.max, false), name + ": upper bound");
}

/// ColumnMetaData.num_values (5) and Statistics.null_count (12.3) over the row groups.
void CheckChunkCounts(const pq::testing::TestFile& file, size_t index, const Stream& want,
                      const std::string& name) {
  int64_t values = 0;
  int64_t nulls = 0;
  size_t with_statistics = 0;
  for (size_t rg = 0; rg < file.num_row_groups(); ++rg) {
    const pq::testing::TStruct& meta = file.column_meta(rg, index);
    values += pq::testing::GetInt(meta, 5);
    if (!pq::testing::Has(meta, 12)) continue;
    const pq::testing::TStruct& statistics = pq::testing::GetStruct(meta, 12);
    if (pq::testing::Has(statistics, 3)) {
      nulls += pq::testing::GetInt(statistics, 3);
      ++with_statistics;
    }
  }
  fuzz::Check(values == static_cast<int64_t>(want.def.size()), name + ": chunk num_values");
  if (with_statistics == file.num_row_groups()) {
    fuzz::Check(nulls == want.nulls, name + ": chunk statistics null_count");
  }
}

void CheckLeaf(const pq::testing::TestFile& file, const pq::FileSummary& summary, size_t index,
               const Leaf& leaf, const Stream& want) {
  const std::string name = fmt::format("leaf {} {}", index, fmt::join(leaf.path, "."));
  const pq::testing::LeafInfo& info = file.leaves()[index];
  fuzz::Check(info.path == leaf.path, name + ": path in the file schema");
  fuzz::Check(info.max_def == leaf.max_def && info.max_rep == leaf.max_rep, name + ": max levels");
  const pq::testing::DecodedChunk got = file.ReadColumn(index);
  CheckEqual(got.def, leaf.max_def > 0 ? want.def : std::vector<int16_t>{}, name + " def");
  CheckEqual(got.rep, leaf.max_rep > 0 ? want.rep : std::vector<int16_t>{}, name + " rep");
  CheckEqual(got.values, want.values, name + " values");
  CheckChunkCounts(file, index, want, name);
  CheckSummary(summary.columns[index], leaf, want, name);
}

/// The rows of every batch, by top-level column.
using Rows = std::vector<std::vector<Value>>;

void CheckFile(const col::Schema& schema, const Rows& rows, const pq::FileSummary& summary,
               std::string bytes) {
  const auto file = pq::testing::TestFile::Parse(std::move(bytes));
  const auto num_rows = static_cast<int64_t>(rows.size());
  fuzz::Check(summary.num_rows == num_rows, "summary num_rows");
  fuzz::Check(pq::testing::GetInt(file.meta(), 3) == num_rows, "footer num_rows");
  int64_t group_rows = 0;
  for (size_t rg = 0; rg < file.num_row_groups(); ++rg)
    group_rows += pq::testing::GetInt(file.row_group(rg), 3);
  fuzz::Check(group_rows == num_rows, "row group num_rows do not add up");
  fuzz::Check(static_cast<size_t>(summary.num_row_groups) == file.num_row_groups(),
              "summary num_row_groups");

  std::vector<Leaf> leaves;
  for (size_t i = 0; i < schema.num_fields(); ++i)
    CollectLeaves(schema.field(i), {{}, {i}}, &leaves);
  fuzz::Check(file.leaves().size() == leaves.size(), "number of leaves in the file schema");
  fuzz::Check(summary.columns.size() == leaves.size(), "number of leaves in the summary");
  for (size_t i = 0; i < leaves.size(); ++i) {
    const Leaf& leaf = leaves[i];
    Stream want;
    const size_t top = leaf.route[0];
    for (const std::vector<Value>& row : rows) {
      Stripe(schema.field(top), row[top], std::span(leaf.route).subspan(1), 0, 0, 0, leaf, &want);
    }
    CheckLeaf(file, summary, i, leaf, want);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteReader in(data, size);
  const o2p::otlp::Table table = o2p::otlp::kAllTables[in.Byte() % o2p::otlp::kTableCount];
  const col::SchemaPtr& schema = o2p::otlp::TableSchema(table);
  const pq::WriterOptions options = Options(&in);
  pq::StringSink sink;
  auto writer = pq::FileWriter::Make(schema, options, &sink);
  fuzz::Check(writer.ok(), "FileWriter::Make refused a schema.md table");

  Generator generator(&in);
  Rows rows;
  const int batches = 1 + in.Byte() % kMaxBatches;
  for (int b = 0; b < batches; ++b) {
    auto batch = col::RecordBatch::Make(schema);
    for (int r = in.Byte() % (kMaxBatchRows + 1); r > 0; --r) {
      std::vector<Value>& row = rows.emplace_back();
      for (size_t c = 0; c < schema->num_fields(); ++c) {
        row.push_back(generator.Generate(schema->field(c)));
        AppendValue(row.back(), batch->column(c));
      }
      batch->FinishRow();
    }
    fuzz::Check(batch->Validate().ok(), "generated batch is malformed");
    const o2p::Status status = (*writer)->Write(*batch);
    if (!status.ok()) fuzz::Fail("Write: " + status.ToString());
  }
  auto summary = (*writer)->Close();
  if (!summary.ok()) fuzz::Fail("Close: " + summary.status().ToString());
  try {
    CheckFile(*schema, rows, *summary, sink.Release());
  } catch (const std::exception& e) {
    fuzz::Fail(fmt::format("the test reader cannot read the file: {}", e.what()));
  }
  return 0;
}
