#pragma once
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>

#include "achilles/ports/defender_store.hpp"

struct sqlite3;

namespace achilles::embedded {

class SqliteConnection;
class WriterTurns;

// The local copy of Defender data in the embedded store (results.db): one
// row per document of the original's `achilles-defender` index, its JSON
// as the index holds it, and the sync's watermarks. Each write is one
// transaction; reads go on meanwhile.
class SqliteDefenderStore final : public DefenderStore {
public:
  explicit SqliteDefenderStore(const std::filesystem::path& database,
                               std::chrono::milliseconds busy_wait = std::chrono::seconds(2));
  ~SqliteDefenderStore() override;
  SqliteDefenderStore(const SqliteDefenderStore&) = delete;
  SqliteDefenderStore& operator=(const SqliteDefenderStore&) = delete;

  DefenderWrite put_secure_scores(const std::vector<SecureScoreDocument>& scores) override;
  DefenderWrite replace_control_profiles(const std::vector<ControlProfileDocument>& profiles) override;
  DefenderWrite upsert_alerts(const std::vector<AlertDocument>& alerts) override;
  bool annotate_alert(const std::string& alert_doc_id, const AlertAnnotations& annotations) override;
  std::vector<bool> annotate_alerts(const AlertMarks& marks) override;  // one transaction

  std::vector<SecureScoreDocument> secure_scores() const override;
  std::vector<ControlProfileDocument> control_profiles() const override;
  std::vector<AlertDocument> alerts() const override;
  std::optional<AlertDocument> alert(const std::string& alert_doc_id) const override;

  // Answered in memory over the alerts, decoded once per change of the file.
  AlertPage find_alerts(const AlertQuery& query, const AlertPageQuestion& page) const override;
  AlertTally tally_alerts(const AlertQuery& query) const override;
  std::vector<AlertSighting> alert_sightings(std::int64_t created_from_ms, bool with_hosts) const override;

  void add_receipt(const AutoResolveReceipt& receipt) override;
  ReceiptPage receipts(std::size_t limit, std::size_t offset) const override;
  std::int64_t count_settled_receipts(std::int64_t since_ms) const override;

  DefenderWatermarks watermarks() const override;
  void save_watermarks(const DefenderWatermarks& watermarks) override;

private:
  template <typename Write>
  void in_transaction(Write write);
  static bool annotate_in(sqlite3* db, const std::string& id, const AlertAnnotations& annotations);
  std::vector<std::pair<std::string, std::string>> rows(const char* doc_type, const char* order) const;  // id, body
  using AlertList = std::shared_ptr<const std::vector<AlertDocument>>;
  AlertList current_alerts() const;
  mutable std::mutex alert_cache_mutex_;
  mutable AlertList alert_cache_;
  mutable std::int64_t alert_cache_version_ = -1;
  std::unique_ptr<SqliteConnection> writer_;
  std::unique_ptr<SqliteConnection> reader_;
  std::unique_ptr<WriterTurns> writing_;
  mutable std::mutex reading_;
};

}  // namespace achilles::embedded
