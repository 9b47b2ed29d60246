// o2p_write_sample_manifests: the C++ half of avro_python_check.py, which checks our files
// with an independent Avro implementation (Debian's python3-avro).
//
//   o2p_write_sample_manifests write DIR
//       writes DIR/manifest.avro and DIR/manifest-list.avro from sample_data.h, and
//       DIR/expected.json: what a reader must find in them (bytes as lower-case hex);
//   o2p_write_sample_manifests read-manifest-list FILE
//       prints ReadManifestList(FILE) as JSON in the same shape, for files Python wrote.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include <boost/json.hpp>

#include "o2p/iceberg/avro/manifest.h"
#include "o2p/iceberg/avro/manifest_schemas.h"
#include "unit/iceberg/avro/sample_data.h"

namespace json = boost::json;
using namespace o2p::iceberg;        // NOLINT(google-build-using-namespace): test program
using namespace o2p::iceberg::avro;  // NOLINT(google-build-using-namespace)

namespace {

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

template <typename T>
json::value Optional(const std::optional<T>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value OptionalHex(const std::optional<std::string>& value) {
  return value ? json::value(Hex(*value)) : json::value(nullptr);
}

template <typename V, typename ToJson>
json::array KeyValueArray(const std::map<int32_t, V>& map, ToJson to_json) {
  json::array out;
  for (const auto& [key, value] : map)
    out.push_back(json::object{{"key", key}, {"value", to_json(value)}});
  return out;
}

json::value DataFileJson(const DataFile& file, const PartitionSpec& spec) {
  json::object partition;
  for (size_t i = 0; i < spec.fields.size(); ++i)
    partition[spec.fields[i].name] = Optional(file.partition[i]);
  auto as_long = [](int64_t value) { return json::value(value); };
  auto as_hex = [](const std::string& value) { return json::value(Hex(value)); };
  json::value split_offsets = nullptr;
  if (!file.split_offsets.empty()) split_offsets = json::value_from(file.split_offsets);
  return json::object{{"content", 0},
                      {"file_path", file.file_path},
                      {"file_format", file.file_format},
                      {"partition", partition},
                      {"record_count", file.record_count},
                      {"file_size_in_bytes", file.file_size_in_bytes},
                      {"column_sizes", KeyValueArray(file.column_sizes, as_long)},
                      {"value_counts", KeyValueArray(file.value_counts, as_long)},
                      {"null_value_counts", KeyValueArray(file.null_value_counts, as_long)},
                      {"nan_value_counts", KeyValueArray(file.nan_value_counts, as_long)},
                      {"lower_bounds", KeyValueArray(file.lower_bounds, as_hex)},
                      {"upper_bounds", KeyValueArray(file.upper_bounds, as_hex)},
                      {"key_metadata", nullptr},
                      {"split_offsets", split_offsets},
                      {"equality_ids", nullptr},
                      {"sort_order_id", Optional(file.sort_order_id)},
                      {"referenced_data_file", nullptr}};
}

json::value EntryJson(const ManifestEntry& entry, const PartitionSpec& spec) {
  return json::object{{"status", static_cast<int>(entry.status)},
                      {"snapshot_id", Optional(entry.snapshot_id)},
                      {"sequence_number", Optional(entry.sequence_number)},
                      {"file_sequence_number", Optional(entry.file_sequence_number)},
                      {"data_file", DataFileJson(entry.data_file, spec)}};
}

json::value ManifestFileJson(const ManifestFile& m) {
  json::array partitions;
  for (const PartitionFieldSummary& s : m.partitions) {
    partitions.push_back(json::object{{"contains_null", s.contains_null},
                                      {"contains_nan", Optional(s.contains_nan)},
                                      {"lower_bound", OptionalHex(s.lower_bound)},
                                      {"upper_bound", OptionalHex(s.upper_bound)}});
  }
  return json::object{{"manifest_path", m.manifest_path},
                      {"manifest_length", m.manifest_length},
                      {"partition_spec_id", m.partition_spec_id},
                      {"content", m.content},
                      {"sequence_number", m.sequence_number},
                      {"min_sequence_number", m.min_sequence_number},
                      {"added_snapshot_id", m.added_snapshot_id},
                      {"added_files_count", m.added_files_count},
                      {"existing_files_count", m.existing_files_count},
                      {"deleted_files_count", m.deleted_files_count},
                      {"added_rows_count", m.added_rows_count},
                      {"existing_rows_count", m.existing_rows_count},
                      {"deleted_rows_count", m.deleted_rows_count},
                      {"partitions", partitions},
                      {"key_metadata", OptionalHex(m.key_metadata)}};
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

int Write(const std::string& dir) {
  const ManifestWriteOptions options = testing::SampleManifestOptions();
  const std::vector<ManifestEntry> entries = testing::SampleEntries();
  auto manifest = WriteManifest(options, entries);
  auto summaries = SummarizePartitions(options.spec, entries);
  if (!manifest.ok() || !summaries.ok()) {
    std::cerr << manifest.status().ToString() << " " << summaries.status().ToString() << "\n";
    return 1;
  }
  const std::vector<ManifestFile> files = testing::SampleManifestFiles(*summaries);
  auto list = WriteManifestList(2222, 1111, 4, files);
  if (!list.ok()) {
    std::cerr << list.status().ToString() << "\n";
    return 1;
  }
  json::array entry_json;
  for (const ManifestEntry& entry : entries) entry_json.push_back(EntryJson(entry, options.spec));
  json::array file_json;
  for (const ManifestFile& file : files) file_json.push_back(ManifestFileJson(file));
  const json::object expected{
      {"manifest", json::object{{"schema", options.schema_json},
                                {"partition_spec", PartitionFieldsJson(options.spec)},
                                {"entries", entry_json}}},
      {"manifest_list", json::object{{"snapshot_id", 2222},
                                     {"parent_snapshot_id", 1111},
                                     {"sequence_number", 4},
                                     {"entries", file_json}}}};
  const bool ok = WriteFile(dir + "/manifest.avro", *manifest) &&
                  WriteFile(dir + "/manifest-list.avro", *list) &&
                  WriteFile(dir + "/expected.json", json::serialize(expected));
  return ok ? 0 : 1;
}

int ReadList(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto files = ReadManifestList(bytes);
  if (!files.ok()) {
    std::cerr << files.status().ToString() << "\n";
    return 1;
  }
  json::array out;
  for (const ManifestFile& file : *files) out.push_back(ManifestFileJson(file));
  std::cout << json::serialize(out) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode == "write") return Write(argv[2]);
  if (mode == "read-manifest-list") return ReadList(argv[2]);
  std::cerr << "usage: o2p_write_sample_manifests write DIR | read-manifest-list FILE\n";
  return 2;
}
