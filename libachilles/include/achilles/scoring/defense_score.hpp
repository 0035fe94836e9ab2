#pragma once
#include <cstdint>
#include <optional>

#include "achilles/scoring/unit_tally.hpp"

namespace achilles {

// Counts behind one headline score: every unit, those protected by the EDR
// alone (strict), and those protected or seen by Defender (combined).
struct ScoreCounts {
  std::int64_t total = 0;
  std::int64_t strict = 0;
  std::int64_t combined = 0;
  bool operator==(const ScoreCounts&) const = default;
};

// The headline family's predicates (§2.8 first two rows): the same predicate
// for document units and bundle-run units.
ScoreCounts headline_counts(const UnitTally& tally);

// Present only when a risk acceptance excluded something: the unexcluded
// combined numbers (they pair with rawScore, not with realScore).
struct UnexcludedCounts {
  std::int64_t protected_count = 0;
  std::int64_t unprotected_count = 0;
  std::int64_t total = 0;
  bool operator==(const UnexcludedCounts&) const = default;
};

// GET /api/analytics/defense-score (analytics-spec §3.1).
struct DefenseScore {
  double score = 0;  // combined / total, exclusions applied
  std::int64_t protected_count = 0;
  std::int64_t detected_count = 0;
  std::int64_t unprotected_count = 0;
  std::int64_t total_executions = 0;
  double real_score = 0;  // strict / total, exclusions applied
  std::optional<UnexcludedCounts> unexcluded;
  double raw_score = 0;  // combined / total, exclusions not applied
  std::int64_t risk_accepted_count = 0;
  bool operator==(const DefenseScore&) const = default;
};

// `unexcluded` is the same question without risk exclusions; pass it only when
// at least one acceptance is active.
DefenseScore compute_defense_score(const ScoreCounts& adjusted,
                                   const std::optional<ScoreCounts>& unexcluded);

}  // namespace achilles
