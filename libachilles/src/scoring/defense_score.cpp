#include "achilles/scoring/defense_score.hpp"

#include <algorithm>

#include "achilles/scoring/percent.hpp"

namespace achilles {

ScoreCounts headline_counts(const UnitTally& tally) {
  return {tally.units(), tally.documents.strict + tally.bundle_runs.strict,
          tally.documents.combined + tally.bundle_runs.combined};
}

DefenseScore compute_defense_score(const ScoreCounts& a, const std::optional<ScoreCounts>& raw) {
  DefenseScore s;
  s.score = rounded_percent(a.combined, a.total);
  s.protected_count = a.strict;
  s.detected_count = a.combined - a.strict;
  s.unprotected_count = a.total - a.combined;
  s.total_executions = a.total;
  s.real_score = rounded_percent(a.strict, a.total);
  if (!raw) {
    s.raw_score = s.score;
    return s;
  }
  s.unexcluded = UnexcludedCounts{raw->combined, raw->total - raw->combined, raw->total};
  s.raw_score = rounded_percent(raw->combined, raw->total);
  s.risk_accepted_count = std::max<std::int64_t>(0, raw->total - a.total);
  return s;
}

}  // namespace achilles
