// Enrichment's evidence questions on Elasticsearch: one _msearch of
// `size: 5`, `_source: false` searches on achilles-defender, each answered on
// its own (defender-spec §7.2 steps 3–4).
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "achilles/elasticsearch/elasticsearch_defender_store.hpp"
#include "achilles/elasticsearch/http_transport.hpp"
#include "fakes/fake_elasticsearch.hpp"
#include "support/loopback_policy.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
using achilles::testing::FakeElasticsearch;
namespace json = boost::json;

namespace {

ElasticsearchDefenderStore store_on(const FakeElasticsearch& cluster) {
  EsConnection c;
  c.base_url = cluster.url();
  c.policy = achilles::testing::loopback_policy();
  return ElasticsearchDefenderStore(std::make_shared<HttpTransport>(c));
}

EvidenceQuestion question(std::string uuid) {
  return {{1'795'960'800'000, 1'795'962'600'000}, "WIN10-LAB-07", {std::move(uuid), std::nullopt, std::nullopt}};
}

}  // namespace

TEST_CASE("evidence questions go as one _msearch, and a failed one leaves the others standing", "[es][defender][enrichment]") {
  FakeElasticsearch cluster;
  auto store = store_on(cluster);
  cluster.answer_next("POST", "/achilles-defender/_msearch", 200, R"({"took":3,"responses":[
      {"error":{"root_cause":[{"type":"es_rejected_execution_exception","reason":"rejected execution"}],
                "type":"es_rejected_execution_exception","reason":"rejected execution"},"status":429},
      {"took":1,"timed_out":false,"hits":{"total":{"value":7,"relation":"eq"},"max_score":null,
        "hits":[{"_index":"achilles-defender","_id":"alert-da63","_score":1.0}]},"status":200}]})");
  const auto answers = store.answer_evidence({question("b1f3c9e2-5d7a-4e61-9f08-2c4b6d8e0a13"), question("c2")});
  REQUIRE(answers.size() == 2);
  CHECK(answers[0].error.find("es_rejected_execution_exception") != std::string::npos);
  CHECK(answers[0].total == 0);
  CHECK(answers[1].error.empty());
  CHECK(answers[1].total == 7);
  CHECK(answers[1].alert_ids == std::vector<std::string>{"alert-da63"});
  // What was sent: two searches, each for five ids at most, no documents.
  const auto requests = cluster.requests();
  REQUIRE_FALSE(requests.empty());
  const auto& sent = requests.back();
  CHECK(sent.target == "/achilles-defender/_msearch");
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = sent.body.find('\n', at)) != std::string::npos; ++at) ++lines;
  CHECK(lines == 4);
  const auto first = json::parse(sent.body.substr(sent.body.find('\n') + 1, sent.body.find('\n', sent.body.find('\n') + 1) - sent.body.find('\n') - 1));
  CHECK(first.at("size") == 5);
  CHECK(first.at("_source") == false);
  CHECK(json::serialize(first).find("\"evidence_filenames.keyword\":{\"value\":\"b1f3c9e2-5d7a-4e61-9f08-2c4b6d8e0a13*\"}") != std::string::npos);
}
