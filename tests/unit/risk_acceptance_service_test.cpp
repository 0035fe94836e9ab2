#include <catch2/catch.hpp>

#include "achilles/embedded/risk_acceptance_stores.hpp"
#include "achilles/errors.hpp"
#include "achilles/services/risk_acceptance_service.hpp"

using namespace achilles;

namespace {
struct World {
  ManualClock clock{1'737'376'496'789};
  embedded::InMemoryRiskAcceptances store;
  RiskAcceptanceService service{store, clock};
  Principal admin = Principal::with_role("admin", Role::Admin);
  RiskAcceptance accept(std::string test, std::optional<std::string> control = {}, std::optional<std::string> host = {},
                        std::optional<std::string> scope = {}) {
    clock.set(clock.now_ms() + 1);
    return service.accept({std::move(test), std::move(control), std::move(host), std::move(scope), "a good reason"}, admin);
  }
};
}  // namespace

TEST_CASE("exclusions: a whole test, a sub-control, a test on one host, in store order", "[risk]") {
  World w;
  w.accept("Global");
  w.accept("Bundle", "C1");
  w.accept("OnHost", std::nullopt, "h1");
  w.accept("HostDropped", std::nullopt, "h9", "global");
  auto ex = w.service.exclusions_for("");
  REQUIRE(ex.size() == 4);
  CHECK(ex[0].test_name == "HostDropped");
  CHECK_FALSE(ex[0].hostname.has_value());  // global scope keeps no host
  CHECK(ex[1].test_name == "OnHost");
  CHECK(ex[1].hostname == "h1");
  CHECK(ex[2].control_id == "C1");
  CHECK_FALSE(ex[3].control_id.has_value());
}

TEST_CASE("revoked acceptances exclude nothing; unknown ids and double revokes are refused", "[risk]") {
  World w;
  auto r = w.accept("T");
  w.service.revoke(r.acceptance_id, "no longer valid", w.admin);
  CHECK(w.service.exclusions_for("").empty());
  CHECK_THROWS_AS(w.service.revoke(r.acceptance_id, "no longer valid", w.admin), Conflict);
  CHECK_THROWS_AS(w.service.revoke("missing", "no longer valid", w.admin), NotFound);
  CHECK_THROWS_AS(w.service.revoke(r.acceptance_id, "short", w.admin), ValidationFailed);
}

TEST_CASE("an org's exclusions are its own plus those of no org", "[risk]") {
  World w;
  w.service.accept({"Org1", {}, {}, {}, "org one reason"}, Principal::with_role("o", Role::Operator, "org-1"));
  w.service.accept({"Org2", {}, {}, {}, "org two reason"}, Principal::with_role("o", Role::Operator, "org-2"));
  w.accept("Everyone");
  CHECK(w.service.exclusions_for("org-1").size() == 2);
  CHECK(w.service.exclusions_for("").size() == 3);
  auto page = w.service.list("", "", 1, 2, w.admin);
  CHECK(page.total == 3);
  CHECK(page.data.size() == 2);
  CHECK(w.service.list("", "", 2, 2, w.admin).data.size() == 1);
  CHECK_THROWS_AS(w.service.list("", "", 0, 2, w.admin), InvalidArgument);
}
