#pragma once
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "achilles/embedded/column_store.hpp"
#include "achilles/embedded/sqlite_results_file.hpp"
#include "achilles/ports/clock.hpp"

namespace achilles::embedded {

// The default ResultsIndex: a column store loaded from the SQLite file at
// start and brought up to date before each question when another process
// (an `achilles import`) has committed to the file. With 50,000 rows or more
// it keeps a columnar snapshot beside the file (written after a start that
// decoded that many rows, and when it closes), so the next start reads
// arrays and decodes only the rows stored since. The start's snapshot is
// written on a thread of its own while questions are answered.
class EmbeddedResultsIndex final : public ResultsIndex, public ResultsSink, public ResultsArchive, public DetectionMarks {
public:
  // `write_wait`: how long an archive or append waits for an import's
  // write lock before it is refused with BackendUnavailable (the API's 503).
  // `snapshot_rows`: from how many rows a columnar snapshot is kept.
  static constexpr std::size_t kSnapshotRows = 50'000;
  explicit EmbeddedResultsIndex(const std::filesystem::path& database,
                                std::chrono::milliseconds write_wait = std::chrono::seconds(2),
                                std::size_t snapshot_rows = kSnapshotRows);

  UnitTally tally(const ResultFilter& filter, ScoringMode mode) const override;
  std::vector<Bucket> breakdown(const ResultFilter& filter, const BreakdownQuestion& question) const override;
  std::vector<TimeBucket> histogram(const ResultFilter& filter, const HistogramQuestion& question) const override;
  std::vector<KeyPairBucket> key_pairs(const ResultFilter& filter, const KeyPairQuestion& question) const override;
  std::int64_t distinct_count(const ResultFilter& filter, KeywordField field) const override;
  DocumentPage page(const ResultFilter& filter, const PageQuestion& question) const override;
  RunPage run_page(const ResultFilter& filter, const PageQuestion& question) const override;
  ExecutionTimeline execution_timeline(const ResultFilter& filter, bool with_hosts) const override;
  std::vector<BatchedAnswer> ask_all(std::span<const BatchedQuestion> questions) const override;

  AppendOutcome append(std::span<const ResultDocument> documents, OnStoredId on_stored = OnStoredId::Replace) override;
  std::size_t archive(const ResultFilter& filter) override;

  // Candidates named by their row's sequence number; marks written to the
  // file first (one transaction), then to memory.
  std::vector<UndetectedExecution> undetected_executions(std::int64_t from_ms, std::int64_t stage_recheck_from_ms,
                                                         std::size_t limit, const std::optional<ExecutionCursor>& after) const override;
  std::vector<bool> mark_detected(std::span<const DetectionMark> marks) override;

  ~EmbeddedResultsIndex();

  std::size_t size() const { return store_.size(); }
  // How many rows the start decoded from SQLite (the rest came from the snapshot).
  std::size_t rows_decoded_at_start() const { return rows_decoded_at_start_; }

private:
  void catch_up() const;
  void load_new_rows_locked() const;
  void load_rows(std::span<const ResultDocument> docs, std::span<const std::int64_t> keys,
                 std::span<const std::int64_t> gone) const;
  void arrange_rows() const;
  void save_snapshot_locked(const SnapshotStamp& stamp) const;
  void save_start_snapshot() const;

  mutable SqliteResultsFile file_;
  mutable ColumnStore store_{ColumnStore::Dedup::Trusted};
  mutable std::mutex catch_up_mutex_;
  mutable std::int64_t loaded_through_ = 0;
  // The columnar snapshot beside the file (results.db.columns) and what the
  // memory and the last saved snapshot hold.
  std::filesystem::path snapshot_;
  std::size_t snapshot_rows_;
  std::size_t rows_decoded_at_start_ = 0;
  SnapshotStamp loaded_stamp_;                 // the file's, when the start loaded it
  mutable std::int64_t own_in_place_changes_ = 0;  // archives and flag writes since
  mutable std::int64_t saved_through_ = -1;
  SystemClock clock_;
  std::thread start_snapshot_;  // joined first thing when closing
};

}  // namespace achilles::embedded
