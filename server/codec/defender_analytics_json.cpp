#include "codec/defender_analytics_json.hpp"

#include "achilles/json_fields/json_fields.hpp"
#include "achilles/query/date_math.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

using json_fields::string_array;
using json_fields::value_or_null;

json::object counts(const std::vector<AlertCount>& counts) {
  json::object out;
  for (const auto& c : counts) out[c.key] = c.count;
  return out;
}

// An alert as the drawer and the list show it.
json::object alert_item(const AlertDocument& a) {
  return {{"alert_id", a.alert_id},
          {"alert_title", a.alert_title},
          {"description", a.description},
          {"severity", a.severity},
          {"status", a.status},
          {"category", a.category},
          {"service_source", a.service_source},
          {"mitre_techniques", string_array(a.mitre_techniques)},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at.value_or("")},
          {"resolved_at", a.resolved_at && !a.resolved_at->empty() ? json::value(*a.resolved_at) : json::value(nullptr)},
          {"recommended_actions", a.recommended_actions}};
}

json::object recent_item(const AlertDocument& a) {
  return {{"alert_id", a.alert_id},
          {"title", a.alert_title},
          {"severity", a.severity},
          {"created_at", a.created_at},
          {"service_source", a.service_source}};
}


}  // namespace

json::object secure_score_json(const SecureScoreNow& s) {
  return {{"currentScore", s.current_score},
          {"maxScore", s.max_score},
          {"percentage", s.percentage},
          {"averageComparative", value_or_null(s.average_comparative)}};
}

json::array secure_score_trend_json(const std::vector<SecureScoreDocument>& scores) {
  json::array out;
  for (const auto& s : scores)
    out.push_back(json::object{{"date", s.timestamp},
                               {"score", s.current_score},
                               {"maxScore", s.max_score},
                               {"percentage", s.score_percentage}});
  return out;
}

json::object alert_summary_json(const AlertSummary& s) {
  json::array high, medium;
  for (const auto& a : s.recent_high) high.push_back(recent_item(a));
  for (const auto& a : s.recent_medium) medium.push_back(recent_item(a));
  return {{"total", s.tally.total},
          {"bySeverity", counts(s.tally.by_severity)},
          {"byStatus", counts(s.tally.by_status)},
          {"recentHigh", std::move(high)},
          {"recentMedium", std::move(medium)}};
}

json::object alert_list_json(const AlertPage& page, const AlertListRequest& request) {
  json::array data;
  for (const auto& a : page.alerts) {
    json::object item = alert_item(a);
    // Auto-resolve fields only on alerts a pass has decided about, as the original.
    if (a.f0rtika.auto_resolved) {
      item["auto_resolved"] = *a.f0rtika.auto_resolved;
      item["auto_resolved_at"] = value_or_null(a.f0rtika.auto_resolved_at);
      item["auto_resolve_mode"] = value_or_null(a.f0rtika.auto_resolve_mode);
    }
    data.push_back(std::move(item));
  }
  return {{"data", std::move(data)},
          {"total", page.total},
          {"page", request.page_number},
          {"pageSize", request.page_size}};
}

json::array alert_trend_json(const std::vector<AlertDay>& days) {
  json::array out;
  for (const auto& d : days)
    out.push_back(json::object{{"date", format_iso_millis(d.start_ms)},
                               {"count", d.count},
                               {"high", d.high},
                               {"medium", d.medium},
                               {"low", d.low}});
  return out;
}

json::array controls_json(const std::vector<ControlProfileDocument>& controls) {
  json::array out;
  for (const auto& c : controls)
    out.push_back(json::object{{"control_name", c.control_name},
                               {"control_category", c.control_category},
                               {"title", c.title},
                               {"implementation_cost", c.implementation_cost},
                               {"user_impact", c.user_impact},
                               {"rank", c.rank.value_or(0)},
                               {"threats", string_array(c.threats)},
                               {"deprecated", c.deprecated},
                               {"remediation_summary", c.remediation_summary},
                               {"action_url", c.action_url},
                               {"max_score", c.max_score},
                               {"tier", c.tier}});
  return out;
}

json::array control_categories_json(const std::vector<ControlCategory>& categories) {
  json::array out;
  for (const auto& c : categories)
    out.push_back(json::object{{"category", c.category}, {"count", c.count}, {"totalMaxScore", c.total_max_score}});
  return out;
}

json::object control_correlation_json(const ControlCorrelation& c) {
  return {{"coveredTechniques", string_array(c.covered_techniques)}, {"alertCount", c.alert_count}};
}

json::array score_correlation_json(const std::vector<ScoreCorrelationDay>& days) {
  json::array out;
  for (const auto& d : days)
    out.push_back(json::object{{"date", d.date},
                               {"defenseScore", value_or_null(d.defense_score)},
                               {"secureScore", value_or_null(d.secure_score)}});
  return out;
}

json::array technique_overlap_json(const std::vector<TechniqueOverlap>& overlap) {
  json::array out;
  for (const auto& t : overlap)
    out.push_back(json::object{{"technique", t.technique}, {"testResults", t.test_results}, {"defenderAlerts", t.defender_alerts}});
  return out;
}

json::object detection_rate_json(const DetectionRate& r) {
  json::array rows;
  for (const auto& t : r.by_technique)
    rows.push_back(json::object{{"technique", t.technique},
                                {"testExecutions", t.test_executions},
                                {"correlatedExecutions", t.correlated_executions},
                                {"detected", t.detected}});
  return {{"overall", json::object{{"detectionRate", r.detection_rate},
                                   {"totalExecutions", r.total_executions},
                                   {"correlatedExecutions", r.correlated_executions},
                                   {"testedTechniques", r.tested_techniques},
                                   {"detectedTechniques", r.detected_techniques}}},
          {"byTechnique", std::move(rows)}};
}

json::object test_alerts_json(const TestAlerts& t) {
  json::array alerts;
  for (const auto& a : t.alerts) {
    json::object item = alert_item(a.alert);
    item["attribution"] = a.attribution.stage ? "stage" : "bundle";
    if (a.attribution.stage) item["attributed_control_id"] = a.attribution.control_id;
    alerts.push_back(std::move(item));
  }
  return {{"alerts", std::move(alerts)}, {"matchedTechniques", string_array(t.matched_techniques)}, {"total", t.total}};
}

}  // namespace achilles::server
