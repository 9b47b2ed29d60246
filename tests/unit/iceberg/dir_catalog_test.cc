// The directory catalog's commit rules (requirements, updates, racing writers) and the
// reading of vended credentials.
#include "o2p/iceberg/dir_catalog.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "o2p/iceberg/vended_credentials.h"
#include "support/matchers.h"

namespace o2p::iceberg {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsOk;

CreateTableRequest Create() {
  CreateTableRequest create;
  create.name = "logs";
  auto string_type = std::make_shared<Type>(Type{Type::Kind::kPrimitive, "string", {}});
  auto ts_type = std::make_shared<Type>(Type{Type::Kind::kPrimitive, "timestamptz", {}});
  create.schema.fields = {{1, "Timestamp", true, ts_type, ""}, {2, "Body", false, string_type, ""}};
  create.partition_spec = PartitionSpec{
      0, {{.source_id = 1, .field_id = 1000, .name = "Timestamp_day", .transform = "day"}}};
  return create;
}

CommitTableRequest AppendOn(const TableMetadata& base, int64_t snapshot_id) {
  Snapshot snapshot;
  snapshot.snapshot_id = snapshot_id;
  snapshot.parent_snapshot_id = base.current_snapshot_id;
  snapshot.sequence_number = base.last_sequence_number + 1;
  snapshot.manifest_list = base.location + "/metadata/snap.avro";
  snapshot.summary = {{"operation", "append"}};
  CommitTableRequest request;
  request.requirements = {AssertTableUuid{base.table_uuid},
                          AssertRefSnapshotId{"main", base.current_snapshot_id}};
  request.updates = {AddSnapshot{snapshot}, SetSnapshotRef{"main", {snapshot_id, "branch"}}};
  return request;
}

class DirectoryCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/o2p-dir-catalog-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    auto catalog = DirectoryCatalog::Open(root_);
    ASSERT_THAT(catalog, IsOk());
    catalog_ = std::move(*catalog);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string Hint() const {
    std::ifstream in(root_ + "/otel/logs/metadata/version-hint.text");
    std::string text;
    std::getline(in, text);
    return text;
  }
  std::string root_;
  std::unique_ptr<DirectoryCatalog> catalog_;
  const TableName name_{{"otel"}, "logs"};
};

TEST_F(DirectoryCatalogTest, CreatesOnceAndPublishesOneVersionPerCommit) {
  ASSERT_THAT(catalog_->EnsureNamespace({"otel"}), IsOk());
  EXPECT_THAT(catalog_->LoadTable(name_), IsError(StatusCode::kNotFound));
  auto created = catalog_->LoadOrCreateTable(name_, Create());
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->metadata.location, "file://" + root_ + "/otel/logs");
  EXPECT_EQ(created->metadata.last_column_id, 2);
  EXPECT_EQ(Hint(), "1");
  auto again = catalog_->LoadOrCreateTable(name_, Create());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->metadata.table_uuid, created->metadata.table_uuid);

  auto committed = catalog_->CommitTable(name_, AppendOn(created->metadata, 11));
  ASSERT_THAT(committed, IsOk());
  EXPECT_EQ(committed->metadata.current_snapshot_id, 11);
  EXPECT_EQ(committed->metadata.last_sequence_number, 1);
  EXPECT_EQ(*committed->metadata_location,
            "file://" + root_ + "/otel/logs/metadata/v2.metadata.json");
  EXPECT_EQ(Hint(), "2");
  // A writer still holding version 1 loses.
  EXPECT_THAT(catalog_->CommitTable(name_, AppendOn(created->metadata, 12)),
              IsError(StatusCode::kAborted));
}

TEST_F(DirectoryCatalogTest, AStaleHintIsSkippedOver) {
  auto created = catalog_->LoadOrCreateTable(name_, Create());
  ASSERT_THAT(created, IsOk());
  ASSERT_THAT(catalog_->CommitTable(name_, AppendOn(created->metadata, 21)), IsOk());
  std::ofstream(root_ + "/otel/logs/metadata/version-hint.text") << "1";  // as after a crash
  auto loaded = catalog_->LoadTable(name_);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->metadata.current_snapshot_id, 21);
}

TEST_F(DirectoryCatalogTest, RacingWritersEachLandOnceOnALinearHistory) {
  ASSERT_THAT(catalog_->LoadOrCreateTable(name_, Create()), IsOk());
  constexpr int kWriters = 4;
  constexpr int kCommits = 10;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto catalog = DirectoryCatalog::Open(root_);  // its own instance, as another process
      ASSERT_THAT(catalog, IsOk());
      for (int i = 0; i < kCommits; ++i) {
        while (true) {
          auto base = (*catalog)->LoadTable(name_);
          ASSERT_THAT(base, IsOk());
          auto done = (*catalog)->CommitTable(name_, AppendOn(base->metadata, 1000 * (w + 1) + i));
          if (done.ok()) break;
          ASSERT_EQ(done.error().code(), StatusCode::kAborted) << done.error().message();
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  auto final_table = catalog_->LoadTable(name_);
  ASSERT_THAT(final_table, IsOk());
  const TableMetadata& metadata = final_table->metadata;
  ASSERT_EQ(metadata.snapshots.size(), static_cast<size_t>(kWriters * kCommits));
  std::optional<int64_t> parent;
  for (size_t i = 0; i < metadata.snapshots.size(); ++i) {
    EXPECT_EQ(metadata.snapshots[i].parent_snapshot_id, parent);
    EXPECT_EQ(metadata.snapshots[i].sequence_number, static_cast<int64_t>(i + 1));
    parent = metadata.snapshots[i].snapshot_id;
  }
  EXPECT_EQ(Hint(), std::to_string(kWriters * kCommits + 1));
}

TEST(ApplyCommitTest, SchemaUpdatesAndTheirGuards) {
  TableMetadata base = NewTableMetadata(Create(), "file:///t", 1);
  Schema wider = base.schemas[0];
  auto long_type = std::make_shared<Type>(Type{Type::Kind::kPrimitive, "long", {}});
  wider.fields.push_back({3, "Count", false, long_type, ""});
  CommitTableRequest request;
  request.requirements = {AssertCurrentSchemaId{0}, AssertLastAssignedFieldId{2}};
  request.updates = {AddSchema{wider, 3}, SetCurrentSchema{-1}};
  auto next = ApplyCommit(base, request, 2);
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->current_schema_id, 1);
  EXPECT_EQ(next->last_column_id, 3);
  EXPECT_EQ(next->schemas.size(), 2u);
  EXPECT_THAT(ApplyCommit(*next, request, 3), IsError(StatusCode::kAborted));
  CommitTableRequest unknown;
  unknown.updates = {SetCurrentSchema{7}};
  EXPECT_THAT(ApplyCommit(base, unknown, 3), IsError(StatusCode::kInvalidArgument));
}

TEST(VendedCredentialsTest, TheLongestMatchingPrefixWinsOverTableConfig) {
  LoadTableResult table;
  table.config = {{"s3.access-key-id", "old"},
                  {"s3.secret-access-key", "old-secret"},
                  {"client.region", "eu-west-1"}};
  table.storage_credentials = {
      {"s3://bucket/", {{"s3.access-key-id", "bucket-key"}, {"s3.secret-access-key", "b"}}},
      {"s3://bucket/wh/otel/logs",
       {{"s3.access-key-id", "table-key"},
        {"s3.secret-access-key", "t"},
        {"s3.session-token", "tok"},
        {"s3.session-token-expires-at-ms", "1764892800000"}}},
      {"s3://other/", {{"s3.access-key-id", "other-key"}, {"s3.secret-access-key", "o"}}}};
  const auto properties = StorageProperties(table, "s3://bucket/wh/otel/logs");
  EXPECT_EQ(properties.at("client.region"), "eu-west-1");
  auto credentials = S3CredentialsFrom(properties);
  ASSERT_TRUE(credentials.has_value());
  EXPECT_EQ(credentials->access_key_id, "table-key");
  EXPECT_EQ(credentials->session_token, "tok");
  ASSERT_TRUE(credentials->expiration.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(
                credentials->expiration->time_since_epoch())
                .count(),
            1764892800000);
  EXPECT_FALSE(S3CredentialsFrom({{"s3.access-key-id", "only-a-key"}}).has_value());
}

}  // namespace
}  // namespace o2p::iceberg
