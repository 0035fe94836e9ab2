// The detection rate's own cost, without HTTP or a store: the exact method
// (D8) against the original's hour buckets (defender-spec §10) on the same
// demo executions and alerts, and how many execution × technique units the
// two disagree on. Also what one request moves from Elasticsearch at that
// scale (composite buckets and sighting hits, as JSON bytes).
//   detection_rate_compare [executions=1000000] [alerts=200000]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "achilles/defender/detection_rate.hpp"
#include "achilles/demo/demo_defender.hpp"
#include "achilles/query/date_math.hpp"
#include "achilles/scoring/scoring_unit.hpp"

using namespace achilles;

namespace {

constexpr std::int64_t kHour = 3'600'000;

// §10 as the original computes it: hour buckets on both sides, a test hour
// correlated when an alert hour of its technique (or its parent) lies within
// the window; every execution of a correlated hour counts.
std::int64_t hour_bucket_correlated(const ExecutionTimeline& executions, const std::vector<AlertSighting>& alerts,
                                    std::int64_t window_ms, std::vector<std::uint8_t>* per_unit) {
  std::unordered_map<std::string, std::set<std::int64_t>> alert_hours;
  for (const auto& a : alerts) alert_hours[a.technique].insert(floor_div(a.created_ms, kHour) * kHour);
  std::int64_t correlated = 0;
  std::size_t unit = 0;
  for (const auto& te : executions.techniques) {
    std::vector<const std::set<std::int64_t>*> sources;
    if (auto it = alert_hours.find(te.technique); it != alert_hours.end()) sources.push_back(&it->second);
    if (auto p = parent_technique(te.technique); !p.empty())
      if (auto it = alert_hours.find(p); it != alert_hours.end()) sources.push_back(&it->second);
    for (const auto t : te.times_ms) {
      const std::int64_t hour = floor_div(t, kHour) * kHour;
      bool hit = false;
      for (const auto* s : sources) {
        auto it = s->lower_bound(hour - window_ms);
        hit = hit || (it != s->end() && *it <= hour + window_ms);
      }
      correlated += hit;
      if (per_unit) (*per_unit)[unit] = hit;
      ++unit;
    }
  }
  return correlated;
}

// Exact, per unit, for the disagreement count (the same rule as detection_rate()).
void exact_per_unit(const ExecutionTimeline& executions, const std::vector<AlertSighting>& alerts, std::int64_t window_ms,
                    std::vector<std::uint8_t>& per_unit) {
  std::unordered_map<std::string, std::vector<std::int64_t>> times;
  for (const auto& a : alerts) times[a.technique].push_back(a.created_ms);
  for (auto& [k, v] : times) std::sort(v.begin(), v.end());
  std::size_t unit = 0;
  for (const auto& te : executions.techniques) {
    std::vector<const std::vector<std::int64_t>*> sources;
    if (auto it = times.find(te.technique); it != times.end()) sources.push_back(&it->second);
    if (auto p = parent_technique(te.technique); !p.empty())
      if (auto it = times.find(p); it != times.end()) sources.push_back(&it->second);
    for (const auto t : te.times_ms) {
      bool hit = false;
      for (const auto* s : sources) {
        auto it = std::lower_bound(s->begin(), s->end(), t - window_ms);
        hit = hit || (it != s->end() && *it <= t + window_ms);
      }
      per_unit[unit++] = hit;
    }
  }
}

template <typename F>
double median_ms(F&& f, int runs = 7) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const std::size_t alert_count = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 200'000;
  const DemoOptions options{n, 42, 30, 1'796'025'600'000};  // 2026-11-30T08:00Z

  // The executions the endpoint counts: attack simulations of the window.
  std::map<std::string, TechniqueExecutions> by_technique;
  std::set<std::pair<std::string, std::int64_t>> distinct_pairs;
  std::size_t pair_json_bytes = 0;
  generate_demo_results(options, [&](const ResultDocument& d) {
    if (!d.event_time_ms) return;
    if (d.category.values().size() == 1 && d.category.first() == kCyberHygieneCategory) return;
    if (d.is_bundle_control && d.error_code == 0) return;
    std::set<std::string> seen;
    for (const auto& t : d.techniques.values()) {
      if (t.empty() || !seen.insert(t).second) continue;
      by_technique[t].technique = t;
      by_technique[t].times_ms.push_back(*d.event_time_ms);
      if (distinct_pairs.emplace(t, *d.event_time_ms).second)
        pair_json_bytes += fmt::format(R"({{"key":{{"technique":"{}","time":{}}},"doc_count":1}},)", t, *d.event_time_ms).size();
    }
  });
  ExecutionTimeline executions;
  std::size_t units = 0;
  for (auto& [t, te] : by_technique) units += te.times_ms.size(), executions.techniques.push_back(std::move(te));
  const auto defender = generate_demo_defender(options, alert_count);
  std::vector<AlertSighting> alerts;
  std::size_t hit_json_bytes = 0;
  for (const auto& a : defender.alerts) {
    hit_json_bytes += fmt::format(R"({{"_index":"achilles-defender","_id":"{}","_score":null,"_source":{{"mitre_techniques":["{}"],"created_at":"{}"}},"sort":[0,"{}"]}},)",
                                  a.id, a.mitre_techniques.empty() ? "" : a.mitre_techniques[0], a.created_at, a.alert_id)
                          .size();
    if (const auto t = alert_time_ms(a.created_at))
      for (const auto& tech : a.mitre_techniques) alerts.push_back({tech, *t, {}});
  }

  fmt::print("executions {}, execution x technique units {}, alerts {} ({} sightings)\n", n, units, defender.alerts.size(),
             alerts.size());
  fmt::print("| window | exact ms | hour buckets ms | exact rate | bucket rate | units only exact | units only buckets |\n");
  fmt::print("|---|---|---|---|---|---|---|\n");
  for (const std::int64_t minutes : {5, 30, 60, 120}) {
    const std::int64_t w = minutes * 60'000;
    DetectionRate exact;
    const double exact_ms = median_ms([&] { exact = detection_rate(executions, alerts, w, false); });
    std::int64_t buckets = 0;
    const double bucket_ms = median_ms([&] { buckets = hour_bucket_correlated(executions, alerts, w, nullptr); });
    std::vector<std::uint8_t> a(units), b(units);
    exact_per_unit(executions, alerts, w, a);
    hour_bucket_correlated(executions, alerts, w, &b);
    std::size_t only_exact = 0, only_buckets = 0;
    for (std::size_t i = 0; i < units; ++i) only_exact += a[i] && !b[i], only_buckets += b[i] && !a[i];
    fmt::print("| ±{} min | {:.1f} | {:.1f} | {} | {} | {} | {} |\n", minutes, exact_ms, bucket_ms, exact.detection_rate,
               one_decimal_percent(buckets, static_cast<std::int64_t>(units)), only_exact, only_buckets);
  }
  const std::size_t pages = (distinct_pairs.size() + 9'999) / 10'000;
  const std::size_t alert_pages = (defender.alerts.size() + 9'999) / 10'000;
  fmt::print("\nElasticsearch, one detection-rate request: {} composite pages ({} buckets, ~{:.1f} MB of bucket JSON) "
             "+ {} sighting pages ({} hits, ~{:.1f} MB of hit JSON) = {} requests\n",
             pages, distinct_pairs.size(), pair_json_bytes / 1e6, alert_pages, defender.alerts.size(), hit_json_bytes / 1e6,
             pages + alert_pages);
  return 0;
}
