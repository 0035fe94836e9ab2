#pragma once
#include <vector>

#include "achilles/ports/pfx_reader.hpp"
#include "achilles/services/defender_integration_service.hpp"
#include "achilles/services/defender_sync_service.hpp"
#include "api/route.hpp"

namespace achilles::server {

// /api/integrations/defender (defender-spec §9.3): read with
// integrations:read, change with integrations:write.
// `pfx`: reads uploaded certificates for POST /parse-pfx (absent: no route).
std::vector<Route> defender_integration_routes(DefenderIntegrationService& integration, DefenderSyncService& sync,
                                               const PfxReader* pfx);

}  // namespace achilles::server
