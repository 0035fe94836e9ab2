#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>

#include "achilles/embedded/risk_acceptance_stores.hpp"

using namespace achilles;

namespace {

struct InMemory {
  embedded::InMemoryRiskAcceptances store;
  RiskAcceptances& port() { return store; }
};

struct Sqlite {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("achilles-risk-" + std::to_string(::getpid()) + "-" + std::to_string(next()));
  std::unique_ptr<embedded::SqliteRiskAcceptances> store;
  static int next() {
    static int n = 0;
    return n++;
  }
  Sqlite() {
    std::filesystem::create_directories(dir);
    store = std::make_unique<embedded::SqliteRiskAcceptances>(dir / "results.db");
  }
  ~Sqlite() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  RiskAcceptances& port() { return *store; }
};

RiskAcceptance record(std::string id, std::int64_t at, std::optional<std::string> org = std::nullopt) {
  RiskAcceptance r;
  r.acceptance_id = std::move(id);
  r.org_id = std::move(org);
  r.test_name = "T";
  r.scope = RiskScope::Global;
  r.justification = "long enough reason";
  r.accepted_by = r.accepted_by_name = "u";
  r.accepted_at_ms = at;
  return r;
}

}  // namespace

TEMPLATE_TEST_CASE("risk acceptances: stored, found, updated and listed newest first", "[contract][risk]", InMemory, Sqlite) {
  TestType fx;
  auto a = record("a", 1000);
  a.control_id = "C1";
  a.hostname = "h";
  a.scope = RiskScope::Host;
  fx.port().insert(a);
  fx.port().insert(record("b", 2000, "org-1"));
  fx.port().insert(record("c", 3000, "org-2"));
  CHECK(fx.port().find("a") == a);
  CHECK_FALSE(fx.port().find("zzz").has_value());

  auto all = fx.port().list({});
  REQUIRE(all.size() == 3);
  CHECK(all[0].acceptance_id == "c");
  RiskAcceptanceQuery org1;
  org1.org_id = "org-1";
  CHECK(fx.port().list(org1).size() == 2);  // its own and the org-less one

  auto revoked = a;
  revoked.active = false;
  revoked.revoked_at_ms = 5000;
  revoked.revocation_reason = "not any more";
  fx.port().update(revoked);
  CHECK(fx.port().find("a") == revoked);
  RiskAcceptanceQuery active;
  active.active = true;
  CHECK(fx.port().list(active).size() == 2);
}

TEST_CASE("risk acceptances survive reopening the file", "[contract][risk]") {
  Sqlite fx;
  fx.port().insert(record("a", 1000));
  fx.store = std::make_unique<embedded::SqliteRiskAcceptances>(fx.dir / "results.db");
  CHECK(fx.port().find("a").has_value());
}
