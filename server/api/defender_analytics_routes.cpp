#include "api/defender_analytics_routes.hpp"

#include <boost/json.hpp>

#include "achilles/query/defender_request_parsing.hpp"
#include "codec/defender_analytics_json.hpp"

namespace achilles::server {

std::vector<Route> defender_analytics_routes(const DefenderAnalyticsService& a) {
  std::vector<Route> r;
  // Each answers only once the data it reads is there to read (the
  // original's "configured" guard), after the parameters are checked.
  auto get = [&](std::string path, std::function<JsonReply(const RouteCall&)> answer) {
    r.push_back({"GET", "/api/analytics/defender" + std::move(path), {Permission::AnalyticsDashboardsRead},
                 [&a, answer = std::move(answer)](const RouteCall& c) -> JsonReply {
                   a.require_defender_data();
                   return answer(c);
                 }});
  };
  get("/secure-score", [&a](const RouteCall&) -> JsonReply { return secure_score_json(a.secure_score()); });
  get("/secure-score/trend", [&a](const RouteCall& c) -> JsonReply {
    return secure_score_trend_json(a.secure_score_trend(defender_days_param(c.query, 90)));
  });
  get("/alerts/summary", [&a](const RouteCall&) -> JsonReply { return alert_summary_json(a.alert_summary()); });
  get("/alerts", [&a](const RouteCall& c) -> JsonReply {
    const auto request = parse_alert_list_request(c.query);
    return alert_list_json(a.alerts(request), request);
  });
  get("/alerts/trend", [&a](const RouteCall& c) -> JsonReply {
    return alert_trend_json(a.alert_trend(defender_days_param(c.query, 30)));
  });
  get("/controls", [&a](const RouteCall& c) -> JsonReply { return controls_json(a.controls(parse_controls_request(c.query))); });
  get("/controls/by-category", [&a](const RouteCall&) -> JsonReply { return control_categories_json(a.controls_by_category()); });
  get("/controls/correlation", [&a](const RouteCall& c) -> JsonReply {
    return control_correlation_json(a.control_correlation(parse_control_correlation_request(c.query)));
  });
  get("/correlation/scores", [&a](const RouteCall& c) -> JsonReply {
    return score_correlation_json(a.score_correlation(defender_days_param(c.query, 90), c.caller));
  });
  get("/correlation/techniques", [&a](const RouteCall& c) -> JsonReply {
    return technique_overlap_json(a.technique_overlap(c.caller));
  });
  get("/correlation/detection-rate", [&a](const RouteCall& c) -> JsonReply {
    return detection_rate_json(a.detection_rate(parse_detection_rate_request(c.query), c.caller));
  });
  get("/correlation/alerts-for-test", [&a](const RouteCall& c) -> JsonReply {
    return test_alerts_json(a.alerts_for_test(parse_test_alerts_request(c.query)));
  });
  return r;
}

}  // namespace achilles::server
