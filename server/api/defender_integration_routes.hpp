#pragma once
#include <vector>

#include "achilles/services/defender_integration_service.hpp"
#include "achilles/services/defender_sync_service.hpp"
#include "api/route.hpp"

namespace achilles::server {

// /api/integrations/defender (defender-spec §9.3): read with
// integrations:read, change with integrations:write.
std::vector<Route> defender_integration_routes(DefenderIntegrationService& integration, DefenderSyncService& sync);

}  // namespace achilles::server
