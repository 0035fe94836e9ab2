#include "sqlite_connection.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <stdexcept>

#include "achilles/errors.hpp"

namespace achilles::embedded {
namespace {
constexpr const char* kBusy = "The results store is busy (an import is writing); retry shortly";
}

SqliteConnection::SqliteConnection(const std::filesystem::path& path, std::chrono::milliseconds busy_wait,
                                   std::string store, Options options)
    : store_(std::move(store)) {
  const int threading = options.serialized_by_owner ? SQLITE_OPEN_NOMUTEX : SQLITE_OPEN_FULLMUTEX;
  const int flags = options.access == Access::ReadOnly ? SQLITE_OPEN_READONLY | threading
                                                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | threading;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + store_ + " " + path.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, static_cast<int>(busy_wait.count()));
  if (options.access == Access::ReadOnly) return;
  // The file and its journal are private, whoever created them and with whatever umask.
  for (const char* suffix : {"", "-wal", "-shm"}) ::chmod((path.string() + suffix).c_str(), 0600);
  try {
    // Only a new, empty file takes a page size; WAL mode then fixes it.
    if (options.page_size_if_new) exec(("PRAGMA page_size=" + std::to_string(options.page_size_if_new)).c_str());
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : prepared_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

sqlite3_stmt* SqliteConnection::reused(const std::string& sql) {
  auto& stmt = prepared_[sql];
  if (!stmt && sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    prepared_.erase(sql);
    fail();
  }
  return stmt;
}

void SqliteConnection::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    sqlite3_free(error);
    fail();
  }
}

void throw_store_error(sqlite3* db, std::string_view store) {
  const int code = sqlite3_errcode(db) & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) throw BackendUnavailable(kBusy);
  throw std::runtime_error(std::string(store) + ": " + sqlite3_errmsg(db));
}

std::unique_lock<std::timed_mutex> WriterTurns::take() {
  std::unique_lock lock(turn_, wait_);
  if (!lock.owns_lock()) throw BackendUnavailable(kBusy);
  return lock;
}

void WriterTurns::take_and_keep() {
  if (!turn_.try_lock_for(wait_)) throw BackendUnavailable(kBusy);
}

}  // namespace achilles::embedded
