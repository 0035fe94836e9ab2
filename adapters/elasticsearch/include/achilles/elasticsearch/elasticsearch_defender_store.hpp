#pragma once
#include <atomic>
#include <memory>
#include <string>

#include "achilles/elasticsearch/cluster.hpp"
#include "achilles/ports/defender_store.hpp"

namespace achilles::elasticsearch {

// The local copy of Defender data in the original's `achilles-defender`
// index (defender-spec §4.1), so the original and every instance on the
// cluster read the same documents:
//   scores:   _bulk index by id;
//   controls: delete_by_query of every control_profile, then _bulk index;
//   alerts:   _bulk update with doc_as_upsert and retry_on_conflict 3, the
//             doc never carrying f0rtika, so Achilles' marks survive;
//   marks:    _update of f0rtika;
//   watermarks: one `sync_state` document (the original kept them in its
//             settings file), read by no query of the original.
// Writes use refresh=wait_for; the index is created with the §4.1 mapping
// before the first write (a 400 means it exists). A missing index holds
// nothing. Per-item bulk failures are reported as "<Score|Control|Alert>
// <id>: <reason>".
class ElasticsearchDefenderStore final : public DefenderStore {
public:
  explicit ElasticsearchDefenderStore(std::shared_ptr<EsTransport> transport, std::string index = "achilles-defender");

  DefenderWrite put_secure_scores(const std::vector<SecureScoreDocument>& scores) override;
  DefenderWrite replace_control_profiles(const std::vector<ControlProfileDocument>& profiles) override;
  DefenderWrite upsert_alerts(const std::vector<AlertDocument>& alerts) override;
  bool annotate_alert(const std::string& alert_doc_id, const AlertAnnotations& annotations) override;
  // One _bulk of partial updates (retry_on_conflict 3), one refresh.
  std::vector<bool> annotate_alerts(const AlertMarks& marks) override;

  std::vector<SecureScoreDocument> secure_scores() const override;
  std::vector<ControlProfileDocument> control_profiles() const override;
  std::vector<AlertDocument> alerts() const override;
  std::optional<AlertDocument> alert(const std::string& alert_doc_id) const override;

  // Asked of the cluster (alert_query_dsl.hpp); the sightings are read in
  // search_after pages carrying only techniques, creation time (and hosts).
  AlertPage find_alerts(const AlertQuery& query, const AlertPageQuestion& page) const override;
  AlertTally tally_alerts(const AlertQuery& query) const override;
  std::vector<AlertSighting> alert_sightings(std::int64_t created_from_ms, bool with_hosts) const override;
  // One _msearch: each question a `size: 5`, `_source: false` search.
  std::vector<EvidenceAnswer> answer_evidence(const std::vector<EvidenceQuestion>& questions) const override;

  // Receipts: `auto_resolve_receipt` documents (id receipt-<id>).
  void add_receipt(const AutoResolveReceipt& receipt) override;
  ReceiptPage receipts(std::size_t limit, std::size_t offset) const override;
  std::int64_t count_settled_receipts(std::int64_t since_ms) const override;

  DefenderWatermarks watermarks() const override;
  void save_watermarks(const DefenderWatermarks& watermarks) override;
  // A `sync_lease` document {owner, expires_at_ms}, taken with _create and
  // renewed or taken over under if_seq_no/if_primary_term, so of two
  // instances racing for it exactly one wins.
  bool hold_sync_lease(const std::string& owner, std::int64_t now_ms, std::int64_t ttl_ms) override;

private:
  void prepare_index();
  DefenderWrite bulk(const std::string& ndjson, std::size_t count, const char* label);
  std::vector<std::pair<std::string, boost::json::object>> documents(const char* doc_type, const char* sort_field,
                                                                   const char* unique_field) const;
  std::optional<boost::json::object> search(const boost::json::object& body) const;  // nullopt: no index yet
  EsCluster cluster_;
  std::string index_;
  std::atomic<bool> index_ready_{false};
};

// The §4.1 mapping, as the original creates the index.
boost::json::value defender_index_body();

}  // namespace achilles::elasticsearch
