#pragma once
#include <filesystem>
#include <mutex>
#include <vector>

#include "achilles/ports/risk_acceptances.hpp"

struct sqlite3;

namespace achilles::embedded {

// Risk acceptances in memory: the unit tests' adapter.
class InMemoryRiskAcceptances final : public RiskAcceptances {
public:
  void insert(const RiskAcceptance& acceptance) override;
  std::optional<RiskAcceptance> find(const std::string& id) const override;
  void update(const RiskAcceptance& acceptance) override;
  std::vector<RiskAcceptance> list(const RiskAcceptanceQuery& query) const override;

private:
  mutable std::mutex mutex_;
  std::vector<RiskAcceptance> records_;
};

// Risk acceptances in the embedded store's SQLite file (table
// risk_acceptances), one committed transaction per change.
class SqliteRiskAcceptances final : public RiskAcceptances {
public:
  explicit SqliteRiskAcceptances(const std::filesystem::path& database);
  ~SqliteRiskAcceptances() override;
  SqliteRiskAcceptances(const SqliteRiskAcceptances&) = delete;
  SqliteRiskAcceptances& operator=(const SqliteRiskAcceptances&) = delete;

  void insert(const RiskAcceptance& acceptance) override;
  std::optional<RiskAcceptance> find(const std::string& id) const override;
  void update(const RiskAcceptance& acceptance) override;
  std::vector<RiskAcceptance> list(const RiskAcceptanceQuery& query) const override;

private:
  void write(const RiskAcceptance& acceptance, bool replace);
  std::vector<RiskAcceptance> select(const std::string& where, const std::vector<std::string>& args) const;
  mutable std::mutex mutex_;
  sqlite3* db_ = nullptr;
};

bool matches(const RiskAcceptance& r, const RiskAcceptanceQuery& q);

}  // namespace achilles::embedded
