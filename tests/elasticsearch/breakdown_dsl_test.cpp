#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "achilles/elasticsearch/breakdown_dsl.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
namespace json = boost::json;

TEST_CASE("a breakdown is a terms aggregation with the mode's unit measures", "[es][dsl]") {
  auto q = BreakdownQuestion::top(Dimension::keyword(KeywordField::TestName), 10);
  q.distinct = KeywordField::TestUuid;
  auto body = breakdown_request(ResultFilter{}, q);
  CHECK(body.at("size") == 0);
  const auto& agg = body.at("aggs").at("by_dimension").as_object();
  CHECK(agg.at("terms") == json::parse(R"({"field":"f0rtika.test_name","size":10})"));
  CHECK(agg.at("aggs").at("strict") == json::parse(R"({"filter":{"term":{"f0rtika.is_protected":true}}})"));
  CHECK(agg.at("aggs").at("distinct") == json::parse(R"({"cardinality":{"field":"f0rtika.test_uuid"}})"));
  auto codes = breakdown_request(ResultFilter{}, BreakdownQuestion::top(Dimension::error_code(), 20));
  CHECK(codes.at("aggs").at("by_dimension").at("terms").at("field") == "event.ERROR");
}

TEST_CASE("breakdown answers read back as buckets, nested and any-stage", "[es][dsl]") {
  auto q = BreakdownQuestion::top(Dimension::keyword(KeywordField::Category), 20, ScoringMode::AnyStage);
  q.then_by = Dimension::keyword(KeywordField::Subcategory);
  auto buckets = breakdown_response(json::parse(R"({"aggregations":{"by_dimension":{"buckets":[
    {"key":"intel-driven","doc_count":6,
     "per_doc":{"doc_count":0,"combined":{"doc_count":0},"strict":{"doc_count":0}},
     "per_bundle":{"doc_count":6,"bundles":{"buckets":[
        {"key":"b1::h","doc_count":3,"has_combined":{"doc_count":1},"has_strict":{"doc_count":1}},
        {"key":"b2::h","doc_count":3,"has_combined":{"doc_count":0},"has_strict":{"doc_count":0}}]}},
     "then_by":{"buckets":[{"key":"kill-chain","doc_count":3,
        "per_doc":{"doc_count":0},
        "per_bundle":{"doc_count":3,"bundles":{"buckets":[{"key":"b1::h","doc_count":3,"has_combined":{"doc_count":1},"has_strict":{"doc_count":1}}]}}}]}}]}}})").as_object(), q);
  REQUIRE(buckets.size() == 1);
  CHECK(buckets[0].key == "intel-driven");
  CHECK(buckets[0].documents == 6);
  CHECK(buckets[0].tally.bundle_runs == ProtectionTally{2, 1, 1});  // case 21's any-stage category
  REQUIRE(buckets[0].sub.size() == 1);
  CHECK(buckets[0].sub[0].tally.bundle_runs == ProtectionTally{1, 1, 1});
  CHECK(breakdown_response(json::object{}, q).empty());  // missing aggregations: no buckets
  auto codes = breakdown_response(json::parse(R"({"aggregations":{"by_dimension":{"buckets":[{"key":126,"doc_count":15}]}}})").as_object(),
                                  BreakdownQuestion::top(Dimension::error_code(), 50));
  CHECK(codes[0].key == "126");
}

TEST_CASE("case 11: a histogram is a calendar date_histogram with min_doc_count 0", "[es][dsl]") {
  HistogramQuestion q{CalendarInterval::Week, ScoringMode::AllStages, {{0, 1, 259, 999}}};
  auto body = histogram_request(ResultFilter{}, q);
  const auto& h = body.at("aggs").at("over_time").as_object();
  CHECK(h.at("date_histogram") == json::parse(R"({"field":"routing.event_time","calendar_interval":"week","min_doc_count":0})"));
  CHECK(h.at("aggs").at("code_set_0") == json::parse(R"({"filter":{"terms":{"event.ERROR":[0,1,259,999]}}})"));
  auto points = histogram_response(json::parse(R"({"aggregations":{"over_time":{"buckets":[
      {"key_as_string":"2024-01-01","key":1704067200000,"doc_count":10,"strict":{"doc_count":7},"combined":{"doc_count":8},"code_set_0":{"doc_count":2}},
      {"key":1704153600000,"doc_count":0}]}}})").as_object(), q);
  REQUIRE(points.size() == 2);
  CHECK(points[0].start_ms == 1704067200000);
  CHECK(points[0].tally.documents == ProtectionTally{10, 7, 8});
  CHECK(points[0].code_set_documents == std::vector<std::int64_t>{2});
  CHECK(points[1].tally.units() == 0);
}

TEST_CASE("coverage asks an unprotected filter beside the protected one, as the original", "[es][dsl]") {
  auto q = BreakdownQuestion::top(Dimension::keyword(KeywordField::TestName), 50);
  q.count_unprotected = true;
  const auto body = breakdown_request(ResultFilter{}, q);
  CHECK(body.at("aggs").at("by_dimension").at("aggs").at("unprotected") ==
        json::parse(R"({"filter":{"term":{"f0rtika.is_protected":false}}})"));
  const auto buckets = breakdown_response(json::parse(R"({"aggregations":{"by_dimension":{"buckets":[
    {"key":"T","doc_count":5,"combined":{"doc_count":2},"strict":{"doc_count":2},"unprotected":{"doc_count":2}}]}}})").as_object(), q);
  REQUIRE(buckets.size() == 1);
  CHECK(buckets[0].tally.documents.strict == 2);
  CHECK(buckets[0].unprotected_documents == 2);  // not 5 - 2: one document has no is_protected
}

TEST_CASE("the host-test matrix is the original's composite aggregation of 1000 cells", "[es][dsl]") {
  const auto body = key_pairs_request(ResultFilter{}, KeyPairQuestion{KeywordField::Hostname, KeywordField::TestName, 1000});
  CHECK(body.at("size") == 0);
  // One page of at most 1000 buckets: never near search.max_buckets, however large the fleet.
  CHECK(body.at("aggs") == json::parse(R"({"pairs":{"composite":{"size":1000,"sources":[
      {"first":{"terms":{"field":"routing.hostname"}}},{"second":{"terms":{"field":"f0rtika.test_name"}}}]}}})"));
  const auto cells = key_pairs_response(json::parse(R"({"aggregations":{"pairs":{"after_key":{"first":"h2","second":"B"},
    "buckets":[{"key":{"first":"h1","second":"A"},"doc_count":3},{"key":{"first":"h2","second":"B"},"doc_count":1}]}}})").as_object());
  CHECK(cells == std::vector<KeyPairBucket>{{"h1", "A", 3}, {"h2", "B", 1}});
}
