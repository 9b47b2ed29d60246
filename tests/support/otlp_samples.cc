#include "support/otlp_samples.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

namespace o2p::testing {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace logs = opentelemetry::proto::logs::v1;
namespace trace = opentelemetry::proto::trace::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
namespace resource = opentelemetry::proto::resource::v1;

constexpr uint64_t kBaseNanos = 1732540800123456789ULL;  // 2024-11-25T13:20:00.123456789Z
const std::string kTraceId("\x5b\x8e\xff\xf7\x98\x03\x81\x03\xd2\x69\xb6\x33\x81\x3f\xc6\x0c", 16);
const std::string kSpanId("\xee\xe1\x9b\x7e\xc3\xc1\xb1\x74", 8);

void AddString(google::protobuf::RepeatedPtrField<common::KeyValue>* kvs, const std::string& k,
               const std::string& v) {
  auto* kv = kvs->Add();
  kv->set_key(k);
  kv->mutable_value()->set_string_value(v);
}

// Every AnyValue kind, nested arrays and kvlists included.
void AddEveryValueKind(google::protobuf::RepeatedPtrField<common::KeyValue>* kvs) {
  AddString(kvs, "str", "h\xc3\xa9llo \"w\xc3\xb6rld\"\n\xf0\x9f\x98\x80");
  auto add = [&](const std::string& key) {
    auto* kv = kvs->Add();
    kv->set_key(key);
    return kv->mutable_value();
  };
  add("bool")->set_bool_value(true);
  add("int_max")->set_int_value(std::numeric_limits<int64_t>::max());
  add("int_min")->set_int_value(std::numeric_limits<int64_t>::min());
  add("double")->set_double_value(1.5);
  add("double_big")->set_double_value(1e300);
  add("double_nan")->set_double_value(std::nan(""));
  add("double_inf")->set_double_value(-std::numeric_limits<double>::infinity());
  add("double_tenth")->set_double_value(0.1);
  add("bytes")->set_bytes_value(std::string("\x00\x01\xfe\xff", 4));
  add("empty");  // an AnyValue with no value set -> null
  auto* array = add("array")->mutable_array_value();
  array->add_values()->set_string_value("a");
  array->add_values()->set_int_value(-7);
  array->add_values()->set_double_value(2.25);
  array->add_values()->set_bool_value(false);
  array->add_values();  // empty element -> JSON null
  array->add_values()->mutable_array_value()->add_values()->set_string_value("nested");
  auto* kvlist = add("kvlist")->mutable_kvlist_value();
  auto* inner = kvlist->add_values();
  inner->set_key("z");
  inner->mutable_value()->set_string_value("last key first");
  inner = kvlist->add_values();
  inner->set_key("a");
  inner->mutable_value()->mutable_kvlist_value()->add_values()->set_key("deep");
  add("empty_array")->mutable_array_value();
  add("empty_kvlist")->mutable_kvlist_value();
  AddString(kvs, "dup", "first");
  AddString(kvs, "dup", "second wins");
  AddString(kvs, "", "empty key");
}

void FillResource(resource::Resource* r, const std::string& service) {
  AddString(r->mutable_attributes(), "service.name", service);
  AddString(r->mutable_attributes(), "service.namespace", "shop");
  AddString(r->mutable_attributes(), "service.instance.id", "i-0001");
  AddString(r->mutable_attributes(), "host.name", "h\xc3\xb6st");
  r->set_dropped_attributes_count(3);
}

void FillScope(common::InstrumentationScope* s) {
  s->set_name("scope.name");
  s->set_version("1.2.3");
  AddString(s->mutable_attributes(), "scope.attr", "x");
  s->set_dropped_attributes_count(1);
}

}  // namespace

collector::logs::v1::ExportLogsServiceRequest CoverageLogsRequest() {
  collector::logs::v1::ExportLogsServiceRequest request;
  auto* rl = request.add_resource_logs();
  FillResource(rl->mutable_resource(), "checkout");
  rl->set_schema_url("https://opentelemetry.io/schemas/1.26.0");
  auto* sl = rl->add_scope_logs();
  FillScope(sl->mutable_scope());
  sl->set_schema_url("scope-schema");

  auto* full = sl->add_log_records();
  full->set_time_unix_nano(kBaseNanos);
  full->set_observed_time_unix_nano(kBaseNanos + 1000);
  full->set_severity_number(logs::SEVERITY_NUMBER_ERROR);
  full->set_severity_text("ERROR");
  full->mutable_body()->set_string_value("b\xc3\xb6" "dy");
  AddEveryValueKind(full->mutable_attributes());
  full->set_dropped_attributes_count(4294967295U);
  full->set_flags(0xFFFFFFFFU);
  full->set_trace_id(kTraceId);
  full->set_span_id(kSpanId);
  full->set_event_name("checkout.done");

  auto* kv_body = sl->add_log_records();  // only observed time; kvlist body
  kv_body->set_observed_time_unix_nano(kBaseNanos + 5);
  auto* body_kv = kv_body->mutable_body()->mutable_kvlist_value()->add_values();
  body_kv->set_key("k");
  body_kv->mutable_value()->set_int_value(1);

  sl->add_log_records()->mutable_body();  // empty body present, no timestamps at all

  auto* bad = sl->add_log_records();  // rejected: trace id of 3 bytes
  bad->set_time_unix_nano(kBaseNanos);
  bad->set_trace_id("abc");

  // A second resource with no attributes and an empty scope.
  auto* bare = request.add_resource_logs()->add_scope_logs()->add_log_records();
  bare->set_time_unix_nano(std::numeric_limits<uint64_t>::max());
  bare->mutable_body()->set_double_value(-0.5);
  return request;
}

collector::trace::v1::ExportTraceServiceRequest CoverageTracesRequest() {
  collector::trace::v1::ExportTraceServiceRequest request;
  auto* rs = request.add_resource_spans();
  FillResource(rs->mutable_resource(), "frontend");
  auto* ss = rs->add_scope_spans();
  FillScope(ss->mutable_scope());

  auto* span = ss->add_spans();
  span->set_trace_id(kTraceId);
  span->set_span_id(kSpanId);
  span->set_parent_span_id(std::string(8, '\x01'));
  span->set_trace_state("vendor=1");
  span->set_name("GET /cart \xe2\x82\xac");
  span->set_kind(trace::Span::SPAN_KIND_SERVER);
  span->set_start_time_unix_nano(kBaseNanos);
  span->set_end_time_unix_nano(kBaseNanos + 250000000);
  span->set_flags(0x301);
  AddEveryValueKind(span->mutable_attributes());
  span->set_dropped_attributes_count(1);
  span->set_dropped_events_count(2);
  span->set_dropped_links_count(3);
  auto* event = span->add_events();
  event->set_time_unix_nano(kBaseNanos + 10);
  event->set_name("cache.miss");
  AddString(event->mutable_attributes(), "cache.key", "cart:42");
  event->set_dropped_attributes_count(5);
  span->add_events()->set_name("bare event");
  auto* link = span->add_links();
  link->set_trace_id(std::string(16, '\xab'));
  link->set_span_id(std::string(8, '\xcd'));
  link->set_trace_state("k=v");
  AddString(link->mutable_attributes(), "link.reason", "batch");
  link->set_dropped_attributes_count(6);
  link->set_flags(1);
  span->mutable_status()->set_code(trace::Status::STATUS_CODE_ERROR);
  span->mutable_status()->set_message("timeout");

  auto* minimal = ss->add_spans();  // end before start, unknown kind, no status
  minimal->set_trace_id(kTraceId);
  minimal->set_span_id(std::string(8, '\x02'));
  minimal->set_kind(static_cast<trace::Span::SpanKind>(42));
  minimal->set_start_time_unix_nano(kBaseNanos);
  minimal->set_end_time_unix_nano(kBaseNanos - 1);

  auto* bad_link = ss->add_spans();  // rejected: its link has a 4-byte span id
  bad_link->set_trace_id(kTraceId);
  bad_link->set_span_id(kSpanId);
  auto* short_link = bad_link->add_links();
  short_link->set_trace_id(kTraceId);
  short_link->set_span_id("abcd");

  auto* no_ids = ss->add_spans();  // rejected: a span must have a trace id and a span id
  no_ids->set_name("no ids");
  no_ids->mutable_status();  // present but empty -> Unset
  return request;
}

namespace {

void FillPoint(metrics::NumberDataPoint* p, int i) {
  p->set_start_time_unix_nano(kBaseNanos - 60000000000ULL);
  p->set_time_unix_nano(kBaseNanos + static_cast<uint64_t>(i));
  AddString(p->mutable_attributes(), "point", fmt::format("p{}", i));
  p->set_flags(static_cast<uint32_t>(i % 2));
}

void AddExemplars(google::protobuf::RepeatedPtrField<metrics::Exemplar>* exemplars) {
  auto* e = exemplars->Add();
  e->set_time_unix_nano(kBaseNanos - 7);
  e->set_as_double(3.5);
  e->set_trace_id(kTraceId);
  e->set_span_id(kSpanId);
  AddString(e->mutable_filtered_attributes(), "user", "u1");
  exemplars->Add()->set_as_int(std::numeric_limits<int64_t>::min());
}

void AddNumberMetrics(metrics::ScopeMetrics* sm) {
  auto* gauge = sm->add_metrics();
  gauge->set_name("cpu");
  gauge->set_description("CPU \xc2\xb5s");
  gauge->set_unit("1");
  auto* gp = gauge->mutable_gauge()->add_data_points();
  FillPoint(gp, 0);
  gp->set_as_double(std::numeric_limits<double>::infinity());
  AddExemplars(gp->mutable_exemplars());
  auto* gi = gauge->mutable_gauge()->add_data_points();
  FillPoint(gi, 1);
  gi->set_as_int(std::numeric_limits<int64_t>::max());
  FillPoint(gauge->mutable_gauge()->add_data_points(), 2);  // no value: rejected

  auto* sum = sm->add_metrics();
  sum->set_name("requests");
  sum->mutable_sum()->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_DELTA);
  sum->mutable_sum()->set_is_monotonic(true);
  auto* sp = sum->mutable_sum()->add_data_points();
  FillPoint(sp, 3);
  sp->set_as_int(-42);
  auto* bad_exemplar = sum->mutable_sum()->add_data_points();  // rejected: exemplar id
  FillPoint(bad_exemplar, 4);
  bad_exemplar->set_as_double(1);
  bad_exemplar->add_exemplars()->set_trace_id("short");

  sm->add_metrics()->set_name("no data");  // rejected: data unset
}

void AddDistributionMetrics(metrics::ScopeMetrics* sm) {
  auto* hist = sm->add_metrics();
  hist->set_name("latency");
  hist->mutable_histogram()->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  auto* hp = hist->mutable_histogram()->add_data_points();
  hp->set_time_unix_nano(kBaseNanos);
  hp->set_count(std::numeric_limits<uint64_t>::max());
  hp->set_sum(12.5);
  hp->add_bucket_counts(1);
  hp->add_bucket_counts(0);
  hp->add_bucket_counts(9223372036854775808ULL);
  hp->add_explicit_bounds(0.5);
  hp->add_explicit_bounds(-1e-300);
  hp->set_min(0.001);
  hp->set_max(99);
  AddExemplars(hp->mutable_exemplars());
  hist->mutable_histogram()->add_data_points()->set_time_unix_nano(kBaseNanos);  // all absent

  auto* exp = sm->add_metrics();
  exp->set_name("exp");
  exp->mutable_exponential_histogram()->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_DELTA);
  auto* ep = exp->mutable_exponential_histogram()->add_data_points();
  ep->set_time_unix_nano(kBaseNanos);
  ep->set_count(6);
  ep->set_sum(-3);
  ep->set_scale(-4);
  ep->set_zero_count(1);
  ep->set_zero_threshold(1e-9);
  ep->mutable_positive()->set_offset(-2);
  ep->mutable_positive()->add_bucket_counts(2);
  ep->mutable_positive()->add_bucket_counts(3);
  ep->mutable_negative()->set_offset(7);
  ep->set_min(-1);
  ep->set_max(8);
  ep->set_flags(1);
  exp->mutable_exponential_histogram()->add_data_points()->set_time_unix_nano(kBaseNanos + 1);

  auto* summary = sm->add_metrics();
  summary->set_name("gc");
  auto* qp = summary->mutable_summary()->add_data_points();
  qp->set_time_unix_nano(kBaseNanos);
  qp->set_count(10);
  qp->set_sum(123.25);
  auto* q = qp->add_quantile_values();
  q->set_quantile(0.5);
  q->set_value(9.5);
  q = qp->add_quantile_values();
  q->set_quantile(1);
  q->set_value(std::nan(""));
  summary->mutable_summary()->add_data_points();  // zero everything
}

}  // namespace

collector::metrics::v1::ExportMetricsServiceRequest CoverageMetricsRequest() {
  collector::metrics::v1::ExportMetricsServiceRequest request;
  auto* rm = request.add_resource_metrics();
  FillResource(rm->mutable_resource(), "metrics-svc");
  auto* sm = rm->add_scope_metrics();
  FillScope(sm->mutable_scope());
  AddNumberMetrics(sm);
  AddDistributionMetrics(request.add_resource_metrics()->add_scope_metrics());
  return request;
}

namespace {

std::string RandomId(std::mt19937& rng, int bytes) {
  std::string id(static_cast<size_t>(bytes), '\0');
  for (char& c : id) c = static_cast<char>(rng() & 0xFF);
  return id;
}

void FillSyntheticResource(resource::Resource* r, std::mt19937& rng) {
  AddString(r->mutable_attributes(), "service.name", fmt::format("service-{}", rng() % 4));
  AddString(r->mutable_attributes(), "service.instance.id", fmt::format("{:08x}", rng()));
  AddString(r->mutable_attributes(), "host.name", "ip-10-0-0-1.ec2.internal");
  AddString(r->mutable_attributes(), "telemetry.sdk.language", "java");
  AddString(r->mutable_attributes(), "telemetry.sdk.version", "1.44.0");
}

}  // namespace

collector::logs::v1::ExportLogsServiceRequest SyntheticLogsRequest(uint32_t seed, int records) {
  std::mt19937 rng(seed);
  collector::logs::v1::ExportLogsServiceRequest request;
  auto* rl = request.add_resource_logs();
  FillSyntheticResource(rl->mutable_resource(), rng);
  auto* sl = rl->add_scope_logs();
  sl->mutable_scope()->set_name("org.example.app");
  for (int i = 0; i < records; ++i) {
    auto* r = sl->add_log_records();
    r->set_time_unix_nano(kBaseNanos + static_cast<uint64_t>(i) * 1000);
    r->set_observed_time_unix_nano(kBaseNanos + static_cast<uint64_t>(i) * 1000 + 7);
    r->set_severity_number(logs::SEVERITY_NUMBER_INFO);
    r->set_severity_text("INFO");
    r->mutable_body()->set_string_value(
        fmt::format("GET /api/v1/items/{} completed in {} ms for user {}", rng() % 100000,
                    rng() % 500, rng() % 1000));
    AddString(r->mutable_attributes(), "http.route", "/api/v1/items/:id");
    auto* code = r->add_attributes();
    code->set_key("http.status_code");
    code->mutable_value()->set_int_value(200 + static_cast<int>(rng() % 4) * 100);
    r->set_trace_id(RandomId(rng, 16));
    r->set_span_id(RandomId(rng, 8));
    r->set_flags(1);
  }
  return request;
}

collector::trace::v1::ExportTraceServiceRequest SyntheticTracesRequest(uint32_t seed, int spans) {
  std::mt19937 rng(seed);
  collector::trace::v1::ExportTraceServiceRequest request;
  auto* rs = request.add_resource_spans();
  FillSyntheticResource(rs->mutable_resource(), rng);
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("io.opentelemetry.http");
  const std::string trace_id = RandomId(rng, 16);
  for (int i = 0; i < spans; ++i) {
    auto* s = ss->add_spans();
    s->set_trace_id(trace_id);
    s->set_span_id(RandomId(rng, 8));
    s->set_parent_span_id(RandomId(rng, 8));
    s->set_name(fmt::format("SELECT orders WHERE id = {}", rng() % 1000));
    s->set_kind(trace::Span::SPAN_KIND_CLIENT);
    s->set_start_time_unix_nano(kBaseNanos + static_cast<uint64_t>(i) * 1000000);
    s->set_end_time_unix_nano(kBaseNanos + static_cast<uint64_t>(i) * 1000000 + rng() % 900000);
    AddString(s->mutable_attributes(), "db.system", "postgresql");
    AddString(s->mutable_attributes(), "db.statement", "SELECT * FROM orders WHERE id = $1");
    if (i % 4 == 0) {
      auto* e = s->add_events();
      e->set_name("exception");
      e->set_time_unix_nano(s->start_time_unix_nano() + 10);
      AddString(e->mutable_attributes(), "exception.type", "TimeoutError");
    }
    s->mutable_status()->set_code(trace::Status::STATUS_CODE_OK);
  }
  return request;
}

collector::metrics::v1::ExportMetricsServiceRequest SyntheticMetricsRequest(uint32_t seed,
                                                                            int points) {
  std::mt19937 rng(seed);
  collector::metrics::v1::ExportMetricsServiceRequest request;
  auto* rm = request.add_resource_metrics();
  FillSyntheticResource(rm->mutable_resource(), rng);
  auto* sm = rm->add_scope_metrics();
  sm->mutable_scope()->set_name("io.opentelemetry.runtime");
  auto* gauge = sm->add_metrics();
  gauge->set_name("jvm.memory.used");
  gauge->set_unit("By");
  auto* hist = sm->add_metrics();
  hist->set_name("http.server.request.duration");
  hist->set_unit("s");
  hist->mutable_histogram()->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  for (int i = 0; i < points; ++i) {
    if (i % 2 == 0) {
      auto* p = gauge->mutable_gauge()->add_data_points();
      p->set_time_unix_nano(kBaseNanos + static_cast<uint64_t>(i));
      p->set_as_int(static_cast<int64_t>(rng()));
      AddString(p->mutable_attributes(), "pool", fmt::format("pool-{}", rng() % 3));
    } else {
      auto* p = hist->mutable_histogram()->add_data_points();
      p->set_start_time_unix_nano(kBaseNanos - 1000000000);
      p->set_time_unix_nano(kBaseNanos + static_cast<uint64_t>(i));
      p->set_count(100);
      p->set_sum(rng() % 1000 / 10.0);
      for (double b : {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0}) p->add_explicit_bounds(b);
      for (int k = 0; k < 9; ++k) p->add_bucket_counts(rng() % 20);
      AddString(p->mutable_attributes(), "http.route", "/api/v1/items/:id");
    }
  }
  return request;
}

namespace {

// SplitMix64: cheap to seed per record, so a record depends only on (seed, index).
class RecordRng {
 public:
  RecordRng(uint32_t seed, uint64_t index)
      : state_((uint64_t{seed} << 40) ^ (index * 0x9E3779B97F4A7C15ULL)) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
  std::string Id(int bytes) {
    std::string id(static_cast<size_t>(bytes), '\0');
    for (char& c : id) c = static_cast<char>(Next() & 0xFF);
    return id;
  }

 private:
  uint64_t state_;
};

struct BenchService {
  const char* name;
  const char* scope;
  const char* version;
};

constexpr BenchService kBenchServices[] = {
    {"frontend", "com.shop.frontend.HttpServer", "2.14.1"},
    {"checkout", "com.shop.checkout.OrderController", "1.9.0"},
    {"cart", "com.shop.cart.CartService", "3.2.7"},
    {"payment", "com.shop.payment.PaymentProcessor", "1.4.12"},
    {"inventory", "com.shop.inventory.StockRepository", "0.31.2"},
};
constexpr int kBenchServiceCount = 5;
constexpr const char* kBenchRoutes[] = {"/orders/{id}", "/cart/{id}", "/payments/{id}",
                                        "/items/{id}", "/users/{id}"};
constexpr uint64_t kBenchBaseNanos = 1732540800000000000ULL;  // 2024-11-25T13:20:00Z
constexpr uint64_t kBenchStepNanos = 3600000;                 // 3.6 ms: 1e6 records per hour

std::string BenchBody(RecordRng& rng, uint64_t id, uint64_t user, uint64_t ms) {
  switch (rng.Below(4)) {
    case 0:
      return fmt::format("Order {} placed: {} items, {}.{:02d} EUR", id, 1 + rng.Below(9),
                         rng.Below(900), rng.Below(100));
    case 1:
      return fmt::format("Cache miss for cart:{:06d}, loaded {} rows in {} ms", user, rng.Below(50),
                         ms);
    case 2: return fmt::format("Slow query on orders-db took {} ms (threshold 250 ms)", 250 + ms);
    default:
      return fmt::format("Upstream 10.0.{}.{}:8443 timed out after {} ms, retry {}/3", rng.Below(8),
                         rng.Below(250), ms, 1 + rng.Below(3));
  }
}

void AddInt(google::protobuf::RepeatedPtrField<common::KeyValue>* kvs, const char* k, int64_t v) {
  auto* kv = kvs->Add();
  kv->set_key(k);
  kv->mutable_value()->set_int_value(v);
}

void FillBenchRecord(logs::LogRecord* r, uint32_t seed, uint64_t index) {
  RecordRng rng(seed, index);
  const uint64_t t = kBenchBaseNanos + index * kBenchStepNanos + rng.Below(1000);
  r->set_time_unix_nano(t);
  r->set_observed_time_unix_nano(t + 200000 + rng.Below(2000000));
  const uint64_t sev = rng.Below(100);
  static constexpr logs::SeverityNumber kNumbers[] = {
      logs::SEVERITY_NUMBER_DEBUG, logs::SEVERITY_NUMBER_INFO, logs::SEVERITY_NUMBER_WARN,
      logs::SEVERITY_NUMBER_ERROR};
  static constexpr const char* kTexts[] = {"DEBUG", "INFO", "WARN", "ERROR"};
  const int level = sev < 10 ? 0 : sev < 90 ? 1 : sev < 97 ? 2 : 3;
  r->set_severity_number(kNumbers[level]);
  r->set_severity_text(kTexts[level]);
  const uint64_t id = 100000 + rng.Below(900000);
  const uint64_t user = rng.Below(200000);
  const uint64_t ms = rng.Below(2000);
  r->mutable_body()->set_string_value(BenchBody(rng, id, user, ms));

  // Ten attributes: six strings, three ints, a double and a bool (one string is the route).
  auto* attrs = r->mutable_attributes();
  static constexpr const char* kMethods[] = {"GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"};
  AddString(attrs, "http.method", kMethods[rng.Below(7)]);
  AddString(attrs, "http.route", kBenchRoutes[rng.Below(5)]);
  static constexpr int kCodes[] = {200, 200, 200, 200, 200, 200, 201, 204, 400, 404, 500};
  AddInt(attrs, "http.status_code", kCodes[rng.Below(11)]);
  AddString(attrs, "user.id", fmt::format("u-{:06d}", user));
  AddString(attrs, "client.ip",
            fmt::format("10.{}.{}.{}", rng.Below(4), rng.Below(256), rng.Below(256)));
  auto* duration = attrs->Add();
  duration->set_key("duration_ms");
  duration->mutable_value()->set_double_value(static_cast<double>(ms) + rng.Below(1000) / 1000.0);
  AddInt(attrs, "resp.bytes", static_cast<int64_t>(rng.Below(65536)));
  auto* hit = attrs->Add();
  hit->set_key("cache.hit");
  hit->mutable_value()->set_bool_value(rng.Below(3) == 0);
  AddString(attrs, "thread", fmt::format("exec-{}", 1 + rng.Below(32)));
  AddInt(attrs, "order.id", static_cast<int64_t>(id));

  if (rng.Below(10) != 0) {  // most records are logged inside a span
    r->set_trace_id(rng.Id(16));
    r->set_span_id(rng.Id(8));
    r->set_flags(1);
  }
}

void FillBenchResource(resource::Resource* r, const BenchService& service, uint32_t seed) {
  AddString(r->mutable_attributes(), "service.name", service.name);
  AddString(r->mutable_attributes(), "service.namespace", "shop");
  AddString(r->mutable_attributes(), "service.version", service.version);
  AddString(r->mutable_attributes(), "service.instance.id",
            fmt::format("{}-7d9f8c6b5-{:05x}", service.name, seed & 0xFFFFF));
  AddString(r->mutable_attributes(), "deployment.environment.name", "production");
  AddString(r->mutable_attributes(), "host.name", "ip-10-0-12-34.eu-west-1.compute.internal");
  AddString(r->mutable_attributes(), "telemetry.sdk.language", "java");
  AddString(r->mutable_attributes(), "telemetry.sdk.name", "opentelemetry");
  AddString(r->mutable_attributes(), "telemetry.sdk.version", "1.44.1");
}

}  // namespace

collector::logs::v1::ExportLogsServiceRequest BenchmarkLogsRequest(uint32_t seed,
                                                                   uint64_t first_record,
                                                                   int records) {
  collector::logs::v1::ExportLogsServiceRequest request;
  logs::ScopeLogs* scopes[kBenchServiceCount] = {};
  for (int i = 0; i < records; ++i) {
    const uint64_t index = first_record + static_cast<uint64_t>(i);
    // The service is a pure function of (seed, index), skewed: frontend logs most.
    RecordRng pick(seed ^ 0x5EEDu, index);
    const uint64_t p = pick.Below(100);
    const int s = p < 35 ? 0 : p < 60 ? 1 : p < 80 ? 2 : p < 92 ? 3 : 4;
    if (scopes[s] == nullptr) {
      auto* rl = request.add_resource_logs();
      FillBenchResource(rl->mutable_resource(), kBenchServices[s], seed);
      rl->set_schema_url("https://opentelemetry.io/schemas/1.26.0");
      scopes[s] = rl->add_scope_logs();
      scopes[s]->mutable_scope()->set_name(kBenchServices[s].scope);
      scopes[s]->mutable_scope()->set_version(kBenchServices[s].version);
    }
    FillBenchRecord(scopes[s]->add_log_records(), seed, index);
  }
  return request;
}

}  // namespace o2p::testing
