// /api/risk-acceptances as its routes answer, handlers called directly (the
// HTTP round trip, auth and status mapping are in
// tests/http/risk_acceptance_http_test.cpp), and the record's JSON codec.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "mocks/manual_clock.hpp"
#include "mocks/in_memory_risk_acceptances.hpp"
#include "achilles/errors.hpp"
#include "api/risk_acceptance_routes.hpp"
#include "codec/risk_acceptance_json.hpp"

using namespace achilles;
using namespace achilles::server;
namespace json = boost::json;

namespace {

constexpr std::int64_t kT0 = 1'737'376'496'789;  // 2025-01-20T12:34:56.789Z
constexpr const char* kBody = R"({"test_name":"T1","justification":"Known false positive"})";
using PathParams = std::vector<std::pair<std::string, std::string>>;

// The `:name` segments of `path` when `pattern` matches it, as the router reads paths.
std::optional<PathParams> match(std::string_view pattern, std::string_view path) {
  PathParams params;
  while (!pattern.empty() && !path.empty()) {
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto pe = std::min(pattern.find('/'), pattern.size());
    const auto se = std::min(path.find('/'), path.size());
    const auto want = pattern.substr(0, pe), got = path.substr(0, se);
    if (got.empty()) return std::nullopt;
    if (want.starts_with(':')) params.emplace_back(want.substr(1), got);
    else if (want != got) return std::nullopt;
    pattern.remove_prefix(pe);
    path.remove_prefix(se);
  }
  if (!pattern.empty() || !path.empty()) return std::nullopt;
  return params;
}

struct World {
  ManualClock clock{kT0};
  mocks::InMemoryRiskAcceptances store;
  RiskAcceptanceService service{store, clock};
  std::vector<Route> routes = risk_acceptance_routes(service);
  Principal admin = Principal::with_role("u-admin", Role::Admin);

  // The first route that matches, as the router picks it.
  const Route& route(std::string_view method, std::string_view path) const {
    for (const auto& r : routes)
      if (r.method == method && match(r.path, path)) return r;
    throw std::logic_error("no route for " + std::string(path));
  }

  JsonReply call(const std::string& method, const std::string& path, const std::string& body = {},
                 const QueryParams& query = {}, const Principal* caller = nullptr) const {
    const Route& r = route(method, path);
    HttpRequest request;
    request.method = method;
    request.target = path;
    request.content_type = "application/json";
    request.body = body;
    return r.handler(RouteCall{caller ? *caller : admin, query, request, *match(r.path, path)});
  }

  std::string accepted_id(const std::string& body = kBody) const {
    return std::string(call("POST", "/api/risk-acceptances", body).body.at("data").at("acceptance_id").as_string());
  }
};

}  // namespace

TEST_CASE("routes: lookup is never read as an id, and each route asks its permission", "[risk][codec]") {
  World w;
  CHECK(w.route("POST", "/api/risk-acceptances/lookup").path == "/api/risk-acceptances/lookup");
  CHECK(w.route("POST", "/api/risk-acceptances/lookup/revoke").path == "/api/risk-acceptances/:id/revoke");
  CHECK(w.route("GET", "/api/risk-acceptances/lookup").path == "/api/risk-acceptances/:id");
  using P = std::vector<Permission>;
  CHECK(w.route("POST", "/api/risk-acceptances").permissions == P{Permission::AnalyticsRiskWrite});
  CHECK(w.route("POST", "/api/risk-acceptances/x/revoke").permissions == P{Permission::AnalyticsRiskWrite});
  CHECK(w.route("GET", "/api/risk-acceptances").permissions == P{Permission::AnalyticsRiskRead});
  CHECK(w.route("GET", "/api/risk-acceptances/x").permissions == P{Permission::AnalyticsRiskRead});
  CHECK(w.route("POST", "/api/risk-acceptances/lookup").permissions == P{Permission::AnalyticsRiskRead});
}

TEST_CASE("POST /api/risk-acceptances answers 201 with the stored record", "[risk][codec]") {
  World w;
  auto reply = w.call("POST", "/api/risk-acceptances",
                      R"({"test_name":"T1","control_id":"C1","hostname":"h1","justification":"Known false positive"})");
  CHECK(reply.status == 201);
  CHECK(reply.body.at("success") == true);
  const auto& data = reply.body.at("data").as_object();
  CHECK(data.at("test_name") == "T1");
  CHECK(data.at("control_id") == "C1");
  CHECK(data.at("hostname") == "h1");
  CHECK(data.at("scope") == "host");
  CHECK(data.at("status") == "active");
  CHECK(data.at("accepted_by") == "u-admin");
  CHECK(data.at("accepted_at") == "2025-01-20T12:34:56.789Z");
  CHECK_FALSE(data.contains("org_id"));
  CHECK_FALSE(data.contains("revoked_at"));
  CHECK(w.store.find(std::string(data.at("acceptance_id").as_string())).has_value());
}

TEST_CASE("POST /api/risk-acceptances refuses wrong JSON types and bad values with their paths", "[risk][codec]") {
  World w;
  auto paths = [&](const std::string& body) {
    std::vector<std::string> out;
    try {
      w.call("POST", "/api/risk-acceptances", body);
    } catch (const ValidationFailed& e) {
      for (const auto& issue : e.issues()) out.push_back(issue.path);
    }
    return out;
  };
  using S = std::vector<std::string>;
  CHECK(paths(R"({"test_name":7,"justification":["long enough text"]})") == S{"test_name", "justification"});
  CHECK(paths(R"({"justification":"long enough text"})") == S{"test_name"});
  CHECK(paths(R"({"test_name":"T","hostname":1,"scope":true,"justification":"long enough text"})") ==
        S{"hostname", "scope"});
  CHECK(paths(R"({"test_name":"T","justification":"too short"})") == S{"justification"});
  CHECK(paths(R"({"test_name":"T","scope":"host","justification":"long enough text"})") == S{"hostname"});
  CHECK(w.store.list({}).empty());
  // null reads as absent for optional fields
  CHECK(w.call("POST", "/api/risk-acceptances",
               R"({"test_name":"T","control_id":null,"hostname":null,"scope":null,"justification":"long enough text"})")
            .status == 201);
}

TEST_CASE("POST …/:id/revoke answers the revoked record, twice is a conflict, unknown not found",
          "[risk][codec]") {
  World w;
  const auto id = w.accepted_id();
  w.clock.set(kT0 + 1000);
  auto reply = w.call("POST", "/api/risk-acceptances/" + id + "/revoke", R"({"reason":"No longer accepted"})");
  CHECK(reply.status == 200);
  const auto& data = reply.body.at("data").as_object();
  CHECK(data.at("status") == "revoked");
  CHECK(data.at("revoked_at") == "2025-01-20T12:34:57.789Z");
  CHECK(data.at("revoked_by") == "u-admin");
  CHECK(data.at("revoked_by_name") == "u-admin");
  CHECK(data.at("revocation_reason") == "No longer accepted");
  CHECK_THROWS_AS(w.call("POST", "/api/risk-acceptances/" + id + "/revoke", R"({"reason":"No longer accepted"})"),
                  Conflict);
  CHECK_THROWS_AS(w.call("POST", "/api/risk-acceptances/nope/revoke", R"({"reason":"No longer accepted"})"), NotFound);
  CHECK_THROWS_AS(w.call("POST", "/api/risk-acceptances/" + id + "/revoke", R"({"reason":10})"), ValidationFailed);
  CHECK_THROWS_AS(w.call("POST", "/api/risk-acceptances/" + id + "/revoke", "{}"), ValidationFailed);
}

TEST_CASE("GET /api/risk-acceptances pages and filters, newest first, with the total", "[risk][codec]") {
  World w;
  for (int i = 0; i < 3; ++i) {
    w.clock.set(kT0 + i);
    w.accepted_id(R"({"test_name":"T)" + std::to_string(i) + R"(","justification":"Known false positive"})");
  }
  auto all = w.call("GET", "/api/risk-acceptances").body.as_object();
  CHECK(all.at("success") == true);
  CHECK(all.at("total") == 3);
  CHECK(all.at("data").as_array().size() == 3);
  CHECK(all.at("data").as_array()[0].at("test_name") == "T2");

  auto page = w.call("GET", "/api/risk-acceptances", {}, {{"page", "2"}, {"pageSize", "2"}}).body.as_object();
  CHECK(page.at("total") == 3);
  REQUIRE(page.at("data").as_array().size() == 1);
  CHECK(page.at("data").as_array()[0].at("test_name") == "T0");

  auto named = w.call("GET", "/api/risk-acceptances", {}, {{"test_name", "T1"}, {"status", "active"}}).body;
  CHECK(named.at("total") == 1);
  CHECK(w.call("GET", "/api/risk-acceptances", {}, {{"status", "revoked"}}).body.at("total") == 0);
  CHECK_THROWS_AS(w.call("GET", "/api/risk-acceptances", {}, {{"page", "first"}}), InvalidArgument);
  CHECK_THROWS_AS(w.call("GET", "/api/risk-acceptances", {}, {{"pageSize", "501"}}), InvalidArgument);
  CHECK_THROWS_AS(w.call("GET", "/api/risk-acceptances", {}, {{"status", "maybe"}}), InvalidArgument);
}

TEST_CASE("GET /api/risk-acceptances/:id reads one record, another org's as not found", "[risk][codec]") {
  World w;
  const auto id = w.accepted_id();
  auto reply = w.call("GET", "/api/risk-acceptances/" + id);
  CHECK(reply.body.at("success") == true);
  CHECK(reply.body.at("data").at("acceptance_id").as_string() == id);
  CHECK_THROWS_WITH(w.call("GET", "/api/risk-acceptances/unknown"), "Risk acceptance not found");

  const auto org1 = Principal::with_role("u1", Role::Operator, "org-1");
  const auto org2 = Principal::with_role("u2", Role::Operator, "org-2");
  auto theirs = w.call("POST", "/api/risk-acceptances", kBody, {}, &org2).body.at("data").at("acceptance_id");
  CHECK_THROWS_AS(w.call("GET", "/api/risk-acceptances/" + std::string(theirs.as_string()), {}, {}, &org1), NotFound);
  CHECK(w.call("GET", "/api/risk-acceptances/" + id, {}, {}, &org1).body.at("data").at("acceptance_id").as_string() == id);
}

TEST_CASE("POST …/lookup maps every asked test name to its active records", "[risk][codec]") {
  World w;
  w.accepted_id();
  auto reply = w.call("POST", "/api/risk-acceptances/lookup", R"({"test_names":["T1","Other"]})");
  CHECK(reply.body.at("success") == true);
  const auto& data = reply.body.at("data").as_object();
  CHECK(data.size() == 2);
  CHECK(data.at("T1").as_array().size() == 1);
  CHECK(data.at("T1").as_array()[0].at("test_name") == "T1");
  CHECK(data.at("Other").as_array().empty());

  auto issue_paths = [&](const std::string& body) {
    std::vector<std::string> out;
    try {
      w.call("POST", "/api/risk-acceptances/lookup", body);
    } catch (const ValidationFailed& e) {
      for (const auto& issue : e.issues()) out.push_back(issue.path);
    }
    return out;
  };
  using S = std::vector<std::string>;
  CHECK(issue_paths(R"({"test_names":[]})") == S{"test_names"});
  CHECK(issue_paths(R"({"test_names":"T1"})") == S{"test_names"});
  CHECK(issue_paths("{}") == S{"test_names"});
  CHECK(issue_paths(R"({"test_names":["T1",2,null]})") == S{"test_names.1", "test_names.2"});
}

TEST_CASE("record JSON: legacy records send their effective scope, absent fields are left out", "[risk][codec]") {
  RiskAcceptance legacy;
  legacy.acceptance_id = "id-1";
  legacy.test_name = "T";
  legacy.hostname = "h1";
  legacy.justification = "long enough";
  legacy.accepted_by = "u";
  legacy.accepted_by_name = "User";
  legacy.accepted_at_ms = kT0;
  auto o = risk_acceptance_json(legacy);
  CHECK(o.at("scope") == "host");
  CHECK(o.at("accepted_by_name") == "User");
  CHECK(o.size() == 9);  // no org_id, control_id or revocation fields

  legacy.hostname.reset();
  CHECK(risk_acceptance_json(legacy).at("scope") == "global");

  legacy.org_id = "org-1";
  legacy.status = RiskStatus::Revoked;
  legacy.revoked_at_ms = 0;
  auto revoked = risk_acceptance_json(legacy);
  CHECK(revoked.at("org_id") == "org-1");
  CHECK(revoked.at("status") == "revoked");
  CHECK(revoked.at("revoked_at") == "1970-01-01T00:00:00.000Z");
  CHECK_FALSE(revoked.contains("revoked_by"));
}
