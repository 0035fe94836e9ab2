#pragma once
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace achilles::embedded {

// A failed SQLite call on `db`: a busy or locked file is BackendUnavailable
// (a 503 to retry: an import holds the write lock); anything else is a
// runtime_error naming `store`.
[[noreturn]] void throw_store_error(sqlite3* db, std::string_view store);

// One connection to a store file, opened read-write in WAL mode with
// synchronous=FULL and a busy wait; closed with the object. A store keeps
// one to write and one to read, so that a read never queues behind a write
// waiting for another process's lock (an `achilles import`).
class SqliteConnection {
public:
  enum class Access { ReadWrite, ReadOnly };
  struct Options {
    Options() = default;
    Options(Access a) : access(a) {}  // NOLINT: an Access alone is the usual option
    // ReadOnly opens an existing file as it is (another program's
    // database), changing nothing.
    Access access = Access::ReadWrite;
    // The page size a file created here gets (0: SQLite's).
    int page_size_if_new = 0;
    // Every use is under a lock of the owner's: SQLite then skips its own
    // mutex, which it would take on each column read and bind.
    bool serialized_by_owner = false;
  };
  // `store`: how errors name the store ("results store", ...).
  SqliteConnection(const std::filesystem::path& path, std::chrono::milliseconds busy_wait, std::string store,
                   Options options);
  SqliteConnection(const std::filesystem::path& path, std::chrono::milliseconds busy_wait, std::string store,
                   Access access = Access::ReadWrite)
      : SqliteConnection(path, busy_wait, std::move(store), Options(access)) {}
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* get() const { return db_; }
  void exec(const char* sql);
  // The statement for `sql`, prepared on first use and kept until the
  // connection closes. Not reentrant: one user of a given text at a time,
  // under the lock that guards the connection.
  sqlite3_stmt* reused(const std::string& sql);
  [[noreturn]] void fail() const { throw_store_error(db_, store_); }

private:
  sqlite3* db_ = nullptr;
  std::string store_;
  std::unordered_map<std::string, sqlite3_stmt*> prepared_;
};

// The writers of one process take turns before they ask SQLite for its write
// lock, each waiting at most `wait` (BackendUnavailable beyond it). A writer
// therefore waits holding only its turn, never a lock a reader needs.
class WriterTurns {
public:
  explicit WriterTurns(std::chrono::milliseconds wait) : wait_(wait) {}
  std::unique_lock<std::timed_mutex> take();
  std::unique_lock<std::timed_mutex> try_take() { return std::unique_lock(turn_, std::try_to_lock); }
  void take_and_keep();  // held until release(), by the same thread
  void release() { turn_.unlock(); }

private:
  std::timed_mutex turn_;
  std::chrono::milliseconds wait_;
};

}  // namespace achilles::embedded
