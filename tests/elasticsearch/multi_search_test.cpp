// Questions a use case asks together go to Elasticsearch as one _msearch:
// the exact wire request, and each way its answer can fail.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "support/loopback_policy.hpp"
#include "achilles/elasticsearch/breakdown_dsl.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "achilles/elasticsearch/elasticsearch_results_index.hpp"
#include "achilles/elasticsearch/page_dsl.hpp"
#include "achilles/elasticsearch/tally_dsl.hpp"
#include "achilles/errors.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "support/result_builder.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
using achilles::testing::FakeElasticsearch;
namespace json = boost::json;
using achilles::testing::everything;

namespace {

ElasticsearchResultsIndex results_on(const FakeElasticsearch& cluster) {
  EsConnection c;
  c.base_url = cluster.url();
  c.policy = achilles::testing::loopback_policy();
  return ElasticsearchResultsIndex(std::make_shared<HttpTransport>(c), {"achilles-results-*", "achilles-results-t", "none"});
}

const auto kHosts = BreakdownQuestion::top(Dimension::keyword(KeywordField::Hostname), 10);

const char* const kOkTally = R"({"hits":{"total":{"value":0,"relation":"eq"},"hits":[]},"status":200})";

}  // namespace

TEST_CASE("questions asked together are one _msearch of their _search bodies on the read pattern", "[es][dsl][msearch]") {
  FakeElasticsearch cluster;
  auto results = results_on(cluster);
  REQUIRE(results.cluster().create_index("achilles-results-t", json::object{}));
  cluster.clear_requests();

  const BatchedQuestion asked[] = {TallyAsk{everything(), ScoringMode::AnyStage}, BreakdownAsk{everything(), kHosts},
                                   DistinctAsk{everything(), KeywordField::TestUuid}};
  const auto answers = results.ask_all(asked);
  CHECK(answers.size() == 3);

  const auto sent = cluster.requests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].method == "POST");
  CHECK(sent[0].target == "/achilles-results-*/_msearch");
  CHECK(sent[0].headers.at("content-type") == "application/x-ndjson");
  const std::string expected = "{}\n" + json::serialize(tally_request(everything(), ScoringMode::AnyStage)) + "\n{}\n" +
                               json::serialize(breakdown_request(everything(), kHosts)) + "\n{}\n" +
                               json::serialize(distinct_request(everything(), KeywordField::TestUuid)) + "\n";
  CHECK(sent[0].body == expected);
}

TEST_CASE("one question alone stays a plain _search", "[es][dsl][msearch]") {
  FakeElasticsearch cluster;
  auto results = results_on(cluster);
  REQUIRE(results.cluster().create_index("achilles-results-t", json::object{}));
  cluster.clear_requests();
  const BatchedQuestion one[] = {TallyAsk{everything(), ScoringMode::AllStages}};
  results.ask_all(one);
  REQUIRE(cluster.requests().size() == 1);
  CHECK(cluster.requests()[0].target == "/achilles-results-*/_search");
}

TEST_CASE("a failed search inside an _msearch fails the batch with Elasticsearch's reason", "[es][errors][msearch]") {
  FakeElasticsearch cluster;
  auto results = results_on(cluster);
  const BatchedQuestion two[] = {TallyAsk{everything(), ScoringMode::AllStages}, TallyAsk{everything(), ScoringMode::AllStages}};

  SECTION("a 4xx item is a rejection naming its error") {
    cluster.answer_next("POST", "_msearch", 200,
                        std::string(R"({"took":1,"responses":[)") + kOkTally +
                            R"(,{"error":{"root_cause":[{"type":"query_shard_exception","reason":"No mapping found for [f0rtika.test_name]"}],)"
                            R"("type":"search_phase_execution_exception","reason":"all shards failed"},"status":400}]})");
    try {
      results.ask_all(two);
      FAIL("no exception");
    } catch (const BackendRejected& e) {
      CHECK(std::string(e.what()).find("search_phase_execution_exception") != std::string::npos);
      CHECK(std::string(e.what()).find("No mapping found for [f0rtika.test_name]") != std::string::npos);
    }
  }
  SECTION("a throttled item is a rejection and a 5xx item means Elasticsearch is unavailable") {
    cluster.answer_next("POST", "_msearch", 200,
                        std::string(R"({"responses":[)") + kOkTally +
                            R"(,{"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"},"status":429}]})");
    CHECK_THROWS_AS(results.ask_all(two), BackendRejected);  // 429 is a 4xx: the client is told to slow down
    cluster.answer_next("POST", "_msearch", 200,
                        std::string(R"({"responses":[)") + kOkTally +
                            R"(,{"error":{"type":"node_not_connected_exception","reason":"gone"},"status":503}]})");
    CHECK_THROWS_AS(results.ask_all(two), BackendUnavailable);
  }
  SECTION("an answer without one response per search is not read as zeros") {
    cluster.answer_next("POST", "_msearch", 200, std::string(R"({"responses":[)") + kOkTally + "]}");
    CHECK_THROWS_AS(results.ask_all(two), BackendUnavailable);
    cluster.answer_next("POST", "_msearch", 200, R"({"took":1})");
    CHECK_THROWS_AS(results.ask_all(two), BackendUnavailable);
  }
  SECTION("the whole _msearch refused is a rejection too") {
    cluster.answer_next("POST", "_msearch", 400,
                        R"({"error":{"type":"illegal_argument_exception","reason":"The msearch request must be terminated by a newline [\n]"},"status":400})");
    CHECK_THROWS_AS(results.ask_all(two), BackendRejected);
  }
}
