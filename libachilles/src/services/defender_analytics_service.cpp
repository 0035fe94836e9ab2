#include "achilles/services/defender_analytics_service.hpp"

#include <algorithm>
#include <map>

#include "achilles/defender/control_techniques.hpp"
#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles {
namespace {

// The executions the Defender comparisons count (defender-spec §4.3): attack
// simulations only, every document the caller may see.
ResultFilter simulations(const Principal& caller, std::optional<std::int64_t> from_ms) {
  ResultFilter f;
  f.test_data_only = false;
  f.attack_simulation_only = true;
  f.from_ms = from_ms;
  f.requires_event_time = from_ms.has_value();
  if (!caller.org_id.empty()) f.keywords.push_back({{KeywordField::OrgId}, {caller.org_id}});
  return f;
}

std::string day_of(std::int64_t ms) { return format_iso_millis(ms).substr(0, 10); }

}  // namespace

DefenderAnalyticsService::DefenderAnalyticsService(const DefenderStore& store, const ResultsIndex& results,
                                                   const Clock& clock, std::function<bool()> integration_configured)
    : store_(store), results_(results), clock_(clock), configured_(std::move(integration_configured)) {}

void DefenderAnalyticsService::require_defender_data() const {
  if (configured_ && configured_()) return;
  // Data kept from an earlier connection, or the demo set, is still shown.
  if (!store_.secure_scores().empty() || store_.find_alerts({}, {AlertSortField::CreatedAt, true, 0, 1}).total > 0) return;
  throw InvalidArgument("Defender integration is not configured");
}

std::int64_t DefenderAnalyticsService::window_start(std::int64_t days) const {
  return start_of_day(clock_.now_ms()) - days * kMillisPerDay;
}

SecureScoreNow DefenderAnalyticsService::secure_score() const {
  const auto scores = store_.secure_scores();
  if (scores.empty()) return {};
  const auto& s = scores.front();
  return {s.current_score, s.max_score, s.score_percentage, s.average_comparative_score};
}

std::vector<SecureScoreDocument> DefenderAnalyticsService::secure_score_trend(std::int64_t days) const {
  // Every day in the window, today's included (the original asks for `days`
  // documents oldest first and so drops the newest once the window is full).
  const std::int64_t from = window_start(days);
  std::vector<SecureScoreDocument> out;
  for (auto& s : store_.secure_scores())
    if (const auto t = alert_time_ms(s.timestamp); t && *t >= from) out.push_back(std::move(s));
  std::reverse(out.begin(), out.end());
  return out;
}

AlertSummary DefenderAnalyticsService::alert_summary() const {
  AlertSummary s;
  s.tally = store_.tally_alerts({});
  for (const char* severity : {"high", "medium"}) {
    AlertQuery q;
    q.severity = severity;
    auto page = store_.find_alerts(q, {AlertSortField::CreatedAt, true, 0, 5});
    (std::string_view(severity) == "high" ? s.recent_high : s.recent_medium) = std::move(page.alerts);
  }
  return s;
}

AlertPage DefenderAnalyticsService::alerts(const AlertListRequest& request) const {
  return store_.find_alerts(request.query, request.page);
}

std::vector<AlertDay> DefenderAnalyticsService::alert_trend(std::int64_t days) const {
  AlertQuery q;
  q.created_from_ms = window_start(days);
  return store_.tally_alerts(q).by_day;
}

std::vector<ControlProfileDocument> DefenderAnalyticsService::controls(const ControlsRequest& r) const {
  std::vector<ControlProfileDocument> out;
  for (auto& c : store_.control_profiles()) {
    if (r.category && c.control_category != *r.category) continue;
    if (r.deprecated && c.deprecated != *r.deprecated) continue;
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.rank.has_value() != b.rank.has_value()) return a.rank.has_value();  // unranked last
    return a.rank && *a.rank < *b.rank;
  });
  if (out.size() > kMaxControls) out.resize(kMaxControls);
  return out;
}

std::vector<ControlCategory> DefenderAnalyticsService::controls_by_category() const {
  std::map<std::string, ControlCategory> by;
  for (const auto& c : store_.control_profiles()) {
    if (c.deprecated || c.control_category.empty()) continue;
    auto& cat = by[c.control_category];
    cat.category = c.control_category;
    ++cat.count;
    cat.total_max_score += c.max_score;
  }
  std::vector<ControlCategory> out;
  for (auto& [k, v] : by) out.push_back(std::move(v));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  if (out.size() > kMaxControlCategories) out.resize(kMaxControlCategories);
  return out;
}

ControlCorrelation DefenderAnalyticsService::control_correlation(const ControlCorrelationRequest& r) const {
  ControlCorrelation out;
  out.covered_techniques = techniques_defended_by(r.control_title);
  if (out.covered_techniques.empty()) return out;
  AlertQuery q;
  q.techniques = out.covered_techniques;
  q.created_from_ms = window_start(r.days);
  out.alert_count = store_.tally_alerts(q).total;
  return out;
}

std::vector<ScoreCorrelationDay> DefenderAnalyticsService::score_correlation(std::int64_t days,
                                                                             const Principal& caller) const {
  std::map<std::string, ScoreCorrelationDay> by_day;
  for (const auto& s : secure_score_trend(days)) {
    const std::string date = s.timestamp.substr(0, s.timestamp.find('T'));
    by_day[date].date = date;
    by_day[date].secure_score = s.score_percentage;
  }
  HistogramQuestion q;
  q.interval = CalendarInterval::Day;
  for (const auto& b : results_.histogram(simulations(caller, window_start(days)), q)) {
    const std::string date = day_of(b.start_ms);
    by_day[date].date = date;
    if (b.documents > 0)
      by_day[date].defense_score =
          static_cast<double>(b.tally.documents.strict) / static_cast<double>(b.documents) * 100;
  }
  std::vector<ScoreCorrelationDay> out;
  for (auto& [date, day] : by_day) out.push_back(std::move(day));
  return out;
}

std::vector<TechniqueOverlap> DefenderAnalyticsService::technique_overlap(const Principal& caller) const {
  const auto tested = results_.breakdown(simulations(caller, std::nullopt),
                                         BreakdownQuestion::top(Dimension::keyword(KeywordField::Techniques), 100));
  const auto alerted = store_.tally_alerts({}).by_technique;
  std::vector<TechniqueOverlap> out;
  for (const auto& b : tested) {
    auto it = std::find_if(alerted.begin(), alerted.end(), [&](const AlertCount& a) { return a.key == b.key; });
    if (it != alerted.end() && b.documents > 0 && it->count > 0) out.push_back({b.key, b.documents, it->count});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.test_results + a.defender_alerts > b.test_results + b.defender_alerts;
  });
  return out;
}

DetectionRate DefenderAnalyticsService::detection_rate(const DetectionRateRequest& r, const Principal& caller) const {
  const std::int64_t from = window_start(r.days);
  const std::int64_t window_ms = r.window_minutes * 60'000;
  const auto executions = results_.execution_timeline(simulations(caller, from), r.match_host);
  // An execution at the window's first minute may be matched by an alert
  // just before it: the alerts are read from a window earlier.
  const auto alerts = store_.alert_sightings(from - window_ms, r.match_host);
  return achilles::detection_rate(executions, alerts, window_ms, r.match_host);
}

TestAlerts DefenderAnalyticsService::alerts_for_test(const TestAlertsRequest& r) const {
  const auto tiers = test_alert_tiers(r);
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    auto page = store_.find_alerts(tiers[i].query, {AlertSortField::CreatedAt, false, 0, kTestAlertsLimit});
    if (page.total > 0 || i + 1 == tiers.size()) return test_alerts_of(r, std::move(page.alerts), page.total);
  }
  return {};
}

}  // namespace achilles
