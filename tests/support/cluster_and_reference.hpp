#pragma once
inline const char* const kDashboardGets[] = {
    "/defense-score",
    "/defense-score?scoringMode=any-stage",
    "/defense-score?from=now-30d&result=protected&hostnames=WS-FIN-01,SRV-DC-02",
    "/defense-score/trend?from=now-30d",
    "/defense-score/trend?from=now-30d&windowDays=7&scoringMode=any-stage",
    "/defense-score/trend?from=now-30d&interval=week",
    "/defense-score/by-test?from=now-30d",
    "/defense-score/by-technique?from=now-30d",
    "/defense-score/by-severity?from=now-30d",
    "/defense-score/by-category?from=now-30d",
    "/defense-score/by-category-subcategory?from=now-30d&scoringMode=any-stage",
    "/defense-score/by-hostname?from=now-30d",
    "/defense-score/by-org?from=now-30d",
    "/threat-actor-coverage?from=now-30d",
    "/executions?from=now-30d",
    "/executions/paginated?from=now-30d&page=1&pageSize=25",
    "/executions/paginated?from=now-30d&page=3&pageSize=20&sortField=f0rtika.test_name&sortOrder=asc",
    "/executions/paginated?from=now-30d&grouped=true&page=1&pageSize=25",
    "/executions/paginated?from=now-30d&grouped=true&page=2&pageSize=10&sortOrder=asc",
    "/results-by-error-type?from=now-30d",
    "/test-coverage?from=now-30d",
    "/technique-distribution?from=now-30d",
    "/host-test-matrix?from=now-30d",
    "/error-rate?from=now-30d",
    "/error-rate/trend?from=now-30d",
    "/unique-hostnames?from=now-30d",
    "/unique-tests?from=now-30d",
    "/canonical-test-count",
    "/organizations",
    "/available-tests",
    "/available-techniques",
    "/executed-test-uuids",
    "/available-hostnames?from=now-30d",
    "/available-categories",
    "/available-severities",
    "/available-threat-actors",
    "/available-tags",
    "/available-error-names",
    "/available-error-codes?from=now-30d",
    "/available-bundle-names",
};

// A server whose settings point at the fake cluster, beside a reference
// server holding the same documents embedded, and the dashboard GETs whose
// answers must be equal from both.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "support/loopback_policy.hpp"
#include "achilles/demo/demo_results.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/elasticsearch/elasticsearch_results_index.hpp"
#include "achilles/elasticsearch/results_mapping.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "support/test_server.hpp"

namespace achilles::testing {

inline std::vector<ResultDocument> demo_documents(std::size_t n) {
  std::vector<ResultDocument> docs;
  generate_demo_results({n, 7, 30, TestServer::kNow}, [&](const ResultDocument& d) { docs.push_back(d); });
  for (std::size_t i = 0; i < docs.size(); ++i)
    if (docs[i].id.empty()) docs[i].id = "demo-" + std::to_string(i);
  return docs;
}

inline std::vector<IpNetwork> loopback() { return {*IpNetwork::parse("127.0.0.0/8")}; }

inline elasticsearch::ElasticsearchResultsIndex adapter_on(const FakeElasticsearch& cluster, const std::string& index) {
  elasticsearch::EsConnection c;
  c.base_url = cluster.url();
  c.policy = loopback_policy();
  return elasticsearch::ElasticsearchResultsIndex(std::make_shared<elasticsearch::HttpTransport>(c),
                                                  {index, index, "none"});
}

// A server whose settings point at the fake cluster holding `docs` in
// achilles-results-http, beside a reference server holding them embedded.
struct ClusterAndReference {
  FakeElasticsearch cluster;
  TestServer server{loopback()};
  TestServer reference;

  explicit ClusterAndReference(const std::vector<ResultDocument>& docs, std::string settings_extra = "") {
    auto es = adapter_on(cluster, "achilles-results-http");
    REQUIRE(es.cluster().create_index("achilles-results-http", elasticsearch::results_index_body()));
    REQUIRE(es.append(docs).added == docs.size());
    reference.load(docs);
    point_server_at_cluster(settings_extra);
  }

  // The cluster receives `bulk` byte for byte, as a writer's _bulk request
  // (into `index`, created with the canonical mapping); the reference server
  // holds `docs`, what the import read from the same lines.
  ClusterAndReference(const std::string& index, const std::string& bulk, const std::vector<ResultDocument>& docs) {
    auto es = adapter_on(cluster, index);
    REQUIRE(es.cluster().create_index(index, elasticsearch::results_index_body()));
    const auto answer = es.cluster().call_ndjson("/_bulk?refresh=true", bulk, elasticsearch::Idempotent::No);
    REQUIRE_FALSE(answer.at("errors").as_bool());
    reference.load(docs);
    point_server_at_cluster("");
  }

  // Every dashboard GET answers 200 with the same JSON from both.
  void check_every_dashboard_get_answers_the_same() {
    auto from_cluster = server.client();
    auto from_embedded = reference.client();
    for (const char* path : kDashboardGets) {
      INFO(path);
      const auto a = from_cluster.get(std::string("/api/analytics") + path, "admin-token");
      const auto b = from_embedded.get(std::string("/api/analytics") + path, "admin-token");
      CHECK(a.status == 200);
      CHECK(a.status == b.status);
      CHECK(boost::json::parse(a.body) == boost::json::parse(b.body));
    }
  }

private:
  void point_server_at_cluster(const std::string& settings_extra) {
    const auto saved = server.client().request(
        boost::beast::http::verb::post, "/api/analytics/settings", "admin-token",
        R"({"connectionType":"direct","node":")" + cluster.url() + "\"" + settings_extra + "}");
    REQUIRE(saved.status == 200);
    REQUIRE(server.backend_name() == "elasticsearch");
  }
};

inline std::string file_text(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}


}  // namespace achilles::testing
