#include "achilles/domain/risk_acceptance.hpp"

#include "achilles/ports/risk_acceptances.hpp"

namespace achilles {

std::optional<RiskScope> parse_risk_scope(std::string_view text) {
  if (text == risk_scope_name(RiskScope::Host)) return RiskScope::Host;
  if (text == risk_scope_name(RiskScope::Global)) return RiskScope::Global;
  return std::nullopt;
}

RiskScope stored_risk_scope(std::string_view text) {
  return text == risk_scope_name(RiskScope::Host) ? RiskScope::Host : RiskScope::Global;
}

std::optional<RiskStatus> parse_risk_status(std::string_view text) {
  if (text == risk_status_name(RiskStatus::Active)) return RiskStatus::Active;
  if (text == risk_status_name(RiskStatus::Revoked)) return RiskStatus::Revoked;
  return std::nullopt;
}

// The one definition of the query's meaning; the SQLite adapter's WHERE
// clause says the same, and the contract suite holds them together.
bool RiskAcceptanceQuery::matches(const RiskAcceptance& r) const {
  if (status && r.status != *status) return false;
  if (test_name && r.test_name != *test_name) return false;
  if (org_id && r.org_id && *r.org_id != *org_id) return false;
  return true;
}

}  // namespace achilles
