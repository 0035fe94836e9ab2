// The RiskAcceptances contract: the in-memory, SQLite and Elasticsearch
// adapters store, revoke and list the same way.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include "achilles/embedded/embedded_results_index.hpp"
#include "achilles/embedded/sqlite_results_file.hpp"
#include "mocks/in_memory_risk_acceptances.hpp"
#include "achilles/embedded/sqlite_risk_acceptances.hpp"
#include "achilles/errors.hpp"
#include "contract/results_adapters.hpp"
#include "support/result_builder.hpp"

using namespace achilles;

namespace {

RiskAcceptance record(std::string id, std::int64_t at, std::optional<std::string> org = std::nullopt,
                      std::string test = "T") {
  RiskAcceptance r;
  r.acceptance_id = std::move(id);
  r.org_id = std::move(org);
  r.test_name = std::move(test);
  r.scope = RiskScope::Global;
  r.justification = "long enough reason";
  r.accepted_by = "u";
  r.accepted_by_name = "U";
  r.accepted_at_ms = at;
  return r;
}

std::vector<std::string> ids(const std::vector<RiskAcceptance>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.acceptance_id);
  return out;
}

using Ids = std::vector<std::string>;

}  // namespace

TEMPLATE_TEST_CASE("a stored record is found field for field, unknown ids are not", "[contract][risk]", RISK_ACCEPTANCE_ADAPTERS) {
  TestType fx;
  auto full = record("full", 1000, "org-1");
  full.control_id = "C1";
  full.hostname = "h1";
  full.scope = RiskScope::Host;
  auto legacy = record("legacy", 2000);
  legacy.scope.reset();  // a legacy record keeps having no scope
  legacy.hostname = "h2";
  fx.port().insert(full);
  fx.port().insert(legacy);
  CHECK(fx.port().find("full") == full);
  CHECK(fx.port().find("legacy") == legacy);
  CHECK(fx.port().find("legacy")->effective_scope() == RiskScope::Host);
  CHECK_FALSE(fx.port().find("missing").has_value());
}

TEMPLATE_TEST_CASE("an id is stored once", "[contract][risk]", RISK_ACCEPTANCE_ADAPTERS) {
  TestType fx;
  fx.port().insert(record("a", 1000));
  CHECK_THROWS_AS(fx.port().insert(record("a", 2000, std::nullopt, "Other")), Conflict);
  CHECK(fx.port().find("a")->test_name == "T");
  CHECK(fx.port().list({}).size() == 1);
}

TEMPLATE_TEST_CASE("revoke changes an active record once and nothing else", "[contract][risk]", RISK_ACCEPTANCE_ADAPTERS) {
  TestType fx;
  fx.port().insert(record("a", 1000));
  fx.port().insert(record("b", 1000));
  CHECK(fx.port().revoke("a", 5000, "u2", "User Two", "no longer accepted"));
  auto a = *fx.port().find("a");
  CHECK(a.status == RiskStatus::Revoked);
  CHECK(a.revoked_at_ms == 5000);
  CHECK(a.revoked_by == "u2");
  CHECK(a.revoked_by_name == "User Two");
  CHECK(a.revocation_reason == "no longer accepted");

  CHECK_FALSE(fx.port().revoke("a", 6000, "u3", "User Three", "again and again"));
  CHECK(fx.port().find("a") == a);
  CHECK_FALSE(fx.port().revoke("missing", 6000, "u3", "User Three", "again and again"));
  CHECK(fx.port().find("b")->is_active());
}

TEMPLATE_TEST_CASE("lists are newest accepted first and a revoke does not reorder them", "[contract][risk]",
                   RISK_ACCEPTANCE_ADAPTERS) {
  TestType fx;
  fx.port().insert(record("b", 1000));
  fx.port().insert(record("a", 3000));
  fx.port().insert(record("c", 2000));
  CHECK(ids(fx.port().list({})) == Ids{"a", "c", "b"});
  fx.port().revoke("c", 4000, "u", "U", "no longer accepted");
  CHECK(ids(fx.port().list({})) == Ids{"a", "c", "b"});
}

TEMPLATE_TEST_CASE("embedded: equal times put the later stored first, even after a revoke", "[contract][risk]",
                   contract::RiskAcceptancesInMemory, contract::RiskAcceptancesInSqlite) {
  TestType fx;
  fx.port().insert(record("old", 1000));
  fx.port().insert(record("tie-1", 2000));
  fx.port().insert(record("tie-2", 2000));
  fx.port().insert(record("new", 3000));
  CHECK(ids(fx.port().list({})) == Ids{"new", "tie-2", "tie-1", "old"});
  fx.port().revoke("tie-1", 4000, "u", "U", "no longer accepted");
  CHECK(ids(fx.port().list({})) == Ids{"new", "tie-2", "tie-1", "old"});
}

TEMPLATE_TEST_CASE("lists filter by status, test name and org (its own plus those of no org)", "[contract][risk]",
                   RISK_ACCEPTANCE_ADAPTERS) {
  TestType fx;
  fx.port().insert(record("none", 1000));
  fx.port().insert(record("org1", 2000, "org-1"));
  fx.port().insert(record("org2", 3000, "org-2", "Other"));
  fx.port().revoke("org2", 4000, "u", "U", "no longer accepted");

  RiskAcceptanceQuery active;
  active.status = RiskStatus::Active;
  CHECK(ids(fx.port().list(active)) == Ids{"org1", "none"});
  RiskAcceptanceQuery revoked;
  revoked.status = RiskStatus::Revoked;
  CHECK(ids(fx.port().list(revoked)) == Ids{"org2"});
  RiskAcceptanceQuery other;
  other.test_name = "Other";
  CHECK(ids(fx.port().list(other)) == Ids{"org2"});
  RiskAcceptanceQuery org1;
  org1.org_id = "org-1";
  CHECK(ids(fx.port().list(org1)) == Ids{"org1", "none"});
  RiskAcceptanceQuery org2_active;
  org2_active.org_id = "org-2";
  org2_active.status = RiskStatus::Active;
  CHECK(ids(fx.port().list(org2_active)) == Ids{"none"});
  RiskAcceptanceQuery exact_case;
  exact_case.org_id = "ORG-1";  // ids compare exactly
  CHECK(ids(fx.port().list(exact_case)) == Ids{"none"});
}

TEMPLATE_TEST_CASE("active_for_org: an org's active records and those of no org, empty org: all active",
                   "[contract][risk]", RISK_ACCEPTANCE_ADAPTERS) {
  TestType fx;
  fx.port().insert(record("none", 1000));
  fx.port().insert(record("org1", 2000, "org-1"));
  fx.port().insert(record("org2", 3000, "org-2"));
  fx.port().insert(record("gone", 4000, "org-1"));
  fx.port().revoke("gone", 5000, "u", "U", "no longer accepted");
  CHECK(ids(fx.port().active_for_org("org-1")) == Ids{"org1", "none"});
  CHECK(ids(fx.port().active_for_org("org-9")) == Ids{"none"});
  CHECK(ids(fx.port().active_for_org("")) == Ids{"org2", "org1", "none"});
}

TEMPLATE_TEST_CASE("several threads may insert and revoke at once", "[contract][risk]", RISK_ACCEPTANCE_ADAPTERS) {
  TestType fx;
  constexpr int kThreads = 4, kEach = 25;
  std::atomic<int> revoked{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) fx.port().insert(record(std::to_string(t) + "-" + std::to_string(i), i));
        // Every thread revokes the same records: each is revoked exactly once.
        for (int i = 0; i < kEach; ++i)
          if (fx.port().revoke("0-" + std::to_string(i), 99, "u", "U", "no longer accepted")) ++revoked;
      });
  }
  CHECK(fx.port().list({}).size() == kThreads * kEach);
  CHECK(revoked == kEach);
}

TEST_CASE("SQLite: risk acceptances survive reopening the file", "[contract][risk]") {
  contract::RiskAcceptancesInSqlite fx;
  fx.port().insert(record("a", 1000));
  fx.port().insert(record("b", 2000));
  fx.port().revoke("b", 3000, "u", "U", "no longer accepted");
  const auto before = fx.port().list({});
  fx.reopen();
  CHECK(fx.port().list({}) == before);
  CHECK(fx.port().find("b")->revocation_reason == "no longer accepted");
}

TEST_CASE("SQLite: another connection's change shows in the very next read (D10)", "[contract][risk]") {
  contract::RiskAcceptancesInSqlite fx;
  embedded::SqliteRiskAcceptances other(fx.path);
  fx.port().insert(record("a", 1000));
  CHECK(other.find("a").has_value());
  CHECK(other.revoke("a", 2000, "u", "U", "no longer accepted"));
  CHECK(fx.port().active_for_org("").empty());
  CHECK_FALSE(fx.port().revoke("a", 3000, "u", "U", "no longer accepted"));  // the other connection won
}

TEST_CASE("SQLite: the table shares results.db with the results, both connections open", "[contract][risk]") {
  contract::RiskAcceptancesInSqlite fx;
  // What the server does: the results engine and the acceptances open one file.
  embedded::EmbeddedResultsIndex results(fx.path);
  results.append(std::vector<ResultDocument>{achilles::testing::ResultBuilder("doc-1", 1000)});
  fx.port().insert(record("a", 1000));
  ResultFilter everything;
  everything.requires_event_time = false;
  CHECK(results.tally(everything, ScoringMode::AllStages).documents.units == 1);
  fx.reopen();
  CHECK(fx.port().find("a").has_value());
}

TEST_CASE("SQLite: the active acceptances are read while a write waits for an import's lock", "[contract][risk][store]") {
  contract::RiskAcceptancesInSqlite fx;
  fx.port().insert(record("a", 1000));
  embedded::SqliteRiskAcceptances server(fx.path, std::chrono::seconds(5));
  embedded::SqliteResultsFile import(fx.path);
  import.begin();  // an import's one long transaction holds the write lock
  std::atomic<bool> writing{false};
  auto write = std::async(std::launch::async, [&] {
    writing = true;
    server.insert(record("b", 2000));  // waits up to 5 s for the import, then refuses
  });
  while (!writing) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the insert now waits for the lock
  // Every analytics request reads the active acceptances: that read does
  // not queue behind the waiting write.
  CHECK(ids(server.active_for_org("")) == Ids{"a"});
  CHECK(write.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  import.commit();
  write.get();  // the lock is free: the insert lands
  CHECK(ids(server.active_for_org("")) == Ids{"b", "a"});
}

TEST_CASE("SQLite: a write that cannot get the lock in time is BackendUnavailable, and the next one works", "[contract][risk][store]") {
  contract::RiskAcceptancesInSqlite fx;
  embedded::SqliteRiskAcceptances server(fx.path, std::chrono::milliseconds(100));
  embedded::SqliteResultsFile import(fx.path);
  import.begin();
  CHECK_THROWS_AS(server.insert(record("a", 1000)), BackendUnavailable);
  import.rollback();
  server.insert(record("a", 1000));
  CHECK(server.find("a").has_value());
}

#ifndef ACHILLES_LIVE_ELASTICSEARCH
TEST_CASE("Elasticsearch: equal times order by acceptance id, descending (the cluster keeps no insertion order)",
          "[contract][risk]") {
  contract::RiskAcceptancesThroughFake fx;
  fx.port().insert(record("tie-b", 2000));
  fx.port().insert(record("tie-c", 2000));
  fx.port().insert(record("tie-a", 2000));
  CHECK(ids(fx.port().list({})) == Ids{"tie-c", "tie-b", "tie-a"});
}

TEST_CASE("Elasticsearch: a list reads past one page of records with search_after", "[contract][risk]") {
  contract::RiskAcceptancesThroughFake fx;
  constexpr int kRecords = 2'100;  // more than two pages of 1,000
  for (int i = 0; i < kRecords; ++i) fx.port().insert(record("r" + std::to_string(i), 1000 + i / 3));
  const auto all = fx.port().list({});
  REQUIRE(all.size() == kRecords);
  for (std::size_t i = 1; i < all.size(); ++i) {
    INFO(i);
    REQUIRE((all[i - 1].accepted_at_ms > all[i].accepted_at_ms ||
             (all[i - 1].accepted_at_ms == all[i].accepted_at_ms && all[i - 1].acceptance_id > all[i].acceptance_id)));
  }
  const auto searches = fx.cluster.requests();
  CHECK(std::count_if(searches.begin(), searches.end(), [](const auto& r) { return r.target.find("/_search") != std::string::npos; }) == 3);
}
#endif
