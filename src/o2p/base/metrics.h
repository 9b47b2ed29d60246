// Self-metrics in the Prometheus text exposition format (version 0.0.4).
//
// A MetricsRegistry owns counters, gauges and histograms, each identified by name + labels.
// Registration takes a lock and returns a reference that stays valid for the registry's life;
// hot paths keep that reference and update it lock-free (relaxed atomics).
//
//   MetricsRegistry registry;
//   Counter& requests = registry.GetCounter("otlp2parquet_requests_total",
//                                           "OTLP export requests received",
//                                           {{"signal", "logs"}, {"transport", "http"}});
//   requests.Add();
//   Histogram& latency = registry.GetHistogram("otlp2parquet_request_duration_seconds", "...",
//                                              {}, Histogram::LatencyBuckets());
//   latency.Observe(0.0042);
//   std::string text = registry.RenderPrometheus();   // GET /metrics body
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace o2p {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void Add(int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

/// Cumulative histogram with fixed upper bounds (the +Inf bucket is implicit).
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double value);

  /// 0.5 ms … 10 s, for request and flush latencies in seconds.
  static std::vector<double> LatencyBuckets();

  const std::vector<double>& upper_bounds() const { return bounds_; }
  /// Count of observations <= upper_bounds()[i] (cumulative); index bounds.size() is +Inf.
  uint64_t CumulativeCount(size_t i) const;
  uint64_t count() const;
  double sum() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bucket, not cumulative
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  /// The metric with this name and labels, created on first use. `help` is taken from the first
  /// registration of the name. A name used with two kinds is a programming error (aborts).
  /// Label values are escaped when rendered; names must match [a-zA-Z_:][a-zA-Z0-9_:]*.
  Counter& GetCounter(std::string_view name, std::string_view help,
                      const MetricLabels& labels = {});
  Gauge& GetGauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  Histogram& GetHistogram(std::string_view name, std::string_view help, const MetricLabels& labels,
                          const std::vector<double>& upper_bounds);

  /// Every metric, grouped by name in registration order, with # HELP and # TYPE lines.
  std::string RenderPrometheus() const;

 private:
  struct Family;
  Family& FamilyFor(std::string_view name, std::string_view help, int kind);
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family>> families_;
};

}  // namespace o2p
