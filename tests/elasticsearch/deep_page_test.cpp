// Pages past Elasticsearch's 10,000-result window: the point-in-time walk
// with search_after, its exact requests, and that the point in time is
// always closed.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "support/loopback_policy.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/elasticsearch/elasticsearch_results_index.hpp"
#include "achilles/elasticsearch/page_dsl.hpp"
#include "achilles/elasticsearch/results_mapping.hpp"
#include "achilles/errors.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "support/result_builder.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
using achilles::testing::FakeElasticsearch;
namespace json = boost::json;
using achilles::testing::everything;

namespace {
EsConnection connection_to(const FakeElasticsearch& cluster) {
  EsConnection c;
  c.base_url = cluster.url();
  c.policy = achilles::testing::loopback_policy();
  return c;
}


struct LoadedCluster {
  FakeElasticsearch cluster;
  ElasticsearchResultsIndex results{std::make_shared<HttpTransport>(connection_to(cluster)),
                                    {"achilles-results-*", "achilles-results-t", "none"}};
  explicit LoadedCluster(int documents) {
    REQUIRE(results.cluster().create_index("achilles-results-t", results_index_body()));
    std::vector<ResultDocument> docs;
    for (int i = 0; i < documents; ++i)
      docs.push_back(achilles::testing::ResultBuilder("d" + std::to_string(i), 1'737'331'200'000 + i * 1000LL));
    results.append(docs);
    cluster.clear_requests();
  }
};

}  // namespace

TEST_CASE("a page past the window is asked in a point in time, sorted by the field then _shard_doc", "[es][dsl][page]") {
  const json::array after{1737331200000, 17};
  const auto body = pit_page_request(everything(), PageQuestion{SortField::Hostname, false, 12'000, 25}, "pit-1", 2'000,
                                     &after, false);
  CHECK(json::value(body) == json::parse(R"({
    "query":{"bool":{"filter":[{"bool":{"must":[{"exists":{"field":"f0rtika.test_uuid"}},
                                                 {"exists":{"field":"f0rtika.test_name"}}]}}]}},
    "size":2000,
    "sort":[{"routing.hostname":{"order":"asc","missing":"_last"}},{"_shard_doc":"asc"}],
    "pit":{"id":"pit-1","keep_alive":"1m"},
    "track_total_hits":true,
    "_source":false,
    "search_after":[1737331200000,17]})"));
  CHECK_FALSE(pit_page_request(everything(), PageQuestion{}, "p", 25, nullptr, true).contains("_source"));
  CHECK_FALSE(pit_page_request(everything(), PageQuestion{}, "p", 25, nullptr, true).contains("search_after"));
}

TEST_CASE("the walk opens a point in time, skips a window at a time, reads the page and closes it", "[es][page]") {
  LoadedCluster setup(10'060);
  PageQuestion q;
  q.offset = 10'020;
  q.limit = 25;
  const auto page = setup.results.page(everything(), q);
  CHECK(page.total == 10'060);
  REQUIRE(page.documents.size() == 25);
  CHECK(page.documents.front().id == "d39");  // newest first: d10059 is the first of all

  const auto sent = setup.cluster.requests();
  REQUIRE(sent.size() == 5);
  CHECK(sent[0].method == "POST");
  CHECK(sent[0].target == "/achilles-results-*/_pit?keep_alive=1m");
  // Skipping steps bring back sort values only; the first counts the total, the others need not.
  CHECK(sent[1].target == "/_search?filter_path=pit_id,hits.total,hits.hits.sort");
  CHECK(json::parse(sent[1].body).at("size") == 10'000);
  CHECK(json::parse(sent[1].body).at("_source") == false);
  CHECK(json::parse(sent[1].body).at("track_total_hits") == true);
  CHECK(sent[2].target == sent[1].target);
  CHECK(json::parse(sent[2].body).at("size") == 20);
  CHECK(json::parse(sent[2].body).at("track_total_hits") == false);
  CHECK(sent[3].target == "/_search");
  CHECK(json::parse(sent[3].body).at("size") == 25);
  CHECK(json::parse(sent[3].body).at("track_total_hits") == false);
  CHECK_FALSE(json::parse(sent[3].body).as_object().contains("_source"));
  CHECK(sent[4].method == "DELETE");
  CHECK(sent[4].target == "/_pit");
}

TEST_CASE("a failed step of the walk still closes the point in time and answers with the reason", "[es][page][errors]") {
  LoadedCluster setup(50);
  setup.cluster.answer_next("POST", "/_search", 404,
                            R"({"error":{"root_cause":[{"type":"search_context_missing_exception","reason":"No search context found for id [x]"}],)"
                            R"("type":"search_phase_execution_exception","reason":"all shards failed"},"status":404})");
  PageQuestion q;
  q.offset = 10'000;
  CHECK_THROWS_AS(setup.results.page(everything(), q), BackendRejected);
  const auto sent = setup.cluster.requests();
  REQUIRE_FALSE(sent.empty());
  CHECK(sent.back().method == "DELETE");
  CHECK(sent.back().target == "/_pit");
}

TEST_CASE("a page past the last document is empty and still counts them all", "[es][page]") {
  LoadedCluster setup(30);
  PageQuestion q;
  q.offset = 25'000;
  const auto page = setup.results.page(everything(), q);
  CHECK(page.documents.empty());
  CHECK(page.total == 30);
  CHECK(setup.cluster.requests().size() == 3);  // open, one search that counts too few, close
}
