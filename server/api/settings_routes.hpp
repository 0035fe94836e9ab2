#pragma once
#include <functional>
#include <vector>

#include "achilles/security/outbound_url.hpp"
#include "api/route.hpp"
#include "settings/analytics_settings_file.hpp"

namespace achilles::server {

// Networks an operator allows outbound connections to beyond the public
// internet (ACHILLES_ALLOWED_NETWORKS, comma-separated CIDRs).
std::vector<IpNetwork> allowed_networks_from(std::string_view csv);

// Called after settings are saved, with what was saved (the live switch).
using SettingsSaved = std::function<void(const AnalyticsSettings&)>;

// GET/POST /api/analytics/settings and POST /settings/test (analytics-spec
// §3.9.2-4). A node URL is saved or contacted only when the outbound guard
// admits it, whatever the connection type (the original checked
// "self-hosted" only, which no client sends).
std::vector<Route> settings_routes(AnalyticsSettingsFile& settings, std::vector<IpNetwork> allowed_networks = {},
                                   SettingsSaved on_saved = {});

}  // namespace achilles::server
