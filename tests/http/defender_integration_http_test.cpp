// /api/integrations/defender as the original's settings page and a script
// use it: configure, test, sync, status, disconnect (defender-spec §9.3).
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "fakes/fake_graph.hpp"
#include "support/cluster_and_reference.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

const std::string kTenant = "5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13";
const std::string kClient = "0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70";
const std::string kSecret = "graph-client-secret~0123456789";

std::string credentials_body() {
  return R"({"tenant_id":")" + kTenant + R"(","client_id":")" + kClient + R"(","client_secret":")" + kSecret +
         R"(","label":"Contoso Production"})";
}

json::value body_of(const Reply& reply) { return json::parse(reply.body); }

}  // namespace

TEST_CASE("configuring Defender: saved sealed, shown masked, tested, synced, reported", "[http][defender]") {
  FakeGraph graph(kSecret);
  TestServer server(loopback(), TestServer::no_limits(), graph.url());
  auto client = server.client();

  CHECK(client.get("/api/integrations/defender", "admin-token").body == R"({"configured":false})");
  CHECK(client.request(verb::post, "/api/integrations/defender/sync", "admin-token").status == 400);

  const auto incomplete = client.request(verb::post, "/api/integrations/defender", "admin-token", R"({"tenant_id":")" + kTenant + R"("})");
  CHECK(incomplete.status == 400);
  CHECK(incomplete.body == R"({"success":false,"error":"tenant_id and client_id are required for initial setup"})");
  const auto saved = client.request(verb::post, "/api/integrations/defender", "admin-token", credentials_body());
  REQUIRE(saved.status == 200);
  CHECK(saved.body == R"({"success":true})");

  const auto view = body_of(client.get("/api/integrations/defender", "admin-token"));
  CHECK(view == json::parse(R"({"configured":true,"tenant_id":"****0c13","client_id":"****5f70","auth_method":"client_secret",
                                "client_secret_set":true,"cert_thumbprint_set":false,"label":"Contoso Production","env_configured":false})"));
  // On disk: sealed, in the original's shape.
  std::ifstream file(server.data_dir() / "integrations.json");
  std::stringstream text;
  text << file.rdbuf();
  CHECK(text.str().find(kSecret) == std::string::npos);
  CHECK(text.str().find(kTenant) == std::string::npos);
  const auto stored = json::parse(text.str()).at("defender").as_object();
  CHECK(stored.at("tenant_id").as_string().starts_with("enc:"));
  CHECK(stored.at("configured") == true);
  CHECK(stored.at("label") == "Contoso Production");

  const auto tested = client.request(verb::post, "/api/integrations/defender/test", "admin-token", "{}");
  CHECK(body_of(tested) == json::parse(R"({"success":true,"message":"Successfully acquired token from Microsoft Graph \u2014 credentials are valid"})"));
  bool read_once = false;
  for (const auto& r : graph.requests()) read_once = read_once || r.target == "/v1.0/security/alerts_v2?%24top=1";
  CHECK(read_once);  // a token, and one read with it
  graph.answer_next("alerts_v2", 403, R"({"error":{"code":"Forbidden","message":"Missing application roles."}})");
  const auto no_role = client.request(verb::post, "/api/integrations/defender/test", "admin-token", "{}");
  CHECK(body_of(no_role).at("success") == false);
  CHECK(body_of(no_role).at("error").as_string().starts_with(
      "Authenticated, but Microsoft Graph refused to read alerts: HTTP 403 \u2014 Forbidden: Missing application roles."));
  const auto wrong = client.request(verb::post, "/api/integrations/defender/test", "admin-token", R"({"client_secret":"wrong"})");
  CHECK(wrong.status == 200);
  CHECK(body_of(wrong).at("error").as_string().starts_with("Authentication failed: AADSTS7000215"));
  const auto not_uuid = client.request(verb::post, "/api/integrations/defender/test", "admin-token", R"({"tenant_id":"contoso"})");
  CHECK(body_of(not_uuid).at("error") ==
        "tenant_id does not look like a valid UUID (expected format: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");

  const auto synced = client.request(verb::post, "/api/integrations/defender/sync", "admin-token");
  REQUIRE(synced.status == 200);
  const auto data = body_of(synced).at("data");
  CHECK(data.at("scores").at("synced") == 3);
  CHECK(data.at("controls").at("synced") == 3);
  CHECK(data.at("alerts").at("synced") == 3);
  CHECK(server.defender_store().alerts().size() == 3);

  const auto status = body_of(client.get("/api/integrations/defender/sync/status", "admin-token"));
  CHECK(status.at("lastScoreSync") == "2025-01-20T12:34:56.789Z");
  CHECK(status.at("lastAlertSync") == "2025-01-20T12:34:56.789Z");
  CHECK(status.at("lastSyncResult").at("alerts").at("synced") == 3);
  CHECK(status.at("running") == false);

  CHECK(client.request(verb::delete_, "/api/integrations/defender", "admin-token").body == R"({"success":true})");
  CHECK(body_of(client.get("/api/integrations/defender", "admin-token")).at("configured") == false);
  CHECK(server.defender_store().alerts().size() == 3);  // the data stays
}

TEST_CASE("camelCase bodies are read, wrong types and methods refused", "[http][defender]") {
  FakeGraph graph(kSecret);
  TestServer server(loopback(), TestServer::no_limits(), graph.url());
  auto client = server.client();
  CHECK(client.request(verb::post, "/api/integrations/defender", "admin-token",
                       R"({"tenantId":")" + kTenant + R"(","clientId":")" + kClient + R"(","clientSecret":")" + kSecret + R"("})")
            .status == 200);
  CHECK(body_of(client.get("/api/integrations/defender", "admin-token")).at("configured") == true);
  const auto typed = client.request(verb::post, "/api/integrations/defender", "admin-token", R"({"tenant_id":42})");
  CHECK(typed.status == 400);
  CHECK(body_of(typed).at("details").at(0).at("path") == "tenant_id");
  CHECK(client.request(verb::post, "/api/integrations/defender", "admin-token", R"({"auth_method":"password"})").status == 400);
  // Configured: a partial save (the label only) keeps the credentials.
  CHECK(client.request(verb::post, "/api/integrations/defender", "admin-token", R"({"label":"EU tenant"})").status == 200);
  const auto view = body_of(client.get("/api/integrations/defender", "admin-token"));
  CHECK(view.at("label") == "EU tenant");
  CHECK(view.at("client_secret_set") == true);
}

TEST_CASE("reading needs integrations:read, changing integrations:write", "[http][defender][permissions]") {
  FakeGraph graph(kSecret);
  TestServer server(loopback(), TestServer::no_limits(), graph.url());
  auto client = server.client();
  CHECK(client.get("/api/integrations/defender", "operator-token").status == 200);
  CHECK(client.get("/api/integrations/defender/sync/status", "operator-token").status == 200);
  CHECK(client.get("/api/integrations/defender", "org-token").status == 403);  // analyst
  for (const auto& [method, target] : std::vector<std::pair<verb, std::string>>{
           {verb::post, "/api/integrations/defender"}, {verb::delete_, "/api/integrations/defender"},
           {verb::post, "/api/integrations/defender/test"}, {verb::post, "/api/integrations/defender/sync"}})
    CHECK(client.request(method, target, "operator-token", "{}").status == 403);
  CHECK(graph.requests().empty());
}

TEST_CASE("an unreadable integrations.json is reported and moved aside on save, never wiped", "[http][defender]") {
  FakeGraph graph(kSecret);
  TestServer server(loopback(), TestServer::no_limits(), graph.url());
  std::ofstream(server.data_dir() / "integrations.json") << R"({"azure":{"tenant_id":"enc:broken"}, "defender": )";
  auto client = server.client();
  const auto view = body_of(client.get("/api/integrations/defender", "admin-token"));
  CHECK(view.at("configured") == false);
  CHECK(view.at("settingsFileError") == "integrations.json is not a JSON object");
  CHECK(client.request(verb::post, "/api/integrations/defender", "admin-token", credentials_body()).status == 200);
  int aside = 0;
  for (const auto& entry : std::filesystem::directory_iterator(server.data_dir()))
    if (entry.path().filename().string().starts_with("integrations.json.")) ++aside;
  CHECK(aside == 1);
  CHECK(body_of(client.get("/api/integrations/defender", "admin-token")).at("configured") == true);
}

TEST_CASE("with a cluster serving, the sync fills its achilles-defender index", "[http][defender][es]") {
  FakeGraph graph(kSecret);
  FakeElasticsearch cluster;
  TestServer server(loopback(), TestServer::no_limits(), graph.url());
  auto client = server.client();
  REQUIRE(client.request(verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":")" + cluster.url() + "\"}").status == 200);
  REQUIRE(client.request(verb::post, "/api/integrations/defender", "admin-token", credentials_body()).status == 200);
  const auto synced = client.request(verb::post, "/api/integrations/defender/sync", "admin-token");
  REQUIRE(synced.status == 200);
  CHECK(body_of(synced).at("data").at("alerts").at("synced") == 3);
  CHECK(cluster.document_count("achilles-defender") == 3 + 3 + 3 + 1);  // and the sync state
  CHECK(server.defender_store().alerts().empty());  // not the embedded copy
  // A second sync replaces and upserts: nothing doubles.
  REQUIRE(client.request(verb::post, "/api/integrations/defender/sync", "admin-token").status == 200);
  CHECK(cluster.document_count("achilles-defender") == 10);
}
