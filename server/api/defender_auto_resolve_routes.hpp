#pragma once
#include <vector>

#include "achilles/services/defender_auto_resolve_service.hpp"
#include "api/route.hpp"

namespace achilles::server {

// /api/integrations/defender/auto-resolve/* (defender-spec §9.3): status and
// receipts with integrations:read, the mode with integrations:write.
std::vector<Route> defender_auto_resolve_routes(DefenderAutoResolveService& auto_resolve);

}  // namespace achilles::server
