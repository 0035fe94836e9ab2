// The analytics endpoints over HTTP, restating the behavioural cases of
// analytics-spec §5 against the embedded engine.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "json/js_json.hpp"
#include "support/result_builder.hpp"
#include "achilles/errors.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
namespace beast_http = boost::beast::http;

namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;
// Noon-ish on day `d` of January 2025 (TestServer's clock is 2025-01-20T12:34:56.789Z).
std::int64_t jan(int d, int hour = 10) { return 1'735'689'600'000 + (d - 1) * kDay + hour * kHour; }

struct Api {
  TestServer server;
  HttpClient client = server.client();
  json::value get(const std::string& path) {
    auto reply = client.get("/api/analytics" + path, "admin-token");
    INFO(path << " -> " << reply.status << " " << reply.body);
    REQUIRE(reply.status == 200);
    REQUIRE(reply.header(beast_http::field::content_type) == "application/json; charset=utf-8");
    return json::parse(reply.body);
  }
  Reply raw(const std::string& path) { return client.get("/api/analytics" + path, "admin-token"); }
  Reply post(const std::string& path, const std::string& body, const std::string& token = "admin-token") {
    return client.request(beast_http::verb::post, "/api/analytics" + path, token, body);
  }
};

// `n` documents of one test on one day, the first `protected_n` blocked.
std::vector<ResultDocument> day_of(const std::string& prefix, std::int64_t when, int n, int protected_n,
                                   const std::string& test = "T") {
  std::vector<ResultDocument> docs;
  for (int i = 0; i < n; ++i)
    docs.push_back(ResultBuilder(prefix + std::to_string(i), when).code(i < protected_n ? 126 : 101).test(test, "u-" + test));
  return docs;
}

void append(std::vector<ResultDocument>& into, std::vector<ResultDocument> more) {
  into.insert(into.end(), more.begin(), more.end());
}

}  // namespace

TEST_CASE("case 11: the plain trend has one point per day, gaps zero-filled", "[analytics][trend]") {
  Api api;
  std::vector<ResultDocument> docs = day_of("a", jan(15), 10, 7);
  append(docs, day_of("b", jan(17), 20, 18));
  api.server.load(docs);
  auto points = api.get("/defense-score/trend?from=2025-01-10").as_array();
  REQUIRE(points.size() == 3);
  CHECK(server::to_json(points[0]) == R"({"timestamp":"2025-01-15T00:00:00.000Z","score":70,"total":10,"protected":7})");
  CHECK(server::to_json(points[1]) == R"({"timestamp":"2025-01-16T00:00:00.000Z","score":0,"total":0,"protected":0})");
  CHECK(points[2].at("score") == 90);
  CHECK(api.get("/defense-score/trend?from=2025-01-18").as_array().empty());
  auto weekly = api.get("/defense-score/trend?from=2025-01-10&interval=week").as_array();
  REQUIRE(weekly.size() == 1);  // both days fall in the week of Monday 13 January
  CHECK(weekly[0].at("timestamp") == "2025-01-13T00:00:00.000Z");
  CHECK(weekly[0].at("total") == 30);
  CHECK(api.raw("/defense-score/trend?interval=2d").status == 400);
}

TEST_CASE("case 13: excludeCyberHygiene drops hygiene controls and skipped stages from the plain trend",
          "[analytics][trend]") {
  Api api;
  api.server.load({ResultBuilder("t", jan(19)).code(126),
                   ResultBuilder("ch", jan(19)).code(101).category("cyber-hygiene").bundle("CH", "CIS", "C1"),
                   ResultBuilder("skipped", jan(19)).code(0).category("intel-driven").bundle("B", "Chain", "S1"),
                   ResultBuilder("stage", jan(19)).code(101).category("intel-driven").bundle("B", "Chain", "S2")});
  CHECK(api.get("/defense-score/trend?from=now-3d").as_array()[0].at("total") == 3);
  CHECK(api.get("/defense-score/trend?from=now-3d&excludeCyberHygiene=true").as_array()[0].at("total") == 2);
}

TEST_CASE("case 14: an any-stage trend bucket counts bundle runs as units", "[analytics][trend]") {
  Api api;
  std::vector<ResultDocument> docs = day_of("d", jan(19), 10, 7);
  docs.push_back(ResultBuilder("b1s1", jan(19)).code(126).category("intel-driven").bundle("B1", "Chain", "S1"));
  docs.push_back(ResultBuilder("b1s2", jan(19)).code(101).category("intel-driven").bundle("B1", "Chain", "S2"));
  docs.push_back(ResultBuilder("b2s1", jan(19)).code(101).category("intel-driven").bundle("B2", "Chain", "S1"));
  api.server.load(docs);
  auto point = api.get("/defense-score/trend?from=now-3d&scoringMode=any-stage").as_array()[0];
  CHECK(point.at("total") == 12);
  CHECK(point.at("protected") == 8);
  CHECK(point.at("score") == 66.67);
}

TEST_CASE("cases 15-16: the rolling trend sums a window of buckets and shows only the asked range",
          "[analytics][trend]") {
  Api api;
  std::vector<ResultDocument> docs;
  const int protected_by_day[] = {5, 8, 6, 9};
  for (int d = 15; d <= 16; ++d) append(docs, day_of("early" + std::to_string(d) + "-", jan(d), 10, 1));
  for (int d = 17; d <= 20; ++d)
    append(docs, day_of("d" + std::to_string(d) + "-", jan(d, 1), 10, protected_by_day[d - 17]));
  api.server.load(docs);

  auto points = api.get("/defense-score/trend?from=2025-01-17T00:00:00Z&windowDays=3").as_array();
  REQUIRE(points.size() == 4);
  CHECK(points[2].at("timestamp") == "2025-01-19T00:00:00.000Z");
  CHECK(points[2].at("total") == 30);
  CHECK(points[2].at("protected") == 19);
  CHECK(points[2].at("score") == 63.33);
  CHECK(points[0].at("total") == 30);  // the window reaches back before the displayed range

  auto cut = api.get("/defense-score/trend?from=now-3d&windowDays=3").as_array();
  for (const auto& p : cut) {
    CHECK(p.at("timestamp") != "2025-01-15T00:00:00.000Z");
    CHECK(p.at("timestamp") != "2025-01-16T00:00:00.000Z");
  }
  CHECK(cut.front().at("timestamp") == "2025-01-17T00:00:00.000Z");
}

TEST_CASE("case 18: the rolling error rate", "[analytics][trend]") {
  Api api;
  std::vector<ResultDocument> docs;
  auto add = [&](int day, int errors, int conclusive) {
    for (int i = 0; i < errors; ++i) docs.push_back(ResultBuilder("e" + std::to_string(day * 100 + i), jan(day, 1)).code(999));
    for (int i = 0; i < conclusive; ++i) docs.push_back(ResultBuilder("c" + std::to_string(day * 100 + i), jan(day, 1)).code(101));
  };
  add(18, 2, 8);
  add(19, 3, 7);
  add(20, 5, 5);
  docs.push_back(ResultBuilder("upload", jan(20, 1)).code(200));  // not test activity
  api.server.load(docs);
  auto points = api.get("/error-rate/trend?from=now-3d&windowDays=2").as_array();
  REQUIRE_FALSE(points.empty());
  CHECK(server::to_json(points.back()) ==
        R"({"timestamp":"2025-01-20T00:00:00.000Z","errorRate":40,"errorCount":8,"conclusiveCount":12,"total":20})");
  CHECK(server::to_json(api.get("/error-rate?from=now-3d")) ==
        R"({"errorRate":33.33,"errorCount":10,"conclusiveCount":20,"totalTestActivity":30})");
}

TEST_CASE("case 19: by-test sorts by score and honours limit", "[analytics][breakdown]") {
  Api api;
  std::vector<ResultDocument> docs = day_of("a", jan(19), 10, 5, "A");
  append(docs, day_of("b", jan(19), 10, 9, "B"));
  append(docs, day_of("c", jan(19), 3, 1, "C"));
  api.server.load(docs);
  auto rows = api.get("/defense-score/by-test?from=now-3d").as_array();
  REQUIRE(rows.size() == 3);
  CHECK(server::to_json(rows[0]) == R"({"name":"B","score":90,"count":10,"protected":9})");
  CHECK(rows[1].at("name") == "A");
  CHECK(rows[2].at("score") == 33.33);
  CHECK(api.get("/defense-score/by-test?from=now-3d&limit=1").as_array().size() == 1);
  CHECK(api.get("/defense-score/by-test?from=now-3d&limit=abc").as_array().size() == 3);  // falls back to 50
  CHECK(api.raw("/defense-score/by-test?limit=-1").status == 400);
}

TEST_CASE("case 20: by-hostname sorts by total, any-stage counts bundle runs", "[analytics][breakdown]") {
  Api api;
  std::vector<ResultDocument> docs;
  for (int i = 0; i < 5; ++i) docs.push_back(ResultBuilder("h1-" + std::to_string(i), jan(19)).host("h1").code(126));
  for (int i = 0; i < 8; ++i) docs.push_back(ResultBuilder("h2-" + std::to_string(i), jan(19)).host("h2").code(i < 6 ? 126 : 101));
  docs.push_back(ResultBuilder("h2-b1", jan(19)).host("h2").code(101).defender().category("intel-driven").bundle("B", "Chain", "S1"));
  docs.push_back(ResultBuilder("h2-b2", jan(19)).host("h2").code(101).category("intel-driven").bundle("B", "Chain", "S2"));
  api.server.load(docs);
  auto rows = api.get("/defense-score/by-hostname?from=now-3d").as_array();
  CHECK(rows[0].at("hostname") == "h2");
  CHECK(rows[0].at("total") == 10);
  auto any = api.get("/defense-score/by-hostname?from=now-3d&scoringMode=any-stage").as_array();
  // 8 documents (6 protected) plus one bundle run protected by Defender (sic, §2.8).
  CHECK(server::to_json(any[0]) == R"({"hostname":"h2","score":77.78,"protected":7,"unprotected":2,"total":9})");
}

TEST_CASE("cases 21-22: categories with subcategories, severities in their fixed order", "[analytics][breakdown]") {
  Api api;
  std::vector<ResultDocument> docs;
  auto add = [&](std::string cat, std::string sub, std::string sev, int n, int prot) {
    for (int i = 0; i < n; ++i) {
      ResultDocument d = ResultBuilder(cat + sub + sev + std::to_string(i), jan(19)).code(i < prot ? 126 : 101).category(cat).severity(sev);
      d.subcategory = sub;
      docs.push_back(d);
    }
  };
  add("intel-driven", "apt-sim", "critical", 12, 10);
  add("intel-driven", "ransomware", "medium", 8, 5);
  add("mitre-top10", "", "low", 4, 4);
  add("phase-aligned", "x", "weird", 1, 0);
  api.server.load(docs);
  auto cats = api.get("/defense-score/by-category-subcategory?from=now-3d").as_array();
  CHECK(cats[0].at("category") == "mitre-top10");  // score 100 first
  CHECK(cats[0].at("subcategories").as_array().empty());
  const auto& intel = cats[1].as_object();
  CHECK(intel.at("score") == 75);
  CHECK(intel.at("count") == 20);
  CHECK(intel.at("subcategories").as_array()[0].at("subcategory") == "apt-sim");
  CHECK(intel.at("subcategories").as_array()[1].at("subcategory") == "ransomware");

  auto sev = api.get("/defense-score/by-severity?from=now-3d").as_array();
  REQUIRE(sev.size() == 4);
  CHECK(sev[0].at("severity") == "weird");  // unknown values sort first, as the original
  CHECK(sev[1].at("severity") == "critical");
  CHECK(sev[2].at("severity") == "medium");
  CHECK(sev[3].at("severity") == "low");
  CHECK(server::to_json(sev[2]) == R"({"severity":"medium","score":62.5,"count":8,"protected":5,"unprotected":3})");
}

TEST_CASE("by-org and threat-actor coverage count documents, EDR-only", "[analytics][breakdown]") {
  Api api;
  api.server.load({ResultBuilder("1", jan(19)).org("09b59276-9efb-4d3d-bbdd-4b4663ef0c42").code(126).actor("APT29"),
                   ResultBuilder("2", jan(19)).org("09b59276-9efb-4d3d-bbdd-4b4663ef0c42").code(101).defender().actor("APT29"),
                   ResultBuilder("3", jan(19)).org("abcdef01-2222").code(126).actor("FIN7")});
  auto orgs = api.get("/defense-score/by-org?from=now-3d").as_array();
  CHECK(server::to_json(orgs[0]) == R"({"org":"abcdef01-2222","orgName":"abcdef01","score":100,"count":1,"protected":1})");
  CHECK(orgs[1].at("orgName") == "SB");
  CHECK(orgs[1].at("score") == 50);
  auto actors = api.get("/threat-actor-coverage?from=now-3d").as_array();
  CHECK(server::to_json(actors[0]) ==
        R"({"threatActor":"APT29","coverage":50,"testCount":2,"protectedCount":1,"totalExecutions":2})");
}

TEST_CASE("case 23: executions map documents to the original's fields", "[analytics][executions]") {
  Api api;
  ResultDocument bare = ResultBuilder("bare", jan(19, 11)).org("09b59276-9efb-4d3d-bbdd-4b4663ef0c42").stored_error_name("SomeLegacy");
  bare.test_name = "";
  bare.hostname = "";
  api.server.load({bare, ResultBuilder("unknown-org", jan(19, 10)).org("abcdef01-9999").code(42).stored_error_name("CustomError")});
  auto recent = api.get("/executions?from=now-3d").as_array();
  REQUIRE(recent.size() == 2);
  CHECK(server::to_json(recent[0]) ==
        R"({"test_uuid":"uuid-bare","test_name":"Unknown Test","hostname":"Unknown","is_protected":false,"org":"SB",)"
        R"("timestamp":"2025-01-19T11:00:00.000Z","error_code":101,"error_name":"Unprotected"})");
  CHECK(recent[1].at("org") == "abcdef01");
  CHECK(recent[1].at("error_name") == "CustomError");
}

TEST_CASE("case 24: flat pagination", "[analytics][executions]") {
  Api api;
  std::vector<ResultDocument> docs;
  for (int i = 0; i < 100; ++i) {
    ResultDocument d = ResultBuilder("e" + std::to_string(i), jan(19) + i * 1000).code(126).category("intel-driven").severity("high").actor("APT29");
    d.tags = {"x"};
    docs.push_back(d);
  }
  api.server.load(docs);
  auto page = api.get("/executions/paginated?from=now-3d&page=2&pageSize=25").as_object();
  CHECK(server::to_json(page.at("pagination")) ==
        R"({"page":2,"pageSize":25,"totalItems":100,"totalPages":4,"hasNext":true,"hasPrevious":true})");
  const auto& data = page.at("data").as_array();
  REQUIRE(data.size() == 25);
  CHECK(data[0].at("test_uuid") == "uuid-e74");  // latest first: 99..75 on page 1
  CHECK(data[0].at("category") == "intel-driven");
  CHECK(data[0].at("severity") == "high");
  CHECK(data[0].at("threat_actor") == "APT29");
  CHECK(data[0].at("tags").as_array().size() == 1);
  CHECK(data[0].at("is_bundle_control") == false);
  CHECK(api.get("/executions/paginated?from=now-3d&pageSize=200").at("data").as_array().size() == 100);
  CHECK(api.get("/executions/paginated?from=now-3d&pageSize=200").at("pagination").at("pageSize") == 100);
  auto asc = api.get("/executions/paginated?from=now-3d&sortOrder=asc&pageSize=1");
  CHECK(asc.at("data").as_array()[0].at("test_uuid") == "uuid-e0");
  CHECK(api.raw("/executions/paginated?sortField=f0rtika.nope").status == 400);
  CHECK(api.raw("/executions/paginated?sortOrder=up").status == 400);
  CHECK(api.raw("/executions/paginated?page=-1").status == 400);
  auto empty = api.get("/executions/paginated?from=2020-01-01&to=2020-01-02");
  CHECK(server::to_json(empty.at("pagination")) ==
        R"({"page":1,"pageSize":25,"totalItems":0,"totalPages":0,"hasNext":false,"hasPrevious":false})");
}

TEST_CASE("cases 25-26: grouped pagination counts runs and rolls up their members", "[analytics][executions]") {
  Api api;
  std::vector<ResultDocument> docs;
  // One bundle run with 3 controls, two runs of the same bundle 5 minutes apart, 2 standalone runs.
  for (auto [id, code] : {std::pair{"c1", 126}, {"c2", 101}, {"c3", 105}})
    docs.push_back(ResultBuilder(std::string("r1") + id, jan(19, 10)).code(code).category("cyber-hygiene").bundle("bundle-001", "CIS", id).host("host-a"));
  docs.push_back(ResultBuilder("r2c1", jan(19, 10) + 310'000).code(101).defender().category("cyber-hygiene").bundle("bundle-001", "CIS", "c1").host("host-a"));
  docs.push_back(ResultBuilder("s1", jan(19, 9)).test("Standalone", "uuid-001").host("host-a"));
  docs.push_back(ResultBuilder("s2", jan(19, 8)).test("Standalone", "uuid-001").host("host-b"));
  api.server.load(docs);
  auto page = api.get("/executions/paginated?from=now-3d&grouped=true&pageSize=2").as_object();
  CHECK(server::to_json(page.at("pagination")) ==
        R"({"page":1,"pageSize":2,"totalGroups":4,"totalDocuments":6,"totalPages":2,"hasNext":true,"hasPrevious":false})");
  const auto& groups = page.at("groups").as_array();
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].at("groupKey") == json::value("bundle::bundle-001::host-a::" + std::to_string(jan(19, 10) + 310'000)));
  CHECK(groups[0].at("defenderDetected") == true);
  const auto& run = groups[1].as_object();
  CHECK(run.at("groupKey") == json::value("bundle::bundle-001::host-a::" + std::to_string(jan(19, 10))));
  CHECK(run.at("type") == "bundle");
  CHECK(run.at("protectedCount") == 2);
  CHECK(run.at("unprotectedCount") == 1);
  CHECK(run.at("totalCount") == 3);
  CHECK(run.at("representative") == run.at("members").as_array()[0]);
  auto second = api.get("/executions/paginated?from=now-3d&grouped=true&pageSize=2&page=2").as_object();
  const auto& standalone = second.at("groups").as_array()[0];
  CHECK(standalone.at("type") == "standalone");
  CHECK(standalone.at("groupKey") == json::value("standalone::uuid-001::host-a::" + std::to_string(jan(19, 9))));
  CHECK(standalone.at("representative").at("test_uuid") == "uuid-001");
  CHECK(second.at("pagination").at("hasNext") == false);
}

TEST_CASE("coverage aggregates and counts", "[analytics][coverage]") {
  Api api;
  api.server.load({ResultBuilder("1", jan(19)).code(126).test("A", "ua").host("h1").techniques({"T1", "T2"}),
                   ResultBuilder("2", jan(19)).code(101).test("A", "ua").host("h2").techniques({"T1"}),
                   ResultBuilder("3", jan(19)).code(0).test("B", "ub").host("h1"),
                   ResultBuilder("4", jan(19)).code(42).stored_error_name("Custom").test("B", "ub").host("h1"),
                   ResultBuilder("old", jan(1)).code(126).test("C", "uc").host("h9")});
  CHECK(server::to_json(api.get("/results-by-error-type")) ==
        R"J([{"name":"NormalExit","code":0,"count":1},{"name":"Unknown (42)","code":42,"count":1},)J"
        R"J({"name":"Unprotected","code":101,"count":1},{"name":"ExecutionPrevented","code":126,"count":1}])J");
  CHECK(server::to_json(api.get("/test-coverage")) ==
        R"([{"name":"A","protected":1,"unprotected":1},{"name":"B","protected":0,"unprotected":2}])");
  CHECK(server::to_json(api.get("/technique-distribution")) ==
        R"([{"technique":"T1","protected":1,"unprotected":1},{"technique":"T2","protected":1,"unprotected":0}])");
  CHECK(server::to_json(api.get("/host-test-matrix")) ==
        R"([{"hostname":"h1","testName":"A","count":1},{"hostname":"h1","testName":"B","count":2},{"hostname":"h2","testName":"A","count":1}])");
  CHECK(server::to_json(api.get("/unique-hostnames")) == R"({"count":2})");  // the 7-day default applies
  CHECK(server::to_json(api.get("/unique-tests?from=now-30d")) == R"({"count":3})");
  CHECK(server::to_json(api.get("/canonical-test-count?days=30")) == R"({"count":3,"tests":["A","B","C"],"days":30})");
  CHECK(api.get("/canonical-test-count").at("days") == 90);
}

TEST_CASE("case 28: catalogs and filter options", "[analytics][catalog]") {
  Api api;
  std::vector<ResultDocument> docs;
  for (int i = 0; i < 3; ++i) docs.push_back(ResultBuilder("l" + std::to_string(i), jan(19)).severity("low").code(126));
  docs.push_back(ResultBuilder("c", jan(19)).severity("critical").code(101).org("09b59276-9efb-4d3d-bbdd-4b4663ef0c42"));
  docs.push_back(ResultBuilder("h", jan(1)).severity("high").code(126));  // outside any default window
  docs.push_back(ResultBuilder("cleanup", jan(19)).without_test_uuid().host("cleanup-host"));
  api.server.load(docs);
  CHECK(server::to_json(api.get("/available-severities")) ==
        R"([{"value":"critical","label":"Critical","count":1},{"value":"high","label":"High","count":1},{"value":"low","label":"Low","count":3}])");
  CHECK(api.get("/available-severities?from=now-3d").as_array().size() == 2);
  CHECK(api.get("/available-severities?org=09b59276-9efb-4d3d-bbdd-4b4663ef0c42").as_array().size() == 1);
  CHECK(server::to_json(api.get("/available-error-codes")) ==
        R"J([{"value":"126","label":"126 (ExecutionPrevented)","count":4},{"value":"101","label":"101 (Unprotected)","count":1}])J");
  CHECK(api.get("/available-error-names").as_array()[1].at("value") == "Unprotected");
  CHECK(api.get("/available-hostnames").as_array().size() == 1);  // test data only: not cleanup-host
  auto orgs = api.get("/organizations").as_array();
  CHECK(orgs.size() == 2);
  CHECK(server::to_json(orgs[1]) ==
        R"({"uuid":"09b59276-9efb-4d3d-bbdd-4b4663ef0c42","shortName":"SB","fullName":"Superintendency of Banks"})");
  CHECK(api.get("/executed-test-uuids").at("success") == true);
  CHECK(api.get("/executed-test-uuids").at("uuids").as_array().size() == 5);
  CHECK(api.get("/available-tests").as_array().size() == 5);
}

TEST_CASE("cases 29-30: archiving runs and dates moves documents out of every query", "[analytics][archive]") {
  Api api;
  api.server.load({ResultBuilder("s1", jan(19, 10)).test("S", "uuid-001").host("host-a"),
                   ResultBuilder("b1", jan(19, 10)).category("intel-driven").bundle("bundle-001", "Chain", "S1").host("host-a"),
                   ResultBuilder("b2", jan(19, 10) + 310'000).category("intel-driven").bundle("bundle-001", "Chain", "S1").host("host-a"),
                   ResultBuilder("old", jan(2)).test("Old", "uuid-old")});
  const std::string standalone = "standalone::uuid-001::host-a::" + std::to_string(jan(19, 10));
  const std::string bundle = "bundle::bundle-001::host-a::" + std::to_string(jan(19, 10));
  auto reply = api.post("/executions/archive", R"({"groupKeys":[")" + standalone + R"(",")" + bundle + R"(","bundle::bundle-001::host-a"]})");
  CHECK(reply.status == 200);
  CHECK(reply.body == R"({"success":true,"archived":2,"errors":["Invalid group key (expected 4 parts, got 3): bundle::bundle-001::host-a"]})");
  CHECK(api.get("/executions/paginated?from=now-3d").at("pagination").at("totalItems") == 1);  // the second run stays

  auto again = api.post("/executions/archive", R"({"groupKeys":[")" + standalone + R"("]})");
  CHECK(again.body == R"({"success":true,"archived":0,"errors":[]})");  // idempotent

  auto refused = api.post("/executions/archive", R"({"groupKeys":["standalone::x::h::abc"]})");
  CHECK(refused.status == 400);  // D11: nothing done is not a success
  CHECK(json::parse(refused.body).at("success") == false);

  auto invalid = api.post("/executions/archive", R"({"groupKeys":["invalid::x"]})");
  CHECK(invalid.status == 400);
  CHECK(json::parse(invalid.body).at("error").as_string().starts_with("Validation failed: groupKeys.0:"));
  CHECK(api.post("/executions/archive", R"({"groupKeys":[]})").status == 400);
  CHECK(api.post("/executions/archive", R"({"groupKeys":"x"})").status == 400);
  CHECK(api.post("/executions/archive", R"({not json)").status == 400);
  CHECK(api.post("/executions/archive", R"({"groupKeys":["standalone::a::b::1"]})", "explorer-token").status == 403);

  auto by_date = api.post("/executions/archive-by-date", R"({"before":"2025-01-10T00:00:00Z"})");
  CHECK(by_date.body == R"({"success":true,"archived":1,"errors":[]})");
  CHECK(api.post("/executions/archive-by-date", R"({"before":"now-30d"})").status == 400);
  CHECK(api.post("/executions/archive-by-date", R"({})").status == 400);
  CHECK(api.get("/unique-tests?from=2024-12-01").at("count") == 1);
}

TEST_CASE("a trend that would hold more points than the cap is a 400 naming interval, from and to", "[analytics][trend][limits]") {
  Api api;
  std::vector<ResultDocument> docs = day_of("old", jan(1) - 400LL * kDay, 1, 1);
  append(docs, day_of("new", jan(19), 1, 1));
  api.server.load(docs);
  for (const char* path : {"/defense-score/trend?from=now-2y&interval=minute", "/error-rate/trend?from=now-2y&interval=minute",
                           "/defense-score/trend?from=now-2y&interval=hour&windowDays=7"}) {
    const auto reply = api.raw(path);
    INFO(path << " -> " << reply.body);
    CHECK(reply.status == 400);
    CHECK(json::parse(reply.body).at("error").as_string().starts_with("interval, from, to:"));
  }
  CHECK(api.raw("/defense-score/trend?from=now-2y&interval=day").status == 200);  // 400-odd points
}

TEST_CASE("bytes that are not UTF-8 in the query come back escaped: the error is valid JSON", "[analytics][limits]") {
  Api api;
  for (const char* path : {"/defense-score/trend?interval=%FF%FEday", "/defense-score?from=%C3%28", "/executions/paginated?sortField=%ED%A0%80"}) {
    const auto reply = api.raw(path);
    INFO(path);
    CHECK(reply.status == 400);
    json::error_code ec;
    const auto body = json::parse(reply.body, ec);  // Boost.JSON refuses invalid UTF-8
    REQUIRE_FALSE(ec);
    CHECK(body.at("error").as_string().find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
  }
}

TEST_CASE("an array body is refused by its size before its elements, and error lists are capped", "[analytics][limits]") {
  Api api;
  std::string keys = "[";
  for (int i = 0; i < 501; ++i) keys += std::string(i ? "," : "") + "1";  // not even strings
  const auto too_many = api.post("/executions/archive", R"({"groupKeys":)" + keys + "]}");
  CHECK(too_many.status == 400);
  const auto body = json::parse(too_many.body);
  CHECK(body.at("error") == "Validation failed: groupKeys: Maximum 500 group keys per request");
  CHECK(body.at("details").as_array().size() == 1);
  std::string bad = "[";
  for (int i = 0; i < 100; ++i) bad += std::string(i ? "," : "") + "1";
  const auto many_errors = json::parse(api.post("/executions/archive", R"({"groupKeys":)" + bad + "]}").body);
  const auto& details = many_errors.at("details").as_array();
  REQUIRE(details.size() == kMaxValidationIssues + 1);
  CHECK(details.back().at("message") == "and 80 more problems");
}
