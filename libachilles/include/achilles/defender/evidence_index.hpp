#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "achilles/defender/alert_evidence.hpp"

namespace achilles {

// What an evidence question found: how many alerts answer it, and the first
// few of them (their document ids), as the original's `size: 5` sub-searches.
struct EvidenceAnswer {
  std::int64_t total = 0;
  std::vector<std::string> alert_ids;  // document ids, at most kEvidenceAlertIds
  std::string error;                    // this question failed (the others stand): why
  bool operator==(const EvidenceAnswer&) const = default;
};
inline constexpr std::size_t kEvidenceAlertIds = 5;

// Alerts in memory, ordered by each time they can be seen at (last update
// and creation), so an evidence question looks only at the alerts of its
// window: a binary search, then the few alerts inside.
class EvidenceIndex {
public:
  explicit EvidenceIndex(const std::vector<AlertDocument>& alerts);
  EvidenceAnswer answer(const EvidenceQuestion& question) const;

private:
  const std::vector<AlertDocument>& alerts_;
  std::vector<std::pair<std::int64_t, std::uint32_t>> by_time_;  // (time, alert), both times of each alert
};

}  // namespace achilles
