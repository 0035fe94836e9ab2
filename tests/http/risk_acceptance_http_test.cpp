#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "support/result_builder.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
namespace beast_http = boost::beast::http;

namespace {
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kNow = TestServer::kNow;

struct World {
  TestServer server;
  HttpClient client = server.client();
  World() {
    std::vector<ResultDocument> docs;
    for (int i = 0; i < 9; ++i)
      docs.push_back(ResultBuilder("t" + std::to_string(i), kNow - kHour).test("Kept", "u-kept").code(i < 8 ? 126 : 101));
    docs.push_back(ResultBuilder("accepted", kNow - kHour).test("Noisy", "u-noisy").code(101).host("h1"));
    server.load(docs);
  }
  Reply post(const std::string& path, const std::string& body, const std::string& token = "admin-token") {
    return client.request(beast_http::verb::post, path, token, body);
  }
  json::object score() { return json::parse(client.get("/api/analytics/defense-score", "admin-token").body).as_object(); }
};
}  // namespace

TEST_CASE("an acceptance takes effect on the very next score, and revoking undoes it (D10)", "[risk][http]") {
  World w;
  CHECK(w.score().at("totalExecutions") == 10);
  auto created = w.post("/api/risk-acceptances", R"({"test_name":"Noisy","justification":"Known false positive on h1"})");
  REQUIRE(created.status == 201);
  auto record = json::parse(created.body).at("data").as_object();
  CHECK(record.at("scope") == "global");
  CHECK(record.at("status") == "active");
  CHECK(record.at("accepted_by") == "u-admin");
  CHECK_FALSE(record.contains("hostname"));
  CHECK_FALSE(record.contains("org_id"));

  // Case 7 of analytics-spec §5, end to end.
  auto s = w.score();
  CHECK(s.at("totalExecutions") == 9);
  CHECK(s.at("score") == 88.89);
  CHECK(s.at("realTotalExecutions") == 10);
  CHECK(s.at("realProtectedCount") == 8);
  CHECK(s.at("realUnprotectedCount") == 2);
  CHECK(s.at("rawScore") == 80);
  CHECK(s.at("riskAcceptedCount") == 1);
  auto trend = json::parse(w.client.get("/api/analytics/defense-score/trend", "admin-token").body).as_array();
  CHECK(trend.back().at("realTotal") == 10);

  const std::string id(record.at("acceptance_id").as_string());
  auto revoked = w.post("/api/risk-acceptances/" + id + "/revoke", R"({"reason":"No longer accepted"})");
  CHECK(revoked.status == 200);
  CHECK(json::parse(revoked.body).at("data").at("status") == "revoked");
  CHECK(w.score().at("totalExecutions") == 10);
  CHECK_FALSE(w.score().contains("realTotalExecutions"));
  auto twice = w.post("/api/risk-acceptances/" + id + "/revoke", R"({"reason":"No longer accepted"})");
  CHECK(twice.status == 409);
  CHECK(w.post("/api/risk-acceptances/nope/revoke", R"({"reason":"No longer accepted"})").status == 404);
}

TEST_CASE("host-scoped and sub-control acceptances exclude only what they name", "[risk][http]") {
  World w;
  REQUIRE(w.post("/api/risk-acceptances", R"({"test_name":"Noisy","hostname":"h2","justification":"Only on the h2 host"})").status == 201);
  CHECK(w.score().at("totalExecutions") == 10);  // the accepted execution ran on h1
  auto on_h1 = w.post("/api/risk-acceptances", R"({"test_name":"Noisy","scope":"host","hostname":"h1","justification":"Only on the h1 host"})");
  CHECK(json::parse(on_h1.body).at("data").at("hostname") == "h1");
  CHECK(w.score().at("totalExecutions") == 9);
}

TEST_CASE("acceptance requests are validated with the original's envelope", "[risk][http]") {
  World w;
  auto short_text = w.post("/api/risk-acceptances", R"({"test_name":"Noisy","justification":"short"})");
  CHECK(short_text.status == 400);
  auto body = json::parse(short_text.body).as_object();
  CHECK(body.at("error").as_string().starts_with("Validation failed: justification:"));
  CHECK(body.at("details").as_array().size() == 1);
  CHECK(w.post("/api/risk-acceptances", R"({"justification":"long enough text"})").status == 400);
  CHECK(w.post("/api/risk-acceptances", R"({"test_name":7,"justification":"long enough text"})").status == 400);
  CHECK(w.post("/api/risk-acceptances", R"({"test_name":"x","scope":"planet","justification":"long enough text"})").status == 400);
  CHECK(w.post("/api/risk-acceptances", R"({"test_name":"x","scope":"host","justification":"long enough text"})").status == 400);
  CHECK(w.post("/api/risk-acceptances", "[1]").status == 400);
  CHECK(w.post("/api/risk-acceptances", R"({"test_name":"Noisy","justification":"explorer cannot"})", "explorer-token").status == 403);
  CHECK(w.client.get("/api/risk-acceptances?status=maybe", "admin-token").status == 400);
}

TEST_CASE("lists and reads and lookups stay inside the caller organisation", "[risk][http]") {
  World w;
  REQUIRE(w.post("/api/risk-acceptances", R"({"test_name":"Noisy","justification":"accepted by org 2"})", "org2-op-token").status == 201);
  auto global = w.post("/api/risk-acceptances", R"({"test_name":"Kept","justification":"accepted for all orgs"})", "operator-token");
  const std::string global_id(json::parse(global.body).at("data").at("acceptance_id").as_string());

  auto all = json::parse(w.client.get("/api/risk-acceptances", "admin-token").body).as_object();
  CHECK(all.at("total") == 2);
  CHECK(all.at("data").as_array()[0].at("test_name") == "Kept");  // newest first; ties: latest stored first
  auto org2 = json::parse(w.client.get("/api/risk-acceptances?status=active", "org2-op-token").body).as_object();
  CHECK(org2.at("total") == 2);  // its own plus the one without an org
  CHECK(json::parse(w.client.get("/api/risk-acceptances?test_name=Noisy", "admin-token").body).at("total") == 1);
  CHECK(w.client.get("/api/risk-acceptances/" + global_id, "org2-op-token").status == 200);

  auto lookup = w.post("/api/risk-acceptances/lookup", R"({"test_names":["Noisy","Other"]})");
  auto data = json::parse(lookup.body).at("data").as_object();
  CHECK(data.at("Noisy").as_array().size() == 1);
  CHECK(data.at("Other").as_array().empty());
  CHECK(w.post("/api/risk-acceptances/lookup", R"({"test_names":[]})").status == 400);
  CHECK(w.client.get("/api/risk-acceptances/unknown-id", "admin-token").status == 404);
}
