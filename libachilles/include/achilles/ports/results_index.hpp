#pragma once
#include <cstddef>
#include <span>

#include "achilles/domain/result_document.hpp"
#include "achilles/query/filter_params.hpp"
#include "achilles/query/result_filter.hpp"
#include "achilles/scoring/unit_tally.hpp"

namespace achilles {

// The questions analytics asks of stored results (the one query model of the
// architecture). Adapters: the embedded column store, Elasticsearch.
class ResultsIndex {
public:
  virtual ~ResultsIndex() = default;

  // Count: how many scoring units match `filter`, and how many are protected
  // under each predicate, with the unit collapse of `mode` (§2.8).
  virtual UnitTally tally(const ResultFilter& filter, ScoringMode mode) const = 0;
};

// What an import adds, and what it already had.
struct AppendOutcome {
  std::size_t added = 0;
  std::size_t duplicates = 0;
};

// Where imported result documents go. A document whose id is already stored
// is a duplicate and changes nothing.
class ResultsSink {
public:
  virtual ~ResultsSink() = default;
  // Durable once it returns: a crash afterwards loses none of `documents`.
  virtual AppendOutcome append(std::span<const ResultDocument> documents) = 0;
};

}  // namespace achilles
