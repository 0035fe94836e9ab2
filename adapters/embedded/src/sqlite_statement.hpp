#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sqlite_connection.hpp"

namespace achilles::embedded {

// Owns one prepared statement; bound text is copied (SQLITE_TRANSIENT), so
// callers may bind temporaries. Failures name the store (throw_store_error).
class SqliteStatement {
public:
  SqliteStatement(sqlite3* db, const std::string& sql, std::string_view store) : db_(db), store_(store) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) throw_store_error(db, store_);
  }
  // A statement the connection keeps prepared (SqliteConnection::reused):
  // questions asked on every request skip SQLite's parser. Reset, not
  // finalized, at the end. The caller holds the connection's lock.
  SqliteStatement(SqliteConnection& connection, const std::string& sql, std::string_view store)
      : db_(connection.get()), store_(store), stmt_(connection.reused(sql)), reused_(true) {}
  ~SqliteStatement() {
    if (!reused_) {
      sqlite3_finalize(stmt_);
      return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  template <typename T>
  void bind_optional(int i, const std::optional<T>& v) {
    if (v) bind(i, *v); else sqlite3_bind_null(stmt_, i);
  }
  // False when a unique key refused the row; other failures are thrown.
  bool step_unless_duplicate() {
    const int rc = sqlite3_step(stmt_);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return false;
    if (rc != SQLITE_DONE) throw_store_error(db_, store_);
    return true;
  }
  // SQLITE_ROW or SQLITE_DONE; anything else is thrown.
  int step() {
    const int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw_store_error(db_, store_);
    return rc;
  }

  bool is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string column_text(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : std::string();
  }
  std::optional<std::string> optional_text(int i) const {
    return is_null(i) ? std::nullopt : std::optional<std::string>(column_text(i));
  }
  std::int64_t column_integer(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::optional<std::int64_t> optional_integer(int i) const {
    return is_null(i) ? std::nullopt : std::optional<std::int64_t>(column_integer(i));
  }

private:
  sqlite3* db_;
  std::string_view store_;
  sqlite3_stmt* stmt_ = nullptr;
  bool reused_ = false;
};

}  // namespace achilles::embedded
