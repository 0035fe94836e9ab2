// Every route × every kind of caller: the permission each route needs is
// written here from platform-spec §1.8 and risk-acceptance.md, not read from
// the routes, so a route guarded by the wrong permission fails this test.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

struct RouteNeeds {
  verb method;
  std::string target;
  std::string body;  // one the route refuses after its permission check, so nothing changes
  std::vector<Permission> needs;
};

std::vector<RouteNeeds> every_route() {
  using P = Permission;
  std::vector<RouteNeeds> routes;
  for (const char* path :
       {"defense-score", "defense-score/trend", "defense-score/by-test", "defense-score/by-technique",
        "defense-score/by-severity", "defense-score/by-category", "defense-score/by-category-subcategory",
        "defense-score/by-hostname", "defense-score/by-org", "threat-actor-coverage", "executions",
        "executions/paginated", "results-by-error-type", "test-coverage", "technique-distribution", "host-test-matrix",
        "error-rate", "error-rate/trend", "unique-hostnames", "unique-tests", "canonical-test-count", "organizations",
        "available-tests", "available-techniques", "executed-test-uuids", "available-hostnames",
        "available-categories", "available-severities", "available-threat-actors", "available-tags",
        "available-error-names", "available-error-codes", "available-bundle-names", "indices"})
    routes.push_back({verb::get, std::string("/api/analytics/") + path, "", {P::AnalyticsDashboardsRead}});
  routes.push_back({verb::get, "/api/analytics/settings", "", {P::AnalyticsSettingsRead}});
  routes.push_back({verb::post, "/api/analytics/settings", R"({"connectionType":"bogus"})", {P::AnalyticsSettingsWrite}});
  routes.push_back({verb::post, "/api/analytics/settings/test", R"({"connectionType":"bogus"})", {P::AnalyticsSettingsWrite}});
  routes.push_back({verb::delete_, "/api/analytics/settings", "", {P::AnalyticsSettingsWrite}});
  routes.push_back({verb::post, "/api/analytics/index/create", R"({"indexName":"../bad"})",
                    {P::AnalyticsDashboardsRead, P::AnalyticsIndexCreate}});
  routes.push_back({verb::post, "/api/analytics/executions/archive", "{}",
                    {P::AnalyticsDashboardsRead, P::AnalyticsExecutionsArchive}});
  routes.push_back({verb::post, "/api/analytics/executions/archive-by-date", "{}",
                    {P::AnalyticsDashboardsRead, P::AnalyticsExecutionsArchive}});
  routes.push_back({verb::get, "/api/risk-acceptances", "", {P::AnalyticsRiskRead}});
  routes.push_back({verb::get, "/api/risk-acceptances/unknown-id", "", {P::AnalyticsRiskRead}});
  routes.push_back({verb::post, "/api/risk-acceptances/lookup", "{}", {P::AnalyticsRiskRead}});
  routes.push_back({verb::post, "/api/risk-acceptances", "{}", {P::AnalyticsRiskWrite}});
  routes.push_back({verb::post, "/api/risk-acceptances/unknown-id/revoke", "{}", {P::AnalyticsRiskWrite}});
  routes.push_back({verb::get, "/api/api-keys", "", {P::SettingsUsersManage}});
  routes.push_back({verb::post, "/api/api-keys", "{}", {P::SettingsUsersManage}});
  routes.push_back({verb::delete_, "/api/api-keys/unknown-id", "", {P::SettingsUsersManage}});
  // Defender (defender-spec §9.4): its dashboards for every reader, its integration by permission.
  for (const char* path :
       {"secure-score", "secure-score/trend", "alerts/summary", "alerts", "alerts/trend", "controls", "controls/by-category",
        "controls/correlation", "correlation/scores", "correlation/techniques", "correlation/detection-rate",
        "correlation/alerts-for-test"})
    routes.push_back({verb::get, std::string("/api/analytics/defender/") + path, "", {P::AnalyticsDashboardsRead}});
  const std::string defender = "/api/integrations/defender";
  routes.push_back({verb::get, defender, "", {P::IntegrationsRead}});
  routes.push_back({verb::get, defender + "/sync/status", "", {P::IntegrationsRead}});
  routes.push_back({verb::get, defender + "/auto-resolve/status", "", {P::IntegrationsRead}});
  routes.push_back({verb::get, defender + "/auto-resolve/receipts", "", {P::IntegrationsRead}});
  routes.push_back({verb::post, defender, R"({"tenant_id":42})", {P::IntegrationsWrite}});
  routes.push_back({verb::post, defender + "/test", R"({"tenant_id":42})", {P::IntegrationsWrite}});
  routes.push_back({verb::post, defender + "/parse-pfx", "", {P::IntegrationsWrite}});
  routes.push_back({verb::post, defender + "/sync", "", {P::IntegrationsWrite}});
  routes.push_back({verb::put, defender + "/auto-resolve/mode", R"({"mode":"bogus"})", {P::IntegrationsWrite}});
  routes.push_back({verb::delete_, defender, "", {P::IntegrationsWrite}});
  routes.push_back({verb::get, "/metrics", "", {P::SystemMetricsRead}});
  routes.push_back({verb::get, "/api/analytics/export/attack-navigator", "", {P::AnalyticsDashboardsRead}});
  routes.push_back({verb::get, "/api/analytics/export/executions.csv", "", {P::AnalyticsDashboardsRead}});
  return routes;
}

}  // namespace

TEST_CASE("every route answers each role and API-key scope by the permission table", "[http][permissions][identity]") {
  TestServer server;
  auto client = server.client();
  auto key_of = [&](const char* scope) {
    const auto reply = client.request(verb::post, "/api/api-keys", "admin-token",
                                      std::string(R"({"name":"matrix","scope":")") + scope + R"("})");
    REQUIRE(reply.status == 201);
    return std::string(json::parse(reply.body).at("data").at("key").as_string());
  };
  const std::vector<std::pair<std::string, PermissionSet>> callers{
      {"admin-token", permissions_of(Role::Admin)},
      {"operator-token", permissions_of(Role::Operator)},
      {"org-token", permissions_of(Role::Analyst)},
      {"explorer-token", permissions_of(Role::Explorer)},
      {"keyless-token", PermissionSet{}},
      {key_of("read"), permissions_of(ApiKeyScope::Read)},
      {key_of("read-write"), permissions_of(ApiKeyScope::ReadWrite)}};

  int checked = 0;
  for (const auto& route : every_route()) {
    for (const auto& [token, permissions] : callers) {
      bool allowed = true;
      for (Permission p : route.needs) allowed = allowed && permissions.test(static_cast<std::size_t>(p));
      const auto reply = client.request(route.method, route.target, token, route.body);
      INFO(std::string(boost::beast::http::to_string(route.method)) << " " << route.target << " as "
                                                                    << token.substr(0, 14) << ": " << reply.body);
      if (allowed) {
        CHECK(reply.status != 401);
        CHECK(reply.status != 403);
        CHECK(reply.status < 500);
      } else {
        CHECK(reply.status == 403);
        CHECK(reply.body == R"({"success":false,"error":"Insufficient permissions"})");
      }
      ++checked;
    }
  }
  CHECK(checked == 74 * 7);  // 74 routes, 7 kinds of caller
  // Nobody changed anything: the embedded store still serves.
  CHECK(server.backend_name() == "embedded");
}
