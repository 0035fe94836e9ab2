#pragma once
#include <optional>
#include <string>
#include <vector>

#include "achilles/defender/alert_query.hpp"
#include "achilles/defender/evidence_index.hpp"
#include "achilles/domain/auto_resolve.hpp"
#include "achilles/domain/defender_documents.hpp"

namespace achilles {

// What a write of Defender documents stored, and why the rest was refused.
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
  // Several at once (enrichment's batch), visible to the next question;
  // per entry, whether the alert exists. By default one by one.
  using AlertMarks = std::vector<std::pair<std::string, AlertAnnotations>>;
  virtual std::vector<bool> annotate_alerts(const AlertMarks& marks) {
    std::vector<bool> found;
    for (const auto& [id, annotations] : marks) found.push_back(annotate_alert(id, annotations));
    return found;
  }

  virtual std::vector<SecureScoreDocument> secure_scores() const = 0;  // newest first
  virtual std::vector<ControlProfileDocument> control_profiles() const = 0;
  virtual std::vector<AlertDocument> alerts() const = 0;  // newest created first
  virtual std::optional<AlertDocument> alert(const std::string& alert_doc_id) const = 0;

  // The analytics questions about alerts (defender-spec §9.2). By default
  // answered over alerts() in memory; a store that can ask its engine
  // (Elasticsearch) or keeps alerts at hand (the embedded store) overrides them.
  virtual AlertPage find_alerts(const AlertQuery& query, const AlertPageQuestion& page) const {
    return alert_page_of(alerts(), query, page);
  }
  virtual AlertTally tally_alerts(const AlertQuery& query) const { return alert_tally_of(alerts(), query); }
  // Per technique of each alert created at or after `created_from_ms`, when.
  virtual std::vector<AlertSighting> alert_sightings(std::int64_t created_from_ms, bool with_hosts) const {
    return alert_sightings_of(alerts(), created_from_ms, with_hosts);
  }

  // Enrichment's evidence questions (§6.4–§6.5), asked together: answer i
  // for question i.
  virtual std::vector<EvidenceAnswer> answer_evidence(const std::vector<EvidenceQuestion>& questions) const {
    const auto all = alerts();
    const EvidenceIndex index(all);
    std::vector<EvidenceAnswer> out;
    for (const auto& q : questions) out.push_back(index.answer(q));
    return out;
  }

  // Auto-resolve's audit trail: every decision, newest first; and how many
  // decisions that settled an alert were taken since a time.
  virtual void add_receipt(const AutoResolveReceipt& receipt) = 0;
  virtual ReceiptPage receipts(std::size_t limit, std::size_t offset) const = 0;
  virtual std::int64_t count_settled_receipts(std::int64_t since_ms) const = 0;

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
