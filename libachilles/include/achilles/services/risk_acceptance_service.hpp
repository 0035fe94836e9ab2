#pragma once
#include <map>
#include <string>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/risk_acceptances.hpp"
#include "achilles/query/result_filter.hpp"

namespace achilles {

struct AcceptRiskRequest {
  std::string test_name;
  std::optional<std::string> control_id;
  std::optional<std::string> hostname;
  std::optional<std::string> scope;  // "host" | "global"
  std::string justification;
};

struct RiskAcceptancePage {
  std::vector<RiskAcceptance> data;
  std::int64_t total = 0;
};

// The /api/risk-acceptances use cases and the exclusions they impose on the
// defense-score family. Callers bound to an org see their org's records and
// those of no org.
class RiskAcceptanceService {
public:
  RiskAcceptanceService(RiskAcceptances& store, const Clock& clock) : store_(store), clock_(clock) {}

  RiskAcceptance accept(const AcceptRiskRequest& request, const Principal& caller);
  RiskAcceptance revoke(const std::string& id, const std::string& reason, const Principal& caller);
  RiskAcceptance get(const std::string& id, const Principal& caller) const;
  // status: "active" | "revoked" | empty; page ≥ 1; page_size 1..500.
  RiskAcceptancePage list(const std::string& status, const std::string& test_name, std::int64_t page,
                          std::int64_t page_size, const Principal& caller) const;
  // Active acceptances per test name (1..500 names).
  std::map<std::string, std::vector<RiskAcceptance>> lookup(const std::vector<std::string>& test_names,
                                                            const Principal& caller) const;

  // The §2.7 exclusion clauses for `org` ("" = every active acceptance).
  std::vector<RiskExclusion> exclusions_for(const std::string& org) const;

private:
  RiskAcceptances& store_;
  const Clock& clock_;
};

}  // namespace achilles
