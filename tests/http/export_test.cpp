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

namespace {

// RFC 4180: rows of cells, quoted cells with doubled quotes, CRLF row ends.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  rows.back().emplace_back();
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') rows.back().back() += text[++i];
      else if (c == '"') quoted = false;
      else rows.back().back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back().front().empty()) rows.pop_back();  // after the last CRLF
  return rows;
}

std::string joined(const json::value& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v.as_array()) out += (out.empty() ? "" : "; ") + std::string(item.as_string());
    return out;
  }
  return json::serialize(v);
}

}  // namespace

TEST_CASE("the executions CSV: every matching execution, streamed, parsing back to what the paginated API returns",
          "[http][export][csv]") {
  TestServer server;
  server.load(demo_documents(7'500));  // more than one page of the export
  auto client = server.client();
  const auto reply = client.get("/api/analytics/export/executions.csv?from=now-30d", "admin-token");
  REQUIRE(reply.status == 200);
  CHECK(reply.header("Content-Type") == "text/csv; charset=utf-8");
  CHECK(reply.header("Transfer-Encoding") == "chunked");
  CHECK(reply.header("Content-Disposition") == "attachment; filename=\"achilles-executions.csv\"");
  const auto rows = parse_csv(reply.body);
  REQUIRE(!rows.empty());
  const std::vector<std::string>& header = rows.front();
  CHECK(header.front() == "timestamp");
  for (const auto& row : rows) REQUIRE(row.size() == header.size());

  const auto total = json::parse(client.get("/api/analytics/executions/paginated?from=now-30d&pageSize=1", "admin-token").body)
                         .at("pagination").at("totalItems").as_int64();
  REQUIRE(total > 5'000);
  CHECK(static_cast<std::int64_t>(rows.size()) - 1 == total);  // one header row, then every execution

  // The first and the last pages of the API, cell by cell, in the same order.
  const std::int64_t last_page = (total + 99) / 100;
  for (std::int64_t page : {std::int64_t{1}, std::int64_t{51}, last_page}) {
    const auto docs = json::parse(client.get("/api/analytics/executions/paginated?from=now-30d&pageSize=100&page=" +
                                                 std::to_string(page), "admin-token").body).at("data").as_array();
    for (std::size_t i = 0; i < docs.size(); ++i) {
      const auto& csv_row = rows.at(1 + static_cast<std::size_t>(page - 1) * 100 + i);
      const auto& doc = docs[i].as_object();
      for (std::size_t c = 0; c < header.size(); ++c) {
        INFO("page " << page << " row " << i << " column " << header[c]);
        const auto* value = doc.if_contains(header[c]);
        if (value && value->is_double()) CHECK(std::stod(csv_row[c]) == value->as_double());  // 7.2, as JSON writes it
        else CHECK(csv_row[c] == (value ? joined(*value) : ""));
      }
    }
  }
}

TEST_CASE("the executions CSV neutralises cells a spreadsheet would run as formulas", "[http][export][csv][security]") {
  TestServer server;
  const std::int64_t t = TestServer::kNow - 3'600'000;
  server.load({ResultBuilder("a", t).test("=HYPERLINK(\"http://evil.example\",\"click\")", "u1"),
               ResultBuilder("b", t - 1).test("+cmd|' /C calc'!A0", "u2"),
               ResultBuilder("c", t - 2).test("-2+3", "u3").host("@SUM(1,2)"),
               ResultBuilder("d", t - 3).test("Plain, \"quoted\" name", "u4")});
  const auto rows = parse_csv(server.client().get("/api/analytics/export/executions.csv", "admin-token").body);
  REQUIRE(rows.size() == 5);
  const auto& header = rows.front();
  const auto column = [&](std::string_view name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  CHECK(rows[1][column("test_name")] == "'=HYPERLINK(\"http://evil.example\",\"click\")");
  CHECK(rows[2][column("test_name")] == "'+cmd|' /C calc'!A0");
  CHECK(rows[3][column("test_name")] == "'-2+3");
  CHECK(rows[3][column("hostname")] == "'@SUM(1,2)");
  CHECK(rows[4][column("test_name")] == "Plain, \"quoted\" name");
  CHECK(rows[1][column("error_code")] == "101");  // numbers stay numbers
}

TEST_CASE("the executions CSV respects organisation scoping, and refuses bad filters before sending anything",
          "[http][export][csv]") {
  TestServer server;
  const std::int64_t t = TestServer::kNow - 3'600'000;
  server.load({ResultBuilder("a", t).org("org-1"), ResultBuilder("b", t).org("org-2"), ResultBuilder("c", t - 1).org("org-1")});
  auto client = server.client();
  const auto rows = parse_csv(client.get("/api/analytics/export/executions.csv", "org-token").body);
  REQUIRE(rows.size() == 3);
  const auto org = static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), "org") - rows[0].begin());
  CHECK(rows[1][org] == "org-1");
  CHECK(rows[2][org] == "org-1");
  CHECK(client.get("/api/analytics/export/executions.csv?org=org-2", "org-token").status == 403);
  const auto bad = client.get("/api/analytics/export/executions.csv?from=garbage", "admin-token");
  CHECK(bad.status == 400);
  CHECK(json::parse(bad.body).at("success") == false);
  CHECK(client.get("/api/analytics/export/executions.csv", "keyless-token").status == 403);
}
