#include "achilles/defender/evidence_index.hpp"

#include <algorithm>

namespace achilles {

EvidenceIndex::EvidenceIndex(const std::vector<AlertDocument>& alerts) : alerts_(alerts) {
  by_time_.reserve(alerts.size() * 2);
  for (std::uint32_t i = 0; i < alerts.size(); ++i) {
    const auto updated = alert_time_ms(alerts[i].timestamp);
    const auto created = alert_time_ms(alerts[i].created_at);
    if (updated) by_time_.emplace_back(*updated, i);
    if (created && created != updated) by_time_.emplace_back(*created, i);
  }
  std::sort(by_time_.begin(), by_time_.end());
}

EvidenceAnswer EvidenceIndex::answer(const EvidenceQuestion& q) const {
  std::vector<std::uint32_t> hits;
  auto it = std::lower_bound(by_time_.begin(), by_time_.end(), std::make_pair(q.window.from_ms, std::uint32_t{0}));
  for (; it != by_time_.end() && it->first <= q.window.to_ms; ++it) {
    const AlertDocument& a = alerts_[it->second];
    if (saw_host(a, q.host_prefix) && shows_files(a, q.files)) hits.push_back(it->second);
  }
  // An alert seen twice in the window (both its times) counts once.
  std::sort(hits.begin(), hits.end());
  hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  EvidenceAnswer out;
  out.total = static_cast<std::int64_t>(hits.size());
  for (std::size_t i = 0; i < hits.size() && i < kEvidenceAlertIds; ++i) out.alert_ids.push_back(alerts_[hits[i]].id);
  return out;
}

}  // namespace achilles
