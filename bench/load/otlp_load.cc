// End-to-end load driver for `otlp2parquet serve`: posts protobuf OTLP log export requests over
// keep-alive HTTP/1.1 connections for a fixed time and reports throughput, client-side latency,
// status codes and (with --server-pid) the server's memory and CPU use.
//
//   o2p_otlp_load --url http://127.0.0.1:4318 [--connections 16] [--duration 30]
//                 [--records 1000] [--bodies 8] [--seed 42] [--gzip] [--threads 1]
//                 [--server-pid PID] [--json]
//
// The driver is meant to leave the CPU to the server: request bodies are built (and compressed)
// once before the run, every connection is one coroutine on a single io_context, and by default
// one thread runs it. Only 200 answers count as accepted records; 429 and 503 are "throttled"
// and the connection waits for Retry-After (1 s when absent) before its next request.
// Progress goes to stderr every 5 s; the report (or, with --json, one JSON object) to stdout.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include "support/otlp_samples.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Every asynchronous operation reports its error as a value: a refused or reset connection is a
// measurement, not an exception.
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr auto kIoTimeout = 30s;
constexpr auto kProgressEvery = 5s;

constexpr const char* kUsage =
    "usage: o2p_otlp_load --url http://HOST:PORT[/PATH] [options]\n"
    "  --connections C   keep-alive connections (default 16)\n"
    "  --duration S      seconds to send for (default 30)\n"
    "  --records N       log records per request (default 1000)\n"
    "  --bodies K        distinct pre-built request bodies, used in rotation (default 8)\n"
    "  --seed S          seed of the synthetic log stream (default 42)\n"
    "  --gzip            send bodies with Content-Encoding: gzip\n"
    "  --threads T       threads running the client (default 1)\n"
    "  --server-pid PID  report the server's RSS (VmHWM, VmRSS) and CPU time\n"
    "  --json            print one JSON object instead of the text report\n"
    "  --json-out FILE   also write that JSON object to FILE (for scripts)\n"
    "  PATH defaults to /v1/logs\n";

// ---------------------------------------------------------------------------------------------
// Command line

struct Args {
  std::string url;
  uint64_t connections = 16;
  uint64_t duration_s = 30;
  uint64_t records = 1000;
  uint64_t bodies = 8;
  uint64_t seed = 42;
  uint64_t threads = 1;
  uint64_t server_pid = 0;  // 0: none
  bool gzip = false;
  bool json = false;
  std::string json_out;
};

struct Target {
  std::string host;  // for the resolver, without IPv6 brackets
  std::string port;
  std::string host_header;  // HOST:PORT as written in the URL
  std::string path;
};

bool ParseNumber(std::string_view text, uint64_t min, uint64_t max, uint64_t* out) {
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return false;
  if (v < min || v > max) return false;
  *out = v;
  return true;
}

bool ParseArgs(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--gzip") {
      args->gzip = true;
      continue;
    }
    if (arg == "--json") {
      args->json = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    const std::string_view value = argv[++i];
    bool ok = true;
    if (arg == "--url") {
      args->url = value;
    } else if (arg == "--connections") {
      ok = ParseNumber(value, 1, 10000, &args->connections);
    } else if (arg == "--duration") {
      ok = ParseNumber(value, 1, 86400, &args->duration_s);
    } else if (arg == "--records") {
      ok = ParseNumber(value, 1, 1u << 22, &args->records);
    } else if (arg == "--bodies") {
      ok = ParseNumber(value, 1, 1024, &args->bodies);
    } else if (arg == "--seed") {
      ok = ParseNumber(value, 0, UINT32_MAX, &args->seed);
    } else if (arg == "--threads") {
      ok = ParseNumber(value, 1, 64, &args->threads);
    } else if (arg == "--json-out") {
      args->json_out = value;
    } else if (arg == "--server-pid") {
      ok = ParseNumber(value, 1, INT32_MAX, &args->server_pid);
    } else {
      ok = false;
    }
    if (!ok) return false;
  }
  return !args->url.empty();
}

// http://HOST:PORT[/PATH], HOST possibly an [IPv6] literal.
std::optional<Target> ParseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  const size_t slash = url.find('/');
  const std::string_view authority = url.substr(0, slash);
  Target target;
  target.path = slash == std::string_view::npos ? "/v1/logs" : std::string(url.substr(slash));
  target.host_header = std::string(authority);
  const size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == authority.size()) return std::nullopt;
  std::string_view host = authority.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  target.host = std::string(host);
  target.port = std::string(authority.substr(colon + 1));
  uint64_t port = 0;
  if (target.host.empty() || !ParseNumber(target.port, 1, 65535, &port)) return std::nullopt;
  return target;
}

// ---------------------------------------------------------------------------------------------
// Request bodies

struct Body {
  std::string bytes;  // as sent (gzip-compressed with --gzip)
  uint64_t records = 0;
  uint64_t raw_bytes = 0;  // serialized protobuf size before compression
};

std::optional<std::string> Gzip(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

// Distinct slices of one seeded stream, so consecutive requests do not carry identical bytes.
std::optional<std::vector<Body>> BuildBodies(const Args& args) {
  std::vector<Body> bodies;
  for (uint64_t i = 0; i < args.bodies; ++i) {
    const auto request = o2p::testing::BenchmarkLogsRequest(
        static_cast<uint32_t>(args.seed), i * args.records, static_cast<int>(args.records));
    Body body;
    body.bytes = request.SerializeAsString();
    body.records = args.records;
    body.raw_bytes = body.bytes.size();
    if (args.gzip) {
      auto compressed = Gzip(body.bytes);
      if (!compressed) return std::nullopt;
      body.bytes = std::move(*compressed);
    }
    bodies.push_back(std::move(body));
  }
  return bodies;
}

// ---------------------------------------------------------------------------------------------
// Measurements

// One per connection. Only its own coroutine writes it; the atomics are also read by the
// progress reporter on the main thread, the rest only after the run.
struct ConnStats {
  std::atomic<uint64_t> answered{0};  // requests with an HTTP answer, any status
  std::atomic<uint64_t> accepted_records{0};
  std::atomic<uint64_t> sent_bytes{0};  // bodies of answered requests, as sent
  std::atomic<uint64_t> not_ok{0};
  std::atomic<uint64_t> errors{0};  // connect / write / read failures
  std::atomic<uint64_t> latency_ns_sum{0};
  uint64_t raw_bytes = 0;  // protobuf bytes of answered requests
  uint64_t throttled = 0;
  std::vector<int64_t> latencies_ns;
  std::map<int, uint64_t> statuses;
  std::map<std::string, uint64_t> error_kinds;

  void AddError(std::string kind) {
    errors.fetch_add(1, std::memory_order_relaxed);
    ++error_kinds[std::move(kind)];
  }
};

struct Run {
  const Args& args;
  const Target& target;
  const std::vector<Body>& bodies;
  tcp::resolver::results_type endpoints;
  Clock::time_point start;
  Clock::time_point deadline;
  std::vector<std::unique_ptr<ConnStats>> stats;
};

std::atomic<bool> g_interrupted{false};

void OnSignal(int) { g_interrupted.store(true, std::memory_order_relaxed); }

bool Sending(const Run& run) {
  return Clock::now() < run.deadline && !g_interrupted.load(std::memory_order_relaxed);
}

// ---------------------------------------------------------------------------------------------
// The client

struct Answer {
  int status = 0;  // 0: no HTTP answer, see error
  bool keep_alive = false;
  std::chrono::seconds retry_after{1};
  std::string error;
};

// Retry-After as delta-seconds; an HTTP-date (or garbage) falls back to one second.
std::chrono::seconds ParseRetryAfter(std::string_view value) {
  uint64_t seconds = 0;
  if (!ParseNumber(value, 0, 3600, &seconds)) return 1s;
  return std::chrono::seconds(seconds);
}

// One request and its answer. The server may answer (e.g. 503 when its body budget is spent)
// and close before it has read the whole body, so a failed write is still followed by a read.
asio::awaitable<Answer> Exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                 const Run& run, const Body& body) {
  http::request<http::span_body<const char>> request{http::verb::post, run.target.path, 11};
  request.set(http::field::host, run.target.host_header);
  request.set(http::field::user_agent, "o2p_otlp_load");
  request.set(http::field::content_type, "application/x-protobuf");
  if (run.args.gzip) request.set(http::field::content_encoding, "gzip");
  request.body() = {body.bytes.data(), body.bytes.size()};
  request.prepare_payload();

  stream.expires_after(kIoTimeout);
  const auto [write_ec, written] = co_await http::async_write(stream, request, kAwait);
  http::response_parser<http::string_body> parser;
  parser.body_limit(1 << 20);
  const auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kAwait);
  Answer answer;
  if (read_ec) {
    answer.error = write_ec ? "write: " + write_ec.message() : "read: " + read_ec.message();
    co_return answer;
  }
  const auto& response = parser.get();
  answer.status = static_cast<int>(response.result_int());
  answer.keep_alive = response.keep_alive() && !write_ec;
  answer.retry_after = ParseRetryAfter(response[http::field::retry_after]);
  co_return answer;
}

asio::awaitable<void> SleepFor(Clock::duration d, const Run& run) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_at(std::min(Clock::now() + d, run.deadline));
  co_await timer.async_wait(kAwait);
}

asio::awaitable<bool> Connect(beast::tcp_stream& stream, const Run& run, ConnStats& stats) {
  stream.expires_after(kIoTimeout);
  const auto [ec, endpoint] = co_await stream.async_connect(run.endpoints, kAwait);
  if (ec) {
    stats.AddError("connect: " + ec.message());
    co_await SleepFor(100ms, run);  // do not spin while the server is away
    co_return false;
  }
  stream.socket().set_option(tcp::no_delay(true));
  co_return true;
}

void Record(const Answer& answer, const Body& body, Clock::duration latency, ConnStats& stats) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(latency).count();
  stats.latencies_ns.push_back(ns);
  stats.latency_ns_sum.fetch_add(static_cast<uint64_t>(ns), std::memory_order_relaxed);
  stats.sent_bytes.fetch_add(body.bytes.size(), std::memory_order_relaxed);
  stats.raw_bytes += body.raw_bytes;
  ++stats.statuses[answer.status];
  if (answer.status == 200) {
    stats.accepted_records.fetch_add(body.records, std::memory_order_relaxed);
  } else {
    stats.not_ok.fetch_add(1, std::memory_order_relaxed);
  }
  // Counted last: the progress reporter reads `answered` as "everything above is in".
  stats.answered.fetch_add(1, std::memory_order_release);
}

asio::awaitable<void> RunConnection(Run& run, size_t index) {
  ConnStats& stats = *run.stats[index];
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  beast::flat_buffer buffer;
  bool connected = false;
  size_t next_body = index;  // connections start at different bodies
  while (Sending(run)) {
    if (!connected) {
      connected = co_await Connect(stream, run, stats);
      buffer.clear();
      continue;
    }
    const Body& body = run.bodies[next_body++ % run.bodies.size()];
    const Clock::time_point sent = Clock::now();
    const Answer answer = co_await Exchange(stream, buffer, run, body);
    const Clock::duration latency = Clock::now() - sent;
    if (answer.status == 0) {
      stats.AddError(answer.error);
    } else {
      Record(answer, body, latency, stats);
    }
    if (answer.status == 0 || !answer.keep_alive) {
      beast::error_code ignored;
      stream.socket().close(ignored);
      connected = false;
    }
    if (answer.status == 429 || answer.status == 503) {
      ++stats.throttled;
      co_await SleepFor(answer.retry_after, run);
    }
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
}

// ---------------------------------------------------------------------------------------------
// Server process and report

struct ProcessInfo {
  int64_t vm_hwm_kib = -1;
  int64_t vm_rss_kib = -1;
  double cpu_s = -1;  // user + system
};

ProcessInfo ReadProcess(uint64_t pid) {
  ProcessInfo info;
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  for (std::string line; std::getline(status, line);) {
    int64_t* field = line.starts_with("VmHWM:")   ? &info.vm_hwm_kib
                     : line.starts_with("VmRSS:") ? &info.vm_rss_kib
                                                  : nullptr;
    if (field != nullptr) std::istringstream(line.substr(6)) >> *field;
  }
  std::ifstream stat_file(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may itself contain spaces:
  // state(3) ... utime(14) stime(15).
  const size_t paren = stat.rfind(')');
  if (paren != std::string::npos) {
    std::istringstream rest(stat.substr(paren + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) rest >> skip;
    uint64_t utime = 0;
    uint64_t stime = 0;
    if (rest >> utime >> stime) {
      info.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }
  return info;
}

double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Totals {
  uint64_t answered = 0;
  uint64_t accepted_records = 0;
  uint64_t sent_bytes = 0;
  uint64_t raw_bytes = 0;
  uint64_t not_ok = 0;
  uint64_t errors = 0;
  uint64_t throttled = 0;
  uint64_t latency_ns_sum = 0;
  std::vector<int64_t> latencies_ns;
  std::map<int, uint64_t> statuses;
  std::map<std::string, uint64_t> error_kinds;
};

// The atomics only; safe while the run is going.
Totals SumCounters(const Run& run) {
  Totals t;
  for (const auto& s : run.stats) {
    t.answered += s->answered.load(std::memory_order_acquire);
    t.accepted_records += s->accepted_records.load(std::memory_order_relaxed);
    t.sent_bytes += s->sent_bytes.load(std::memory_order_relaxed);
    t.not_ok += s->not_ok.load(std::memory_order_relaxed);
    t.errors += s->errors.load(std::memory_order_relaxed);
    t.latency_ns_sum += s->latency_ns_sum.load(std::memory_order_relaxed);
  }
  return t;
}

// Everything; only after the run.
Totals SumAll(const Run& run) {
  Totals t = SumCounters(run);
  for (const auto& s : run.stats) {
    t.raw_bytes += s->raw_bytes;
    t.throttled += s->throttled;
    t.latencies_ns.insert(t.latencies_ns.end(), s->latencies_ns.begin(), s->latencies_ns.end());
    for (const auto& [code, n] : s->statuses) t.statuses[code] += n;
    for (const auto& [kind, n] : s->error_kinds) t.error_kinds[kind] += n;
  }
  return t;
}

// Nearest-rank percentile in milliseconds; `sorted` ascending.
double PercentileMs(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1]) / 1e6;
}

void PrintProgress(const Run& run, const Totals& now, const Totals& before, double interval_s) {
  const double elapsed = std::chrono::duration<double>(Clock::now() - run.start).count();
  const uint64_t answered = now.answered - before.answered;
  const double mean_ms = answered == 0
                             ? 0
                             : static_cast<double>(now.latency_ns_sum - before.latency_ns_sum) /
                                   static_cast<double>(answered) / 1e6;
  fmt::print(stderr,
             "[{:6.1f}s] {:8.1f} req/s {:10.0f} records/s {:7.1f} MB/s  mean latency {:7.2f} ms"
             "  non-200 {}  errors {}\n",
             elapsed, static_cast<double>(answered) / interval_s,
             static_cast<double>(now.accepted_records - before.accepted_records) / interval_s,
             static_cast<double>(now.sent_bytes - before.sent_bytes) / interval_s / 1e6, mean_ms,
             now.not_ok, now.errors);
}

struct Report {
  Totals totals;
  double elapsed_s = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
  std::optional<ProcessInfo> server;
  double server_cpu_s = -1;  // during the run
  double driver_cpu_s = 0;
};

std::string StatusList(const Report& r, const char* sep, const char* quote) {
  std::string out;
  for (const auto& [code, n] : r.totals.statuses) {
    if (!out.empty()) out += sep;
    out += fmt::format("{}{}{}{}{}", quote, code, quote, *quote ? ":" : "=", n);
  }
  return out;
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void PrintJson(const Run& run, const Report& r, std::FILE* out) {
  const Totals& t = r.totals;
  std::string errors;
  for (const auto& [kind, n] : t.error_kinds) {
    errors += fmt::format("{}\"{}\":{}", errors.empty() ? "" : ",", JsonEscape(kind), n);
  }
  std::string server = "null";
  if (r.server) {
    server = fmt::format(R"({{"pid":{},"vm_hwm_kib":{},"vm_rss_kib":{},"cpu_s":{:.2f}}})",
                         run.args.server_pid, r.server->vm_hwm_kib, r.server->vm_rss_kib,
                         r.server_cpu_s);
  }
  const double s = r.elapsed_s;
  fmt::print(
      out,
      R"({{"url":"{}","connections":{},"records_per_request":{},"gzip":{},"seconds":{:.3f},)"
      R"("requests":{},"requests_per_s":{:.1f},"records_accepted":{},"records_per_s":{:.0f},)"
      R"("body_bytes":{},"body_mb_per_s":{:.2f},"protobuf_mb_per_s":{:.2f},)"
      R"("latency_ms":{{"p50":{:.3f},"p90":{:.3f},"p99":{:.3f},"max":{:.3f}}},)"
      R"("status":{{{}}},"throttled":{},"errors":{},"error_kinds":{{{}}},"server":{},)"
      R"("driver_cpu_s":{:.2f}}})"
      "\n",
      JsonEscape(run.args.url), run.args.connections, run.args.records, run.args.gzip, s,
      t.answered, static_cast<double>(t.answered) / s, t.accepted_records,
      static_cast<double>(t.accepted_records) / s, t.sent_bytes,
      static_cast<double>(t.sent_bytes) / s / 1e6, static_cast<double>(t.raw_bytes) / s / 1e6,
      r.p50, r.p90, r.p99, r.max, StatusList(r, ",", "\""), t.throttled, t.errors, errors, server,
      r.driver_cpu_s);
}

void PrintText(const Run& run, const Report& r) {
  const Totals& t = r.totals;
  const double s = r.elapsed_s;
  uint64_t body_bytes = 0;
  for (const Body& b : run.bodies) body_bytes += b.bytes.size();
  fmt::print("target          {} ({} connections, {} records/request, {} bodies of {:.1f} KB{})\n",
             run.target.host_header + run.target.path, run.args.connections, run.args.records,
             run.bodies.size(), static_cast<double>(body_bytes) / run.bodies.size() / 1e3,
             run.args.gzip ? " gzip" : "");
  fmt::print("duration        {:.2f} s\n", s);
  fmt::print("requests        {} answered, {:.1f}/s\n", t.answered,
             static_cast<double>(t.answered) / s);
  fmt::print("records         {} accepted (200), {:.0f}/s\n", t.accepted_records,
             static_cast<double>(t.accepted_records) / s);
  fmt::print("request bodies  {:.1f} MB sent, {:.2f} MB/s ({:.2f} MB/s of protobuf)\n",
             static_cast<double>(t.sent_bytes) / 1e6, static_cast<double>(t.sent_bytes) / s / 1e6,
             static_cast<double>(t.raw_bytes) / s / 1e6);
  fmt::print("latency         p50 {:.2f} ms  p90 {:.2f} ms  p99 {:.2f} ms  max {:.2f} ms\n", r.p50,
             r.p90, r.p99, r.max);
  const std::string statuses = StatusList(r, " ", "");
  fmt::print("status          {}  (throttled: {})\n", statuses.empty() ? "none" : statuses,
             t.throttled);
  fmt::print("errors          {}\n", t.errors);
  for (const auto& [kind, n] : t.error_kinds) fmt::print("  {:>8}  {}\n", n, kind);
  if (r.server) {
    fmt::print(
        "server pid {}  peak RSS {:.1f} MiB, RSS at end {:.1f} MiB, cpu {:.2f} s ({:.2f} cores)\n",
        run.args.server_pid, static_cast<double>(r.server->vm_hwm_kib) / 1024,
        static_cast<double>(r.server->vm_rss_kib) / 1024, r.server_cpu_s, r.server_cpu_s / s);
  }
  fmt::print("driver cpu      {:.2f} s ({:.2f} cores)\n", r.driver_cpu_s, r.driver_cpu_s / s);
}

Report MakeReport(const Run& run, double elapsed_s, double server_cpu_at_start,
                  double driver_cpu_at_start) {
  Report r;
  r.totals = SumAll(run);
  r.elapsed_s = elapsed_s;
  std::vector<int64_t>& lat = r.totals.latencies_ns;
  std::sort(lat.begin(), lat.end());
  r.p50 = PercentileMs(lat, 0.50);
  r.p90 = PercentileMs(lat, 0.90);
  r.p99 = PercentileMs(lat, 0.99);
  r.max = lat.empty() ? 0 : static_cast<double>(lat.back()) / 1e6;
  if (run.args.server_pid != 0) {
    r.server = ReadProcess(run.args.server_pid);
    if (r.server->cpu_s >= 0 && server_cpu_at_start >= 0) {
      r.server_cpu_s = r.server->cpu_s - server_cpu_at_start;
    }
  }
  r.driver_cpu_s = OwnCpuSeconds() - driver_cpu_at_start;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Driving the run

// Runs the io_context on `threads` threads and prints progress from this thread until it drains.
void RunAndReport(asio::io_context& io, Run& run, size_t threads) {
  std::mutex mu;
  std::condition_variable cv;
  size_t running = threads;
  std::vector<std::thread> workers;
  for (size_t i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      io.run();
      std::lock_guard lock(mu);
      if (--running == 0) cv.notify_all();
    });
  }
  Totals before;
  Clock::time_point last = run.start;
  std::unique_lock lock(mu);
  while (running > 0) {
    if (cv.wait_for(lock, kProgressEvery, [&] { return running == 0; })) break;
    const Totals now = SumCounters(run);
    const Clock::time_point t = Clock::now();
    PrintProgress(run, now, before, std::chrono::duration<double>(t - last).count());
    before = now;
    last = t;
  }
  lock.unlock();
  for (auto& worker : workers) worker.join();
}

int Main(const Args& args) {
  const std::optional<Target> target = ParseUrl(args.url);
  if (!target) {
    fmt::print(stderr, "bad --url {} (want http://HOST:PORT[/PATH])\n", args.url);
    return 2;
  }
  const auto bodies = BuildBodies(args);
  if (!bodies) {
    fmt::print(stderr, "gzip compression failed\n");
    return 1;
  }
  asio::io_context io(static_cast<int>(args.threads));
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(target->host, target->port, ec);
  if (ec) {
    fmt::print(stderr, "cannot resolve {}: {}\n", target->host, ec.message());
    return 1;
  }
  // CPU times count from here: building the bodies is not part of the run.
  const double server_cpu_at_start = args.server_pid ? ReadProcess(args.server_pid).cpu_s : -1;
  const double driver_cpu_at_start = OwnCpuSeconds();
  Run run{args, *target, *bodies, std::move(endpoints), Clock::now(), {}, {}};
  run.deadline = run.start + std::chrono::seconds(args.duration_s);
  for (uint64_t i = 0; i < args.connections; ++i) {
    run.stats.push_back(std::make_unique<ConnStats>());
    // A strand per connection: with --threads > 1 the stream's I/O and its timeout timer must
    // not run concurrently.
    asio::co_spawn(asio::make_strand(io), RunConnection(run, i), asio::detached);
  }
  RunAndReport(io, run, args.threads);
  const double elapsed = std::chrono::duration<double>(Clock::now() - run.start).count();
  const Report report = MakeReport(run, elapsed, server_cpu_at_start, driver_cpu_at_start);
  if (!args.json_out.empty()) {
    std::FILE* out = std::fopen(args.json_out.c_str(), "w");
    if (out == nullptr) {
      fmt::print(stderr, "cannot write {}\n", args.json_out);
    } else {
      PrintJson(run, report, out);
      std::fclose(out);
    }
  }
  if (args.json) {
    PrintJson(run, report, stdout);
  } else {
    PrintText(run, report);
  }
  return report.totals.accepted_records > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    fmt::print(stderr, "{}", kUsage);
    return 2;
  }
  // Ctrl-C ends the run early but still prints the report; a vanished server must not kill us.
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return Main(args);
}
