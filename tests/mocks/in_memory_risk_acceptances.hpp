#pragma once
#include <mutex>
#include <vector>

#include "achilles/ports/risk_acceptances.hpp"

namespace achilles::mocks {

// Risk acceptances held in memory: the tests' double, and the model the
// SQLite and Elasticsearch adapters must agree with (tests/contract).
class InMemoryRiskAcceptances final : public RiskAcceptances {
public:
  void insert(const RiskAcceptance& acceptance) override;
  std::optional<RiskAcceptance> find(const std::string& acceptance_id) const override;
  bool revoke(const std::string& acceptance_id, std::int64_t revoked_at_ms, const std::string& revoked_by,
              const std::string& revoked_by_name, const std::string& reason) override;
  std::vector<RiskAcceptance> list(const RiskAcceptanceQuery& query) const override;

private:
  mutable std::mutex mutex_;
  std::vector<RiskAcceptance> records_;  // in insertion order
};

}  // namespace achilles::mocks
