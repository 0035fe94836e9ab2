// Golden tests: the request bodies the Elasticsearch adapter sends match the
// original's clause shapes (analytics-spec §2, §3.1 and §5 cases 4-10, 27),
// and its answers read back as the embedded engine's tallies.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "achilles/elasticsearch/query_dsl.hpp"
#include "achilles/elasticsearch/tally_dsl.hpp"
#include "achilles/query/filter_params.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
namespace json = boost::json;

namespace {
constexpr std::int64_t kNow = 1737376496789;
json::array filters(QueryParams q) {
  return filter_query(defense_score_filter(parse_filter_params(q, kNow), kNow)).at("bool").at("filter").as_array();
}
bool has(const json::array& clauses, const char* clause) {
  const json::value want = json::parse(clause);
  for (const auto& c : clauses)
    if (c == want) return true;
  return false;
}
}  // namespace

TEST_CASE("case 6: the default window and the org filter", "[es][dsl]") {
  auto f = filters({});
  CHECK(has(f, R"({"range":{"routing.event_time":{"gte":1736771696789,"format":"epoch_millis"}}})"));
  CHECK(has(f, R"({"bool":{"must":[{"exists":{"field":"f0rtika.test_uuid"}},{"exists":{"field":"f0rtika.test_name"}}]}})"));
  CHECK(has(f, R"({"terms":{"event.ERROR":[101,105,126,127]}})"));
  CHECK(has(filters({{"org", "org-uuid"}}), R"({"term":{"routing.oid":"org-uuid"}})"));
}

TEST_CASE("case 27: filter-bar clause shapes", "[es][dsl]") {
  CHECK(has(filters({{"result", "protected"}}), R"({"terms":{"event.ERROR":[105,126,127]}})"));
  CHECK(has(filters({{"result", "unprotected"}}), R"({"term":{"event.ERROR":101}})"));
  CHECK(has(filters({{"result", "inconclusive"}}), R"({"bool":{"must_not":{"terms":{"event.ERROR":[101,105,126,127]}}}})"));
  CHECK(has(filters({{"errorNames", "ExecutionPrevented,Unprotected"}}), R"({"terms":{"event.ERROR":[126,101]}})"));
  CHECK(has(filters({{"errorNames", "UnknownCustomError"}}), R"({"term":{"f0rtika.error_name":"UnknownCustomError"}})"));
  CHECK(has(filters({{"hostnames", "a,b"}}),
            R"({"bool":{"should":[{"term":{"routing.hostname":"a"}},{"term":{"routing.hostname":"b"}}],"minimum_should_match":1}})"));
  CHECK(has(filters({{"tests", "X"}}),  // D2: name or UUID
            R"({"bool":{"should":[{"term":{"f0rtika.test_name":"X"}},{"term":{"f0rtika.test_uuid":"X"}}],"minimum_should_match":1}})"));
}

TEST_CASE("risk exclusions become one must_not with a clause per acceptance", "[es][dsl]") {
  ResultFilter f;
  f.requires_event_time = false;
  f.exclusions = {{"G", std::nullopt, std::nullopt}, {"H", std::nullopt, std::string("h1")}, {"C", std::string("c1"), std::nullopt}};
  auto clauses = filter_query(f).at("bool").at("filter").as_array();
  CHECK(has(clauses, R"({"bool":{"must_not":[{"term":{"f0rtika.test_name":"G"}},)"
                     R"({"bool":{"must":[{"term":{"f0rtika.test_name":"H"}},{"term":{"routing.hostname":"h1"}}]}},)"
                     R"({"bool":{"must":[{"term":{"f0rtika.test_name":"C"}},{"term":{"f0rtika.control_id":"c1"}}]}}]}})"));
}

TEST_CASE("cases 5 and 10: the tally request in both modes", "[es][dsl]") {
  ResultFilter f;
  auto all = tally_request(f, ScoringMode::AllStages);
  CHECK(all.at("track_total_hits") == true);
  CHECK(all.at("size") == 0);
  CHECK(all.at("aggs").as_object().contains("combined"));
  auto any = tally_request(f, ScoringMode::AnyStage);
  CHECK_FALSE(any.contains("track_total_hits"));
  CHECK_FALSE(any.at("aggs").as_object().contains("combined"));
  const auto& bundle_must = any.at("aggs").at("per_bundle").at("filter").at("bool").at("must").as_array();
  CHECK(bundle_must[0] == json::parse(R"({"term":{"f0rtika.is_bundle_control":true}})"));
  CHECK(bundle_must[1] == json::parse(R"({"bool":{"must_not":[{"term":{"f0rtika.category":"cyber-hygiene"}}]}})"));
  CHECK(any.at("aggs").at("per_bundle").at("aggs").at("bundles").at("terms").at("size") == 10000);
}

TEST_CASE("cases 4 and 8: answers read back as tallies", "[es][dsl]") {
  auto bare = tally_response(json::parse(R"({"hits":{"total":50},"aggregations":{"combined":{"doc_count":25},"strict":{"doc_count":20}}})").as_object(),
                             ScoringMode::AllStages);
  CHECK(bare.documents == ProtectionTally{50, 20, 25});
  auto object_total = tally_response(json::parse(R"({"hits":{"total":{"value":7,"relation":"eq"}}})").as_object(), ScoringMode::AllStages);
  CHECK(object_total.documents == ProtectionTally{7, 0, 0});  // missing aggregations count as zero
  auto any = tally_response(json::parse(R"({"aggregations":{
      "per_doc":{"doc_count":100,"combined":{"doc_count":60},"strict":{"doc_count":60}},
      "per_bundle":{"doc_count":12,"bundles":{"buckets":[
        {"key":"b1::h","doc_count":3,"has_combined":{"doc_count":1},"has_strict":{"doc_count":1}},
        {"key":"b2::h","doc_count":3,"has_combined":{"doc_count":0},"has_strict":{"doc_count":0}},
        {"key":"b3::h","doc_count":3,"has_combined":{"doc_count":0},"has_strict":{"doc_count":0}},
        {"key":"b4::h","doc_count":3,"has_combined":{"doc_count":0},"has_strict":{"doc_count":0}}]}}}})").as_object(),
                            ScoringMode::AnyStage);
  CHECK(any.documents == ProtectionTally{100, 60, 60});
  CHECK(any.bundle_runs == ProtectionTally{4, 1, 1});
  CHECK(any.units() == 104);
}
