// Auto-resolve end to end against the fake Graph (defender-spec §8, issue 15):
// sync alerts, correlate them with our executions, resolve or dry-run, show
// receipts; on the embedded store and on Elasticsearch through the fake cluster.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "achilles/query/date_math.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "fakes/fake_graph.hpp"
#include "support/cluster_and_reference.hpp"
#include "support/result_builder.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

const std::string kSecret = "graph-client-secret~0123456789";
const std::string kBundle = "b1f3c9e2-5d7a-4e61-9f08-2c4b6d8e0a13";  // in alert 1's evidence path
const std::string kLsass = "da639315578021234567_-961444813";      // alert 1: high, new
const std::string kSecond = "da639316000000000001_-100000001";      // a second alert of the bundle, new
const std::string kStray = "da639316000000000002_-100000002";       // new, but no test of ours
constexpr std::int64_t kNow = 1'796'025'600'000;                     // 2026-11-30T08:00:00Z

std::int64_t at(const char* iso) { return *resolve_date_bound(iso, RangeEdge::Lower, 0); }
json::value body_of(const Reply& reply) { return json::parse(reply.body); }

// The recorded alerts, plus a second alert of the same bundle run and one
// on the same host about something else, as Graph lists them.
json::array tenant_alerts() {
  json::array all;
  for (const char* page : {"alerts_page1.json", "alerts_page2.json"}) {
    const json::value listed = json::parse(FakeGraph::fixture(page));
    for (const auto& a : listed.at("value").as_array()) all.push_back(a);
  }
  json::object second = all[0].as_object();
  second["id"] = kSecond;
  second["providerAlertId"] = kSecond;
  second["createdDateTime"] = "2026-11-29T14:10:41.5000000Z";
  second["lastUpdateDateTime"] = "2026-11-29T14:11:00.0000000Z";
  json::object stray = all[0].as_object();
  stray["id"] = kStray;
  stray["providerAlertId"] = kStray;
  stray["title"] = "Suspicious RDP session";
  stray["mitreTechniques"] = json::array{"T1021.001"};
  stray["evidence"] = json::array{json::object{{"@odata.type", "#microsoft.graph.security.deviceEvidence"},
                                               {"deviceDnsName", "Win10-LAB-07.Contoso.local"}}};
  all.push_back(std::move(second));
  all.push_back(std::move(stray));
  return all;
}

ResultDocument lsass_stage() {
  return ResultBuilder("stage-lsass", at("2026-11-29T13:58:10.123456Z"))
      .bundle(kBundle, "Achilles LSASS Credential Harvest", "T1003.001")
      .host("win10-lab-07")
      .techniques({"T1003.001"})
      .code(126);
}

// A server of the embedded store synced from `graph`, with our LSASS stage.
struct World {
  FakeGraph graph{kSecret};
  TestServer server{loopback(), TestServer::no_limits(), graph.url()};
  HttpClient client{prepared_port()};

  unsigned short prepared_port() {
    server.set_now(kNow);
    graph.alerts(tenant_alerts());
    server.load({lsass_stage()});
    auto c = server.client();
    REQUIRE(c.request(verb::post, "/api/integrations/defender", "admin-token",
                      R"({"tenant_id":"5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13","client_id":"0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70","client_secret":")" +
                          kSecret + R"("})")
                .status == 200);
    return server.port();
  }
  Reply set_mode(const std::string& body) {
    return client.request(verb::put, "/api/integrations/defender/auto-resolve/mode", "admin-token", body);
  }
  json::value sync() {
    const auto r = client.request(verb::post, "/api/integrations/defender/sync", "admin-token");
    INFO(r.body);
    REQUIRE(r.status == 200);
    return body_of(r).at("data");
  }
  json::value receipts(const std::string& query = "") {
    const auto r = client.get("/api/integrations/defender/auto-resolve/receipts" + query, "admin-token");
    INFO(r.body);
    REQUIRE(r.status == 200);
    return body_of(r).at("data");
  }
  int patches() const {
    int n = 0;
    for (const auto& r : graph.requests()) n += r.method == "PATCH";
    return n;
  }
};

}  // namespace

TEST_CASE("dry run records what it would resolve and changes nothing in Defender", "[http][defender][auto-resolve]") {
  World w;
  REQUIRE(w.set_mode(R"({"mode":"dry_run"})").body == R"({"success":true,"data":{"mode":"dry_run"}})");
  auto pass = w.sync().at("autoResolve").as_object();
  CHECK(pass.at("durationMs").as_int64() >= 0);
  pass.erase("durationMs");
  // Enrichment correlated both alerts of the bundle run with our stage.
  CHECK(pass == json::parse(R"({"mode":"dry_run","candidates":2,"patched":0,"wouldPatch":2,"skipped":0,"errors":[]})").as_object());
  CHECK(w.patches() == 0);
  CHECK(w.graph.comments().empty());
  const auto receipts = w.receipts();
  CHECK(receipts.at("total") == 2);
  for (const auto& item : receipts.at("items").as_array()) {
    CHECK(item.at("outcome") == "would_resolve");
    CHECK(item.at("auto_resolve_mode") == "dry_run");
    CHECK(item.at("achilles_test_uuid") == json::value(kBundle));
    CHECK(item.at("auto_resolve_error").is_null());
  }
  const auto status = body_of(w.client.get("/api/integrations/defender/auto-resolve/status", "operator-token"));
  CHECK(status.at("data").at("mode") == "dry_run");
  CHECK(status.at("data").at("counts") == json::parse(R"({"last24h":2,"last7d":2,"last30d":2})"));
  CHECK(status.at("data").at("lastAutoResolve").at("wouldPatch") == 2);
  // Recorded once: the next pass has nothing to add.
  CHECK(w.sync().at("autoResolve").at("candidates") == 0);
  CHECK(w.receipts().at("total") == 2);
}

TEST_CASE("enabled resolves exactly our new alerts, once, with the audit comment", "[http][defender][auto-resolve]") {
  World w;
  REQUIRE(w.set_mode(R"({"mode":"enabled","backfill":true})").status == 200);
  const auto pass = w.sync().at("autoResolve");
  CHECK(pass.at("patched") == 2);
  CHECK(pass.at("errors") == json::array{});
  auto resolved = w.graph.resolved();
  std::sort(resolved.begin(), resolved.end());
  CHECK(resolved == std::vector<std::string>{kLsass, kSecond});  // not the stray, not the in-progress or resolved ones
  for (const auto& r : w.graph.requests())
    if (r.method == "PATCH") {
      CHECK(json::parse(r.body) ==
            json::parse(R"({"status":"resolved","classification":"informationalExpectedActivity","determination":"securityTesting"})"));
      CHECK(r.authorization.starts_with("Bearer token-"));
    }
  const auto comments = w.graph.comments();
  REQUIRE(comments.size() == 2);
  CHECK(comments[0].second == "Achilles test " + kBundle +
                                  " \u2014 authorized continuous validation. Resolved automatically by Project Achilles.");
  const auto receipts = w.receipts();
  CHECK(receipts.at("total") == 2);
  CHECK(receipts.at("items").at(0).at("outcome") == "resolved");
  CHECK(receipts.at("items").at(0).at("auto_resolve_mode") == "enabled");
  // The next sync reads them back resolved; nothing is resolved twice.
  CHECK(w.sync().at("autoResolve").at("candidates") == 0);
  CHECK(w.patches() == 2);
  const auto listed = body_of(w.client.get("/api/analytics/defender/alerts?status=resolved", "explorer-token"));
  CHECK(listed.at("total") == 3);
  int marked = 0;
  for (const auto& a : listed.at("data").as_array()) {
    if (!a.as_object().contains("auto_resolved")) continue;
    ++marked;
    CHECK(a.at("auto_resolve_mode") == "enabled");
  }
  CHECK(marked == 2);
}

TEST_CASE("switching on leaves older alerts alone unless asked to backfill, but not what a dry run recorded",
          "[http][defender][auto-resolve]") {
  World w;
  // Enabled at 08:00 on the 30th: the alerts of the 29th came before.
  REQUIRE(w.set_mode(R"({"mode":"enabled"})").status == 200);
  CHECK(w.sync().at("autoResolve").at("candidates") == 0);
  CHECK(w.patches() == 0);
  const auto status = body_of(w.client.get("/api/integrations/defender/auto-resolve/status", "admin-token"));
  CHECK(status.at("data").at("enabledSince") == "2026-11-30T08:00:00.000Z");

  SECTION("a backfill resolves them") {
    REQUIRE(w.set_mode(R"({"mode":"enabled","backfill":true})").status == 200);
    CHECK(w.sync().at("autoResolve").at("patched") == 2);
  }
  SECTION("a dry run's records are resolved once enabled (the original exempts them forever)") {
    REQUIRE(w.set_mode(R"({"mode":"dry_run"})").status == 200);
    CHECK(w.sync().at("autoResolve").at("wouldPatch") == 2);
    REQUIRE(w.set_mode(R"({"mode":"enabled"})").status == 200);
    CHECK(w.sync().at("autoResolve").at("patched") == 2);
    CHECK(w.graph.resolved().size() == 2);
  }
  SECTION("turning the backfill off again sets a new cut-off") {
    REQUIRE(w.set_mode(R"({"mode":"enabled","backfill":true})").status == 200);
    w.server.set_now(kNow + 60'000);
    REQUIRE(w.set_mode(R"({"mode":"enabled","backfill":false})").status == 200);
    const auto again = body_of(w.client.get("/api/integrations/defender/auto-resolve/status", "admin-token"));
    CHECK(again.at("data").at("enabledSince") == "2026-11-30T08:01:00.000Z");
    CHECK(w.sync().at("autoResolve").at("candidates") == 0);
  }
  SECTION("disabled does nothing at all") {
    REQUIRE(w.set_mode(R"({"mode":"disabled"})").status == 200);
    auto pass = w.sync().at("autoResolve").as_object();
    pass.erase("durationMs");
    CHECK(pass == json::parse(R"({"mode":"disabled","candidates":0,"patched":0,"wouldPatch":0,"skipped":0,"errors":[]})").as_object());
    CHECK(w.patches() == 0);
  }
}

TEST_CASE("Graph failures mid-pass: retried after 429, failed receipts retried next pass, 403 halts, 404 settles",
          "[http][defender][auto-resolve]") {
  World w;
  REQUIRE(w.set_mode(R"({"mode":"enabled","backfill":true})").status == 200);
  SECTION("429 then success: resolved in the same pass") {
    w.graph.answer_next("alerts_v2/" + kLsass, 429, R"({"error":{"code":"TooManyRequests","message":"Slow down"}})", "0");
    const auto pass = w.sync().at("autoResolve");
    CHECK(pass.at("patched") == 2);
    CHECK(pass.at("errors") == json::array{});
  }
  SECTION("500: a failed receipt, and the next pass resolves it") {
    w.graph.answer_next("alerts_v2/" + kLsass, 500, R"({"error":{"code":"InternalServerError","message":"Try again"}})");
    const auto pass = w.sync().at("autoResolve");
    CHECK(pass.at("patched") == 1);
    REQUIRE(pass.at("errors").as_array().size() == 1);
    CHECK(pass.at("errors").at(0).as_string().starts_with(kLsass + ": Graph PATCH failed: HTTP 500"));
    const auto failed = w.receipts().at("items").at(1);  // newest first: the failure came first
    CHECK(failed.at("outcome") == "failed");
    CHECK(failed.at("alert_id") == json::value(kLsass));
    CHECK(w.sync().at("autoResolve").at("patched") == 1);
    CHECK(w.graph.resolved().size() == 2);
    CHECK(w.receipts().at("total") == 3);
  }
  SECTION("403: the pass stops, nothing is settled, and the error says which permission") {
    w.graph.answer_next("alerts_v2/", 403, R"({"error":{"code":"Forbidden","message":"Missing role"}})");
    const auto pass = w.sync().at("autoResolve");
    CHECK(pass.at("patched") == 0);
    REQUIRE(pass.at("errors").as_array().size() == 1);
    CHECK(std::string(pass.at("errors").at(0).as_string()).find("SecurityAlert.ReadWrite.All") != std::string::npos);
    CHECK(w.patches() == 1);
    CHECK(w.sync().at("autoResolve").at("patched") == 2);  // consent granted: both resolved
  }
  SECTION("404: the alert is gone upstream; settled with not_found, not asked again") {
    w.graph.answer_next("alerts_v2/" + kLsass, 404, R"({"error":{"code":"NotFound","message":"Alert not found"}})");
    const auto pass = w.sync().at("autoResolve");
    CHECK(pass.at("patched") == 1);
    CHECK(pass.at("errors") == json::array{json::value(kLsass + ": not_found")});
    bool not_found = false;
    const auto receipts = w.receipts();
    for (const auto& item : receipts.at("items").as_array())
      not_found = not_found || (item.at("outcome") == "not_found" && item.at("auto_resolve_error") == "not_found");
    CHECK(not_found);
    CHECK(w.sync().at("autoResolve").at("candidates") == 0);
  }
}

TEST_CASE("the mode and receipts routes check what they are given, and who asks", "[http][defender][auto-resolve]") {
  World w;
  const auto bogus = w.set_mode(R"({"mode":"bogus"})");
  CHECK(bogus.status == 400);
  CHECK(body_of(bogus).at("details").at(0).at("path") == "mode");
  CHECK(w.set_mode(R"({})").status == 400);
  CHECK(w.set_mode(R"({"mode":"enabled","backfill":"yes"})").status == 400);
  CHECK(w.client.request(verb::put, "/api/integrations/defender/auto-resolve/mode", "operator-token", R"({"mode":"enabled"})").status == 403);
  CHECK(w.client.get("/api/integrations/defender/auto-resolve/receipts", "org-token").status == 403);  // analyst
  for (const char* q : {"?limit=0", "?limit=101", "?limit=ten", "?offset=-1"}) {
    INFO(q);
    const auto r = w.client.get(std::string("/api/integrations/defender/auto-resolve/receipts") + q, "admin-token");
    CHECK(r.status == 400);
  }
  REQUIRE(w.set_mode(R"({"mode":"dry_run"})").status == 200);
  w.sync();
  const auto first = w.receipts("?limit=1&offset=0");
  CHECK(first.at("total") == 2);
  CHECK(first.at("limit") == 1);
  CHECK(first.at("items").as_array().size() == 1);
  const auto second = w.receipts("?limit=1&offset=1");
  CHECK(second.at("items").at(0).at("alert_id") != first.at("items").at(0).at("alert_id"));
  CHECK(w.receipts("?offset=5").at("items") == json::array{});

  REQUIRE(w.client.request(verb::delete_, "/api/integrations/defender", "admin-token").status == 200);
  const auto unconfigured = w.set_mode(R"({"mode":"enabled"})");
  CHECK(unconfigured.status == 400);
  CHECK(body_of(unconfigured).at("error") == "Cannot set auto_resolve_mode: Defender integration is not configured");
}

TEST_CASE("the whole loop on Elasticsearch: alerts, correlation, resolution and receipts in the cluster",
          "[es][http][defender][auto-resolve]") {
  FakeElasticsearch cluster;
  FakeGraph graph(kSecret);
  graph.alerts(tenant_alerts());
  TestServer server(loopback(), TestServer::no_limits(), graph.url());
  server.set_now(kNow);
  auto es = adapter_on(cluster, "achilles-results-loop");
  REQUIRE(es.cluster().create_index("achilles-results-loop", elasticsearch::results_index_body()));
  REQUIRE(es.append(std::vector<ResultDocument>{lsass_stage()}).added == 1);
  auto client = server.client();
  REQUIRE(client.request(verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":")" + cluster.url() + R"(","indexPattern":"achilles-results-loop"})")
              .status == 200);
  REQUIRE(client.request(verb::post, "/api/integrations/defender", "admin-token",
                         R"({"tenant_id":"5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13","client_id":"0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70","client_secret":")" +
                             kSecret + R"("})")
              .status == 200);
  REQUIRE(client.request(verb::put, "/api/integrations/defender/auto-resolve/mode", "admin-token", R"({"mode":"enabled","backfill":true})")
              .status == 200);
  const auto synced = client.request(verb::post, "/api/integrations/defender/sync", "admin-token");
  REQUIRE(synced.status == 200);
  const auto data = body_of(synced).at("data");
  CHECK(data.at("enrichment").at("detected") == 1);
  CHECK(data.at("autoResolve").at("patched") == 2);
  CHECK(graph.resolved().size() == 2);
  const auto receipts = body_of(client.get("/api/integrations/defender/auto-resolve/receipts", "admin-token")).at("data");
  CHECK(receipts.at("total") == 2);
  CHECK(receipts.at("items").at(0).at("outcome") == "resolved");
  const auto status = body_of(client.get("/api/integrations/defender/auto-resolve/status", "admin-token")).at("data");
  CHECK(status.at("counts").at("last24h") == 2);
  // Stored in the cluster: the flag on the execution, the receipts and marks in achilles-defender.
  const auto page = es.page(everything(), {}).documents;
  REQUIRE(page.size() == 1);
  CHECK(page[0].defender_detected);
  CHECK(body_of(client.request(verb::post, "/api/integrations/defender/sync", "admin-token")).at("data").at("autoResolve").at("candidates") == 0);
}
