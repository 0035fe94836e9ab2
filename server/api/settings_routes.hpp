#pragma once
#include <vector>

#include "api/route.hpp"
#include "settings/analytics_settings_file.hpp"

namespace achilles::server {

// GET/POST /api/analytics/settings (analytics-spec §3.9.2-3).
std::vector<Route> settings_routes(AnalyticsSettingsFile& settings);

}  // namespace achilles::server
