#pragma once
#include <vector>

#include "achilles/services/analytics_context.hpp"
#include "api/route.hpp"

namespace achilles::server {

// /api/analytics/* (analytics-spec §3): every route needs analytics:dashboards:read.
std::vector<Route> analytics_routes(const AnalyticsContext& context, ResultsArchive& archive);

}  // namespace achilles::server
