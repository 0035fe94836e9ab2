#pragma once
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>

#include "achilles/ports/api_keys.hpp"

namespace achilles::embedded {

class SqliteConnection;
class WriterTurns;

// API keys in an `api_keys` table of the original's shape (platform-spec
// §1.5), times as ISO-8601 text: in practice the embedded store's
// results.db. Opened ReadOnly it reads the original deployment's agents.db
// (ACHILLES_AGENTS_DB) as it is, its SQLite times ("2026-05-22 10:00:00",
// UTC) included; there, insert and revoke throw InvalidArgument and touch
// does nothing.
class SqliteApiKeys final : public ApiKeys {
public:
  enum class Access { ReadWrite, ReadOnly };
  explicit SqliteApiKeys(const std::filesystem::path& database, Access access = Access::ReadWrite,
                         std::chrono::milliseconds busy_wait = std::chrono::seconds(2));
  ~SqliteApiKeys() override;
  SqliteApiKeys(const SqliteApiKeys&) = delete;
  SqliteApiKeys& operator=(const SqliteApiKeys&) = delete;

  void insert(const ApiKey& key) override;
  std::optional<ApiKey> find_by_hash(const std::string& token_hash) const override;
  std::optional<ApiKey> find(const std::string& id) const override;
  std::vector<ApiKey> list() const override;
  bool revoke(const std::string& id, std::int64_t at_ms) override;
  void touch(const std::string& id, std::int64_t at_ms) noexcept override;

private:
  std::vector<ApiKey> select(const char* where, const std::string& arg) const;
  std::chrono::milliseconds busy_wait_;
  std::unique_ptr<SqliteConnection> writer_;  // none when ReadOnly
  std::unique_ptr<SqliteConnection> reader_;
  std::unique_ptr<WriterTurns> writing_;
  mutable std::mutex reading_;
};

}  // namespace achilles::embedded
