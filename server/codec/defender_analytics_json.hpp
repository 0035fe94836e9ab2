#pragma once
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "achilles/services/defender_analytics_service.hpp"

namespace achilles::server {

// The bodies of /api/analytics/defender/* as the original's Defender tab reads
// them (defender-spec §9.2): bare, snake_case for alert fields, camelCase elsewhere.
boost::json::object secure_score_json(const SecureScoreNow& score);
boost::json::array secure_score_trend_json(const std::vector<SecureScoreDocument>& scores);
boost::json::object alert_summary_json(const AlertSummary& summary);
boost::json::object alert_list_json(const AlertPage& page, const AlertListRequest& request);
boost::json::array alert_trend_json(const std::vector<AlertDay>& days);
boost::json::array controls_json(const std::vector<ControlProfileDocument>& controls);
boost::json::array control_categories_json(const std::vector<ControlCategory>& categories);
boost::json::object control_correlation_json(const ControlCorrelation& correlation);
boost::json::array score_correlation_json(const std::vector<ScoreCorrelationDay>& days);
boost::json::array technique_overlap_json(const std::vector<TechniqueOverlap>& overlap);
boost::json::object detection_rate_json(const DetectionRate& rate);
boost::json::object test_alerts_json(const TestAlerts& alerts);

}  // namespace achilles::server
