#include "achilles/metrics/process_metrics.hpp"

#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace achilles::metrics {
namespace {

// Seconds: from a health check (tens of µs) to a slow cluster (30 s timeout).
constexpr std::array<double, 14> kBounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                         0.025,  0.05,    0.1,    0.25,  1,      5,     30};

void observe(std::vector<std::uint64_t>& buckets, double& sum, std::uint64_t& count, double seconds) {
  if (buckets.empty()) buckets.assign(kBounds.size(), 0);
  for (std::size_t i = 0; i < kBounds.size(); ++i)
    if (seconds <= kBounds[i]) {
      ++buckets[i];
      break;
    }
  sum += seconds;
  ++count;
}

// A label value as the format wants it: backslash, quote and newline escaped.
std::string escaped(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void histogram_lines(std::string& out, std::string_view name, const std::string& labels,
                     const std::vector<std::uint64_t>& buckets, double sum, std::uint64_t count) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets.empty() ? 0 : buckets[i];
    out.append(name).append("_bucket{").append(labels).append(",le=\"").append(number(kBounds[i])).append("\"} ");
    out.append(std::to_string(cumulative)).append("\n");
  }
  out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(std::to_string(count)).append("\n");
  out.append(name).append("_sum{").append(labels).append("} ").append(number(sum)).append("\n");
  out.append(name).append("_count{").append(labels).append("} ").append(std::to_string(count)).append("\n");
}

// Resident and virtual memory from /proc/self/statm (pages).
std::pair<double, double> process_memory() {
  std::ifstream statm("/proc/self/statm");
  double size = 0, resident = 0;
  statm >> size >> resident;
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  return {resident * page, size * page};
}

}  // namespace

ProcessMetrics& ProcessMetrics::process() {
  static ProcessMetrics metrics;
  return metrics;
}

void ProcessMetrics::request_answered(std::string_view method, std::string_view route, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  auto& h = requests_[{std::string(method), std::string(route), status}];
  observe(h.buckets, h.sum, h.count, seconds);
}

void ProcessMetrics::request_started() {
  std::lock_guard lock(mutex_);
  ++in_flight_;
}

void ProcessMetrics::request_finished() {
  std::lock_guard lock(mutex_);
  --in_flight_;
}

void ProcessMetrics::request_rejected(std::string_view reason) {
  std::lock_guard lock(mutex_);
  ++rejected_[std::string(reason)];
}

void ProcessMetrics::upstream_call(std::string_view upstream, std::string_view outcome, double seconds) {
  std::lock_guard lock(mutex_);
  auto& h = upstream_[{std::string(upstream), std::string(outcome)}];
  observe(h.buckets, h.sum, h.count, seconds);
}

void ProcessMetrics::job_ran(std::string_view job, std::string_view result) {
  std::lock_guard lock(mutex_);
  ++jobs_[{std::string(job), std::string(result)}];
}

void ProcessMetrics::gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  gauges_[std::move(name)] = Gauge{std::move(help), std::move(read)};
}

void ProcessMetrics::forget_gauge(const std::string& name) {
  std::lock_guard lock(mutex_);
  gauges_.erase(name);
}

void ProcessMetrics::reset() {
  std::lock_guard lock(mutex_);
  requests_.clear();
  rejected_.clear();
  upstream_.clear();
  jobs_.clear();
  gauges_.clear();
}

std::string ProcessMetrics::render() const {
  // Gauges are read outside the lock: a read may take a store's own locks.
  std::vector<std::pair<std::string, Gauge>> gauges;
  std::string out;
  {
    std::lock_guard lock(mutex_);
    gauges.assign(gauges_.begin(), gauges_.end());

    header(out, "achilles_http_requests_total", "counter", "API requests answered, by method, route template and status.");
    for (const auto& [key, h] : requests_) {
      const auto& [method, route, status] = key;
      out.append("achilles_http_requests_total{method=\"").append(escaped(method)).append("\",route=\"");
      out.append(escaped(route)).append("\",status=\"").append(std::to_string(status)).append("\"} ");
      out.append(std::to_string(h.count)).append("\n");
    }
    header(out, "achilles_http_request_duration_seconds", "histogram",
           "Time from a request's arrival at the API to its answer, by method, route template and status.");
    for (const auto& [key, h] : requests_) {
      const auto& [method, route, status] = key;
      histogram_lines(out, "achilles_http_request_duration_seconds",
                      "method=\"" + escaped(method) + "\",route=\"" + escaped(route) + "\",status=\"" +
                          std::to_string(status) + "\"",
                      h.buckets, h.sum, h.count);
    }
    header(out, "achilles_http_requests_in_flight", "gauge", "API requests being handled now.");
    out.append("achilles_http_requests_in_flight ").append(std::to_string(in_flight_)).append("\n");
    header(out, "achilles_http_requests_rejected_total", "counter",
           "Requests refused before a handler ran, by reason (body_too_large 413, rate_limited 429, queue_full 503, ...).");
    for (const auto& [reason, n] : rejected_)
      out.append("achilles_http_requests_rejected_total{reason=\"").append(escaped(reason)).append("\"} ")
          .append(std::to_string(n)).append("\n");
    header(out, "achilles_upstream_requests_total", "counter",
           "Calls to upstreams (elasticsearch, graph, clerk_jwks), by outcome (status class or failure).");
    for (const auto& [key, h] : upstream_)
      out.append("achilles_upstream_requests_total{upstream=\"").append(escaped(key.first)).append("\",outcome=\"")
          .append(escaped(key.second)).append("\"} ").append(std::to_string(h.count)).append("\n");
    header(out, "achilles_upstream_request_duration_seconds", "histogram", "Duration of calls to upstreams, by outcome.");
    for (const auto& [key, h] : upstream_)
      histogram_lines(out, "achilles_upstream_request_duration_seconds",
                      "upstream=\"" + escaped(key.first) + "\",outcome=\"" + escaped(key.second) + "\"", h.buckets,
                      h.sum, h.count);
    header(out, "achilles_job_runs_total", "counter", "Background job runs, by job and result (ok, failed, skipped).");
    for (const auto& [key, n] : jobs_)
      out.append("achilles_job_runs_total{job=\"").append(escaped(key.first)).append("\",result=\"")
          .append(escaped(key.second)).append("\"} ").append(std::to_string(n)).append("\n");
  }
  for (const auto& [name, g] : gauges) {
    double value = std::nan("");
    try {
      value = g.read();
    } catch (...) {
      // a store that does not answer: NaN, which Prometheus shows as a gap
    }
    header(out, name, "gauge", g.help);
    out.append(name).append(" ").append(number(value)).append("\n");
  }
  const auto [resident, virtual_bytes] = process_memory();
  header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out.append("process_resident_memory_bytes ").append(number(resident)).append("\n");
  header(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
  out.append("process_virtual_memory_bytes ").append(number(virtual_bytes)).append("\n");
  return out;
}

}  // namespace achilles::metrics
