#pragma once
#include <chrono>
#include <filesystem>
#include <mutex>

#include "achilles/embedded/column_store.hpp"
#include "achilles/embedded/sqlite_results_file.hpp"
#include "achilles/ports/clock.hpp"

namespace achilles::embedded {

// The default ResultsIndex: a column store loaded from the SQLite file at
// start and brought up to date before each question when another process
// (an `achilles import`) has committed to the file.
class EmbeddedResultsIndex final : public ResultsIndex, public ResultsSink, public ResultsArchive, public DetectionMarks {
public:
  // `write_wait`: how long an archive or append waits for an import's
  // write lock before it is refused with BackendUnavailable (the API's 503).
  explicit EmbeddedResultsIndex(const std::filesystem::path& database,
                                std::chrono::milliseconds write_wait = std::chrono::seconds(2));

  UnitTally tally(const ResultFilter& filter, ScoringMode mode) const override;
  std::vector<Bucket> breakdown(const ResultFilter& filter, const BreakdownQuestion& question) const override;
  std::vector<TimeBucket> histogram(const ResultFilter& filter, const HistogramQuestion& question) const override;
  std::vector<KeyPairBucket> key_pairs(const ResultFilter& filter, const KeyPairQuestion& question) const override;
  std::int64_t distinct_count(const ResultFilter& filter, KeywordField field) const override;
  DocumentPage page(const ResultFilter& filter, const PageQuestion& question) const override;
  RunPage run_page(const ResultFilter& filter, const PageQuestion& question) const override;
  ExecutionTimeline execution_timeline(const ResultFilter& filter, bool with_hosts) const override;

  AppendOutcome append(std::span<const ResultDocument> documents, OnStoredId on_stored = OnStoredId::Replace) override;
  std::size_t archive(const ResultFilter& filter) override;

  // Candidates named by their row's sequence number; marks written to the
  // file first (one transaction), then to memory.
  std::vector<UndetectedExecution> undetected_executions(std::int64_t from_ms, std::int64_t stage_recheck_from_ms,
                                                         std::size_t limit, const std::optional<ExecutionCursor>& after) const override;
  std::vector<bool> mark_detected(std::span<const DetectionMark> marks) override;

  std::size_t size() const { return store_.size(); }

private:
  void catch_up() const;
  void load_new_rows_locked() const;

  mutable SqliteResultsFile file_;
  mutable ColumnStore store_{ColumnStore::Dedup::Trusted};
  mutable std::mutex catch_up_mutex_;
  mutable std::int64_t loaded_through_ = 0;
  SystemClock clock_;
};

}  // namespace achilles::embedded
