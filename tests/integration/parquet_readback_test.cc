// Every Parquet file we write reads back, value for value, in two independent readers.
//
// run_parquet_readback.sh drives this binary in two phases around one node process:
//   1. WriteFiles.*: for every case below, build the batch, write it with parquet::FileWriter
//      into $O2P_READBACK_DIR/<case>.parquet (plus <case>.expected.json, the expected cells, to
//      read when something fails).
//   2. node tests/js/read_parquet.mjs reads every file with DuckDB (@duckdb/node-api) and
//      hyparquet and writes what they saw to $O2P_READBACK_DIR/readers.json.
//   3. ReadBack.*: rebuilds the same batches (everything is deterministic) and checks, per file:
//      - the values each reader returns equal the input batch, cell by cell (nulls, empty lists
//        and maps, unicode, NUL bytes, int extremes, NaN, infinities, -0);
//      - the Parquet schema each reader parsed has the field ids of TableSchema(), the physical,
//        logical and converted types, the repetition and the 3-level list/map shape of
//        schema.md, and DuckDB maps the columns to the SQL types we mean;
//      - the key/value metadata, created_by, row count, row groups, the codec of every column
//        chunk and the value count of every leaf;
//      - the page headers (walked through the file) agree with the column chunk and with the
//        offset index; data pages stay within twice data_page_bytes and dictionary pages
//        within twice dictionary_max_bytes; the large files have several pages per chunk and
//        (logs) a dictionary that falls back to PLAIN.
//
// Cases: each of the 7 tables (rows of the Coverage*Request()s plus generated edge rows that
// put every edge value in every field) with each of the 5 codecs; each table once with all
// optional columns null and all lists and maps empty; three files of >= 10,000 rows with
// small row groups, small pages and a small dictionary limit (page cutting, dictionary
// fallback to PLAIN, lists that cross pages); and one file without rows.
//
// Cells are compared as text in the normal form read_parquet.mjs documents: integers and
// timestamps (microseconds) as decimal strings, doubles as ECMAScript Number::toString
// ("NaN", "Infinity", "-0", "1e+21", "1e-7"), maps as [key, value] pairs, structs as objects
// in field order. hyparquet returns maps as JS objects, whose key order moves integer-like keys
// first, so its maps are compared with both sides sorted by key (keys are unique).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "o2p/base/arena.h"
#include "o2p/columnar/append_rows.h"
#include "o2p/columnar/column.h"
#include "o2p/columnar/data_type.h"
#include "o2p/columnar/record_batch.h"
#include "o2p/otlp/convert.h"
#include "o2p/otlp/export_request.h"
#include "o2p/otlp/internal/json_parser.h"
#include "o2p/otlp/signal.h"
#include "o2p/otlp/table_schemas.h"
#include "o2p/parquet/file_writer.h"
#include "o2p/parquet/writer_options.h"
#include "support/otlp_samples.h"

namespace o2p {
namespace {

using columnar::Column;
using columnar::DataType;
using columnar::Field;
using columnar::RecordBatch;
using columnar::TypeId;
using otlp::Table;
using otlp::internal::JsonDocument;
using otlp::internal::JsonMember;
using otlp::internal::JsonType;
using otlp::internal::JsonValue;
using parquet::Codec;

constexpr uint64_t kReceiveTime = 1732540800000000000ULL;
constexpr std::string_view kCreatedBy = "otlp2parquet version 0.0.0-readback";
constexpr std::string_view kProgramVersion = "0.0.0-readback";
constexpr size_t kEdgeRows = 32;  // 2 x the longest edge-value list: every value in every field
constexpr size_t kSparseRows = 3;

// --- Cases ----------------------------------------------------------------------------------

enum class Kind : uint8_t {
  kCoverage,  // coverage request rows + edge rows
  kSparse,    // every optional column null, every list and map empty
  kLarge,     // >= 10,000 synthetic rows, small row groups / pages / dictionary
  kEmpty,     // no rows at all
};

struct Case {
  std::string name;  // file stem and gtest parameter name: "logs_zstd"
  Table table;
  Codec codec;
  Kind kind;
};

constexpr Codec kAllCodecs[] = {Codec::kNone, Codec::kSnappy, Codec::kGzip, Codec::kZstd,
                                Codec::kLz4Raw};

// Large files: rows per file, and the writer limits that cut them into pieces.
constexpr int kLargeLogs = 12000;
constexpr int kLargeSpans = 10000;
constexpr int kLargeMetricPoints = 20000;  // half gauge, half histogram points
constexpr size_t kLargeRowGroupRows = 4000;
constexpr size_t kLargePageBytes = 4096;
constexpr size_t kLargeDictionaryBytes = 8192;

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (Table table : otlp::kAllTables) {
    for (Codec codec : kAllCodecs) {
      cases.push_back({fmt::format("{}_{}", otlp::TableName(table), parquet::CodecName(codec)),
                       table, codec, Kind::kCoverage});
    }
  }
  for (Table table : otlp::kAllTables) {
    cases.push_back(
        {fmt::format("{}_sparse", otlp::TableName(table)), table, Codec::kZstd, Kind::kSparse});
  }
  cases.push_back({"logs_large", Table::kLogs, Codec::kSnappy, Kind::kLarge});
  cases.push_back({"traces_large", Table::kTraces, Codec::kGzip, Kind::kLarge});
  cases.push_back(
      {"metrics_histogram_large", Table::kMetricsHistogram, Codec::kLz4Raw, Kind::kLarge});
  cases.push_back({"traces_empty", Table::kTraces, Codec::kZstd, Kind::kEmpty});
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

parquet::WriterOptions OptionsFor(const Case& c) {
  parquet::WriterOptions options;
  options.codec = c.codec;
  options.created_by = std::string(kCreatedBy);
  options.key_value_metadata = {{"otlp2parquet.version", std::string(kProgramVersion)}};
  if (c.kind == Kind::kLarge) {
    options.row_group_rows = kLargeRowGroupRows;
    options.data_page_bytes = kLargePageBytes;
    options.dictionary_max_bytes = kLargeDictionaryBytes;
  }
  return options;
}

/// parquet.thrift CompressionCodec names, as both readers spell them.
std::string_view ThriftCodecName(Codec codec) {
  switch (codec) {
    case Codec::kNone: return "UNCOMPRESSED";
    case Codec::kSnappy: return "SNAPPY";
    case Codec::kGzip: return "GZIP";
    case Codec::kZstd: return "ZSTD";
    case Codec::kLz4Raw: return "LZ4_RAW";
  }
  return "?";
}

// --- Edge values ------------------------------------------------------------------------------

// "ünïcødé ✓ 日本語"
constexpr std::string_view kUnicode =
    "\xc3\xbcn\xc3\xaf\x63\xc3\xb8\x64\xc3\xa9 \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";

const std::vector<std::string>& EdgeStrings() {
  static const std::vector<std::string> values = {
      "",
      "a",
      std::string(kUnicode),
      "\xf0\x9f\x98\x80\xf0\x9f\x8e\x89 astral",
      "quote \" backslash \\ slash / <tag> &amp;",
      "ctrl \n\t\r \x01\x1f del \x7f",
      std::string("nul\0byte", 8),
      "e\xcc\x81 combining, \xe2\x80\x8b zero width, \xe2\x80\xa8 line separator, \xef\xbf\xbd",
      "10",  // integer-like: JS objects put such keys first
      " spaces around ",
      std::string(3000, 'x') + "\xe2\x82\xac",  // longer than a small page's share
  };
  return values;
}

const std::vector<std::string>& EdgeKeys() {
  static const std::vector<std::string> keys = {"k",
                                                "",
                                                "10",
                                                "2",
                                                "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87",
                                                "\xf0\x9f\x98\x80",
                                                "a.b",
                                                "key with \"quotes\"",
                                                "0"};
  return keys;
}

constexpr int32_t kEdgeInt32[] = {
    0,  1,    -1,   std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
    42, -128, 65536};
constexpr int64_t kEdgeInt64[] = {0,
                                  1,
                                  -1,
                                  std::numeric_limits<int64_t>::min(),
                                  std::numeric_limits<int64_t>::max(),
                                  (int64_t{1} << 53) + 1,
                                  -((int64_t{1} << 53) + 1),
                                  int64_t{1} << 32};
// Microseconds: the epoch, around it, now-ish, the largest OTLP can give (UINT64_MAX ns),
// 9999-12-31T23:59:59.999999Z and 0001-01-01T00:00:00Z.
constexpr int64_t kEdgeTimestamps[] = {
    0, 1, -1, 1732540800123456, 18446744073709551, 253402300799999999, -62135596800000000};
const std::vector<double>& EdgeDoubles() {
  static const std::vector<double> values = {
      std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(),
      -0.0,
      0.0,
      std::numeric_limits<double>::denorm_min(),
      std::numeric_limits<double>::min(),
      std::numeric_limits<double>::max(),
      std::numeric_limits<double>::lowest(),
      0.1,
      1e21,
      1e-7,
      123456.789,
      -2.5,
      1.0 / 3.0,
      -1e-300,
  };
  return values;
}

template <typename Values>
const auto& Pick(const Values& values, size_t slot) {
  return std::data(values)[slot % std::size(values)];
}

// Appends one row's value to a column, recursively. The value comes from the edge lists at
// position row + 3 * field_id (+ the element index inside a list or map), so over kEdgeRows
// rows every field walks through every edge value, each field at its own offset; optional
// fields are null on every fifth row (at their own offset too).
class EdgeFiller {
 public:
  EdgeFiller(size_t row, bool sparse) : row_(row), sparse_(sparse) {}

  void Fill(Column* column, const Field& field, size_t element) {
    const size_t id = static_cast<size_t>(std::max(field.field_id, 0));
    const size_t slot = row_ + 3 * id + element;
    if (field.nullable && (sparse_ || (row_ + id) % 5 == 4)) {
      column->AppendNull();
      return;
    }
    if (sparse_) {
      columnar::AppendZero(column);
      return;
    }
    switch (column->type_id()) {
      case TypeId::kBoolean:
        static_cast<columnar::BooleanColumn*>(column)->Append(slot % 2 == 0 ? 1 : 0);
        break;
      case TypeId::kInt32:
        static_cast<columnar::Int32Column*>(column)->Append(Pick(kEdgeInt32, slot));
        break;
      case TypeId::kInt64:
        static_cast<columnar::Int64Column*>(column)->Append(Pick(kEdgeInt64, slot));
        break;
      case TypeId::kTimestamp:
        static_cast<columnar::Int64Column*>(column)->Append(Pick(kEdgeTimestamps, slot));
        break;
      case TypeId::kDouble:
        static_cast<columnar::DoubleColumn*>(column)->Append(Pick(EdgeDoubles(), slot));
        break;
      case TypeId::kString:
        static_cast<columnar::StringColumn*>(column)->Append(Pick(EdgeStrings(), slot));
        break;
      case TypeId::kList: {
        auto* list = static_cast<columnar::ListColumn*>(column);
        const Field& element_field = column->type()->children()[0];
        for (size_t i = 0; i < slot % 4; ++i) Fill(list->values(), element_field, i);
        list->FinishRow();
        break;
      }
      case TypeId::kMap: {
        auto* map = static_cast<columnar::MapColumn*>(column);
        const Field& value_field = column->type()->children()[1];
        const size_t entries = std::vector<size_t>{0, 1, 2, 5}[slot % 4];
        for (size_t i = 0; i < entries; ++i) {
          map->keys()->Append(EdgeKeys()[(slot + i) % EdgeKeys().size()]);  // distinct keys
          if (value_field.nullable && i == 1) {
            map->items()->AppendNull();
          } else {
            Field value = value_field;
            value.nullable = false;
            Fill(map->items(), value, i);
          }
        }
        map->FinishRow();
        break;
      }
      case TypeId::kStruct: {
        auto* st = static_cast<columnar::StructColumn*>(column);
        const auto& fields = column->type()->children();
        for (size_t i = 0; i < st->num_children(); ++i) Fill(st->child(i), fields[i], element);
        st->FinishRow();
        break;
      }
    }
  }

 private:
  size_t row_;
  bool sparse_;
};

void AppendGeneratedRows(RecordBatch* batch, size_t rows, bool sparse) {
  const auto& fields = batch->schema()->fields();
  for (size_t row = 0; row < rows; ++row) {
    EdgeFiller filler(row, sparse);
    for (size_t col = 0; col < fields.size(); ++col) {
      filler.Fill(batch->column(col), fields[col], 0);
    }
    batch->FinishRow();
  }
}

// --- Batches ----------------------------------------------------------------------------------

template <typename Request>
void Convert(otlp::Signal signal, const Request& request, otlp::TableBatches* out) {
  auto stats = otlp::DecodeAndConvert(signal, otlp::Encoding::kProtobuf,
                                      request.SerializeAsString(), {kReceiveTime}, out);
  ASSERT_TRUE(stats.has_value()) << stats.status().ToString();
  ASSERT_GT(stats->accepted, 0);
}

const otlp::TableBatches& CoverageBatches() {
  static const otlp::TableBatches* batches = [] {
    auto* out = new otlp::TableBatches;
    Convert(otlp::Signal::kLogs, testing::CoverageLogsRequest(), out);
    Convert(otlp::Signal::kTraces, testing::CoverageTracesRequest(), out);
    Convert(otlp::Signal::kMetrics, testing::CoverageMetricsRequest(), out);
    return out;
  }();
  return *batches;
}

std::unique_ptr<RecordBatch> LargeBatch(Table table) {
  otlp::TableBatches converted;
  switch (otlp::SignalOfTable(table)) {
    case otlp::Signal::kLogs:
      Convert(otlp::Signal::kLogs, testing::SyntheticLogsRequest(11, kLargeLogs), &converted);
      break;
    case otlp::Signal::kTraces:
      Convert(otlp::Signal::kTraces, testing::SyntheticTracesRequest(12, kLargeSpans), &converted);
      break;
    case otlp::Signal::kMetrics:
      Convert(otlp::Signal::kMetrics, testing::SyntheticMetricsRequest(13, kLargeMetricPoints),
              &converted);
      break;
  }
  auto batch = RecordBatch::Make(otlp::TableSchema(table));
  if (const RecordBatch* src = converted.Find(table)) {
    columnar::AppendRowRange(*src, 0, src->num_rows(), batch.get());
  }
  return batch;
}

/// The batch of a case, built once per process (both phases build the same one).
const RecordBatch& BatchFor(const Case& c) {
  static std::map<std::string, std::unique_ptr<RecordBatch>> cache;
  auto& slot = cache[c.name];
  if (slot) return *slot;
  switch (c.kind) {
    case Kind::kCoverage: {
      slot = RecordBatch::Make(otlp::TableSchema(c.table));
      if (const RecordBatch* src = CoverageBatches().Find(c.table)) {
        columnar::AppendRowRange(*src, 0, src->num_rows(), slot.get());
      }
      AppendGeneratedRows(slot.get(), kEdgeRows, /*sparse=*/false);
      break;
    }
    case Kind::kSparse:
      slot = RecordBatch::Make(otlp::TableSchema(c.table));
      AppendGeneratedRows(slot.get(), kSparseRows, /*sparse=*/true);
      break;
    case Kind::kLarge: slot = LargeBatch(c.table); break;
    case Kind::kEmpty: slot = RecordBatch::Make(otlp::TableSchema(c.table)); break;
  }
  return *slot;
}

// --- The normal form ----------------------------------------------------------------------------

/// ECMAScript Number::toString(x) (shortest round trip), plus "-0".
std::string JsNumberText(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x == 0) return std::signbit(x) ? "-0" : "0";
  char buf[64];
  const auto result =
      std::to_chars(buf, buf + sizeof(buf), std::fabs(x), std::chars_format::scientific);
  const std::string_view text(buf, static_cast<size_t>(result.ptr - buf));  // "1.25e+20"
  const size_t e_pos = text.find('e');
  std::string digits;
  for (char ch : text.substr(0, e_pos)) {
    if (ch != '.') digits += ch;
  }
  int exponent = 0;
  std::string_view exp_text = text.substr(e_pos + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // x = 0.digits * 10^n
  std::string out = x < 0 ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits + std::string(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += fmt::format("e{}{}", n - 1 >= 0 ? "+" : "-", std::abs(n - 1));
  }
  return out;
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (byte < 0x20) {
      *out += fmt::format("\\u{:04x}", byte);
    } else {
      out->push_back(ch);
    }
  }
  out->push_back('"');
}

void AppendPairs(std::vector<std::pair<std::string, std::string>> pairs, bool sort_maps,
                 std::string* out) {
  if (sort_maps) std::sort(pairs.begin(), pairs.end());
  out->push_back('[');
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out->push_back(',');
    *out += "[" + pairs[i].first + "," + pairs[i].second + "]";
  }
  out->push_back(']');
}

/// The expected cell: the input column's value in the normal form.
void AppendExpected(const Column& column, size_t row, bool sort_maps, std::string* out) {
  if (!column.IsValid(row)) {
    *out += "null";
    return;
  }
  switch (column.type_id()) {
    case TypeId::kBoolean:
      *out +=
          static_cast<const columnar::BooleanColumn&>(column).Value(row) != 0 ? "true" : "false";
      return;
    case TypeId::kInt32:
      *out += fmt::format("\"{}\"", static_cast<const columnar::Int32Column&>(column).Value(row));
      return;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      *out += fmt::format("\"{}\"", static_cast<const columnar::Int64Column&>(column).Value(row));
      return;
    case TypeId::kDouble:
      *out +=
          "\"" + JsNumberText(static_cast<const columnar::DoubleColumn&>(column).Value(row)) + "\"";
      return;
    case TypeId::kString:
      AppendJsonString(static_cast<const columnar::StringColumn&>(column).Value(row), out);
      return;
    case TypeId::kList: {
      const auto& list = static_cast<const columnar::ListColumn&>(column);
      out->push_back('[');
      for (auto i = list.offsets()[row]; i < list.offsets()[row + 1]; ++i) {
        if (i > list.offsets()[row]) out->push_back(',');
        AppendExpected(list.values(), static_cast<size_t>(i), sort_maps, out);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kMap: {
      const auto& map = static_cast<const columnar::MapColumn&>(column);
      std::vector<std::pair<std::string, std::string>> pairs;
      for (auto i = map.offsets()[row]; i < map.offsets()[row + 1]; ++i) {
        std::pair<std::string, std::string> pair;
        AppendExpected(map.keys(), static_cast<size_t>(i), sort_maps, &pair.first);
        AppendExpected(map.items(), static_cast<size_t>(i), sort_maps, &pair.second);
        pairs.push_back(std::move(pair));
      }
      AppendPairs(std::move(pairs), sort_maps, out);
      return;
    }
    case TypeId::kStruct: {
      const auto& st = static_cast<const columnar::StructColumn&>(column);
      const auto& fields = column.type()->children();
      out->push_back('{');
      for (size_t i = 0; i < st.num_children(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJsonString(fields[i].name, out);
        out->push_back(':');
        AppendExpected(st.child(i), row, sort_maps, out);
      }
      out->push_back('}');
      return;
    }
  }
}

/// Any JSON value in the normal form's spelling (member order kept).
void AppendJson(JsonValue value, std::string* out) {
  switch (value.type()) {
    case JsonType::kNull: *out += "null"; return;
    case JsonType::kBool: *out += value.bool_value() ? "true" : "false"; return;
    case JsonType::kNumber: *out += value.text(); return;
    case JsonType::kString: AppendJsonString(value.text(), out); return;
    case JsonType::kArray: {
      out->push_back('[');
      bool first = true;
      for (JsonValue element : value.elements()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJson(element, out);
      }
      out->push_back(']');
      return;
    }
    case JsonType::kObject: {
      out->push_back('{');
      bool first = true;
      for (JsonMember member : value.members()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(member.key, out);
        out->push_back(':');
        AppendJson(member.value, out);
      }
      out->push_back('}');
      return;
    }
  }
}

/// A cell a reader returned, in the normal form, guided by the column's type only to find the
/// maps (to sort them) and the types of nested members; shapes are kept as they came.
void AppendActual(JsonValue value, const DataType& type, bool sort_maps, std::string* out) {
  if (type.id() == TypeId::kMap && value.is_array()) {
    const DataType& value_type = *type.children()[1].type;
    std::vector<std::pair<std::string, std::string>> pairs;
    for (JsonValue entry : value.elements()) {
      std::pair<std::string, std::string> pair;
      if (entry.is_array() && entry.size() == 2) {
        int i = 0;
        for (JsonValue part : entry.elements()) {
          if (i++ == 0) {
            AppendJson(part, &pair.first);
          } else {
            AppendActual(part, value_type, sort_maps, &pair.second);
          }
        }
      } else {
        AppendJson(entry, &pair.first);  // not a pair: kept visible, never equal
        pair.second = "<not a [key, value] pair>";
      }
      pairs.push_back(std::move(pair));
    }
    AppendPairs(std::move(pairs), sort_maps, out);
    return;
  }
  if (type.id() == TypeId::kList && value.is_array()) {
    const DataType& element_type = *type.children()[0].type;
    out->push_back('[');
    bool first = true;
    for (JsonValue element : value.elements()) {
      if (!first) out->push_back(',');
      first = false;
      AppendActual(element, element_type, sort_maps, out);
    }
    out->push_back(']');
    return;
  }
  if (type.id() == TypeId::kStruct && value.is_object()) {
    out->push_back('{');
    bool first = true;
    for (JsonMember member : value.members()) {
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(member.key, out);
      out->push_back(':');
      const DataType* member_type = nullptr;
      for (const Field& field : type.children()) {
        if (field.name == member.key) member_type = field.type.get();
      }
      if (member_type != nullptr) {
        AppendActual(member.value, *member_type, sort_maps, out);
      } else {
        AppendJson(member.value, out);
      }
    }
    out->push_back('}');
    return;
  }
  AppendJson(value, out);
}

std::string Shorten(const std::string& text, size_t max = 400) {
  if (text.size() <= max) return text;
  return text.substr(0, max) + fmt::format("... ({} bytes)", text.size());
}

// --- The readers' output ------------------------------------------------------------------------

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string ReadbackDir() {
  const char* dir = std::getenv("O2P_READBACK_DIR");
  return dir == nullptr ? std::string() : std::string(dir);
}

std::optional<JsonValue> Member(JsonValue object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  for (JsonMember member : object.members()) {
    if (member.key == key) return member.value;
  }
  return std::nullopt;
}

/// The text of a scalar: strings and numbers as written, null as "", booleans spelled out.
std::string Scalar(std::optional<JsonValue> value) {
  if (!value) return "<missing>";
  switch (value->type()) {
    case JsonType::kNull: return "";
    case JsonType::kBool: return value->bool_value() ? "true" : "false";
    case JsonType::kNumber:
    case JsonType::kString: return std::string(value->text());
    default: {
      std::string out;
      AppendJson(*value, &out);
      return out;
    }
  }
}

/// readers.json, parsed once; files by stem ("logs_zstd").
class Readers {
 public:
  static const Readers& Get() {
    static const Readers* readers = new Readers();
    return *readers;
  }

  const std::string& error() const { return error_; }
  std::optional<JsonValue> File(const std::string& stem) const {
    auto it = files_.find(stem);
    if (it == files_.end()) return std::nullopt;
    return it->second;
  }
  const std::map<std::string, JsonValue>& files() const { return files_; }

 private:
  Readers() {
    const std::string dir = ReadbackDir();
    if (dir.empty()) {
      error_ =
          "O2P_READBACK_DIR is not set: run tests/integration/run_parquet_readback.sh "
          "(ctest -R parquet_readback)";
      return;
    }
    text_ = ReadFile(dir + "/readers.json");
    const Status parsed = doc_.Parse(text_, arena_);
    if (!parsed.ok()) {
      error_ = "cannot parse " + dir + "/readers.json: " + parsed.ToString();
      return;
    }
    std::optional<JsonValue> files = Member(doc_.root(), "files");
    if (!files || !files->is_array()) {
      error_ = dir + "/readers.json has no \"files\" array";
      return;
    }
    for (JsonValue file : files->elements()) {
      std::string path = Scalar(Member(file, "file"));
      std::string stem = path.substr(path.find_last_of('/') + 1);
      if (stem.size() > 8 && stem.substr(stem.size() - 8) == ".parquet") {
        stem.resize(stem.size() - 8);
      }
      files_.emplace(stem, file);
    }
  }

  std::string error_;
  std::string text_;
  Arena arena_;
  JsonDocument doc_;
  std::map<std::string, JsonValue> files_;
};

/// The object one reader ("duckdb" / "hyparquet") produced for a case's file; fails the test
/// (and returns nullopt) when the file is missing or the reader reported an error.
std::optional<JsonValue> ReaderOutput(const Case& c, std::string_view reader) {
  const Readers& readers = Readers::Get();
  if (!readers.error().empty()) {
    ADD_FAILURE() << readers.error();
    return std::nullopt;
  }
  std::optional<JsonValue> file = readers.File(c.name);
  if (!file) {
    ADD_FAILURE() << c.name << ".parquet is not in readers.json (was it written?)";
    return std::nullopt;
  }
  std::optional<JsonValue> out = Member(*file, reader);
  if (!out || !out->is_object()) {
    ADD_FAILURE() << c.name << ": no " << reader << " output";
    return std::nullopt;
  }
  if (std::optional<JsonValue> error = Member(*out, "error")) {
    ADD_FAILURE() << c.name << ".parquet (" << otlp::TableName(c.table) << ", "
                  << parquet::CodecName(c.codec) << "): " << reader << " could not read the file:\n"
                  << Scalar(error);
    return std::nullopt;
  }
  return out;
}

/// One part ("rows", "schema", "kv", "file", "chunks") of a reader's output; fails the test
/// when the reader could not produce it.
std::optional<JsonValue> ReaderPart(const Case& c, std::string_view reader, std::string_view part) {
  std::optional<JsonValue> out = ReaderOutput(c, reader);
  if (!out) return std::nullopt;
  // "columns" and "rows" are read together; their failure is "rows_error".
  const std::string error_key = std::string(part == "columns" ? "rows" : part) + "_error";
  if (std::optional<JsonValue> error = Member(*out, error_key)) {
    ADD_FAILURE() << c.name << ".parquet (" << otlp::TableName(c.table) << ", "
                  << parquet::CodecName(c.codec) << "): " << reader << " could not read the "
                  << part << ":\n"
                  << Scalar(error);
    return std::nullopt;
  }
  std::optional<JsonValue> value = Member(*out, part);
  if (!value) ADD_FAILURE() << c.name << ": " << reader << " output has no " << part;
  return value;
}

// --- Comparing values -------------------------------------------------------------------------

/// The column names a reader returned: DuckDB gives [name, type] pairs, hyparquet names.
std::vector<std::string> ColumnNames(JsonValue columns) {
  std::vector<std::string> names;
  for (JsonValue column : columns.elements()) {
    if (column.is_array()) {
      names.push_back(Scalar(*column.elements().begin()));
    } else {
      names.push_back(Scalar(column));
    }
  }
  return names;
}

void ExpectSameValues(const Case& c, std::string_view reader, bool sort_maps) {
  const RecordBatch& batch = BatchFor(c);
  std::optional<JsonValue> rows = ReaderPart(c, reader, "rows");
  if (!rows) return;
  std::optional<JsonValue> columns = ReaderPart(c, reader, "columns");
  ASSERT_TRUE(columns && columns->is_array() && rows->is_array());

  const auto& fields = batch.schema()->fields();
  const std::vector<std::string> names = ColumnNames(*columns);
  std::vector<std::string> expected_names;
  expected_names.reserve(fields.size());
  for (const Field& field : fields) expected_names.push_back(field.name);
  EXPECT_EQ(names, expected_names) << c.name << ": " << reader << " column names";
  // Where each schema column is in the reader's rows (by name, so one missing column does not
  // hide the others).
  std::vector<std::optional<size_t>> position(fields.size());
  for (size_t col = 0; col < fields.size(); ++col) {
    auto it = std::find(names.begin(), names.end(), fields[col].name);
    if (it != names.end()) position[col] = static_cast<size_t>(it - names.begin());
  }

  ASSERT_EQ(rows->size(), batch.num_rows())
      << c.name << ": " << reader << " returned " << rows->size() << " rows, we wrote "
      << batch.num_rows();

  size_t mismatches = 0;
  size_t cells = 0;
  std::vector<bool> reported(fields.size(), false);
  std::string report;
  size_t row = 0;
  std::vector<JsonValue> cells_of_row;
  for (JsonValue actual_row : rows->elements()) {
    cells_of_row.clear();
    for (JsonValue cell : actual_row.elements()) cells_of_row.push_back(cell);
    for (size_t col = 0; col < fields.size(); ++col) {
      if (!position[col] || *position[col] >= cells_of_row.size()) continue;
      ++cells;
      std::string expected;
      AppendExpected(batch.column(col), row, sort_maps, &expected);
      std::string actual;
      AppendActual(cells_of_row[*position[col]], *fields[col].type, sort_maps, &actual);
      if (expected == actual) continue;
      ++mismatches;
      if (!reported[col]) {
        reported[col] = true;
        report += fmt::format("  row {} column {}:\n    wrote {}\n    read  {}\n", row,
                              fields[col].name, Shorten(expected), Shorten(actual));
      }
    }
    ++row;
  }
  EXPECT_EQ(mismatches, 0u) << c.name << ".parquet (table " << otlp::TableName(c.table)
                            << ", codec " << parquet::CodecName(c.codec) << "): " << reader
                            << " read " << mismatches << " of " << cells
                            << " cells differently; the first per column:\n"
                            << report;
}

// --- Comparing the schema -----------------------------------------------------------------------

/// One parquet schema element as a reader reported it ("" = absent).
struct Element {
  std::string name, type, repetition, converted, logical, field_id, num_children;
};

std::vector<Element> SchemaElements(JsonValue schema) {
  std::vector<Element> elements;
  for (JsonValue e : schema.elements()) {
    elements.push_back({Scalar(Member(e, "name")), Scalar(Member(e, "type")),
                        Scalar(Member(e, "repetition_type")), Scalar(Member(e, "converted_type")),
                        Scalar(Member(e, "logical_type")), Scalar(Member(e, "field_id")),
                        Scalar(Member(e, "num_children"))});
  }
  return elements;
}

enum class Reader : uint8_t { kDuckDB, kHyparquet };

/// What the logical type annotation must say, per reader's spelling. DuckDB prints the thrift
/// struct (parquet_schema().logical_type); read_parquet.mjs prints hyparquet's parse as JSON.
struct LogicalExpectation {
  std::string_view duckdb;     // exact text; "" = absent
  std::string_view hyparquet;  // exact text; "" = absent
};

constexpr LogicalExpectation kTimestampLogical = {
    "TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), "
    "NANOS=<null>))",
    R"({"type":"TIMESTAMP","isAdjustedToUTC":true,"unit":"MICROS"})"};
constexpr LogicalExpectation kStringLogical = {"StringType()", R"({"type":"STRING"})"};
constexpr LogicalExpectation kMapLogical = {"MapType()", R"({"type":"MAP"})"};
constexpr LogicalExpectation kListLogical = {"ListType()", R"({"type":"LIST"})"};
// DuckDB prints IntType's int8 bitWidth as a character: ' ' is 32, '@' is 64.
constexpr LogicalExpectation kInt32Logical = {
    "IntType(bitWidth= , isSigned=1)", R"({"type":"INTEGER","bitWidth":32,"isSigned":true})"};
constexpr LogicalExpectation kInt64Logical = {
    "IntType(bitWidth=@, isSigned=1)", R"({"type":"INTEGER","bitWidth":64,"isSigned":true})"};

class SchemaChecker {
 public:
  SchemaChecker(Reader reader, std::vector<Element> elements)
      : reader_(reader), elements_(std::move(elements)) {}

  void CheckRoot(const columnar::Schema& schema) {
    const Element* root = Next("<root>");
    if (root == nullptr) return;
    Expect(root->num_children == std::to_string(schema.num_fields()), "<root>",
           fmt::format("num_children {}, want {}", root->num_children, schema.num_fields()));
    for (const Field& field : schema.fields()) CheckField(field, field.name);
    if (pos_ < elements_.size()) {
      problems_.push_back(fmt::format("{} schema elements after the last column (first: {})",
                                      elements_.size() - pos_, elements_[pos_].name));
    }
  }

  const std::vector<std::string>& problems() const { return problems_; }

 private:
  const Element* Next(const std::string& path) {
    if (pos_ >= elements_.size()) {
      problems_.push_back(path + ": missing (schema ends early)");
      return nullptr;
    }
    return &elements_[pos_++];
  }

  void Expect(bool ok, const std::string& path, const std::string& what) {
    if (!ok) problems_.push_back(path + ": " + what);
  }

  void ExpectValue(const std::string& path, std::string_view what, const std::string& actual,
                   std::string_view expected) {
    Expect(actual == expected, path,
           fmt::format(R"({} is "{}", want "{}")", what, actual, expected));
  }

  void ExpectLogical(const std::string& path, const Element& e, LogicalExpectation want) {
    ExpectValue(path, "logical_type", e.logical,
                reader_ == Reader::kDuckDB ? want.duckdb : want.hyparquet);
  }

  /// An optional annotation: absent, or exactly `converted` + `want`.
  void ExpectIntAnnotation(const std::string& path, const Element& e, std::string_view converted,
                           LogicalExpectation want) {
    if (e.converted.empty() && e.logical.empty()) return;
    ExpectValue(path, "converted_type", e.converted, converted);
    if (!e.logical.empty()) ExpectLogical(path, e, want);
  }

  // `name_in_file` differs from field.name for the fixed names of schema.md's 3-level
  // lists and maps ("element", "key", "value"), which the columnar fields also carry.
  void CheckField(const Field& field, const std::string& path) {
    const Element* e = Next(path);
    if (e == nullptr) return;
    ExpectValue(path, "name", e->name, field.name);
    ExpectValue(path, "field_id", e->field_id, std::to_string(field.field_id));
    ExpectValue(path, "repetition_type", e->repetition, field.nullable ? "OPTIONAL" : "REQUIRED");
    const DataType& type = *field.type;
    switch (type.id()) {
      case TypeId::kBoolean:
        ExpectValue(path, "type", e->type, "BOOLEAN");
        ExpectValue(path, "converted_type", e->converted, "");
        ExpectValue(path, "logical_type", e->logical, "");
        return;
      case TypeId::kInt32:
        ExpectValue(path, "type", e->type, "INT32");
        ExpectIntAnnotation(path, *e, "INT_32", kInt32Logical);
        return;
      case TypeId::kInt64:
        ExpectValue(path, "type", e->type, "INT64");
        ExpectIntAnnotation(path, *e, "INT_64", kInt64Logical);
        return;
      case TypeId::kDouble:
        ExpectValue(path, "type", e->type, "DOUBLE");
        ExpectValue(path, "converted_type", e->converted, "");
        ExpectValue(path, "logical_type", e->logical, "");
        return;
      case TypeId::kString:
        ExpectValue(path, "type", e->type, "BYTE_ARRAY");
        ExpectValue(path, "converted_type", e->converted, "UTF8");
        ExpectLogical(path, *e, kStringLogical);
        return;
      case TypeId::kTimestamp:
        ExpectValue(path, "type", e->type, "INT64");
        ExpectValue(path, "converted_type", e->converted, "TIMESTAMP_MICROS");
        ExpectLogical(path, *e, kTimestampLogical);
        return;
      case TypeId::kList: {
        ExpectValue(path, "type", e->type, "");
        ExpectValue(path, "converted_type", e->converted, "LIST");
        ExpectLogical(path, *e, kListLogical);
        ExpectValue(path, "num_children", e->num_children, "1");
        const std::string group_path = path + ".list";
        if (const Element* group = Next(group_path)) {
          ExpectValue(group_path, "name", group->name, "list");
          ExpectValue(group_path, "repetition_type", group->repetition, "REPEATED");
          ExpectValue(group_path, "num_children", group->num_children, "1");
          ExpectValue(group_path, "converted_type", group->converted, "");
          ExpectValue(group_path, "type", group->type, "");
        }
        CheckField(type.children()[0], group_path + "." + type.children()[0].name);
        return;
      }
      case TypeId::kMap: {
        ExpectValue(path, "type", e->type, "");
        ExpectValue(path, "converted_type", e->converted, "MAP");
        ExpectLogical(path, *e, kMapLogical);
        ExpectValue(path, "num_children", e->num_children, "1");
        const std::string group_path = path + ".key_value";
        if (const Element* group = Next(group_path)) {
          ExpectValue(group_path, "name", group->name, "key_value");
          ExpectValue(group_path, "repetition_type", group->repetition, "REPEATED");
          ExpectValue(group_path, "num_children", group->num_children, "2");
          ExpectValue(group_path, "converted_type", group->converted, "");
          ExpectValue(group_path, "type", group->type, "");
        }
        Expect(!type.children()[0].nullable, path, "map key is nullable in the columnar schema");
        CheckField(type.children()[0], group_path + "." + type.children()[0].name);
        CheckField(type.children()[1], group_path + "." + type.children()[1].name);
        return;
      }
      case TypeId::kStruct:
        ExpectValue(path, "type", e->type, "");
        ExpectValue(path, "converted_type", e->converted, "");
        ExpectValue(path, "logical_type", e->logical, "");
        ExpectValue(path, "num_children", e->num_children, std::to_string(type.children().size()));
        for (const Field& child : type.children()) CheckField(child, path + "." + child.name);
        return;
    }
  }

  Reader reader_;
  std::vector<Element> elements_;
  size_t pos_ = 0;
  std::vector<std::string> problems_;
};

void ExpectSchema(const Case& c, Reader reader) {
  const std::string_view reader_name = reader == Reader::kDuckDB ? "duckdb" : "hyparquet";
  std::optional<JsonValue> schema = ReaderPart(c, reader_name, "schema");
  if (!schema) return;
  ASSERT_TRUE(schema->is_array());
  SchemaChecker checker(reader, SchemaElements(*schema));
  checker.CheckRoot(*otlp::TableSchema(c.table));
  std::string report;
  for (size_t i = 0; i < checker.problems().size() && i < 60; ++i) {
    report += "  " + checker.problems()[i] + "\n";
  }
  EXPECT_TRUE(checker.problems().empty())
      << c.name << ".parquet: the footer schema, as " << reader_name << " parsed it, differs from "
      << "TableSchema(" << otlp::TableName(c.table) << ") / schema.md ("
      << checker.problems().size() << " differences):\n"
      << report;
}

/// DuckDB's SQL type for a column of `type`.
std::string DuckDBTypeName(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kInt32: return "INTEGER";
    case TypeId::kInt64: return "BIGINT";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kString: return "VARCHAR";
    case TypeId::kTimestamp: return "TIMESTAMP WITH TIME ZONE";
    case TypeId::kList: return DuckDBTypeName(*type.children()[0].type) + "[]";
    case TypeId::kMap:
      return fmt::format("MAP({}, {})", DuckDBTypeName(*type.children()[0].type),
                         DuckDBTypeName(*type.children()[1].type));
    case TypeId::kStruct: {
      std::string out = "STRUCT(";
      for (size_t i = 0; i < type.children().size(); ++i) {
        if (i > 0) out += ", ";
        out += fmt::format("\"{}\" {}", type.children()[i].name,
                           DuckDBTypeName(*type.children()[i].type));
      }
      return out + ")";
    }
  }
  return "?";
}

// --- Comparing file metadata --------------------------------------------------------------------

/// Number of level entries (= ColumnMetaData.num_values) each leaf gets from a row, by dotted
/// path in the file ("Events.list.element.Name").
void AddLeafEntries(const Column* column, const DataType& type, size_t row, const std::string& path,
                    std::map<std::string, int64_t>* counts) {
  switch (type.id()) {
    case TypeId::kList: {
      const std::string child_path = path + ".list." + type.children()[0].name;
      const auto* list = static_cast<const columnar::ListColumn*>(column);
      const bool empty = list == nullptr || !list->IsValid(row) ||
                         list->offsets()[row] == list->offsets()[row + 1];
      if (empty) {
        AddLeafEntries(nullptr, *type.children()[0].type, 0, child_path, counts);
        return;
      }
      for (auto i = list->offsets()[row]; i < list->offsets()[row + 1]; ++i) {
        AddLeafEntries(&list->values(), *type.children()[0].type, static_cast<size_t>(i),
                       child_path, counts);
      }
      return;
    }
    case TypeId::kMap: {
      const auto* map = static_cast<const columnar::MapColumn*>(column);
      int64_t entries = 1;
      if (map != nullptr && map->IsValid(row)) {
        entries = std::max<int64_t>(1, map->offsets()[row + 1] - map->offsets()[row]);
      }
      (*counts)[path + ".key_value.key"] += entries;
      (*counts)[path + ".key_value.value"] += entries;
      return;
    }
    case TypeId::kStruct: {
      const auto* st = static_cast<const columnar::StructColumn*>(column);
      for (size_t i = 0; i < type.children().size(); ++i) {
        AddLeafEntries(st == nullptr ? nullptr : &st->child(i), *type.children()[i].type, row,
                       path + "." + type.children()[i].name, counts);
      }
      return;
    }
    default: (*counts)[path] += 1; return;
  }
}

std::map<std::string, int64_t> ExpectedLeafValues(const RecordBatch& batch) {
  std::map<std::string, int64_t> counts;
  const auto& fields = batch.schema()->fields();
  for (size_t col = 0; col < fields.size(); ++col) {
    for (size_t row = 0; row < batch.num_rows(); ++row) {
      AddLeafEntries(&batch.column(col), *fields[col].type, row, fields[col].name, &counts);
    }
  }
  if (batch.num_rows() == 0) {
    for (const Field& field : fields) AddLeafEntries(nullptr, *field.type, 0, field.name, &counts);
    for (auto& [path, count] : counts) count = 0;
  }
  return counts;
}

struct Page {
  std::string type;  // DICTIONARY_PAGE, DATA_PAGE, ...
  std::string encoding;
  int64_t uncompressed = 0;
  int64_t num_values = 0;
};

struct Chunk {
  int64_t row_group = 0;
  std::string path, codec, encodings;
  int64_t num_values = 0;
  std::optional<int64_t> indexed_pages;  // data pages in the offset index
  std::vector<Page> pages;               // every page header in the chunk (hyparquet only)
};

int64_t ToInt(const std::string& text) {
  int64_t value = -1;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::vector<Chunk> Chunks(JsonValue list, std::string_view codec_key) {
  std::vector<Chunk> chunks;
  for (JsonValue c : list.elements()) {
    Chunk chunk;
    chunk.row_group = ToInt(Scalar(Member(c, "row_group")));
    chunk.path = Scalar(Member(c, "path"));
    chunk.codec = Scalar(Member(c, codec_key));
    chunk.encodings = Scalar(Member(c, "encodings"));
    chunk.num_values = ToInt(Scalar(Member(c, "num_values")));
    const std::string pages = Scalar(Member(c, "pages"));
    if (!pages.empty() && pages != "<missing>") chunk.indexed_pages = ToInt(pages);
    if (std::optional<JsonValue> headers = Member(c, "page_headers");
        headers && headers->is_array()) {
      for (JsonValue h : headers->elements()) {
        chunk.pages.push_back({Scalar(Member(h, "type")), Scalar(Member(h, "encoding")),
                               ToInt(Scalar(Member(h, "uncompressed"))),
                               ToInt(Scalar(Member(h, "num_values")))});
      }
    }
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

std::string Where(const Case& c) {
  return fmt::format("{}.parquet (table {}, codec {})", c.name, otlp::TableName(c.table),
                     parquet::CodecName(c.codec));
}

/// The row groups DuckDB counted in the footer, or -1.
int64_t RowGroups(const Case& c) {
  std::optional<JsonValue> file = ReaderPart(c, "duckdb", "file");
  return file ? ToInt(Scalar(Member(*file, "num_row_groups"))) : -1;
}

void ExpectFileMetadata(const Case& c) {
  const RecordBatch& batch = BatchFor(c);
  const parquet::WriterOptions options = OptionsFor(c);
  const std::string where = Where(c);

  // Key/value metadata: the schema's own plus the options'.
  if (std::optional<JsonValue> pairs = ReaderPart(c, "duckdb", "kv")) {
    std::map<std::string, std::vector<std::string>> kv;
    for (JsonValue pair : pairs->elements()) {
      std::vector<std::string> parts;
      for (JsonValue part : pair.elements()) parts.push_back(Scalar(part));
      if (parts.size() == 2) kv[parts[0]].push_back(parts[1]);
    }
    const std::map<std::string, std::vector<std::string>> want_kv = {
        {"otlp2parquet.schema_version", {std::to_string(otlp::kSchemaVersion)}},
        {"otlp2parquet.table", {std::string(otlp::TableName(c.table))}},
        {"otlp2parquet.version", {std::string(kProgramVersion)}},
    };
    for (const auto& [key, values] : want_kv) {
      EXPECT_EQ(kv[key], values) << where << ": key/value metadata " << key;
    }
  }

  std::optional<JsonValue> file = ReaderPart(c, "duckdb", "file");
  if (!file) return;
  EXPECT_EQ(Scalar(Member(*file, "created_by")), kCreatedBy) << where;
  EXPECT_EQ(ToInt(Scalar(Member(*file, "num_rows"))), static_cast<int64_t>(batch.num_rows()))
      << where;
  const int64_t row_groups = ToInt(Scalar(Member(*file, "num_row_groups")));
  const auto rows = static_cast<int64_t>(batch.num_rows());
  const auto per_group = static_cast<int64_t>(options.row_group_rows);
  if (rows == 0) {
    EXPECT_LE(row_groups, 1) << where << ": row groups of an empty file";
  } else {
    EXPECT_EQ(row_groups, (rows + per_group - 1) / per_group)
        << where << ": row groups for " << rows << " rows at row_group_rows = " << per_group;
  }
}

void ExpectColumnChunks(const Case& c) {
  const RecordBatch& batch = BatchFor(c);
  const parquet::WriterOptions options = OptionsFor(c);
  const std::string where = Where(c);
  const int64_t row_groups = RowGroups(c);
  if (row_groups < 0) return;

  // Both readers' parse of the footer: one chunk per leaf and row group, each with our codec.
  std::map<std::string, int64_t> want_values = ExpectedLeafValues(batch);
  if (row_groups == 0) want_values.clear();  // an empty file without row groups has no chunks
  std::vector<Chunk> hyparquet_chunks;
  for (const auto& [reader, codec_key] :
       {std::pair<std::string_view, std::string_view>{"duckdb", "compression"},
        {"hyparquet", "codec"}}) {
    std::optional<JsonValue> list = ReaderPart(c, reader, "chunks");
    if (!list) continue;
    std::vector<Chunk> chunks = Chunks(*list, codec_key);
    EXPECT_EQ(chunks.size(), want_values.size() * static_cast<size_t>(row_groups))
        << where << ": " << reader << " column chunks (leaves x row groups)";
    size_t wrong_codec = 0;
    for (const Chunk& chunk : chunks) {
      if (chunk.codec != ThriftCodecName(c.codec) && wrong_codec++ == 0) {
        ADD_FAILURE() << where << ": " << reader << " says column chunk " << chunk.path
                      << " (row group " << chunk.row_group << ") is " << chunk.codec << ", want "
                      << ThriftCodecName(c.codec);
      }
    }
    if (reader == "hyparquet") hyparquet_chunks = std::move(chunks);
  }

  // ColumnMetaData.num_values per leaf, summed over row groups; the page headers in the file
  // agree with it and with the offset index.
  std::map<std::string, int64_t> values;
  std::string report;
  for (const Chunk& chunk : hyparquet_chunks) {
    values[chunk.path] += chunk.num_values;
    const std::string name = fmt::format("{} (row group {})", chunk.path, chunk.row_group);
    int64_t data_pages = 0;
    int64_t page_values = 0;
    for (size_t i = 0; i < chunk.pages.size(); ++i) {
      const Page& page = chunk.pages[i];
      if (page.type == "DICTIONARY_PAGE") {
        if (i != 0) report += fmt::format("  {}: dictionary page at position {}\n", name, i);
      } else if (page.type == "DATA_PAGE") {
        ++data_pages;
        page_values += page.num_values;
      } else {
        report += fmt::format("  {}: unexpected {} page\n", name, page.type);
      }
    }
    if (page_values != chunk.num_values) {
      report += fmt::format("  {}: data pages hold {} values, the column chunk says {}\n", name,
                            page_values, chunk.num_values);
    }
    if (options.page_index && chunk.indexed_pages != data_pages) {
      report += fmt::format("  {}: {} data pages, the offset index lists {}\n", name, data_pages,
                            chunk.indexed_pages ? std::to_string(*chunk.indexed_pages) : "none");
    }
  }
  if (!hyparquet_chunks.empty() || want_values.empty()) {
    EXPECT_EQ(values, want_values) << where << ": ColumnMetaData.num_values per leaf";
  }
  EXPECT_TRUE(report.empty()) << where << ": pages:\n" << report;
}

/// Pages are cut near options.data_page_bytes and dictionaries abandoned near
/// options.dictionary_max_bytes (both "about": up to twice the limit passes); the large files
/// have several pages per chunk and, for logs, a dictionary that falls back to PLAIN.
void ExpectPageSizes(const Case& c) {
  const parquet::WriterOptions options = OptionsFor(c);
  const std::string where = Where(c);
  std::optional<JsonValue> list = ReaderPart(c, "hyparquet", "chunks");
  if (!list) return;
  const auto page_limit = static_cast<int64_t>(2 * options.data_page_bytes);
  const auto dictionary_limit = static_cast<int64_t>(2 * options.dictionary_max_bytes);
  std::string oversized;
  size_t oversized_pages = 0;
  int64_t most_pages = 0;
  bool fell_back = false;
  for (const Chunk& chunk : Chunks(*list, "codec")) {
    int64_t data_pages = 0;
    bool dictionary_data = false;
    bool plain_data = false;
    for (const Page& page : chunk.pages) {
      const bool dictionary = page.type == "DICTIONARY_PAGE";
      if (!dictionary) {
        ++data_pages;
        dictionary_data |= page.encoding == "RLE_DICTIONARY";
        plain_data |= page.encoding == "PLAIN";
      }
      const int64_t limit = dictionary ? dictionary_limit : page_limit;
      if (page.uncompressed > limit && oversized_pages++ < 12) {
        oversized += fmt::format(
            "  {} (row group {}): {} {} of {} bytes holding {} values; the limit is {} ({})\n",
            chunk.path, chunk.row_group, page.encoding, page.type, page.uncompressed,
            page.num_values, dictionary ? options.dictionary_max_bytes : options.data_page_bytes,
            dictionary ? "dictionary_max_bytes" : "data_page_bytes");
      }
    }
    most_pages = std::max(most_pages, data_pages);
    fell_back |= dictionary_data && plain_data;
  }
  EXPECT_EQ(oversized_pages, 0u) << where << ": " << oversized_pages
                                 << " pages are more than twice their limit:\n"
                                 << oversized;
  if (c.kind == Kind::kLarge) {
    EXPECT_GE(most_pages, 4) << where << ": no column chunk has more than " << most_pages
                             << " data pages at data_page_bytes = " << options.data_page_bytes;
    if (c.table == Table::kLogs) {
      EXPECT_TRUE(fell_back) << where << ": no column chunk has both RLE_DICTIONARY and PLAIN "
                             << "data pages, so dictionary fallback was not exercised";
    }
  }
}

// --- Phase 1: write -----------------------------------------------------------------------------

class WriteFiles : public ::testing::TestWithParam<Case> {};

TEST_P(WriteFiles, File) {
  const Case& c = GetParam();
  const std::string dir = ReadbackDir();
  ASSERT_FALSE(dir.empty()) << "O2P_READBACK_DIR is not set: run "
                               "tests/integration/run_parquet_readback.sh (ctest -R "
                               "parquet_readback)";
  const RecordBatch& batch = BatchFor(c);
  ASSERT_TRUE(batch.Validate().ok()) << batch.Validate().ToString();
  if (c.kind == Kind::kCoverage) {
    ASSERT_GT(batch.num_rows(), kEdgeRows) << "the coverage request has no " << c.name << " rows";
  }
  if (c.kind == Kind::kLarge) {
    ASSERT_GE(batch.num_rows(), 10000u);
  }

  auto bytes = parquet::WriteToString(batch, OptionsFor(c));
  ASSERT_TRUE(bytes.has_value()) << c.name << ": " << bytes.status().ToString();
  {
    std::ofstream out(dir + "/" + c.name + ".parquet", std::ios::binary);
    out << *bytes;
    ASSERT_TRUE(out.good());
  }

  // The expected cells, for a human comparing by hand: one JSON array per row.
  std::ofstream expected(dir + "/" + c.name + ".expected.json", std::ios::binary);
  const auto& fields = batch.schema()->fields();
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    std::string line = "[";
    for (size_t col = 0; col < fields.size(); ++col) {
      if (col > 0) line += ",";
      AppendExpected(batch.column(col), row, /*sort_maps=*/false, &line);
    }
    expected << line << "]\n";
  }
}

INSTANTIATE_TEST_SUITE_P(All, WriteFiles, ::testing::ValuesIn(AllCases()), CaseName);

// --- Phase 2: read back -------------------------------------------------------------------------

class ReadBack : public ::testing::TestWithParam<Case> {};

TEST_P(ReadBack, DuckDBValuesEqualInput) {
  ExpectSameValues(GetParam(), "duckdb", /*sort_maps=*/false);
}

TEST_P(ReadBack, HyparquetValuesEqualInput) {
  ExpectSameValues(GetParam(), "hyparquet", /*sort_maps=*/true);
}

TEST_P(ReadBack, DuckDBSchemaHasFieldIdsAndTypes) {
  const Case& c = GetParam();
  ExpectSchema(c, Reader::kDuckDB);
  std::optional<JsonValue> columns = ReaderPart(c, "duckdb", "columns");
  if (!columns) return;
  ASSERT_TRUE(columns->is_array());
  std::vector<std::string> got;
  for (JsonValue column : columns->elements()) {
    std::vector<std::string> parts;
    for (JsonValue part : column.elements()) parts.push_back(Scalar(part));
    got.push_back(parts.size() == 2 ? parts[0] + " " + parts[1] : "?");
  }
  std::vector<std::string> want;
  for (const Field& field : otlp::TableSchema(c.table)->fields()) {
    want.push_back(field.name + " " + DuckDBTypeName(*field.type));
  }
  EXPECT_EQ(got, want) << c.name << ": DuckDB's SQL types of the columns";
}

TEST_P(ReadBack, HyparquetSchemaHasFieldIdsAndTypes) {
  ExpectSchema(GetParam(), Reader::kHyparquet);
}

TEST_P(ReadBack, FileMetadata) { ExpectFileMetadata(GetParam()); }

TEST_P(ReadBack, ColumnChunks) { ExpectColumnChunks(GetParam()); }

TEST_P(ReadBack, PageSizes) { ExpectPageSizes(GetParam()); }

INSTANTIATE_TEST_SUITE_P(All, ReadBack, ::testing::ValuesIn(AllCases()), CaseName);

TEST(ReadBackFiles, EveryCaseWasReadAndNothingElse) {
  const Readers& readers = Readers::Get();
  ASSERT_TRUE(readers.error().empty()) << readers.error();
  std::vector<std::string> want;
  for (const Case& c : AllCases()) want.push_back(c.name);
  std::sort(want.begin(), want.end());
  std::vector<std::string> got;
  for (const auto& [stem, value] : readers.files()) got.push_back(stem);
  EXPECT_EQ(got, want);
}

// The edge rows really hold what the issue names (so a change to the generator cannot quietly
// drop a case): NaN, both infinities, int64 extremes in a long column, empty lists and maps,
// nulls, unicode.
TEST(ReadBackFiles, EdgeRowsCoverTheNamedCases) {
  std::string all;
  for (const Case& c : AllCases()) {
    if (c.kind != Kind::kCoverage || c.codec != Codec::kZstd) continue;
    const RecordBatch& batch = BatchFor(c);
    for (size_t col = 0; col < batch.num_columns(); ++col) {
      for (size_t row = 0; row < batch.num_rows(); ++row) {
        all += fmt::format("{}={}\n", batch.schema()->field(col).type->ToString(), [&] {
          std::string cell;
          AppendExpected(batch.column(col), row, false, &cell);
          return cell;
        }());
      }
    }
  }
  for (std::string_view needle :
       {"double=\"NaN\"", "double=\"Infinity\"", "double=\"-Infinity\"", "double=\"-0\"",
        "long=\"-9223372036854775808\"", "long=\"9223372036854775807\"", "int=\"-2147483648\"",
        "=[]\n", "string=null", "double=null", "timestamptz=null", "\xf0\x9f\x98\x80", "\\u0000"}) {
    EXPECT_NE(all.find(needle), std::string::npos) << "no cell like " << needle;
  }
}

}  // namespace
}  // namespace o2p
