#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "achilles/domain/risk_acceptance.hpp"
#include "achilles/services/risk_acceptance_service.hpp"

namespace achilles::server {

// A record with the original's snake_case keys and ISO-8601 millisecond
// times; absent fields are left out (D12). `scope` is always sent, legacy
// records with their effective scope.
boost::json::object risk_acceptance_json(const RiskAcceptance& record);

// The request bodies of risk-acceptance.md. A field of the wrong JSON type
// (or a missing required one) fails validation with its dotted path.
AcceptRiskRequest accept_risk_request(const boost::json::object& body);  // POST /api/risk-acceptances
std::string revoke_reason(const boost::json::object& body);              // POST …/:id/revoke
std::vector<std::string> lookup_test_names(const boost::json::object& body);  // POST …/lookup

}  // namespace achilles::server
