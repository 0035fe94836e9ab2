// D9 across every family of the API: a caller bound to an organisation sees,
// changes and lists only its organisation, whatever it asks for.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "support/result_builder.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

constexpr std::int64_t kNow = TestServer::kNow;
constexpr std::int64_t kHour = 3'600'000;

void load_two_orgs(TestServer& server) {
  server.load({
      ResultBuilder("a1", kNow - kHour).code(126).test("LSASS Dump", "uuid-lsass").host("h1").org("org-1"),
      ResultBuilder("a2", kNow - kHour).code(101).test("Kerberoast", "uuid-kerb").host("h2").org("org-1"),
      ResultBuilder("b1", kNow - kHour).code(101).test("Secret Test", "uuid-secret").host("h9").org("org-2"),
      ResultBuilder("b2", kNow - 2 * kHour).code(126).test("Secret Test", "uuid-secret").host("h9").org("org-2"),
  });
}

json::value get(TestServer& server, const std::string& target, const std::string& token) {
  const auto reply = server.client().get(target, token);
  REQUIRE(reply.status == 200);
  return json::parse(reply.body);
}

}  // namespace

TEST_CASE("catalogs, breakdowns and executions show an org-bound caller its organisation only", "[http][org]") {
  TestServer server;
  load_two_orgs(server);
  const std::string org1 = "org-token";
  CHECK(get(server, "/api/analytics/organizations", org1) ==
        json::parse(R"([{"uuid":"org-1","shortName":"org-1","fullName":"org-1"}])"));
  CHECK(get(server, "/api/analytics/organizations", "admin-token").as_array().size() == 2);
  CHECK(get(server, "/api/analytics/available-tests", org1) == json::parse(R"(["Kerberoast","LSASS Dump"])"));
  CHECK(get(server, "/api/analytics/unique-hostnames", org1).at("count") == 2);
  CHECK(get(server, "/api/analytics/executions", org1).as_array().size() == 2);
  CHECK(get(server, "/api/analytics/executions/paginated", org1).at("pagination").at("totalItems") == 2);
  const auto hosts = get(server, "/api/analytics/available-hostnames", org1);
  CHECK(json::serialize(hosts).find("h9") == std::string::npos);
  const auto by_test = json::serialize(get(server, "/api/analytics/defense-score/by-test", org1));
  CHECK(by_test.find("Secret Test") == std::string::npos);
  // Asking for the other organisation is refused, in every family.
  for (const char* target : {"/api/analytics/executions?org=org-2", "/api/analytics/executions/paginated?org=org-2",
                             "/api/analytics/defense-score/by-test?org=org-2", "/api/analytics/error-rate?org=org-2",
                             "/api/analytics/available-hostnames?org=org-2", "/api/analytics/canonical-test-count?org=org-2"})
    CHECK(server.client().get(target, org1).status == 403);
}

TEST_CASE("an org-bound admin archives only its organisation's executions", "[http][org]") {
  TestServer server;
  load_two_orgs(server);
  const auto archived = server.client().request(verb::post, "/api/analytics/executions/archive-by-date", "org1-admin-token",
                                                R"({"before":"2030-01-01T00:00:00Z"})");
  REQUIRE(archived.status == 200);
  CHECK(json::parse(archived.body).at("archived") == 2);
  CHECK(get(server, "/api/analytics/executions", "admin-token").as_array().size() == 2);  // org-2's remain
  const auto by_key = server.client().request(verb::post, "/api/analytics/executions/archive", "org1-admin-token",
                                              R"({"groupKeys":["standalone::uuid-secret::h9::)" +
                                                  std::to_string(kNow - kHour) + R"("]})");
  REQUIRE(by_key.status == 200);
  CHECK(json::parse(by_key.body).at("archived") == 0);  // org-2's run is not org-1's to archive
  CHECK(get(server, "/api/analytics/executions", "admin-token").as_array().size() == 2);
}

TEST_CASE("risk acceptances of another organisation cannot be seen, revoked or used", "[http][org]") {
  TestServer server;
  load_two_orgs(server);
  const auto made = server.client().request(verb::post, "/api/risk-acceptances", "org2-admin-token",
                                            R"({"test_name":"Secret Test","justification":"accepted for org-2 only"})");
  REQUIRE(made.status == 201);
  const std::string id(json::parse(made.body).at("data").at("acceptance_id").as_string());
  CHECK(server.client().get("/api/risk-acceptances/" + id, "org1-admin-token").status == 404);
  CHECK(json::parse(server.client().get("/api/risk-acceptances", "org1-admin-token").body).at("total") == 0);
  CHECK(server.client().request(verb::post, "/api/risk-acceptances/" + id + "/revoke", "org1-admin-token",
                                R"({"reason":"not yours to revoke"})").status == 404);
  CHECK(server.client().get("/api/risk-acceptances/" + id, "org2-admin-token").status == 200);
}
