#pragma once
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "achilles/domain/risk_acceptance.hpp"

namespace achilles::elasticsearch {

// The original's risk acceptance index (risk-acceptance.md).
inline constexpr const char* kRiskAcceptancesIndex = "achilles-risk-acceptances";

// Its mapping: the original's, plus org_id as a keyword (the original adds
// org_id to records but leaves it to dynamic mapping, as text, where an
// exact org filter cannot work).
boost::json::value risk_acceptances_index_body();

// A record as the original stores it: times as ISO-8601 with milliseconds,
// absent optional fields left out (a legacy record has no scope).
boost::json::object encode_risk_acceptance(const RiskAcceptance& record);
// The fields a revoke adds to a record (an _update's partial document).
boost::json::object encode_revocation(std::int64_t revoked_at_ms, const std::string& revoked_by,
                                      const std::string& revoked_by_name, const std::string& reason);
// Reads a stored record. Times may be ISO-8601 or epoch milliseconds; an
// unknown status reads as revoked (it excludes nothing). A record without
// an id, a test name or a readable accepted_at throws BackendUnavailable:
// a score must not quietly ignore an acceptance it cannot read.
RiskAcceptance decode_risk_acceptance(const boost::json::object& source, std::string_view document_id);

}  // namespace achilles::elasticsearch
