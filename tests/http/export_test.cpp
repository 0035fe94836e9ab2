// Exports: results in the formats other tools read.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <map>
#include <regex>

#include "support/cluster_and_reference.hpp"
#include "support/result_builder.hpp"
#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;

TEST_CASE("the ATT&CK Navigator layer: each tested technique's defense score, in layer format 4.5",
          "[http][export][navigator]") {
  TestServer server;
  server.load(demo_documents(400));
  auto client = server.client();
  const auto reply = client.get("/api/analytics/export/attack-navigator?from=now-30d", "admin-token");
  REQUIRE(reply.status == 200);
  CHECK(reply.header("Content-Disposition") == "attachment; filename=\"achilles-attack-navigator-layer.json\"");
  const auto layer = json::parse(reply.body).as_object();

  // The format's required fields and value ranges.
  CHECK(layer.at("name").is_string());
  CHECK(layer.at("domain") == "enterprise-attack");
  CHECK(layer.at("versions").at("layer") == "4.5");
  const auto& gradient = layer.at("gradient").as_object();
  const std::regex color("^#[0-9a-f]{6}$");
  REQUIRE(gradient.at("colors").as_array().size() >= 2);
  for (const auto& c : gradient.at("colors").as_array()) CHECK(std::regex_match(std::string(c.as_string()), color));
  CHECK(gradient.at("minValue").to_number<double>() == 0);
  CHECK(gradient.at("maxValue").to_number<double>() == 100);
  const std::regex technique_id("^T[0-9]{4}(\\.[0-9]{3})?$");
  std::map<std::string, json::object> by_id;
  for (const auto& t : layer.at("techniques").as_array()) {
    const auto& entry = t.as_object();
    const std::string id(entry.at("techniqueID").as_string());
    INFO(id);
    CHECK(std::regex_match(id, technique_id));
    CHECK(by_id.count(id) == 0);  // one entry per technique
    if (entry.contains("score")) {
      const double score = entry.at("score").to_number<double>();
      CHECK(score >= 0);
      CHECK(score <= 100);
      CHECK(entry.at("comment").as_string().starts_with("Defense score "));
    }
    by_id[id] = entry;
  }

  // The scores are the dashboard's: by-technique for the same filters.
  const auto rows = json::parse(client.get("/api/analytics/defense-score/by-technique?from=now-30d", "admin-token").body);
  REQUIRE(!rows.as_array().empty());
  for (const auto& row : rows.as_array()) {
    const std::string id(row.at("name").as_string());
    INFO(id);
    REQUIRE(by_id.count(id) == 1);
    const auto& entry = by_id[id];
    CHECK(entry.at("score").to_number<double>() == row.at("score").to_number<double>());
    std::map<std::string, std::string> meta;
    for (const auto& m : entry.at("metadata").as_array())
      meta[std::string(m.at("name").as_string())] = std::string(m.at("value").as_string());
    CHECK(meta["executions"] == std::to_string(row.at("count").as_int64()));
    CHECK(meta["protected"] == std::to_string(row.at("protected").as_int64()));
  }
}

TEST_CASE("the Navigator layer keeps sub-technique ids, expands their parents, leaves out what is not a technique id",
          "[http][export][navigator]") {
  TestServer server;
  const std::int64_t t = TestServer::kNow - 3'600'000;
  server.load({ResultBuilder("a", t).test("Dump LSASS", "u1").techniques({"T1003.001"}).code(126),
               ResultBuilder("b", t - 1000).test("Dump LSASS", "u1").techniques({"T1003.001"}).code(101),
               ResultBuilder("c", t).test("Script", "u2").techniques({"T1059", "not-a-technique"}).code(126)});
  const auto layer = json::parse(server.client().get("/api/analytics/export/attack-navigator", "admin-token").body);
  std::map<std::string, json::object> by_id;
  for (const auto& t2 : layer.at("techniques").as_array()) by_id[std::string(t2.at("techniqueID").as_string())] = t2.as_object();
  REQUIRE(by_id.count("T1003.001") == 1);
  CHECK(by_id["T1003.001"].at("score").to_number<double>() == 50);
  CHECK(by_id["T1003.001"].at("comment") == "Defense score 50%: 2 executions, 1 protected, 1 not protected");
  REQUIRE(by_id.count("T1003") == 1);  // the untested parent, shown expanded, unscored
  CHECK(by_id["T1003"].at("showSubtechniques") == true);
  CHECK_FALSE(by_id["T1003"].contains("score"));
  CHECK(by_id["T1059"].at("score").to_number<double>() == 100);
  CHECK(by_id.count("not-a-technique") == 0);
  bool named = false;
  for (const auto& m : layer.at("metadata").as_array())
    named = named || m.at("value") == "not-a-technique";
  CHECK(named);
}

TEST_CASE("the Navigator layer respects organisation scoping and needs analytics:dashboards:read", "[http][export][navigator]") {
  TestServer server;
  const std::int64_t t = TestServer::kNow - 3'600'000;
  server.load({ResultBuilder("a", t).org("org-1").test("A", "u1").techniques({"T1001"}).code(126),
               ResultBuilder("b", t).org("org-2").test("B", "u2").techniques({"T1002"}).code(101)});
  auto client = server.client();
  const auto layer = json::parse(client.get("/api/analytics/export/attack-navigator", "org-token").body);
  std::vector<std::string> ids;
  for (const auto& e : layer.at("techniques").as_array()) ids.emplace_back(e.at("techniqueID").as_string());
  CHECK(ids == std::vector<std::string>{"T1001"});
  CHECK(client.get("/api/analytics/export/attack-navigator?org=org-2", "org-token").status == 403);
  CHECK(client.get("/api/analytics/export/attack-navigator", "keyless-token").status == 403);
  CHECK(client.get("/api/analytics/export/attack-navigator", "").status == 401);
  CHECK(client.get("/api/analytics/export/attack-navigator?from=garbage", "admin-token").status == 400);
}
