#pragma once
#include <functional>
#include <string>
#include <vector>

#include "achilles/auth/principal.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/results_index.hpp"
#include "achilles/query/result_filter.hpp"

namespace achilles {

// The active risk exclusions that apply to an org ("" = every active one).
// Asked on every request, so an acceptance or revocation counts at once (D10).
using ExclusionLookup = std::function<std::vector<RiskExclusion>(const std::string& org)>;

// A request's moment and its filters, scoped to the caller (D9).
struct ScopedQuery {
  std::int64_t now_ms;
  FilterParams filters;
};

// What every analytics use case works with.
struct AnalyticsContext {
  const ResultsIndex& index;
  const Clock& clock;
  ExclusionLookup exclusions = [](const std::string&) { return std::vector<RiskExclusion>{}; };

  // The one scoping step of every analytics request: now, the shared filter
  // vocabulary parsed (400s name the parameter), and an org-bound caller
  // pinned to its organisation.
  ScopedQuery scoped(const QueryParams& query, const Principal& caller) const;
};

// Counts of one score under the trend/breakdown family's predicates
// (analytics-spec §2.8 third row): documents count when strictly protected,
// any-stage bundle runs when protected or detected by Defender.
struct UnitScore {
  std::int64_t total = 0;
  std::int64_t protected_count = 0;
};
UnitScore family_score(const UnitTally& tally);

// parseInt(text) with the original's "falsy → fallback" rule; a negative
// value is refused (Elasticsearch would answer 400) naming the parameter.
std::int64_t count_param(const QueryParams& params, std::string_view key, std::int64_t when_absent,
                         std::int64_t when_falsy);

}  // namespace achilles
