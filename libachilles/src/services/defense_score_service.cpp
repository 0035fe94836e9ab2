#include "achilles/services/defense_score_service.hpp"

#include "achilles/query/result_filter.hpp"

namespace achilles {

DefenseScore DefenseScoreService::score(const FilteredRequest& request, const Principal& caller) const {
  const auto [now, params] = AnalyticsContext::scoped(request, caller);
  const ResultFilter raw = defense_score_filter(params, now);
  auto exclusions = ctx_.exclusions(params.org);
  if (exclusions.empty())  // DS_ADJ equals DS_RAW: one question
    return compute_defense_score(headline_counts(ctx_.index.tally(raw, params.scoring_mode)), std::nullopt);
  // DS_ADJ and DS_RAW together: one round trip to a remote index.
  const BatchedQuestion both[] = {TallyAsk{with_exclusions(raw, std::move(exclusions)), params.scoring_mode},
                                  TallyAsk{raw, params.scoring_mode}};
  const auto answers = ctx_.index.ask_all(both);
  return compute_defense_score(headline_counts(std::get<UnitTally>(answers[0])),
                               headline_counts(std::get<UnitTally>(answers[1])));
}

}  // namespace achilles
