#pragma once
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "achilles/ports/risk_acceptances.hpp"

namespace achilles::embedded {

class SqliteConnection;
class WriterTurns;

// Risk acceptances in their own table (`risk_acceptances`) of a SQLite file,
// in practice the embedded store's results.db. Every change is one committed
// statement and every read asks the file, so another connection's change
// (another instance, another process) shows in the next read (D10).
class SqliteRiskAcceptances final : public RiskAcceptances {
public:
  // `busy_wait`: how long a write waits for another writer (an import holds
  // the file's write lock), then BackendUnavailable; reads never wait for one.
  explicit SqliteRiskAcceptances(const std::filesystem::path& database,
                                 std::chrono::milliseconds busy_wait = std::chrono::seconds(2));
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

  // One connection writes, one reads: a write waiting for an import's lock
  // holds its writer's turn only, and the exclusions every analytics request
  // asks for are read meanwhile.
  std::unique_ptr<SqliteConnection> writer_;
  std::unique_ptr<SqliteConnection> reader_;
  std::unique_ptr<WriterTurns> writing_;
  mutable std::mutex reading_;
};

}  // namespace achilles::embedded
