#pragma once
#include <vector>

#include "achilles/services/analytics_context.hpp"
#include "api/route.hpp"

namespace achilles::server {

// Results in the formats other tools read, with the shared filters and
// organisation scoping of the dashboards (analytics:dashboards:read):
// GET /api/analytics/export/attack-navigator, an ATT&CK Navigator layer;
// GET /api/analytics/export/executions.csv, every matching execution, streamed.
std::vector<Route> export_routes(const AnalyticsContext& context);

}  // namespace achilles::server
