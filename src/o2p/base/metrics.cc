#include "o2p/base/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <system_error>

#include <fmt/format.h>

namespace o2p {
namespace {

enum Kind : int { kCounter = 0, kGauge = 1, kHistogram = 2 };

constexpr std::string_view KindName(int kind) {
  switch (kind) {
    case kCounter: return "counter";
    case kGauge: return "gauge";
    default: return "histogram";
  }
}

// Misuse of the registry is a bug in the caller's code, not a runtime condition, so it stops the
// process loudly instead of rendering an exposition that Prometheus would reject.
[[noreturn]] void Fatal(std::string_view what, std::string_view name) {
  std::fprintf(stderr, "MetricsRegistry: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(name.size()), name.data());
  std::abort();
}

bool IsNameChar(char c, bool first, bool allow_colon) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (alpha || (allow_colon && c == ':')) return true;
  return !first && c >= '0' && c <= '9';
}

bool IsValidName(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i], i == 0, allow_colon)) return false;
  }
  return true;
}

void CheckLabels(std::string_view metric, const MetricLabels& labels, int kind) {
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i].first;
    // Names starting with "__" are reserved for Prometheus itself.
    if (!IsValidName(label, false) || label.starts_with("__")) Fatal("bad label name", label);
    if (kind == kHistogram && label == "le") Fatal("histogram label 'le' is reserved", metric);
    for (size_t j = 0; j < i; ++j) {
      if (labels[j].first == label) Fatal("duplicate label", label);
    }
  }
}

// Series are identified by their label set, so {a,b} and {b,a} name the same series.
MetricLabels SortedLabels(const MetricLabels& labels) {
  MetricLabels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// Formats like Go's strconv.FormatFloat(v, 'g', -1, 64), which the Prometheus client libraries
// use for sample values and `le` labels: the shortest digits that round-trip, in exponent form
// when the decimal exponent is < -4 or >= 6 (Go decides with precision 6 when printing the
// shortest form), e.g. 0.005, 1, 2.5, 100000, 1e+06, 1e-05.
void AppendFloat(double v, std::string* out) {
  if (std::isnan(v)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(v)) {
    out->append(v > 0 ? "+Inf" : "-Inf");
    return;
  }
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  const std::string_view text(buf, static_cast<size_t>(sci.ptr - buf));
  const size_t e = text.find('e');
  int exponent = 0;
  std::from_chars(text.data() + e + 1 + (text[e + 1] == '+' ? 1 : 0), text.data() + text.size(),
                  exponent);
  if (exponent < -4 || exponent >= 6) {
    out->append(text);
    return;
  }
  auto fixed = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  out->append(buf, static_cast<size_t>(fixed.ptr - buf));
}

void AppendEscaped(std::string_view text, bool escape_quote, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '"':
        if (escape_quote) {
          out->append("\\\"");
        } else {
          out->push_back(c);
        }
        break;
      default: out->push_back(c);
    }
  }
}

// `name{l1="v1",l2="v2",le="0.5"}`; the braces are left out when there is no label at all.
void AppendSeriesName(std::string_view name, std::string_view suffix, const MetricLabels& labels,
                      const std::string* le, std::string* out) {
  out->append(name);
  out->append(suffix);
  if (labels.empty() && le == nullptr) return;
  out->push_back('{');
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) out->push_back(',');
    first = false;
    out->append(key);
    out->append("=\"");
    AppendEscaped(value, true, out);
    out->push_back('"');
  }
  if (le != nullptr) {
    if (!first) out->push_back(',');
    out->append("le=\"");
    out->append(*le);
    out->push_back('"');
  }
  out->push_back('}');
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Histogram

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  // +Inf is implicit and NaN is no bound; sorting makes the buckets well-formed whatever order
  // the caller listed them in.
  std::erase_if(bounds_, [](double b) { return std::isnan(b) || std::isinf(b); });
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  // Value-initialized: C++20 atomics start at zero.
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::Observe(double value) {
  // Bucket i holds bounds_[i-1] < value <= bounds_[i]; NaN goes to +Inf like in client_golang.
  size_t i = bounds_.size();
  if (!std::isnan(value)) {
    i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                            bounds_.begin());
  }
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  double old_sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(old_sum, old_sum + value, std::memory_order_relaxed)) {
  }
}

std::vector<double> Histogram::LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

uint64_t Histogram::CumulativeCount(size_t i) const {
  const size_t last = std::min(i, bounds_.size());
  uint64_t total = 0;
  for (size_t b = 0; b <= last; ++b) total += buckets_[b].load(std::memory_order_relaxed);
  return total;
}

uint64_t Histogram::count() const { return count_.load(std::memory_order_relaxed); }

double Histogram::sum() const { return sum_.load(std::memory_order_relaxed); }

// ---------------------------------------------------------------------------------------------
// MetricsRegistry

struct MetricsRegistry::Family {
  struct Series {
    MetricLabels labels;         // as first registered, the order they are rendered in
    MetricLabels sorted_labels;  // the identity of the series
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
  };

  Series* Find(const MetricLabels& sorted) {
    for (Series& s : series) {
      if (s.sorted_labels == sorted) return &s;
    }
    return nullptr;
  }

  Series& Add(const MetricLabels& labels, MetricLabels sorted) {
    series.push_back(Series{labels, std::move(sorted), nullptr, nullptr, nullptr});
    return series.back();
  }

  /// The series' metric in `slot`, created with `make()` when the labels are new.
  template <typename Metric, typename Make>
  Metric& FindOrAdd(const MetricLabels& labels, std::unique_ptr<Metric> Series::*slot, Make make) {
    MetricLabels sorted = SortedLabels(labels);
    if (Series* s = Find(sorted)) return *(s->*slot);
    CheckLabels(name, labels, kind);
    Series& added = Add(labels, std::move(sorted));
    added.*slot = make();
    return *(added.*slot);
  }

  std::string name;
  std::string help;
  int kind = kCounter;
  // A deque would do too; unique_ptr members already keep the metrics themselves in place.
  std::vector<Series> series;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family& MetricsRegistry::FamilyFor(std::string_view name, std::string_view help,
                                                    int kind) {
  for (auto& family : families_) {
    if (family->name != name) continue;
    if (family->kind != kind) Fatal("metric registered with two kinds", name);
    return *family;
  }
  if (!IsValidName(name, true)) Fatal("bad metric name", name);
  auto family = std::make_unique<Family>();
  family->name = std::string(name);
  family->help = std::string(help);
  family->kind = kind;
  families_.push_back(std::move(family));
  return *families_.back();
}

Counter& MetricsRegistry::GetCounter(std::string_view name, std::string_view help,
                                     const MetricLabels& labels) {
  std::lock_guard lock(mu_);
  return FamilyFor(name, help, kCounter).FindOrAdd(labels, &Family::Series::counter, [] {
    return std::make_unique<Counter>();
  });
}

Gauge& MetricsRegistry::GetGauge(std::string_view name, std::string_view help,
                                 const MetricLabels& labels) {
  std::lock_guard lock(mu_);
  return FamilyFor(name, help, kGauge).FindOrAdd(labels, &Family::Series::gauge, [] {
    return std::make_unique<Gauge>();
  });
}

Histogram& MetricsRegistry::GetHistogram(std::string_view name, std::string_view help,
                                         const MetricLabels& labels,
                                         const std::vector<double>& upper_bounds) {
  std::lock_guard lock(mu_);
  // An existing series keeps the bounds it was created with.
  return FamilyFor(name, help, kHistogram).FindOrAdd(labels, &Family::Series::histogram, [&] {
    return std::make_unique<Histogram>(upper_bounds);
  });
}

namespace {

void AppendHistogram(std::string_view name, const MetricLabels& labels, const Histogram& h,
                     std::string* out) {
  const std::vector<double>& bounds = h.upper_bounds();
  std::string le;
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds.size(); ++i) {
    // Rendered from the bucket counts alone so that the +Inf bucket and _count always agree,
    // even while other threads are observing.
    cumulative = h.CumulativeCount(i);
    le.clear();
    if (i < bounds.size()) {
      AppendFloat(bounds[i], &le);
    } else {
      le = "+Inf";
    }
    AppendSeriesName(name, "_bucket", labels, &le, out);
    fmt::format_to(std::back_inserter(*out), " {}\n", cumulative);
  }
  AppendSeriesName(name, "_sum", labels, nullptr, out);
  out->push_back(' ');
  AppendFloat(h.sum(), out);
  out->push_back('\n');
  AppendSeriesName(name, "_count", labels, nullptr, out);
  fmt::format_to(std::back_inserter(*out), " {}\n", cumulative);
}

}  // namespace

std::string MetricsRegistry::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& family : families_) {
    out.append("# HELP ");
    out.append(family->name);
    if (!family->help.empty()) out.push_back(' ');
    AppendEscaped(family->help, false, &out);
    fmt::format_to(std::back_inserter(out), "\n# TYPE {} {}\n", family->name,
                   KindName(family->kind));
    for (const Family::Series& s : family->series) {
      if (family->kind == kHistogram) {
        AppendHistogram(family->name, s.labels, *s.histogram, &out);
        continue;
      }
      AppendSeriesName(family->name, "", s.labels, nullptr, &out);
      if (family->kind == kCounter) {
        fmt::format_to(std::back_inserter(out), " {}\n", s.counter->value());
      } else {
        fmt::format_to(std::back_inserter(out), " {}\n", s.gauge->value());
      }
    }
  }
  return out;
}

}  // namespace o2p
