#include "achilles/embedded/sqlite_defender_store.hpp"

#include <sqlite3.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <boost/json.hpp>

#include "achilles/defender_json/defender_document_json.hpp"
#include "sqlite_connection.hpp"
#include "sqlite_statement.hpp"

namespace achilles::embedded {
namespace json = boost::json;
namespace {

constexpr std::string_view kStore = "Defender store";

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS defender_documents (
  id TEXT PRIMARY KEY, doc_type TEXT NOT NULL, sort_time TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS defender_documents_by_type ON defender_documents (doc_type, sort_time);
CREATE TABLE IF NOT EXISTS auto_resolve_receipts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, at_ms INTEGER NOT NULL, settled INTEGER NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS auto_resolve_receipts_by_time ON auto_resolve_receipts (at_ms);
CREATE TABLE IF NOT EXISTS defender_sync (
  id INTEGER PRIMARY KEY CHECK (id = 1), last_alert_sync TEXT, last_score_sync TEXT, sync_version INTEGER NOT NULL
);
)sql";

class Statement : public SqliteStatement {
public:
  Statement(sqlite3* db, const std::string& sql) : SqliteStatement(db, sql, kStore) {}
};

void put(sqlite3* db, const std::string& id, const char* doc_type, const std::string& sort_time, const json::object& body) {
  Statement s(db, "INSERT OR REPLACE INTO defender_documents (id, doc_type, sort_time, body) VALUES (?, ?, ?, ?)");
  s.bind(1, id);
  s.bind(2, std::string_view(doc_type));
  s.bind(3, sort_time);
  s.bind(4, json::serialize(body));
  s.step();
}

std::optional<json::object> body_of(sqlite3* db, const std::string& id) {
  Statement s(db, "SELECT body FROM defender_documents WHERE id = ?");
  s.bind(1, id);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  boost::system::error_code ec;
  auto value = json::parse(s.column_text(0), ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

}  // namespace

SqliteDefenderStore::SqliteDefenderStore(const std::filesystem::path& database, std::chrono::milliseconds busy_wait)
    : writer_(std::make_unique<SqliteConnection>(database, busy_wait, std::string(kStore))),
      writing_(std::make_unique<WriterTurns>(busy_wait)) {
  writer_->exec(kSchema);
  reader_ = std::make_unique<SqliteConnection>(database, busy_wait, std::string(kStore));
  reader_->exec("PRAGMA query_only=1");
}

SqliteDefenderStore::~SqliteDefenderStore() = default;

template <typename Write>
void SqliteDefenderStore::in_transaction(Write write) {
  const auto turn = writing_->take();
  writer_->exec("BEGIN IMMEDIATE");
  try {
    write(writer_->get());
    writer_->exec("COMMIT");
  } catch (...) {
    sqlite3_exec(writer_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

DefenderWrite SqliteDefenderStore::put_secure_scores(const std::vector<SecureScoreDocument>& scores) {
  in_transaction([&](sqlite3* db) {
    for (const auto& d : scores) put(db, d.id, "secure_score", d.timestamp, defender_json::encode(d));
  });
  return {static_cast<std::int64_t>(scores.size()), {}};
}

DefenderWrite SqliteDefenderStore::replace_control_profiles(const std::vector<ControlProfileDocument>& profiles) {
  in_transaction([&](sqlite3* db) {
    Statement clear(db, "DELETE FROM defender_documents WHERE doc_type = 'control_profile'");
    clear.step();
    for (const auto& d : profiles) put(db, d.id, "control_profile", d.timestamp, defender_json::encode(d));
  });
  return {static_cast<std::int64_t>(profiles.size()), {}};
}

DefenderWrite SqliteDefenderStore::upsert_alerts(const std::vector<AlertDocument>& alerts) {
  in_transaction([&](sqlite3* db) {
    for (AlertDocument d : alerts) {
      // What Achilles wrote on the stored alert stays; the rest is Graph's now.
      if (auto stored = body_of(db, d.id))
        if (const auto* f = stored->if_contains("f0rtika"); f && f->is_object())
          d.f0rtika = defender_json::decode_annotations(f->get_object());
      put(db, d.id, "alert", d.created_at, defender_json::encode(d));
    }
  });
  return {static_cast<std::int64_t>(alerts.size()), {}};
}

bool SqliteDefenderStore::annotate_alert(const std::string& id, const AlertAnnotations& annotations) {
  return annotate_alerts({{id, annotations}}).front();
}

std::vector<bool> SqliteDefenderStore::annotate_alerts(const AlertMarks& marks) {
  std::vector<bool> found_each;
  in_transaction([&](sqlite3* db) {
    found_each.clear();
    for (const auto& [id, annotations] : marks) found_each.push_back(annotate_in(db, id, annotations));
  });
  return found_each;
}

bool SqliteDefenderStore::annotate_in(sqlite3* db, const std::string& id, const AlertAnnotations& annotations) {
  auto stored = body_of(db, id);
  if (!stored) return false;
  auto doc = defender_json::decode_alert(*stored, id);
  if (!doc) return false;
  // Field by field: a pass that sets the receipt keeps the correlation.
  AlertAnnotations& f = doc->f0rtika;
  auto keep = [](auto& into, const auto& from) {
    if (from) into = from;
  };
  keep(f.achilles_correlated, annotations.achilles_correlated);
  keep(f.achilles_test_uuid, annotations.achilles_test_uuid);
  keep(f.achilles_matched_at, annotations.achilles_matched_at);
  keep(f.auto_resolved, annotations.auto_resolved);
  keep(f.auto_resolved_at, annotations.auto_resolved_at);
  keep(f.auto_resolve_mode, annotations.auto_resolve_mode);
  keep(f.auto_resolve_error, annotations.auto_resolve_error);
  put(db, id, "alert", doc->created_at, defender_json::encode(*doc));
  return true;
}

std::vector<std::pair<std::string, std::string>> SqliteDefenderStore::rows(const char* doc_type, const char* order) const {
  std::lock_guard lock(reading_);
  Statement s(reader_->get(), std::string("SELECT id, body FROM defender_documents WHERE doc_type = ? ORDER BY ") + order);
  s.bind(1, std::string_view(doc_type));
  std::vector<std::pair<std::string, std::string>> out;
  while (s.step() == SQLITE_ROW) out.emplace_back(s.column_text(0), s.column_text(1));
  return out;
}

namespace {
template <typename Decode>
auto decoded(const std::vector<std::pair<std::string, std::string>>& rows, Decode decode) {
  std::vector<typename decltype(decode(json::object{}, std::string()))::value_type> out;
  for (const auto& [id, body] : rows) {
    boost::system::error_code ec;
    auto value = json::parse(body, ec);
    if (ec || !value.is_object()) continue;
    if (auto doc = decode(value.as_object(), id)) out.push_back(std::move(*doc));
  }
  return out;
}
}  // namespace

std::vector<SecureScoreDocument> SqliteDefenderStore::secure_scores() const {
  return decoded(rows("secure_score", "sort_time DESC, id DESC"), defender_json::decode_secure_score);
}

std::vector<ControlProfileDocument> SqliteDefenderStore::control_profiles() const {
  return decoded(rows("control_profile", "id"), defender_json::decode_control_profile);
}

std::vector<AlertDocument> SqliteDefenderStore::alerts() const { return *current_alerts(); }

SqliteDefenderStore::AlertList SqliteDefenderStore::current_alerts() const {
  // SQLite's data_version moves whenever another connection (our writer, or
  // another process) commits: read before the rows, a commit in between only
  // makes the next call decode again.
  std::int64_t version = 0;
  {
    std::lock_guard lock(reading_);
    Statement s(reader_->get(), "PRAGMA data_version");
    if (s.step() == SQLITE_ROW) version = s.column_integer(0);
  }
  std::lock_guard lock(alert_cache_mutex_);
  if (alert_cache_ && version == alert_cache_version_) return alert_cache_;
  alert_cache_ = std::make_shared<const std::vector<AlertDocument>>(
      decoded(rows("alert", "sort_time DESC, id DESC"), defender_json::decode_alert));
  alert_cache_version_ = version;
#ifdef __GLIBC__
  ::malloc_trim(0);  // the rows' text and the parsed JSON are gone: hand their memory back
#endif
  return alert_cache_;
}

AlertPage SqliteDefenderStore::find_alerts(const AlertQuery& query, const AlertPageQuestion& page) const {
  return alert_page_of(*current_alerts(), query, page);
}

AlertTally SqliteDefenderStore::tally_alerts(const AlertQuery& query) const {
  return alert_tally_of(*current_alerts(), query);
}

std::vector<AlertSighting> SqliteDefenderStore::alert_sightings(std::int64_t created_from_ms, bool with_hosts) const {
  return alert_sightings_of(*current_alerts(), created_from_ms, with_hosts);
}

std::optional<AlertDocument> SqliteDefenderStore::alert(const std::string& id) const {
  std::lock_guard lock(reading_);
  auto body = body_of(reader_->get(), id);
  return body ? defender_json::decode_alert(*body, id) : std::nullopt;
}

void SqliteDefenderStore::add_receipt(const AutoResolveReceipt& r) {
  in_transaction([&](sqlite3* db) {
    Statement s(db, "INSERT OR REPLACE INTO auto_resolve_receipts (id, at_ms, settled, body) VALUES (?, ?, ?, ?)");
    s.bind(1, r.id);
    s.bind(2, alert_time_ms(r.at).value_or(0));
    s.bind(3, static_cast<std::int64_t>(settles_alert(r.outcome)));
    s.bind(4, json::serialize(defender_json::encode(r)));
    s.step();
  });
}

ReceiptPage SqliteDefenderStore::receipts(std::size_t limit, std::size_t offset) const {
  std::lock_guard lock(reading_);
  ReceiptPage page;
  Statement count(reader_->get(), "SELECT COUNT(*) FROM auto_resolve_receipts");
  if (count.step() == SQLITE_ROW) page.total = count.column_integer(0);
  Statement s(reader_->get(), "SELECT body FROM auto_resolve_receipts ORDER BY at_ms DESC, seq DESC LIMIT ? OFFSET ?");
  s.bind(1, static_cast<std::int64_t>(limit));
  s.bind(2, static_cast<std::int64_t>(offset));
  while (s.step() == SQLITE_ROW) {
    boost::system::error_code ec;
    auto value = json::parse(s.column_text(0), ec);
    if (ec || !value.is_object()) continue;
    if (auto r = defender_json::decode_receipt(value.as_object())) page.items.push_back(std::move(*r));
  }
  return page;
}

std::int64_t SqliteDefenderStore::count_settled_receipts(std::int64_t since_ms) const {
  std::lock_guard lock(reading_);
  Statement s(reader_->get(), "SELECT COUNT(*) FROM auto_resolve_receipts WHERE settled = 1 AND at_ms >= ?");
  s.bind(1, since_ms);
  return s.step() == SQLITE_ROW ? s.column_integer(0) : 0;
}

DefenderWatermarks SqliteDefenderStore::watermarks() const {
  std::lock_guard lock(reading_);
  Statement s(reader_->get(), "SELECT last_alert_sync, last_score_sync, sync_version FROM defender_sync WHERE id = 1");
  DefenderWatermarks w;
  if (s.step() != SQLITE_ROW) return w;
  w.last_alert_sync = s.optional_text(0);
  w.last_score_sync = s.optional_text(1);
  w.sync_version = static_cast<int>(s.column_integer(2));
  return w;
}

void SqliteDefenderStore::save_watermarks(const DefenderWatermarks& w) {
  in_transaction([&](sqlite3* db) {
    Statement s(db, "INSERT OR REPLACE INTO defender_sync (id, last_alert_sync, last_score_sync, sync_version) VALUES (1, ?, ?, ?)");
    s.bind_optional(1, w.last_alert_sync);
    s.bind_optional(2, w.last_score_sync);
    s.bind(3, static_cast<std::int64_t>(w.sync_version));
    s.step();
  });
}

}  // namespace achilles::embedded
