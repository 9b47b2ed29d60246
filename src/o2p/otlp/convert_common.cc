// The resource/scope flattener, attribute maps and ids shared by every converter
// (internal/convert_common.h), and TableBatches (convert.h).
#include "o2p/otlp/internal/convert_common.h"

#include <fmt/format.h>

#include "o2p/base/text_codec.h"
#include "o2p/otlp/any_value.h"
#include "o2p/otlp/convert.h"
#include "o2p/otlp/table_schemas.h"

namespace o2p::otlp {

// ---- TableBatches ---------------------------------------------------------------------------

columnar::RecordBatch* TableBatches::Get(Table table) {
  auto& batch = batches_[static_cast<size_t>(table)];
  if (batch == nullptr) batch = columnar::RecordBatch::Make(TableSchema(table));
  return batch.get();
}

size_t TableBatches::MemoryUsage() const {
  size_t total = 0;
  for (const auto& batch : batches_) {
    if (batch != nullptr) total += batch->MemoryUsage();
  }
  return total;
}

namespace internal {

// ---- ids ------------------------------------------------------------------------------------

std::string IdFault::Describe() const {
  // The JSON decoder's reason already names the id ("trace id is not 32 hex digits ...").
  if (!id->error.empty()) return std::string(id->error);
  return fmt::format("{} must be {} bytes, got {}", name, want, id->bytes.size());
}

void AppendId(const Id& id, columnar::StringColumn* column, std::string* scratch) {
  scratch->clear();
  AppendHex(id.bytes, scratch);
  column->Append(*scratch);
}

// ---- attribute maps -------------------------------------------------------------------------

void AttributeWriter::Append(const std::vector<KeyValue>& attributes, columnar::MapColumn* column) {
  auto* values = static_cast<columnar::StringColumn*>(column->items());
  filter_.Reset(attributes);
  for (size_t i = 0; i < attributes.size(); ++i) {
    if (!filter_.Keep(i)) continue;
    const KeyValue& kv = attributes[i];
    column->keys()->Append(kv.key);
    if (kv.value.kind == ValueKind::kString) {
      values->Append(kv.value.string_value);  // the common case needs no copy
      continue;
    }
    text_.clear();
    if (AppendAnyValueText(kv.value, &text_)) {
      values->Append(text_);
    } else {
      values->AppendNull();
    }
  }
  column->FinishRow();
}

void RenderedAttributes::Assign(const std::vector<KeyValue>& attributes, LastWins* filter) {
  entries_.clear();
  text_.clear();
  filter->Reset(attributes);
  for (size_t i = 0; i < attributes.size(); ++i) {
    if (!filter->Keep(i)) continue;
    Entry entry;
    entry.key = attributes[i].key;
    entry.begin = text_.size();
    entry.valid = AppendAnyValueText(attributes[i].value, &text_);
    entry.end = text_.size();
    entries_.push_back(entry);
  }
}

std::optional<std::string_view> RenderedAttributes::Find(std::string_view key) const {
  // Keys are unique after LastWins, so the first match is the only one.
  for (const Entry& entry : entries_) {
    if (entry.key != key) continue;
    if (!entry.valid) return std::nullopt;
    return TextOf(entry);
  }
  return std::nullopt;
}

void RenderedAttributes::AppendTo(columnar::MapColumn* column) const {
  auto* values = static_cast<columnar::StringColumn*>(column->items());
  for (const Entry& entry : entries_) {
    column->keys()->Append(entry.key);
    if (entry.valid) {
      values->Append(TextOf(entry));
    } else {
      values->AppendNull();
    }
  }
  column->FinishRow();
}

// ---- the resource/scope flattener -----------------------------------------------------------

void FlatResource::Assign(const Resource& resource, std::string_view url, LastWins* filter) {
  attributes.Assign(resource.attributes, filter);
  // Semantic-convention keys (OpenTelemetry resource conventions, "service").
  service_name = attributes.Find("service.name").value_or(std::string_view());
  service_namespace = attributes.Find("service.namespace");
  service_instance_id = attributes.Find("service.instance.id");
  schema_url = url;
}

void FlatScope::Assign(const InstrumentationScope& scope, std::string_view url, LastWins* filter) {
  name = scope.name;
  version = scope.version;
  attributes.Assign(scope.attributes, filter);
  schema_url = url;
}

CommonColumns::CommonColumns(columnar::RecordBatch* batch)
    : timestamp_(ColumnNamed<columnar::Int64Column>(batch, "Timestamp")),
      service_name_(ColumnNamed<columnar::StringColumn>(batch, "ServiceName")),
      service_namespace_(ColumnNamed<columnar::StringColumn>(batch, "ServiceNamespace")),
      service_instance_id_(ColumnNamed<columnar::StringColumn>(batch, "ServiceInstanceId")),
      resource_attributes_(ColumnNamed<columnar::MapColumn>(batch, "ResourceAttributes")),
      resource_schema_url_(ColumnNamed<columnar::StringColumn>(batch, "ResourceSchemaUrl")),
      scope_name_(ColumnNamed<columnar::StringColumn>(batch, "ScopeName")),
      scope_version_(ColumnNamed<columnar::StringColumn>(batch, "ScopeVersion")),
      scope_attributes_(ColumnNamed<columnar::MapColumn>(batch, "ScopeAttributes")),
      scope_schema_url_(ColumnNamed<columnar::StringColumn>(batch, "ScopeSchemaUrl")) {}

void CommonColumns::Append(int64_t timestamp_micros, const FlatResource& resource,
                           const FlatScope& scope) {
  timestamp_->Append(timestamp_micros);
  service_name_->Append(resource.service_name);
  AppendOptional(service_namespace_, resource.service_namespace);
  AppendOptional(service_instance_id_, resource.service_instance_id);
  resource.attributes.AppendTo(resource_attributes_);
  resource_schema_url_->Append(resource.schema_url);
  scope_name_->Append(scope.name);
  scope_version_->Append(scope.version);
  scope.attributes.AppendTo(scope_attributes_);
  scope_schema_url_->Append(scope.schema_url);
}

}  // namespace internal
}  // namespace o2p::otlp
