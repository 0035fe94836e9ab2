#include "fakes/fake_elasticsearch.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "achilles/elasticsearch/painless_scripts.hpp"
#include "achilles/query/date_math.hpp"
#include "support/http_client.hpp"

namespace json = boost::json;
using achilles::testing::FakeElasticsearch;
using achilles::testing::HttpClient;
using achilles::testing::Reply;
using boost::beast::http::verb;

namespace {

const char* kMapping = R"({"mappings":{"properties":{
  "routing":{"properties":{"event_time":{"type":"date"},"hostname":{"type":"keyword"},"oid":{"type":"keyword"}}},
  "event":{"properties":{"ERROR":{"type":"integer"}}},
  "f0rtika":{"properties":{"test_uuid":{"type":"keyword"},"test_name":{"type":"keyword"},"is_protected":{"type":"boolean"},
    "techniques":{"type":"keyword"},"bundle_id":{"type":"keyword"},"is_bundle_control":{"type":"boolean"}}}}}})";

// d3's time has nanoseconds and d4's an offset: 2025-01-23T00:00+02:00 is 2025-01-22T22:00Z.
const char* kDocuments =
    R"({"create":{"_index":"results-a","_id":"d1"}}
{"routing":{"event_time":"2025-01-20T10:00:00.000Z","oid":"org-1","hostname":"h1"},"event":{"ERROR":126},"f0rtika":{"test_uuid":"u1","test_name":"T1","is_protected":true,"techniques":["T1059","T1003"]}}
{"create":{"_index":"results-a","_id":"d2"}}
{"routing":{"event_time":"2025-01-20T11:30:00Z","oid":"org-1","hostname":"h2"},"event":{"ERROR":0},"f0rtika":{"test_uuid":"u1","test_name":"T1","is_protected":false,"techniques":["T1059"]}}
{"create":{"_index":"results-a","_id":"d3"}}
{"routing":{"event_time":"2025-01-22T09:00:00.123456789Z","oid":"org-2","hostname":"h1"},"event":{"ERROR":126},"f0rtika":{"test_uuid":"u2","test_name":"T2","is_protected":true,"techniques":[],"bundle_id":"b1","is_bundle_control":true}}
{"create":{"_index":"results-a","_id":"d4"}}
{"routing":{"event_time":"2025-01-23T00:00:00+02:00","oid":"org-2","hostname":"h3"},"event":{"ERROR":259},"f0rtika":{"test_uuid":"u3","test_name":"T3","techniques":"T1003"}}
)";

std::int64_t ms(std::int64_t y, unsigned m, unsigned d, std::int64_t hour = 0, std::int64_t minute = 0) {
  return achilles::days_from_civil(y, m, d) * achilles::kMillisPerDay + (hour * 60 + minute) * 60'000;
}

struct Seeded {
  FakeElasticsearch es;
  HttpClient client{es.port()};

  Seeded() {
    REQUIRE(client.request(verb::put, "/results-a", "", kMapping).status == 200);
    REQUIRE(post("/_bulk?refresh=wait_for", kDocuments).at("errors") == false);
  }
  json::value post(const std::string& target, const std::string& body, unsigned expected = 200) {
    const Reply r = client.request(verb::post, target, "", body);
    INFO(target << " -> " << r.body);
    REQUIRE(r.status == expected);
    return json::parse(r.body);
  }
  json::value search(const std::string& body, unsigned expected = 200) { return post("/results-*/_search", body, expected); }
  std::vector<std::string> ids(const std::string& query) {
    const json::value answer = search(R"({"size":100,"sort":["_doc"],"query":)" + query + "}");
    std::vector<std::string> out;
    for (const auto& h : answer.at("hits").at("hits").as_array()) out.emplace_back(h.at("_id").as_string());
    return out;
  }
};

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("bulk create of an existing id is a 409 item and index overwrites", "[fake-es]") {
  Seeded s;
  const json::value answer = s.post("/_bulk", R"({"create":{"_index":"results-a","_id":"d1"}}
{"routing":{"hostname":"other"}}
{"index":{"_index":"results-a","_id":"d2"}}
{"routing":{"hostname":"h9"}}
{"create":{"_index":"results-new","_id":"n1"}}
{"routing":{"hostname":"h1"}}
)");
  CHECK(answer.at("errors") == true);
  const auto& items = answer.at("items").as_array();
  REQUIRE(items.size() == 3);
  CHECK(items[0].at("create").at("status") == 409);
  CHECK(items[0].at("create").at("error").at("type") == "version_conflict_engine_exception");
  CHECK(items[1].at("index").at("status") == 200);
  CHECK(items[1].at("index").at("result") == "updated");
  CHECK(items[2].at("create").at("status") == 201);
  CHECK(s.es.document_count("results-a") == 4);
  CHECK(s.es.document_count("results-new") == 1);
  CHECK(s.ids(R"({"term":{"routing.hostname":"h9"}})") == Ids{"d2"});

  const Reply again = s.client.request(verb::put, "/results-a", "", kMapping);
  CHECK(again.status == 400);
  CHECK(json::parse(again.body).at("error").at("root_cause").at(0).at("type") == "resource_already_exists_exception");
}

TEST_CASE("term terms range exists and bool queries select documents", "[fake-es]") {
  Seeded s;
  CHECK(s.ids(R"({"term":{"f0rtika.test_uuid":"u1"}})") == Ids{"d1", "d2"});
  CHECK(s.ids(R"({"term":{"f0rtika.techniques":{"value":"T1003"}}})") == Ids{"d1", "d4"});
  CHECK(s.ids(R"({"terms":{"routing.hostname":["h2","h3"]}})") == Ids{"d2", "d4"});
  CHECK(s.ids(R"({"term":{"f0rtika.is_protected":true}})") == Ids{"d1", "d3"});
  CHECK(s.ids(R"({"term":{"event.ERROR":126}})") == Ids{"d1", "d3"});
  CHECK(s.ids(R"({"range":{"routing.event_time":{"gte":"2025-01-21"}}})") == Ids{"d3", "d4"});
  // A date-only upper bound includes its whole day, as in ES.
  CHECK(s.ids(R"({"range":{"routing.event_time":{"lte":"2025-01-20"}}})") == Ids{"d1", "d2"});
  CHECK(s.ids(R"({"range":{"routing.event_time":{"gt":)" + std::to_string(ms(2025, 1, 22, 22)) +
              R"(,"format":"epoch_millis"}}})") == Ids{});
  CHECK(s.ids(R"({"range":{"routing.event_time":{"gte":)" + std::to_string(ms(2025, 1, 22, 22)) +
              R"(,"format":"epoch_millis"}}})") == Ids{"d4"});
  CHECK(s.ids(R"({"exists":{"field":"f0rtika.is_protected"}})") == Ids{"d1", "d2", "d3"});
  CHECK(s.ids(R"({"bool":{"filter":[{"term":{"routing.hostname":"h1"}}],"must_not":{"term":{"event.ERROR":0}}}})") ==
        Ids{"d1", "d3"});
  CHECK(s.ids(R"({"bool":{"should":[{"term":{"routing.hostname":"h2"}},{"term":{"routing.hostname":"h3"}}]}})") ==
        Ids{"d2", "d4"});
  CHECK(s.ids(R"({"bool":{"filter":{"term":{"routing.oid":"org-1"}},"should":[{"term":{"routing.hostname":"h3"}}]}})") ==
        Ids{"d1", "d2"});

  const json::value count = s.post("/results-a/_count", R"({"query":{"term":{"routing.oid":"org-2"}}})");
  CHECK(count.at("count") == 2);
  const json::value unknown = s.search(R"({"query":{"fuzzy":{"a":"b"}}})", 400);
  CHECK(unknown.at("error").at("type") == "parsing_exception");
}

TEST_CASE("sort and search_after page through hits with missing values last", "[fake-es]") {
  Seeded s;
  const json::value first = s.search(R"({"size":2,"sort":[{"f0rtika.is_protected":{"order":"desc"}},{"routing.event_time":"asc"}]})");
  const auto& hits = first.at("hits").at("hits").as_array();
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].at("_id") == "d1");
  CHECK(hits[1].at("_id") == "d3");
  CHECK(hits[0].at("sort").at(1) == ms(2025, 1, 20, 10));
  CHECK(first.at("hits").at("total").at("value") == 4);
  const json::value next = s.search(R"({"size":2,"sort":[{"f0rtika.is_protected":{"order":"desc"}},{"routing.event_time":"asc"}],"search_after":)" +
                                    json::serialize(hits[1].at("sort")) + "}");
  const auto& rest = next.at("hits").at("hits").as_array();
  REQUIRE(rest.size() == 2);
  CHECK(rest[0].at("_id") == "d2");
  CHECK(rest[1].at("_id") == "d4");

  const json::value window = s.search(R"({"from":9990,"size":20})", 400);
  CHECK(window.at("error").at("root_cause").at(0).at("type") == "illegal_argument_exception");
  s.es.total_as_number(true);
  CHECK(s.search("{}").at("hits").at("total") == 4);
}

TEST_CASE("terms aggregation with a nested filter and ordering by a sub-aggregation", "[fake-es]") {
  Seeded s;
  const json::value answer = s.search(R"({"size":0,"aggs":{
    "hosts":{"terms":{"field":"routing.hostname"},"aggs":{"failed":{"filter":{"term":{"event.ERROR":126}}}}},
    "latest":{"terms":{"field":"routing.hostname","size":2,"order":{"sort_value":"desc"}},
              "aggs":{"sort_value":{"max":{"field":"routing.event_time"}}}},
    "protected":{"terms":{"field":"f0rtika.is_protected"}},
    "techniques":{"terms":{"field":"f0rtika.techniques","order":{"_key":"desc"}}},
    "hosts_seen":{"cardinality":{"field":"routing.hostname"}}}})");
  const auto& aggs = answer.at("aggregations");
  const auto& hosts = aggs.at("hosts").at("buckets").as_array();
  REQUIRE(hosts.size() == 3);
  CHECK(hosts[0].at("key") == "h1");
  CHECK(hosts[0].at("doc_count") == 2);
  CHECK(hosts[0].at("failed").at("doc_count") == 2);
  CHECK(hosts[1].at("key") == "h2");
  CHECK(hosts[1].at("failed").at("doc_count") == 0);
  CHECK(hosts[2].at("key") == "h3");

  const auto& latest = aggs.at("latest");
  REQUIRE(latest.at("buckets").as_array().size() == 2);
  CHECK(latest.at("buckets").at(0).at("key") == "h3");
  CHECK(latest.at("buckets").at(1).at("key") == "h1");
  CHECK(latest.at("buckets").at(1).at("sort_value").at("value_as_string") == "2025-01-22T09:00:00.123Z");
  CHECK(latest.at("sum_other_doc_count") == 1);

  const auto& protected_ = aggs.at("protected").at("buckets").as_array();
  REQUIRE(protected_.size() == 2);
  CHECK(protected_[0].at("key") == 1);
  CHECK(protected_[0].at("key_as_string") == "true");
  CHECK(protected_[0].at("doc_count") == 2);
  CHECK(protected_[1].at("key_as_string") == "false");

  const auto& techniques = aggs.at("techniques").at("buckets").as_array();
  REQUIRE(techniques.size() == 2);
  CHECK(techniques[0].at("key") == "T1059");
  CHECK(techniques[1].at("doc_count") == 2);
  CHECK(aggs.at("hosts_seen").at("value") == 3);
}

TEST_CASE("date_histogram fills empty buckets and rejects unknown intervals", "[fake-es]") {
  Seeded s;
  const json::value answer = s.search(R"({"size":0,"aggs":{"days":{"date_histogram":{"field":"routing.event_time",
    "calendar_interval":"day","min_doc_count":0},"aggs":{"hosts":{"cardinality":{"field":"routing.hostname"}}}},
    "weeks":{"date_histogram":{"field":"routing.event_time","calendar_interval":"1w"}}}})");
  const auto& days = answer.at("aggregations").at("days").at("buckets").as_array();
  REQUIRE(days.size() == 3);
  CHECK(days[0].at("key_as_string") == "2025-01-20T00:00:00.000Z");
  CHECK(days[0].at("key") == ms(2025, 1, 20));
  CHECK(days[0].at("doc_count") == 2);
  CHECK(days[0].at("hosts").at("value") == 2);
  CHECK(days[1].at("doc_count") == 0);
  CHECK(days[2].at("doc_count") == 2);
  const auto& weeks = answer.at("aggregations").at("weeks").at("buckets").as_array();
  REQUIRE(weeks.size() == 1);
  CHECK(weeks[0].at("key_as_string") == "2025-01-20T00:00:00.000Z");  // a Monday

  const json::value bad = s.search(R"({"aggs":{"d":{"date_histogram":{"field":"routing.event_time","calendar_interval":"2d"}}}})", 400);
  CHECK(bad.at("error").at("reason") == "The supplied interval [2d] could not be parsed as a calendar interval.");
}

TEST_CASE("top_hits under the run group script and a missing script field", "[fake-es]") {
  Seeded s;
  const std::string script = json::serialize(json::value(achilles::elasticsearch::kRunGroupKey));
  const json::value answer = s.search(R"({"size":0,"aggs":{"runs":{"terms":{"script":{"source":)" + script +
                                      R"(,"lang":"painless"},"order":{"_key":"asc"}},"aggs":{"last":{"top_hits":{"size":1,
    "sort":[{"routing.event_time":{"order":"desc"}}],"_source":true}}}},"run_count":{"cardinality":{"script":)" + script + "}}}}");
  const auto& runs = answer.at("aggregations").at("runs").at("buckets").as_array();
  REQUIRE(runs.size() == 4);
  CHECK(runs[0].at("key") == json::value("bundle::b1::h1::" + std::to_string(ms(2025, 1, 22, 9) + 123)));
  CHECK(runs[1].at("key") == json::value("standalone::u1::h1::" + std::to_string(ms(2025, 1, 20, 10))));
  CHECK(runs[1].at("last").at("hits").at("total").at("value") == 1);
  CHECK(runs[1].at("last").at("hits").at("hits").at(0).at("_id") == "d1");
  CHECK(answer.at("aggregations").at("run_count").at("value") == 4);

  s.post("/_bulk", R"({"index":{"_index":"results-a","_id":"d5"}}
{"routing":{"event_time":"2025-01-24","hostname":"h1"}}
)");
  const json::value missing = s.search(R"({"aggs":{"n":{"cardinality":{"script":)" + script + "}}}}", 400);
  CHECK(missing.at("error").at("root_cause").at(0).at("type") == "script_exception");
  const json::value unknown = s.search(R"({"aggs":{"n":{"cardinality":{"script":"doc['x'].value"}}}})", 400);
  CHECK(unknown.at("error").at("reason") == "fake Elasticsearch does not know this script");
}

TEST_CASE("a concrete missing index is index_not_found while a wildcard is empty", "[fake-es]") {
  Seeded s;
  const json::value missing = s.post("/results-a,nope/_search", "{}", 404);
  CHECK(missing.at("error").at("type") == "index_not_found_exception");
  CHECK(missing.at("error").at("index") == "nope");
  CHECK(missing.at("status") == 404);
  const json::value empty = s.post("/nothing-*/_search", R"({"aggs":{"h":{"terms":{"field":"x"}}}})");
  CHECK(empty.at("hits").at("total").at("value") == 0);
  CHECK(empty.at("aggregations").at("h").at("buckets").as_array().empty());
  CHECK(s.client.request(verb::head, "/results-a").status == 200);
  CHECK(s.client.request(verb::head, "/nope").status == 404);
  const Reply cat = s.client.get("/_cat/indices/results-*?format=json&bytes=b");
  CHECK(json::parse(cat.body).at(0).at("docs.count") == "4");
}

TEST_CASE("msearch reindex and delete_by_query", "[fake-es]") {
  Seeded s;
  const json::value multi = s.post("/_msearch", R"({"index":"results-a"}
{"size":0,"query":{"term":{"routing.hostname":"h1"}}}
{"index":"missing"}
{}
)");
  CHECK(multi.at("responses").at(0).at("hits").at("total").at("value") == 2);
  CHECK(multi.at("responses").at(0).at("status") == 200);
  CHECK(multi.at("responses").at(1).at("status") == 404);

  const json::value copied = s.post("/_reindex?refresh=true",
                                    R"({"source":{"index":"results-a","query":{"term":{"routing.oid":"org-2"}}},"dest":{"index":"archive"}})");
  CHECK(copied.at("created") == 2);
  CHECK(s.es.document_count("archive") == 2);
  const json::value removed = s.post("/results-*/_delete_by_query?refresh=true", R"({"query":{"term":{"routing.oid":"org-2"}}})");
  CHECK(removed.at("deleted") == 2);
  CHECK(s.es.document_count("results-a") == 2);
}

TEST_CASE("answer_next drop_next and authorization script the next requests", "[fake-es]") {
  FakeElasticsearch es;
  es.answer_next("GET", "/", 503, R"({"oops":true})");
  {
    HttpClient client(es.port());
    const Reply canned = client.get("/");
    CHECK(canned.status == 503);
    CHECK(canned.body == R"({"oops":true})");
    const Reply normal = client.get("/");
    CHECK(normal.status == 200);
    CHECK(json::parse(normal.body).at("version").at("number") == "8.17.0");
  }
  es.drop_next("POST", "_search");
  {
    HttpClient client(es.port());
    CHECK_THROWS(client.request(verb::post, "/x-*/_search", "", "{}"));
  }
  {
    HttpClient client(es.port());
    CHECK(client.request(verb::post, "/x-*/_search", "", "{}").status == 200);
    es.require_authorization("Bearer secret");
    CHECK(client.get("/").status == 401);
    CHECK(client.get("/", "secret").status == 200);
  }
  {
    HttpClient client(es.port());
    const Reply closing = client.raw("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\nConnection: close\r\n\r\n");
    CHECK(closing.status == 200);
    CHECK(closing.header(boost::beast::http::field::connection) == "close");
    CHECK_THROWS(client.get("/", "secret"));
  }
  const auto requests = es.requests();
  REQUIRE(requests.size() == 7);
  CHECK(requests[2].method == "POST");
  CHECK(requests[2].target == "/x-*/_search");
  CHECK(requests[5].headers.at("authorization") == "Bearer secret");
  es.clear_requests();
  CHECK(es.requests().empty());
}

TEST_CASE("a delayed canned answer and stopping with an idle keep-alive connection", "[fake-es]") {
  auto es = std::make_unique<FakeElasticsearch>();
  es->answer_next("POST", "_bulk", 429, R"({"error":"too many"})", std::chrono::milliseconds(60));
  HttpClient client(es->port());
  const auto start = std::chrono::steady_clock::now();
  const Reply slow = client.request(verb::post, "/_bulk", "", "{}\n");
  CHECK(slow.status == 429);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(60));
  CHECK(client.get("/").status == 200);
  es.reset();  // must not wait for the client to hang up
  CHECK_THROWS(client.get("/"));
}

TEST_CASE("single documents: _create once, _doc reads with seq_no, _update merges under if_seq_no", "[fake-es]") {
  FakeElasticsearch es;
  HttpClient client{es.port()};
  auto call = [&](verb v, const std::string& target, const std::string& body = "") {
    const Reply r = client.request(v, target, "", body);
    return std::make_pair(r.status, r.body.empty() ? json::value() : json::parse(r.body));
  };
  CHECK(call(verb::get, "/acc/_doc/a1").first == 404);  // no index yet: index_not_found_exception
  auto [created, first] = call(verb::put, "/acc/_create/a1?refresh=wait_for", R"({"status":"active","n":{"x":1}})");
  CHECK(created == 201);
  CHECK(first.at("result") == "created");
  auto [again, conflict] = call(verb::put, "/acc/_create/a1", R"({"status":"other"})");
  CHECK(again == 409);
  CHECK(conflict.at("error").at("type") == "version_conflict_engine_exception");

  auto [found, doc] = call(verb::get, "/acc/_doc/a1");
  REQUIRE(found == 200);
  CHECK(doc.at("found") == true);
  CHECK(doc.at("_source") == json::parse(R"({"status":"active","n":{"x":1}})"));
  const std::int64_t seq_no = doc.at("_seq_no").as_int64();
  CHECK(call(verb::get, "/acc/_doc/missing").first == 404);
  CHECK(call(verb::get, "/acc/_doc/missing").second.at("found") == false);

  const std::string update = "/acc/_update/a1?if_seq_no=" + std::to_string(seq_no) + "&if_primary_term=1";
  auto [updated, u] = call(verb::post, update, R"({"doc":{"status":"revoked","n":{"y":2}}})");
  CHECK(updated == 200);
  CHECK(u.at("result") == "updated");
  CHECK(call(verb::get, "/acc/_doc/a1").second.at("_source") == json::parse(R"({"status":"revoked","n":{"x":1,"y":2}})"));
  auto [stale, s] = call(verb::post, update, R"({"doc":{"status":"active"}})");  // the seq_no moved on
  CHECK(stale == 409);
  CHECK(s.at("error").at("type") == "version_conflict_engine_exception");
  CHECK(call(verb::post, "/acc/_update/a1", R"({"doc":{"status":"revoked"}})").second.at("result") == "noop");
  CHECK(call(verb::post, "/acc/_update/nope", R"({"doc":{}})").first == 404);
  CHECK(call(verb::post, "/acc/_update/a1", R"({"script":"x"})").first == 400);
}
