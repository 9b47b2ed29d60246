#include "o2p/base/metrics.h"

#include <limits>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace o2p {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, RendersCountersGaugesAndHistograms) {
  MetricsRegistry registry;
  registry
      .GetCounter("o2p_requests_total", "Requests received",
                  {{"signal", "logs"}, {"transport", "http"}})
      .Add(3);
  registry.GetGauge("o2p_queue_bytes", "Bytes queued").Set(-42);
  Histogram& flush = registry.GetHistogram("o2p_flush_seconds", "Flush latency",
                                           {{"table", "logs"}}, {0.005, 0.5, 1});
  registry
      .GetCounter("o2p_requests_total", "ignored: help of the first registration wins",
                  {{"signal", "traces"}, {"transport", "grpc"}})
      .Add();
  // Powers of two, so that the sum is exact.
  flush.Observe(0.00390625);
  flush.Observe(0.5);  // a bound belongs to its own bucket (le = less or equal)
  flush.Observe(0.75);
  flush.Observe(3);

  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP o2p_requests_total Requests received\n"
            "# TYPE o2p_requests_total counter\n"
            "o2p_requests_total{signal=\"logs\",transport=\"http\"} 3\n"
            "o2p_requests_total{signal=\"traces\",transport=\"grpc\"} 1\n"
            "# HELP o2p_queue_bytes Bytes queued\n"
            "# TYPE o2p_queue_bytes gauge\n"
            "o2p_queue_bytes -42\n"
            "# HELP o2p_flush_seconds Flush latency\n"
            "# TYPE o2p_flush_seconds histogram\n"
            "o2p_flush_seconds_bucket{table=\"logs\",le=\"0.005\"} 1\n"
            "o2p_flush_seconds_bucket{table=\"logs\",le=\"0.5\"} 2\n"
            "o2p_flush_seconds_bucket{table=\"logs\",le=\"1\"} 3\n"
            "o2p_flush_seconds_bucket{table=\"logs\",le=\"+Inf\"} 4\n"
            "o2p_flush_seconds_sum{table=\"logs\"} 4.25390625\n"
            "o2p_flush_seconds_count{table=\"logs\"} 4\n");
}

TEST(MetricsTest, EmptyRegistryRendersNothing) {
  MetricsRegistry registry;
  EXPECT_EQ(registry.RenderPrometheus(), "");
}

TEST(MetricsTest, FormatsBoundsAndSumsLikePrometheus) {
  MetricsRegistry registry;
  Histogram& h = registry.GetHistogram("h", "", {}, {1e-5, 0.0005, 2.5, 123456.5, 1e6, 1234567});
  h.Observe(-0.5);
  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP h\n"
            "# TYPE h histogram\n"
            "h_bucket{le=\"1e-05\"} 1\n"
            "h_bucket{le=\"0.0005\"} 1\n"
            "h_bucket{le=\"2.5\"} 1\n"
            "h_bucket{le=\"123456.5\"} 1\n"
            "h_bucket{le=\"1e+06\"} 1\n"
            "h_bucket{le=\"1.234567e+06\"} 1\n"
            "h_bucket{le=\"+Inf\"} 1\n"
            "h_sum -0.5\n"
            "h_count 1\n");
}

TEST(MetricsTest, LatencyBucketsRenderAsPrometheusDoes) {
  MetricsRegistry registry;
  registry.GetHistogram("lat_seconds", "Latency", {}, Histogram::LatencyBuckets());
  const std::string text = registry.RenderPrometheus();
  for (const char* le : {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                         "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"}) {
    EXPECT_THAT(text, HasSubstr(std::string("lat_seconds_bucket{le=\"") + le + "\"} 0\n"));
  }
  EXPECT_THAT(text, HasSubstr("lat_seconds_sum 0\nlat_seconds_count 0\n"));
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  registry.GetCounter("c_total", "first line\nback\\slash \"quoted\"", {{"path", "a\\b\"c\nd"}});
  EXPECT_EQ(registry.RenderPrometheus(),
            "# HELP c_total first line\\nback\\\\slash \"quoted\"\n"
            "# TYPE c_total counter\n"
            "c_total{path=\"a\\\\b\\\"c\\nd\"} 0\n");
}

TEST(MetricsTest, SameNameAndLabelsReturnTheSameMetric) {
  MetricsRegistry registry;
  Counter& a = registry.GetCounter("c_total", "help", {{"x", "1"}, {"y", "2"}});
  EXPECT_EQ(&a, &registry.GetCounter("c_total", "help", {{"x", "1"}, {"y", "2"}}));
  // A series is a label set: the order labels are listed in does not matter.
  EXPECT_EQ(&a, &registry.GetCounter("c_total", "help", {{"y", "2"}, {"x", "1"}}));
  EXPECT_NE(&a, &registry.GetCounter("c_total", "help", {{"x", "1"}, {"y", "3"}}));
  EXPECT_NE(&a, &registry.GetCounter("c_total", "help"));

  Gauge& g = registry.GetGauge("g", "help");
  EXPECT_EQ(&g, &registry.GetGauge("g", "help"));
  Histogram& h = registry.GetHistogram("h", "help", {}, {1, 2});
  Histogram& again = registry.GetHistogram("h", "help", {}, {5});
  EXPECT_EQ(&h, &again);
  EXPECT_EQ(again.upper_bounds(), (std::vector<double>{1, 2}));
}

TEST(MetricsTest, HistogramNormalizesBounds) {
  Histogram h(
      {2, std::numeric_limits<double>::infinity(), 1, 2, std::numeric_limits<double>::quiet_NaN()});
  EXPECT_EQ(h.upper_bounds(), (std::vector<double>{1, 2}));
  h.Observe(1.5);
  h.Observe(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(h.CumulativeCount(0), 0u);
  EXPECT_EQ(h.CumulativeCount(1), 1u);
  EXPECT_EQ(h.CumulativeCount(2), 2u);  // NaN counts in +Inf only
  EXPECT_EQ(h.count(), 2u);
}

TEST(MetricsDeathTest, NameUsedWithTwoKindsAborts) {
  MetricsRegistry registry;
  registry.GetCounter("dual", "help");
  EXPECT_DEATH(registry.GetGauge("dual", "help"), "two kinds");
}

TEST(MetricsDeathTest, InvalidNamesAbort) {
  MetricsRegistry registry;
  EXPECT_DEATH(registry.GetCounter("1bad", "help"), "bad metric name");
  EXPECT_DEATH(registry.GetCounter("ok", "help", {{"bad-label", "v"}}), "bad label name");
  EXPECT_DEATH(registry.GetHistogram("h", "help", {{"le", "1"}}, {1}), "reserved");
}

TEST(MetricsTest, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry registry;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry, t] {
      // Every thread registers too, to exercise the registration lock.
      Counter& c = registry.GetCounter("c_total", "help", {{"k", "v"}});
      Gauge& g = registry.GetGauge("g", "help");
      Histogram& h = registry.GetHistogram("h", "help", {}, {1});
      for (int i = 0; i < kPerThread; ++i) {
        c.Add(2);
        g.Add(t % 2 == 0 ? 3 : -1);
        h.Observe(t % 2 == 0 ? 0.5 : 2.0);
        if (i % 20000 == 0) (void)registry.RenderPrometheus();
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(registry.GetCounter("c_total", "help", {{"k", "v"}}).value(),
            uint64_t{2} * kThreads * kPerThread);
  EXPECT_EQ(registry.GetGauge("g", "help").value(), int64_t{2} * kPerThread * (3 - 1));
  const Histogram& h = registry.GetHistogram("h", "help", {}, {1});
  EXPECT_EQ(h.count(), uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(h.CumulativeCount(0), uint64_t{2} * kPerThread);
  EXPECT_EQ(h.CumulativeCount(1), uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(h.sum(), 2.0 * kPerThread * (0.5 + 2.0));  // exact: all partial sums are dyadic
}

}  // namespace
}  // namespace o2p
