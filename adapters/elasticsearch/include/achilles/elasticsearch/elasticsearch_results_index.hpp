#pragma once
#include <memory>
#include <string>

#include "achilles/elasticsearch/cluster.hpp"
#include "achilles/ports/detection_marks.hpp"
#include "achilles/ports/results_index.hpp"

namespace achilles::elasticsearch {

// Which indices hold the results (analytics-spec §1.1).
struct ResultIndices {
  std::string read_pattern = "achilles-results-*";
  std::string write_prefix = "achilles-results-";
  std::string rollover = "none";  // none | daily | monthly
};

// "archived-" + the read pattern without its trailing '-' and '*' runs, so
// the archive never matches the read pattern.
std::string archive_index_for(const std::string& read_pattern);
// The write index of a document: the prefix, plus YYYY.MM.DD (daily) or
// YYYY.MM (monthly) of its event time in UTC.
std::string write_index_for(const ResultIndices& indices, std::optional<std::int64_t> event_time_ms);

// The results of an Elasticsearch cluster as a ResultsIndex (one _search per
// question, one _msearch per batch of questions), a ResultsSink (_bulk create: a stored _id is a duplicate) and a
// ResultsArchive (_reindex into the archive index, then _delete_by_query).
class ElasticsearchResultsIndex final : public ResultsIndex, public ResultsSink, public ResultsArchive, public DetectionMarks {
public:
  ElasticsearchResultsIndex(std::shared_ptr<EsTransport> transport, ResultIndices indices);

  UnitTally tally(const ResultFilter& filter, ScoringMode mode) const override;
  std::vector<Bucket> breakdown(const ResultFilter& filter, const BreakdownQuestion& question) const override;
  std::vector<TimeBucket> histogram(const ResultFilter& filter, const HistogramQuestion& question) const override;
  std::vector<KeyPairBucket> key_pairs(const ResultFilter& filter, const KeyPairQuestion& question) const override;
  std::int64_t distinct_count(const ResultFilter& filter, KeywordField field) const override;
  DocumentPage page(const ResultFilter& filter, const PageQuestion& question) const override;
  RunPage run_page(const ResultFilter& filter, const PageQuestion& question) const override;
  ExecutionTimeline execution_timeline(const ResultFilter& filter, bool with_hosts) const override;
  // Two or more questions: one _msearch.
  std::vector<BatchedAnswer> ask_all(std::span<const BatchedQuestion> questions) const override;

  // Visible to the next question once it returns (refresh=wait_for).
  AppendOutcome append(std::span<const ResultDocument> documents, OnStoredId on_stored = OnStoredId::Replace) override;
  std::size_t archive(const ResultFilter& filter) override;

  // Enrichment (detection_marks_dsl.hpp): the scan, and one _bulk of partial
  // updates per batch of marks (no refresh, as the original).
  std::vector<UndetectedExecution> undetected_executions(std::int64_t from_ms, std::int64_t stage_recheck_from_ms,
                                                         std::size_t limit, const std::optional<ExecutionCursor>& after) const override;
  std::vector<bool> mark_detected(std::span<const DetectionMark> marks) override;

  const EsCluster& cluster() const { return cluster_; }
  const ResultIndices& indices() const { return indices_; }

private:
  boost::json::object search(const boost::json::object& body) const;
  DocumentPage page_past_window(const ResultFilter& filter, const PageQuestion& question) const;
  EsCluster cluster_;
  ResultIndices indices_;
};

}  // namespace achilles::elasticsearch
