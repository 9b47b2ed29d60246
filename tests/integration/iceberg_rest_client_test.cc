// RestCatalog against tests/fakes/iceberg_catalog.py (started by iceberg_rest_client_test.sh,
// once per authentication mode). Environment: O2P_CATALOG_URI, O2P_CATALOG_AUTH
// (none | sigv4 | oauth2 | token), O2P_CATALOG_SECRET (the token or "id:secret"), and for
// sigv4 AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>

#include "o2p/iceberg/append_commit.h"
#include "o2p/iceberg/avro/manifest.h"
#include "o2p/iceberg/dir_catalog.h"
#include "o2p/iceberg/rest/catalog.h"
#include "support/matchers.h"

namespace o2p::iceberg::rest {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsOk;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string Suffix() {
  const std::string mode = Env("O2P_CATALOG_MODE");
  return mode.empty() ? Env("O2P_CATALOG_AUTH") : mode;
}

TypePtr Primitive(std::string name) {
  auto type = std::make_shared<Type>();
  type->primitive = std::move(name);
  return type;
}

Schema OurSchema() {
  Schema schema;
  auto map = std::make_shared<Type>();
  map->kind = Type::Kind::kMap;
  map->children = {{.id = 4, .name = "key", .required = true, .type = Primitive("string"), .doc = ""},
                   {.id = 5, .name = "value", .required = false, .type = Primitive("string"), .doc = ""}};
  schema.fields = {
      {.id = 1, .name = "Timestamp", .required = true, .type = Primitive("timestamptz"), .doc = ""},
      {.id = 2, .name = "ServiceName", .required = true, .type = Primitive("string"), .doc = ""},
      {.id = 3, .name = "Attributes", .required = true, .type = map, .doc = ""},
  };
  return schema;
}

CreateTableRequest CreateRequest(const std::string& name) {
  CreateTableRequest request;
  request.name = name;
  request.schema = OurSchema();
  request.partition_spec = PartitionSpec{
      .spec_id = 0, .fields = {{.source_id = 1, .field_id = 1000, .name = "Timestamp_day",
                                .transform = "day"}}};
  request.write_order = SortOrder{.order_id = 1, .fields = {{.source_id = 2}}};
  request.properties = {{"format-version", "2"}};
  return request;
}

int64_t RandomSnapshotId() {
  static std::mt19937_64 rng{std::random_device{}()};
  return static_cast<int64_t>(rng() >> 1);
}

CommitTableRequest Append(const TableMetadata& base, int64_t snapshot_id) {
  Snapshot snapshot;
  snapshot.snapshot_id = snapshot_id;
  snapshot.parent_snapshot_id = base.current_snapshot_id;
  snapshot.sequence_number = base.last_sequence_number + 1;
  snapshot.timestamp_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  snapshot.manifest_list = base.location + "/metadata/snap-" + std::to_string(snapshot_id) + ".avro";
  snapshot.schema_id = base.current_schema_id;
  snapshot.summary = {{"operation", "append"}, {"added-data-files", "1"}, {"added-records", "10"}};
  CommitTableRequest request;
  request.requirements = {AssertTableUuid{base.table_uuid},
                          AssertRefSnapshotId{"main", base.current_snapshot_id}};
  request.updates = {AddSnapshot{snapshot},
                     SetSnapshotRef{"main", SnapshotRef{snapshot_id, "branch"}}};
  return request;
}

class RestCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("O2P_CATALOG_URI").empty()) GTEST_SKIP() << "O2P_CATALOG_URI not set";
    if (Env("O2P_CATALOG_URI").starts_with("dir:")) {  // the same tests on DirectoryCatalog
      auto catalog = DirectoryCatalog::Open(Env("O2P_CATALOG_URI").substr(4));
      ASSERT_THAT(catalog, IsOk());
      catalog_ = std::move(*catalog);
      return;
    }
    auto http = storage::http::MakeHttpClient();
    ASSERT_THAT(http, IsOk());
    http_ = std::move(*http);
    storage::aws::CredentialsChainOptions chain{.env = storage::aws::ProcessEnvironment(),
                                                .http = http_.get(),
                                                .now = nullptr};
    credentials_ = storage::aws::MakeDefaultCredentialsChain(chain);
    RestTransportOptions options{.uri = Env("O2P_CATALOG_URI")};
    const std::string auth = Env("O2P_CATALOG_AUTH");
    if (auth == "sigv4") {
      options.signing_name = "glue";
      options.signing_region = "us-east-1";
    } else if (auth == "oauth2") {
      options.credential = Env("O2P_CATALOG_SECRET");
    } else if (auth == "token") {
      options.token = Env("O2P_CATALOG_SECRET");
    }
    auto transport = RestTransport::Make(options, *http_, credentials_.get());
    ASSERT_THAT(transport, IsOk());
    transport_ = std::move(*transport);
    auto catalog = RestCatalog::Connect(*transport_, "o2p-warehouse");
    ASSERT_THAT(catalog, IsOk());
    catalog_ = std::move(*catalog);
  }

  std::unique_ptr<storage::http::HttpClient> http_;
  std::unique_ptr<storage::aws::CredentialsProvider> credentials_;
  std::unique_ptr<RestTransport> transport_;
  std::unique_ptr<Catalog> catalog_;
  bool renumbers_ids() const { return transport_ != nullptr; }
};

TEST_F(RestCatalogTest, CreatesNamespaceAndTableWithTheCatalogsIds) {
  ASSERT_THAT(catalog_->EnsureNamespace({"otel"}), IsOk());
  ASSERT_THAT(catalog_->EnsureNamespace({"otel"}), IsOk());  // already there
  const TableName name{{"otel"}, "logs_" + Suffix()};
  auto created = catalog_->LoadOrCreateTable(name, CreateRequest(name.name));
  ASSERT_THAT(created, IsOk());
  const Schema* schema = created->metadata.CurrentSchema();
  ASSERT_NE(schema, nullptr);
  ASSERT_EQ(schema->fields.size(), 3U);
  // The test catalog numbers fields its own way: we must use what it returned.
  EXPECT_EQ(schema->fields[0].name, "Timestamp");
  if (renumbers_ids()) {
    EXPECT_NE(schema->fields[0].id, 1);
  }
  ASSERT_NE(created->metadata.DefaultSpec(), nullptr);
  EXPECT_EQ(created->metadata.DefaultSpec()->fields.at(0).source_id, schema->fields[0].id);
  EXPECT_TRUE(created->metadata_location.has_value());
  auto again = catalog_->LoadOrCreateTable(name, CreateRequest(name.name));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->metadata.table_uuid, created->metadata.table_uuid);
}

TEST_F(RestCatalogTest, AppendsAndReportsConflicts) {
  ASSERT_THAT(catalog_->EnsureNamespace({"otel"}), IsOk());
  const TableName name{{"otel"}, "traces_" + Suffix()};
  auto table = catalog_->LoadOrCreateTable(name, CreateRequest(name.name));
  ASSERT_THAT(table, IsOk());
  const int64_t first = RandomSnapshotId();
  auto committed = catalog_->CommitTable(name, Append(table->metadata, first));
  ASSERT_THAT(committed, IsOk());
  EXPECT_EQ(committed->metadata.current_snapshot_id, first);
  EXPECT_EQ(committed->metadata.last_sequence_number, table->metadata.last_sequence_number + 1);
  // A second writer that still holds the old metadata loses the race with 409.
  EXPECT_THAT(catalog_->CommitTable(name, Append(table->metadata, RandomSnapshotId())),
              IsError(StatusCode::kAborted));
  auto reloaded = catalog_->LoadTable(name);
  ASSERT_THAT(reloaded, IsOk());
  ASSERT_THAT(catalog_->CommitTable(name, Append(reloaded->metadata, RandomSnapshotId())), IsOk());
}

DataFile SampleFile(const std::string& location, const std::string& name, int64_t rows) {
  DataFile file;
  file.file_path = location + "/data/" + name + ".parquet";
  file.partition = {20427};  // 2025-12-05
  file.record_count = rows;
  file.file_size_in_bytes = 1000 + rows;
  return file;
}

// Every snapshot's parent is the one before it, sequence numbers grow by one, and the current
// snapshot's manifest list holds one manifest per append.
void ExpectLinearHistory(FileIO& io, const TableMetadata& metadata, size_t appends) {
  ASSERT_EQ(metadata.snapshots.size(), appends);
  std::optional<int64_t> parent;
  int64_t sequence = 0;
  std::set<std::string> commit_ids;
  for (const Snapshot& snapshot : metadata.snapshots) {
    EXPECT_EQ(snapshot.parent_snapshot_id, parent);
    EXPECT_EQ(snapshot.sequence_number, sequence + 1);
    EXPECT_TRUE(commit_ids.insert(snapshot.summary.at(std::string(kCommitIdProperty))).second);
    parent = snapshot.snapshot_id;
    sequence = snapshot.sequence_number;
  }
  EXPECT_EQ(metadata.current_snapshot_id, parent);
  auto list = io.Read(metadata.CurrentSnapshot()->manifest_list);
  ASSERT_THAT(list, IsOk());
  auto manifests = avro::ReadManifestList(*list);
  ASSERT_THAT(manifests, IsOk());
  EXPECT_EQ(manifests->size(), appends);
  EXPECT_EQ(metadata.CurrentSnapshot()->summary.at("total-data-files"), std::to_string(2 * appends));
}

TEST_F(RestCatalogTest, AppendsFilesExactlyOnceUnderConcurrency) {
  if (Env("O2P_CATALOG_URI").empty()) GTEST_SKIP();
  ASSERT_THAT(catalog_->EnsureNamespace({"otel"}), IsOk());
  const TableName name{{"otel"}, "metrics_sum_" + Suffix()};
  auto table = catalog_->LoadOrCreateTable(name, CreateRequest(name.name));
  ASSERT_THAT(table, IsOk());
  if (!table->metadata.location.starts_with("file://")) GTEST_SKIP() << "needs a file:// warehouse";
  auto io = MakeLocalFileIO();
  constexpr int kWriters = 4;
  constexpr int kAppendsPerWriter = 5;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kAppendsPerWriter; ++i) {
        const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
        AppendRequest request{name, id,
                              {SampleFile(table->metadata.location, id + "a", 10),
                               SampleFile(table->metadata.location, id + "b", 5)}};
        auto appended = AppendFiles(*catalog_, *io, request);
        EXPECT_THAT(appended, IsOk()) << id;
        if (!appended.ok()) return;
        // The same commit id again (a replay after a crash) adds nothing.
        auto replayed = AppendFiles(*catalog_, *io, request);
        ASSERT_THAT(replayed, IsOk());
        EXPECT_TRUE(replayed->already_committed);
        EXPECT_EQ(replayed->snapshot_id, appended->snapshot_id);
      }
    });
  }
  for (std::thread& t : writers) t.join();
  auto final_table = catalog_->LoadTable(name);
  ASSERT_THAT(final_table, IsOk());
  ExpectLinearHistory(*io, final_table->metadata, kWriters * kAppendsPerWriter);
  EXPECT_EQ(final_table->metadata.CurrentSnapshot()->summary.at("total-records"),
            std::to_string(15 * kWriters * kAppendsPerWriter));
}

TEST_F(RestCatalogTest, MissingTableIsNotFound) {
  EXPECT_THAT(catalog_->LoadTable({{"otel"}, "no_such_table"}), IsError(StatusCode::kNotFound));
}

}  // namespace
}  // namespace o2p::iceberg::rest
