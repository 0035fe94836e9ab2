#include "achilles/embedded/sqlite_api_keys.hpp"

#include <sqlite3.h>

#include "achilles/errors.hpp"
#include "achilles/query/date_math.hpp"
#include "sqlite_connection.hpp"
#include "sqlite_statement.hpp"

namespace achilles::embedded {
namespace {

// The original's table, as agents.db has it.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  key_prefix TEXT NOT NULL,
  scope TEXT NOT NULL DEFAULT 'read' CHECK(scope IN ('read','read-write')),
  created_by TEXT NOT NULL,
  org_id TEXT,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
)sql";

constexpr const char* kColumns =
    "id, name, token_hash, key_prefix, scope, created_by, org_id, created_at, expires_at, last_used_at, revoked_at";
constexpr std::string_view kStore = "API key store";

class Statement : public SqliteStatement {
public:
  Statement(sqlite3* db, const std::string& sql) : SqliteStatement(db, sql, kStore) {}
};

// ISO-8601 as we write it, or SQLite's datetime('now') ("2026-05-22 10:00:00",
// UTC) as the original writes it. An unreadable time reads as absent, except
// an expiry: that key is treated as expired, never as eternal.
std::optional<std::int64_t> time_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::string iso = *text;
  if (iso.size() >= 19 && iso[10] == ' ') {
    iso[10] = 'T';
    if (iso.back() != 'Z' && iso.find('+', 19) == std::string::npos) iso += 'Z';
  }
  return resolve_date_bound(iso, RangeEdge::Lower, 0);
}

std::optional<std::string> text_of(const std::optional<std::int64_t>& ms) {
  return ms ? std::optional<std::string>(format_iso_millis(*ms)) : std::nullopt;
}

ApiKey read_row(const Statement& s) {
  ApiKey k;
  k.id = s.column_text(0);
  k.name = s.column_text(1);
  k.token_hash = s.column_text(2);
  k.key_prefix = s.column_text(3);
  k.scope = api_key_scope_from(s.column_text(4)).value_or(ApiKeyScope::Read);
  k.created_by = s.column_text(5);
  k.org_id = s.optional_text(6);
  k.created_at_ms = time_of(s.optional_text(7)).value_or(0);
  if (auto expires = s.optional_text(8)) k.expires_at_ms = time_of(expires).value_or(0);
  k.last_used_at_ms = time_of(s.optional_text(9));
  if (auto revoked = s.optional_text(10)) k.revoked_at_ms = time_of(revoked).value_or(0);
  return k;
}

}  // namespace

SqliteApiKeys::SqliteApiKeys(const std::filesystem::path& database, Access access, std::chrono::milliseconds busy_wait)
    : busy_wait_(busy_wait), writing_(std::make_unique<WriterTurns>(busy_wait)) {
  if (access == Access::ReadWrite) {
    writer_ = std::make_unique<SqliteConnection>(database, busy_wait, std::string(kStore));
    writer_->exec(kSchema);
    reader_ = std::make_unique<SqliteConnection>(database, busy_wait, std::string(kStore));
    reader_->exec("PRAGMA query_only=1");
  } else {
    reader_ = std::make_unique<SqliteConnection>(database, busy_wait, std::string(kStore),
                                                 SqliteConnection::Access::ReadOnly);
    Statement probe(reader_->get(), std::string("SELECT ") + kColumns + " FROM api_keys LIMIT 0");  // the table must be there
  }
}

SqliteApiKeys::~SqliteApiKeys() = default;

void SqliteApiKeys::insert(const ApiKey& k) {
  if (!writer_) throw InvalidArgument("API keys of the original deployment are read-only here");
  const auto turn = writing_->take();
  Statement s(writer_->get(), std::string("INSERT INTO api_keys (") + kColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, k.id);
  s.bind(2, k.name);
  s.bind(3, k.token_hash);
  s.bind(4, k.key_prefix);
  s.bind(5, api_key_scope_name(k.scope));
  s.bind(6, k.created_by);
  s.bind_optional(7, k.org_id);
  s.bind(8, format_iso_millis(k.created_at_ms));
  s.bind_optional(9, text_of(k.expires_at_ms));
  s.bind_optional(10, text_of(k.last_used_at_ms));
  s.bind_optional(11, text_of(k.revoked_at_ms));
  if (!s.step_unless_duplicate()) throw Conflict("API key " + k.id + " already exists");
}

std::vector<ApiKey> SqliteApiKeys::select(const char* where, const std::string& arg) const {
  std::lock_guard lock(reading_);
  Statement s(reader_->get(), std::string("SELECT ") + kColumns + " FROM api_keys " + where);
  if (!arg.empty()) s.bind(1, arg);
  std::vector<ApiKey> out;
  while (s.step() == SQLITE_ROW) out.push_back(read_row(s));
  return out;
}

std::optional<ApiKey> SqliteApiKeys::find_by_hash(const std::string& token_hash) const {
  auto rows = select("WHERE token_hash = ?", token_hash);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::optional<ApiKey> SqliteApiKeys::find(const std::string& id) const {
  auto rows = select("WHERE id = ?", id);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<ApiKey> SqliteApiKeys::list() const { return select("ORDER BY created_at DESC, rowid DESC", ""); }

bool SqliteApiKeys::revoke(const std::string& id, std::int64_t at_ms) {
  if (!writer_) throw InvalidArgument("API keys of the original deployment are read-only here");
  const auto turn = writing_->take();
  Statement s(writer_->get(), "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  s.bind(1, format_iso_millis(at_ms));
  s.bind(2, id);
  s.step();
  return sqlite3_changes(writer_->get()) == 1;
}

void SqliteApiKeys::touch(const std::string& id, std::int64_t at_ms) noexcept {
  if (!writer_) return;
  try {
    // Bookkeeping only: skipped when another writer has the turn or the file's lock.
    auto turn = writing_->try_take();
    if (!turn.owns_lock()) return;
    sqlite3* db = writer_->get();
    sqlite3_busy_timeout(db, 0);
    struct RestoreWait {
      sqlite3* db;
      int ms;
      ~RestoreWait() { sqlite3_busy_timeout(db, ms); }
    } restore{db, static_cast<int>(busy_wait_.count())};
    Statement s(db, "UPDATE api_keys SET last_used_at = ? WHERE id = ?");
    s.bind(1, format_iso_millis(at_ms));
    s.bind(2, id);
    s.step();
  } catch (...) {
    // A busy store: the next use, a minute on, writes it.
  }
}

}  // namespace achilles::embedded
