#pragma once
#include <cstddef>
#include <span>
#include <variant>
#include <vector>

#include "achilles/defender/detection_rate.hpp"
#include "achilles/domain/result_document.hpp"
#include "achilles/query/filter_params.hpp"
#include "achilles/query/questions.hpp"
#include "achilles/query/result_filter.hpp"
#include "achilles/scoring/unit_tally.hpp"

namespace achilles {

// A question asked together with others (ResultsIndex::ask_all).
struct TallyAsk {
  ResultFilter filter;
  ScoringMode mode = ScoringMode::AllStages;
};
// A breakdown asked together with other questions over one scan.
struct BreakdownAsk {
  ResultFilter filter;
  BreakdownQuestion question;
};
// A histogram asked together with other questions over one scan.
struct HistogramAsk {
  ResultFilter filter;
  HistogramQuestion question;
};
// A distinct count asked together with other questions over one scan.
struct DistinctAsk {
  ResultFilter filter;
  KeywordField field;
};
using BatchedQuestion = std::variant<TallyAsk, BreakdownAsk, HistogramAsk, DistinctAsk>;
// The answer to the question of the same position, of its kind:
// UnitTally, breakdown buckets, time buckets, or a distinct count.
using BatchedAnswer = std::variant<UnitTally, std::vector<Bucket>, std::vector<TimeBucket>, std::int64_t>;

// The questions analytics asks of stored results (the one query model of the
// architecture). Adapters: the embedded column store, Elasticsearch.
class ResultsIndex {
public:
  virtual ~ResultsIndex() = default;

  // Count: how many scoring units match `filter`, and how many are protected
  // under each predicate, with the unit collapse of `mode` (§2.8).
  virtual UnitTally tally(const ResultFilter& filter, ScoringMode mode) const = 0;

  // Breakdown by a dimension (analytics-spec §3.3, §3.5, §3.6).
  virtual std::vector<Bucket> breakdown(const ResultFilter& filter, const BreakdownQuestion& question) const = 0;

  // Date histogram on routing.event_time (§3.2, §3.5).
  virtual std::vector<TimeBucket> histogram(const ResultFilter& filter, const HistogramQuestion& question) const = 0;

  // Key pairs in key order, the first `size` of them (composite aggregation).
  virtual std::vector<KeyPairBucket> key_pairs(const ResultFilter& filter, const KeyPairQuestion& question) const = 0;

  // Distinct values of a field among matching documents (cardinality).
  virtual std::int64_t distinct_count(const ResultFilter& filter, KeywordField field) const = 0;

  // A page of matching documents, and how many match in all (§3.4.1-2).
  virtual DocumentPage page(const ResultFilter& filter, const PageQuestion& question) const = 0;

  // A page of runs (§3.4.3).
  virtual RunPage run_page(const ResultFilter& filter, const PageQuestion& question) const = 0;

  // When the matching executions of each technique ran: one time per
  // document with an event time and each distinct technique it carries, and
  // its host (the smallest hostname value) when `with_hosts`. By default read
  // through pages of documents; adapters answer it from their columns.
  virtual ExecutionTimeline execution_timeline(const ResultFilter& filter, bool with_hosts) const;

  // Several questions a use case needs together, answered in order. An
  // adapter behind a network answers them in one round trip (Elasticsearch:
  // _msearch); by default they are asked one by one.
  virtual std::vector<BatchedAnswer> ask_all(std::span<const BatchedQuestion> questions) const;
};

// Archiving: matching documents leave every query but are kept (§3.7).
class ResultsArchive {
public:
  virtual ~ResultsArchive() = default;
  // Moves the matching documents to the archive; returns how many moved.
  // Idempotent: archived documents no longer match anything.
  virtual std::size_t archive(const ResultFilter& filter) = 0;
};

// What a write does to a document whose id is already stored, as the two
// Elasticsearch bulk actions do: `index` replaces it (the original's writer
// re-sends corrected results under the same id, and the later one wins),
// `create` keeps the first.
enum class OnStoredId { Replace, Keep };

// What an import adds, replaces, and already had.
struct AppendOutcome {
  std::size_t added = 0;
  std::size_t replaced = 0;
  std::size_t duplicates = 0;  // stored already: identical, or kept under `create`
};

// Where imported result documents go. An archived id stays archived: a
// document with that id counts as a duplicate (archiving is final).
class ResultsSink {
public:
  virtual ~ResultsSink() = default;
  // Durable once it returns: a crash afterwards loses none of `documents`.
  virtual AppendOutcome append(std::span<const ResultDocument> documents,
                               OnStoredId on_stored = OnStoredId::Replace) = 0;
};

}  // namespace achilles
