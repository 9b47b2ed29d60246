#include "o2p/storage/routed_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/memory_store.h"

namespace o2p::storage {
namespace {

class RoutedStoreTest : public ::testing::Test {
 protected:
  RoutedStore MakeStore() {
    return RoutedStore({{"logs", &logs, "data/", "s3://b/wh/otel/logs/data/"},
                        {"traces", &traces, "data/", "file:///wh/otel/traces/data/"}});
  }
  o2p::testing::MemoryStore logs;
  o2p::testing::MemoryStore traces;
};

TEST_F(RoutedStoreTest, TheFirstSegmentChoosesTheStoreAndTheRestGoesUnderItsPrefix) {
  RoutedStore store = MakeStore();
  ASSERT_TRUE(store.Put("logs/service_name=a/x.parquet", "L").ok());
  ASSERT_TRUE(store.Put("traces/y.parquet", "T").ok());
  EXPECT_EQ(logs.objects().count("data/service_name=a/x.parquet"), 1u);
  EXPECT_EQ(traces.objects().count("data/y.parquet"), 1u);
  EXPECT_EQ(*store.Get("logs/service_name=a/x.parquet"), "L");
  EXPECT_EQ(store.Describe("logs/service_name=a/x.parquet"),
            "s3://b/wh/otel/logs/data/service_name=a/x.parquet");
  EXPECT_EQ(store.Describe("traces/y.parquet"), "file:///wh/otel/traces/data/y.parquet");
}

TEST_F(RoutedStoreTest, ListMapsKeysBackAndSpansRoutes) {
  RoutedStore store = MakeStore();
  ASSERT_TRUE(store.Put("logs/a/1", "1").ok());
  ASSERT_TRUE(store.Put("logs/b/2", "22").ok());
  ASSERT_TRUE(store.Put("traces/c/3", "333").ok());
  ASSERT_TRUE(logs.Put("metadata/not-data", "x").ok());  // outside the route's prefix
  auto all = store.List("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<ObjectInfo>{{"logs/a/1", 1}, {"logs/b/2", 2}, {"traces/c/3", 3}}));
  auto some = store.List("logs/b");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(*some, (std::vector<ObjectInfo>{{"logs/b/2", 2}}));
  ASSERT_TRUE(store.Delete("logs/a/1").ok());
  EXPECT_EQ(store.Get("logs/a/1").status().code(), StatusCode::kNotFound);
}

TEST_F(RoutedStoreTest, KeysOfNoRouteAreRefused) {
  RoutedStore store = MakeStore();
  const Status put = store.Put("metrics_sum/x.parquet", "x");
  EXPECT_EQ(put.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(put.message(), ::testing::HasSubstr("metrics_sum"));
  EXPECT_EQ(store.Get("metrics_sum/x").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store.Delete("metrics_sum/x").ok());
  EXPECT_EQ(store.Put("../logs/x", "x").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace o2p::storage
