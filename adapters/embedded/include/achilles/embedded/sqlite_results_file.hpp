#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>

#include "achilles/embedded/snapshot_stamp.hpp"
#include "achilles/ports/results_index.hpp"

namespace achilles::embedded {

class SqliteConnection;
class WriterTurns;

// The durable source of truth of the embedded engine: one SQLite database
// (WAL, synchronous=FULL) holding every imported result document, one row
// each, keyed by document id (a document stored again under its id replaces
// the row, or is kept out, per OnStoredId). Several processes may open it at once (an
// import beside a running server); SQLite serialises the writers.
//
// Two connections: one writes, one reads. A write first takes its turn among
// this process's writers (at most `busy_wait`), then waits for SQLite's lock
// (at most `busy_wait` again); reads go on meanwhile, from the last commit.
class SqliteResultsFile {
public:
  // `busy_wait`: how long a write waits for another process's lock (an
  // import waits long; the server's API writes answer 503 after a moment).
  explicit SqliteResultsFile(const std::filesystem::path& path,
                             std::chrono::milliseconds busy_wait = std::chrono::seconds(30));
  ~SqliteResultsFile();
  SqliteResultsFile(const SqliteResultsFile&) = delete;
  SqliteResultsFile& operator=(const SqliteResultsFile&) = delete;

  // One transaction: on return every added document is on disk.
  AppendOutcome append(std::span<const ResultDocument> documents, OnStoredId on_stored = OnStoredId::Replace);

  // A long import as one transaction: documents added between begin and
  // commit land together at commit(), or not at all (rollback(), or the
  // process dying first). Readers keep seeing the previous state meanwhile.
  // The thread that begins is the one that commits or rolls back; while the
  // transaction is open no other writer, here or elsewhere, can commit.
  void begin();
  AppendOutcome add(std::span<const ResultDocument> documents, OnStoredId on_stored = OnStoredId::Replace);
  void commit();
  void rollback();

  // Feeds `sink` the documents stored after sequence number `after`, in
  // batches with their sequence numbers, and returns the last one read.
  // First, the sequence numbers up to `after` whose documents were replaced
  // since (`gone`): a reader that loaded them drops them.
  using Sink = std::function<void(std::span<const ResultDocument>, std::span<const std::int64_t> keys,
                                  std::span<const std::int64_t> gone)>;
  // `stamp`, when given, receives the file's SnapshotStamp as of the rows read.
  std::int64_t read_since(std::int64_t after, const Sink& sink, SnapshotStamp* stamp = nullptr);

  // Moves the documents with these sequence numbers to the archive table, in
  // one transaction. They leave `results` but are never deleted; an archived
  // id imported again counts as a duplicate. Returns how many moved.
  std::size_t archive(std::span<const std::int64_t> sequence_numbers, std::int64_t archived_at_ms);
  // The same inside a transaction this thread began.
  std::size_t move_to_archive(std::span<const std::int64_t> sequence_numbers, std::int64_t archived_at_ms);
  std::int64_t archived_count();

  // Sets Defender's flags on live rows (never clears them), in one
  // transaction; per entry, whether its row exists.
  struct Flags {
    std::int64_t seq = -1;
    bool detected = false;
    bool stage_detected = false;
  };
  std::vector<bool> set_detection_flags(std::span<const Flags> flags);

  // The file's identity and count of in-place changes, now.
  SnapshotStamp stamp();

  // True when another connection committed since the previous call.
  bool changed_elsewhere();

  std::int64_t count();

  // Gives back the page cache a bulk read or import filled (a server keeps
  // its data in the column store, not in SQLite's cache).
  void release_cache();

private:
  bool schema_incomplete();
  void count_in_place_change();  // inside the writer's transaction
  SnapshotStamp read_stamp();    // on the reader, its lock held
  void add_stored_form_columns();
  std::unique_ptr<SqliteConnection> writer_;
  std::unique_ptr<SqliteConnection> reader_;
  std::unique_ptr<WriterTurns> writing_;
  bool in_transaction_ = false;  // touched only by the thread holding the writer's turn
  std::mutex reading_;  // one statement at a time on the reading connection
  std::int64_t data_version_ = -1;
};

}  // namespace achilles::embedded
