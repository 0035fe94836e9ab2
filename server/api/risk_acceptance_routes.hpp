#pragma once
#include <vector>

#include "achilles/services/risk_acceptance_service.hpp"
#include "api/route.hpp"

namespace achilles::server {

// /api/risk-acceptances (risk-acceptance.md).
std::vector<Route> risk_acceptance_routes(RiskAcceptanceService& service);

}  // namespace achilles::server
