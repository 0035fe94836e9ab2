#include "api/index_routes.hpp"

#include <boost/json.hpp>

#include "achilles/errors.hpp"
#include "achilles/query/query_params.hpp"
#include "api/json_body.hpp"

namespace achilles::server {
namespace json = boost::json;
namespace {

std::string index_name_from(const json::object& body) {
  auto it = body.find("index_name");
  auto refuse = [](std::string message) {
    throw ValidationFailed(std::vector<ValidationIssue>{{"index_name", std::move(message)}});
  };
  if (it == body.end()) refuse("Invalid input: expected string, received undefined");
  if (!it->value().is_string()) refuse("Invalid input: expected string");
  return std::string(it->value().get_string());
}

}  // namespace

std::vector<Route> index_routes(std::shared_ptr<IndexService> indices) {
  std::vector<Route> r;
  r.push_back({"GET", "/api/analytics/indices", {Permission::AnalyticsDashboardsRead}, [indices](const RouteCall& c) -> JsonReply {
                 json::array out;
                 for (const auto& i : indices->list(param_value(c.query, "pattern").value_or("")))
                   out.push_back(json::object{{"name", i.name}, {"docsCount", i.docs_count}, {"storeSize", i.store_size},
                                              {"status", i.health}});
                 return json::object{{"success", true}, {"indices", std::move(out)}};
               }});
  r.push_back({"POST", "/api/analytics/index/create", {Permission::AnalyticsDashboardsRead, Permission::AnalyticsIndexCreate},
               [indices](const RouteCall& c) -> JsonReply {
                 const auto result = indices->create(index_name_from(json_object_body(c.request)));
                 return json::object{{"success", true}, {"created", result.created}, {"message", result.message}};
               }});
  return r;
}

}  // namespace achilles::server
