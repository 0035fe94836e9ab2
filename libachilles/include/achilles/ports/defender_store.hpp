#pragma once
#include <optional>
#include <string>
#include <vector>

#include "achilles/domain/defender_documents.hpp"

namespace achilles {

struct DefenderWrite {
  std::int64_t written = 0;
  std::vector<std::string> errors;  // "<Score|Control|Alert> <id>: <reason>"
};

// Where the sync left off (defender-spec §3.7): ISO times, and the version
// of the alert documents' shape they were written with (a new version
// forces a full re-sync).
struct DefenderWatermarks {
  std::optional<std::string> last_alert_sync;
  std::optional<std::string> last_score_sync;
  int sync_version = 0;
  bool operator==(const DefenderWatermarks&) const = default;
};

// The local copy of Defender data. Adapters: the embedded store (SQLite
// beside the results) and the cluster's `achilles-defender` index; the one
// in use follows the results backend.
class DefenderStore {
public:
  virtual ~DefenderStore() = default;

  // By id: a day's score replaces that day's.
  virtual DefenderWrite put_secure_scores(const std::vector<SecureScoreDocument>& scores) = 0;
  // Every stored profile goes; these are the profiles now.
  virtual DefenderWrite replace_control_profiles(const std::vector<ControlProfileDocument>& profiles) = 0;
  // By id, keeping what Achilles wrote on a stored alert (`f0rtika`).
  virtual DefenderWrite upsert_alerts(const std::vector<AlertDocument>& alerts) = 0;
  // Achilles' own marks on an alert (correlation, auto-resolve receipts).
  virtual bool annotate_alert(const std::string& alert_doc_id, const AlertAnnotations& annotations) = 0;

  virtual std::vector<SecureScoreDocument> secure_scores() const = 0;  // newest first
  virtual std::vector<ControlProfileDocument> control_profiles() const = 0;
  virtual std::vector<AlertDocument> alerts() const = 0;  // newest created first
  virtual std::optional<AlertDocument> alert(const std::string& alert_doc_id) const = 0;

  virtual DefenderWatermarks watermarks() const = 0;
  virtual void save_watermarks(const DefenderWatermarks& watermarks) = 0;

  // Whether `owner` may run the background sync until now + ttl: taken when
  // free or expired, renewed by its holder. Where several instances share the
  // store (a cluster) only one holds it; a store of one process always grants it.
  virtual bool hold_sync_lease(const std::string& owner, std::int64_t now_ms, std::int64_t ttl_ms) {
    (void)owner, (void)now_ms, (void)ttl_ms;
    return true;
  }
};

}  // namespace achilles
