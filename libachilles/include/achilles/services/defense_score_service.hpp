#pragma once
#include "achilles/auth/principal.hpp"
#include "achilles/ports/clock.hpp"
#include "achilles/ports/results_index.hpp"
#include "achilles/query/filter_params.hpp"
#include "achilles/scoring/defense_score.hpp"

namespace achilles {

// Use case behind GET /api/analytics/defense-score (analytics-spec §3.1).
class DefenseScoreService {
public:
  DefenseScoreService(const ResultsIndex& index, const Clock& clock) : index_(index), clock_(clock) {}

  DefenseScore score(const FilterParams& params, const Principal& caller) const;

private:
  const ResultsIndex& index_;
  const Clock& clock_;
};

}  // namespace achilles
