#pragma once
#include "achilles/errors.hpp"
#include "achilles/ports/defender_store.hpp"
#include "results/live_results.hpp"

namespace achilles::server {

// The Defender data of the backend serving this request: switching the
// results to a cluster switches the local copy of Defender data with them
// (the cluster's achilles-defender index, which the original reads too).
class LiveDefenderStore final : public DefenderStore {
private:
  // The serving backend is held for the whole call: a switch meanwhile cannot free it.
  template <typename Call>
  auto with(Call call) const {
    const auto backend = live_.serving();
    if (!backend->defender) throw InvalidArgument("Defender data is not kept by this server");
    return call(*backend->defender);
  }
  const LiveResults& live_;

public:
  explicit LiveDefenderStore(const LiveResults& live) : live_(live) {}

  DefenderWrite put_secure_scores(const std::vector<SecureScoreDocument>& scores) override {
    return with([&](DefenderStore& s) { return s.put_secure_scores(scores); });
  }
  DefenderWrite replace_control_profiles(const std::vector<ControlProfileDocument>& profiles) override {
    return with([&](DefenderStore& s) { return s.replace_control_profiles(profiles); });
  }
  DefenderWrite upsert_alerts(const std::vector<AlertDocument>& alerts) override {
    return with([&](DefenderStore& s) { return s.upsert_alerts(alerts); });
  }
  bool annotate_alert(const std::string& id, const AlertAnnotations& annotations) override {
    return with([&](DefenderStore& s) { return s.annotate_alert(id, annotations); });
  }
  std::vector<SecureScoreDocument> secure_scores() const override {
    return with([](DefenderStore& s) { return s.secure_scores(); });
  }
  std::vector<ControlProfileDocument> control_profiles() const override {
    return with([](DefenderStore& s) { return s.control_profiles(); });
  }
  std::vector<AlertDocument> alerts() const override { return with([](DefenderStore& s) { return s.alerts(); }); }
  std::optional<AlertDocument> alert(const std::string& id) const override {
    return with([&](DefenderStore& s) { return s.alert(id); });
  }
  AlertPage find_alerts(const AlertQuery& query, const AlertPageQuestion& page) const override {
    return with([&](DefenderStore& s) { return s.find_alerts(query, page); });
  }
  AlertTally tally_alerts(const AlertQuery& query) const override {
    return with([&](DefenderStore& s) { return s.tally_alerts(query); });
  }
  std::vector<AlertSighting> alert_sightings(std::int64_t created_from_ms, bool with_hosts) const override {
    return with([&](DefenderStore& s) { return s.alert_sightings(created_from_ms, with_hosts); });
  }
  std::vector<bool> annotate_alerts(const AlertMarks& marks) override {
    return with([&](DefenderStore& s) { return s.annotate_alerts(marks); });
  }
  std::vector<EvidenceAnswer> answer_evidence(const std::vector<EvidenceQuestion>& questions) const override {
    return with([&](DefenderStore& s) { return s.answer_evidence(questions); });
  }
  void add_receipt(const AutoResolveReceipt& receipt) override {
    with([&](DefenderStore& s) { s.add_receipt(receipt); });
  }
  ReceiptPage receipts(std::size_t limit, std::size_t offset) const override {
    return with([&](DefenderStore& s) { return s.receipts(limit, offset); });
  }
  std::int64_t count_settled_receipts(std::int64_t since_ms) const override {
    return with([&](DefenderStore& s) { return s.count_settled_receipts(since_ms); });
  }
  DefenderWatermarks watermarks() const override { return with([](DefenderStore& s) { return s.watermarks(); }); }
  bool hold_sync_lease(const std::string& owner, std::int64_t now_ms, std::int64_t ttl_ms) override {
    return with([&](DefenderStore& s) { return s.hold_sync_lease(owner, now_ms, ttl_ms); });
  }
  void save_watermarks(const DefenderWatermarks& watermarks) override {
    with([&](DefenderStore& s) { s.save_watermarks(watermarks); });
  }

};

}  // namespace achilles::server
