// The risk-acceptance use cases (risk-acceptance.md) and the exclusions they
// impose on the defense-score family (analytics-spec §2.7).
#include <catch2/catch.hpp>

#include <map>

#include <functional>
#include <limits>
#include <regex>

#include "mocks/manual_clock.hpp"
#include "mocks/in_memory_risk_acceptances.hpp"
#include "achilles/errors.hpp"
#include "achilles/services/risk_acceptance_service.hpp"

using namespace achilles;

namespace {

constexpr std::int64_t kT0 = 1'737'376'496'789;  // 2025-01-20T12:34:56.789Z
constexpr const char* kWhy = "a good enough reason";

struct World {
  ManualClock clock{kT0};
  mocks::InMemoryRiskAcceptances store;
  RiskAcceptanceService service{store, clock};
  Principal admin = Principal::with_role("u-admin", Role::Admin);
  Principal org1 = Principal::with_role("u-org1", Role::Operator, "org-1");
  Principal org2 = Principal::with_role("u-org2", Role::Operator, "org-2");

  // Each acceptance one millisecond after the previous one.
  RiskAcceptance accept(std::string test, std::optional<std::string> control = {}, std::optional<std::string> host = {},
                        std::optional<std::string> scope = {}, const Principal* by = nullptr) {
    clock.set(clock.now_ms() + 1);
    return service.accept({std::move(test), std::move(control), std::move(host), std::move(scope), kWhy},
                          by ? *by : admin);
  }
};

std::vector<std::string> issue_paths(const std::function<void()>& call) {
  try {
    call();
  } catch (const ValidationFailed& e) {
    std::vector<std::string> paths;
    for (const auto& issue : e.issues()) paths.push_back(issue.path);
    return paths;
  }
  FAIL("expected ValidationFailed");
  return {};
}

std::vector<std::string> test_names(const std::vector<RiskAcceptance>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.test_name);
  return out;
}

}  // namespace

TEST_CASE("an acceptance records who accepted what, when, as an active record with a v4 UUID", "[risk]") {
  World w;
  auto r = w.service.accept({"T1", std::nullopt, std::nullopt, std::nullopt, "  known false positive  "}, w.admin);
  CHECK(std::regex_match(r.acceptance_id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(r.test_name == "T1");
  CHECK(r.justification == "known false positive");
  CHECK(r.accepted_by == "u-admin");
  CHECK(r.accepted_by_name == "u-admin");
  CHECK(r.accepted_at_ms == kT0);
  CHECK(r.is_active());
  CHECK_FALSE(r.org_id.has_value());  // an unbound caller's acceptance applies to every org
  CHECK(r.scope == RiskScope::Global);
  CHECK(w.store.find(r.acceptance_id) == r);
  CHECK(w.accept("T2").acceptance_id != r.acceptance_id);
}

TEST_CASE("an org-bound caller's acceptance belongs to its org", "[risk]") {
  World w;
  CHECK(w.accept("T", {}, {}, {}, &w.org1).org_id == "org-1");
}

TEST_CASE("acceptance requests are validated field by field, all issues at once", "[risk]") {
  World w;
  auto accept = [&](AcceptRiskRequest req) { return [&w, req] { w.service.accept(req, w.admin); }; };
  CHECK(issue_paths(accept({"", {}, {}, {}, "short"})) == std::vector<std::string>{"test_name", "justification"});
  CHECK(issue_paths(accept({"   ", {}, {}, {}, kWhy})) == std::vector<std::string>{"test_name"});
  CHECK(issue_paths(accept({"T", {}, {}, {}, "  123456789  "})) == std::vector<std::string>{"justification"});
  CHECK(issue_paths(accept({"T", {}, {}, "planet", kWhy})) == std::vector<std::string>{"scope"});
  CHECK(issue_paths(accept({"T", {}, {}, "host", kWhy})) == std::vector<std::string>{"hostname"});
  CHECK(issue_paths(accept({"T", {}, " ", "host", kWhy})) == std::vector<std::string>{"hostname"});
  CHECK(w.store.list({}).empty());  // nothing refused was stored
  CHECK_NOTHROW(w.service.accept({"T", {}, {}, {}, "1234567890"}, w.admin));  // exactly ten is enough
}

TEST_CASE("scope: explicit wins, a hostname alone means host, global drops the hostname", "[risk]") {
  World w;
  auto host = w.accept("T", {}, "h1", "host");
  CHECK(host.scope == RiskScope::Host);
  CHECK(host.hostname == "h1");
  auto implied = w.accept("T", {}, "h2");
  CHECK(implied.scope == RiskScope::Host);
  CHECK(implied.hostname == "h2");
  auto global = w.accept("T", "C1", "h3", "global");
  CHECK(global.scope == RiskScope::Global);
  CHECK_FALSE(global.hostname.has_value());
  CHECK(global.control_id == "C1");
  CHECK_FALSE(w.accept("T", "").control_id.has_value());  // an empty control names no control
}

TEST_CASE("legacy records without a scope are host-scoped exactly when they name a host", "[risk]") {
  RiskAcceptance legacy;
  CHECK(legacy.effective_scope() == RiskScope::Global);
  legacy.hostname = "h1";
  CHECK(legacy.effective_scope() == RiskScope::Host);
  legacy.scope = RiskScope::Global;
  CHECK(legacy.effective_scope() == RiskScope::Global);
}

TEST_CASE("revoking records who, when and why, once", "[risk]") {
  World w;
  auto r = w.accept("T");
  w.clock.set(kT0 + 1000);
  auto revoked = w.service.revoke(r.acceptance_id, "  no longer accepted  ", w.admin);
  CHECK(revoked.status == RiskStatus::Revoked);
  CHECK(revoked.revoked_at_ms == kT0 + 1000);
  CHECK(revoked.revoked_by == "u-admin");
  CHECK(revoked.revoked_by_name == "u-admin");
  CHECK(revoked.revocation_reason == "no longer accepted");
  CHECK(w.service.get(r.acceptance_id, w.admin) == revoked);
  CHECK_THROWS_AS(w.service.revoke(r.acceptance_id, "no longer accepted", w.admin), Conflict);
  CHECK(w.service.get(r.acceptance_id, w.admin) == revoked);  // the second attempt changed nothing
}

TEST_CASE("revoking an unknown id is not found, a short reason fails validation first", "[risk]") {
  World w;
  auto r = w.accept("T");
  CHECK_THROWS_AS(w.service.revoke("missing", "no longer accepted", w.admin), NotFound);
  CHECK_THROWS_WITH(w.service.revoke("missing", "no longer accepted", w.admin), "Risk acceptance not found");
  CHECK(issue_paths([&] { w.service.revoke(r.acceptance_id, " too short ", w.admin); }) ==
        std::vector<std::string>{"reason"});
  CHECK(w.service.get(r.acceptance_id, w.admin).is_active());
}

TEST_CASE("another org's record reads as unknown: get, revoke, list and lookup", "[risk]") {
  World w;
  auto mine = w.accept("Mine", {}, {}, {}, &w.org1);
  auto theirs = w.accept("Theirs", {}, {}, {}, &w.org2);
  auto everyone = w.accept("Everyone");

  CHECK(w.service.get(mine.acceptance_id, w.org1) == mine);
  CHECK(w.service.get(everyone.acceptance_id, w.org1) == everyone);
  CHECK_THROWS_AS(w.service.get(theirs.acceptance_id, w.org1), NotFound);
  CHECK_THROWS_AS(w.service.revoke(theirs.acceptance_id, "not mine to revoke", w.org1), NotFound);
  CHECK(w.service.get(theirs.acceptance_id, w.admin).is_active());

  CHECK(test_names(w.service.list("", "", 1, 50, w.org1).data) == std::vector<std::string>{"Everyone", "Mine"});
  CHECK(w.service.list("", "", 1, 50, w.admin).total == 3);  // an unbound caller sees every org

  auto found = w.service.lookup({"Mine", "Theirs", "Everyone"}, w.org1);
  CHECK(found.at("Mine").size() == 1);
  CHECK(found.at("Theirs").empty());
  CHECK(found.at("Everyone").size() == 1);
}

TEST_CASE("lists filter by status and test name, newest accepted first", "[risk]") {
  World w;
  w.accept("A");
  auto b = w.accept("B");
  w.accept("A", "C1");
  w.service.revoke(b.acceptance_id, "no longer accepted", w.admin);
  CHECK(test_names(w.service.list("", "", 1, 50, w.admin).data) == std::vector<std::string>{"A", "B", "A"});
  CHECK(test_names(w.service.list("active", "", 1, 50, w.admin).data) == std::vector<std::string>{"A", "A"});
  CHECK(test_names(w.service.list("revoked", "", 1, 50, w.admin).data) == std::vector<std::string>{"B"});
  auto only_a = w.service.list("", "A", 1, 50, w.admin);
  CHECK(only_a.total == 2);
  CHECK(only_a.data.front().control_id == "C1");
  CHECK_THROWS_AS(w.service.list("maybe", "", 1, 50, w.admin), InvalidArgument);
}

TEST_CASE("pages: total counts everything, a page past the end is empty, sizes are bounded", "[risk]") {
  World w;
  for (int i = 0; i < 5; ++i) w.accept("T" + std::to_string(i));
  auto first = w.service.list("", "", 1, 2, w.admin);
  CHECK(first.total == 5);
  CHECK(test_names(first.data) == std::vector<std::string>{"T4", "T3"});
  CHECK(test_names(w.service.list("", "", 3, 2, w.admin).data) == std::vector<std::string>{"T0"});
  auto past = w.service.list("", "", 4, 2, w.admin);
  CHECK(past.data.empty());
  CHECK(past.total == 5);
  CHECK(w.service.list("", "", std::numeric_limits<std::int64_t>::max(), 500, w.admin).data.empty());
  CHECK(w.service.list("", "", 1, RiskAcceptanceService::kMaxPageSize, w.admin).data.size() == 5);
  CHECK_THROWS_AS(w.service.list("", "", 0, 2, w.admin), InvalidArgument);
  CHECK_THROWS_AS(w.service.list("", "", 1, 0, w.admin), InvalidArgument);
  CHECK_THROWS_AS(w.service.list("", "", 1, RiskAcceptanceService::kMaxPageSize + 1, w.admin), InvalidArgument);
}

TEST_CASE("lookup answers every asked name with its active acceptances only", "[risk]") {
  World w;
  w.accept("A");
  w.accept("A", "C1");
  auto revoked = w.accept("B");
  w.service.revoke(revoked.acceptance_id, "no longer accepted", w.admin);
  auto found = w.service.lookup({"A", "B", "Unknown"}, w.admin);
  CHECK(found.size() == 3);
  CHECK(found.at("A").size() == 2);
  CHECK(found.at("B").empty());
  CHECK(found.at("Unknown").empty());
}

TEST_CASE("lookup asks for 1 to 500 names", "[risk]") {
  World w;
  CHECK(issue_paths([&] { w.service.lookup({}, w.admin); }) == std::vector<std::string>{"test_names"});
  CHECK(issue_paths([&] { w.service.lookup(std::vector<std::string>(501, "T"), w.admin); }) ==
        std::vector<std::string>{"test_names"});
  CHECK(w.service.lookup(std::vector<std::string>(500, "T"), w.admin).size() == 1);
}

TEST_CASE("exclusions: a whole test, a sub-control, a test on one host, newest first", "[risk]") {
  World w;
  w.accept("Global");
  w.accept("Bundle", "C1");
  w.accept("OnHost", std::nullopt, "h1");
  w.accept("HostControl", "C2", "h2", "host");
  w.accept("HostDropped", std::nullopt, "h9", "global");
  auto ex = w.service.exclusions_for("");
  REQUIRE(ex.size() == 5);
  CHECK(ex[0].test_name == "HostDropped");
  CHECK_FALSE(ex[0].control_id.has_value());
  CHECK_FALSE(ex[0].hostname.has_value());  // global scope keeps no host
  CHECK(ex[1].test_name == "HostControl");
  CHECK(ex[1].control_id == "C2");
  CHECK(ex[1].hostname == "h2");
  CHECK(ex[2].test_name == "OnHost");
  CHECK_FALSE(ex[2].control_id.has_value());
  CHECK(ex[2].hostname == "h1");
  CHECK(ex[3].test_name == "Bundle");
  CHECK(ex[3].control_id == "C1");
  CHECK_FALSE(ex[3].hostname.has_value());
  CHECK(ex[4].test_name == "Global");
  CHECK_FALSE(ex[4].control_id.has_value());
  CHECK_FALSE(ex[4].hostname.has_value());
}

TEST_CASE("exclusions of a legacy host record without a scope keep its host", "[risk]") {
  World w;
  RiskAcceptance legacy;
  legacy.acceptance_id = "legacy";
  legacy.test_name = "T";
  legacy.hostname = "h1";
  legacy.justification = kWhy;
  w.store.insert(legacy);
  auto ex = w.service.exclusions_for("");
  REQUIRE(ex.size() == 1);
  CHECK(ex[0].hostname == "h1");
}

TEST_CASE("records with an empty hostname or control id, or a scope other than host, exclude globally", "[risk]") {
  // Records another writer left in the original's index: its filter builder
  // treats "" as no value and any scope but "host" as global.
  World w;
  auto stored = [&](std::string id, std::optional<std::string> control, std::optional<std::string> host,
                    std::optional<RiskScope> scope) {
    RiskAcceptance r;
    r.acceptance_id = id;
    r.test_name = "T-" + id;
    r.control_id = std::move(control);
    r.hostname = std::move(host);
    r.scope = scope;
    r.justification = kWhy;
    w.store.insert(r);
  };
  stored("empty-host", std::nullopt, "", RiskScope::Host);
  stored("empty-control", "", "h1", RiskScope::Host);
  stored("other-scope", std::nullopt, "h1", stored_risk_scope("tenant"));
  auto ex = w.service.exclusions_for("");
  REQUIRE(ex.size() == 3);
  std::map<std::string, RiskExclusion> by_name;
  for (auto& e : ex) by_name[e.test_name] = e;
  CHECK_FALSE(by_name["T-empty-host"].hostname.has_value());     // the whole test, everywhere
  CHECK_FALSE(by_name["T-empty-host"].control_id.has_value());
  CHECK(by_name["T-empty-control"].hostname == "h1");             // the whole test on h1
  CHECK_FALSE(by_name["T-empty-control"].control_id.has_value());
  CHECK_FALSE(by_name["T-other-scope"].hostname.has_value());    // global, despite its hostname
}

TEST_CASE("revoked acceptances exclude nothing, from the very next call (D10)", "[risk]") {
  World w;
  auto r = w.accept("T");
  CHECK(w.service.exclusions_for("").size() == 1);
  w.service.revoke(r.acceptance_id, "no longer accepted", w.admin);
  CHECK(w.service.exclusions_for("").empty());
}

TEST_CASE("an org's exclusions are its own plus those of no org, no org means all", "[risk]") {
  World w;
  w.accept("Org1", {}, {}, {}, &w.org1);
  w.accept("Org2", {}, {}, {}, &w.org2);
  w.accept("Everyone");
  auto names = [&](const std::string& org) {
    std::vector<std::string> out;
    for (const auto& e : w.service.exclusions_for(org)) out.push_back(e.test_name);
    return out;
  };
  CHECK(names("org-1") == std::vector<std::string>{"Everyone", "Org1"});
  CHECK(names("org-3") == std::vector<std::string>{"Everyone"});
  CHECK(names("") == std::vector<std::string>{"Everyone", "Org2", "Org1"});
}
