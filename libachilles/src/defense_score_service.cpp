#include "achilles/services/defense_score_service.hpp"

#include "achilles/query/result_filter.hpp"
#include "achilles/services/org_scope.hpp"

namespace achilles {

DefenseScore DefenseScoreService::score(const FilterParams& requested, const Principal& caller) const {
  const FilterParams params = scoped_to(requested, caller);
  const ResultFilter raw = defense_score_filter(params, clock_.now_ms());
  // Risk acceptances join here (DS_ADJ) with the RiskAcceptances port; with
  // none active the adjusted question equals the raw one and is asked once.
  const ScoreCounts adjusted = headline_counts(index_.tally(raw, params.scoring_mode));
  return compute_defense_score(adjusted, std::nullopt);
}

}  // namespace achilles
