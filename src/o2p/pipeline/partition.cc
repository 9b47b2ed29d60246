#include "o2p/pipeline/partition.h"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>

namespace o2p::pipeline {
namespace {

// Floor division: timestamps before 1970 still land in the hour that contains them.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

std::string_view TableNameOf(const columnar::Schema& schema) {
  for (const auto& [key, value] : schema.metadata()) {
    if (key == "otlp2parquet.table") return value;
  }
  return {};
}

Result<std::vector<PartitionRows>> SplitByPartition(const columnar::RecordBatch& batch) {
  const columnar::Schema& schema = *batch.schema();
  const int ts_index = schema.FieldIndex("Timestamp");
  const int service_index = schema.FieldIndex("ServiceName");
  if (ts_index < 0 || schema.field(ts_index).type->id() != columnar::TypeId::kTimestamp ||
      service_index < 0 || schema.field(service_index).type->id() != columnar::TypeId::kString) {
    return Status::InvalidArgument("batch of table '{}' has no Timestamp/ServiceName columns",
                                   TableNameOf(schema));
  }
  const auto& ts = batch.column_as<columnar::Int64Column>(static_cast<size_t>(ts_index));
  const auto& service = batch.column_as<columnar::StringColumn>(static_cast<size_t>(service_index));

  std::vector<PartitionRows> partitions;
  // Most batches hold one service and one hour: check the last partition before the map.
  std::map<std::pair<std::string_view, int64_t>, size_t> index;
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    const int64_t micros = ts.Value(row);
    const int64_t hour = FloorDiv(micros, kMicrosPerHour);
    const std::string_view name = service.Value(row);
    size_t slot;
    if (!partitions.empty() && partitions.back().key.hour == hour &&
        partitions.back().key.service == name) {
      slot = partitions.size() - 1;
    } else {
      auto [it, inserted] = index.try_emplace({name, hour}, partitions.size());
      if (inserted) {
        partitions.push_back({PartitionKey{std::string(name), hour}, {}, micros});
      }
      slot = it->second;
    }
    PartitionRows& p = partitions[slot];
    p.rows.push_back(static_cast<uint32_t>(row));
    p.min_timestamp_micros = std::min(p.min_timestamp_micros, micros);
  }
  return partitions;
}

std::string EscapeServiceName(std::string_view service) {
  if (service.empty()) return "unknown";
  std::string out;
  out.reserve(service.size());
  for (unsigned char c : service) {
    if (IsUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  // "." and ".." are made of unreserved bytes but would mean "here" and "parent".
  if (out == "." || out == "..") {
    std::string dots;
    for (size_t i = 0; i < out.size(); ++i) dots += "%2E";
    return dots;
  }
  return out;
}

std::string PartitionFilePath(std::string_view table, const PartitionKey& key,
                              int64_t min_timestamp_micros, std::string_view file_id) {
  using std::chrono::days;
  using std::chrono::sys_days;
  const int64_t day_index = FloorDiv(key.hour, 24);
  const std::chrono::year_month_day ymd{sys_days{days{day_index}}};
  const int64_t hour_of_day = key.hour - day_index * 24;
  // The name carries the earliest row's nanoseconds. Timestamps come from unsigned 64-bit
  // nanoseconds, so micros * 1000 always fits in uint64 but not in int64 (found by
  // fuzz/http_request: a timestamp near 2^64 ns overflowed).
  const uint64_t min_nanos =
      static_cast<uint64_t>(std::max<int64_t>(min_timestamp_micros, 0)) * 1000;
  return fmt::format("{}/service_name={}/year={:04}/month={:02}/day={:02}/hour={:02}/{}-{}.parquet",
                     table, EscapeServiceName(key.service), static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hour_of_day, min_nanos, file_id);
}

}  // namespace o2p::pipeline
