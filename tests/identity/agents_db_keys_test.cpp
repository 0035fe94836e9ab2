// The original deployment's API keys, read from its agents.db as it is
// (ACHILLES_AGENTS_DB): the same hash and expiry rules, nothing written.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "achilles/embedded/sqlite_api_keys.hpp"
#include "achilles/errors.hpp"
#include "achilles/local_token/openssl_api_key_mint.hpp"
#include "achilles/services/api_key_service.hpp"
#include "mocks/manual_clock.hpp"
#include "support/process.hpp"

using namespace achilles;
using namespace achilles::testing;

namespace {

constexpr std::int64_t kNow = 1'764'489'600'000;  // 2025-11-30T08:00:00Z
const std::string kLive = "pa_" + std::string("3f9c2b7a1e0d4c6b8a5f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b");
const std::string kExpired = "pa_" + std::string(64, 'e');
const std::string kRevoked = "pa_" + std::string(64, 'd');

// agents.db as the original leaves it: its schema, SQLite's datetime('now')
// for created_at and revoked_at, zod-checked ISO for expires_at.
void write_agents_db(const std::filesystem::path& path, const ApiKeyMint& mint) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const std::string sql =
      "PRAGMA journal_mode=WAL;"
      "CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, "
      "key_prefix TEXT NOT NULL, scope TEXT NOT NULL DEFAULT 'read' CHECK(scope IN ('read','read-write')), "
      "created_by TEXT NOT NULL, org_id TEXT, created_at TEXT NOT NULL DEFAULT (datetime('now')), expires_at TEXT, "
      "last_used_at TEXT, revoked_at TEXT);"
      "INSERT INTO api_keys VALUES ('6f1c0b2e-1d3a-4c5b-9e8f-7a6b5c4d3e2f', 'nightly CI', '" + mint.hash_of(kLive) +
      "', '" + kLive.substr(0, 12) + "', 'read-write', 'user_2pQ7abc', 'org_2pQ8a1', '2025-05-22 10:00:00', NULL, "
      "'2025-11-29 23:59:01', NULL);"
      "INSERT INTO api_keys VALUES ('a1', 'old', '" + mint.hash_of(kExpired) + "', '" + kExpired.substr(0, 12) +
      "', 'read', 'user_2pQ7abc', NULL, '2025-01-01 00:00:00', '2025-06-30T00:00:00.000Z', NULL, NULL);"
      "INSERT INTO api_keys VALUES ('a2', 'leaked', '" + mint.hash_of(kRevoked) + "', '" + kRevoked.substr(0, 12) +
      "', 'read', 'user_2pQ7abc', NULL, '2025-01-01 00:00:00', NULL, NULL, '2025-06-01 12:00:00');";
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("the original's agents.db keys are accepted by its rules and never written", "[identity][api-keys]") {
  TempDir dir;
  const local_token::OpenSslApiKeyMint mint;
  const auto path = dir / "agents.db";
  write_agents_db(path, mint);
  const auto size_before = std::filesystem::file_size(path);

  ManualClock clock{kNow};
  embedded::SqliteApiKeys keys(path, embedded::SqliteApiKeys::Access::ReadOnly);
  ApiKeyVerifier verifier(keys, mint, clock);
  const auto p = verifier.verify(kLive);
  REQUIRE(p);
  CHECK(p->user_id == "apikey:6f1c0b2e-1d3a-4c5b-9e8f-7a6b5c4d3e2f");
  CHECK(p->org_id == "org_2pQ8a1");
  CHECK(p->permissions == permissions_of(ApiKeyScope::ReadWrite));
  CHECK_FALSE(verifier.verify(kExpired));
  CHECK_FALSE(verifier.verify(kRevoked));

  const auto listed = keys.list();
  REQUIRE(listed.size() == 3);
  CHECK(listed[0].created_at_ms == 1'747'908'000'000);  // 2025-05-22 10:00:00 UTC
  CHECK(listed[0].last_used_at_ms == 1'764'460'741'000);
  CHECK_THROWS_AS(keys.insert(listed[0]), InvalidArgument);
  CHECK_THROWS_AS(keys.revoke("a1", kNow), InvalidArgument);
  keys.touch("6f1c0b2e-1d3a-4c5b-9e8f-7a6b5c4d3e2f", kNow);
  CHECK(std::filesystem::file_size(path) == size_before);
  CHECK(keys.find("6f1c0b2e-1d3a-4c5b-9e8f-7a6b5c4d3e2f")->last_used_at_ms == 1'764'460'741'000);
}

TEST_CASE("an agents.db without the api_keys table stops the start", "[identity][api-keys]") {
  TempDir dir;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "agents.db").c_str(), &db) == SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE agents (id TEXT)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  CHECK_THROWS(embedded::SqliteApiKeys(dir / "agents.db", embedded::SqliteApiKeys::Access::ReadOnly));
  CHECK_THROWS(embedded::SqliteApiKeys(dir / "missing.db", embedded::SqliteApiKeys::Access::ReadOnly));
}

TEST_CASE("last use is written at most once a minute per key", "[identity][api-keys]") {
  TempDir dir;
  const local_token::OpenSslApiKeyMint mint;
  ManualClock clock{kNow};
  embedded::SqliteApiKeys keys(dir / "results.db");
  ApiKeyService service(keys, mint, clock);
  ApiKeyVerifier verifier(keys, mint, clock);
  const auto created = service.create({"gate", "read", std::nullopt}, Principal::with_role("u", Role::Admin));
  REQUIRE(verifier.verify(created.plaintext));
  CHECK(keys.find(created.key.id)->last_used_at_ms == kNow);
  clock.set(kNow + 30'000);
  REQUIRE(verifier.verify(created.plaintext));
  CHECK(keys.find(created.key.id)->last_used_at_ms == kNow);
  clock.set(kNow + 61'000);
  REQUIRE(verifier.verify(created.plaintext));
  CHECK(keys.find(created.key.id)->last_used_at_ms == kNow + 61'000);
  // The I/O thread's check writes nothing.
  clock.set(kNow + 200'000);
  CHECK(verifier.verify_without_waiting(created.plaintext) == IdentityVerifier::Verdict::Proven);
  CHECK(keys.find(created.key.id)->last_used_at_ms == kNow + 61'000);
}
