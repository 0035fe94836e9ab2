#pragma once
#include <vector>

#include "achilles/ports/clock.hpp"
#include "achilles/ports/results_index.hpp"
#include "api/route.hpp"

namespace achilles::server {

// /api/analytics/* (analytics-spec §3): every route needs analytics:dashboards:read.
std::vector<Route> analytics_routes(const ResultsIndex& results, const Clock& clock);

}  // namespace achilles::server
