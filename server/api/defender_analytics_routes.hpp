#pragma once
#include <vector>

#include "achilles/services/defender_analytics_service.hpp"
#include "api/route.hpp"

namespace achilles::server {

// /api/analytics/defender/* (defender-spec §9.2), for every reader of the dashboards.
std::vector<Route> defender_analytics_routes(const DefenderAnalyticsService& analytics);

}  // namespace achilles::server
