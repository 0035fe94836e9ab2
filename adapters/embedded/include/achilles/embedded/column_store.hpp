#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "achilles/embedded/snapshot_stamp.hpp"
#include "achilles/ports/detection_marks.hpp"
#include "achilles/ports/results_index.hpp"

namespace achilles::embedded {

struct Columns;

// Result documents as struct-of-arrays (dictionary-encoded keywords, packed
// flags, offset lists for multi-valued keywords); every question is one scan
// over the rows. Thread-safe: many concurrent readers, one writer.
//
// On its own it is the in-memory adapter used by unit tests (it then keeps
// one live row per document id, replacing or keeping per OnStoredId, and
// archives by flagging rows); the durable embedded index feeds it from
// SQLite and lets the file decide.
class ColumnStore final : public ResultsIndex, public ResultsSink, public ResultsArchive, public DetectionMarks {
public:
  enum class Dedup { ById, Trusted };
  explicit ColumnStore(Dedup dedup = Dedup::ById);
  ~ColumnStore() override;

  AppendOutcome append(std::span<const ResultDocument> documents, OnStoredId on_stored = OnStoredId::Replace) override;
  // Appends documents that durable storage already deduplicated, with the
  // keys storage knows them by.
  void append_stored(std::span<const ResultDocument> documents, std::span<const std::int64_t> keys);

  UnitTally tally(const ResultFilter& filter, ScoringMode mode) const override;
  std::vector<Bucket> breakdown(const ResultFilter& filter, const BreakdownQuestion& question) const override;
  std::vector<TimeBucket> histogram(const ResultFilter& filter, const HistogramQuestion& question) const override;
  std::vector<KeyPairBucket> key_pairs(const ResultFilter& filter, const KeyPairQuestion& question) const override;
  std::int64_t distinct_count(const ResultFilter& filter, KeywordField field) const override;
  DocumentPage page(const ResultFilter& filter, const PageQuestion& question) const override;
  RunPage run_page(const ResultFilter& filter, const PageQuestion& question) const override;
  ExecutionTimeline execution_timeline(const ResultFilter& filter, bool with_hosts) const override;
  std::vector<BatchedAnswer> ask_all(std::span<const BatchedQuestion> questions) const override;

  std::size_t archive(const ResultFilter& filter) override;
  // The storage keys of the documents `filter` matches, for durable archiving.
  std::vector<std::int64_t> matching_keys(const ResultFilter& filter) const;
  // Takes the rows with these storage keys out of every question (archived,
  // or replaced by a newer row of the same document).
  void retire(std::span<const std::int64_t> keys);

  std::size_t size() const;  // documents held, archived ones included

  // The columns as a file beside durable storage, and back (Dedup::Trusted
  // stores: durable storage decides replacements). load_snapshot replaces
  // the columns and returns the last storage key they hold, or nothing when
  // the file is missing, damaged, or not of the state `stamp` describes.
  void save_snapshot(const std::filesystem::path& path, const SnapshotStamp& stamp, std::int64_t loaded_through) const;
  // The same, with the stamp and last key that `state` gives once the
  // store's read lock is held (nothing can change the columns meanwhile).
  void save_snapshot(const std::filesystem::path& path,
                     const std::function<std::pair<SnapshotStamp, std::int64_t>()>& state) const;
  std::optional<std::int64_t> load_snapshot(const std::filesystem::path& path, const SnapshotStamp& stamp);

  // Puts the rows in event-time order when more than `unordered_rows_allowed`
  // are out of it, so that a time window reads only its own blocks. Rows
  // that arrive in time order stay ordered without it. Answers do not
  // change: ties still follow the storage key. True when it reordered.
  bool arrange_by_time(std::size_t unordered_rows_allowed = 0);

  // Enrichment's candidates (DetectionMarks), named by their storage key in
  // decimal; and their flags set in memory once storage has them.
  std::vector<UndetectedExecution> undetected_executions(std::int64_t from_ms, std::int64_t stage_recheck_from_ms,
                                                         std::size_t limit, const std::optional<ExecutionCursor>& after) const override;
  std::vector<bool> mark_detected(std::span<const DetectionMark> marks) override;
  // False for a key no live row has.
  bool set_detection_flags(std::int64_t storage_key, bool detected, bool stage_detected);

private:
  template <typename Visit>
  void scan(const ResultFilter& filter, Visit&& visit) const;

  Dedup dedup_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::size_t> rows_by_id_;  // Dedup::ById: the live row of each id
  std::unique_ptr<Columns> columns_;
};

}  // namespace achilles::embedded
