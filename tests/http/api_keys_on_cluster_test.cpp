// With a cluster serving, API keys live in its achilles-api-keys index: every
// instance on the cluster accepts them, and a revocation holds everywhere.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "fakes/fake_elasticsearch.hpp"
#include "support/cluster_and_reference.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

void point_at(TestServer& server, const FakeElasticsearch& cluster) {
  const auto saved = server.client().request(verb::post, "/api/analytics/settings", "admin-token",
                                             R"({"connectionType":"direct","node":")" + cluster.url() + "\"}");
  REQUIRE(saved.status == 200);
  REQUIRE(server.backend_name() == "elasticsearch");
}

}  // namespace

TEST_CASE("keys made on one instance open every instance on the cluster, until revoked", "[es][http][api-keys]") {
  FakeElasticsearch cluster;
  TestServer one{loopback()};
  TestServer two{loopback()};
  point_at(one, cluster);
  point_at(two, cluster);

  const auto made = one.client().request(verb::post, "/api/api-keys", "admin-token", R"({"name":"shared","scope":"read"})");
  REQUIRE(made.status == 201);
  const auto data = json::parse(made.body).at("data").as_object();
  const std::string key(data.at("key").as_string());
  const std::string id(data.at("id").as_string());
  CHECK(cluster.document_count("achilles-api-keys") == 1);

  CHECK(two.client().get("/api/risk-acceptances", key).status == 200);
  const auto listed = json::parse(two.client().get("/api/api-keys", "admin-token").body);
  REQUIRE(listed.at("data").as_array().size() == 1);
  CHECK(listed.at("data").as_array()[0].at("name") == "shared");
  CHECK(json::serialize(listed).find(key) == std::string::npos);
  // The hash, not the key, is what the cluster holds.
  for (const auto& request : cluster.requests()) CHECK(request.body.find(key) == std::string::npos);

  CHECK(two.client().request(verb::delete_, "/api/api-keys/" + id, "admin-token").status == 200);
  CHECK(one.client().get("/api/risk-acceptances", key).status == 401);
  CHECK(one.client().request(verb::delete_, "/api/api-keys/" + id, "admin-token").status == 404);
}

TEST_CASE("a key is checked by a worker when the cluster must be asked, and a cluster down is a 503", "[es][http][api-keys]") {
  FakeElasticsearch cluster;
  TestServer server{loopback()};
  point_at(server, cluster);
  const auto made = server.client().request(verb::post, "/api/api-keys", "admin-token", R"({"name":"gate","scope":"read-write"})");
  REQUIRE(made.status == 201);
  const std::string key(json::parse(made.body).at("data").at("key").as_string());
  // With a body: the I/O thread cannot ask the cluster, so the body is read and the worker decides.
  CHECK(server.client().request(verb::post, "/api/risk-acceptances/lookup", key, R"({"test_names":["T"]})").status == 200);
  cluster.answer_next("POST", "achilles-api-keys/_search", 503,
                      R"({"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"},"status":503})");
  const auto down = server.client().get("/api/analytics/defense-score", key);
  CHECK(down.status == 503);
  CHECK(down.body.find("unavailable_shards_exception") != std::string::npos);
}
