#pragma once
#include <optional>
#include <string>
#include <vector>

#include "achilles/domain/risk_acceptance.hpp"

namespace achilles {

// Which acceptances a list asks for.
struct RiskAcceptanceQuery {
  std::optional<bool> active;            // status filter
  std::optional<std::string> test_name;
  std::optional<std::string> org_id;     // records of this org plus those of no org
};

// Stored risk acceptances. Every change is visible to the very next read
// (D10): no caches.
class RiskAcceptances {
public:
  virtual ~RiskAcceptances() = default;
  virtual void insert(const RiskAcceptance& acceptance) = 0;
  virtual std::optional<RiskAcceptance> find(const std::string& acceptance_id) const = 0;
  // Replaces the stored record of the same id (revocation).
  virtual void update(const RiskAcceptance& acceptance) = 0;
  // Newest accepted first.
  virtual std::vector<RiskAcceptance> list(const RiskAcceptanceQuery& query) const = 0;
};

}  // namespace achilles
