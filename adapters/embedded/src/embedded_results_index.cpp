#include "achilles/embedded/embedded_results_index.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>

namespace achilles::embedded {
namespace {
constexpr std::size_t kUnorderedRowsAllowed = 64 * 1024;

}  // namespace

EmbeddedResultsIndex::EmbeddedResultsIndex(const std::filesystem::path& database, std::chrono::milliseconds write_wait,
                                           std::size_t snapshot_rows)
    : file_(database, write_wait), snapshot_(database.string() + ".columns"), snapshot_rows_(snapshot_rows) {
  file_.changed_elsewhere();  // take the current version as the baseline
  std::lock_guard lock(catch_up_mutex_);
  // The columns as a snapshot left them, when it is of this file's current
  // state; then only the rows stored since are decoded.
  try {
    if (auto through = store_.load_snapshot(snapshot_, file_.stamp())) loaded_through_ = saved_through_ = *through;
  } catch (const std::exception&) {
    // Unreadable: rebuilt from the file below.
  }
  const std::size_t from_snapshot = store_.size();
  loaded_through_ = file_.read_since(
      loaded_through_, [this](auto docs, auto keys, auto gone) { load_rows(docs, keys, gone); }, &loaded_stamp_);
  arrange_rows();
  rows_decoded_at_start_ = store_.size() - from_snapshot;
  file_.release_cache();
  if (rows_decoded_at_start_ >= snapshot_rows_) start_snapshot_ = std::thread([this] { save_start_snapshot(); });
#ifdef __GLIBC__
  ::malloc_trim(0);  // hand the loading batches' memory back to the system
#endif
}

EmbeddedResultsIndex::~EmbeddedResultsIndex() {
  if (start_snapshot_.joinable()) start_snapshot_.join();
  // Rows loaded or changed since the last snapshot are saved for the next
  // start, when memory holds every in-place change the file has seen (all
  // made here: no other process archived or flagged rows meanwhile).
  std::lock_guard lock(catch_up_mutex_);
  if (store_.size() < snapshot_rows_ || (loaded_through_ == saved_through_ && own_in_place_changes_ == 0)) return;
  try {
    const SnapshotStamp now = file_.stamp();
    if (now.file_id == loaded_stamp_.file_id && now.in_place_changes == loaded_stamp_.in_place_changes + own_in_place_changes_)
      save_snapshot_locked(now);
  } catch (const std::exception&) {
  }
}

void EmbeddedResultsIndex::save_snapshot_locked(const SnapshotStamp& stamp) const {
  try {
    store_.save_snapshot(snapshot_, stamp, loaded_through_);
    saved_through_ = loaded_through_;
  } catch (const std::exception&) {
    // Only a cache: the next start reads the rows from the file instead.
    std::error_code ignored;
    std::filesystem::remove(snapshot_.string() + ".tmp", ignored);
  }
}

// The columns are written as they are when the store's read lock is taken,
// with the stamp and last key they then hold (taken under catch_up_mutex_,
// released once the read lock is held: rows loaded later wait for the write,
// questions do not). A flag or archive made before the lock is in the columns
// but not in the stamp: the next start then does not trust the snapshot.
void EmbeddedResultsIndex::save_start_snapshot() const {
  std::unique_lock catching_up(catch_up_mutex_);
  std::int64_t through = 0;
  try {
    store_.save_snapshot(snapshot_, [&] {
      through = loaded_through_;
      const SnapshotStamp stamp = loaded_stamp_;
      catching_up.unlock();
      return std::pair{stamp, through};
    });
    std::lock_guard lock(catch_up_mutex_);
    saved_through_ = through;
  } catch (const std::exception&) {
    std::error_code ignored;  // only a cache: the next start reads the rows from the file instead
    std::filesystem::remove(snapshot_.string() + ".tmp", ignored);
  }
}

void EmbeddedResultsIndex::load_rows(std::span<const ResultDocument> docs, std::span<const std::int64_t> keys,
                                     std::span<const std::int64_t> gone) const {
  if (!gone.empty()) store_.retire(gone);
  store_.append_stored(docs, keys);
}

void EmbeddedResultsIndex::load_new_rows_locked() const {
  loaded_through_ = file_.read_since(loaded_through_, [this](auto docs, auto keys, auto gone) { load_rows(docs, keys, gone); });
  arrange_rows();
}

void EmbeddedResultsIndex::arrange_rows() const {
  // Imports rarely arrive in time order; agents' results mostly do. Reorder
  // once the out-of-order rows are many enough to blur the time blocks
  // (at start, everything loaded is).
  store_.arrange_by_time(std::max<std::size_t>(kUnorderedRowsAllowed, store_.size() / 8));
}

void EmbeddedResultsIndex::catch_up() const {
  std::lock_guard lock(catch_up_mutex_);
  if (file_.changed_elsewhere()) load_new_rows_locked();
}

UnitTally EmbeddedResultsIndex::tally(const ResultFilter& filter, ScoringMode mode) const {
  catch_up();
  return store_.tally(filter, mode);
}

std::vector<Bucket> EmbeddedResultsIndex::breakdown(const ResultFilter& filter, const BreakdownQuestion& q) const {
  catch_up();
  return store_.breakdown(filter, q);
}

std::vector<TimeBucket> EmbeddedResultsIndex::histogram(const ResultFilter& filter, const HistogramQuestion& q) const {
  catch_up();
  return store_.histogram(filter, q);
}

std::vector<KeyPairBucket> EmbeddedResultsIndex::key_pairs(const ResultFilter& filter, const KeyPairQuestion& q) const {
  catch_up();
  return store_.key_pairs(filter, q);
}

std::int64_t EmbeddedResultsIndex::distinct_count(const ResultFilter& filter, KeywordField field) const {
  catch_up();
  return store_.distinct_count(filter, field);
}

DocumentPage EmbeddedResultsIndex::page(const ResultFilter& filter, const PageQuestion& q) const {
  catch_up();
  return store_.page(filter, q);
}

RunPage EmbeddedResultsIndex::run_page(const ResultFilter& filter, const PageQuestion& q) const {
  catch_up();
  return store_.run_page(filter, q);
}

ExecutionTimeline EmbeddedResultsIndex::execution_timeline(const ResultFilter& filter, bool with_hosts) const {
  catch_up();
  return store_.execution_timeline(filter, with_hosts);
}

std::vector<BatchedAnswer> EmbeddedResultsIndex::ask_all(std::span<const BatchedQuestion> questions) const {
  catch_up();
  return store_.ask_all(questions);
}

std::vector<UndetectedExecution> EmbeddedResultsIndex::undetected_executions(std::int64_t from_ms,
                                                                             std::int64_t stage_recheck_from_ms,
                                                                             std::size_t limit,
                                                                             const std::optional<ExecutionCursor>& after) const {
  catch_up();
  return store_.undetected_executions(from_ms, stage_recheck_from_ms, limit, after);
}

std::vector<bool> EmbeddedResultsIndex::mark_detected(std::span<const DetectionMark> marks) {
  std::vector<SqliteResultsFile::Flags> flags;
  for (const auto& m : marks) {
    std::int64_t seq = -1;
    try {
      seq = std::stoll(m.id);
    } catch (const std::exception&) {
    }
    flags.push_back({seq, m.detected, m.stage_detected});
  }
  auto applied = file_.set_detection_flags(flags);
  std::lock_guard lock(catch_up_mutex_);
  ++own_in_place_changes_;
  for (std::size_t i = 0; i < flags.size(); ++i)
    if (applied[i]) store_.set_detection_flags(flags[i].seq, flags[i].detected, flags[i].stage_detected);
  return applied;
}

AppendOutcome EmbeddedResultsIndex::append(std::span<const ResultDocument> documents, OnStoredId on_stored) {
  const AppendOutcome outcome = file_.append(documents, on_stored);
  std::lock_guard lock(catch_up_mutex_);
  load_new_rows_locked();
  return outcome;
}

std::size_t EmbeddedResultsIndex::archive(const ResultFilter& filter) {
  // The file's write lock first, holding nothing a reader needs while it is
  // awaited. Once it is held nobody else can commit, so the rows chosen below
  // are the file's latest and stay so until they are moved.
  file_.begin();
  std::lock_guard lock(catch_up_mutex_);
  std::vector<std::int64_t> keys;
  std::size_t moved = 0;
  try {
    if (file_.changed_elsewhere()) load_new_rows_locked();
    keys = store_.matching_keys(filter);
    moved = file_.move_to_archive(keys, clock_.now_ms());
    file_.commit();
  } catch (...) {
    file_.rollback();
    throw;
  }
  store_.retire(keys);  // after the commit: had it failed, memory would still match the file
  ++own_in_place_changes_;
  return moved;
}

}  // namespace achilles::embedded
