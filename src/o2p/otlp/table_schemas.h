// The Arrow-like schemas of the seven tables, exactly as ../shared/spec/schema.md lays them
// out: column names, order, types, nullability, and field ids assigned the way Iceberg assigns
// fresh ids. Each schema carries the metadata `otlp2parquet.schema_version` = "1" and
// `otlp2parquet.table` = the table name.
#pragma once

#include "o2p/columnar/data_type.h"
#include "o2p/otlp/signal.h"

namespace o2p::otlp {

inline constexpr int kSchemaVersion = 1;

/// The schema of `table`; built once, shared, immutable.
const columnar::SchemaPtr& TableSchema(Table table);

/// Number of common resource/scope columns that open every table (schema.md, "Common columns").
inline constexpr int kCommonColumnCount = 10;

}  // namespace o2p::otlp
