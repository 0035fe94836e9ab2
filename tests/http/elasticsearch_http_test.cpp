// The API with Elasticsearch configured: the same answers as the embedded
// store on the same documents, settings that switch the backend live, the
// connection test, index management, and Elasticsearch's failures as clear
// 4xx/503 answers. The cluster is the fake of tests/fakes, reached over HTTP.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <thread>

#include <boost/json.hpp>
#include <algorithm>
#include <cstdlib>

#include "achilles/demo/demo_results.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/elasticsearch/elasticsearch_results_index.hpp"
#include "achilles/elasticsearch/results_mapping.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "support/cluster_and_reference.hpp"
#include "support/result_builder.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
namespace beast_http = boost::beast::http;

TEST_CASE("every dashboard endpoint answers the same from the cluster as from the embedded store", "[es][http][equivalence]") {
  ClusterAndReference setup(demo_documents(1500));
  setup.check_every_dashboard_get_answers_the_same();
}

TEST_CASE("org-bound callers see only their organisation on the cluster too", "[es][http][equivalence]") {
  ClusterAndReference setup(demo_documents(600));
  auto cluster = setup.server.client();
  auto embedded = setup.reference.client();
  for (const char* path : {"/defense-score?from=now-30d", "/executions/paginated?from=now-30d", "/available-hostnames"}) {
    INFO(path);
    CHECK(json::parse(cluster.get(std::string("/api/analytics") + path, "org-token").body) ==
          json::parse(embedded.get(std::string("/api/analytics") + path, "org-token").body));
  }
}

TEST_CASE("archiving runs on the cluster moves them to the archive index and out of every answer", "[es][http][archive]") {
  const auto docs = demo_documents(300);
  ClusterAndReference setup(docs);
  auto client = setup.server.client();
  const auto groups = json::parse(client.get("/api/analytics/executions/paginated?grouped=true&pageSize=2&from=now-30d",
                                             "admin-token").body);
  json::array keys;
  for (const auto& g : groups.at("groups").as_array()) keys.push_back(g.at("groupKey"));
  REQUIRE(keys.size() == 2);
  const std::string body = json::serialize(json::object{{"groupKeys", keys}});
  const auto on_cluster = json::parse(client.request(beast_http::verb::post, "/api/analytics/executions/archive", "admin-token", body).body);
  const auto on_embedded = json::parse(setup.reference.client().request(beast_http::verb::post, "/api/analytics/executions/archive",
                                                                        "admin-token", body).body);
  CHECK(on_cluster == on_embedded);
  CHECK(on_cluster.at("archived").as_int64() > 0);
  CHECK(setup.cluster.document_count("archived-achilles-results") == static_cast<std::size_t>(on_cluster.at("archived").as_int64()));
  CHECK(json::parse(client.get("/api/analytics/defense-score", "admin-token").body) ==
        json::parse(setup.reference.client().get("/api/analytics/defense-score", "admin-token").body));
  // again: nothing left to move
  CHECK(json::parse(client.request(beast_http::verb::post, "/api/analytics/executions/archive", "admin-token", body).body)
            .at("archived") == 0);
}

TEST_CASE("saving settings switches between the embedded store and the cluster without a restart", "[es][http][settings]") {
  FakeElasticsearch cluster;
  auto es = adapter_on(cluster, "achilles-results-x");
  es.cluster().create_index("achilles-results-x", elasticsearch::results_index_body());
  es.append(demo_documents(50));
  TestServer server(loopback());
  server.load(demo_documents(200));
  auto client = server.client();
  auto total = [&] {
    return json::parse(client.get("/api/analytics/executions/paginated?from=now-90d", "admin-token").body)
        .at("pagination").at("totalItems").as_int64();
  };
  const auto embedded_total = total();
  CHECK(server.backend_name() == "embedded");
  REQUIRE(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":")" + cluster.url() + "\"}").status == 200);
  CHECK(server.backend_name() == "elasticsearch");
  CHECK(total() != embedded_total);
  CHECK(total() == json::parse(client.get("/api/analytics/executions/paginated?from=now-90d", "admin-token").body)
                       .at("pagination").at("totalItems").as_int64());
}

TEST_CASE("Elasticsearch failures answer 503 or 400 with the reason and never hang or crash", "[es][http][errors]") {
  ClusterAndReference setup(demo_documents(40));
  auto client = setup.server.client();
  auto error_of = [](const Reply& r) { return std::string(json::parse(r.body).at("error").as_string()); };

  setup.cluster.answer_next("POST", "/_search", 500, R"({"error":{"type":"node_not_connected_exception","reason":"gone"},"status":500})");
  auto r = client.get("/api/analytics/defense-score", "admin-token");
  CHECK(r.status == 503);
  CHECK(error_of(r).find("Elasticsearch") != std::string::npos);
  CHECK(error_of(r).find("node_not_connected_exception") != std::string::npos);

  setup.cluster.answer_next("POST", "/_search", 400,
                            R"({"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"bad field"}],"type":"search_phase_execution_exception","reason":"all shards failed"},"status":400})");
  r = client.get("/api/analytics/defense-score", "admin-token");
  CHECK(r.status == 400);
  CHECK(error_of(r) == "search_phase_execution_exception\n\tRoot causes:\n\t\tillegal_argument_exception: bad field");

  setup.cluster.answer_next("POST", "/_search", 200, "{not json");
  r = client.get("/api/analytics/defense-score", "admin-token");
  CHECK(r.status == 503);
  CHECK(error_of(r).find("not JSON") != std::string::npos);

  // a search is a read: a connection lost before any answer is retried once
  setup.cluster.drop_next("POST", "/_search");
  r = client.get("/api/analytics/defense-score", "admin-token");
  CHECK(r.status == 200);

  // afterwards everything works again
  CHECK(client.get("/api/analytics/defense-score", "admin-token").status == 200);
}

TEST_CASE("a cluster slower than the configured timeout gives 503 within the timeout", "[es][http][errors]") {
  ::setenv("ACHILLES_ES_TIMEOUT_MS", "400", 1);
  ClusterAndReference setup(demo_documents(10));
  ::unsetenv("ACHILLES_ES_TIMEOUT_MS");
  setup.cluster.answer_next("POST", "/_search", 200, "{}", std::chrono::milliseconds(3000));
  auto client = setup.server.client();
  const auto started = std::chrono::steady_clock::now();
  const auto r = client.get("/api/analytics/defense-score", "admin-token");
  const auto waited = std::chrono::steady_clock::now() - started;
  CHECK(r.status == 503);
  CHECK(json::parse(r.body).at("error").as_string().starts_with("Elasticsearch did not answer within 400 ms"));
  CHECK(waited < std::chrono::milliseconds(2500));
}

TEST_CASE("an unreachable cluster gives 503 naming Elasticsearch", "[es][http][errors]") {
  TestServer server(loopback());
  auto client = server.client();
  // a port nobody listens on: bind one, note it, close it
  unsigned short port = 0;
  {
    FakeElasticsearch gone;
    port = gone.port();
  }
  REQUIRE(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":"http://127.0.0.1:)" + std::to_string(port) + "\"}").status == 200);
  const auto r = client.get("/api/analytics/defense-score", "admin-token");
  CHECK(r.status == 503);
  CHECK(json::parse(r.body).at("error").as_string().starts_with("Elasticsearch is unreachable at http://127.0.0.1:"));
}

TEST_CASE("settings/test reports the cluster version or the reason it cannot connect", "[es][http][settings]") {
  FakeElasticsearch cluster;
  TestServer server(loopback());
  auto client = server.client();
  auto test = [&](const std::string& token, const std::string& body) {
    return client.request(beast_http::verb::post, "/api/analytics/settings/test", token, body);
  };
  // It makes the server connect where the caller says: only who may change the settings may test them.
  CHECK(test("explorer-token", R"({"connectionType":"direct","node":")" + cluster.url() + "\"}").status == 403);
  CHECK(cluster.requests().empty());
  auto ok = test("admin-token", R"({"connectionType":"direct","node":")" + cluster.url() + "\"}");
  CHECK(ok.status == 200);
  CHECK(json::parse(ok.body) == json::parse(R"({"success":true,"version":"8.17.0"})"));

  auto metadata = test("admin-token", R"({"connectionType":"direct","node":"http://169.254.169.254/"})");
  CHECK(metadata.status == 200);
  CHECK(json::parse(metadata.body).at("success") == false);

  auto refused = test("admin-token", R"({"connectionType":"direct","node":"http://127.0.0.1:1"})");
  CHECK(refused.status == 200);
  CHECK(json::parse(refused.body).at("error").as_string().starts_with("Elasticsearch is unreachable"));

  CHECK(test("admin-token", R"({"connectionType":7})").status == 400);
}

TEST_CASE("settings/test uses the stored credentials unless the body brings others", "[es][http][settings][security]") {
  FakeElasticsearch cluster;
  cluster.require_authorization("ApiKey s3cret");
  TestServer server(loopback());
  auto client = server.client();
  REQUIRE(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":")" + cluster.url() + R"(","apiKey":"s3cret"})").status == 200);
  const std::string body = R"({"connectionType":"direct","node":")" + cluster.url() + "\"}";
  const auto before = cluster.requests().size();
  CHECK(client.request(beast_http::verb::post, "/api/analytics/settings/test", "explorer-token", body).status == 403);
  CHECK(client.request(beast_http::verb::post, "/api/analytics/settings/test", "operator-token", body).status == 403);
  CHECK(cluster.requests().size() == before);
  const auto admin = client.request(beast_http::verb::post, "/api/analytics/settings/test", "admin-token", body);
  CHECK(json::parse(admin.body).at("success") == true);
  const auto own = client.request(beast_http::verb::post, "/api/analytics/settings/test", "admin-token",
                                  R"({"connectionType":"direct","node":")" + cluster.url() + R"(","apiKey":"wrong"})");
  CHECK(own.status == 200);
  CHECK(json::parse(own.body).at("success") == false);
  CHECK(cluster.requests().back().headers.at("authorization") == "ApiKey wrong");
}

TEST_CASE("indices are listed and created on the cluster, creating twice is not an error", "[es][http][indices]") {
  ClusterAndReference setup(demo_documents(25));
  auto client = setup.server.client();
  auto create = [&](const std::string& body) {
    return client.request(beast_http::verb::post, "/api/analytics/index/create", "admin-token", body);
  };
  auto first = create(R"({"index_name":"achilles-results-new"})");
  CHECK(json::parse(first.body) ==
        json::parse(R"({"success":true,"created":true,"message":"Index \"achilles-results-new\" created successfully"})"));
  auto again = create(R"({"index_name":"achilles-results-new"})");
  CHECK(json::parse(again.body).at("created") == false);
  CHECK(create(R"({"index_name":"Bad_Name"})").status == 400);
  CHECK(create(R"({})").status == 400);
  CHECK(client.request(beast_http::verb::post, "/api/analytics/index/create", "explorer-token",
                       R"({"index_name":"x"})").status == 403);

  const auto listed = json::parse(client.get("/api/analytics/indices", "admin-token").body);
  const auto& indices = listed.at("indices").as_array();
  REQUIRE(indices.size() == 2);
  CHECK(indices[0].at("name") == "achilles-results-http");
  CHECK(indices[0].at("docsCount") == 25);
  CHECK(indices[1].at("name") == "achilles-results-new");
  CHECK(json::parse(client.get("/api/analytics/indices?pattern=nothing-*", "admin-token").body).at("indices").as_array().empty());
}

TEST_CASE("with the embedded store serving, the index listing describes it and creating one is refused plainly",
          "[es][http][indices]") {
  TestServer server;
  server.load(demo_documents(40));
  auto client = server.client();
  const auto r = client.get("/api/analytics/indices?pattern=achilles-results-*", "admin-token");
  REQUIRE(r.status == 200);
  const auto listed = json::parse(r.body);
  CHECK(listed.at("success") == true);
  const auto& indices = listed.at("indices").as_array();
  REQUIRE(indices.size() == 1);
  CHECK(indices[0].at("name") == "embedded");
  CHECK(indices[0].at("docsCount") == 40);
  CHECK(indices[0].at("status") == "green");
  CHECK(indices[0].at("storeSize").is_int64());
  CHECK(client.get("/api/analytics/indices", "keyless-token").status == 403);

  const auto create = client.request(beast_http::verb::post, "/api/analytics/index/create", "admin-token",
                                     R"({"index_name":"achilles-results-new"})");
  CHECK(create.status == 400);
  CHECK(json::parse(create.body).at("error").as_string().starts_with("The embedded store needs no index"));
}

TEST_CASE("readiness: 200 while the store of the moment answers, 503 with the reason when it does not, no credential",
          "[es][http][ready]") {
  TestServer server(loopback());
  auto client = server.client();
  const auto ready = client.get("/api/ready", "");
  CHECK(ready.status == 200);
  CHECK(json::parse(ready.body) == json::parse(R"({"status":"ready"})"));
  CHECK(client.get("/api/health", "").status == 200);

  unsigned short port = 0;
  {
    FakeElasticsearch gone;
    port = gone.port();
  }
  REQUIRE(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":"http://127.0.0.1:)" + std::to_string(port) + "\"}").status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // readiness asks the store at most once a second
  const auto unready = client.get("/api/ready", "");
  CHECK(unready.status == 503);
  const auto body = json::parse(unready.body);
  CHECK(body.at("success") == false);
  CHECK(body.at("error").as_string().starts_with("Not ready: Elasticsearch is unreachable at http://127.0.0.1:"));
  CHECK(client.get("/api/health", "").status == 200);  // liveness does not depend on the store
}

TEST_CASE("readiness: while one probe waits on a slow cluster, the others get the last verdict at once",
          "[es][http][ready]") {
  ClusterAndReference setup(demo_documents(10));
  auto first = setup.server.client();
  REQUIRE(first.get("/api/ready", "").status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the verdict is now due again

  setup.cluster.answer_next("GET", "/", 200, R"({"version":{"number":"8.15.0"}})", std::chrono::milliseconds(1500));
  auto slow = std::async(std::launch::async, [&first] { return first.get("/api/ready", ""); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the slow probe is asking
  auto second = setup.server.client();
  const auto quick = second.get("/api/ready", "");
  CHECK(quick.status == 200);  // the last verdict, given while the cluster is still being asked
  CHECK(slow.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  CHECK(slow.get().status == 200);

  // A cluster that does not answer for longer is not ready, whatever it said before.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  setup.cluster.answer_next("GET", "/", 200, R"({"version":{"number":"8.15.0"}})", std::chrono::milliseconds(3500));
  auto hung = std::async(std::launch::async, [&first] { return first.get("/api/ready", ""); });
  std::this_thread::sleep_for(std::chrono::milliseconds(2300));
  const auto waited = second.get("/api/ready", "");
  CHECK(waited.status == 503);
  CHECK(json::parse(waited.body).at("error").as_string().starts_with("Not ready: the results store has not answered for "));
  CHECK(hung.get().status == 200);
}

namespace {
// Requests to the results indices, and to the risk acceptances index.
std::pair<std::size_t, std::size_t> requests_by_index(const FakeElasticsearch& cluster) {
  std::size_t results = 0, acceptances = 0;
  for (const auto& r : cluster.requests()) {
    if (r.target.starts_with("/achilles-results-*/")) ++results;
    else if (r.target.starts_with("/achilles-risk-acceptances/")) ++acceptances;
  }
  return {results, acceptances};
}
}  // namespace

TEST_CASE("every dashboard endpoint asks the results one Elasticsearch request, with risk acceptances too",
          "[es][http][requests]") {
  const auto docs = demo_documents(300);
  ClusterAndReference setup(docs);
  auto client = setup.server.client();
  for (const char* path : kDashboardGets) {
    INFO(path);
    setup.cluster.clear_requests();
    CHECK(client.get(std::string("/api/analytics") + path, "admin-token").status == 200);
    // The score family first reads the active acceptances (no cache: D10).
    const std::string p = path;
    const std::size_t reads_acceptances = p.starts_with("/defense-score") || p.starts_with("/threat-actor-coverage") ? 1 : 0;
    CHECK(requests_by_index(setup.cluster) == std::pair<std::size_t, std::size_t>{1, reads_acceptances});
    CHECK(setup.cluster.requests().size() == 1 + reads_acceptances);
  }

  // An acceptance makes the score and its trend ask adjusted and real counts: still one round trip.
  const auto latest = std::max_element(docs.begin(), docs.end(), [](const auto& a, const auto& b) {
    return a.event_time_ms.value_or(0) < b.event_time_ms.value_or(0);
  });
  const std::string acceptance = R"({"test_name":")" + latest->test_name.first() + R"(","justification":"Known noise"})";
  REQUIRE(client.request(beast_http::verb::post, "/api/risk-acceptances", "admin-token", acceptance).status == 201);
  auto reference = setup.reference.client();
  REQUIRE(reference.request(beast_http::verb::post, "/api/risk-acceptances", "admin-token", acceptance).status == 201);
  for (const char* path : {"/defense-score", "/defense-score?scoringMode=any-stage", "/defense-score/trend?from=now-30d"}) {
    INFO(path);
    setup.cluster.clear_requests();
    const auto a = client.get(std::string("/api/analytics") + path, "admin-token");
    const auto sent = setup.cluster.requests();
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].target == "/achilles-risk-acceptances/_search");
    CHECK(sent[1].target == "/achilles-results-*/_msearch");
    CHECK(json::parse(a.body) == json::parse(reference.get(std::string("/api/analytics") + path, "admin-token").body));
  }
  CHECK(json::parse(client.get("/api/analytics/defense-score", "admin-token").body).at("riskAcceptedCount").as_int64() > 0);
}

TEST_CASE("risk acceptances live on the cluster while it serves, in the original's index and format", "[es][http][risk]") {
  ClusterAndReference setup(demo_documents(50));
  auto client = setup.server.client();
  const auto created = client.request(beast_http::verb::post, "/api/risk-acceptances", "admin-token",
                                      R"({"test_name":"Some Test","hostname":"h1","justification":"Known false positive on h1"})");
  REQUIRE(created.status == 201);
  const auto record = json::parse(created.body).at("data").as_object();
  const std::string id(record.at("acceptance_id").as_string());
  CHECK(setup.cluster.document_count("achilles-risk-acceptances") == 1);

  // Stored as the original stores it: the record's own fields, times in ISO-8601.
  HttpClient raw(setup.cluster.port());
  const auto stored = json::parse(raw.get("/achilles-risk-acceptances/_doc/" + id, "").body).at("_source").as_object();
  CHECK(stored.at("test_name") == "Some Test");
  CHECK(stored.at("scope") == "host");
  CHECK(stored.at("status") == "active");
  CHECK(stored.at("accepted_at") == "2025-01-20T12:34:56.789Z");
  const auto mapping = json::parse(raw.get("/achilles-risk-acceptances/_mapping", "").body);
  CHECK(mapping.at("achilles-risk-acceptances").at("mappings").at("properties").at("org_id").at("type") == "keyword");

  CHECK(json::parse(client.get("/api/risk-acceptances", "admin-token").body).at("total") == 1);
  CHECK(client.get("/api/risk-acceptances/" + id, "admin-token").status == 200);
  const auto revoked = client.request(beast_http::verb::post, "/api/risk-acceptances/" + id + "/revoke", "admin-token",
                                      R"({"reason":"No longer accepted at all"})");
  CHECK(revoked.status == 200);
  CHECK(client.request(beast_http::verb::post, "/api/risk-acceptances/" + id + "/revoke", "admin-token",
                       R"({"reason":"No longer accepted at all"})").status == 409);
  CHECK(json::parse(raw.get("/achilles-risk-acceptances/_doc/" + id, "").body).at("_source").at("status") == "revoked");
}

TEST_CASE("an unreachable cluster makes the risk acceptance routes 503, never an answer from the wrong store", "[es][http][risk]") {
  TestServer server(loopback());
  auto client = server.client();
  REQUIRE(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":"http://127.0.0.1:1"})").status == 200);
  const auto listed = client.get("/api/risk-acceptances", "admin-token");
  CHECK(listed.status == 503);
  CHECK(json::parse(listed.body).at("success") == false);
  CHECK(client.request(beast_http::verb::post, "/api/risk-acceptances", "admin-token",
                       R"({"test_name":"T","justification":"Known false positive"})").status == 503);
}

TEST_CASE("the host-test matrix answers on a fleet whose host and test buckets exceed search.max_buckets",
          "[es][http][matrix]") {
  // 60 hosts x 2 tests: 120 cells. A terms-in-terms request builds 60 + 120
  // buckets; the original's composite of 1000 cells builds 120.
  std::vector<ResultDocument> docs;
  for (int h = 0; h < 60; ++h)
    for (int t = 0; t < 2; ++t)
      docs.push_back(ResultBuilder("d" + std::to_string(h) + "-" + std::to_string(t), TestServer::kNow - 3'600'000)
                         .host("host-" + std::to_string(100 + h))
                         .test(t ? "Test B" : "Test A", t ? "u-b" : "u-a"));
  ClusterAndReference setup(docs);
  setup.cluster.max_buckets(150);
  const auto a = setup.server.client().get("/api/analytics/host-test-matrix?from=now-1d", "admin-token");
  const auto b = setup.reference.client().get("/api/analytics/host-test-matrix?from=now-1d", "admin-token");
  CHECK(a.status == 200);
  CHECK(json::parse(a.body) == json::parse(b.body));
  const auto cells = json::parse(a.body).as_array();
  REQUIRE(cells.size() == 120);
  CHECK(cells[0] == json::parse(R"({"hostname":"host-100","testName":"Test A","count":1})"));
  CHECK(cells[1] == json::parse(R"({"hostname":"host-100","testName":"Test B","count":1})"));
  // What the limit does to a request that builds more buckets than it allows.
  setup.cluster.max_buckets(100);
  const auto refused = setup.server.client().get("/api/analytics/host-test-matrix?from=now-1d", "admin-token");
  CHECK(refused.status == 400);
  CHECK(refused.body.find("too many buckets") != std::string::npos);
}

TEST_CASE("settings/test never sends the stored key to another node", "[es][http][settings][security]") {
  FakeElasticsearch stored_cluster, other;
  TestServer server(loopback());
  auto client = server.client();
  REQUIRE(client.request(beast_http::verb::post, "/api/analytics/settings", "admin-token",
                         R"({"connectionType":"direct","node":")" + stored_cluster.url() + R"(","apiKey":"s3cret"})").status == 200);
  const auto tested = client.request(beast_http::verb::post, "/api/analytics/settings/test", "admin-token",
                                     R"({"connectionType":"direct","node":")" + other.url() + "\"}");
  CHECK(tested.status == 200);
  REQUIRE_FALSE(other.requests().empty());
  CHECK(other.requests().back().headers.count("authorization") == 0);
}
