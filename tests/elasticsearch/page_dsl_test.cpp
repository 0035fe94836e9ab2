// Golden tests: the page, run-page and distinct-count requests (analytics-spec
// §3.4.2-3, §3.6), and how their answers read, both forms of hits.total included.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "achilles/elasticsearch/page_dsl.hpp"
#include "achilles/elasticsearch/painless_scripts.hpp"
#include "achilles/errors.hpp"
#include "support/result_builder.hpp"

using namespace achilles;
using namespace achilles::elasticsearch;
namespace json = boost::json;
using achilles::testing::everything;

TEST_CASE("a page sorts by the asked field with missing values last and counts every match", "[es][dsl][page]") {
  PageQuestion q{SortField::Severity, false, 50, 25};
  const auto body = page_request(everything(), q);
  CHECK(body.at("from") == 50);
  CHECK(body.at("size") == 25);
  CHECK(body.at("track_total_hits") == true);
  CHECK(body.at("sort") == json::parse(R"([{"f0rtika.severity":{"order":"asc","missing":"_last"}}])"));
}

TEST_CASE("a page past Elasticsearch's result window is refused before it is sent", "[es][dsl][page]") {
  CHECK_NOTHROW(page_request(everything(), PageQuestion{SortField::EventTime, true, 9'975, 25}));
  CHECK_THROWS_AS(page_request(everything(), PageQuestion{SortField::EventTime, true, 9'976, 25}), InvalidArgument);
}

TEST_CASE("a page answer reads hits as documents with their ids and either form of hits.total", "[es][dsl][page]") {
  const auto modern = page_response(json::parse(R"({"hits":{"total":{"value":42,"relation":"eq"},"hits":[
      {"_id":"d1","_source":{"routing":{"event_time":"2025-01-20T10:00:00.000Z","hostname":"h1"},"event":{"ERROR":126},
                              "f0rtika":{"test_uuid":"u1","test_name":"T1","is_protected":true,"techniques":["T1059"]}}}]}})").as_object());
  CHECK(modern.total == 42);
  REQUIRE(modern.documents.size() == 1);
  CHECK(modern.documents[0].id == "d1");
  CHECK(modern.documents[0].event_time_ms == 1'737'367'200'000);
  CHECK(modern.documents[0].error_code == 126);
  CHECK(modern.documents[0].techniques == std::vector<std::string>{"T1059"});
  const auto legacy = page_response(json::parse(R"({"hits":{"total":7,"hits":[]}})").as_object());
  CHECK(legacy.total == 7);
  CHECK(page_response(json::parse("{}").as_object()).total == 0);
}

TEST_CASE("a hit whose source has a field of the wrong type is an error, not a silent default", "[es][dsl][page]") {
  CHECK_THROWS_AS(page_response(json::parse(R"({"hits":{"total":1,"hits":[{"_id":"x","_source":{"event":{"ERROR":"oops"}}}]}})").as_object()),
                  BackendRejected);
}

TEST_CASE("a run page asks for offset plus limit runs by latest time with members sorted by the page field", "[es][dsl][page]") {
  const auto body = run_page_request(everything(), PageQuestion{SortField::TestName, true, 20, 10});
  const auto& runs = body.at("aggs").at("runs").as_object();
  CHECK(runs.at("terms").at("size") == 30);
  CHECK(runs.at("terms").at("script").at("source") == kRunGroupKey.data());
  CHECK(runs.at("terms").at("order") == json::parse(R"({"latest":"desc"})"));
  CHECK(runs.at("aggs").at("members").at("top_hits").at("size") == 100);
  CHECK(runs.at("aggs").at("members").at("top_hits").at("sort") ==
        json::parse(R"([{"f0rtika.test_name":{"order":"desc","missing":"_last"}}])"));
  CHECK(runs.at("aggs").at("latest") == json::parse(R"({"max":{"field":"routing.event_time"}})"));
  CHECK(body.at("aggs").at("run_count").at("cardinality").at("script").at("source") == kRunGroupKey.data());
}

TEST_CASE("a run page answer drops the runs before the offset and reads keys and members", "[es][dsl][page]") {
  const auto page = run_page_response(json::parse(R"({"hits":{"total":{"value":5,"relation":"eq"}},"aggregations":{
      "run_count":{"value":3},
      "runs":{"buckets":[
        {"key":"standalone::u1::h1::1737367200000","doc_count":1,"latest":{"value":1.7373672E12},"members":{"hits":{"hits":[{"_id":"a","_source":{}}]}}},
        {"key":"bundle::b1::h1::1737360000000","doc_count":2,"latest":{"value":1.73736E12,"value_as_string":"x"},
         "members":{"hits":{"hits":[{"_id":"b","_source":{}},{"_id":"c","_source":{}}]}}}]}}})").as_object(),
                                      PageQuestion{SortField::EventTime, true, 1, 10});
  CHECK(page.total_documents == 5);
  CHECK(page.total_runs == 3);
  REQUIRE(page.runs.size() == 1);
  CHECK(page.runs[0].key == "bundle::b1::h1::1737360000000");
  CHECK(page.runs[0].bundle);
  CHECK(page.runs[0].latest_ms == 1'737'360'000'000);
  REQUIRE(page.runs[0].members.size() == 2);
  CHECK(page.runs[0].members[1].id == "c");
}

TEST_CASE("distinct counts ask a cardinality at the exact precision threshold", "[es][dsl]") {
  const auto body = distinct_request(everything(), KeywordField::Hostname);
  CHECK(body.at("aggs") == json::parse(R"({"distinct":{"cardinality":{"field":"routing.hostname","precision_threshold":40000}}})"));
  CHECK(distinct_response(json::parse(R"({"aggregations":{"distinct":{"value":12}}})").as_object()) == 12);
  CHECK(distinct_response(json::parse(R"({})").as_object()) == 0);
}
