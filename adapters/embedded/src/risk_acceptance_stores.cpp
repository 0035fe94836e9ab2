#include "achilles/embedded/risk_acceptance_stores.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>

namespace achilles::embedded {
namespace {

void newest_first(std::vector<RiskAcceptance>& records) {
  std::stable_sort(records.begin(), records.end(),
                   [](const auto& a, const auto& b) { return a.accepted_at_ms > b.accepted_at_ms; });
}

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS risk_acceptances (
  acceptance_id TEXT PRIMARY KEY, org_id TEXT, test_name TEXT NOT NULL, control_id TEXT, hostname TEXT,
  scope TEXT, justification TEXT NOT NULL, accepted_by TEXT NOT NULL, accepted_by_name TEXT NOT NULL,
  accepted_at INTEGER NOT NULL, status TEXT NOT NULL, revoked_at INTEGER, revoked_by TEXT,
  revoked_by_name TEXT, revocation_reason TEXT
);
)sql";

constexpr const char* kColumns =
    "acceptance_id, org_id, test_name, control_id, hostname, scope, justification, accepted_by, accepted_by_name, "
    "accepted_at, status, revoked_at, revoked_by, revoked_by_name, revocation_reason";

void fail(sqlite3* db) { throw std::runtime_error(std::string("risk acceptance store: ") + sqlite3_errmsg(db)); }

void bind_text(sqlite3_stmt* s, int i, const std::optional<std::string>& v) {
  if (v) sqlite3_bind_text(s, i, v->data(), static_cast<int>(v->size()), SQLITE_TRANSIENT);
  else sqlite3_bind_null(s, i);
}

std::optional<std::string> column_text(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i)),
                     static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
}

}  // namespace

bool matches(const RiskAcceptance& r, const RiskAcceptanceQuery& q) {
  if (q.active && r.active != *q.active) return false;
  if (q.test_name && r.test_name != *q.test_name) return false;
  if (q.org_id && r.org_id && *r.org_id != *q.org_id) return false;
  return true;
}

void InMemoryRiskAcceptances::insert(const RiskAcceptance& a) {
  std::lock_guard lock(mutex_);
  records_.push_back(a);
}

std::optional<RiskAcceptance> InMemoryRiskAcceptances::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const auto& r : records_)
    if (r.acceptance_id == id) return r;
  return std::nullopt;
}

void InMemoryRiskAcceptances::update(const RiskAcceptance& a) {
  std::lock_guard lock(mutex_);
  for (auto& r : records_)
    if (r.acceptance_id == a.acceptance_id) r = a;
}

std::vector<RiskAcceptance> InMemoryRiskAcceptances::list(const RiskAcceptanceQuery& q) const {
  std::lock_guard lock(mutex_);
  std::vector<RiskAcceptance> out;
  for (auto it = records_.rbegin(); it != records_.rend(); ++it)  // ties: latest stored first, as SQLite's rowid
    if (matches(*it, q)) out.push_back(*it);
  newest_first(out);
  return out;
}

SqliteRiskAcceptances::SqliteRiskAcceptances(const std::filesystem::path& database) {
  if (sqlite3_open_v2(database.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + database.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 30000);
  for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", kSchema})
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::string message = sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw std::runtime_error("risk acceptance store: " + message);
    }
}

SqliteRiskAcceptances::~SqliteRiskAcceptances() { sqlite3_close(db_); }

void SqliteRiskAcceptances::write(const RiskAcceptance& a, bool replace) {
  std::lock_guard lock(mutex_);
  const std::string sql = std::string(replace ? "INSERT OR REPLACE" : "INSERT") + " INTO risk_acceptances (" +
                          kColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) fail(db_);
  bind_text(s, 1, a.acceptance_id);
  bind_text(s, 2, a.org_id);
  bind_text(s, 3, a.test_name);
  bind_text(s, 4, a.control_id);
  bind_text(s, 5, a.hostname);
  bind_text(s, 6, a.scope ? std::optional<std::string>(*a.scope == RiskScope::Host ? "host" : "global") : std::nullopt);
  bind_text(s, 7, a.justification);
  bind_text(s, 8, a.accepted_by);
  bind_text(s, 9, a.accepted_by_name);
  sqlite3_bind_int64(s, 10, a.accepted_at_ms);
  bind_text(s, 11, std::string(a.active ? "active" : "revoked"));
  if (a.revoked_at_ms) sqlite3_bind_int64(s, 12, *a.revoked_at_ms); else sqlite3_bind_null(s, 12);
  bind_text(s, 13, a.revoked_by);
  bind_text(s, 14, a.revoked_by_name);
  bind_text(s, 15, a.revocation_reason);
  const int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) fail(db_);
}

void SqliteRiskAcceptances::insert(const RiskAcceptance& a) { write(a, false); }
void SqliteRiskAcceptances::update(const RiskAcceptance& a) { write(a, true); }

std::vector<RiskAcceptance> SqliteRiskAcceptances::select(const std::string& where,
                                                          const std::vector<std::string>& args) const {
  std::lock_guard lock(mutex_);
  const std::string sql = std::string("SELECT ") + kColumns + " FROM risk_acceptances " + where +
                          " ORDER BY accepted_at DESC, rowid DESC";
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) fail(db_);
  for (std::size_t i = 0; i < args.size(); ++i)
    sqlite3_bind_text(s, static_cast<int>(i + 1), args[i].data(), static_cast<int>(args[i].size()), SQLITE_TRANSIENT);
  std::vector<RiskAcceptance> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    RiskAcceptance r;
    r.acceptance_id = *column_text(s, 0);
    r.org_id = column_text(s, 1);
    r.test_name = *column_text(s, 2);
    r.control_id = column_text(s, 3);
    r.hostname = column_text(s, 4);
    if (auto scope = column_text(s, 5)) r.scope = *scope == "host" ? RiskScope::Host : RiskScope::Global;
    r.justification = *column_text(s, 6);
    r.accepted_by = *column_text(s, 7);
    r.accepted_by_name = *column_text(s, 8);
    r.accepted_at_ms = sqlite3_column_int64(s, 9);
    r.active = *column_text(s, 10) == "active";
    if (sqlite3_column_type(s, 11) != SQLITE_NULL) r.revoked_at_ms = sqlite3_column_int64(s, 11);
    r.revoked_by = column_text(s, 12);
    r.revoked_by_name = column_text(s, 13);
    r.revocation_reason = column_text(s, 14);
    out.push_back(std::move(r));
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) fail(db_);
  return out;
}

std::optional<RiskAcceptance> SqliteRiskAcceptances::find(const std::string& id) const {
  auto rows = select("WHERE acceptance_id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<RiskAcceptance> SqliteRiskAcceptances::list(const RiskAcceptanceQuery& q) const {
  std::string where = "WHERE 1=1";
  std::vector<std::string> args;
  if (q.active) where += *q.active ? " AND status = 'active'" : " AND status = 'revoked'";
  if (q.test_name) {
    where += " AND test_name = ?";
    args.push_back(*q.test_name);
  }
  if (q.org_id) {
    where += " AND (org_id IS NULL OR org_id = ?)";
    args.push_back(*q.org_id);
  }
  return select(where, args);
}

}  // namespace achilles::embedded
