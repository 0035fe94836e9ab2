#pragma once
// A ResultsIndex for use-case tests: it answers what the test set and
// records every question with its filter, so a test can check what a use
// case asks and how it turns the answers into its result.
#include <variant>
#include <vector>

#include "achilles/ports/results_index.hpp"

namespace achilles::mocks {

class RecordingResultsIndex final : public ResultsIndex {
public:
  struct Asked {
    ResultFilter filter;
    std::variant<ScoringMode, BreakdownQuestion, HistogramQuestion, KeyPairQuestion, KeywordField, PageQuestion> question;
    std::string kind;  // "tally", "breakdown", "histogram", "key_pairs", "distinct", "page", "run_page"
  };

  // Answers, the same for every question of a kind.
  UnitTally tally_answer;
  std::vector<Bucket> breakdown_answer;
  std::vector<TimeBucket> histogram_answer;
  std::vector<KeyPairBucket> key_pairs_answer;
  std::int64_t distinct_answer = 0;
  DocumentPage page_answer;
  RunPage run_page_answer;

  mutable std::vector<Asked> asked;

  UnitTally tally(const ResultFilter& f, ScoringMode m) const override { return record(f, m, "tally"), tally_answer; }
  std::vector<Bucket> breakdown(const ResultFilter& f, const BreakdownQuestion& q) const override {
    return record(f, q, "breakdown"), breakdown_answer;
  }
  std::vector<TimeBucket> histogram(const ResultFilter& f, const HistogramQuestion& q) const override {
    return record(f, q, "histogram"), histogram_answer;
  }
  std::vector<KeyPairBucket> key_pairs(const ResultFilter& f, const KeyPairQuestion& q) const override {
    return record(f, q, "key_pairs"), key_pairs_answer;
  }
  std::int64_t distinct_count(const ResultFilter& f, KeywordField k) const override {
    return record(f, k, "distinct"), distinct_answer;
  }
  DocumentPage page(const ResultFilter& f, const PageQuestion& q) const override { return record(f, q, "page"), page_answer; }
  RunPage run_page(const ResultFilter& f, const PageQuestion& q) const override {
    return record(f, q, "run_page"), run_page_answer;
  }

  const Asked& last(const std::string& kind) const {
    for (auto it = asked.rbegin(); it != asked.rend(); ++it)
      if (it->kind == kind) return *it;
    throw std::logic_error("no " + kind + " question was asked");
  }

private:
  template <typename Q>
  void record(const ResultFilter& f, const Q& q, const char* kind) const {
    asked.push_back({f, q, kind});
  }
};

// An archive that records the filters it was asked to archive.
class RecordingArchive final : public ResultsArchive {
public:
  std::size_t moved = 0;
  std::vector<ResultFilter> asked;
  std::size_t archive(const ResultFilter& filter) override {
    asked.push_back(filter);
    return moved;
  }
};

}  // namespace achilles::mocks
