#pragma once
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "achilles/ports/risk_acceptances.hpp"

struct sqlite3;

namespace achilles::embedded {

// Risk acceptances in their own table (`risk_acceptances`) of a SQLite file,
// in practice the embedded store's results.db. Every change is one committed
// statement and every read asks the file, so another connection's change
// (another instance, another process) shows in the next read (D10).
class SqliteRiskAcceptances final : public RiskAcceptances {
public:
  explicit SqliteRiskAcceptances(const std::filesystem::path& database);
  ~SqliteRiskAcceptances() override;
  SqliteRiskAcceptances(const SqliteRiskAcceptances&) = delete;
  SqliteRiskAcceptances& operator=(const SqliteRiskAcceptances&) = delete;

  void insert(const RiskAcceptance& acceptance) override;
  std::optional<RiskAcceptance> find(const std::string& acceptance_id) const override;
  bool revoke(const std::string& acceptance_id, std::int64_t revoked_at_ms, const std::string& revoked_by,
              const std::string& revoked_by_name, const std::string& reason) override;
  std::vector<RiskAcceptance> list(const RiskAcceptanceQuery& query) const override;

private:
  std::vector<RiskAcceptance> select(const std::string& where, const std::vector<std::string>& args) const;

  mutable std::mutex mutex_;  // one statement at a time on the one connection
  sqlite3* db_ = nullptr;
};

}  // namespace achilles::embedded
