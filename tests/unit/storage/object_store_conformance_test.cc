// The ObjectStore contract (storage/object_store.h), written once and run against every
// implementation: the local directory store, the in-memory test store, and the S3 store
// against moto_server. The S3 instance needs O2P_TEST_S3_ENDPOINT and O2P_TEST_S3_BUCKET
// (tests/integration/s3_store_test.sh starts moto and sets them); without them it is skipped.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <thread>

#include <unistd.h>

#include "o2p/storage/aws/credentials.h"
#include "o2p/storage/local_store.h"
#include "o2p/storage/s3/s3_store.h"
#include "support/matchers.h"
#include "support/memory_store.h"

namespace o2p::storage {
namespace {

using ::o2p::testing::IsError;
using ::o2p::testing::IsOk;

// Creates a store whose keys no other test sees; `name` is unique per test.
struct StoreFactory {
  std::string label;
  std::function<std::unique_ptr<ObjectStore>(const std::string& name)> make;
  /// Files from this size on take a different path (S3 multipart); 0 when not applicable.
  size_t large_object_bytes = 0;
};

std::string TestName() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->name()) + "-" + std::to_string(::getpid());
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return name;
}

StoreFactory LocalFactory() {
  return {"local", [](const std::string& name) -> std::unique_ptr<ObjectStore> {
            const auto root = std::filesystem::temp_directory_path() / ("o2p-conformance-" + name);
            std::filesystem::remove_all(root);
            return std::make_unique<LocalStore>(root.string());
          }};
}

StoreFactory MemoryFactory() {
  return {"memory", [](const std::string&) -> std::unique_ptr<ObjectStore> {
            return std::make_unique<o2p::testing::MemoryStore>();
          }};
}

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

// The S3 store owns its HTTP client and credentials here, so the test sees one object.
class OwningS3Store final : public ObjectStore {
 public:
  static std::unique_ptr<ObjectStore> Make(const std::string& name) {
    auto owner = std::unique_ptr<OwningS3Store>(new OwningS3Store());
    auto http = http::MakeHttpClient();
    if (!http.ok()) return nullptr;
    owner->http_ = std::move(*http);
    owner->credentials_ = aws::MakeStaticCredentials({.access_key_id = EnvOr("O2P_TEST_S3_ACCESS_KEY", "test"),
                                                      .secret_access_key = EnvOr("O2P_TEST_S3_SECRET_KEY", "test"),
                                                      .session_token = "",
                                                      .expiration = std::nullopt});
    s3::S3StoreOptions options;
    options.client.bucket = std::getenv("O2P_TEST_S3_BUCKET");
    options.client.endpoint = std::getenv("O2P_TEST_S3_ENDPOINT");
    options.client.region = "us-east-1";
    options.prefix = "conformance/" + name;
    options.multipart_threshold = size_t{5} << 20;
    options.part_size = size_t{5} << 20;
    auto store = s3::S3Store::Make(options, *owner->http_, *owner->credentials_);
    if (!store.ok()) return nullptr;
    owner->store_ = std::move(*store);
    return owner;
  }
  Status Put(std::string_view key, std::string_view data) override { return store_->Put(key, data); }
  Result<std::string> Get(std::string_view key) override { return store_->Get(key); }
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override {
    return store_->List(prefix);
  }
  Status Delete(std::string_view key) override { return store_->Delete(key); }
  Status CheckAvailable() override { return store_->CheckAvailable(); }
  std::string Describe(std::string_view key) const override { return store_->Describe(key); }

 private:
  OwningS3Store() = default;
  std::unique_ptr<http::HttpClient> http_;
  std::unique_ptr<aws::CredentialsProvider> credentials_;
  std::unique_ptr<s3::S3Store> store_;
};

StoreFactory S3Factory() {
  return {"s3", &OwningS3Store::Make, size_t{12} << 20};
}

bool S3Configured() {
  return std::getenv("O2P_TEST_S3_ENDPOINT") != nullptr &&
         std::getenv("O2P_TEST_S3_BUCKET") != nullptr;
}

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string data(n, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  return data;
}

class ObjectStoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    if (GetParam().label == "s3" && !S3Configured()) {
      GTEST_SKIP() << "O2P_TEST_S3_ENDPOINT / O2P_TEST_S3_BUCKET not set";
    }
    store_ = GetParam().make(TestName());
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<ObjectStore> store_;
};

TEST_P(ObjectStoreConformance, PutThenGetReturnsTheSameBytes) {
  const std::string data = RandomBytes(100000, 1) + std::string("\0tail", 5);
  ASSERT_THAT(store_->Put("logs/service_name=a/x.parquet", data), IsOk());
  auto read = store_->Get("logs/service_name=a/x.parquet");
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(*read, data);
}

TEST_P(ObjectStoreConformance, EmptyObject) {
  ASSERT_THAT(store_->Put("empty", ""), IsOk());
  auto read = store_->Get("empty");
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(*read, "");
  auto listed = store_->List("empty");
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->front().size, 0U);
}

TEST_P(ObjectStoreConformance, PutReplacesTheObject) {
  ASSERT_THAT(store_->Put("k", "first version, longer"), IsOk());
  ASSERT_THAT(store_->Put("k", "second"), IsOk());
  auto read = store_->Get("k");
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(*read, "second");
}

TEST_P(ObjectStoreConformance, GetOfAMissingObjectIsNotFound) {
  EXPECT_THAT(store_->Get("never/written"), IsError(StatusCode::kNotFound));
}

TEST_P(ObjectStoreConformance, ListFiltersByPrefixAndSortsByKey) {
  for (const char* key : {"b/2", "a/1", "b/1", "ab/3", "c"}) {
    ASSERT_THAT(store_->Put(key, key), IsOk()) << key;
  }
  auto b = store_->List("b/");
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(*b, (std::vector<ObjectInfo>{{"b/1", 3}, {"b/2", 3}}));
  auto a = store_->List("a");
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(*a, (std::vector<ObjectInfo>{{"a/1", 3}, {"ab/3", 4}}));
  auto all = store_->List("");
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->size(), 5U);
  auto none = store_->List("zzz");
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());
}

TEST_P(ObjectStoreConformance, DeleteRemovesAndToleratesMissing) {
  ASSERT_THAT(store_->Put("d/x", "1"), IsOk());
  ASSERT_THAT(store_->Delete("d/x"), IsOk());
  EXPECT_THAT(store_->Get("d/x"), IsError(StatusCode::kNotFound));
  EXPECT_THAT(store_->Delete("d/x"), IsOk());
  EXPECT_THAT(store_->Delete("d/never"), IsOk());
}

TEST_P(ObjectStoreConformance, KeysWithSpecialCharactersRoundTrip) {
  const std::vector<std::string> keys = {
      "logs/service_name=my service/date=2026-12-05/hour=07/f.parquet",
      "logs/service_name=caf\xC3\xA9 \xE2\x9C\x93/x.parquet",
      "t/a+b=c&d%20e~f!$'()*,;@.parquet",
  };
  for (const std::string& key : keys) {
    ASSERT_THAT(store_->Put(key, key), IsOk()) << key;
    auto read = store_->Get(key);
    ASSERT_THAT(read, IsOk()) << key;
    EXPECT_EQ(*read, key);
  }
  auto listed = store_->List("");
  ASSERT_THAT(listed, IsOk());
  std::vector<std::string> listed_keys;
  for (const ObjectInfo& info : *listed) listed_keys.push_back(info.key);
  std::vector<std::string> expected = keys;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(listed_keys, expected);
}

TEST_P(ObjectStoreConformance, InvalidKeysAreRejected) {
  for (const char* key : {"", "/abs", "../x", "a/../b", "a//b", "a/./b", "a/"}) {
    EXPECT_THAT(store_->Put(key, "x"), IsError(StatusCode::kInvalidArgument)) << key;
  }
}

TEST_P(ObjectStoreConformance, LargeObjectRoundTrips) {
  const size_t size = std::max<size_t>(GetParam().large_object_bytes, size_t{3} << 20) + 12345;
  const std::string data = RandomBytes(size, 7);
  ASSERT_THAT(store_->Put("large/object.parquet", data), IsOk());
  auto read = store_->Get("large/object.parquet");
  ASSERT_THAT(read, IsOk());
  EXPECT_TRUE(*read == data) << "sizes " << read->size() << " vs " << data.size();
}

TEST_P(ObjectStoreConformance, ConcurrentPutsAllLand) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::string key = "c/" + std::to_string(t) + "/" + std::to_string(i);
        EXPECT_THAT(store_->Put(key, RandomBytes(1000 + static_cast<size_t>(t * i), 9)), IsOk());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  auto listed = store_->List("c/");
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->size(), 40U);
}

TEST_P(ObjectStoreConformance, AvailableAndDescribed) {
  EXPECT_THAT(store_->CheckAvailable(), IsOk());
  EXPECT_NE(store_->Describe("logs/x.parquet").find("logs/x.parquet"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Stores, ObjectStoreConformance,
                         ::testing::Values(LocalFactory(), MemoryFactory(), S3Factory()),
                         [](const ::testing::TestParamInfo<StoreFactory>& param_info) {
                           return param_info.param.label;
                         });

}  // namespace
}  // namespace o2p::storage
