// GET /api/openapi.json: served without a credential, and held to the route
// table the server dispatches from, so no route exists undescribed.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "support/test_server.hpp"

using namespace achilles;
using namespace achilles::testing;
namespace json = boost::json;

namespace {

// "/api/x/{id}/revoke" → "/api/x/:id/revoke", as the route table writes it.
std::string route_form(std::string_view openapi_path) {
  std::string out;
  for (std::size_t i = 0; i < openapi_path.size(); ++i) {
    if (openapi_path[i] == '{') {
      const auto end = openapi_path.find('}', i);
      out += ':';
      out += openapi_path.substr(i + 1, end - i - 1);
      i = end;
    } else {
      out += openapi_path[i];
    }
  }
  return out;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TEST_CASE("GET /api/openapi.json describes every route the server dispatches, and nothing else",
          "[http][openapi]") {
  TestServer server;
  const auto reply = server.client().get("/api/openapi.json");  // no credential
  REQUIRE(reply.status == 200);
  const auto doc = json::parse(reply.body).as_object();
  CHECK(doc.at("openapi") == "3.1.0");

  std::set<std::pair<std::string, std::string>> described;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> described_permissions;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters") continue;
      const std::pair<std::string, std::string> key{upper(std::string(method)), route_form(path)};
      described.insert(key);
      const auto& op = operation.as_object();
      auto& permissions = described_permissions[key];
      if (const auto* p = op.if_contains("x-permissions"))
        for (const auto& name : p->as_array()) permissions.emplace_back(name.as_string());
      INFO(std::string(method) << " " << std::string(path));
      CHECK(op.contains("operationId"));
      CHECK(op.contains("summary"));
      REQUIRE(op.contains("responses"));
      bool has_success = false;
      for (const auto& [status, response] : op.at("responses").as_object())
        has_success = has_success || status.starts_with("2");
      CHECK(has_success);
    }
  std::set<std::pair<std::string, std::string>> routes;
  for (const auto& r : server.routes()) {
    routes.emplace(r.method, r.path);
    // The permissions the document states are the ones the server checks.
    INFO(r.method << " " << r.path);
    CHECK(described_permissions[{r.method, r.path}] == r.permissions);
  }
  for (const auto& r : routes) {
    INFO("a route the document does not describe: " << r.first << " " << r.second);
    CHECK(described.count(r) == 1);
  }
  for (const auto& d : described) {
    INFO("described but not a route: " << d.first << " " << d.second);
    CHECK(routes.count(d) == 1);
  }
}
