#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/risk_acceptances.hpp"
#include "achilles/query/result_filter.hpp"

namespace achilles {

// What a caller asks to accept (the POST body, not yet validated).
struct AcceptRiskRequest {
  std::string test_name;
  std::optional<std::string> control_id;
  std::optional<std::string> hostname;
  std::optional<std::string> scope;  // "host" | "global"; absent: host when a hostname is given
  std::string justification;
};

// One page of risk acceptances, with how many match in all.
struct RiskAcceptancePage {
  std::vector<RiskAcceptance> data;
  std::int64_t total = 0;  // every matching record, not only this page
};

// The /api/risk-acceptances use cases and the exclusions they impose on the
// defense-score family. Callers bound to an org see their org's records and
// those of no org (D9); a record of another org reads as unknown. Every call
// goes to the store, so a change shows in the very next score (D10).
class RiskAcceptanceService {
public:
  static constexpr std::size_t kMinTextLength = 10;  // justification and reason, after trimming
  static constexpr std::int64_t kDefaultPageSize = 50;
  // The original leaves pageSize unbounded; 500 keeps one reply small and
  // matches the lookup's limit.
  static constexpr std::int64_t kMaxPageSize = 500;
  static constexpr std::size_t kMaxLookupNames = 500;

  RiskAcceptanceService(RiskAcceptances& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Throws ValidationFailed (paths test_name, justification, scope, hostname).
  RiskAcceptance accept(const AcceptRiskRequest& request, const Principal& caller);
  // Throws ValidationFailed (reason), NotFound, or Conflict when already revoked.
  RiskAcceptance revoke(const std::string& id, const std::string& reason, const Principal& caller);
  // Throws NotFound ("Risk acceptance not found").
  RiskAcceptance get(const std::string& id, const Principal& caller) const;
  // status: "active" | "revoked" | empty; page ≥ 1; page_size 1..kMaxPageSize
  // (InvalidArgument otherwise). Newest accepted first.
  RiskAcceptancePage list(const std::string& status, const std::string& test_name, std::int64_t page,
                          std::int64_t page_size, const Principal& caller) const;
  // Active acceptances per asked test name (1..kMaxLookupNames names); every
  // asked name is a key, with an empty list when nothing is accepted.
  std::map<std::string, std::vector<RiskAcceptance>> lookup(const std::vector<std::string>& test_names,
                                                            const Principal& caller) const;

  // The §2.7 exclusion clauses for `org` ("" = every active acceptance):
  // a host-scoped record excludes its test on its host, any other record
  // its test (or its sub-control) everywhere.
  std::vector<RiskExclusion> exclusions_for(const std::string& org) const;

private:
  RiskAcceptances& store_;
  const Clock& clock_;
};

}  // namespace achilles
