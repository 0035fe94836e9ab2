#include "achilles/defender/detection_rate.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "achilles/text/ascii_case.hpp"

namespace achilles {
namespace {

// Alert creation times of one technique, sorted; per evidence host when hosts count.
struct AlertTimes {
  std::vector<std::int64_t> all;
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> by_host;  // sorted by host
};

bool any_within(const std::vector<std::int64_t>& sorted, std::int64_t t, std::int64_t window_ms) {
  const auto it = std::lower_bound(sorted.begin(), sorted.end(), t - window_ms);
  return it != sorted.end() && *it <= t + window_ms;
}

bool any_within_on_host(const AlertTimes& a, const std::string& host, std::int64_t t, std::int64_t window_ms) {
  auto it = std::lower_bound(a.by_host.begin(), a.by_host.end(), host,
                             [](const auto& entry, const std::string& h) { return entry.first < h; });
  for (; it != a.by_host.end() && it->first.compare(0, host.size(), host) == 0; ++it)
    if (any_within(it->second, t, window_ms)) return true;
  return false;
}

std::unordered_map<std::string, AlertTimes> index_alerts(const std::vector<AlertSighting>& alerts, bool match_host) {
  std::unordered_map<std::string, AlertTimes> by_technique;
  std::unordered_map<std::string, std::unordered_map<std::string, std::vector<std::int64_t>>> hosts;
  for (const auto& s : alerts) {
    by_technique[s.technique].all.push_back(s.created_ms);
    if (match_host)
      for (const auto& h : s.hosts) hosts[s.technique][h].push_back(s.created_ms);
  }
  for (auto& [technique, times] : by_technique) {
    std::sort(times.all.begin(), times.all.end());
    if (!match_host) continue;
    for (auto& [host, t] : hosts[technique]) {
      std::sort(t.begin(), t.end());
      times.by_host.emplace_back(host, std::move(t));
    }
    std::sort(times.by_host.begin(), times.by_host.end());
  }
  return by_technique;
}

}  // namespace

std::string parent_technique(const std::string& technique) {
  const auto dot = technique.find('.');
  return dot == std::string::npos || dot == 0 ? std::string() : technique.substr(0, dot);
}

double one_decimal_percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return 0;
  return std::floor(static_cast<double>(part) / static_cast<double>(whole) * 1000 + 0.5) / 10;
}

DetectionRate detection_rate(const ExecutionTimeline& executions, const std::vector<AlertSighting>& alerts,
                             std::int64_t window_ms, bool match_host) {
  const auto alert_times = index_alerts(alerts, match_host);
  std::vector<std::string> upper_hosts;
  if (match_host)
    for (const auto& h : executions.hosts) upper_hosts.push_back(ascii_upper(h));

  DetectionRate out;
  for (const auto& te : executions.techniques) {
    if (te.times_ms.empty()) continue;
    std::vector<const AlertTimes*> sources;
    if (auto it = alert_times.find(te.technique); it != alert_times.end()) sources.push_back(&it->second);
    if (const auto parent = parent_technique(te.technique); !parent.empty())
      if (auto it = alert_times.find(parent); it != alert_times.end()) sources.push_back(&it->second);
    TechniqueDetection row{te.technique, static_cast<std::int64_t>(te.times_ms.size()), 0, false};
    if (window_ms >= 0 && !sources.empty()) {
      for (std::size_t i = 0; i < te.times_ms.size(); ++i) {
        const std::int64_t t = te.times_ms[i];
        const bool hit = std::any_of(sources.begin(), sources.end(), [&](const AlertTimes* a) {
          if (!match_host) return any_within(a->all, t, window_ms);
          if (i >= te.host_ids.size() || te.host_ids[i] >= upper_hosts.size()) return false;
          const std::string& host = upper_hosts[te.host_ids[i]];
          return !host.empty() && any_within_on_host(*a, host, t, window_ms);
        });
        row.correlated_executions += hit;
      }
    }
    row.detected = row.correlated_executions > 0;
    out.by_technique.push_back(std::move(row));
  }
  // The original's order: its terms buckets (executions descending, then
  // technique), then detected first.
  std::sort(out.by_technique.begin(), out.by_technique.end(), [](const auto& a, const auto& b) {
    return a.test_executions != b.test_executions ? a.test_executions > b.test_executions : a.technique < b.technique;
  });
  std::stable_sort(out.by_technique.begin(), out.by_technique.end(),
                   [](const auto& a, const auto& b) { return a.detected && !b.detected; });
  for (const auto& row : out.by_technique) {
    out.total_executions += row.test_executions;
    out.correlated_executions += row.correlated_executions;
    ++out.tested_techniques;
    out.detected_techniques += row.detected;
  }
  out.detection_rate = one_decimal_percent(out.correlated_executions, out.total_executions);
  return out;
}

}  // namespace achilles
