#pragma once
#include <cstdint>

#include "achilles/query/query_params.hpp"
#include "achilles/services/defender_analytics_requests.hpp"

namespace achilles {

// Query strings of /api/analytics/defender/* into requests. Numbers must be
// whole and within bounds, or the request is refused naming the parameter
// (the original passes garbage on to Elasticsearch). An empty value counts
// as absent.
std::int64_t defender_days_param(const QueryParams& query, std::int64_t when_absent);
AlertListRequest parse_alert_list_request(const QueryParams& query);
ControlsRequest parse_controls_request(const QueryParams& query);
ControlCorrelationRequest parse_control_correlation_request(const QueryParams& query);
DetectionRateRequest parse_detection_rate_request(const QueryParams& query);
TestAlertsRequest parse_test_alerts_request(const QueryParams& query);

}  // namespace achilles
