#pragma once
#include <functional>
#include <string>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/results_index.hpp"
#include "achilles/query/result_filter.hpp"
#include "achilles/services/analytics_requests.hpp"

namespace achilles {

// The active risk exclusions that apply to an org ("" = every active one).
// Asked on every request, so an acceptance or revocation counts at once (D10).
using ExclusionLookup = std::function<std::vector<RiskExclusion>(const std::string& org)>;

// What every analytics use case works with.
struct AnalyticsContext {
  const ResultsIndex& index;
  const Clock& clock;  // what the server resolves a request's `now` against
  ExclusionLookup exclusions = [](const std::string&) { return std::vector<RiskExclusion>{}; };

  // The one scoping step of every analytics request: an org-bound caller
  // pinned to its organisation, asking for another refused (AccessDenied).
  static FilteredRequest scoped(FilteredRequest request, const Principal& caller);
};

// Counts of one score under the trend/breakdown family's predicates
// (analytics-spec §2.8 third row): documents count when strictly protected,
// any-stage bundle runs when protected or detected by Defender.
struct UnitScore {
  std::int64_t total = 0;
  std::int64_t protected_count = 0;
};
UnitScore family_score(const UnitTally& tally);

}  // namespace achilles
