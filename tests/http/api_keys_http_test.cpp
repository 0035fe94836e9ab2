// /api/api-keys as the original's settings page uses it, and the keys it
// makes as a CI script sends them (platform-spec §1.5).
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

json::object create(TestServer& server, const std::string& body, const std::string& token = "admin-token") {
  const auto reply = server.client().request(verb::post, "/api/api-keys", token, body);
  REQUIRE(reply.status == 201);
  return json::parse(reply.body).as_object().at("data").as_object();
}

}  // namespace

TEST_CASE("an API key is shown once, stored as a hash, and opens the API with its scope", "[http][api-keys][identity]") {
  TestServer server;
  const auto data = create(server, R"({"name":"CI gate","scope":"read"})");
  const std::string key(data.at("key").as_string());
  CHECK(std::regex_match(key, std::regex("pa_[0-9a-f]{64}")));
  CHECK(data.at("key_prefix").as_string() == key.substr(0, 12));
  CHECK(data.at("scope").as_string() == "read");
  CHECK(data.at("name").as_string() == "CI gate");
  CHECK(data.at("expires_at").is_null());
  CHECK(data.at("last_used_at").is_null());
  CHECK(data.at("revoked_at").is_null());
  CHECK(data.at("created_at").as_string() == "2025-01-20T12:34:56.789Z");

  // The list never carries the key or its hash.
  const auto list = server.client().get("/api/api-keys", "admin-token");
  REQUIRE(list.status == 200);
  CHECK(list.body.find(key) == std::string::npos);
  CHECK(list.body.find("token_hash") == std::string::npos);
  CHECK(json::parse(list.body).at("data").as_array().size() == 1);
  // Nor does the file.
  std::ifstream file(server.data_dir() / "results.db", std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  CHECK(bytes.str().find(key) == std::string::npos);

  // A read key reads, and writes nothing.
  CHECK(server.client().get("/api/analytics/defense-score", key).status == 200);
  CHECK(server.client().get("/api/risk-acceptances", key).status == 200);
  CHECK(server.client().request(verb::post, "/api/risk-acceptances", key,
                                R"({"test_name":"T","justification":"accepted by a script"})").status == 403);
  // A key cannot manage keys.
  CHECK(server.client().get("/api/api-keys", key).status == 403);
  // last_used_at is written on use.
  const auto used = json::parse(server.client().get("/api/api-keys", "admin-token").body);
  CHECK(used.at("data").as_array()[0].at("last_used_at").as_string() == "2025-01-20T12:34:56.789Z");
}

TEST_CASE("a read-write key has the operator's permissions", "[http][api-keys][identity]") {
  TestServer server;
  const std::string key(create(server, R"({"name":"sync","scope":"read-write"})").at("key").as_string());
  CHECK(server.client().request(verb::post, "/api/risk-acceptances", key,
                                R"({"test_name":"T","justification":"accepted by a script"})").status == 201);
  CHECK(server.client().request(verb::post, "/api/analytics/executions/archive", key,
                                R"({"groupKeys":["bundle::b::h::1"]})").status == 403);
}

TEST_CASE("a revoked or expired key is refused", "[http][api-keys][identity][security]") {
  TestServer server;
  const auto data = create(server, R"({"name":"short-lived","scope":"read","expires_at":"2025-01-21T00:00:00Z"})");
  const std::string key(data.at("key").as_string());
  const std::string id(data.at("id").as_string());
  CHECK(data.at("expires_at").as_string() == "2025-01-21T00:00:00.000Z");
  CHECK(server.client().get("/api/analytics/defense-score", key).status == 200);
  server.set_now(1'737'417'600'001);  // a millisecond past expiry
  CHECK(server.client().get("/api/analytics/defense-score", key).status == 401);
  server.set_now(TestServer::kNow);

  CHECK(server.client().request(verb::delete_, "/api/api-keys/" + id, "admin-token").body == R"({"success":true})");
  CHECK(server.client().get("/api/analytics/defense-score", key).status == 401);
  const auto again = server.client().request(verb::delete_, "/api/api-keys/" + id, "admin-token");
  CHECK(again.status == 404);
  CHECK(again.body == R"({"success":false,"error":"API key not found or already revoked"})");
  // A key-shaped string nobody issued, and a near miss.
  CHECK(server.client().get("/api/analytics/defense-score", "pa_" + std::string(64, '0')).status == 401);
  CHECK(server.client().get("/api/analytics/defense-score", key.substr(0, 66) + "X").status == 401);
}

TEST_CASE("creating a key validates name, scope and expiry", "[http][api-keys]") {
  TestServer server;
  const auto bad = server.client().request(verb::post, "/api/api-keys", "admin-token",
                                           R"({"name":"","scope":"admin","expires_at":"tomorrow"})");
  CHECK(bad.status == 400);
  const auto details = json::parse(bad.body).at("details").as_array();
  REQUIRE(details.size() == 3);
  CHECK(details[0].at("path").as_string() == "name");
  CHECK(details[1].at("path").as_string() == "scope");
  CHECK(details[2].at("path").as_string() == "expires_at");
  CHECK(server.client().request(verb::post, "/api/api-keys", "admin-token",
                                R"({"name":"x","scope":"read","expires_at":"2020-01-01T00:00:00Z"})").status == 400);
  CHECK(server.client().request(verb::post, "/api/api-keys", "admin-token",
                                R"({"name":")" + std::string(101, 'n') + R"(","scope":"read"})").status == 400);
  CHECK(server.client().request(verb::post, "/api/api-keys", "admin-token", R"({"name":7,"scope":"read"})").status == 400);
  CHECK(server.client().request(verb::post, "/api/api-keys", "operator-token", R"({"name":"x","scope":"read"})").status == 403);
}

TEST_CASE("keys are kept apart by organisation", "[http][api-keys][identity][org]") {
  TestServer server;
  const auto global = create(server, R"({"name":"global","scope":"read"})");
  const auto org1 = create(server, R"({"name":"org-1 gate","scope":"read"})", "org1-admin-token");
  const std::string org1_key(org1.at("key").as_string());
  const std::string org1_id(org1.at("id").as_string());

  auto names = [&](const std::string& token) {
    std::vector<std::string> out;
    const json::value listed = json::parse(server.client().get("/api/api-keys", token).body);
    for (const auto& k : listed.at("data").as_array()) out.emplace_back(k.at("name").as_string());
    return out;
  };
  CHECK(names("admin-token") == std::vector<std::string>{"org-1 gate", "global"});  // newest first
  CHECK(names("org1-admin-token") == std::vector<std::string>{"org-1 gate"});
  CHECK(names("org2-admin-token").empty());
  // Another organisation's key reads as unknown.
  CHECK(server.client().request(verb::delete_, "/api/api-keys/" + org1_id, "org2-admin-token").status == 404);

  // The key carries its creator's organisation: pinned to it (D9).
  CHECK(server.client().get("/api/analytics/defense-score?org=org-1", org1_key).status == 200);
  CHECK(server.client().get("/api/analytics/defense-score?org=org-2", org1_key).status == 403);
  // A key made by an admin of no organisation reads every organisation.
  CHECK(server.client().get("/api/analytics/defense-score?org=org-2", std::string(global.at("key").as_string())).status == 200);
  CHECK(server.client().request(verb::delete_, "/api/api-keys/" + org1_id, "org1-admin-token").status == 200);
}
