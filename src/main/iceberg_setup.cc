#include "iceberg_setup.h"

#include "o2p/base/log.h"
#include "o2p/base/macros.h"
#include "o2p/iceberg/dir_catalog.h"
#include "o2p/iceberg/vended_credentials.h"
#include "o2p/otlp/signal.h"
#include "o2p/otlp/table_schemas.h"
#include "o2p/storage/routed_store.h"
#include "storage_setup.h"

namespace o2p::cli {
namespace {

std::vector<std::string> NamespaceLevels(const std::string& name) {
  std::vector<std::string> levels;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    levels.push_back(name.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return levels;
}

iceberg::rest::RestTransportOptions TransportOptionsFrom(const config::Config& cfg) {
  const config::IcebergOptions& ice = cfg.iceberg;
  iceberg::rest::RestTransportOptions options;
  options.uri = ice.rest_uri;
  options.signing_name = ice.signing_name;
  options.signing_region = ice.signing_region;
  if (options.signing_region.empty()) options.signing_region = cfg.storage.s3.region;
  if (options.signing_region.empty() && !options.signing_name.empty()) {
    options.signing_region =
        storage::aws::RegionFromEnvironment(storage::aws::ProcessEnvironment()).value_or("");
  }
  options.token = ice.token;
  options.credential = ice.credential;
  options.oauth2_uri = ice.oauth2_uri;
  return options;
}

// The region of an AWS catalog host (glue.<region>.amazonaws.com, s3tables.<region>…): where
// its tables' buckets are when nothing else names a region.
std::string CatalogRegion(const config::Config& cfg) {
  if (!cfg.iceberg.signing_region.empty()) return cfg.iceberg.signing_region;
  for (const std::string_view service : {"://glue.", "://s3tables."}) {
    const size_t at = cfg.iceberg.rest_uri.find(service);
    if (at == std::string::npos) continue;
    const size_t start = at + service.size();
    const size_t end = cfg.iceberg.rest_uri.find('.', start);
    if (end != std::string::npos) return cfg.iceberg.rest_uri.substr(start, end - start);
  }
  return "";
}

const columnar::Schema& OurSchema(std::string_view table) {
  for (const otlp::Table t : otlp::kAllTables) {
    if (otlp::TableName(t) == table) return *otlp::TableSchema(t);
  }
  std::abort();  // IcebergTableNames::All() lists exactly the tables of otlp::kAllTables
}

Status OpenCatalog(const config::Config& cfg, IcebergStack& stack) {
  if (const std::string dir = cfg.iceberg.directory(); !dir.empty()) {
    O2P_ASSIGN_OR_RETURN(stack.catalog, iceberg::DirectoryCatalog::Open(dir));
    return Status::Ok();
  }
  O2P_ASSIGN_OR_RETURN(stack.transport,
                       iceberg::rest::RestTransport::Make(TransportOptionsFrom(cfg), *stack.http,
                                                          stack.credentials.get()));
  auto catalog = iceberg::rest::RestCatalog::Connect(*stack.transport, cfg.iceberg.warehouse,
                                                     cfg.iceberg.access_delegation);
  if (!catalog) {
    return Status(catalog.error().code(),
                  fmt::format("the Iceberg catalog at {} ({}): {}", cfg.iceberg.rest_uri,
                              stack.transport->AuthDescription(), catalog.error().message()));
  }
  stack.catalog = std::move(*catalog);
  return Status::Ok();
}

// The store at a table's location, with the credentials the catalog vended for it (if any)
// and, for AWS catalogs, the catalog's region when nothing else names one.
Result<std::unique_ptr<storage::ObjectStore>> OpenTableStore(const config::Config& cfg,
                                                             const iceberg::TableName& name,
                                                             pipeline::IcebergTable& table,
                                                             IcebergStack& stack,
                                                             MetricsRegistry* metrics) {
  const std::string catalog_region = CatalogRegion(cfg);
  if (!catalog_region.empty() && cfg.storage.s3.region.empty() &&
      !table.storage_properties.contains("client.region") &&
      !table.storage_properties.contains("s3.region") &&
      !storage::aws::RegionFromEnvironment(storage::aws::ProcessEnvironment())) {
    table.storage_properties["client.region"] = catalog_region;
  }
  storage::aws::CredentialsProvider* credentials = stack.credentials.get();
  if (auto vended = iceberg::S3CredentialsFrom(table.storage_properties)) {
    stack.vended_credentials.push_back(iceberg::MakeVendedCredentialsProvider(
        *stack.catalog, name, table.location, std::move(*vended)));
    credentials = stack.vended_credentials.back().get();
  }
  return OpenLocationStore(table.location, cfg, table.storage_properties, *stack.http, *credentials,
                           metrics);
}

// Steps per table: make it ready, open a store at its location, route "{table}/" there.
Status PrepareTables(const config::Config& cfg, IcebergStack& stack, MetricsRegistry* metrics,
                     std::map<std::string, pipeline::IcebergTable, std::less<>>& tables) {
  const std::vector<std::string> levels = NamespaceLevels(cfg.iceberg.namespace_name);
  O2P_RETURN_IF_ERROR(stack.catalog->EnsureNamespace(levels));
  std::vector<storage::StoreRoute> routes;
  std::vector<iceberg::FileIORoot> roots;
  for (const auto& [ours, iceberg_name] : cfg.iceberg.tables.All()) {
    const iceberg::TableName name{levels, iceberg_name};
    O2P_ASSIGN_OR_RETURN(
        pipeline::IcebergTable table,
        pipeline::PrepareIcebergTable(*stack.catalog, name, OurSchema(ours),
                                      {.data_location = cfg.iceberg.data_location}));
    O2P_ASSIGN_OR_RETURN(std::unique_ptr<storage::ObjectStore> store,
                         OpenTableStore(cfg, name, table, stack, metrics));
    LogInfo(
        "Iceberg table ready",
        {{"table", name.ToString()},
         {"location", table.location},
         {"schema_id", table.schema.schema_id},
         {"vended_credentials", iceberg::S3CredentialsFrom(table.storage_properties).has_value()},
         {"added_columns", static_cast<uint64_t>(table.added_columns.size())}});
    routes.push_back({std::string(ours), store.get(), "data/", table.location + "/data/"});
    roots.push_back({table.location, store.get()});
    stack.table_stores.push_back(std::move(store));
    tables.emplace(std::string(ours), std::move(table));
  }
  stack.data_store = std::make_unique<storage::RoutedStore>(std::move(routes));
  stack.io = iceberg::MakeStoreFileIO(std::move(roots));
  return Status::Ok();
}

}  // namespace

Result<IcebergStack> OpenIceberg(const config::Config& cfg, const std::string& instance_id,
                                 MetricsRegistry* metrics) {
  IcebergStack stack;
  O2P_ASSIGN_OR_RETURN(stack.http, storage::http::MakeHttpClient());
  // Looked up lazily: only SigV4 catalogs and s3:// table locations need AWS credentials.
  stack.credentials = storage::aws::MakeDefaultCredentialsChain(
      {.env = storage::aws::ProcessEnvironment(), .http = stack.http.get(), .now = nullptr});
  O2P_RETURN_IF_ERROR(OpenCatalog(cfg, stack));
  std::map<std::string, pipeline::IcebergTable, std::less<>> tables;
  O2P_RETURN_IF_ERROR(PrepareTables(cfg, stack, metrics, tables));
  stack.committer = std::make_unique<pipeline::IcebergCommitter>(
      *stack.catalog, *stack.io, std::move(tables), instance_id, metrics);
  LogInfo("Iceberg catalog connected",
          {{"catalog", stack.transport ? cfg.iceberg.rest_uri : cfg.iceberg.catalog},
           {"auth", stack.transport ? stack.transport->AuthDescription() : "none"},
           {"namespace", cfg.iceberg.namespace_name}});
  return stack;
}

}  // namespace o2p::cli
