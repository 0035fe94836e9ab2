#include "mocks/in_memory_risk_acceptances.hpp"

#include <algorithm>

#include "achilles/errors.hpp"

namespace achilles::mocks {

void InMemoryRiskAcceptances::insert(const RiskAcceptance& a) {
  std::lock_guard lock(mutex_);
  for (const auto& r : records_)
    if (r.acceptance_id == a.acceptance_id) throw Conflict("Risk acceptance " + a.acceptance_id + " already exists");
  records_.push_back(a);
}

std::optional<RiskAcceptance> InMemoryRiskAcceptances::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const auto& r : records_)
    if (r.acceptance_id == id) return r;
  return std::nullopt;
}

bool InMemoryRiskAcceptances::revoke(const std::string& id, std::int64_t at_ms, const std::string& by,
                                     const std::string& by_name, const std::string& reason) {
  std::lock_guard lock(mutex_);
  for (auto& r : records_) {
    if (r.acceptance_id != id) continue;
    if (!r.is_active()) return false;
    r.status = RiskStatus::Revoked;
    r.revoked_at_ms = at_ms;
    r.revoked_by = by;
    r.revoked_by_name = by_name;
    r.revocation_reason = reason;
    return true;
  }
  return false;
}

std::vector<RiskAcceptance> InMemoryRiskAcceptances::list(const RiskAcceptanceQuery& q) const {
  std::lock_guard lock(mutex_);
  std::vector<RiskAcceptance> out;
  // Walking backwards and sorting stably puts equal times latest-stored
  // first, as the SQLite adapter's rowid order does.
  for (auto it = records_.rbegin(); it != records_.rend(); ++it)
    if (q.matches(*it)) out.push_back(*it);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.accepted_at_ms > b.accepted_at_ms; });
  return out;
}

}  // namespace achilles::mocks
