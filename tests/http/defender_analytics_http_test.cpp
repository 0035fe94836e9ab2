// The original's Defender tab over data synced from the fake Graph
// (defender-spec §9.2): every /api/analytics/defender/* route, its shapes,
// its guard and its parameter checks.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "achilles/demo/demo_defender.hpp"
#include "achilles/elasticsearch/elasticsearch_defender_store.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/query/date_math.hpp"
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
constexpr std::int64_t kNow = 1'796'025'600'000;                     // 2026-11-30T08:00:00Z

std::int64_t at(const char* iso) { return *resolve_date_bound(iso, RangeEdge::Lower, 0); }

json::value body_of(const Reply& reply) { return json::parse(reply.body); }

// Configured against the fake Graph and synced: 3 scores, 3 controls, 3 alerts.
void connect_and_sync(TestServer& server) {
  auto client = server.client();
  REQUIRE(client.request(verb::post, "/api/integrations/defender", "admin-token",
                         R"({"tenant_id":"5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13","client_id":"0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70","client_secret":")" +
                             kSecret + R"("})")
              .status == 200);
  REQUIRE(client.request(verb::post, "/api/integrations/defender/sync", "admin-token").status == 200);
  REQUIRE(server.defender_store().alerts().size() == 3);
}

// Executions around the recorded alerts: the LSASS-dump stage of the bundle
// alert 1 names, five minutes before it; the same stage hours earlier; a
// PowerShell execution eleven minutes before alert 2; a ransomware test no
// alert saw; a cyber-hygiene check and another organisation's execution.
void load_executions(TestServer& server) {
  server.load({ResultBuilder("stage-lsass", at("2026-11-29T13:58:10.123456Z"))
                   .bundle(kBundle, "Achilles LSASS Credential Harvest", "T1003.001")
                   .host("win10-lab-07")
                   .techniques({"T1003.001"})
                   .code(126),
               ResultBuilder("stage-lsass-early", at("2026-11-29T10:00:00Z"))
                   .bundle(kBundle, "Achilles LSASS Credential Harvest", "T1003.001")
                   .host("win10-lab-07")
                   .techniques({"T1003.001"}),
               ResultBuilder("powershell", at("2026-11-28T09:30:00+00:00")).host("win10-lab-07").techniques({"T1059.001", "T1059.001"}),
               ResultBuilder("ransomware", at("2026-11-29T12:00:00Z")).host("srv-build-02").techniques({"T1486"}),
               ResultBuilder("hygiene", at("2026-11-29T14:00:00Z")).category("cyber-hygiene").techniques({"T1003.001"}),
               ResultBuilder("other-org", at("2026-11-29T14:00:00Z")).org("org-2").techniques({"T1003.001"})});
}

// A server synced from the fake Graph, and its Defender routes read as a
// dashboard reader (200 required).
struct SyncedServer {
  FakeGraph graph{kSecret};
  TestServer server{loopback(), TestServer::no_limits(), graph.url()};
  HttpClient client{synced_port()};
  unsigned short synced_port() {
    server.set_now(kNow);
    connect_and_sync(server);
    return server.port();
  }
  json::value get(const std::string& path, const char* token = "explorer-token") {
    const auto r = client.get("/api/analytics/defender" + path, token);
    INFO(path << " → " << r.body);
    REQUIRE(r.status == 200);
    return body_of(r);
  }
};

}  // namespace

TEST_CASE("Defender analytics answer 400 until an integration is configured or data is stored", "[http][defender][analytics]") {
  FakeGraph graph(kSecret);
  TestServer server(loopback(), TestServer::no_limits(), graph.url());
  server.set_now(kNow);
  auto client = server.client();
  for (const char* path : {"/secure-score", "/alerts", "/correlation/detection-rate", "/controls/by-category"}) {
    const auto r = client.get(std::string("/api/analytics/defender") + path, "explorer-token");
    CHECK(r.status == 400);
    CHECK(r.body == R"({"success":false,"error":"Defender integration is not configured"})");
  }
  CHECK(client.get("/api/analytics/defender/secure-score").status == 401);
  CHECK(client.get("/api/analytics/defender/secure-score", "keyless-token").status == 403);
  connect_and_sync(server);
  CHECK(client.get("/api/analytics/defender/secure-score", "explorer-token").status == 200);
  // Disconnected, the synced data is still shown.
  REQUIRE(client.request(verb::delete_, "/api/integrations/defender", "admin-token").status == 200);
  CHECK(client.get("/api/analytics/defender/secure-score", "explorer-token").status == 200);
}

TEST_CASE("Secure Score, alerts and controls in the original's shapes", "[http][defender][analytics]") {
  SyncedServer s;
  auto get = [&](const std::string& path) { return s.get(path); };

  // REC-9: compared with all tenants, the basis Graph sends.
  CHECK(get("/secure-score") ==
        json::parse(R"({"currentScore":417.16,"maxScore":784,"percentage":53.2091836734694,"averageComparative":52.74})"));
  const auto trend = get("/secure-score/trend?days=2").as_array();
  REQUIRE(trend.size() == 2);  // 28 and 29 November: the window starts at midnight two days ago
  CHECK(trend[0].at("date") == "2026-11-28T00:00:00Z");
  CHECK(trend[1] == json::parse(R"({"date":"2026-11-29T00:00:00Z","score":417.16,"maxScore":784,"percentage":53.2091836734694})"));
  CHECK(get("/secure-score/trend").as_array().size() == 3);

  const auto summary = get("/alerts/summary");
  CHECK(summary.at("total") == 3);
  CHECK(summary.at("bySeverity") == json::parse(R"({"high":1,"low":1,"medium":1})"));
  CHECK(summary.at("byStatus") == json::parse(R"({"inProgress":1,"new":1,"resolved":1})"));
  REQUIRE(summary.at("recentHigh").as_array().size() == 1);
  CHECK(summary.at("recentHigh").at(0).at("alert_id") == "da639315578021234567_-961444813");
  CHECK(summary.at("recentHigh").at(0).at("created_at") == "2026-11-29T14:03:22.1234567Z");
  CHECK(summary.at("recentMedium").as_array().size() == 1);

  const auto page = get("/alerts?page=1&pageSize=2&sortField=created_at&sortOrder=asc");
  CHECK(page.at("total") == 3);
  CHECK(page.at("page") == 1);
  CHECK(page.at("pageSize") == 2);
  REQUIRE(page.at("data").as_array().size() == 2);
  const auto& oldest = page.at("data").at(0).as_object();
  CHECK(oldest.at("alert_id") == "da639313641522996341_-204117390");
  CHECK(oldest.at("mitre_techniques") == json::array{});
  CHECK(oldest.at("resolved_at").is_string());
  CHECK_FALSE(oldest.contains("auto_resolved"));  // only once a pass decided about it
  CHECK(page.at("data").at(1).at("resolved_at").is_null());
  CHECK(get("/alerts?techniques=T1059").at("total") == 1);  // T1059.001 is a T1059
  CHECK(get("/alerts?techniques=T1003.001&severity=high&status=new").at("total") == 1);
  CHECK(get("/alerts?search=powershell").at("total") == 1);

  const auto days = get("/alerts/trend?days=7").as_array();
  REQUIRE(days.size() == 3);
  CHECK(days[0] == json::parse(R"({"date":"2026-11-27T00:00:00.000Z","count":1,"high":0,"medium":0,"low":1})"));
  CHECK(days[2] == json::parse(R"({"date":"2026-11-29T00:00:00.000Z","count":1,"high":1,"medium":0,"low":0})"));

  const auto controls = get("/controls").as_array();
  REQUIRE(controls.size() == 3);
  for (const auto* key : {"control_name", "control_category", "title", "implementation_cost", "user_impact", "rank", "threats",
                          "deprecated", "remediation_summary", "action_url", "max_score", "tier"})
    CHECK(controls[0].as_object().contains(key));
  CHECK(controls[0].at("rank").as_int64() <= controls[1].at("rank").as_int64());
  CHECK(get("/controls?deprecated=true").as_array().size() == 1);
  CHECK(get("/controls?deprecated=maybe").as_array().size() == 3);
  const auto categories = get("/controls/by-category").as_array();
  REQUIRE_FALSE(categories.empty());
  CHECK(categories[0].as_object().contains("totalMaxScore"));

  CHECK(get("/controls/correlation?controlTitle=Turn%20on%20LSASS%20protection") ==
        json::parse(R"({"coveredTechniques":["T1003.001"],"alertCount":1})"));
  CHECK(get("/controls/correlation?controlTitle=Rename%20the%20guest%20account") ==
        json::parse(R"({"coveredTechniques":[],"alertCount":0})"));
}

TEST_CASE("the detection rate, the score correlation and technique overlap join our executions with the alerts",
          "[http][defender][analytics]") {
  SyncedServer s;
  load_executions(s.server);
  auto get = [&](const std::string& path, const char* token = "explorer-token") { return s.get(path, token); };

  // Within ±60 minutes: the LSASS stage 5 minutes before alert 1, PowerShell
  // 11 minutes before alert 2. The early stage and the ransomware test are
  // not; the cyber-hygiene check never counts. Seen from org-1:
  CHECK(get("/correlation/detection-rate?days=30&windowMinutes=60", "org-token") == json::parse(R"({
    "overall":{"detectionRate":50,"totalExecutions":4,"correlatedExecutions":2,"testedTechniques":3,"detectedTechniques":2},
    "byTechnique":[{"technique":"T1003.001","testExecutions":2,"correlatedExecutions":1,"detected":true},
                   {"technique":"T1059.001","testExecutions":1,"correlatedExecutions":1,"detected":true},
                   {"technique":"T1486","testExecutions":1,"correlatedExecutions":0,"detected":false}]})"));
  // Ten minutes: only the LSASS stage.
  CHECK(get("/correlation/detection-rate?windowMinutes=10", "org-token").at("overall").at("correlatedExecutions") == 1);
  // Unbound readers see every organisation: org-2's execution three minutes
  // before alert 1 counts too (alerts are the tenant's).
  CHECK(get("/correlation/detection-rate").at("overall") ==
        json::parse(R"({"detectionRate":60,"totalExecutions":5,"correlatedExecutions":3,"testedTechniques":3,"detectedTechniques":2})"));
  CHECK(get("/correlation/detection-rate", "org2-op-token").at("overall") ==
        json::parse(R"({"detectionRate":100,"totalExecutions":1,"correlatedExecutions":1,"testedTechniques":1,"detectedTechniques":1})"));
  // Per host: the stage and PowerShell ran on the host the alerts saw; org-2's
  // execution (host-a) did not.
  CHECK(get("/correlation/detection-rate?matchHost=true").at("overall").at("correlatedExecutions") == 2);

  const auto scores = get("/correlation/scores?days=7").as_array();
  REQUIRE_FALSE(scores.empty());
  json::object by_date;
  for (const auto& d : scores) by_date[d.at("date").as_string()] = d;
  CHECK(by_date.at("2026-11-29") ==
        json::parse(R"({"date":"2026-11-29","defenseScore":25,"secureScore":53.2091836734694})"));  // 1 protected of 4
  CHECK(by_date.at("2026-11-27").at("defenseScore").is_null());

  CHECK(get("/correlation/techniques") ==
        json::parse(R"([{"technique":"T1003.001","testResults":3,"defenderAlerts":1},{"technique":"T1059.001","testResults":1,"defenderAlerts":1}])"));
}

TEST_CASE("alerts for one execution: its bundle's evidence first, with the stage it points at", "[http][defender][analytics]") {
  SyncedServer s;
  auto get = [&](const std::string& query) { return s.get("/correlation/alerts-for-test?" + query); };
  // The drawer's own request for the LSASS stage's row.
  const auto evidence = get("techniques=T1003.001&timestamp=2026-11-29T13:58:10.123456Z&windowMinutes=30&hostname=win10-lab-07&binaryName=" +
                            kBundle + ".exe&bundleName=Achilles%20LSASS%20Credential%20Harvest");
  CHECK(evidence.at("total") == 1);
  CHECK(evidence.at("matchedTechniques") == json::parse(R"(["T1003.001"])"));
  CHECK(evidence.at("alerts").at(0).at("alert_id") == "da639315578021234567_-961444813");
  CHECK(evidence.at("alerts").at(0).at("attribution") == "bundle");  // its files do not name a stage binary
  CHECK_FALSE(evidence.at("alerts").at(0).as_object().contains("attributed_control_id"));
  // By technique alone, the PowerShell alert eleven minutes later.
  const auto by_technique = get("techniques=T1059.001,T1105&timestamp=2026-11-28T09:30:00Z");
  CHECK(by_technique.at("total") == 1);
  CHECK(by_technique.at("matchedTechniques") == json::parse(R"(["T1059.001","T1105"])"));
  // Outside the window: nothing.
  CHECK(get("techniques=T1059.001&timestamp=2026-11-28T08:00:00Z") == json::parse(R"({"alerts":[],"matchedTechniques":[],"total":0})"));
}

TEST_CASE("Defender analytics parameters are checked, naming the parameter", "[http][defender][analytics]") {
  SyncedServer s;
  auto& client = s.client;
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"/secure-score/trend?days=abc", "'days'"},
      {"/alerts/trend?days=-3", "'days'"},
      {"/alerts?page=0", "'page'"},
      {"/alerts?pageSize=100000", "'pageSize'"},
      {"/alerts?sortField=description", "'sortField'"},
      {"/controls/correlation", "controlTitle is required"},
      {"/correlation/detection-rate?windowMinutes=NaN", "'windowMinutes'"},
      {"/correlation/alerts-for-test?techniques=T1003", "techniques and timestamp are required"},
      {"/correlation/alerts-for-test?techniques=T1003&timestamp=soon", "'timestamp'"},
  };
  for (const auto& [path, names] : refused) {
    const auto r = client.get("/api/analytics/defender" + path, "explorer-token");
    INFO(path << " → " << r.body);
    CHECK(r.status == 400);
    CHECK(body_of(r).at("success") == false);
    CHECK(std::string(body_of(r).at("error").as_string()).find(names) != std::string::npos);
  }
}

TEST_CASE("on Elasticsearch every Defender analytics GET answers as on the embedded store, over the demo data",
          "[es][http][defender][analytics]") {
  const DemoOptions options{3000, 7, 30, TestServer::kNow};
  const auto executions = demo_documents(3000);
  const auto defender = generate_demo_defender(options);
  REQUIRE(defender.alerts.size() > 100);
  ClusterAndReference both(executions);
  // The cluster's achilles-defender index, as a sync writes it; the reference's embedded store.
  elasticsearch::EsConnection c;
  c.base_url = both.cluster.url();
  c.policy = loopback_policy();
  elasticsearch::ElasticsearchDefenderStore on_cluster(std::make_shared<elasticsearch::HttpTransport>(c));
  for (DefenderStore* store : {static_cast<DefenderStore*>(&on_cluster), &both.reference.defender_store()}) {
    store->put_secure_scores(defender.secure_scores);
    store->replace_control_profiles(defender.control_profiles);
    REQUIRE(store->upsert_alerts(defender.alerts).errors.empty());
  }
  // A drawer request for a real demo execution that has an alert.
  std::string drawer;
  for (const auto& a : defender.alerts)
    if (!a.evidence_filenames.empty() && a.evidence_filenames[0].find('-') != std::string::npos && drawer.empty()) {
      const std::string& file = a.evidence_filenames[0];
      drawer = "/correlation/alerts-for-test?techniques=" + a.mitre_techniques[0] + "&timestamp=" + a.created_at +
               "&hostname=" + a.evidence_hostnames[0].substr(0, a.evidence_hostnames[0].find('.')) + "&binaryName=" +
               file.substr(0, 36) + ".exe";
    }
  REQUIRE_FALSE(drawer.empty());
  const std::vector<std::string> gets = {
      "/secure-score", "/secure-score/trend", "/secure-score/trend?days=7", "/alerts/summary",
      "/alerts", "/alerts?page=2&pageSize=50&sortField=severity&sortOrder=asc", "/alerts?techniques=T1003,T1059&status=new",
      "/alerts?search=ransomware", "/alerts/trend", "/alerts/trend?days=90", "/controls", "/controls?deprecated=false&category=Device",
      "/controls/by-category", "/controls/correlation?controlTitle=Use%20advanced%20protection%20against%20ransomware",
      "/correlation/scores", "/correlation/scores?days=14", "/correlation/techniques", "/correlation/detection-rate",
      "/correlation/detection-rate?days=7&windowMinutes=15", "/correlation/detection-rate?matchHost=true", drawer,
      "/correlation/alerts-for-test?techniques=T1486,T1490&timestamp=2025-01-19T10:00:00Z&windowMinutes=600"};
  auto from_cluster = both.server.client();
  auto from_embedded = both.reference.client();
  for (const auto& path : gets) {
    INFO(path);
    const auto a = from_cluster.get("/api/analytics/defender" + path, "admin-token");
    const auto b = from_embedded.get("/api/analytics/defender" + path, "admin-token");
    CHECK(a.status == 200);
    CHECK(a.status == b.status);
    CHECK(json::parse(a.body) == json::parse(b.body));
  }
  const auto rate = json::parse(from_cluster.get("/api/analytics/defender/correlation/detection-rate", "admin-token").body);
  CHECK(rate.at("overall").at("correlatedExecutions").as_int64() > 0);
  const auto drawn = json::parse(from_cluster.get("/api/analytics/defender" + drawer, "admin-token").body);
  CHECK(drawn.at("total").as_int64() >= 1);
}

TEST_CASE("a sync marks the executions its alerts prove Defender saw, and says so in its result", "[http][defender][enrichment]") {
  FakeGraph graph(kSecret);
  TestServer server(loopback(), TestServer::no_limits(), graph.url());
  server.set_now(kNow);
  load_executions(server);
  auto client = server.client();
  REQUIRE(client.request(verb::post, "/api/integrations/defender", "admin-token",
                         R"({"tenant_id":"5f2a6c1e-8b3d-4e7a-9c1f-2d4b6a8e0c13","client_id":"0b7d2e4f-6a8c-4d1e-b3f5-7a9c1e3d5f70","client_secret":")" +
                             kSecret + R"("})")
              .status == 200);
  const auto synced = client.request(verb::post, "/api/integrations/defender/sync", "admin-token");
  REQUIRE(synced.status == 200);
  const auto enrichment = body_of(synced).at("data").at("enrichment");
  // Alert 1's evidence holds the bundle's folder on the stage's host, five
  // minutes after it: that stage, and no other execution.
  CHECK(enrichment.at("detected") == 1);
  CHECK(enrichment.at("stageDetected") == 0);
  CHECK(enrichment.at("alertsMarkedCorrelated") == 1);
  CHECK(enrichment.at("errors") == json::array{});
  CHECK(enrichment.at("scanned").as_int64() >= 4);
  const auto marked = server.defender_store().alert("alert-da639315578021234567_-961444813");
  REQUIRE(marked);
  CHECK(marked->f0rtika.achilles_test_uuid == kBundle);

  const auto executions = body_of(client.get("/api/analytics/executions/paginated?from=2026-11-01&pageSize=100", "admin-token"));
  int detected = 0;
  for (const auto& e : executions.at("data").as_array()) {
    if (e.at("defender_detected") == true) {
      ++detected;
      CHECK(e.at("hostname") == "win10-lab-07");
      CHECK(e.at("control_id") == "T1003.001");
      CHECK(e.at("defender_stage_detected") == false);
    }
  }
  CHECK(detected == 1);
  const auto status = body_of(client.get("/api/integrations/defender/sync/status", "admin-token"));
  CHECK(status.at("lastEnrichment").at("detected") == 1);
}
