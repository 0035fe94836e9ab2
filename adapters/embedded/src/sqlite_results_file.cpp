#include "achilles/embedded/sqlite_results_file.hpp"

#include <sqlite3.h>

#include <array>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include "achilles/errors.hpp"
#include "achilles/query/keyword_fields.hpp"
#include "sqlite_connection.hpp"
#include "stored_forms.hpp"

namespace achilles::embedded {
namespace {

// A keyword field's values in one TEXT column: NULL when it has none, else
// the values joined by 0x1F, with 0x1C escaping a literal 0x1C or 0x1F. Its
// stored form (absent, null, one, array) is in the row's `forms` number.
constexpr char kSeparator = '\x1f';
constexpr char kEscape = '\x1c';

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
  "defender_stage_detected INTEGER NOT NULL, tenant_label TEXT, forms INTEGER, event_time_text TEXT"

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS results (seq INTEGER PRIMARY KEY AUTOINCREMENT, " ACHILLES_RESULT_COLUMNS ");"
    "CREATE TABLE IF NOT EXISTS archived_results (seq INTEGER PRIMARY KEY, " ACHILLES_RESULT_COLUMNS
    ", archived_at INTEGER NOT NULL);"
    // A replaced document's old row, and the row that replaced it: a reader
    // that loaded the old row drops it when it loads the new one.
    "CREATE TABLE IF NOT EXISTS replaced_results (new_seq INTEGER PRIMARY KEY, old_seq INTEGER NOT NULL);"
    // The file's identity and its count of in-place changes (SnapshotStamp).
    "CREATE TABLE IF NOT EXISTS store_identity (id INTEGER PRIMARY KEY CHECK (id = 1), file_id TEXT NOT NULL, "
    "in_place_changes INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO store_identity VALUES (1, lower(hex(randomblob(16))), 0);";
#undef ACHILLES_RESULT_COLUMNS

// Columns in KeywordField order, as they appear in kColumns.
constexpr const char* kColumns =
    "doc_id, event_time, error_code, is_protected, score, is_bundle_control, defender_detected, "
    "defender_stage_detected, forms, event_time_text, "
    "test_uuid, test_name, org_id, hostname, error_name, category, subcategory, severity, techniques, tactics, "
    "target, complexity, threat_actor, tags, bundle_id, bundle_name, control_id, control_validator, tenant_label";
constexpr int kFixedColumns = 10;  // before the keyword columns
constexpr int kColumnCount = kFixedColumns + static_cast<int>(kKeywordFieldCount);

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += kSeparator;
    for (char ch : values[i]) {
      if (ch == kSeparator || ch == kEscape) out += kEscape;
      out += ch;
    }
  }
  return out;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  // Most values hold neither mark: whole runs are copied, not characters.
  for (;;) {
    const auto mark = text.find_first_of("\x1c\x1f");
    if (mark == std::string_view::npos) {
      if (out.empty()) out.emplace_back(text);
      else out.back().append(text);
      return out;
    }
    if (out.empty()) out.emplace_back();
    out.back().append(text.substr(0, mark));
    if (text[mark] == kSeparator) {
      out.emplace_back();
      text.remove_prefix(mark + 1);
    } else if (mark + 1 < text.size()) {  // an escaped mark: kept as it is
      out.back() += text[mark + 1];
      text.remove_prefix(mark + 2);
    } else {
      out.back() += kEscape;  // a trailing escape escapes nothing: kept
      text.remove_prefix(mark + 1);
    }
  }
}

// The first value of a joined text, as split() would give it.
std::string first_value(std::string_view text) {
  if (text.find_first_of("\x1c\x1f") == std::string_view::npos) return std::string(text);
  return split(text).front();
}

// Rows written before forms were stored: a value is one string, except in
// the three fields that were always arrays.
Keywords::Form legacy_form(KeywordField f, bool has_values) {
  if (!has_values) return Keywords::Form::Absent;
  const bool array = f == KeywordField::Techniques || f == KeywordField::Tactics || f == KeywordField::Tags;
  return array ? Keywords::Form::Many : Keywords::Form::One;
}

[[noreturn]] void fail_on(sqlite3* db) { throw_store_error(db, "results store"); }

// Owns one prepared statement.
class Statement {
public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      fail_on(db);
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
  void real(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void null(int i) { sqlite3_bind_null(stmt_, i); }
  int step() {
    const int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail_on(db_);
    return rc;
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string column_text(int i) const {
    return std::string(column_view(i));
  }
  // Valid until the statement steps or resets.
  std::string_view column_view(int i) const {
    const auto* p = sqlite3_column_text(stmt_, i);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string_view();
  }
  bool column_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Binds a document to kColumns' placeholders; `scratch` holds the joined
// keyword texts until the statement has run.
void bind_document(Statement& st, const ResultDocument& d, std::array<std::string, kKeywordFieldCount>& scratch) {
  int i = 1;
  st.text(i++, d.id);
  if (d.event_time_ms) st.integer(i++, *d.event_time_ms); else st.null(i++);
  if (d.error_code) st.integer(i++, *d.error_code); else st.null(i++);
  st.integer(i++, d.protected_result());
  if (d.score) st.real(i++, *d.score); else st.null(i++);
  st.integer(i++, d.is_bundle_control);
  st.integer(i++, d.defender_detected);
  st.integer(i++, d.defender_stage_detected);
  st.integer(i++, static_cast<std::int64_t>(StoredForms::of(d)));
  if (d.event_time_text.empty()) st.null(i++); else st.text(i++, d.event_time_text);
  for (std::size_t f = 0; f < kKeywordFieldCount; ++f) {
    const Keywords& k = keywords_of(d, keyword_field_at(f));
    if (k.empty()) {
      st.null(i++);
      continue;
    }
    const auto& values = k.values();
    if (values.size() == 1 && values.front().find_first_of("\x1c\x1f") == std::string::npos) {
      st.text(i++, values.front());  // joins to itself: no copy
      continue;
    }
    scratch[f] = join(values);
    st.text(i++, scratch[f]);
  }
}

// Reads a row selected as kColumns, starting at column `first`, into `d`,
// overwriting every field and reusing its strings' storage.
void decode_row_into(const Statement& st, int first, ResultDocument& d) {
  sqlite3_stmt* s = st.get();
  int i = first;
  d.id.assign(st.column_view(i++));
  d.event_time_ms = st.column_null(i) ? std::nullopt : std::optional(sqlite3_column_int64(s, i));
  ++i;
  d.error_code = st.column_null(i) ? std::nullopt : std::optional(sqlite3_column_int64(s, i));
  ++i;
  const bool is_protected = sqlite3_column_int(s, i++) != 0;
  d.score = st.column_null(i) ? std::nullopt : std::optional(sqlite3_column_double(s, i));
  ++i;
  d.is_bundle_control = sqlite3_column_int(s, i++) != 0;
  d.defender_detected = sqlite3_column_int(s, i++) != 0;
  d.defender_stage_detected = sqlite3_column_int(s, i++) != 0;
  const bool legacy = st.column_null(i);
  const auto forms = static_cast<std::uint64_t>(sqlite3_column_int64(s, i++));
  d.event_time_text.assign(st.column_view(i++));
  for (std::size_t f = 0; f < kKeywordFieldCount; ++f, ++i) {
    const KeywordField field = keyword_field_at(f);
    const bool has_values = !st.column_null(i);
    const auto form = legacy ? legacy_form(field, has_values) : StoredForms::form(forms, field);
    Keywords& out = keywords_of(d, field);
    const std::string_view text = has_values ? st.column_view(i) : std::string_view();
    // One pass for both separators (two memchr calls per field were 8% of a start).
    bool plain = true;
    for (const char ch : text) plain &= (ch != kSeparator) & (ch != kEscape);
    switch (form) {
      case Keywords::Form::Absent:
      case Keywords::Form::Null: out.assign(form, {}); break;
      case Keywords::Form::One:
        if (plain) {
          out.assign(form, std::span(&text, 1));
        } else {
          const std::string value = first_value(text);
          const std::string_view view = value;
          out.assign(form, std::span(&view, 1));
        }
        break;
      case Keywords::Form::Many:
        if (!has_values) {
          out.assign(form, {});
        } else if (plain) {
          out.assign(form, std::span(&text, 1));
        } else {
          const auto values = split(text);
          const std::vector<std::string_view> views(values.begin(), values.end());
          out.assign(form, views);
        }
        break;
    }
  }
  d.is_protected = std::nullopt;
  if (legacy || !(forms & StoredForms::kProtectedAbsent)) d.is_protected = is_protected;
  d.score_is_null = !legacy && (forms & StoredForms::kScoreNull);
}

ResultDocument decode_row(const Statement& st, int first) {
  ResultDocument d;
  decode_row_into(st, first, d);
  return d;
}

// The writer is used only in a writing turn, the reader only under reading_.
// 64 KiB pages: an import writes every page twice (WAL, then checkpoint);
// big pages cut that I/O's calls and frames (5M: 65 -> 53 s).
const SqliteConnection::Options kWriterOptions = [] {
  SqliteConnection::Options o;
  o.page_size_if_new = 65536;
  o.serialized_by_owner = true;
  return o;
}();
const SqliteConnection::Options kReaderOptions = [] {
  SqliteConnection::Options o;
  o.serialized_by_owner = true;
  return o;
}();

std::string placeholders() {
  std::string out;
  for (int i = 0; i < kColumnCount; ++i) out += i ? ",?" : "?";
  return out;
}

}  // namespace

SqliteResultsFile::SqliteResultsFile(const std::filesystem::path& path, std::chrono::milliseconds busy_wait)
    : writer_(std::make_unique<SqliteConnection>(path, busy_wait, "results store", kWriterOptions)),
      writing_(std::make_unique<WriterTurns>(busy_wait)) {
  writer_->exec("PRAGMA cache_size=-262144");  // 256 MiB: keeps the doc_id index hot during big imports
  // The write lock only when something must be created or migrated: an
  // import holds it for its whole transaction, and a server starting beside
  // it must not wait for it.
  if (schema_incomplete()) {
    try {
      writer_->exec("BEGIN IMMEDIATE");  // one process migrates; the others then see the new columns
      writer_->exec(kSchema);
      add_stored_form_columns();
      writer_->exec("COMMIT");
    } catch (...) {
      sqlite3_exec(writer_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
  reader_ = std::make_unique<SqliteConnection>(path, busy_wait, "results store", kReaderOptions);
  reader_->exec("PRAGMA query_only=1");
  reader_->exec("PRAGMA cache_size=-8192");
}

bool SqliteResultsFile::schema_incomplete() {
  sqlite3* db = writer_->get();
  Statement tables(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                        "('results', 'archived_results', 'replaced_results', 'store_identity')");
  tables.step();
  if (sqlite3_column_int(tables.get(), 0) != 4) return true;
  for (const char* table : {"results", "archived_results"}) {
    Statement info(db, std::string("SELECT 1 FROM pragma_table_info('") + table + "') WHERE name = 'forms'");
    if (info.step() != SQLITE_ROW) return true;
  }
  return false;
}

// Files written before stored forms were kept lack two columns; their rows
// read in the legacy way (forms NULL), new rows carry both.
void SqliteResultsFile::add_stored_form_columns() {
  sqlite3* db = writer_->get();
  for (const char* table : {"results", "archived_results"}) {
    Statement info(db, std::string("SELECT 1 FROM pragma_table_info('") + table + "') WHERE name = 'forms'");
    if (info.step() == SQLITE_ROW) continue;
    writer_->exec((std::string("ALTER TABLE ") + table + " ADD COLUMN forms INTEGER").c_str());
    writer_->exec((std::string("ALTER TABLE ") + table + " ADD COLUMN event_time_text TEXT").c_str());
  }
}

SqliteResultsFile::~SqliteResultsFile() = default;

void SqliteResultsFile::begin() {
  writing_->take_and_keep();
  try {
    writer_->exec("BEGIN IMMEDIATE");
  } catch (...) {
    writing_->release();
    throw;
  }
  in_transaction_ = true;
}

void SqliteResultsFile::commit() {
  writer_->exec("COMMIT");  // on failure the transaction stays open for rollback()
  in_transaction_ = false;
  writing_->release();
}

void SqliteResultsFile::rollback() {
  if (!in_transaction_) return;
  sqlite3_exec(writer_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
  in_transaction_ = false;
  writing_->release();
}

AppendOutcome SqliteResultsFile::append(std::span<const ResultDocument> documents, OnStoredId on_stored) {
  begin();
  try {
    const AppendOutcome outcome = add(documents, on_stored);
    commit();
    return outcome;
  } catch (...) {
    rollback();
    throw;
  }
}

AppendOutcome SqliteResultsFile::add(std::span<const ResultDocument> documents, OnStoredId on_stored) {
  sqlite3* db = writer_->get();
  AppendOutcome outcome;
  Statement insert(db, std::string("INSERT OR IGNORE INTO results (") + kColumns + ") VALUES (" + placeholders() + ")");
  Statement stored(db, std::string("SELECT seq, ") + kColumns + " FROM results WHERE doc_id = ?");
  Statement remove(db, "DELETE FROM results WHERE seq = ?");
  Statement note_replaced(db, "INSERT INTO replaced_results (new_seq, old_seq) VALUES (?, ?)");
  Statement archived(db, "SELECT 1 FROM archived_results WHERE doc_id = ?");
  Statement any_archived(db, "SELECT EXISTS (SELECT 1 FROM archived_results)");
  any_archived.step();
  const bool check_archive = sqlite3_column_int(any_archived.get(), 0) != 0;
  std::array<std::string, kKeywordFieldCount> scratch;
  for (const auto& d : documents) {
    if (check_archive) {
      archived.text(1, d.id);
      const bool was_archived = archived.step() == SQLITE_ROW;
      archived.reset();
      if (was_archived) {  // archiving is final: a re-import does not bring it back
        ++outcome.duplicates;
        continue;
      }
    }
    bind_document(insert, d, scratch);
    insert.step();
    const bool added = sqlite3_changes(db) > 0;
    insert.reset();
    if (added) {
      ++outcome.added;
      continue;
    }
    if (on_stored == OnStoredId::Keep) {
      ++outcome.duplicates;
      continue;
    }
    stored.text(1, d.id);
    stored.step();
    const std::int64_t old_seq = sqlite3_column_int64(stored.get(), 0);
    const bool same = decode_row(stored, 1) == d;
    stored.reset();
    if (same) {
      ++outcome.duplicates;
      continue;
    }
    remove.integer(1, old_seq);
    remove.step();
    remove.reset();
    bind_document(insert, d, scratch);
    insert.step();
    insert.reset();
    note_replaced.integer(1, sqlite3_last_insert_rowid(db));
    note_replaced.integer(2, old_seq);
    note_replaced.step();
    note_replaced.reset();
    ++outcome.replaced;
  }
  return outcome;
}

std::vector<bool> SqliteResultsFile::set_detection_flags(std::span<const Flags> flags) {
  std::vector<bool> applied;
  begin();
  try {
    sqlite3* db = writer_->get();
    count_in_place_change();
    Statement update(db, "UPDATE results SET defender_detected = MAX(defender_detected, ?), "
                         "defender_stage_detected = MAX(defender_stage_detected, ?) WHERE seq = ?");
    for (const auto& f : flags) {
      update.integer(1, f.detected ? 1 : 0);
      update.integer(2, f.stage_detected ? 1 : 0);
      update.integer(3, f.seq);
      update.step();
      applied.push_back(sqlite3_changes(db) > 0);
      update.reset();
    }
    commit();
  } catch (...) {
    rollback();
    throw;
  }
  return applied;
}

void SqliteResultsFile::count_in_place_change() {
  writer_->exec("UPDATE store_identity SET in_place_changes = in_place_changes + 1");
}

SnapshotStamp SqliteResultsFile::stamp() {
  std::lock_guard lock(reading_);
  return read_stamp();
}

SnapshotStamp SqliteResultsFile::read_stamp() {
  Statement identity(reader_->get(), "SELECT file_id, in_place_changes FROM store_identity WHERE id = 1");
  if (identity.step() != SQLITE_ROW) return {};
  const auto* id = reinterpret_cast<const char*>(sqlite3_column_text(identity.get(), 0));
  return {id ? id : "", sqlite3_column_int64(identity.get(), 1)};
}

std::int64_t SqliteResultsFile::read_since(std::int64_t after, const Sink& sink, SnapshotStamp* stamp) {
  std::lock_guard lock(reading_);
  sqlite3* db = reader_->get();
  // One read transaction: the replacements and the new rows are read from the
  // same snapshot, so a replacement committed in between cannot be half seen
  // (its new row loaded, its old row never retired).
  reader_->exec("BEGIN");
  struct EndRead {
    sqlite3* db;
    ~EndRead() { sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); }
  } end_read{db};
  if (stamp) *stamp = read_stamp();  // of the same state as the rows read
  {
    Statement replaced(db, "SELECT old_seq FROM replaced_results WHERE new_seq > ? AND old_seq <= ?");
    replaced.integer(1, after);
    replaced.integer(2, after);
    std::vector<std::int64_t> gone;
    while (replaced.step() == SQLITE_ROW) gone.push_back(sqlite3_column_int64(replaced.get(), 0));
    if (!gone.empty()) sink({}, {}, gone);
  }
  Statement select(db, std::string("SELECT seq, ") + kColumns + " FROM results WHERE seq > ? ORDER BY seq");
  select.integer(1, after);
  constexpr std::size_t kBatch = 8192;
  // Two batches take turns: one is decoded into (its documents' storage
  // reused) while the other is sunk on another thread. The sink still sees
  // one batch at a time, in order.
  std::array<std::vector<ResultDocument>, 2> batches;
  std::array<std::vector<std::int64_t>, 2> keys;
  std::future<void> sinking;
  std::size_t filling = 0, rows = 0;
  std::int64_t last = after;
  while (select.step() == SQLITE_ROW) {
    last = sqlite3_column_int64(select.get(), 0);
    auto& batch = batches[filling];
    if (batch.size() == rows) batch.emplace_back();
    decode_row_into(select, 1, batch[rows]);
    keys[filling].push_back(last);
    if (++rows == kBatch) {
      if (sinking.valid()) sinking.get();  // the other batch is free again
      sinking = std::async(std::launch::async, [&sink, &batch, &k = keys[filling]] { sink(batch, k, {}); });
      filling ^= 1;
      rows = 0;
      keys[filling].clear();
    }
  }
  if (sinking.valid()) sinking.get();
  if (rows) sink(std::span(batches[filling]).first(rows), keys[filling], {});
  return last;
}

std::size_t SqliteResultsFile::archive(std::span<const std::int64_t> seqs, std::int64_t archived_at_ms) {
  begin();
  try {
    const std::size_t moved = move_to_archive(seqs, archived_at_ms);
    commit();
    return moved;
  } catch (...) {
    rollback();
    throw;
  }
}

std::size_t SqliteResultsFile::move_to_archive(std::span<const std::int64_t> seqs, std::int64_t archived_at_ms) {
  sqlite3* db = writer_->get();
  count_in_place_change();
  std::size_t moved = 0;
  Statement copy(db, std::string("INSERT OR IGNORE INTO archived_results (seq, ") + kColumns +
                          ", archived_at) SELECT seq, " + kColumns + ", ? FROM results WHERE seq = ?");
  Statement remove(db, "DELETE FROM results WHERE seq = ?");
  for (std::int64_t seq : seqs) {
    copy.integer(1, archived_at_ms);
    copy.integer(2, seq);
    copy.step();
    copy.reset();
    remove.integer(1, seq);
    remove.step();
    moved += static_cast<std::size_t>(sqlite3_changes(db));
    remove.reset();
  }
  return moved;
}

std::int64_t SqliteResultsFile::archived_count() {
  std::lock_guard lock(reading_);
  Statement select(reader_->get(), "SELECT count(*) FROM archived_results");
  select.step();
  return sqlite3_column_int64(select.get(), 0);
}

bool SqliteResultsFile::changed_elsewhere() {
  std::lock_guard lock(reading_);
  // Asked before every question: kept prepared.
  sqlite3_stmt* pragma = reader_->reused("PRAGMA data_version");
  const int rc = sqlite3_step(pragma);
  const std::int64_t version = sqlite3_column_int64(pragma, 0);
  sqlite3_reset(pragma);
  if (rc != SQLITE_ROW) reader_->fail();
  const bool changed = version != data_version_;
  data_version_ = version;
  return changed;
}

void SqliteResultsFile::release_cache() {
  {
    std::lock_guard lock(reading_);
    reader_->exec("PRAGMA shrink_memory");
  }
  auto turn = writing_->take();
  writer_->exec("PRAGMA cache_size=-8192");
  writer_->exec("PRAGMA shrink_memory");
}

std::int64_t SqliteResultsFile::count() {
  std::lock_guard lock(reading_);
  Statement select(reader_->get(), "SELECT count(*) FROM results");
  select.step();
  return sqlite3_column_int64(select.get(), 0);
}

}  // namespace achilles::embedded
