#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "achilles/domain/risk_acceptance.hpp"

namespace achilles {

// Which acceptances a list asks for; an absent field does not filter.
struct RiskAcceptanceQuery {
  std::optional<RiskStatus> status;
  std::optional<std::string> test_name;
  // Records of this org plus those of no org: a record without an org
  // applies to every organisation (risk-acceptance.md).
  std::optional<std::string> org_id;

  bool matches(const RiskAcceptance& record) const;
};

// Stored risk acceptances. Every change is visible to the very next read of
// any instance over the same store (D10): adapters keep no caches. Safe to
// call from several threads.
class RiskAcceptances {
public:
  virtual ~RiskAcceptances() = default;

  // Stores a new record; an id already stored is refused with Conflict.
  virtual void insert(const RiskAcceptance& acceptance) = 0;
  virtual std::optional<RiskAcceptance> find(const std::string& acceptance_id) const = 0;
  // Marks an active record revoked, in one step so that two concurrent
  // revokes cannot both succeed. False when the id is unknown or the record
  // is not active (nothing is changed then).
  virtual bool revoke(const std::string& acceptance_id, std::int64_t revoked_at_ms, const std::string& revoked_by,
                      const std::string& revoked_by_name, const std::string& reason) = 0;
  // Newest accepted first; equal times: the later stored first.
  virtual std::vector<RiskAcceptance> list(const RiskAcceptanceQuery& query) const = 0;

  // The active records that apply to `org` (its own and those of no org);
  // an empty org means every active record.
  std::vector<RiskAcceptance> active_for_org(const std::string& org) const {
    RiskAcceptanceQuery query;
    query.status = RiskStatus::Active;
    if (!org.empty()) query.org_id = org;
    return list(query);
  }
};

}  // namespace achilles
