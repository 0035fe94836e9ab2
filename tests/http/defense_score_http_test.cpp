#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "support/result_builder.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace beast_http = boost::beast::http;

namespace {
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kNow = TestServer::kNow;

// Three conclusive executions a day ago: one blocked, one seen by Defender,
// one missed; plus noise every filter must keep out.
void load_small_fleet(TestServer& server) {
  server.load({
      ResultBuilder("blocked", kNow - 24 * kHour).code(126).test("LSASS Dump", "uuid-lsass").host("h1"),
      ResultBuilder("seen", kNow - 24 * kHour).code(101).defender().test("Kerberoast", "uuid-kerb").host("h2"),
      ResultBuilder("missed", kNow - 24 * kHour).code(101).test("LSASS Dump", "uuid-lsass").host("h2"),
      ResultBuilder("inconclusive", kNow - 24 * kHour).code(259).host("h1"),
      ResultBuilder("old", kNow - 10 * 24 * kHour).code(126).host("h1"),
      ResultBuilder("other-org", kNow - 24 * kHour).code(126).org("org-2").host("h9"),
  });
}
}  // namespace

TEST_CASE("health answers without credentials", "[http]") {
  TestServer server;
  auto reply = server.client().get("/api/health");
  CHECK(reply.status == 200);
  CHECK(reply.header(beast_http::field::content_type) == "application/json; charset=utf-8");
  auto body = boost::json::parse(reply.body).as_object();
  CHECK(body.at("status") == "ok");
  CHECK(body.at("timestamp") == "2025-01-20T12:34:56.789Z");
}

TEST_CASE("no or unknown bearer is a 401 JSON error, never a redirect", "[http][auth]") {
  TestServer server;
  auto client = server.client();
  for (const std::string token : {"", "wrong-token"}) {
    auto reply = client.get("/api/analytics/defense-score", token);
    CHECK(reply.status == 401);
    CHECK(reply.body == R"({"success":false,"error":"Authentication required"})");
    CHECK(reply.header(beast_http::field::www_authenticate) == "Bearer");
    CHECK(reply.header(beast_http::field::content_type) == "application/json; charset=utf-8");
  }
}

TEST_CASE("a principal without dashboards:read gets 403 Insufficient permissions", "[http][auth]") {
  TestServer server;
  auto reply = server.client().get("/api/analytics/defense-score", "keyless-token");
  CHECK(reply.status == 403);
  CHECK(reply.body == R"({"success":false,"error":"Insufficient permissions"})");
  CHECK(server.client().get("/api/analytics/defense-score", "explorer-token").status == 200);
}

TEST_CASE("defense score over HTTP has the original's exact shape and numbers", "[http][score]") {
  TestServer server;
  load_small_fleet(server);
  auto reply = server.client().get("/api/analytics/defense-score", "admin-token");
  REQUIRE(reply.status == 200);
  // Default 7-day window, conclusive only: blocked and other-org (strict), seen (Defender),
  // missed → total 4, combined 3, strict 2.
  CHECK(reply.body ==
        R"({"score":75,"protectedCount":2,"detectedCount":1,"unprotectedCount":1,"totalExecutions":4,)"
        R"("realScore":50,"rawScore":75,"riskAcceptedCount":0})");
}

TEST_CASE("the shared filters narrow the score", "[http][score]") {
  TestServer server;
  load_small_fleet(server);
  auto client = server.client();
  auto total = [&](const std::string& query) {
    auto reply = client.get("/api/analytics/defense-score?" + query, "admin-token");
    REQUIRE(reply.status == 200);
    return boost::json::parse(reply.body).at("totalExecutions").as_int64();
  };
  CHECK(total("org=org-1") == 3);
  CHECK(total("from=now-30d") == 5);
  CHECK(total("to=now") == 5);  // `to` alone removes the lower bound
  CHECK(total("from=now-2d/d&to=now-1d/d") == 4);
  CHECK(total("hostnames=h1") == 1);
  CHECK(total("hostnames=h1,h2") == 3);
  CHECK(total("hostnames=h1&hostnames=h2") == 3);  // D1
  CHECK(total("tests=LSASS%20Dump") == 2);
  CHECK(total("tests=uuid-kerb") == 1);  // D2: a test UUID matches too
  CHECK(total("result=protected") == 2);
  CHECK(total("result=unprotected") == 2);
  CHECK(total("result=inconclusive") == 0);
  CHECK(total("errorNames=ExecutionPrevented") == 2);
  CHECK(total("errorCodes=101,abc") == 2);
  CHECK(total("severities=critical") == 0);
}

TEST_CASE("bad filter values are 400 errors that name the parameter", "[http][score]") {
  TestServer server;
  auto client = server.client();
  struct Case {
    const char* query;
    const char* fragment;
  };
  for (auto c : {Case{"from=yesterday", "'from'"}, Case{"to=2026-13-45", "'to'"},
                 Case{"result=Protected", "'result'"}, Case{"scoringMode=best", "'scoringMode'"}}) {
    INFO(c.query);
    auto reply = client.get(std::string("/api/analytics/defense-score?") + c.query, "admin-token");
    CHECK(reply.status == 400);
    auto body = boost::json::parse(reply.body).as_object();
    CHECK(body.at("success") == false);
    CHECK(std::string(body.at("error").as_string()).find(c.fragment) != std::string::npos);
  }
  CHECK(client.get("/api/analytics/defense-score?scoringMode=", "admin-token").status == 200);
}

TEST_CASE("any-stage scoring over HTTP collapses bundle runs", "[http][score]") {
  TestServer server;
  std::vector<ResultDocument> docs;
  for (int stage = 0; stage < 3; ++stage)
    for (int bundle = 0; bundle < 4; ++bundle)
      docs.push_back(ResultBuilder("b" + std::to_string(bundle) + "s" + std::to_string(stage), kNow - kHour)
                         .code(bundle == 0 && stage == 1 ? 126 : 101)
                         .category("intel-driven")
                         .bundle("bundle-" + std::to_string(bundle), "Chain", "T" + std::to_string(stage)));
  server.load(docs);
  auto client = server.client();
  auto all = boost::json::parse(client.get("/api/analytics/defense-score", "admin-token").body);
  CHECK(all.at("totalExecutions") == 12);
  CHECK(all.at("score").as_double() == 8.33);
  auto any = boost::json::parse(client.get("/api/analytics/defense-score?scoringMode=any-stage", "admin-token").body);
  CHECK(any.at("totalExecutions") == 4);
  CHECK(any.at("score") == 25);
}

TEST_CASE("a principal bound to an organisation sees only its organisation (D9)", "[http][auth]") {
  TestServer server;
  load_small_fleet(server);
  auto client = server.client();
  auto own = client.get("/api/analytics/defense-score", "org-token");
  CHECK(boost::json::parse(own.body).at("totalExecutions") == 3);
  auto other = client.get("/api/analytics/defense-score?org=org-2", "org-token");
  CHECK(other.status == 403);
  CHECK(other.body == R"({"success":false,"error":"Access denied to this organization"})");
}

TEST_CASE("unknown paths are JSON 404s and the connection stays open", "[http]") {
  TestServer server;
  auto client = server.client();
  auto reply = client.get("/api/analytics/nope", "admin-token");
  CHECK(reply.status == 404);
  CHECK(reply.body == R"({"success":false,"error":"Not Found","message":"Cannot GET /api/analytics/nope"})");
  auto post = client.request(beast_http::verb::post, "/api/analytics/defense-score", "admin-token", "{}");
  CHECK(post.status == 404);
  CHECK(client.get("/api/health").status == 200);  // same connection
}

TEST_CASE("a body over the limit (1 MB unless ACHILLES_MAX_BODY_BYTES says otherwise) is refused with 413", "[http]") {
  TestServer server;
  // Announce the size only: the server must refuse on the header alone.
  auto reply = server.client().raw(
      "POST /api/analytics/executions/archive HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer admin-token\r\nContent-Length: 1048577\r\n\r\n");
  CHECK(reply.status == 413);
  CHECK(reply.body == R"({"success":false,"error":"request entity too large"})");
}
