#pragma once
#include "achilles/auth/principal.hpp"
#include "achilles/query/filter_params.hpp"
#include "achilles/scoring/defense_score.hpp"
#include "achilles/services/analytics_context.hpp"

namespace achilles {

// Use case behind GET /api/analytics/defense-score (analytics-spec §3.1).
class DefenseScoreService {
public:
  explicit DefenseScoreService(AnalyticsContext context) : ctx_(std::move(context)) {}

  DefenseScore score(const FilteredRequest& request, const Principal& caller) const;

private:
  AnalyticsContext ctx_;
};

}  // namespace achilles
