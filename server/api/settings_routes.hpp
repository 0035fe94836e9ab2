#pragma once
#include <functional>
#include <vector>

#include <memory>

#include "achilles/security/outbound_url.hpp"
#include "achilles/services/index_service.hpp"
#include "api/route.hpp"
#include "settings/analytics_settings_file.hpp"

namespace achilles::server {

// Networks an operator allows outbound connections to beyond the public
// internet (ACHILLES_ALLOWED_NETWORKS, comma-separated CIDRs).
std::vector<IpNetwork> allowed_networks_from(std::string_view csv);

// The composition root's side of a settings change: it checks where the
// settings point (the outbound policy) and builds what they ask for, and
// returns the step that switches to it, or throws InvalidArgument saying why
// they cannot serve. Nothing switches until the step runs, after the file is
// saved (D16).
using PrepareBackend = std::function<std::function<void()>(const AnalyticsSettings&)>;

// GET/POST/DELETE /api/analytics/settings and POST /settings/test
// (analytics-spec §3.9.2-4). A save that cannot serve (unknown
// connectionType, no cloudId or node, a refused node) is a 400 naming the
// field and changes nothing. A node URL is saved or contacted only when the
// outbound guard admits it, whatever the connection type. DELETE removes the
// saved settings: the server goes back to ELASTICSEARCH_* or, without them,
// the embedded store.
std::vector<Route> settings_routes(AnalyticsSettingsFile& settings, std::shared_ptr<const IndexService> indices,
                                   PrepareBackend prepare);

}  // namespace achilles::server
