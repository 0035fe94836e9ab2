#pragma once
#include <boost/json/object.hpp>

#include "achilles/domain/risk_acceptance.hpp"
#include "achilles/services/risk_acceptance_service.hpp"

namespace achilles::server {

// A record with the original's snake_case keys; absent fields are left out.
boost::json::object risk_acceptance_json(const RiskAcceptance& record);

// POST /api/risk-acceptances body; wrong JSON types fail validation.
AcceptRiskRequest accept_risk_request(const boost::json::object& body);

}  // namespace achilles::server
