#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace achilles::metrics {

// What this process has done, for GET /metrics in Prometheus' text format
// (version 0.0.4). One instance per process (`process()`); every part that
// serves or calls out counts here. Labels are bounded by construction:
// route templates (never raw paths), status codes, fixed reasons and names.
class ProcessMetrics {
public:
  static ProcessMetrics& process();

  // One answered API request: its route template ("unmatched" when none
  // matched), method, status and duration.
  void request_answered(std::string_view method, std::string_view route, unsigned status, double seconds);
  // Requests being handled right now.
  void request_started();
  void request_finished();
  // A request refused before a handler ran: "body_too_large" (413),
  // "queue_full" (503), "rate_limited" (429), "timed_out" (503), ...
  void request_rejected(std::string_view reason);
  // One call to an upstream ("elasticsearch", "graph", "clerk_jwks"):
  // `outcome` is the status class ("2xx", "4xx", "5xx") or the failure
  // ("refused", "unreachable", "timed_out", "too_large").
  void upstream_call(std::string_view upstream, std::string_view outcome, double seconds);
  // One run of a background job ("defender_full_sync", ...): `result` is
  // "ok", "failed" (it threw, or reported errors) or "skipped" (another run
  // held the turn, or nothing was configured).
  void job_ran(std::string_view job, std::string_view result);
  // A value read when scraped (documents in the embedded store, ...).
  // Replaces a gauge of the same name.
  void gauge(std::string name, std::string help, std::function<double()> read);
  void forget_gauge(const std::string& name);

  // Everything, in Prometheus' text exposition format.
  std::string render() const;

  // Forgets every count and gauge (tests).
  void reset();

private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // cumulative at render, per-bucket here
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, Histogram> requests_;
  std::int64_t in_flight_ = 0;
  std::map<std::string, std::uint64_t> rejected_;
  std::map<std::pair<std::string, std::string>, Histogram> upstream_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> jobs_;
  std::map<std::string, Gauge> gauges_;
};

// Keeps the in-flight gauge right however a request ends.
class RequestInFlight {
public:
  RequestInFlight() { ProcessMetrics::process().request_started(); }
  ~RequestInFlight() { ProcessMetrics::process().request_finished(); }
  RequestInFlight(const RequestInFlight&) = delete;
  RequestInFlight& operator=(const RequestInFlight&) = delete;
};

}  // namespace achilles::metrics
