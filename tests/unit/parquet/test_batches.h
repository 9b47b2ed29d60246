// Shared fixtures of the Parquet writer tests: an "all kinds" schema shaped like the OTLP
// tables (every primitive, nullable columns, maps, lists, list<struct<map>>, struct), a
// deterministic row generator and the values a reader must get back.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "o2p/columnar/record_batch.h"
#include "o2p/parquet/file_writer.h"
#include "unit/parquet/test_reader.h"

namespace o2p::parquet::testing {

std::string CodecTestName(const ::testing::TestParamInfo<Codec>& p);

columnar::Field Req(std::string name, columnar::DataTypePtr type);
columnar::Field Opt(std::string name, columnar::DataTypePtr type);
columnar::DataTypePtr AttributeMap();

/// Leaf order of AllKindsSchema().
enum Leaf : size_t {
  kTimestamp,
  kServiceName,
  kBody,
  kFlags,
  kCount,
  kSum,
  kIsMonotonic,
  kAttrKey,
  kAttrValue,
  kBucketCounts,
  kEventTimestamp,
  kEventName,
  kEventAttrKey,
  kEventAttrValue,
  kScopeName,
  kScopeVersion,
  kLeafCount
};

inline constexpr int64_t kBaseTime = 1'700'000'000'000'000;

/// Every column kind the writer supports, shaped like the OTLP tables of schema.md.
columnar::SchemaPtr AllKindsSchema();
/// Rows [begin, end) of the all-kinds data (row i is a pure function of i).
std::unique_ptr<columnar::RecordBatch> MakeBatch(const columnar::SchemaPtr& schema, int begin,
                                                 int end);

/// The non-null values (rendered like the test reader does) and some levels of rows [0, n).
struct Expected {
  std::vector<std::string> timestamp, body, flags, count, sum, monotonic, attr_key, attr_value,
      buckets, event_name, scope_version;
  std::vector<int16_t> body_def, attr_value_def, attr_value_rep, event_name_def;
};
Expected ExpectedValues(int n);

/// Options with 256-byte pages (many pages per chunk), a created_by and extra metadata.
WriterOptions SmallPages(Codec codec);
/// Writes `rows` all-kinds rows in batches of `batch_rows` and returns the file.
std::string WriteAllKinds(const WriterOptions& options, int rows, int batch_rows = 97);

/// A one-column schema `Name string` and a batch of it.
columnar::SchemaPtr OneStringColumn();
std::unique_ptr<columnar::RecordBatch> StringBatch(const columnar::SchemaPtr& schema,
                                                   const std::vector<std::string>& values);

/// The schema element called `name` (first match in depth-first order).
const TStruct& Element(const TestFile& file, const std::string& name);

}  // namespace o2p::parquet::testing
