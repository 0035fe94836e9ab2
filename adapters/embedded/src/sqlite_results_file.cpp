#include "achilles/embedded/sqlite_results_file.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace achilles::embedded {
namespace {

constexpr char kSeparator = '\x1f';  // joins multi-valued keywords in one column

// One column list for the live table and the archive: an archived row is the
// same row, plus when it was archived.
#define ACHILLES_RESULT_COLUMNS                                                                   \
  "doc_id TEXT NOT NULL UNIQUE, "                                                                 \
  "event_time INTEGER, org_id TEXT, hostname TEXT, error_code INTEGER, "                          \
  "test_uuid TEXT, test_name TEXT, is_protected INTEGER NOT NULL, error_name TEXT, "              \
  "category TEXT, subcategory TEXT, severity TEXT, techniques TEXT, tactics TEXT, "               \
  "target TEXT, complexity TEXT, threat_actor TEXT, tags TEXT, score REAL, "                      \
  "bundle_id TEXT, bundle_name TEXT, control_id TEXT, control_validator TEXT, "                   \
  "is_bundle_control INTEGER NOT NULL, defender_detected INTEGER NOT NULL, "                      \
  "defender_stage_detected INTEGER NOT NULL, tenant_label TEXT"

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS results (seq INTEGER PRIMARY KEY AUTOINCREMENT, " ACHILLES_RESULT_COLUMNS ");"
    "CREATE TABLE IF NOT EXISTS archived_results (seq INTEGER PRIMARY KEY, " ACHILLES_RESULT_COLUMNS
    ", archived_at INTEGER NOT NULL);";
#undef ACHILLES_RESULT_COLUMNS

constexpr const char* kColumns =
    "doc_id, event_time, org_id, hostname, error_code, test_uuid, test_name, is_protected, "
    "error_name, category, subcategory, severity, techniques, tactics, target, complexity, "
    "threat_actor, tags, score, bundle_id, bundle_name, control_id, control_validator, "
    "is_bundle_control, defender_detected, defender_stage_detected, tenant_label";

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += kSeparator;
    out += values[i];
  }
  return out;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(kSeparator, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// Owns one prepared statement.
class Statement {
public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("results store: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt* get() const { return stmt_; }

  // The bound text must outlive the next step(): callers bind strings that do.
  void text(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void optional_text(int i, const std::string& v) {
    if (v.empty()) sqlite3_bind_null(stmt_, i); else text(i, v);
  }
  void integer(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void null(int i) { sqlite3_bind_null(stmt_, i); }
  int step() {
    const int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      throw std::runtime_error(std::string("results store: ") + sqlite3_errmsg(db_));
    return rc;
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string column_text(int i) const {
    const auto* p = sqlite3_column_text(stmt_, i);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string();
  }
  bool column_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

SqliteResultsFile::SqliteResultsFile(const std::filesystem::path& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open results store " + path.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 30000);
  try {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA cache_size=-262144");  // 256 MiB: keeps the doc_id index hot during big imports
    exec(kSchema);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

SqliteResultsFile::~SqliteResultsFile() { sqlite3_close(db_); }

void SqliteResultsFile::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("results store: " + message);
  }
}

void SqliteResultsFile::begin() {
  std::lock_guard lock(mutex_);
  exec("BEGIN IMMEDIATE");
}

void SqliteResultsFile::commit() {
  std::lock_guard lock(mutex_);
  exec("COMMIT");
}

void SqliteResultsFile::rollback() {
  std::lock_guard lock(mutex_);
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

AppendOutcome SqliteResultsFile::append(std::span<const ResultDocument> documents) {
  begin();
  try {
    const AppendOutcome outcome = add(documents);
    commit();
    return outcome;
  } catch (...) {
    rollback();
    throw;
  }
}

AppendOutcome SqliteResultsFile::add(std::span<const ResultDocument> documents) {
  std::lock_guard lock(mutex_);
  AppendOutcome outcome;
  {
    Statement insert(db_, std::string("INSERT OR IGNORE INTO results (") + kColumns +
                              ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Statement archived(db_, "SELECT 1 FROM archived_results WHERE doc_id = ?");
    Statement any_archived(db_, "SELECT EXISTS (SELECT 1 FROM archived_results)");
    any_archived.step();
    const bool check_archive = sqlite3_column_int(any_archived.get(), 0) != 0;
    std::string techniques, tactics, tags;
    for (const auto& d : documents) {
      bool was_archived = false;
      if (check_archive) {
        archived.text(1, d.id);
        was_archived = archived.step() == SQLITE_ROW;
        archived.reset();
      }
      if (was_archived) {  // archiving is final: a re-import does not bring it back
        ++outcome.duplicates;
        continue;
      }
      int i = 1;
      insert.text(i++, d.id);
      if (d.event_time_ms) insert.integer(i++, *d.event_time_ms); else insert.null(i++);
      insert.optional_text(i++, d.org_id);
      insert.optional_text(i++, d.hostname);
      if (d.error_code) insert.integer(i++, *d.error_code); else insert.null(i++);
      if (d.test_uuid) insert.text(i++, *d.test_uuid); else insert.null(i++);
      if (d.test_name) insert.text(i++, *d.test_name); else insert.null(i++);
      insert.integer(i++, d.is_protected);
      insert.optional_text(i++, d.error_name);
      insert.optional_text(i++, d.category);
      insert.optional_text(i++, d.subcategory);
      insert.optional_text(i++, d.severity);
      techniques = join(d.techniques);
      tactics = join(d.tactics);
      tags = join(d.tags);
      insert.optional_text(i++, techniques);
      insert.optional_text(i++, tactics);
      insert.optional_text(i++, d.target);
      insert.optional_text(i++, d.complexity);
      insert.optional_text(i++, d.threat_actor);
      insert.optional_text(i++, tags);
      if (d.score) sqlite3_bind_double(insert.get(), i++, *d.score); else insert.null(i++);
      insert.optional_text(i++, d.bundle_id);
      insert.optional_text(i++, d.bundle_name);
      insert.optional_text(i++, d.control_id);
      insert.optional_text(i++, d.control_validator);
      insert.integer(i++, d.is_bundle_control);
      insert.integer(i++, d.defender_detected);
      insert.integer(i++, d.defender_stage_detected);
      insert.optional_text(i++, d.tenant_label);
      insert.step();
      if (sqlite3_changes(db_) > 0) ++outcome.added; else ++outcome.duplicates;
      insert.reset();
    }
  }
  return outcome;
}

std::int64_t SqliteResultsFile::read_since(std::int64_t after, const Sink& sink) {
  std::lock_guard lock(mutex_);
  Statement select(db_, std::string("SELECT seq, ") + kColumns + " FROM results WHERE seq > ? ORDER BY seq");
  select.integer(1, after);
  std::vector<ResultDocument> batch;
  std::vector<std::int64_t> keys;
  batch.reserve(8192);
  std::int64_t last = after;
  while (select.step() == SQLITE_ROW) {
    sqlite3_stmt* s = select.get();
    ResultDocument d;
    int i = 0;
    last = sqlite3_column_int64(s, i++);
    keys.push_back(last);
    d.id = select.column_text(i++);
    if (!select.column_null(i)) d.event_time_ms = sqlite3_column_int64(s, i);
    ++i;
    d.org_id = select.column_text(i++);
    d.hostname = select.column_text(i++);
    if (!select.column_null(i)) d.error_code = sqlite3_column_int64(s, i);
    ++i;
    if (!select.column_null(i)) d.test_uuid = select.column_text(i);
    ++i;
    if (!select.column_null(i)) d.test_name = select.column_text(i);
    ++i;
    d.is_protected = sqlite3_column_int(s, i++) != 0;
    d.error_name = select.column_text(i++);
    d.category = select.column_text(i++);
    d.subcategory = select.column_text(i++);
    d.severity = select.column_text(i++);
    d.techniques = split(select.column_text(i++));
    d.tactics = split(select.column_text(i++));
    d.target = select.column_text(i++);
    d.complexity = select.column_text(i++);
    d.threat_actor = select.column_text(i++);
    d.tags = split(select.column_text(i++));
    if (!select.column_null(i)) d.score = sqlite3_column_double(s, i);
    ++i;
    d.bundle_id = select.column_text(i++);
    d.bundle_name = select.column_text(i++);
    d.control_id = select.column_text(i++);
    d.control_validator = select.column_text(i++);
    d.is_bundle_control = sqlite3_column_int(s, i++) != 0;
    d.defender_detected = sqlite3_column_int(s, i++) != 0;
    d.defender_stage_detected = sqlite3_column_int(s, i++) != 0;
    d.tenant_label = select.column_text(i++);
    batch.push_back(std::move(d));
    if (batch.size() == 8192) {
      sink(batch, keys);
      batch.clear();
      keys.clear();
    }
  }
  if (!batch.empty()) sink(batch, keys);
  return last;
}

std::size_t SqliteResultsFile::archive(std::span<const std::int64_t> seqs, std::int64_t archived_at_ms) {
  std::lock_guard lock(mutex_);
  std::size_t moved = 0;
  exec("BEGIN IMMEDIATE");
  try {
    Statement copy(db_, std::string("INSERT OR IGNORE INTO archived_results (seq, ") + kColumns +
                            ", archived_at) SELECT seq, " + kColumns + ", ? FROM results WHERE seq = ?");
    Statement remove(db_, "DELETE FROM results WHERE seq = ?");
    for (std::int64_t seq : seqs) {
      copy.integer(1, archived_at_ms);
      copy.integer(2, seq);
      copy.step();
      copy.reset();
      remove.integer(1, seq);
      remove.step();
      moved += static_cast<std::size_t>(sqlite3_changes(db_));
      remove.reset();
    }
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return moved;
}

std::int64_t SqliteResultsFile::archived_count() {
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT count(*) FROM archived_results");
  select.step();
  return sqlite3_column_int64(select.get(), 0);
}

bool SqliteResultsFile::changed_elsewhere() {
  std::lock_guard lock(mutex_);
  Statement pragma(db_, "PRAGMA data_version");
  pragma.step();
  const std::int64_t version = sqlite3_column_int64(pragma.get(), 0);
  const bool changed = version != data_version_;
  data_version_ = version;
  return changed;
}

void SqliteResultsFile::release_cache() {
  std::lock_guard lock(mutex_);
  exec("PRAGMA cache_size=-8192");
  exec("PRAGMA shrink_memory");
}

std::int64_t SqliteResultsFile::count() {
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT count(*) FROM results");
  select.step();
  return sqlite3_column_int64(select.get(), 0);
}

}  // namespace achilles::embedded
