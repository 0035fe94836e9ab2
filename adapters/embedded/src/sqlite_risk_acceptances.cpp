#include "achilles/embedded/sqlite_risk_acceptances.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "achilles/errors.hpp"
#include "sqlite_connection.hpp"
#include "sqlite_statement.hpp"

namespace achilles::embedded {
namespace {

// Times are epoch milliseconds; scope is NULL on legacy records, which read
// back with the legacy rule (RiskAcceptance::effective_scope).
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

// Statements on this store name it in their errors.
class Statement : public SqliteStatement {
public:
  Statement(sqlite3* db, const std::string& sql) : SqliteStatement(db, sql, "risk acceptance store") {}
  Statement(SqliteConnection& kept, const std::string& sql) : SqliteStatement(kept, sql, "risk acceptance store") {}
};

RiskAcceptance read_row(const Statement& s) {
  RiskAcceptance r;
  r.acceptance_id = s.column_text(0);
  r.org_id = s.optional_text(1);
  r.test_name = s.column_text(2);
  r.control_id = s.optional_text(3);
  r.hostname = s.optional_text(4);
  if (auto scope = s.optional_text(5)) r.scope = stored_risk_scope(*scope);
  r.justification = s.column_text(6);
  r.accepted_by = s.column_text(7);
  r.accepted_by_name = s.column_text(8);
  r.accepted_at_ms = s.column_integer(9);
  r.status = parse_risk_status(s.column_text(10)).value_or(RiskStatus::Revoked);  // unknown: apply nothing
  r.revoked_at_ms = s.optional_integer(11);
  r.revoked_by = s.optional_text(12);
  r.revoked_by_name = s.optional_text(13);
  r.revocation_reason = s.optional_text(14);
  return r;
}

}  // namespace

SqliteRiskAcceptances::SqliteRiskAcceptances(const std::filesystem::path& database, std::chrono::milliseconds busy_wait)
    : writer_(std::make_unique<SqliteConnection>(database, busy_wait, "risk acceptance store")),
      writing_(std::make_unique<WriterTurns>(busy_wait)) {
  writer_->exec(kSchema);
  reader_ = std::make_unique<SqliteConnection>(database, busy_wait, "risk acceptance store");
  reader_->exec("PRAGMA query_only=1");
}

SqliteRiskAcceptances::~SqliteRiskAcceptances() = default;

void SqliteRiskAcceptances::insert(const RiskAcceptance& a) {
  const auto turn = writing_->take();
  Statement s(writer_->get(), std::string("INSERT INTO risk_acceptances (") + kColumns +
                       ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, a.acceptance_id);
  s.bind_optional(2, a.org_id);
  s.bind(3, a.test_name);
  s.bind_optional(4, a.control_id);
  s.bind_optional(5, a.hostname);
  s.bind_optional(6, a.scope ? std::optional<std::string_view>(risk_scope_name(*a.scope)) : std::nullopt);
  s.bind(7, a.justification);
  s.bind(8, a.accepted_by);
  s.bind(9, a.accepted_by_name);
  s.bind(10, a.accepted_at_ms);
  s.bind(11, risk_status_name(a.status));
  s.bind_optional(12, a.revoked_at_ms);
  s.bind_optional(13, a.revoked_by);
  s.bind_optional(14, a.revoked_by_name);
  s.bind_optional(15, a.revocation_reason);
  if (!s.step_unless_duplicate()) throw Conflict("Risk acceptance " + a.acceptance_id + " already exists");
}

bool SqliteRiskAcceptances::revoke(const std::string& id, std::int64_t at_ms, const std::string& by,
                                   const std::string& by_name, const std::string& reason) {
  const auto turn = writing_->take();
  // One statement decides: only an active record changes, so of two
  // connections revoking at once exactly one sees a changed row.
  Statement s(writer_->get(),
              "UPDATE risk_acceptances SET status = 'revoked', revoked_at = ?, revoked_by = ?, revoked_by_name = ?, "
              "revocation_reason = ? WHERE acceptance_id = ? AND status = 'active'");
  s.bind(1, at_ms);
  s.bind(2, by);
  s.bind(3, by_name);
  s.bind(4, reason);
  s.bind(5, id);
  s.step();
  return sqlite3_changes(writer_->get()) == 1;
}

std::vector<RiskAcceptance> SqliteRiskAcceptances::select(const std::string& where,
                                                          const std::vector<std::string>& args) const {
  std::lock_guard lock(reading_);
  // Read on every scored request: the few WHERE shapes stay prepared.
  Statement s(*reader_, std::string("SELECT ") + kColumns + " FROM risk_acceptances " + where +
                       " ORDER BY accepted_at DESC, rowid DESC");
  for (std::size_t i = 0; i < args.size(); ++i) s.bind(static_cast<int>(i + 1), std::string_view(args[i]));
  std::vector<RiskAcceptance> out;
  while (s.step() == SQLITE_ROW) out.push_back(read_row(s));
  return out;
}

std::optional<RiskAcceptance> SqliteRiskAcceptances::find(const std::string& id) const {
  auto rows = select("WHERE acceptance_id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

// The same meaning as RiskAcceptanceQuery::matches, said in SQL.
std::vector<RiskAcceptance> SqliteRiskAcceptances::list(const RiskAcceptanceQuery& q) const {
  std::string where = "WHERE 1=1";
  std::vector<std::string> args;
  if (q.status) {
    where += " AND status = ?";
    args.emplace_back(risk_status_name(*q.status));
  }
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
